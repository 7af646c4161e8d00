"""The xlsx format: a workbook a pharmacist can print as it opens, written with openpyxl.

Two sheets: "Schedule" (a title, the plan's details and one row per step) and, with a
formulation, "Dispense" (quantities, totals and fills). Every value is a typed cell: days
are dates, counts and amounts numbers, free text a plain string, never a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from ldn_titrate.doses import (
    canonical,
    decimal_places,
    format_capsules,
    format_concentration,
    format_mg,
    format_ml,
    format_number,
)
from ldn_titrate.formats import DEFAULT_OPTIONS, Format, WriteOptions
from ldn_titrate.formats.xlsx_layout import (
    FONT,
    LINE_POINTS,
    WRAPPED,
    Paper,
    lines_needed,
    print_setup,
    widths,
)
from ldn_titrate.model import (
    Administration,
    Capsules,
    DoseTime,
    Liquid,
    Quantity,
    Schedule,
    Step,
)
from ldn_titrate.wording import TITLE, WORKBOOK, captions

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMAT: Final = Format.XLSX
SCHEDULE_SHEET: Final = "Schedule"
DISPENSE_SHEET: Final = "Dispense"
# Dates as people read them on a chart, with the weekday: 2026-12-07 Mon.
DATE_FORMAT: Final = "yyyy-mm-dd ddd"
Cell = str | Decimal | int | date | None
# A detail's key spans this many columns of the table below it (Step and First day).
_KEY_COLUMNS: Final = 2


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


def formulation_line(schedule: Schedule) -> str | None:
    """The formulation in words; a liquid states mg, mL and mg/mL together."""
    form = schedule.request.formulation
    if isinstance(form, Liquid):
        strength = form.concentration_mg_per_ml
        return (
            f"Naltrexone {format_concentration(strength)} oral liquid "
            f"({format_mg(strength)} in 1 mL), measured on an oral syringe marked every "
            f"{format_ml(form.graduation_ml)}"
        )
    if isinstance(form, Capsules):
        strengths = ", ".join(format_mg(s) for s in form.strengths_mg)
        return f"Naltrexone capsules of {strengths}, at most {form.max_units} capsules in one dose"
    return None


def _quantity_headings(schedule: Schedule) -> list[str]:
    """One column per liquid volume or per capsule strength, with the unit in the heading."""
    form = schedule.request.formulation
    if isinstance(form, Liquid):
        return ["Quantity (mL)"]
    if isinstance(form, Capsules):
        return [f"Quantity ({format_mg(s)} capsules)" for s in form.strengths_mg]
    return []


def _quantity_cells(schedule: Schedule, quantity: Quantity) -> list[Cell]:
    form = schedule.request.formulation
    if isinstance(form, Capsules):
        counts = dict(quantity.capsules)
        return [counts.get(s, 0) for s in form.strengths_mg]
    return [quantity.volume_ml]


def _split(schedule: Schedule) -> bool:
    return any(s.split for s in schedule.steps)


def _noted(schedule: Schedule) -> bool:
    return any(s.note is not None for s in schedule.steps)


def _step_headings(schedule: Schedule) -> list[str]:
    """Human headings with the unit in each; split steps add morning and bedtime columns."""
    split = _split(schedule)
    headings = ["Step", "First day", "Last day", "Days", "Dose (mg)"]
    if split:
        headings += ["Morning (mg)", "Bedtime (mg)"]
    form = schedule.request.formulation
    if isinstance(form, Liquid):
        headings += ["Volume (mL)", *(["Morning (mL)", "Bedtime (mL)"] if split else [])]
    elif isinstance(form, Capsules):
        headings += ["Capsules", *(["Morning capsules", "Bedtime capsules"] if split else [])]
    # The quantities are the Dispense sheet's: the step table stays narrow enough to print
    # at full size.
    headings.append("Instructions")
    return [*headings, "Note"] if _noted(schedule) else headings


def _by_time(step: Step) -> list[Administration | None]:
    """The morning and bedtime administrations of a split step; none for a once-daily step."""
    if not step.split:
        return [None, None]
    times = {a.time: a for a in step.administrations}
    return [times.get(DoseTime.MORNING), times.get(DoseTime.BEDTIME)]


def _step_row(schedule: Schedule, step: Step) -> list[Cell]:
    split = _split(schedule)
    parts = _by_time(step)
    row: list[Cell] = [step.number, step.first_day, step.last_day, step.days, step.dose_mg]
    if split:
        row += [None if a is None else a.dose_mg for a in parts]
    form = schedule.request.formulation
    if isinstance(form, Liquid):
        row.append(step.volume_ml)
        if split:
            row += [None if a is None else a.volume_ml for a in parts]
    elif isinstance(form, Capsules):
        row.append(format_capsules(step.capsules or ()))
        if split:
            row += [None if a is None else format_capsules(a.capsules or ()) for a in parts]
    row.append(step.instructions)
    return [*row, step.note] if _noted(schedule) else row


class _Sheet:
    """Rows appended one after another to a worksheet, each cell typed by its value."""

    def __init__(self, sheet: Worksheet) -> None:
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
        from openpyxl.styles import Font  # noqa: PLC0415

        self.line([text])
        self.sheet.cell(row=self.row, column=1).font = Font(name=FONT, bold=True, size=14)

    def details(self, schedule: Schedule, options: WriteOptions) -> None:
        """The label, prescriber, pharmacy, formulation and how-taken lines that are given.

        Each stands above the tables, a key and its text, so that no line below a table is
        ever read as one more row of it.
        """
        lines = (
            ("Label", schedule.request.label),
            ("Prescriber", options.prescriber),
            ("Pharmacy", options.pharmacy),
            ("Formulation", formulation_line(schedule)),
        )
        for key, text in lines:
            if text is not None:
                self.detail_rows.append((self.line([key, text]), text))
                self.put(1, key, bold=True)
        # The notes are whole sentences on lines of their own, as readers of tables know them.
        notes = captions(schedule, WORKBOOK)
        for note in notes:
            self.note_rows.append((self.line([note]), note))

    def fit_details(self) -> None:
        """Each detail's key spans the first two columns, its text the rest of the table.

        The text wraps there, never past the table's edge: text running past the last column
        would widen the printed area and shrink the print.
        """
        from openpyxl.styles import Alignment  # noqa: PLC0415

        last = max(self.widths, default=0)
        if last <= _KEY_COLUMNS:
            return
        span = sum(self.widths.get(n, 0) for n in range(_KEY_COLUMNS + 1, last + 1))
        for row, text in self.detail_rows:
            self.sheet.cell(row=row, column=2).value = None
            self.put_at(row, _KEY_COLUMNS + 1, text)
            cell = self.sheet.cell(row=row, column=_KEY_COLUMNS + 1)
            cell.alignment = Alignment(horizontal="left", vertical="top", indent=1, wrap_text=True)
            self.sheet.merge_cells(
                start_row=row, start_column=1, end_row=row, end_column=_KEY_COLUMNS
            )
            self.sheet.merge_cells(
                start_row=row, start_column=_KEY_COLUMNS + 1, end_row=row, end_column=last
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


def _schedule_sheet(sheet: Worksheet, schedule: Schedule, options: WriteOptions) -> None:
    out = _Sheet(sheet)
    out.title(TITLE)
    out.details(schedule, options)
    out.line([])
    rows = [_step_row(schedule, step) for step in schedule.steps]
    heading_row = out.table(_step_headings(schedule), rows)
    out.fit_details()
    print_setup(sheet, heading_row, Paper(options.paper or Paper.A4))


def _dispense_sheet(sheet: Worksheet, schedule: Schedule, options: WriteOptions) -> None:
    summary = schedule.dispense
    if summary is None:
        return
    out = _Sheet(sheet)
    out.title(f"{TITLE}: quantities to dispense")
    out.details(schedule, options)
    out.line([])
    quantities = _quantity_headings(schedule)
    rows: list[list[Cell]] = [
        [
            f"Step {s.step}" + (" (days assumed)" if s.assumed else ""),
            s.days,
            *_quantity_cells(schedule, s.quantity),
        ]
        for s in summary.per_step
    ]
    maintenance_days = summary.per_step[-1].days
    rows.append(
        [
            "Titration total",
            summary.days_supply - maintenance_days,
            *_quantity_cells(schedule, summary.titration_total),
        ]
    )
    rows.append(
        [
            "Maintenance total",
            maintenance_days,
            *_quantity_cells(schedule, summary.maintenance_total),
        ]
    )
    if summary.overage is not None and summary.overage_percent:
        rows.append(
            [
                f"Overage ({format_number(summary.overage_percent)}%)",
                None,
                *_quantity_cells(schedule, summary.overage),
            ]
        )
    rows.append(
        [
            "Grand total",
            summary.days_supply,
            *_quantity_cells(schedule, summary.grand_total),
        ]
    )
    heading_row = out.table(["Item", "Days", *quantities], rows)
    out.line([])
    out.line(["Fills"], bold=True)
    out.table(
        ["Fill", "First day", "Last day", "Dispense by", *quantities],
        [
            [
                f.number,
                f.first_day,
                f.last_day,
                f.dispense_by,
                *_quantity_cells(schedule, f.quantity),
            ]
            for f in summary.fills
        ],
    )
    out.fit_details()
    print_setup(sheet, heading_row, Paper(options.paper or Paper.A4))


def write(schedule: Schedule, options: WriteOptions = DEFAULT_OPTIONS) -> bytes:
    """The schedule as the bytes of an .xlsx workbook."""
    from openpyxl import Workbook  # noqa: PLC0415 - loaded only when a workbook is written

    book = Workbook()
    schedule_sheet = book.active
    if schedule_sheet is None:  # pragma: no cover - a new workbook always has a sheet
        schedule_sheet = book.create_sheet()
    schedule_sheet.title = SCHEDULE_SHEET
    _schedule_sheet(schedule_sheet, schedule, options)
    if schedule.dispense is not None:
        _dispense_sheet(book.create_sheet(DISPENSE_SHEET), schedule, options)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
