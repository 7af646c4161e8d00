"""The CSV format: RFC 4180 through the csv module, one row per step."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Final

from ldn_titrate.doses import format_number, parse_number
from ldn_titrate.errors import InputError, PlanFormatError
from ldn_titrate.model import Schedule, Step

COLUMNS: Final = ("step", "start_date", "end_date", "days", "dose_mg", "instructions", "label")
TEXT_COLUMNS: Final = frozenset({"instructions", "label"})
# Cells a spreadsheet would run as a formula (OWASP CSV injection; ASVS 1.2.10 adds NUL).
FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def neutralise(text: str) -> str:
    """Prefix a ``'`` to a text cell that a spreadsheet would read as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def restore(text: str) -> str:
    """Undo ``neutralise``: drop one leading ``'`` that guards a formula trigger."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def row_of(step: Step, label: str | None) -> dict[str, str]:
    """One step as CSV cells."""
    return {
        "step": str(step.number),
        "start_date": step.first_day.isoformat(),
        "end_date": "" if step.last_day is None else step.last_day.isoformat(),
        "days": "" if step.days is None else str(step.days),
        "dose_mg": format_number(step.dose_mg),
        "instructions": neutralise(step.instructions),
        "label": neutralise(label or ""),
    }


def dumps(schedule: Schedule) -> str:
    """The schedule as CSV text with a header row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for step in schedule.steps:
        writer.writerow(row_of(step, schedule.request.label))
    return out.getvalue()


def _day(text: str, source: str, line: int, column: str) -> date:
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) is None:
        raise PlanFormatError(source, f"{column} {text!r} is not a YYYY-MM-DD day", line)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PlanFormatError(
            source, f"{column} {text!r} is not a day in the calendar", line
        ) from None


def _whole(text: str, source: str, line: int, column: str) -> int:
    if re.fullmatch(r"[0-9]+", text) is None:
        raise PlanFormatError(source, f"{column} {text!r} is not a whole number", line)
    return int(text)


def loads(text: str, source: str) -> tuple[Step, ...]:
    """Read the steps of a CSV written by ``dumps``; the header must match exactly."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise PlanFormatError(source, f"not valid CSV: {exc}") from None
    if not rows or tuple(rows[0]) != COLUMNS:
        raise PlanFormatError(source, f"the header must be {','.join(COLUMNS)}", 1)
    steps: list[Step] = []
    for line, cells in enumerate(rows[1:], start=2):
        if len(cells) != len(COLUMNS):
            raise PlanFormatError(
                source, f"expected {len(COLUMNS)} cells, found {len(cells)}", line
            )
        row = dict(zip(COLUMNS, cells, strict=True))
        try:
            dose = parse_number(row["dose_mg"], "dose_mg")
        except InputError as exc:
            raise PlanFormatError(source, str(exc), line) from None
        steps.append(
            Step(
                number=_whole(row["step"], source, line, "step"),
                first_day=_day(row["start_date"], source, line, "start_date"),
                last_day=_day(row["end_date"], source, line, "end_date")
                if row["end_date"]
                else None,
                days=_whole(row["days"], source, line, "days") if row["days"] else None,
                dose_mg=dose,
                instructions=restore(row["instructions"]),
            )
        )
    return tuple(steps)
