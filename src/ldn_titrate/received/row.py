"""A row of a received plan as it is read: its values, problems and texts, and the number reader.

Every cell reader (``cells``, ``columns``, ``twins``) writes into a Row; a cell that cannot be
read becomes a problem of its row rather than an exception, so that the check can name the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from ldn_titrate.doses import parse_number
from ldn_titrate.errors import InputError
from ldn_titrate.received.model import ReceivedRow

if TYPE_CHECKING:
    from ldn_titrate.received.extras import CellProblem

_NUMBER_CELL: Final = re.compile(
    r"(?P<sign>[-+−–])?\s*(?P<num>[0-9]*\.[0-9]+|[0-9]+\.?)\s*(?P<unit>[a-zµμ/%]+)?", re.IGNORECASE
)


class Row:
    """The cells of one row as they are read; frozen into a ReceivedRow at the end."""

    __slots__ = ("problems", "texts", "values")

    def __init__(self) -> None:
        """An empty row: no values, no problems, no texts yet."""
        self.values: dict[str, object] = {}
        self.problems: list[CellProblem] = []
        self.texts: list[tuple[str, str]] = []

    def refuse(self, field: str, column: str, text: str, reason: str) -> None:
        """Keep a cell that could not be read as a problem of its row."""
        from ldn_titrate.received.extras import CellProblem  # noqa: PLC0415 - only for a plan that has one

        self.problems.append(CellProblem(field, column, text, reason))


# Plans repeat the same cells (doses, days) over and over: each distinct text is read once.
@lru_cache(maxsize=8192)
def read_number(text: str) -> tuple[Decimal, str] | str:
    """A signed number and its unit (lower case, may be empty), or why it cannot be read."""
    match = _NUMBER_CELL.fullmatch(text)
    if match is None:
        if "," in text and _NUMBER_CELL.fullmatch(text.replace(",", ".")) is not None:
            return "use a point for decimals, not a comma"
        return "not a number"
    digits = match["num"]
    if digits.startswith("."):
        digits = "0" + digits
    digits = digits.removesuffix(".")
    try:
        value = parse_number(digits, "cell")
    except InputError:
        return "not a number"
    if match["sign"] in {"-", "−", "–"}:
        value = -value
    return value, (match["unit"] or "").lower()


Reader = Callable[[Row, str, str, str], None]


def freeze(row: Row, index: int, line: int | None) -> ReceivedRow:
    """The row as read, frozen: ``index`` counts from 1, ``line`` is the CSV line or None."""
    values = row.values
    return ReceivedRow(
        position=index,
        line=line,
        texts=tuple(row.texts),
        problems=tuple(row.problems),
        **values,  # type: ignore[arg-type]
    )
