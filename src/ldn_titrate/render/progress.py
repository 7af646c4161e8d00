"""The progress bar of a long batch of ``check``, drawn on standard error of a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Final

# A progress bar is worth drawing only for a batch that takes a noticeable while.
PROGRESS_OVER: Final = 50


def progress_wanted(count: int | None, stream: object) -> bool:
    """Whether to draw a progress bar: a batch of more than 50 plans (or a list), on a terminal."""
    isatty = getattr(stream, "isatty", None)
    return (count is None or count > PROGRESS_OVER) and callable(isatty) and bool(isatty())


@contextmanager
def progress(count: int | None) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr for a long batch on a terminal; elsewhere nothing at all."""
    if not progress_wanted(count, sys.stderr):
        yield lambda: None
        return
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import Progress  # noqa: PLC0415

    # On one terminal, the plans' lines are printed above the bar rather than through it.
    shared = sys.stdout.isatty()
    with Progress(
        console=Console(stderr=True), transient=True, redirect_stdout=shared, redirect_stderr=False
    ) as bar:
        task = bar.add_task("checking", total=count)
        yield lambda: bar.advance(task)
