"""Frozen models: the validated request, its steps, and the schedule built from it.

The request and its formulation are frozen dataclasses that check themselves when built,
against the limits, and refuse with every problem at once. What the core builds from a valid
request (steps, quantities, fills, the schedule) holds only values already checked: named
tuples, immutable and the cheapest types to define, since start-up time matters for a CLI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from ldn_titrate.dates import Interval
from ldn_titrate.doses import (
    CapsuleCounts,
    Form,
    canonical,
    decimal_places,
    format_concentration,
    format_mg,
    format_ml,
)
from ldn_titrate.errors import Phrase, RequestError, Setting
from ldn_titrate.limits import (
    BUD_MAX_DAYS,
    CONCENTRATION_MAX_MG_PER_ML,
    CONCENTRATION_MIN_MG_PER_ML,
    FINE_GRADUATION_ML,
    FIRST_DAY_MAX,
    FIRST_DAY_MIN,
    GRADUATION_MAX_ML,
    LABEL_MAX_CHARS,
    MAINTENANCE_DAYS_MAX,
    MAX_DECIMAL_PLACES,
    MAX_STEPS,
    MAX_STRENGTHS,
    MAX_UNITS_LIMIT,
    MG_PER_KG_MAX,
    OVERAGE_MAX_PERCENT,
    SPLIT_PARTS,
    START_MAX_MG,
    START_MIN_MG,
    STEP_MAX_MG,
    TARGET_MAX_MG,
    TARGET_MIN_MG,
    WEIGHT_MAX_KG,
    WEIGHT_MIN_KG,
    WEIGHT_TARGET_STEP_MG,
)

Problems = list[tuple[str, str | Phrase]]


class DoseTime(StrEnum):
    """When in the day the dose is taken."""

    BEDTIME = "bedtime"
    MORNING = "morning"


def _decimal(value: object) -> str | None:
    """Why a value is not a usable decimal, or None: floats never stand in for doses."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return "must be an exact decimal number"
    return None


def _dose_problem(value: object, low: Decimal, high: Decimal) -> str | None:
    """Why a dose in mg is refused, or None."""
    if (wrong := _decimal(value)) is not None:
        return wrong
    assert isinstance(value, Decimal)  # noqa: S101 - narrowed by _decimal
    if not low <= value <= high:
        return f"must be from {format_mg(low)} to {format_mg(high)}"
    if decimal_places(value) > MAX_DECIMAL_PLACES:
        return f"use at most {MAX_DECIMAL_PLACES} decimal places in mg"
    return None


def _whole_problem(value: object, low: int, high: int, what: str) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return f"must be a whole number{what} from {low} to {high}"
    return None


def text_problem(value: object) -> str | None:
    """Why a free text (a label, a name) is refused, or None."""
    return _text_problem(value)


def _text_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return "must be text"
    if len(value) > LABEL_MAX_CHARS:
        return f"must be at most {LABEL_MAX_CHARS} characters"
    if any(not ch.isprintable() for ch in value):
        return "must be printable text on one line (no tabs or control characters)"
    return None


def _raise_if(problems: Problems) -> None:
    if problems:
        raise RequestError(problems)


def _within(value: object, low: Decimal, high: Decimal, places: int) -> bool:
    """Whether a value is an exact decimal from low to high with at most ``places`` decimals."""
    return (
        isinstance(value, Decimal)
        and value.is_finite()
        and low <= value <= high
        and decimal_places(value) <= places
    )


def liquid_problems(fields: Mapping[str, object]) -> Problems:
    """What is wrong with a liquid's concentration (mg/mL) and syringe graduation (mL)."""
    found: Problems = []
    low, high = CONCENTRATION_MIN_MG_PER_ML, CONCENTRATION_MAX_MG_PER_ML
    concentration = fields.get("concentration_mg_per_ml")
    if not _within(concentration, low, high, places=100):
        band = f"must be from {format_concentration(low)} to {format_concentration(high)}"
        found.append(("concentration_mg_per_ml", band))
    elif not _within(concentration, low, high, MAX_DECIMAL_PLACES):
        places = f"use at most {MAX_DECIMAL_PLACES} decimal places"
        found.append(("concentration_mg_per_ml", places))
    if not _within(fields.get("graduation_ml"), FINE_GRADUATION_ML, GRADUATION_MAX_ML, 2):
        marks = (
            f"must be a syringe mark from {format_ml(FINE_GRADUATION_ML)} "
            f"to {format_ml(GRADUATION_MAX_ML)}, such as 0.1 mL or 0.01 mL"
        )
        found.append(("graduation_ml", marks))
    return found


@dataclass(frozen=True, slots=True)
class Liquid:
    """An oral liquid in mg/mL, measured on an oral syringe marked every ``graduation_ml``."""

    concentration_mg_per_ml: Decimal
    graduation_ml: Decimal
    form: Form = Form.LIQUID

    def __post_init__(self) -> None:
        """Refuse a liquid outside the limits."""
        _raise_if(
            liquid_problems(
                {
                    "concentration_mg_per_ml": self.concentration_mg_per_ml,
                    "graduation_ml": self.graduation_ml,
                }
            )
        )


def capsule_problems(fields: Mapping[str, object]) -> Problems:
    """What is wrong with capsule strengths (mg) and the most capsules a dose."""
    found: Problems = []
    strengths = fields.get("strengths_mg")
    if (
        not isinstance(strengths, tuple)
        or not 1 <= len(strengths) <= MAX_STRENGTHS
        or len(set(strengths)) != len(strengths)
    ):
        found.append(("strengths_mg", f"list 1 to {MAX_STRENGTHS} different strengths"))
    else:
        found.extend(
            ("strengths_mg", wrong)
            for strength in strengths
            if (wrong := _dose_problem(strength, START_MIN_MG, TARGET_MAX_MG)) is not None
        )
    if (wrong := _whole_problem(fields.get("max_units"), 1, MAX_UNITS_LIMIT, "")) is not None:
        found.append(("max_units", wrong))
    return found


@dataclass(frozen=True, slots=True)
class Capsules:
    """Capsules in fixed strengths (mg), largest first; at most ``max_units`` capsules a dose."""

    strengths_mg: tuple[Decimal, ...]
    max_units: int
    form: Form = Form.CAPSULE

    def __post_init__(self) -> None:
        """Refuse strengths outside the limits; keep them largest first."""
        _raise_if(
            capsule_problems({"strengths_mg": self.strengths_mg, "max_units": self.max_units})
        )
        object.__setattr__(self, "strengths_mg", tuple(sorted(self.strengths_mg, reverse=True)))


def step_count(start: Decimal, target: Decimal, step: Decimal) -> int:
    """How many steps a ladder from start to target takes: ceil(|target - start| / step) + 1."""
    distance = abs(target - start)
    whole, rest = divmod(distance, step)
    return int(whole) + (1 if rest else 0) + 1


def _step_problem(fields: Mapping[str, object]) -> str | None:
    """Why the step is refused, given the start and target when they are valid."""
    start, target, step = fields.get("start_mg"), fields.get("target_mg"), fields.get("step_mg")
    ladder = isinstance(start, Decimal) and isinstance(target, Decimal) and start != target
    if step is None:
        return "is required when the start differs from the target" if ladder else None
    if (wrong := _decimal(step)) is not None:
        return wrong
    assert isinstance(step, Decimal)  # noqa: S101 - narrowed by _decimal
    if not Decimal(0) < step <= STEP_MAX_MG:
        return f"must be more than 0 mg and at most {format_mg(STEP_MAX_MG)}"
    if decimal_places(step) > MAX_DECIMAL_PLACES:
        return f"use at most {MAX_DECIMAL_PLACES} decimal places in mg"
    if (
        isinstance(start, Decimal)
        and isinstance(target, Decimal)
        and ladder
        and step_count(start, target, step) > MAX_STEPS
    ):
        return (
            f"makes more than {MAX_STEPS} steps from {format_mg(start)} "
            f"to {format_mg(target)}; use a larger step"
        )
    return None


def _ladder_problems(fields: Mapping[str, object]) -> Problems:
    """Problems of the start, target, step and interval."""
    found: Problems = []
    for field, low, high in (
        ("start_mg", START_MIN_MG, START_MAX_MG),
        ("target_mg", TARGET_MIN_MG, TARGET_MAX_MG),
    ):
        if field in fields and (wrong := _dose_problem(fields[field], low, high)) is not None:
            found.append((field, wrong))
    valid_ends = not found and "start_mg" in fields and "target_mg" in fields
    step_fields = fields if valid_ends else {"step_mg": fields.get("step_mg")}
    if (wrong := _step_problem(step_fields)) is not None:
        found.append(("step_mg", wrong))
    if valid_ends and fields.get("every") is None and fields["start_mg"] != fields["target_mg"]:
        found.append(("every", "is required when the start differs from the target"))
    return found


def _other_problems(fields: Mapping[str, object]) -> Problems:
    """Problems of the first day, the lengths, the free text and the overage."""
    found: Problems = []
    first_day = fields.get("first_day")
    if first_day is not None and not (
        isinstance(first_day, date) and FIRST_DAY_MIN <= first_day <= FIRST_DAY_MAX
    ):
        span = f"{FIRST_DAY_MIN.isoformat()} to {FIRST_DAY_MAX.isoformat()}"
        found.append(("first_day", f"must be a day from {span}"))
    checks = (
        ("maintenance_days", lambda v: _whole_problem(v, 1, MAINTENANCE_DAYS_MAX, " of days")),
        ("bud_days", lambda v: _whole_problem(v, 1, BUD_MAX_DAYS, " of days")),
        ("label", _text_problem),
        ("source", _text_problem),
    )
    for field, problem in checks:
        if fields.get(field) is not None and (wrong := problem(fields[field])) is not None:
            found.append((field, wrong))
    overage = fields.get("overage_percent", Decimal(0))
    if not _within(overage, Decimal(0), OVERAGE_MAX_PERCENT, 2):
        found.append(("overage_percent", f"must be a percentage from 0 to {OVERAGE_MAX_PERCENT}"))
    elif overage and not isinstance(fields.get("formulation"), Liquid):
        found.append(("overage_percent", ("applies to ", Setting("form", "liquid"), " only")))
    return found


class PlannedStep(NamedTuple):
    """One explicit step as written: the daily dose in mg, how long it lasts (None: the last).

    A split step gives its morning and bedtime doses in mg, which add up to ``dose_mg``.
    """

    dose_mg: Decimal
    every: Interval | None
    morning_mg: Decimal | None = None
    bedtime_mg: Decimal | None = None

    @property
    def split(self) -> bool:
        """Whether the day's dose is taken in two parts."""
        return self.morning_mg is not None


def _planned_problems(fields: Mapping[str, object]) -> Problems:
    """Problems of explicit steps: the daily limits of a ladder hold for each step."""
    steps = fields.get("steps")
    if not isinstance(steps, tuple) or not steps:
        return [("steps", "list at least one step")]
    if len(steps) > MAX_STEPS:
        return [("steps", f"list at most {MAX_STEPS} steps, got {len(steps)}")]
    found: Problems = []
    for number, planned in enumerate(steps, start=1):
        last = number == len(steps)
        low, high = (TARGET_MIN_MG, TARGET_MAX_MG) if last else (START_MIN_MG, START_MAX_MG)
        what = "the last step (the target)" if last else f"step {number}"
        if (wrong := _dose_problem(planned.dose_mg, low, high)) is not None:
            found.append(("steps", f"{what} ({format_mg(planned.dose_mg)}) {wrong}"))
        if planned.every is None and not last:
            found.append(("steps", f"step {number} needs 'for INTERVAL'"))
        morning, bedtime = planned.morning_mg, planned.bedtime_mg
        if (morning is None) != (bedtime is None) or (
            morning is not None
            and bedtime is not None
            and (morning + bedtime != planned.dose_mg or min(morning, bedtime) <= 0)
        ):
            found.append(
                (
                    "steps",
                    f"step {number}: the morning and bedtime doses must each be more than 0 mg",
                )
            )
    return found


class WeightTarget(NamedTuple):
    """A target from a weight: the exact product weight x mg/kg, and the target, both in mg."""

    product_mg: Decimal
    target_mg: Decimal
    capped: bool
    """The product was above the 4.5 mg ceiling."""


def weight_target(weight_kg: Decimal, mg_per_kg: Decimal) -> WeightTarget:
    """Weight x mg/kg, capped at 4.5 mg and rounded down to 0.1 mg."""
    product = weight_kg * mg_per_kg
    capped = min(product, TARGET_MAX_MG)
    target = (capped // WEIGHT_TARGET_STEP_MG) * WEIGHT_TARGET_STEP_MG
    return WeightTarget(canonical(product), canonical(target), product > TARGET_MAX_MG)


def weight_problems(fields: Mapping[str, object]) -> Problems:
    """Problems of a body weight in kg and a dose per kg in mg/kg, when given."""
    found: Problems = []
    weight, per_kg = fields.get("weight_kg"), fields.get("mg_per_kg")
    if weight is not None and not _within(weight, WEIGHT_MIN_KG, WEIGHT_MAX_KG, 3):
        found.append(
            ("weight_kg", f"must be from {WEIGHT_MIN_KG} kg to {WEIGHT_MAX_KG} kg, such as 32kg")
        )
    if per_kg is not None and (
        not _within(per_kg, Decimal(0), MG_PER_KG_MAX, MAX_DECIMAL_PLACES) or per_kg == 0
    ):
        found.append(("mg_per_kg", f"must be more than 0 and at most {MG_PER_KG_MAX} mg/kg"))
    return found


def _split_problems(fields: Mapping[str, object], found: Problems) -> Problems:
    """A split ladder's doses must halve into doses of at most 3 decimal places."""
    start, target, step = fields.get("start_mg"), fields.get("target_mg"), fields.get("step_mg")
    if found or not fields.get("split") or not isinstance(target, Decimal):
        return []
    doses = [target]
    if isinstance(start, Decimal) and isinstance(step, Decimal) and start != target:
        way = 1 if target > start else -1
        doses = [start + way * step * k for k in range(step_count(start, target, step) - 1)]
        doses.append(target)
    return [
        (
            "split",
            (
                f"step {n} ({format_mg(canonical(d))}) does not halve into doses of at most "
                f"{MAX_DECIMAL_PLACES} decimal places in mg"
            ),
        )
        for n, d in enumerate(doses, start=1)
        if decimal_places(canonical(d / SPLIT_PARTS)) > MAX_DECIMAL_PLACES
    ]


def request_problems(fields: Mapping[str, object]) -> Problems:
    """Every way the request fields break the limits; absent fields are not reported."""
    dosing = (
        _planned_problems(fields)
        if "steps" in fields and fields["steps"] is not None
        else (_ladder_problems(fields))
    )
    return [
        *dosing,
        *_other_problems(fields),
        *weight_problems(fields),
        *_split_problems(fields, dosing),
    ]


@dataclass(frozen=True, slots=True)
class TitrationRequest:
    """What the prescriber decided: doses in mg, the interval, the first day.

    Built only through its checks: a request outside the limits raises RequestError.
    """

    start_mg: Decimal
    target_mg: Decimal
    first_day: date
    step_mg: Decimal | None = None
    every: Interval | None = None
    maintenance_days: int | None = None
    time: DoseTime = DoseTime.BEDTIME
    label: str | None = None
    source: str | None = None
    formulation: Liquid | Capsules | None = None
    bud_days: int | None = None
    overage_percent: Decimal = Decimal(0)
    steps: tuple[PlannedStep, ...] | None = None
    """Explicit steps, in place of the ladder of start, step and interval."""
    split: bool = False
    """Each ladder dose taken as two equal halves, morning and bedtime."""
    weight_kg: Decimal | None = None
    mg_per_kg: Decimal | None = None
    """With ``weight_kg``: the target was weight x mg/kg, capped and rounded down."""
    meds: str | None = None
    """The patient's other medicines as the prescriber wrote them, for the medicine screen."""
    meds_reviewed: bool = False
    """The prescriber has reviewed what the screen found and plans anyway."""
    preset: str | None = None
    """The named protocol preset the request was filled from, if any."""
    overrides: tuple[str, ...] = ()
    """The preset's values that a config, a request file or an option replaced, as named."""

    def __post_init__(self) -> None:
        """Refuse a request outside the limits, naming every problem."""
        _raise_if(request_problems({f: getattr(self, f) for f in self.__slots__}))

    @property
    def direction(self) -> int:
        """+1 to titrate up, -1 to taper down, 0 for a single maintenance step."""
        if self.target_mg > self.start_mg:
            return 1
        return -1 if self.target_mg < self.start_mg else 0


class Administration(NamedTuple):
    """One dose of a day: when it is taken, in mg, and its volume in mL or capsules."""

    time: DoseTime
    dose_mg: Decimal
    volume_ml: Decimal | None = None
    capsules: CapsuleCounts | None = None


class Step(NamedTuple):
    """One step of a schedule: numbered from 1, inclusive days, a daily dose in mg.

    A split step lists its two administrations (morning, bedtime), and ``volume_ml`` and
    ``capsules`` are the day's totals; a step taken once a day lists none.
    ``note`` says what a reader must not miss, such as a turn.
    """

    number: int
    first_day: date
    last_day: date | None
    days: int | None
    dose_mg: Decimal
    instructions: str
    volume_ml: Decimal | None = None
    capsules: CapsuleCounts | None = None
    administrations: tuple[Administration, ...] = ()
    note: str | None = None

    @property
    def split(self) -> bool:
        """Whether the day's dose is taken in more than one administration."""
        return len(self.administrations) > 1

    def doses_of_day(self, time: DoseTime) -> tuple[Administration, ...]:
        """Every administration of the day; one at ``time`` when the step is not split."""
        if self.administrations:
            return self.administrations
        return (Administration(time, self.dose_mg, self.volume_ml, self.capsules),)


class Quantity(NamedTuple):
    """An amount to dispense: a volume in mL, or a count of capsules of each strength (mg)."""

    volume_ml: Decimal | None = None
    capsules: CapsuleCounts = ()


class StepSupply(NamedTuple):
    """What one step needs: ``assumed`` marks an ongoing step counted for a set number of days."""

    step: int
    days: int
    quantity: Quantity
    assumed: bool = False


class Fill(NamedTuple):
    """One dispensing: the days it covers (inclusive) and the day it must be dispensed by."""

    number: int
    first_day: date
    last_day: date
    quantity: Quantity
    dispense_by: date


class Dispense(NamedTuple):
    """The dispensing summary of a schedule with a formulation."""

    per_step: tuple[StepSupply, ...]
    titration_total: Quantity
    maintenance_total: Quantity
    assumed_maintenance_days: int | None
    overage_percent: Decimal
    overage: Quantity | None
    grand_total: Quantity
    days_supply: int
    fills: tuple[Fill, ...]


class Notice(NamedTuple):
    """A warning about a request that is allowed but unusual; it names the option."""

    code: str
    field: str
    message: str


class Replanned(NamedTuple):
    """How a plan was re-planned: the rule followed, its source, the day it changed.

    ``change`` is ``back-down`` or ``pause``; ``details`` are the values the rule used, as
    (key, text) pairs, such as ``("hold_days", "14")``.
    """

    change: str
    rule: str
    source: str
    on: date
    details: tuple[tuple[str, str], ...] = ()


class Schedule(NamedTuple):
    """A dated schedule built from a request; ``replan`` says how it was re-planned, if it was."""

    request: TitrationRequest
    steps: tuple[Step, ...]
    notices: tuple[Notice, ...] = ()
    dispense: Dispense | None = None
    replan: Replanned | None = None
