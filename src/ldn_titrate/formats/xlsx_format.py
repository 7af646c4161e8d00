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
from ldn_titrate.model import (
    Administration,
    Capsules,
    DoseTime,
    Liquid,
    Quantity,
    Schedule,
    Step,
)
from ldn_titrate.wording import TITLE, assumed_supply_caption, how_taken

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMAT: Final = Format.XLSX
SCHEDULE_SHEET: Final = "Schedule"
DISPENSE_SHEET: Final = "Dispense"
# Dates as people read them on a chart, with the weekday: 2026-12-07 Mon.
DATE_FORMAT: Final = "yyyy-mm-dd ddd"
# Column widths in characters of the default font; the instructions wrap within theirs.
_WIDTHS: Final = {
    "Step": 12,
    "First day": 16,
    "Last day": 16,
    "Dispense by": 16,
    "Days": 7,
    "Fill": 7,
    "Instructions": 62,
    "Item": 30,
    "Note": 30,
}
# Instructions wrap at about this many characters, a line of 11-point text being 15 points.
_CHARS_PER_LINE: Final = 60
_LINE_POINTS: Final = 15
_FONT: Final = "Calibri"
_NUMBER_WIDTH: Final = 13
_TEXT_WIDTH: Final = 26

Cell = str | Decimal | int | date | None


def number_format(value: Decimal) -> str:
    """The display of one number with exactly its own decimals: ``0`` for 3, ``0.00`` for 1.25.

    A pattern such as ``0.###`` would print ``3.`` for 3; ISMP wants ``3`` and ``0.5``
    (https://www.ismp.org/recommendations/error-prone-abbreviations-list).
    """
    places = decimal_places(value)
    return "0" if places == 0 else "0." + "0" * places


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
    headings += [*_quantity_headings(schedule), "Instructions"]
    return [*headings, "Note"] if _noted(schedule) else headings


def _by_time(step: Step) -> list[Administration | None]:
    """The morning and bedtime administrations of a split step; none for a once-daily step."""
    if not step.split:
        return [None, None]
    times = {a.time: a for a in step.administrations}
    return [times.get(DoseTime.MORNING), times.get(DoseTime.BEDTIME)]


def _step_row(schedule: Schedule, step: Step, quantity: Quantity | None) -> list[Cell]:
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
    if form is not None:
        row += (
            _quantity_cells(schedule, quantity)
            if quantity is not None
            else [None] * len(_quantity_headings(schedule))
        )
    row.append(step.instructions)
    return [*row, step.note] if _noted(schedule) else row


class _Sheet:
    """Rows appended one after another to a worksheet, each cell typed by its value."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.row = 0

    def put(self, column: int, value: Cell, *, bold: bool = False, boxed: bool = False) -> None:
        """Write one typed cell of the current row."""
        from openpyxl.styles import Alignment, Border, Font, Side  # noqa: PLC0415

        cell = self.sheet.cell(row=self.row, column=column)
        if isinstance(value, str):
            cell.value = value
            # A string that starts with = is a formula to openpyxl: say it is text.
            cell.data_type = "s"
            cell.alignment = Alignment(vertical="top")
        elif isinstance(value, Decimal):
            cell.value = _exact(value)
            cell.number_format = number_format(value)
            # openpyxl writes a number as "%.16g", which is not always the shortest decimal
            # (0.009 becomes 0.008999999999999999); the cell keeps the exact digits instead.
            setattr(cell, "_value", format_number(value))  # noqa: B010 - a private slot, no stub
            cell.alignment = Alignment(vertical="top")
        elif isinstance(value, int):
            cell.value = value
            cell.number_format = "0"
            cell.alignment = Alignment(vertical="top")
        elif isinstance(value, date):
            cell.value = value
            cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(horizontal="left", vertical="top")
        if bold:
            cell.font = Font(name=_FONT, bold=True)
        if boxed:
            thin = Side(style="thin")
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)

    def line(self, cells: Sequence[Cell], *, bold: bool = False, boxed: bool = False) -> int:
        """Append a row of cells from column A; the row number."""
        self.row += 1
        for column, value in enumerate(cells, start=1):
            self.put(column, value, bold=bold, boxed=boxed)
        return self.row

    def title(self, text: str) -> None:
        from openpyxl.styles import Font  # noqa: PLC0415

        self.line([text])
        self.sheet.cell(row=self.row, column=1).font = Font(name=_FONT, bold=True, size=14)

    def details(self, schedule: Schedule, options: WriteOptions) -> None:
        """The label, prescriber, pharmacy and formulation lines that are given."""
        lines = (
            ("Label", schedule.request.label),
            ("Prescriber", options.prescriber),
            ("Pharmacy", options.pharmacy),
            ("Formulation", formulation_line(schedule)),
        )
        for key, text in lines:
            if text is not None:
                self.line([key, text])
                self.put(1, key, bold=True)

    def table(self, headings: Sequence[str], rows: Sequence[Sequence[Cell]]) -> int:
        """A boxed table with a bold heading row; the heading's row number."""
        from openpyxl.styles import Alignment  # noqa: PLC0415
        from openpyxl.utils import get_column_letter  # noqa: PLC0415

        heading_row = self.line(headings, bold=True, boxed=True)
        for column, heading in enumerate(headings, start=1):
            self.sheet.cell(row=self.row, column=column).alignment = Alignment(
                wrap_text=True, vertical="top"
            )
            if len(heading) > _WIDTHS.get(heading, _NUMBER_WIDTH):
                self.sheet.row_dimensions[self.row].height = 2 * _LINE_POINTS
        wrapped = [n for n, h in enumerate(headings, start=1) if h == "Instructions"]
        for row in rows:
            self.line(row, boxed=True)
            for column in wrapped:
                cell = self.sheet.cell(row=self.row, column=column)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                # Spreadsheets do not grow a row for wrapped text they open: say its height.
                lines = -(-len(str(cell.value or "")) // _CHARS_PER_LINE)
                self.sheet.row_dimensions[self.row].height = _LINE_POINTS * max(lines, 1)
        for column, heading in enumerate(headings, start=1):
            letter = get_column_letter(column)
            wanted = _WIDTHS.get(heading, _NUMBER_WIDTH if "(" in heading else _TEXT_WIDTH)
            current = self.sheet.column_dimensions[letter].width or 0
            self.sheet.column_dimensions[letter].width = max(wanted, current)
        return heading_row


def _print_setup(sheet: Worksheet, heading_row: int) -> None:
    """Landscape, one page wide, the heading row on every page.

    No paper size is set, so each machine prints on its own (A4 or US Letter); fitting to one
    page wide scales the columns to the narrower of the two.
    """
    sheet.page_setup.orientation = "landscape"
    from openpyxl.worksheet.properties import PageSetupProperties  # noqa: PLC0415

    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as the steps need
    sheet.print_title_rows = f"{heading_row}:{heading_row}"
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    footer = sheet.oddFooter
    if footer is not None and footer.center is not None:
        footer.center.text = "&A, page &P"  # the sheet's name and the page


def _schedule_sheet(sheet: Worksheet, schedule: Schedule, options: WriteOptions) -> None:
    out = _Sheet(sheet)
    out.title(TITLE)
    out.details(schedule, options)
    out.line([])
    supplies = schedule.dispense.per_step if schedule.dispense else ()
    quantities = {s.step: s.quantity for s in supplies}
    rows = [_step_row(schedule, step, quantities.get(step.number)) for step in schedule.steps]
    heading_row = out.table(_step_headings(schedule), rows)
    notes = [] if _split(schedule) else [f"Every dose is taken {how_taken(schedule.request.time)}."]
    if schedule.dispense and schedule.dispense.assumed_maintenance_days is not None:
        notes.append(assumed_supply_caption(schedule.dispense.assumed_maintenance_days))
    for note in notes:
        out.line([note])
    _print_setup(sheet, heading_row)


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
    if summary.assumed_maintenance_days is not None:
        out.line([assumed_supply_caption(summary.assumed_maintenance_days)])
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
    _print_setup(sheet, heading_row)


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
