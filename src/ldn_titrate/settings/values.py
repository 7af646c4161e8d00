"""Text or a TOML value -> a typed setting value, and back: the parsers of every setting.

Each parser takes the raw value, the name to refuse it under and today, and raises
``InputError`` naming that name; each writer gives text its parser reads back to the same value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Final

from ldn_titrate.bounded import day_within
from ldn_titrate.dates import Interval, parse_day, parse_interval
from ldn_titrate.doses import (
    Form,
    canonical,
    format_number,
    parse_concentration,
    parse_dose,
    parse_number,
    parse_percent,
    parse_volume,
)
from ldn_titrate.errors import InputError
from ldn_titrate.limits import MAX_STEPS
from ldn_titrate.model import DoseTime, PlannedStep

Raw = str | int | Decimal | date | list[str | int | Decimal]


class TomlFloat(str):
    """A TOML float kept as written, so that ``1e0`` is refused as on the command line."""

    __slots__ = ()


def raw_text(value: Raw, field: str) -> str:
    """A raw value as text for its parser; a list, a date or a boolean is refused."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InputError(field, as_written(value), 'must be text, such as "0.5 mg"')
    return str(value)


def dose_value(value: Raw, field: str, _today: date) -> Decimal:
    """A dose in mg: ``0.5``, ``1.5 mg``."""
    return parse_dose(raw_text(value, field), field)


def interval_value(value: Raw, field: str, _today: date) -> Interval:
    """How long a step lasts: ``7d``, ``2w``, ``1mo``."""
    return parse_interval(raw_text(value, field), field)


def day_value(value: Raw, field: str, today: date) -> date:
    """A day: ``YYYY-MM-DD``, ``today``, or a TOML date (never a date-time)."""
    if isinstance(value, datetime):
        raise InputError(field, value.isoformat(), "must be a day without a time, YYYY-MM-DD")
    if isinstance(value, date):
        return day_within(value, field)
    return parse_day(raw_text(value, field), field, today)


# Above every limit on a count of days or units: a longer run of digits reads as this, so that
# the range check names the range instead of the number's form being blamed.
_BEYOND_EVERY_LIMIT = 1_000_000


def whole(value: Raw, field: str, what: str) -> int:
    """A whole number of at most six digits; a longer run of digits reads as beyond every limit."""
    text = raw_text(value, field)
    if re.fullmatch(r"[0-9]{1,6}", text) is None:
        if re.fullmatch(r"[0-9]+", text) is not None:
            return _BEYOND_EVERY_LIMIT
        raise InputError(field, text, f"must be a whole number{what}")
    return int(text)


def days_value(value: Raw, field: str, _today: date) -> int:
    """A whole number of days, such as 30."""
    return whole(value, field, " of days, such as 30")


def count_value(value: Raw, field: str, _today: date) -> int:
    """A whole count, such as 4."""
    return whole(value, field, ", such as 4")


def form_value(value: Raw, field: str, _today: date) -> Form:
    """``liquid`` or ``capsule``, in any case."""
    text = raw_text(value, field).strip(" ").lower()
    try:
        return Form(text)
    except ValueError:
        raise InputError(field, as_written(value), "must be liquid or capsule") from None


def concentration_value(value: Raw, field: str, _today: date) -> Decimal:
    """A liquid's strength in mg/mL."""
    return parse_concentration(raw_text(value, field), field)


def graduation_value(value: Raw, field: str, _today: date) -> Decimal:
    """A syringe mark in mL."""
    return parse_volume(raw_text(value, field), field)


def percent_value(value: Raw, field: str, _today: date) -> Decimal:
    """A percentage, such as ``5%``."""
    return parse_percent(raw_text(value, field), field)


def strengths_value(value: Raw, field: str, _today: date) -> tuple[Decimal, ...]:
    """Capsule strengths in mg: text separated by commas, or a TOML list."""
    items = value if isinstance(value, list) else raw_text(value, field).split(",")
    if not items or any(isinstance(item, str) and not item.strip(" ") for item in items):
        raise InputError(
            field, as_written(value), "list strengths separated by commas, such as 1.5,0.5"
        )
    return tuple(parse_dose(raw_text(item, field), field) for item in items)


def time_value(value: Raw, field: str, _today: date) -> DoseTime:
    """``bedtime`` or ``morning``, in any case."""
    text = raw_text(value, field).strip(" ").lower()
    try:
        return DoseTime(text)
    except ValueError:
        raise InputError(field, as_written(value), "must be bedtime or morning") from None


def free_text(value: Raw, field: str, _today: date) -> str:
    """Text as written (a TOML float is not text)."""
    if not isinstance(value, str) or isinstance(value, TomlFloat):
        raise InputError(field, as_written(value), "must be text")
    return value


_STEP_FORM: Final = "write each step as DOSE for INTERVAL, such as 3 mg for 2w"
# Only a run of spaces that starts the run: without the look-behind, every space of a long
# run would scan the rest of it again (quadratic in the run).
_FOR: Final = re.compile(r"(?<!\s)\s+for\s+", re.IGNORECASE)


def planned_step(text: str, where: str, *, last: bool) -> PlannedStep:
    """One item of ``steps``: ``DOSE for INTERVAL``, DOSE maybe ``A + B``."""
    body = text.strip(" ")
    if not body:
        raise InputError(where, None, "is empty; separate the steps with single commas")
    parts = _FOR.split(body)
    if len(parts) > 2 or not parts[0].strip(" "):
        raise InputError(where, text, _STEP_FORM)
    if len(parts) == 1 and not last:
        raise InputError(where, text, "only the last step may leave out 'for INTERVAL'")
    every = parse_interval(parts[1], where) if len(parts) == 2 else None
    dose_texts = parts[0].split("+")
    if len(dose_texts) > 2:
        raise InputError(where, text, "a split dose is morning + bedtime, such as 0.5 mg + 1 mg")
    doses = []
    for dose_text in dose_texts:
        try:
            doses.append(parse_dose(dose_text, where))
        except InputError as exc:
            raise InputError(where, text, f"{exc.allowed}; {_STEP_FORM}") from None
    if len(doses) == 1:
        return PlannedStep(dose_mg=doses[0], every=every)
    morning, bedtime = doses
    return PlannedStep(
        dose_mg=canonical(morning + bedtime), every=every, morning_mg=morning, bedtime_mg=bedtime
    )


def steps_value(value: Raw, field: str, _today: date) -> tuple[PlannedStep, ...]:
    """Explicit steps: ``DOSE for INTERVAL`` items, the last may leave out its interval."""
    items = value if isinstance(value, list) else raw_text(value, field).split(",")
    if len(items) > MAX_STEPS:
        raise InputError(field, None, f"list at most {MAX_STEPS} steps, got {len(items)}")
    return tuple(
        planned_step(
            raw_text(item, f"{field}: item {n}").strip(" "),
            f"{field}: item {n}",
            last=n == len(items),
        )
        for n, item in enumerate(items, start=1)
    )


def step_text(doses: Sequence[Decimal], every: object | None, unit: str = " mg") -> str:
    """One step as text: ``3 mg for 2w``, a split dose ``0.5 mg + 1 mg for 2w``.

    The one writing of a step that ``steps`` reads back; the JSON plan writes its doses
    without the unit (``unit=""``).
    """
    dose = " + ".join(f"{format_number(d)}{unit}" for d in doses)
    return dose if every is None else f"{dose} for {every}"


def planned_doses(planned: PlannedStep) -> tuple[Decimal, ...]:
    """The doses of a step as written: morning and bedtime when split, else the day's."""
    if planned.morning_mg is not None and planned.bedtime_mg is not None:
        return (planned.morning_mg, planned.bedtime_mg)
    return (planned.dose_mg,)


def steps_text(value: tuple[PlannedStep, ...]) -> str:
    """Explicit steps as the text ``steps`` reads: items separated by commas."""
    return ", ".join(step_text(planned_doses(p), p.every) for p in value)


def flag_value(value: Raw, field: str, _today: date) -> bool:
    """``true`` or ``false``, as text or a TOML boolean."""
    if isinstance(value, bool):
        return value
    text = raw_text(value, field).strip(" ").lower()
    if text not in {"true", "false"}:
        raise InputError(field, as_written(value), "must be true or false")
    return text == "true"


def flag_text(value: bool) -> str:
    """A flag as the text ``flag_value`` reads."""
    return "true" if value else "false"


def weight_value(value: Raw, field: str, _today: date) -> Decimal:
    """A body weight in kg, written with its unit: ``32kg``."""
    text = raw_text(value, field)
    body = text.strip(" ").lower()
    if re.search(r"(lbs?|pounds?)$", body):
        raise InputError(field, text, "write kg: the weight in kilograms, such as 32kg")
    if not body.endswith("kg"):
        raise InputError(field, text, "write the weight in kg, such as 32kg")
    return parse_number(body[:-2].rstrip(" "), field)


def kg_text(value: Decimal) -> str:
    """A weight as the text ``weight_value`` reads: ``32kg``."""
    return f"{format_number(value)}kg"


def per_kg(value: Raw, field: str, _today: date) -> Decimal:
    """A dose per kg of body weight in mg/kg, the unit optional."""
    text = raw_text(value, field)
    body = text.strip(" ")
    if body.lower().endswith("mg/kg"):
        body = body[:-5].rstrip(" ")
    return parse_number(body, field)


def number_text(value: Decimal) -> str:
    """A decimal as digits: leading zero, no trailing zero."""
    return format_number(value)


def plain(value: object) -> str:
    """A value as its text."""
    return str(value)


def iso(value: date) -> str:
    """A day as ``YYYY-MM-DD``."""
    return value.isoformat()


def strengths_text(value: tuple[Decimal, ...]) -> str:
    """Capsule strengths as the text ``strengths_value`` reads: ``1.5,0.5``."""
    return ",".join(format_number(s) for s in value)


def as_written(value: object) -> object:
    """A raw value as the user wrote it, for messages: text, never a Python object."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(str(item) for item in value) + "]"
    return str(value)
