"""Fixes certain enough to offer as a suggestion: a corrected MedicationRequest.

Only one kind is certain: a step whose end date is the day the next step starts (an overlap of
exactly one day, two doses that day) ends the day before instead. A dose that looks like
micrograms written as mg is not certain (it may be a typing slip of another kind), nor is any
other overlap or gap: the prescriber decides those.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from ldn_titrate.check import CheckOptions, check_plan
from ldn_titrate.check.findings import Code
from ldn_titrate.errors import PlanFormatError
from ldn_titrate.received.fhir_reader import read_fhir
from ldn_titrate.service.hook_request import Resource


def _day(value: object) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _steps(order: Resource) -> list[list[dict[str, object]]]:
    """The order's dosages by step, in the order of their sequence numbers."""
    by_sequence: dict[int, list[dict[str, object]]] = {}
    dosages = order.get("dosageInstruction")
    for dosage in dosages if isinstance(dosages, list) else ():
        sequence = dosage.get("sequence") if isinstance(dosage, dict) else None
        if isinstance(sequence, int) and not isinstance(sequence, bool):
            by_sequence.setdefault(sequence, []).append(dosage)
    return [by_sequence[number] for number in sorted(by_sequence)]


def _bounds(dosages: list[dict[str, object]], end: str) -> date | None:
    """The one start or end day all the dosages of a step give, or None."""
    days = set()
    for dosage in dosages:
        timing = dosage.get("timing")
        repeat = timing.get("repeat") if isinstance(timing, dict) else None
        period = repeat.get("boundsPeriod") if isinstance(repeat, dict) else None
        days.add(_day(period.get(end)) if isinstance(period, dict) else None)
    return days.pop() if len(days) == 1 else None


def _plain_numbers(value: object) -> bool:
    """Whether every decimal in the order is written back as the same JSON number."""
    if isinstance(value, Decimal):
        # JSON writes a float; a suggestion is made only when it reads back exact.
        return value.is_finite() and Decimal(repr(float(value))) == value  # float-ok: JSON
    if isinstance(value, dict):
        return all(_plain_numbers(item) for item in value.values())
    if isinstance(value, list):
        return all(_plain_numbers(item) for item in value)
    return True


def one_day_overlap_fix(
    order: Resource, overlap_steps: Sequence[int | None]
) -> tuple[dict[str, object], str] | None:
    """The order with each one-day overlap ended a day earlier, and what was changed.

    None unless every overlap found (``overlap_steps``: the later step of each, from 1) is of
    exactly one day, and the corrected order checks without any overlap or gap.
    """
    if not overlap_steps or any(step is None or step < 2 for step in overlap_steps):
        return None
    fixed = copy.deepcopy(dict(order))
    steps = _steps(fixed)
    said = []
    for later in sorted({step for step in overlap_steps if step is not None}):
        if later > len(steps):
            return None
        before, after = steps[later - 2], steps[later - 1]
        first, end, start = (
            _bounds(before, "start"),
            _bounds(before, "end"),
            _bounds(after, "start"),
        )
        if first is None or end is None or start is None or end != start or first >= end:
            return None
        new_end = (start - timedelta(days=1)).isoformat()
        for dosage in before:
            dosage["timing"]["repeat"]["boundsPeriod"]["end"] = new_end  # type: ignore[index]
        said.append(f"end step {later - 1} on {new_end}, the day before step {later} starts")
    try:
        findings = check_plan(read_fhir(fixed, "the order"), CheckOptions())
    except PlanFormatError:
        return None
    if any(f.code in {Code.OVERLAP, Code.GAP} for f in findings) or not _plain_numbers(fixed):
        return None
    description = "; ".join(said)
    return fixed, description[:1].upper() + description[1:]
