"""Properties of every schedule built from a valid request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.doses import decimal_places, format_number
from ldn_titrate.formats import READERS, WRITERS, Format
from ldn_titrate.limits import MAX_STEPS, START_MAX_MG, START_MIN_MG, TARGET_MAX_MG
from ldn_titrate.model import Schedule, Step, TitrationRequest
from ldn_titrate.request import Raw, build_request
from ldn_titrate.rules import build_schedule

TODAY = date(2026, 12, 7)


@dataclass(frozen=True)
class Case:
    """A valid request as typed, with the numbers it stands for (doses in thousandths of mg)."""

    values: dict[str, Raw]
    start: int
    target: int
    step: int | None
    every: Interval | None
    first_day: date
    maintenance_days: int | None


def milligrams(thousandths: int) -> Decimal:
    return Decimal(thousandths).scaleb(-3)


def dose_text(thousandths: int, unit: str) -> str:
    if unit == "mcg":
        return f"{thousandths} mcg"
    return format_number(milligrams(thousandths)) + unit


intervals = st.one_of(
    st.integers(1, 182).map(lambda n: Interval(n, IntervalUnit.DAYS)),
    st.integers(1, 26).map(lambda n: Interval(n, IntervalUnit.WEEKS)),
    st.integers(1, 5).map(lambda n: Interval(n, IntervalUnit.MONTHS)),
)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    start = draw(st.integers(100, 4500))
    target = draw(st.integers(500, 4500))
    distance = abs(target - start)
    step: int | None
    if distance == 0:
        step = draw(st.none() | st.integers(1, 4500))
    else:
        # At most MAX_STEPS steps: ceil(distance / step) + 1 <= MAX_STEPS.
        smallest = -(-distance // (MAX_STEPS - 1))
        step = draw(st.integers(smallest, 4500) | st.integers(smallest, smallest + 50))
    every = draw(intervals) if step is not None else draw(st.none() | intervals)
    first_day = draw(st.dates(date(2020, 1, 1), date(2040, 12, 31)))
    maintenance_days = draw(st.none() | st.integers(1, 3660))
    unit = draw(st.sampled_from(["", "mg", " mg"]))
    values: dict[str, Raw] = {
        "start": dose_text(start, unit),
        "target": dose_text(target, unit),
        "from": first_day.isoformat(),
        "time": draw(st.sampled_from(["bedtime", "morning"])),
    }
    if step is not None:
        # A step under 0.1 mg may not be written in mcg if its digits look like a mg dose.
        step_unit = draw(st.sampled_from(["", "mg", "mcg"] if step >= 100 else ["", "mg"]))
        values["step"] = dose_text(step, step_unit)
    if every is not None:
        values["every"] = str(every)
    if maintenance_days is not None:
        values["maintenance_days"] = str(maintenance_days)
    label = draw(st.none() | st.sampled_from(["AB", "=SUM(A1)", "-x", "Rx 12/34", "[red]x"]))
    if label is not None:
        values["label"] = label
    return Case(values, start, target, step, every, first_day, maintenance_days)


def schedule_of(case: Case) -> Schedule:
    return build_schedule(request_of(case))


def request_of(case: Case) -> TitrationRequest:
    return build_request(case.values, {}, TODAY)


def interval_end(first_day: date, every: Interval, index: int) -> date:
    """The first day of step ``index`` (0-based), counted from the first day of the plan."""
    if every.unit is IntervalUnit.MONTHS:
        return first_day + relativedelta(months=every.count * index)
    days = every.count * (7 if every.unit is IntervalUnit.WEEKS else 1)
    return first_day + timedelta(days=days * index)


def essentials(steps: tuple[Step, ...]) -> list[tuple[object, ...]]:
    return [(s.number, s.first_day, s.last_day, s.days, s.dose_mg, s.instructions) for s in steps]


@given(cases())
def test_request_reads_back_the_numbers(case: Case) -> None:
    req = request_of(case)
    assert req.start_mg == milligrams(case.start)
    assert req.target_mg == milligrams(case.target)
    assert req.step_mg == (None if case.step is None else milligrams(case.step))
    assert req.every == case.every
    assert req.first_day == case.first_day
    assert req.maintenance_days == case.maintenance_days


@given(cases())
def test_doses(case: Case) -> None:
    steps = schedule_of(case).steps
    doses = [s.dose_mg for s in steps]
    start, target = milligrams(case.start), milligrams(case.target)
    assert doses[0] == start
    assert doses[-1] == target
    if case.start == case.target:
        assert doses == [target]
        return
    assert case.step is not None
    step = milligrams(case.step)
    direction = 1 if target > start else -1
    for before, after in pairwise(doses):
        assert (after - before) * direction > 0  # always toward the target
        assert abs(after - before) <= step
    for k, dose in enumerate(doses[:-1]):
        assert dose == start + direction * step * k
    low, high = min(start, target), max(start, target)
    for dose in doses:
        assert low <= dose <= high
        assert START_MIN_MG <= dose <= max(START_MAX_MG, TARGET_MAX_MG)
        assert decimal_places(dose) <= 3


@given(cases())
def test_step_count(case: Case) -> None:
    steps = schedule_of(case).steps
    if case.start == case.target:
        assert len(steps) == 1
    else:
        assert case.step is not None
        expected = -(-abs(case.target - case.start) // case.step) + 1
        assert len(steps) == expected
    assert len(steps) <= MAX_STEPS
    assert [s.number for s in steps] == list(range(1, len(steps) + 1))


@given(cases())
def test_dates(case: Case) -> None:
    steps = schedule_of(case).steps
    assert steps[0].first_day == case.first_day
    for before, after in pairwise(steps):
        assert before.last_day is not None
        assert after.first_day == before.last_day + timedelta(days=1)
    for k, step in enumerate(steps[:-1]):
        assert case.every is not None
        assert step.first_day == interval_end(case.first_day, case.every, k)
        assert step.last_day == interval_end(case.first_day, case.every, k + 1) - timedelta(days=1)
        fixed = case.every.fixed_days
        if fixed is not None:
            assert step.days == fixed
        assert step.days is not None
        assert step.last_day is not None
        assert step.days == (step.last_day - step.first_day).days + 1
    last = steps[-1]
    if case.maintenance_days is None:
        assert (last.last_day, last.days) == (None, None)
    else:
        assert last.days == case.maintenance_days
        assert last.last_day == last.first_day + timedelta(days=case.maintenance_days - 1)


@given(cases())
def test_instructions_name_the_dose(case: Case) -> None:
    req = request_of(case)
    when = "at bedtime" if req.time.value == "bedtime" else "in the morning"
    for step in build_schedule(req).steps:
        assert step.instructions == (
            f"Take {format_number(step.dose_mg)} mg naltrexone by mouth once daily {when}."
        )


@given(cases())
def test_deterministic(case: Case) -> None:
    first = schedule_of(case)
    again = schedule_of(case)
    assert first == again
    assert build_schedule(first.request) == first
    for fmt, write in WRITERS.items():
        assert write(first) == write(again), fmt


@given(cases())
def test_csv_and_json_read_back(case: Case) -> None:
    schedule = schedule_of(case)
    for fmt in (Format.CSV, Format.JSON):
        text = WRITERS[fmt](schedule)
        assert essentials(READERS[fmt](text, f"plan.{fmt.value}")) == essentials(schedule.steps)
