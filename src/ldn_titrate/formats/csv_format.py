"""The CSV format: RFC 4180 through the csv module, one row per step."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Final

from ldn_titrate.dates import NotADayError, iso_day
from ldn_titrate.doses import Form, format_capsules, format_number, parse_capsules, parse_number
from ldn_titrate.errors import InputError, PlanFormatError, shown
from ldn_titrate.formats import DEFAULT_OPTIONS, Format, WriteOptions
from ldn_titrate.limits import DEFAULT_GRADUATION_ML
from ldn_titrate.model import Administration, DoseTime, Liquid, Schedule, Step
from ldn_titrate.spreadsheet import FORMULA_TRIGGERS, ascii_text, neutralise, restore
from ldn_titrate.wording import columns_of, format_quantity, step_columns

COLUMNS: Final = tuple(c.key for c in step_columns(None))
# A formulation adds its columns before the instructions.
LIQUID_COLUMNS: Final = tuple(c.key for c in step_columns(Form.LIQUID))
CAPSULE_COLUMNS: Final = tuple(c.key for c in step_columns(Form.CAPSULE))
# The syringe's smallest mark, after the volume, when it is not the 0.1 mL a reader assumes.
GRADUATION: Final = "graduation_ml"


def _graduated(columns: tuple[str, ...]) -> tuple[str, ...]:
    at = columns.index("volume_ml") + 1
    return (*columns[:at], GRADUATION, *columns[at:])


def graduation_of(schedule: Schedule) -> str | None:
    """The syringe mark a liquid plan's CSV records, or None when it is the usual 0.1 mL."""
    form = schedule.request.formulation
    if isinstance(form, Liquid) and form.graduation_ml != DEFAULT_GRADUATION_ML:
        return format_number(form.graduation_ml)
    return None


def columns_for(schedule: Schedule) -> tuple[str, ...]:
    """The header of a schedule's CSV: its formulation, any split step, any note."""
    columns = tuple(c.key for c in columns_of(schedule))
    return columns if graduation_of(schedule) is None else _graduated(columns)


def _time_cells(step: Step, time: DoseTime) -> dict[str, str]:
    """The morning and bedtime cells of a step: its dose at each time it is taken."""
    cells = {f"{t}_{u}": "" for t in DoseTime for u in ("mg", "ml", "capsules")}
    for a in step.doses_of_day(time):
        cells[f"{a.time}_mg"] = format_number(a.dose_mg)
        cells[f"{a.time}_ml"] = "" if a.volume_ml is None else format_number(a.volume_ml)
        cells[f"{a.time}_capsules"] = (
            "" if a.capsules is None else ascii_text(format_capsules(a.capsules))
        )
    return cells


def row_of(step: Step, label: str | None) -> dict[str, str]:
    """One step as CSV cells (without the quantity, which comes from the dispensing summary).

    The text the tool writes is ASCII (``2 x 1.5 mg``), so that a CSV opened with the wrong
    encoding never garbles a dose; the label is the user's own text, kept as given.
    """
    return {
        "step": str(step.number),
        "start_date": step.first_day.isoformat(),
        "end_date": "" if step.last_day is None else step.last_day.isoformat(),
        "days": "" if step.days is None else str(step.days),
        "dose_mg": format_number(step.dose_mg),
        "volume_ml": "" if step.volume_ml is None else format_number(step.volume_ml),
        "capsules": "" if step.capsules is None else ascii_text(format_capsules(step.capsules)),
        "instructions": neutralise(ascii_text(step.instructions)),
        "label": neutralise(label or ""),
        "note": neutralise(ascii_text(step.note or "")),
    }


def write(schedule: Schedule, options: WriteOptions = DEFAULT_OPTIONS) -> str:  # noqa: ARG001 - no CSV option yet
    """The schedule as CSV text with a header row."""
    out = io.StringIO()
    columns = columns_for(schedule)
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    supplies = schedule.dispense.per_step if schedule.dispense else ()
    quantities = {s.step: ascii_text(format_quantity(s.quantity)) for s in supplies}
    graduation = graduation_of(schedule) or ""
    for step in schedule.steps:
        row = row_of(step, schedule.request.label) | _time_cells(step, schedule.request.time)
        row["quantity"] = quantities.get(step.number, "")
        row[GRADUATION] = graduation
        writer.writerow(row)
    return out.getvalue()


FORMAT: Final = Format.CSV
dumps: Final = write


def _day(text: str, source: str, line: int, column: str) -> date:
    try:
        return iso_day(text)
    except NotADayError as exc:
        raise PlanFormatError(source, f"{column} {shown(text)} is {exc.reason}", line) from None


def _whole(text: str, source: str, line: int, column: str) -> int:
    if re.fullmatch(r"[0-9]{1,6}", text) is None:
        raise PlanFormatError(source, f"{column} {shown(text)} is not a whole number", line)
    return int(text)


def _administrations(row: dict[str, str]) -> tuple[Administration, ...]:
    """The doses of a split day from its morning and bedtime cells; () for one dose a day."""
    if not all(row.get(f"{t}_mg") for t in DoseTime):
        return ()
    return tuple(
        Administration(
            time,
            parse_number(row[f"{time}_mg"], f"{time}_mg"),
            parse_number(row[f"{time}_ml"], f"{time}_ml") if row.get(f"{time}_ml") else None,
            parse_capsules(row[f"{time}_capsules"], f"{time}_capsules")
            if row.get(f"{time}_capsules")
            else None,
        )
        for time in (DoseTime.MORNING, DoseTime.BEDTIME)
    )


def loads(text: str, source: str) -> tuple[Step, ...]:
    """Read the steps of a CSV written by ``dumps``; the header must match exactly."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise PlanFormatError(source, f"not valid CSV: {exc}", reader.line_num) from None
    headers = {
        tuple(c.key for c in step_columns(form, split=split, noted=noted))
        for form in (None, Form.LIQUID, Form.CAPSULE)
        for split in (False, True)
        for noted in (False, True)
    }
    headers |= {_graduated(h) for h in headers if "volume_ml" in h}
    if not rows or tuple(rows[0]) not in headers:
        raise PlanFormatError(source, f"the header must be {','.join(COLUMNS)}", 1)
    columns = tuple(rows[0])
    steps: list[Step] = []
    for line, cells in enumerate(rows[1:], start=2):
        if len(cells) != len(columns):
            raise PlanFormatError(
                source, f"expected {len(columns)} cells, found {len(cells)}", line
            )
        row = dict(zip(columns, cells, strict=True))
        try:
            dose = parse_number(row["dose_mg"], "dose_mg")
            volume = parse_number(row["volume_ml"], "volume_ml") if "volume_ml" in row else None
            capsules = parse_capsules(row["capsules"], "capsules") if "capsules" in row else None
            taken = _administrations(row)
        except InputError as exc:
            raise PlanFormatError(source, str(exc), line) from None
        number = _whole(row["step"], source, line, "step")
        if number < 1:
            raise PlanFormatError(source, "steps are numbered from 1", line)
        steps.append(
            Step(
                number=number,
                first_day=_day(row["start_date"], source, line, "start_date"),
                last_day=_day(row["end_date"], source, line, "end_date")
                if row["end_date"]
                else None,
                days=_whole(row["days"], source, line, "days") if row["days"] else None,
                dose_mg=dose,
                instructions=restore(row["instructions"]),
                volume_ml=volume,
                capsules=capsules,
                administrations=taken,
                note=restore(row["note"]) or None if "note" in row else None,
            )
        )
    return tuple(steps)


# The formula guard is the spreadsheet module's; it stays importable from the CSV writer.
__all__ = [
    "CAPSULE_COLUMNS",
    "COLUMNS",
    "FORMAT",
    "FORMULA_TRIGGERS",
    "GRADUATION",
    "LIQUID_COLUMNS",
    "columns_for",
    "dumps",
    "graduation_of",
    "loads",
    "neutralise",
    "restore",
    "row_of",
    "write",
]
