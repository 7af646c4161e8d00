"""Capsules counted per dose in one column and their strength in another: ``3``, ``1.5 mg``.

The two are read together into the step's capsule counts (``3 × 1.5 mg``); a count with no
strength beside it is refused, so that no count is left unchecked.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from ldn_titrate.patterns import lazy_pattern

if TYPE_CHECKING:
    from ldn_titrate.received.cells import Row

COUNT: Final = "capsule_count"
STRENGTH: Final = "capsule_strength"


# A count of capsules, the word for them allowed after it: "3", "3 caps", "2 Kapseln".
_count_cell = lazy_pattern(
    r"\s*(?P<n>[0-9]{1,2})\s*(?:capsules?|caps?\.?|kapseln?|g[ée]lules?|c[áa]psulas?)?\s*",
    re.IGNORECASE,
)


# A strength in mg: "1.5 mg", "1,5 mg", "1.5".
_strength_cell = lazy_pattern(
    r"\s*(?P<num>[0-9]{1,3}(?:[.,][0-9]{1,3})?|[.,][0-9]{1,3})\s*(?:mg)?\s*", re.IGNORECASE
)


_COUNT_REASON: Final = "write the number of capsules in one dose, such as 3"
_STRENGTH_REASON: Final = "write the strength of one capsule in mg, such as 1.5 mg"
_NO_STRENGTH: Final = "the plan gives no capsule strength beside this count"


def count_cell(row: Row, _field: str, text: str, column: str) -> None:
    """A cell counting the capsules of one dose, kept until the row's strength is known."""
    if not text:
        return
    match = _count_cell().fullmatch(text)
    if match is None or int(match["n"]) == 0:
        row.refuse("capsules", column, text, _COUNT_REASON)
        return
    row.values[COUNT] = (int(match["n"]), column, text)


def strength_cell(row: Row, _field: str, text: str, column: str) -> None:
    """A cell giving the strength of the capsules a row counts, in mg."""
    if not text:
        return
    match = _strength_cell().fullmatch(text)
    value = Decimal(match["num"].replace(",", ".")) if match is not None else Decimal(0)
    if value <= 0:
        row.refuse("capsules", column, text, _STRENGTH_REASON)
        return
    row.values[STRENGTH] = value


def settle_capsules(row: Row) -> None:
    """The count and the strength of a row as its capsule counts; a count alone is refused."""
    count = row.values.pop(COUNT, None)
    strength = row.values.pop(STRENGTH, None)
    if not isinstance(count, tuple):
        return
    number, column, text = count
    if not isinstance(strength, Decimal):
        row.refuse("capsules", column, text, _NO_STRENGTH)
    elif "capsules" not in row.values:
        row.values["capsules"] = ((strength, number),)
