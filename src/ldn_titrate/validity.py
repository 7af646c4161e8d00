"""Every way a request's values break the limits: what the frozen models refuse, and why.

Pure checks of plain values by field name, so that a request, a formulation and the layers
that build them (``request``) name every problem at once before any model is made.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from ldn_titrate.doses import (
    Form,
    canonical,
    decimal_places,
    format_concentration,
    format_mg,
    format_ml,
)
from ldn_titrate.errors import Phrase, Setting
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
)

Problems = list[tuple[str, str | Phrase]]


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
    elif overage and getattr(fields.get("formulation"), "form", None) is not Form.LIQUID:
        found.append(("overage_percent", ("applies to ", Setting("form", "liquid"), " only")))
    return found


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
