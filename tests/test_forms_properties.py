"""Hypothesis properties of the formulations: exact volumes, fewest capsules, fills that add up."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import combinations, combinations_with_replacement, pairwise

from hypothesis import assume, given, reject, settings
from hypothesis import strategies as st

from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.dispensing import (
    check_capsules,
    check_liquid,
    fewest_capsules,
    suggest_strengths,
    volume_ml,
)
from ldn_titrate.errors import FormulationError, RequestError
from ldn_titrate.formats import READERS, WRITERS, Format
from ldn_titrate.limits import CAPSULE_STRENGTHS_TO_SUGGEST_MG, USUAL_CONCENTRATIONS_MG_PER_ML
from ldn_titrate.model import Capsules, Liquid, Quantity, Schedule, Step, TitrationRequest
from ldn_titrate.rules import build_schedule
from ldn_titrate.spreadsheet import ascii_text
from ldn_titrate.wording import format_quantity

ONGOING_DAYS = 30
STEP_NUMBER = re.compile(r"step ([0-9]+) \(")
NEEDS_VOLUME = re.compile(r"step ([0-9]+) \(([0-9.]+) mg\) needs ([0-9.]+) mL at ([0-9.]+) mg/mL")


def thousandths(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Decimals from low/1000 to high/1000 with at most three places."""
    return st.integers(low, high).map(lambda n: Decimal(n) / 1000)


def grid(step: str, low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Multiples of step, from low to high steps."""
    return st.integers(low, high).map(lambda n: Decimal(step) * n)


DOSES = st.one_of(grid("0.05", 2, 90), thousandths(100, 4500))
CONCENTRATIONS = st.one_of(
    st.sampled_from(USUAL_CONCENTRATIONS_MG_PER_ML), thousandths(100, 10_000)
)
GRADUATIONS = st.sampled_from(
    [Decimal(g) for g in ("0.01", "0.02", "0.05", "0.1", "0.2", "0.25", "0.5", "1")]
)
STRENGTHS = st.one_of(grid("0.25", 1, 18), grid("0.1", 1, 45), thousandths(100, 4500))
EVERY = st.one_of(
    st.builds(Interval, st.integers(1, 30), st.just(IntervalUnit.DAYS)),
    st.builds(Interval, st.integers(1, 4), st.just(IntervalUnit.WEEKS)),
    st.builds(Interval, st.integers(1, 5), st.just(IntervalUnit.MONTHS)),
)
FIRST_DAYS = st.dates(date(2026, 1, 1), date(2028, 12, 31))


def terminates(value: Fraction) -> bool:
    """Whether a fraction is a finite decimal: its denominator has no prime but 2 and 5."""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


def on_mark(volume: Fraction, graduation: Decimal) -> bool:
    return volume > 0 and volume % Fraction(graduation) == 0


def ladder(start: Decimal, target: Decimal, step: Decimal | None) -> list[Decimal]:
    """The doses a plan must have: start, start ± step, ..., then the target."""
    if step is None or start == target:
        return [target]
    sign = 1 if target > start else -1
    doses = []
    dose = start
    while (target - dose) * sign > 0:
        doses.append(dose)
        dose += sign * step
    return [*doses, target]


def brute_force(
    dose: Decimal, strengths: Sequence[Decimal], max_units: int
) -> tuple[Decimal, ...] | None:
    """Every combination of up to max_units capsules: the fewest, largest strengths first."""
    ordered = sorted(strengths, reverse=True)
    for units in range(1, max_units + 1):
        found = [c for c in combinations_with_replacement(ordered, units) if sum(c) == dose]
        if found:
            return max(found)
    return None


def expand(counts: tuple[tuple[Decimal, int], ...] | None) -> tuple[Decimal, ...] | None:
    if counts is None:
        return None
    return tuple(s for s, n in counts for _ in range(n))


@st.composite
def ladders(draw: st.DrawFn, unit: str = "0.001") -> tuple[Decimal, Decimal, Decimal | None]:
    """A start, a target and a step, all multiples of unit, making at most 100 steps."""
    scale = Decimal(unit)
    lowest = max(1, int(Decimal("0.1") / scale))  # the lowest start, 0.1 mg, or one unit
    start = scale * draw(st.integers(lowest, int(Decimal("4.5") / scale)))
    target = scale * draw(st.integers(int(Decimal("0.5") / scale), int(Decimal("4.5") / scale)))
    if start == target:
        return start, target, None
    distance = abs(target - start)
    fewest = max(1, -(-int(distance / scale) // 30))  # at most about 30 steps
    step = scale * draw(st.integers(fewest, int(Decimal("4.5") / scale)))
    return start, target, step


@st.composite
def requests(
    draw: st.DrawFn, formulation: st.SearchStrategy[Liquid | Capsules], unit: str = "0.001"
) -> TitrationRequest:
    start, target, step = draw(ladders(unit))
    form = draw(formulation)
    liquid = isinstance(form, Liquid)
    try:
        return TitrationRequest(
            start_mg=start,
            target_mg=target,
            step_mg=step,
            every=None if step is None else draw(EVERY),
            first_day=draw(FIRST_DAYS),
            maintenance_days=draw(st.none() | st.integers(1, 120)),
            formulation=form,
            bud_days=draw(st.none() | st.integers(1, 60)),
            overage_percent=draw(grid("0.25", 0, 200)) if liquid else Decimal(0),
        )
    except RequestError:
        reject()


def outcome(request: TitrationRequest) -> Schedule | FormulationError:
    """The schedule, or the refusal of a dose the form cannot measure or make."""
    try:
        return build_schedule(request)
    except FormulationError as exc:
        return exc


def refused_steps(error: FormulationError) -> list[int]:
    numbers = [STEP_NUMBER.match(p) for p in error.problems]
    return [int(n[1]) for n in numbers if n is not None]


def liquid_refusal(doses: Sequence[Decimal], form: Liquid) -> FormulationError | None:
    try:
        check_liquid(doses, form)
    except FormulationError as exc:
        return exc
    return None


def liquids(
    concentrations: st.SearchStrategy[Decimal] = CONCENTRATIONS,
    graduations: st.SearchStrategy[Decimal] = GRADUATIONS,
) -> st.SearchStrategy[Liquid | Capsules]:
    return st.builds(Liquid, concentration_mg_per_ml=concentrations, graduation_ml=graduations)


def capsule_sets(
    strengths: st.SearchStrategy[Decimal],
    max_units: st.SearchStrategy[int],
    always: Decimal | None = None,
) -> st.SearchStrategy[Liquid | Capsules]:
    """Up to three strengths (and ``always`` among them, when given)."""
    chosen = st.lists(strengths, min_size=1, max_size=3, unique=True)
    if always is not None:
        chosen = chosen.map(lambda found: sorted({always, *found[:2]}))
    return st.builds(Capsules, strengths_mg=chosen.map(tuple), max_units=max_units)


# Plans of every kind: many that build, many that are refused.
LIQUID_PLANS = st.one_of(
    requests(
        liquids(
            st.sampled_from(USUAL_CONCENTRATIONS_MG_PER_ML),
            st.sampled_from([Decimal("0.1"), Decimal("0.01")]),
        ),
        unit="0.05",
    ),
    requests(liquids()),
)
MADE_OF_HALVES = requests(
    capsule_sets(grid("0.5", 2, 9), st.integers(4, 10), Decimal("0.5")), unit="0.5"
)
CAPSULE_BRANCHES = (
    requests(capsule_sets(grid("0.5", 1, 9), st.integers(2, 6)), unit="0.5"),
    requests(capsule_sets(grid("0.25", 1, 18), st.integers(1, 6)), unit="0.25"),
    requests(capsule_sets(STRENGTHS, st.integers(1, 6)), unit="0.05"),
)
# About half of the plans made of halves, which mostly build; the rest are mostly refused.
CAPSULE_PLANS = st.integers(0, 5).flatmap(
    lambda n: MADE_OF_HALVES if n < 3 else CAPSULE_BRANCHES[n - 3]
)


# Plans that always build: every dose lands on a mark or is made within the capsules allowed.
ALWAYS_MEASURABLE = liquids(st.just(Decimal("0.1")), st.just(Decimal("0.01")))
ON_TENTH_MARKS = liquids(st.sampled_from([Decimal("0.5"), Decimal(1)]), st.just(Decimal("0.1")))
HALVES = st.just(Capsules(strengths_mg=(Decimal(2), Decimal(1), Decimal("0.5")), max_units=4))


def built_plans() -> st.SearchStrategy[Schedule]:
    return st.one_of(
        requests(ALWAYS_MEASURABLE),
        requests(ON_TENTH_MARKS, unit="0.1"),
        requests(HALVES, unit="0.5"),
    ).map(build_schedule)


# Volumes


@given(dose=DOSES, concentration=CONCENTRATIONS)
def test_volume_times_concentration_is_the_dose_exactly(
    dose: Decimal, concentration: Decimal
) -> None:
    exact = Fraction(dose) / Fraction(concentration)
    volume = volume_ml(dose, concentration)
    if terminates(exact):
        assert volume is not None
        assert Fraction(volume) == exact
    else:
        assert volume is None, (dose, concentration, volume)


@settings(max_examples=100)
@given(request=LIQUID_PLANS)
def test_every_volume_is_on_a_mark_or_the_plan_is_refused(request: TitrationRequest) -> None:
    form = request.formulation
    assert isinstance(form, Liquid)
    doses = ladder(request.start_mg, request.target_mg, request.step_mg)
    off_mark = [
        number
        for number, dose in enumerate(doses, start=1)
        if not on_mark(Fraction(dose) / Fraction(form.concentration_mg_per_ml), form.graduation_ml)
    ]
    schedule = outcome(request)
    if isinstance(schedule, FormulationError):
        assert off_mark
        assert refused_steps(schedule) == off_mark
        assert len(schedule.problems) == len(off_mark)
        return
    assert not off_mark
    assert [s.dose_mg for s in schedule.steps] == doses
    for step in schedule.steps:
        assert step.volume_ml is not None
        assert on_mark(Fraction(step.volume_ml), form.graduation_ml)


@settings(max_examples=100)
@given(request=LIQUID_PLANS)
def test_every_printed_volume_holds_its_dose_exactly(request: TitrationRequest) -> None:
    """In the steps, the instructions, the CSV, the JSON and the refusal messages alike."""
    form = request.formulation
    assert isinstance(form, Liquid)
    concentration = Fraction(form.concentration_mg_per_ml)
    schedule = outcome(request)
    if isinstance(schedule, FormulationError):
        for problem in schedule.problems:
            match = NEEDS_VOLUME.match(problem)
            if match is not None:
                _, dose, volume, _ = match.groups()
                assert Fraction(Decimal(volume)) * concentration == Fraction(Decimal(dose)), problem
        return
    rows = csv_rows(schedule)
    data = json.loads(WRITERS[Format.JSON](schedule))
    for step, row, item in zip(schedule.steps, rows, data["steps"], strict=True):
        assert step.volume_ml is not None
        dose = Fraction(step.dose_mg)
        shown = format(step.volume_ml, "f")
        assert Fraction(Decimal(shown)) * concentration == dose
        assert f"Take {shown} mL (" in step.instructions
        assert row["volume_ml"] == shown
        assert Fraction(Decimal(item["volume_ml"])) * concentration == dose


@settings(max_examples=100)
@given(
    doses=st.lists(DOSES, min_size=1, max_size=6),
    concentration=CONCENTRATIONS,
    graduation=GRADUATIONS,
)
def test_check_liquid_refuses_exactly_the_steps_off_the_marks(
    doses: list[Decimal], concentration: Decimal, graduation: Decimal
) -> None:
    off_mark = [
        number
        for number, dose in enumerate(doses, start=1)
        if not on_mark(Fraction(dose) / Fraction(concentration), graduation)
    ]
    form = Liquid(concentration_mg_per_ml=concentration, graduation_ml=graduation)
    error = liquid_refusal(doses, form)
    if error is None:
        assert not off_mark
        return
    assert refused_steps(error) == off_mark
    assert len(error.problems) == len(off_mark)
    advice = error.suggestion
    usual_advice = re.search(r"--concentration (.*) with the ([0-9.]+) mL syringe$", advice)
    named = [] if usual_advice is None else usual_advice[1].split(" or ")
    syringe = graduation if usual_advice is None else Decimal(usual_advice[2])

    def usual_on(marks: Decimal) -> list[str]:
        return [
            f"{usual} mg/mL"
            for usual in USUAL_CONCENTRATIONS_MG_PER_ML
            if all(on_mark(Fraction(d) / Fraction(usual), marks) for d in doses)
        ]

    finer = all(on_mark(Fraction(d) / Fraction(concentration), Decimal("0.01")) for d in doses)
    finer_advised = finer and graduation > Decimal("0.01")
    assert ("--graduation 0.01" in advice) is finer_advised
    if syringe == graduation:
        assert named == usual_on(graduation)
    else:
        # The finer syringe is named with the usual concentrations only when nothing else works.
        assert syringe == Decimal("0.01")
        assert not usual_on(graduation)
        assert not finer_advised
        assert named == usual_on(Decimal("0.01"))


# Capsules


@given(
    strengths=st.lists(STRENGTHS, min_size=1, max_size=4, unique=True),
    picks=st.lists(st.integers(0, 3), min_size=1, max_size=5),
    dose=st.none() | DOSES,
    max_units=st.integers(1, 6),
)
def test_fewest_capsules_matches_the_brute_force_oracle(
    strengths: list[Decimal], picks: list[int], dose: Decimal | None, max_units: int
) -> None:
    if dose is None:  # a dose that can be made: a sum of listed strengths
        dose = sum((strengths[i % len(strengths)] for i in picks), Decimal(0))
        assume(dose <= Decimal("4.5"))
    made = fewest_capsules(dose, strengths)
    best = brute_force(dose, strengths, max_units)
    if made is not None:
        assert sum(s * n for s, n in made) == dose
        assert all(n > 0 and s in strengths for s, n in made)
        assert [s for s, _ in made] == sorted((s for s, _ in made), reverse=True)
    if best is not None:
        assert expand(made) == best
    else:
        assert made is None or sum(n for _, n in made) > max_units


@settings(max_examples=100)
@given(request=CAPSULE_PLANS)
def test_every_capsule_dose_is_exact_and_fewest_or_the_plan_is_refused(
    request: TitrationRequest,
) -> None:
    form = request.formulation
    assert isinstance(form, Capsules)
    doses = ladder(request.start_mg, request.target_mg, request.step_mg)
    best = [brute_force(d, form.strengths_mg, form.max_units) for d in doses]
    failing = [number for number, b in enumerate(best, start=1) if b is None]
    schedule = outcome(request)
    if isinstance(schedule, FormulationError):
        assert failing
        assert refused_steps(schedule) == failing
        assert len(schedule.problems) == len(failing)
        return
    assert not failing
    for step, oracle in zip(schedule.steps, best, strict=True):
        assert step.capsules is not None
        assert sum(s * n for s, n in step.capsules) == step.dose_mg
        assert sum(n for _, n in step.capsules) <= form.max_units
        assert expand(step.capsules) == oracle


@settings(max_examples=50)
@given(
    doses=st.lists(grid("0.25", 1, 18), min_size=1, max_size=6),
    max_units=st.integers(1, 4),
)
def test_suggested_strengths_make_every_dose_and_none_fewer_would(
    doses: list[Decimal], max_units: int
) -> None:
    def makes_all(strengths: Sequence[Decimal]) -> bool:
        return all(brute_force(d, strengths, max_units) is not None for d in doses)

    chosen = suggest_strengths(doses, max_units)
    sizes = range(1, 4) if chosen is None else range(1, len(chosen))
    for size in sizes:
        assert not any(makes_all(s) for s in combinations(CAPSULE_STRENGTHS_TO_SUGGEST_MG, size))
    if chosen is not None:
        assert set(chosen) <= set(CAPSULE_STRENGTHS_TO_SUGGEST_MG)
        assert makes_all(chosen)
        check_capsules(doses, Capsules(strengths_mg=chosen, max_units=max_units))


# Quantities and fills


Amounts = dict[Fraction, Fraction]
VOLUME = Fraction(-1)  # the key of a volume in mL; capsules are keyed by their strength


def amounts(quantity: Quantity, liquid: bool) -> Amounts:
    """A quantity as exact amounts: mL, or a count of capsules by strength."""
    if liquid:
        assert quantity.volume_ml is not None
        assert not quantity.capsules
        return total([{VOLUME: Fraction(quantity.volume_ml)}])
    assert quantity.volume_ml is None
    assert all(n > 0 for _, n in quantity.capsules)
    assert len({s for s, _ in quantity.capsules}) == len(quantity.capsules)
    return total([{Fraction(s): Fraction(n) for s, n in quantity.capsules}])


def total(parts: Sequence[Amounts]) -> Amounts:
    """The sum of amounts, without the zero ones."""
    out: Amounts = {}
    for part in parts:
        for key, value in part.items():
            out[key] = out.get(key, Fraction(0)) + value
    return {key: value for key, value in out.items() if value}


def percent_of(part: Amounts, percent: Fraction) -> Amounts:
    return total([{key: value * percent / 100 for key, value in part.items()}])


class Supply:
    """The oracle: what each day of a schedule's supply takes, counted day by day."""

    def __init__(self, schedule: Schedule) -> None:
        self.steps = schedule.steps
        self.liquid = isinstance(schedule.request.formulation, Liquid)
        self.percent = Fraction(schedule.request.overage_percent)
        target = self.steps[-1]
        self.first = self.steps[0].first_day
        self.end = target.last_day or target.first_day + timedelta(days=ONGOING_DAYS - 1)
        self.days = (self.end - self.first).days + 1

    def last_day(self, step: Step) -> date:
        return step.last_day or self.end

    def daily(self, day: date) -> Amounts:
        """What one day takes, from the step that covers it."""
        step = next(s for s in self.steps if s.first_day <= day <= self.last_day(s))
        if self.liquid:
            assert step.volume_ml is not None
            return {VOLUME: Fraction(step.volume_ml)}
        assert step.capsules is not None
        return {Fraction(s): Fraction(n) for s, n in step.capsules}

    def between(self, first: date, last: date) -> Amounts:
        """What the days from first to last take, both included."""
        days = (last - first).days + 1
        return total([self.daily(first + timedelta(days=k)) for k in range(days)])

    def with_overage(self, part: Amounts) -> Amounts:
        return total([part, percent_of(part, self.percent)]) if self.liquid else part

    def amounts(self, quantity: Quantity) -> Amounts:
        return amounts(quantity, self.liquid)


@settings(max_examples=100)
@given(schedule=built_plans())
def test_quantities_per_step_and_totals(schedule: Schedule) -> None:
    found, supply, steps = schedule.dispense, Supply(schedule), schedule.steps
    assert found is not None
    target = steps[-1]
    assert found.days_supply == supply.days == sum(p.days for p in found.per_step)
    assert found.assumed_maintenance_days == (ONGOING_DAYS if target.last_day is None else None)
    assert [p.assumed for p in found.per_step] == [s.last_day is None for s in steps]
    for per_step, step in zip(found.per_step, steps, strict=True):
        assert per_step.step == step.number
        assert per_step.days == (supply.last_day(step) - step.first_day).days + 1
        assert supply.amounts(per_step.quantity) == supply.between(
            step.first_day, supply.last_day(step)
        )
    titration = supply.amounts(found.titration_total)
    maintenance = supply.amounts(found.maintenance_total)
    assert titration == total([supply.between(s.first_day, supply.last_day(s)) for s in steps[:-1]])
    assert maintenance == supply.between(target.first_day, supply.end)
    subtotal = total([titration, maintenance])
    assert supply.amounts(found.grand_total) == supply.with_overage(subtotal)
    if supply.liquid:
        assert found.overage is not None
        assert supply.amounts(found.overage) == percent_of(subtotal, supply.percent)
    else:
        assert found.overage is None


@settings(max_examples=100)
@given(schedule=built_plans())
def test_fills_add_up_to_the_total_and_keep_within_the_bud(schedule: Schedule) -> None:
    found, supply, bud = schedule.dispense, Supply(schedule), schedule.request.bud_days
    assert found is not None
    fills = found.fills
    assert [f.number for f in fills] == list(range(1, len(fills) + 1))
    assert fills[0].first_day == supply.first
    assert fills[-1].last_day == supply.end
    for before, after in pairwise(fills):
        assert after.first_day == before.last_day + timedelta(days=1)
    spans = [(f.last_day - f.first_day).days + 1 for f in fills]
    if bud is None:
        assert spans == [supply.days]
    else:
        assert len(fills) == -(-supply.days // bud)
        assert all(span <= bud for span in spans)
        assert all(span == bud for span in spans[:-1])
    for fill in fills:
        assert fill.dispense_by == fill.first_day
        assert supply.amounts(fill.quantity) == supply.with_overage(
            supply.between(fill.first_day, fill.last_day)
        )
    assert total([supply.amounts(f.quantity) for f in fills]) == supply.amounts(found.grand_total)


# The new CSV and JSON fields


def csv_rows(schedule: Schedule) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(WRITERS[Format.CSV](schedule), newline="")))


@settings(max_examples=100)
@given(schedule=built_plans())
def test_csv_and_json_read_back_the_steps(schedule: Schedule) -> None:
    assert schedule.dispense is not None
    for fmt in (Format.CSV, Format.JSON):
        text = WRITERS[fmt](schedule)
        assert READERS[fmt](text, f"plan.{fmt.value}") == schedule.steps
    quantities = [format_quantity(p.quantity) for p in schedule.dispense.per_step]
    # The CSV writes its own text in ASCII: 2 x 1.5 mg, never 2 × 1.5 mg.
    assert [row["quantity"] for row in csv_rows(schedule)] == [ascii_text(q) for q in quantities]
    assert all(v.isascii() for row in csv_rows(schedule) for k, v in row.items() if k != "label")
    data = json.loads(WRITERS[Format.JSON](schedule))
    assert [s["quantity"] for s in data["steps"]] == quantities
    fills = data["dispense"]["fills"]
    assert [set(f) for f in fills] == [
        {"fill", "first_day", "last_day", "quantity", "dispense_by"}
    ] * len(fills)
    assert [
        (f["fill"], f["first_day"], f["last_day"], f["quantity"]["text"], f["dispense_by"])
        for f in fills
    ] == [
        (
            f.number,
            f.first_day.isoformat(),
            f.last_day.isoformat(),
            format_quantity(f.quantity),
            f.dispense_by.isoformat(),
        )
        for f in schedule.dispense.fills
    ]
