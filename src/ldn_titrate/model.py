"""Frozen models: the validated request, its steps, and the schedule built from it.

The request and its formulation are frozen dataclasses that check themselves when built,
against the limits, and refuse with every problem at once. What the core builds from a valid
request (steps, quantities, fills, the schedule) holds only values already checked: named
tuples, immutable and the cheapest types to define, since start-up time matters for a CLI.
"""

# No postponed annotations in this module: a named tuple or a dataclass reads each field's
# annotation when it is defined, and a string there is compiled anew where a value is only
# looked up (about 3 million instructions at every start of ``plan``).

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from ldn_titrate.dates import Interval
from ldn_titrate.doses import CapsuleCounts, Form, canonical
from ldn_titrate.errors import RequestError
from ldn_titrate.limits import TARGET_MAX_MG, WEIGHT_TARGET_STEP_MG

# The checks of a request's values live in ``validity``; their names stay importable here.
from ldn_titrate.validity import (
    Problems,
    capsule_problems,
    liquid_problems,
    request_problems,
    step_count,
    text_problem,
    weight_problems,
)


class DoseTime(StrEnum):
    """When in the day the dose is taken."""

    BEDTIME = "bedtime"
    MORNING = "morning"


def _raise_if(problems: Problems) -> None:
    if problems:
        raise RequestError(problems)


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


__all__ = [
    "Administration",
    "Capsules",
    "Dispense",
    "DoseTime",
    "Fill",
    "Liquid",
    "Notice",
    "PlannedStep",
    "Problems",
    "Quantity",
    "Replanned",
    "Schedule",
    "Step",
    "StepSupply",
    "TitrationRequest",
    "WeightTarget",
    "capsule_problems",
    "liquid_problems",
    "request_problems",
    "step_count",
    "text_problem",
    "weight_problems",
    "weight_target",
]
