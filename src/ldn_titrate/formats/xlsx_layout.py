"""How the workbook prints: column widths that fit the paper at full size, wrapped cells, setup.

Widths are in characters of the default font (11-point Calibri), as openpyxl and the
spreadsheets count them: a column of ``w`` characters is ``7w + 5`` pixels, ``0.75`` points
each. The step table is laid out to fit the narrower paper (US Letter, landscape) without
shrinking, so that every line prints at 11 points, and never below 10 for twelve steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


class Paper(StrEnum):
    """The paper a workbook is set up for."""

    A4 = "a4"
    LETTER = "letter"


# openpyxl's (and the file format's) paper codes: 9 is A4, 1 is US Letter.
PAPER_CODES: Final = {Paper.A4: 9, Paper.LETTER: 1}
# Landscape widths in points, less the margins below: US Letter is the narrower.
_MARGIN_INCHES: Final = 0.4
_PRINTABLE_POINTS: Final = 11 * 72 - 2 * _MARGIN_INCHES * 72
_POINTS_PER_CHARACTER: Final = 7 * 0.75
_POINTS_PER_COLUMN: Final = 5 * 0.75

FONT: Final = "Calibri"
LINE_POINTS: Final = 14
"""The height of one line of 11-point text in a row."""

# Each column's width: short headings wrap onto two lines rather than widen a column.
_WIDTHS: Final = {
    "Step": 5,
    "First day": 16,
    "Last day": 16,
    "Dispense by": 16,
    "Days": 5,
    "Fill": 5,
    "Dose (mg)": 7,
    "Morning (mg)": 9,
    "Bedtime (mg)": 9,
    "Volume (mL)": 8,
    "Morning (mL)": 9,
    "Bedtime (mL)": 9,
    "Capsules": 12,
    "Morning capsules": 12,
    "Bedtime capsules": 12,
    "Item": 26,
    "Note": 12,
}
_QUANTITY_WIDTH: Final = 12
_TEXT_WIDTH: Final = 20
# The instructions take the width the other columns leave, within these bounds.
_INSTRUCTIONS_WIDTHS: Final = (26, 62)
WRAPPED: Final = frozenset(
    {"Instructions", "Note", "Capsules", "Morning capsules", "Bedtime capsules", "Item"}
)


def widths(headings: Sequence[str]) -> list[int]:
    """The width of each column, in characters; the instructions fill what is left."""
    fixed = [
        _WIDTHS.get(h, _QUANTITY_WIDTH if h.startswith("Quantity") else _TEXT_WIDTH)
        for h in headings
    ]
    if "Instructions" not in headings:
        return fixed
    index = headings.index("Instructions")
    others = sum(w for n, w in enumerate(fixed) if n != index)
    room = (_PRINTABLE_POINTS - _POINTS_PER_COLUMN * len(headings)) / _POINTS_PER_CHARACTER
    low, high = _INSTRUCTIONS_WIDTHS
    fixed[index] = int(max(low, min(high, room - others)))
    return fixed


def lines_needed(text: str, width: int) -> int:
    """How many lines a wrapped cell of ``width`` characters needs for ``text``.

    Words are kept whole, as the spreadsheet wraps them. The width is counted in digits; a
    letter of text is narrower on average, about a tenth (a cautious figure: a row too
    short would hide a line), and the indent takes one.
    """
    room = max(int((width - 1) * 1.15), 1)
    lines, used = 1, 0
    for word in text.split():
        size = len(word)
        if used and used + 1 + size > room:
            lines, used = lines + 1, 0
        used = size if not used else used + 1 + size
        while used > room:
            lines, used = lines + 1, used - room
    return lines


def print_setup(sheet: Worksheet, heading_row: int, paper: Paper) -> None:
    """Landscape on the paper given, one page wide, the heading row on every page.

    The table is laid out to fit US Letter at full size, so fitting to one page wide does not
    shrink it on either paper; the footer has room of its own below the last row.
    """
    from openpyxl.worksheet.properties import PageSetupProperties  # noqa: PLC0415

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_CODES[paper]
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as the steps need
    sheet.print_title_rows = f"{heading_row}:{heading_row}"
    sheet.page_margins.left = sheet.page_margins.right = _MARGIN_INCHES
    sheet.page_margins.top = 0.5
    sheet.page_margins.bottom = 0.8
    sheet.page_margins.header = 0.3
    sheet.page_margins.footer = 0.3
    footer = sheet.oddFooter
    if footer is not None and footer.center is not None:
        footer.center.text = "&A, page &P of &N"  # the sheet's name and the page
        footer.center.size = 11
