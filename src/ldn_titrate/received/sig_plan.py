"""Directions read (a ``Sig``) as a received plan, dated from day 1, for the checks.

Each step is a row; a pause leaves its days without a row and notes the restart as a pause,
as ``replan`` does, so the check reads it as a pause rather than a gap.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.doses import format_number
from ldn_titrate.received.model import DoseUnit, Form, Formulation, ReceivedPlan, ReceivedRow
from ldn_titrate.received.sig import Sig, SigStep
from ldn_titrate.received.sig_amounts import Resolved

# A dose written in micrograms is handed to the checks in micrograms, as a mcg column is.
_MCG = Decimal(1000)


def _after(first: date, every: Interval) -> date:
    """The day after a step of ``every`` that starts on ``first``."""
    if every.unit is IntervalUnit.MONTHS:
        from dateutil.relativedelta import relativedelta  # noqa: PLC0415 - months only

        return first + relativedelta(months=every.count)
    days = every.fixed_days
    assert days is not None  # noqa: S101 - fixed for days and weeks
    return first + timedelta(days=days)


def _cells(number: int, step: SigStep) -> tuple[tuple[str, str, str, str], ...]:
    """A split step's doses of the day, as the check reads split cells."""
    where = f"directions, step {number}"
    cells: list[tuple[str, str, str, str]] = []
    parts: tuple[tuple[str, Resolved | None], ...] = (
        ("morning", step.morning),
        ("bedtime", step.bedtime),
    )
    for time, part in parts:
        if part is None:
            continue
        cells.append((time, "mg", where, format_number(part.mg)))
        if part.ml is not None:
            cells.append((time, "ml", where, format_number(part.ml)))
        if part.capsules is not None:
            text = " + ".join(f"{n} x {format_number(s)} mg" for s, n in part.capsules)
            cells.append((time, "capsules", where, text))
    return tuple(cells)


def sig_plan(sig: Sig, text: str, first_day: date, source: str) -> ReceivedPlan:
    """The directions as dated rows from ``first_day``, with their text for the text checks."""
    rows: list[ReceivedRow] = []
    day = first_day
    pause: int | None = None
    for step in sig.steps:
        if step.dose_mg is None:
            assert step.every is not None  # noqa: S101 - a pause always has its length
            after = _after(day, step.every)
            pause = (after - day).days
            day = after
            continue
        last = None if step.every is None else _after(day, step.every) - timedelta(days=1)
        rows.append(
            ReceivedRow(
                position=len(rows) + 1,
                line=None,
                number=len(rows) + 1,
                first_day=day,
                last_day=last,
                days=None if last is None else (last - day).days + 1,
                dose=step.dose_mg * _MCG if step.mcg else step.dose_mg,
                dose_unit=DoseUnit.MCG if step.mcg else DoseUnit.MG,
                dose_text=format_number(step.dose_mg * _MCG if step.mcg else step.dose_mg),
                dose_column="directions",
                volume_ml=step.volume_ml,
                capsules=step.capsules,
                split_cells=_cells(len(rows) + 1, step) if step.split else (),
                note="" if pause is None else f"restart after a pause of {pause} days",
            )
        )
        pause = None
        if last is not None:
            day = last + timedelta(days=1)
    columns = {"step", "first_day", "last_day", "days", "dose_mg"}
    if any(r.volume_ml is not None for r in rows):
        columns.add("volume")
    if any(r.capsules is not None for r in rows):
        columns.add("capsules")
    if any(r.note for r in rows):
        columns.add("note")
    formulation = None
    if sig.concentration_mg_per_ml is not None:
        formulation = Formulation(Form.LIQUID, concentration_mg_per_ml=sig.concentration_mg_per_ml)
    elif sig.capsule_strengths:
        formulation = Formulation(Form.CAPSULE, strengths_mg=sig.capsule_strengths)
    return ReceivedPlan(
        source=source,
        rows=tuple(rows),
        columns=frozenset(columns),
        formulation=formulation,
        texts=((None, "directions", text),),
    )
