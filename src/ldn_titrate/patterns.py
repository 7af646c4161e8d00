"""A regular expression compiled the first time it is used, so that importing costs nothing."""

from __future__ import annotations

import re
from functools import cache, partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


def lazy_pattern(source: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """The pattern of ``source``, compiled on the first call and kept for every later one."""
    return cache(partial(re.compile, source, flags))
