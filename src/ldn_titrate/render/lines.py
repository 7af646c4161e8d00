"""Plain lines for a terminal: wrapped to its width, never inside a dose or a day."""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from rich.table import Table

_KEEP_TOGETHER: Final = re.compile(
    r"(?<=[0-9]) (?=(?:mg|mcg|mL|days?|capsules?)\b|×)|(?<=×) (?=[0-9])"
    # A day and its weekday: 2026-12-07 Mon.
    r"|(?<=[0-9]{4}-[0-9]{2}-[0-9]{2}) (?=(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b)"
    # A numbered place: step 2, line 4, Fill 1.
    r"|(?:(?<=\b[Ss]tep)|(?<=\b[Ll]ine)|(?<=\bFill)) (?=[0-9])"
)
_JOINED: Final = "\x00"
NARROWEST: Final = 20
"""Plain lines are wrapped to the width, but never narrower than this many columns."""
HANGING: Final = "  "
"""The indent of a wrapped line's second and later lines."""


def cell_len(text: str) -> int:
    """The columns a terminal gives ``text``, as rich counts them.

    Printable ASCII is one column a character, which is what rich counts for it too; only other
    text loads rich's tables of character widths.
    """
    if text.isascii() and text.isprintable():
        return len(text)
    from rich.cells import cell_len as rich_cell_len  # noqa: PLC0415 - only for wider text

    return rich_cell_len(text)


def wrap_line(line: str, width: int) -> list[str]:
    """One plain line as lines of at most ``width`` columns (20 at least), a hanging indent.

    Breaks only between words, and never inside a dose with its unit (``0.5 mg``,
    ``1 × 0.5 mg``) or a day with its weekday. A single word longer than the width (a file
    name) is cut, except a web address, which is kept whole on a line of its own so that it
    still opens.
    """
    width = max(width, NARROWEST)
    if cell_len(line) <= width:
        return [line]
    joined = _KEEP_TOGETHER.sub(_JOINED, line)
    lines = textwrap.wrap(
        joined,
        width=width,
        subsequent_indent=HANGING,
        break_long_words=False,
        break_on_hyphens=False,
    )
    out: list[str] = []
    for piece in lines:
        if len(piece) <= width or "://" in piece:
            out.append(piece)
            continue
        # A word longer than the width, alone on its line: cut into pieces that fit.
        out.append(piece[:width])
        rest = piece[width:]
        step = width - len(HANGING)
        out.extend(HANGING + rest[i : i + step] for i in range(0, len(rest), step))
    return [piece.replace(_JOINED, " ") for piece in out] or [""]


def wrapped(lines: Sequence[str], width: int) -> list[str]:
    """Every line of a plain layout wrapped to ``width`` (see ``wrap_line``)."""
    return [piece for line in lines for piece in wrap_line(line, width)]


def natural_width(table: Table) -> int:
    """How many columns the table needs to show every cell whole."""
    # Never a terminal: with FORCE_COLOR on a dumb terminal rich would cap a terminal at 80
    # columns and report every table as fitting, then cut its dates when printing.
    from rich.console import Console  # noqa: PLC0415 - loaded only to measure a table

    measuring = Console(width=10_000, file=io.StringIO(), force_terminal=False, color_system=None)
    return measuring.measure(table).maximum
