"""A workbook sheet written row by row: typed cells, boxed tables, details that wrap to the table.

Every value is a typed cell: days are dates, counts and amounts numbers, free text a plain
string, never a formula. openpyxl is imported only when a cell is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from ldn_titrate.doses import canonical, decimal_places, format_number
from ldn_titrate.formats.xlsx_layout import FONT, LINE_POINTS, WRAPPED, lines_needed, widths

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# Dates as people read them on a chart, with the weekday: 2026-12-07 Mon.
DATE_FORMAT: Final = "yyyy-mm-dd ddd"
Cell = str | Decimal | int | date | None
# A detail's key spans this many columns of the table below it (Step and First day).
KEY_COLUMNS: Final = 2


# Every amount shows exactly the digits its cell holds, as written or as corrected later: a
# pattern of fixed decimals would print a corrected 0.75 as 0.8, and ``0.###`` prints 3 as
# "3.". General shows 3, 0.5 and 0.75, never a trailing zero or point, as ISMP asks
# (https://www.ismp.org/recommendations/error-prone-abbreviations-list).
NUMBER_FORMAT: Final = "General"


def _exact(value: Decimal) -> int | float:
    """The number a cell holds; refused if a double cannot give back the same decimal."""
    value = canonical(value)
    # A workbook cell holds a double; the round trip below proves it gives the decimal back.
    number: int | float = int(value) if decimal_places(value) == 0 else float(value)  # float-ok
    if Decimal(str(number)) != value:
        raise ValueError(f"{value} cannot be stored exactly in a workbook")
    return number


class Sheet:
    """Rows appended one after another to a worksheet, each cell typed by its value."""

    def __init__(self, sheet: Worksheet) -> None:
        """A sheet with no row written yet."""
        self.sheet = sheet
        self.row = 0
        self.detail_rows: list[tuple[int, str]] = []
        self.note_rows: list[tuple[int, str]] = []
        self.widths: dict[int, int] = {}

    def put(self, column: int, value: Cell, *, bold: bool = False, boxed: bool = False) -> None:
        """Write one typed cell of the current row."""
        from openpyxl.styles import Alignment, Border, Font, Side  # noqa: PLC0415

        cell = self.sheet.cell(row=self.row, column=column)
        # Text and days start one character in, so that a number never touches the next cell.
        padded = Alignment(horizontal="left", vertical="top", indent=1)
        if isinstance(value, str):
            cell.value = value
            # A string that starts with = is a formula to openpyxl: say it is text.
            cell.data_type = "s"
            cell.alignment = padded
        elif isinstance(value, Decimal):
            cell.value = _exact(value)
            cell.number_format = NUMBER_FORMAT
            # openpyxl writes a number as "%.16g", which is not always the shortest decimal
            # (0.009 becomes 0.008999999999999999); the cell keeps the exact digits instead.
            setattr(cell, "_value", format_number(value))  # noqa: B010 - a private slot, no stub
            cell.alignment = Alignment(horizontal="right", vertical="top", indent=1)
        elif isinstance(value, int):
            cell.value = value
            cell.number_format = "0"
            cell.alignment = Alignment(horizontal="right", vertical="top", indent=1)
        elif isinstance(value, date):
            cell.value = value
            cell.number_format = DATE_FORMAT
            cell.alignment = padded
        if bold:
            cell.font = Font(name=FONT, bold=True)
        if boxed:
            thin = Side(style="thin")
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)

    def put_at(self, row: int, column: int, value: Cell) -> None:
        """Write one typed cell of an earlier row."""
        current, self.row = self.row, row
        self.put(column, value)
        self.row = current

    def line(self, cells: Sequence[Cell], *, bold: bool = False, boxed: bool = False) -> int:
        """Append a row of cells from column A; the row number."""
        self.row += 1
        for column, value in enumerate(cells, start=1):
            self.put(column, value, bold=bold, boxed=boxed)
        return self.row

    def title(self, text: str) -> None:
        """The sheet's title in large bold type, on a row of its own."""
        from openpyxl.styles import Font  # noqa: PLC0415

        self.line([text])
        self.sheet.cell(row=self.row, column=1).font = Font(name=FONT, bold=True, size=14)

    def details(self, lines: Sequence[tuple[str, str | None]], notes: Sequence[str]) -> None:
        """The details that are given, a key and its text each, then the notes.

        Each stands above the tables, so that no line below a table is ever read as one more
        row of it; the notes are whole sentences on lines of their own.
        """
        for key, text in lines:
            if text is not None:
                self.detail_rows.append((self.line([key, text]), text))
                self.put(1, key, bold=True)
        for note in notes:
            self.note_rows.append((self.line([note]), note))

    def fit_details(self) -> None:
        """Each detail's key spans the first two columns, its text the rest of the table.

        The text wraps there, never past the table's edge: text running past the last column
        would widen the printed area and shrink the print.
        """
        from openpyxl.styles import Alignment  # noqa: PLC0415

        last = max(self.widths, default=0)
        if last <= KEY_COLUMNS:
            return
        span = sum(self.widths.get(n, 0) for n in range(KEY_COLUMNS + 1, last + 1))
        for row, text in self.detail_rows:
            self.sheet.cell(row=row, column=2).value = None
            self.put_at(row, KEY_COLUMNS + 1, text)
            cell = self.sheet.cell(row=row, column=KEY_COLUMNS + 1)
            cell.alignment = Alignment(horizontal="left", vertical="top", indent=1, wrap_text=True)
            self.sheet.merge_cells(
                start_row=row, start_column=1, end_row=row, end_column=KEY_COLUMNS
            )
            self.sheet.merge_cells(
                start_row=row, start_column=KEY_COLUMNS + 1, end_row=row, end_column=last
            )
            lines = lines_needed(str(text), span - 1)
            if lines > 1:
                self.sheet.row_dimensions[row].height = LINE_POINTS * lines
        whole = sum(self.widths.values())
        for row, text in self.note_rows:
            cell = self.sheet.cell(row=row, column=1)
            cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
            self.sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
            lines = lines_needed(text, whole - 1)
            if lines > 1:
                self.sheet.row_dimensions[row].height = LINE_POINTS * lines

    def table(self, headings: Sequence[str], rows: Sequence[Sequence[Cell]]) -> int:
        """A boxed table with a bold heading row; the heading's row number.

        Columns get the widths that print at full size; long text wraps within its column,
        and each row is as tall as its longest wrapped cell (spreadsheets do not grow a row
        for wrapped text they open).
        """
        from openpyxl.styles import Alignment  # noqa: PLC0415
        from openpyxl.utils import get_column_letter  # noqa: PLC0415

        sizes = widths(headings)
        heading_row = self.line(headings, bold=True, boxed=True)
        for column in range(1, len(headings) + 1):
            # A heading uses its whole width: no indent, so that a short word never breaks.
            self.sheet.cell(row=heading_row, column=column).alignment = Alignment(
                horizontal="left", vertical="top"
            )
        self._wrap(range(1, len(headings) + 1), headings, sizes)
        wrapped = [n for n, h in enumerate(headings, start=1) if h in WRAPPED]
        for row in rows:
            self.line(row, boxed=True)
            self._wrap(wrapped, [row[n - 1] for n in wrapped], [sizes[n - 1] for n in wrapped])
        for column, size in enumerate(sizes, start=1):
            # Two tables of a sheet share their columns: each column is as wide as the wider.
            self.widths[column] = max(size, self.widths.get(column, 0))
            self.sheet.column_dimensions[get_column_letter(column)].width = self.widths[column]
        return heading_row

    def _wrap(self, columns: Sequence[int], values: Sequence[Cell], sizes: Sequence[int]) -> None:
        """Wrap these cells of the current row and make the row tall enough for them."""
        from openpyxl.styles import Alignment  # noqa: PLC0415

        lines = 1
        for column, value, size in zip(columns, values, sizes, strict=True):
            cell = self.sheet.cell(row=self.row, column=column)
            old = cell.alignment
            cell.alignment = Alignment(
                horizontal=old.horizontal, vertical="top", indent=old.indent, wrap_text=True
            )
            if isinstance(value, str):
                lines = max(lines, lines_needed(value, size - 1))
        if lines > 1:
            self.sheet.row_dimensions[self.row].height = LINE_POINTS * lines
