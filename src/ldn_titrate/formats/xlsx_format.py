"""The xlsx format: a workbook a pharmacist can print as it opens, written with openpyxl.

Two sheets: "Schedule" (a title, the plan's details and one row per step) and, with a
formulation, "Dispense" (quantities, totals and fills). Every value is a typed cell: days
are dates, counts and amounts numbers, free text a plain string, never a formula.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from ldn_titrate.doses import (
    format_capsules,
    format_concentration,
    format_mg,
    format_ml,
)
from ldn_titrate.formats import DEFAULT_OPTIONS, Format, WriteOptions
from ldn_titrate.formats.xlsx_layout import (
    Paper,
    print_setup,
)
from ldn_titrate.formats.xlsx_sheet import Cell, Sheet
from ldn_titrate.model import (
    Administration,
    Capsules,
    DoseTime,
    Liquid,
    Quantity,
    Schedule,
    Step,
)
from ldn_titrate.wording import TITLE, WORKBOOK, captions, columns_of, supply_rows

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMAT: Final = Format.XLSX
SCHEDULE_SHEET: Final = "Schedule"
DISPENSE_SHEET: Final = "Dispense"


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


def _at(time: DoseTime, value: Callable[[Administration], Cell]) -> Callable[[Step], Cell]:
    """The cell of a split step's dose at ``time``; empty for a once-daily step."""

    def cell(step: Step) -> Cell:
        taken = {a.time: a for a in step.administrations} if step.split else {}
        return None if time not in taken else value(taken[time])

    return cell


def _capsules(administration: Administration) -> str:
    return format_capsules(administration.capsules or ())


# The Schedule sheet's step columns: human headings with the unit in each, shown by the rule
# of the step column of the same key (``wording.STEP_COLUMNS``). The quantities are the
# Dispense sheet's: the step table stays narrow enough to print at full size.
_STEP_CELLS: Final[tuple[tuple[str, str, Callable[[Step], Cell]], ...]] = (
    ("step", "Step", lambda step: step.number),
    ("start_date", "First day", lambda step: step.first_day),
    ("end_date", "Last day", lambda step: step.last_day),
    ("days", "Days", lambda step: step.days),
    ("dose_mg", "Dose (mg)", lambda step: step.dose_mg),
    ("morning_mg", "Morning (mg)", _at(DoseTime.MORNING, lambda a: a.dose_mg)),
    ("bedtime_mg", "Bedtime (mg)", _at(DoseTime.BEDTIME, lambda a: a.dose_mg)),
    ("volume_ml", "Volume (mL)", lambda step: step.volume_ml),
    ("morning_ml", "Morning (mL)", _at(DoseTime.MORNING, lambda a: a.volume_ml)),
    ("bedtime_ml", "Bedtime (mL)", _at(DoseTime.BEDTIME, lambda a: a.volume_ml)),
    ("capsules", "Capsules", lambda step: format_capsules(step.capsules or ())),
    ("morning_capsules", "Morning capsules", _at(DoseTime.MORNING, _capsules)),
    ("bedtime_capsules", "Bedtime capsules", _at(DoseTime.BEDTIME, _capsules)),
    ("instructions", "Instructions", lambda step: step.instructions),
    ("note", "Note", lambda step: step.note),
)


def _step_cells(schedule: Schedule) -> list[tuple[str, Callable[[Step], Cell]]]:
    """The heading and the cell of each step column the schedule shows."""
    shown = {c.key for c in columns_of(schedule)}
    return [(heading, cell) for key, heading, cell in _STEP_CELLS if key in shown]


def _details(
    schedule: Schedule, options: WriteOptions
) -> tuple[tuple[tuple[str, str | None], ...], list[str]]:
    """The label, prescriber, pharmacy and formulation lines, and the notes of the plan."""
    lines = (
        ("Label", schedule.request.label),
        ("Prescriber", options.prescriber),
        ("Pharmacy", options.pharmacy),
        ("Formulation", formulation_line(schedule)),
    )
    return lines, captions(schedule, WORKBOOK)


def _schedule_sheet(sheet: Worksheet, schedule: Schedule, options: WriteOptions) -> None:
    out = Sheet(sheet)
    out.title(TITLE)
    out.details(*_details(schedule, options))
    out.line([])
    columns = _step_cells(schedule)
    rows = [[cell(step) for _, cell in columns] for step in schedule.steps]
    heading_row = out.table([heading for heading, _ in columns], rows)
    out.fit_details()
    print_setup(sheet, heading_row, Paper(options.paper or Paper.A4))


def _dispense_sheet(sheet: Worksheet, schedule: Schedule, options: WriteOptions) -> None:
    summary = schedule.dispense
    if summary is None:
        return
    out = Sheet(sheet)
    out.title(f"{TITLE}: quantities to dispense")
    out.details(*_details(schedule, options))
    out.line([])
    quantities = _quantity_headings(schedule)
    rows: list[list[Cell]] = [
        [
            row.item + (" (days assumed)" if row.assumed else ""),
            row.days,
            *_quantity_cells(schedule, row.quantity),
        ]
        for row in supply_rows(summary)
    ]
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
