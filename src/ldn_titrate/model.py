"""Frozen models: the validated request, its steps, and the schedule built from it.

The request is a strict pydantic model, since it is built from what people type. What the
core builds from a valid request (steps, quantities, fills, the schedule) are frozen
dataclasses: they hold only values that were already validated, and they cost nothing at
start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from ldn_titrate.dates import Interval
from ldn_titrate.doses import decimal_places, format_concentration, format_mg, format_ml
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
    OVERAGE_MAX_PERCENT,
    START_MAX_MG,
    START_MIN_MG,
    STEP_MAX_MG,
    TARGET_MAX_MG,
    TARGET_MIN_MG,
)

_FROZEN: Final = ConfigDict(frozen=True, extra="forbid", strict=True)


class DoseTime(StrEnum):
    """When in the day the dose is taken."""

    BEDTIME = "bedtime"
    MORNING = "morning"


def _refuse(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def _check_places(value: Decimal) -> None:
    if decimal_places(value) > MAX_DECIMAL_PLACES:
        raise _refuse("decimal_places", f"use at most {MAX_DECIMAL_PLACES} decimal places in mg")


def _check_band(value: Decimal, low: Decimal, high: Decimal) -> None:
    if not value.is_finite() or not low <= value <= high:
        raise _refuse("dose_range", f"must be from {format_mg(low)} to {format_mg(high)}")


class Form(StrEnum):
    """How the pharmacy dispenses the doses."""

    LIQUID = "liquid"
    CAPSULE = "capsule"


class Liquid(BaseModel):
    """An oral liquid in mg/mL, measured on an oral syringe marked every ``graduation_ml``."""

    model_config = _FROZEN

    form: Form = Form.LIQUID
    concentration_mg_per_ml: Decimal
    graduation_ml: Decimal

    @field_validator("concentration_mg_per_ml")
    @classmethod
    def _concentration_in_band(cls, value: Decimal) -> Decimal:
        low, high = CONCENTRATION_MIN_MG_PER_ML, CONCENTRATION_MAX_MG_PER_ML
        if not low <= value <= high:
            raise _refuse(
                "concentration_range",
                f"must be from {format_concentration(low)} to {format_concentration(high)}",
            )
        _check_places(value)
        return value

    @field_validator("graduation_ml")
    @classmethod
    def _graduation_in_band(cls, value: Decimal) -> Decimal:
        if not FINE_GRADUATION_ML <= value <= GRADUATION_MAX_ML or decimal_places(value) > 2:
            raise _refuse(
                "graduation_range",
                f"must be a syringe mark from {format_ml(FINE_GRADUATION_ML)} "
                f"to {format_ml(GRADUATION_MAX_ML)}, such as 0.1 mL or 0.01 mL",
            )
        return value


class Capsules(BaseModel):
    """Capsules in fixed strengths (mg), largest first; at most ``max_units`` capsules a dose."""

    model_config = _FROZEN

    form: Form = Form.CAPSULE
    strengths_mg: tuple[Decimal, ...]
    max_units: int

    @field_validator("strengths_mg")
    @classmethod
    def _strengths_valid(cls, value: tuple[Decimal, ...]) -> tuple[Decimal, ...]:
        if not 1 <= len(value) <= MAX_STRENGTHS or len(set(value)) != len(value):
            raise _refuse("strengths", f"list 1 to {MAX_STRENGTHS} different strengths")
        for strength in value:
            _check_band(strength, START_MIN_MG, TARGET_MAX_MG)
            _check_places(strength)
        return tuple(sorted(value, reverse=True))

    @field_validator("max_units")
    @classmethod
    def _units_in_band(cls, value: int) -> int:
        if not 1 <= value <= MAX_UNITS_LIMIT:
            raise _refuse("units_range", f"must be a whole number from 1 to {MAX_UNITS_LIMIT}")
        return value


def step_count(start: Decimal, target: Decimal, step: Decimal) -> int:
    """How many steps a ladder from start to target takes: ceil(|target - start| / step) + 1."""
    distance = abs(target - start)
    whole, rest = divmod(distance, step)
    return int(whole) + (1 if rest else 0) + 1


class TitrationRequest(BaseModel):
    """What the prescriber decided: doses in mg, the interval, the first day."""

    model_config = _FROZEN

    start_mg: Decimal
    target_mg: Decimal
    # Checked even when left out: a missing step or interval must be refused, not defaulted.
    step_mg: Decimal | None = Field(default=None, validate_default=True)
    every: Interval | None = Field(default=None, validate_default=True)
    first_day: date
    maintenance_days: int | None = None
    time: DoseTime = DoseTime.BEDTIME
    label: str | None = None
    source: str | None = None
    formulation: Liquid | Capsules | None = None
    bud_days: int | None = None
    overage_percent: Decimal = Decimal(0)

    @field_validator("start_mg")
    @classmethod
    def _start_in_band(cls, value: Decimal) -> Decimal:
        _check_band(value, START_MIN_MG, START_MAX_MG)
        _check_places(value)
        return value

    @field_validator("target_mg")
    @classmethod
    def _target_in_band(cls, value: Decimal) -> Decimal:
        _check_band(value, TARGET_MIN_MG, TARGET_MAX_MG)
        _check_places(value)
        return value

    @field_validator("step_mg")
    @classmethod
    def _step_fits(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        start, target = info.data.get("start_mg"), info.data.get("target_mg")
        if value is None:
            if start is not None and target is not None and start != target:
                raise _refuse("required", "is required when the start differs from the target")
            return value
        if not value.is_finite() or not Decimal(0) < value <= STEP_MAX_MG:
            raise _refuse(
                "step_range", f"must be more than 0 mg and at most {format_mg(STEP_MAX_MG)}"
            )
        _check_places(value)
        if (
            start is not None
            and target is not None
            and step_count(start, target, value) > MAX_STEPS
        ):
            raise _refuse(
                "too_many_steps",
                f"makes more than {MAX_STEPS} steps from {format_mg(start)} "
                f"to {format_mg(target)}; use a larger step",
            )
        return value

    @field_validator("every")
    @classmethod
    def _every_given(cls, value: Interval | None, info: ValidationInfo) -> Interval | None:
        start, target = info.data.get("start_mg"), info.data.get("target_mg")
        if value is None and start is not None and target is not None and start != target:
            raise _refuse("required", "is required when the start differs from the target")
        return value

    @field_validator("first_day")
    @classmethod
    def _first_day_in_range(cls, value: date) -> date:
        if not FIRST_DAY_MIN <= value <= FIRST_DAY_MAX:
            raise _refuse(
                "day_range",
                f"must be a day from {FIRST_DAY_MIN.isoformat()} to {FIRST_DAY_MAX.isoformat()}",
            )
        return value

    @field_validator("maintenance_days")
    @classmethod
    def _maintenance_length(cls, value: int | None) -> int | None:
        if value is not None and not 1 <= value <= MAINTENANCE_DAYS_MAX:
            raise _refuse(
                "days_range", f"must be a whole number of days from 1 to {MAINTENANCE_DAYS_MAX}"
            )
        return value

    @field_validator("label", "source")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if len(value) > LABEL_MAX_CHARS:
            raise _refuse("too_long", f"must be at most {LABEL_MAX_CHARS} characters")
        if any(not ch.isprintable() for ch in value):
            raise _refuse(
                "control", "must be printable text on one line (no tabs or control characters)"
            )
        return value

    @field_validator("bud_days")
    @classmethod
    def _bud_in_band(cls, value: int | None) -> int | None:
        if value is not None and not 1 <= value <= BUD_MAX_DAYS:
            raise _refuse("days_range", f"must be a whole number of days from 1 to {BUD_MAX_DAYS}")
        return value

    @field_validator("overage_percent")
    @classmethod
    def _overage_for_liquids(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        if not Decimal(0) <= value <= OVERAGE_MAX_PERCENT or decimal_places(value) > 2:
            raise _refuse("percent_range", f"must be a percentage from 0 to {OVERAGE_MAX_PERCENT}")
        if value and not isinstance(info.data.get("formulation"), Liquid):
            raise _refuse("liquid_only", "applies to --form liquid only")
        return value

    @property
    def direction(self) -> int:
        """+1 to titrate up, -1 to taper down, 0 for a single maintenance step."""
        if self.target_mg > self.start_mg:
            return 1
        return -1 if self.target_mg < self.start_mg else 0


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a schedule: numbered from 1, inclusive days, a dose in mg."""

    number: int
    first_day: date
    last_day: date | None
    days: int | None
    dose_mg: Decimal
    instructions: str
    volume_ml: Decimal | None = None
    capsules: tuple[tuple[Decimal, int], ...] | None = None


@dataclass(frozen=True, slots=True)
class Quantity:
    """An amount to dispense: a volume in mL, or a count of capsules of each strength (mg)."""

    volume_ml: Decimal | None = None
    capsules: tuple[tuple[Decimal, int], ...] = ()


@dataclass(frozen=True, slots=True)
class StepSupply:
    """What one step needs: ``assumed`` marks an ongoing step counted for a set number of days."""

    step: int
    days: int
    quantity: Quantity
    assumed: bool = False


@dataclass(frozen=True, slots=True)
class Fill:
    """One dispensing: the days it covers (inclusive) and the day it must be dispensed by."""

    number: int
    first_day: date
    last_day: date
    quantity: Quantity
    dispense_by: date


@dataclass(frozen=True, slots=True)
class Dispense:
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


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning about a request that is allowed but unusual; it names the option."""

    code: str
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class Schedule:
    """A dated schedule built from a request."""

    request: TitrationRequest
    steps: tuple[Step, ...]
    notices: tuple[Notice, ...] = ()
    dispense: Dispense | None = None
