"""The JSON format: one object with the request, the steps and the warnings."""

from __future__ import annotations

import json
from datetime import date
from typing import Final

from ldn_titrate.dates import NOT_ISO, NotADayError, iso_day
from ldn_titrate.doses import CapsuleCounts, format_number, parse_dose, parse_number
from ldn_titrate.errors import InputError, PlanFormatError, shown
from ldn_titrate.formats import DEFAULT_OPTIONS, Format, WriteOptions
from ldn_titrate.model import (
    Administration,
    Capsules,
    Dispense,
    DoseTime,
    Liquid,
    Quantity,
    Schedule,
    Step,
)
from ldn_titrate.settings.values import planned_doses, step_text
from ldn_titrate.version import __version__
from ldn_titrate.wording import STEP_COLUMNS, format_quantity, step_columns, weight_words

SCHEMA_VERSION: Final = 1
_MAX_INT_DIGITS: Final = 12
_MAX_SHOWN: Final = 40


def _request(schedule: Schedule) -> dict[str, object]:
    request = schedule.request
    return {
        "start": format_number(request.start_mg),
        "target": format_number(request.target_mg),
        "step": None if request.step_mg is None else format_number(request.step_mg),
        "every": None if request.every is None else str(request.every),
        "from": request.first_day.isoformat(),
        "maintenance_days": request.maintenance_days,
        "time": request.time.value,
        "label": request.label,
        "source": request.source,
        **_formulation(schedule),
        **_planned(schedule),
        "meds": request.meds,
        # null when no medicines were screened; true once a finding was reviewed
        "meds_reviewed": None if request.meds is None else request.meds_reviewed,
        **({} if schedule.replan is None else {"replan": _replan(schedule)}),
        # Only a plan filled from a preset names it, and the preset values it replaced.
        **(
            {}
            if request.preset is None
            else {"preset": request.preset, "overrides": list(request.overrides)}
        ),
    }


def _replan(schedule: Schedule) -> dict[str, object]:
    """How the plan was re-planned: the change, the rule, its source, the day and the values."""
    record = schedule.replan
    assert record is not None  # noqa: S101 - called for a re-planned schedule only
    return {
        "change": record.change,
        "rule": record.rule,
        "source": record.source,
        "on": record.on.isoformat(),
        **dict(record.details),
    }


def _planned(schedule: Schedule) -> dict[str, object]:
    """Explicit steps, a split and a weight-based target: keys only when the request has them."""
    request = schedule.request
    extra: dict[str, object] = {}
    if request.steps is not None:
        extra["steps"] = [step_text(planned_doses(p), p.every, unit="") for p in request.steps]
    if request.split:
        extra["split"] = True
    if request.weight_kg is not None and request.mg_per_kg is not None:
        extra["weight_kg"] = format_number(request.weight_kg)
        extra["mg_per_kg"] = format_number(request.mg_per_kg)
        extra["target_from_weight"] = weight_words(request)
    return extra


def _formulation(schedule: Schedule) -> dict[str, object]:
    request = schedule.request
    form = request.formulation
    if form is None:
        return {"form": None}
    extra: dict[str, object] = {"form": form.form.value}
    if isinstance(form, Liquid):
        extra["concentration_mg_per_ml"] = format_number(form.concentration_mg_per_ml)
        extra["graduation_ml"] = format_number(form.graduation_ml)
        extra["overage_percent"] = format_number(request.overage_percent)
    if isinstance(form, Capsules):
        extra["strengths_mg"] = [format_number(s) for s in form.strengths_mg]
        extra["max_units"] = form.max_units
    extra["bud_days"] = request.bud_days
    return extra


def _counts(counts: CapsuleCounts) -> dict[str, int]:
    return {format_number(s): n for s, n in counts}


def _quantity(quantity: Quantity) -> dict[str, object]:
    data: dict[str, object] = {"text": format_quantity(quantity)}
    if quantity.volume_ml is not None:
        data["volume_ml"] = format_number(quantity.volume_ml)
    else:
        data["capsules"] = _counts(quantity.capsules)
    return data


def _dispense(dispense: Dispense) -> dict[str, object]:
    return {
        "per_step": [
            {
                "step": s.step,
                "days": s.days,
                "assumed": s.assumed,
                "quantity": _quantity(s.quantity),
            }
            for s in dispense.per_step
        ],
        "titration_total": _quantity(dispense.titration_total),
        "maintenance_total": _quantity(dispense.maintenance_total),
        "assumed_maintenance_days": dispense.assumed_maintenance_days,
        "overage_percent": format_number(dispense.overage_percent),
        "overage": None if dispense.overage is None else _quantity(dispense.overage),
        "grand_total": _quantity(dispense.grand_total),
        "days_supply": dispense.days_supply,
        "fills": [
            {
                "fill": f.number,
                "first_day": f.first_day.isoformat(),
                "last_day": f.last_day.isoformat(),
                "quantity": _quantity(f.quantity),
                "dispense_by": f.dispense_by.isoformat(),
            }
            for f in dispense.fills
        ],
    }


def _step(
    step: Step, label: str | None, quantity: Quantity | None, time: DoseTime
) -> dict[str, object]:
    cells: dict[str, object] = {
        "step": step.number,
        "start_date": step.first_day.isoformat(),
        "end_date": None if step.last_day is None else step.last_day.isoformat(),
        "days": step.days,
        "dose_mg": format_number(step.dose_mg),
        "volume_ml": None if step.volume_ml is None else format_number(step.volume_ml),
        "capsules": None if step.capsules is None else _counts(step.capsules),
        "quantity": None if quantity is None else format_quantity(quantity),
        "instructions": step.instructions,
        "label": label,
    }
    cells["administrations"] = [_administration(a) for a in step.doses_of_day(time)]
    cells["note"] = step.note
    # A column of a formulation appears only when the step has it; the others always do. The
    # administrations stand for the morning and bedtime columns of CSV; a note only when there.
    keys = [c.key for c in STEP_COLUMNS if c.key in cells]
    keys.insert(keys.index("instructions"), "administrations")
    # The columns of the plainest plan: every step has them, empty or not.
    shown = {c.key for c in step_columns(None)}
    return {k: cells[k] for k in keys if cells[k] is not None or k in shown | {"administrations"}}


def _administration(administration: Administration) -> dict[str, object]:
    """One dose of the day: its time, dose in mg, and volume in mL or capsules when formulated."""
    data: dict[str, object] = {
        "time": administration.time.value,
        "dose_mg": format_number(administration.dose_mg),
    }
    if administration.volume_ml is not None:
        data["volume_ml"] = format_number(administration.volume_ml)
    if administration.capsules is not None:
        data["capsules"] = _counts(administration.capsules)
    return data


def to_data(schedule: Schedule) -> dict[str, object]:
    """The schedule as plain JSON data: doses as exact decimal strings."""
    supplies = {s.step: s.quantity for s in schedule.dispense.per_step} if schedule.dispense else {}
    data: dict[str, object] = {
        "schema_version": SCHEMA_VERSION,
        "tool": "ldn-titrate",
        "tool_version": __version__,
        "request": _request(schedule),
        "steps": [
            _step(step, schedule.request.label, supplies.get(step.number), schedule.request.time)
            for step in schedule.steps
        ],
        "warnings": [
            {"code": n.code, "option": f"--{n.field}", "message": n.message}
            for n in schedule.notices
        ],
    }
    if schedule.dispense is not None:
        data["dispense"] = _dispense(schedule.dispense)
    return data


def write(schedule: Schedule, options: WriteOptions = DEFAULT_OPTIONS) -> str:  # noqa: ARG001 - no JSON option yet
    """The schedule as indented JSON text."""
    return json.dumps(to_data(schedule), indent=2, ensure_ascii=False) + "\n"


FORMAT: Final = Format.JSON
dumps: Final = write


def _field(item: dict[str, object], key: str, kind: type, source: str, where: str) -> object:
    value = item.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        # Text is quoted by the one rule; a number, list or object is shown as written.
        written = repr(value)
        short = written if len(written) <= _MAX_SHOWN else written[:_MAX_SHOWN] + "..."
        got = shown(value) if isinstance(value, str) else short
        raise PlanFormatError(source, f"{where}: {key} must be {kind.__name__}, got {got}")
    return value


def _day(value: object, source: str, where: str) -> date:
    if not isinstance(value, str):
        raise PlanFormatError(source, f"{where}: {shown(value)} is {NOT_ISO}")
    try:
        return iso_day(value)
    except NotADayError as exc:
        raise PlanFormatError(source, f"{where}: {shown(value)} is {exc.reason}") from None


def _small_int(text: str) -> int | str:
    """JSON integers; one too long for a plan stays text, so that its field is refused."""
    return text if len(text.lstrip("-")) > _MAX_INT_DIGITS else int(text)


def _read_counts(value: object, where: str) -> CapsuleCounts:
    if not isinstance(value, dict) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in value.values()
    ):
        raise InputError(f"{where}: capsules", value, 'must map strengths to counts, {"1.5": 2}')
    pairs = [(parse_dose(str(s), "capsules"), n) for s, n in value.items()]
    return tuple(sorted(pairs, reverse=True))


def loads(text: str, source: str) -> tuple[Step, ...]:
    """Read the steps of a JSON plan written by ``dumps``."""
    try:
        data = json.loads(text, parse_int=_small_int)
    except json.JSONDecodeError as exc:
        raise PlanFormatError(source, f"not valid JSON: {exc.msg}", exc.lineno) from None
    except (ValueError, RecursionError) as exc:
        raise PlanFormatError(source, f"not a plan: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise PlanFormatError(source, "expected an object with a list of steps")
    steps: list[Step] = []
    for index, item in enumerate(data["steps"], start=1):
        where = f"steps[{index}]"
        if not isinstance(item, dict):
            raise PlanFormatError(source, f"{where}: expected an object")
        dose_text = _field(item, "dose_mg", str, source, where)
        try:
            dose = parse_number(str(dose_text), "dose_mg")
        except InputError as exc:
            raise PlanFormatError(source, f"{where}: {exc}") from None
        end, days = item.get("end_date"), item.get("days")
        volume, capsules = item.get("volume_ml"), item.get("capsules")
        try:
            volume_ml = None if volume is None else parse_number(str(volume), "volume_ml")
            counts = None if capsules is None else _read_counts(capsules, where)
        except InputError as exc:
            raise PlanFormatError(source, f"{where}: {exc}") from None
        number = int(str(_field(item, "step", int, source, where)))
        if number < 1:
            raise PlanFormatError(source, f"{where}: steps are numbered from 1")
        if days is not None and int(str(_field(item, "days", int, source, where))) < 1:
            raise PlanFormatError(source, f"{where}: days: must be a whole number of at least 1")
        steps.append(
            Step(
                number=number,
                first_day=_day(_field(item, "start_date", str, source, where), source, where),
                last_day=None if end is None else _day(end, source, where),
                days=None if days is None else int(str(_field(item, "days", int, source, where))),
                dose_mg=dose,
                instructions=str(_field(item, "instructions", str, source, where)),
                volume_ml=volume_ml,
                capsules=counts,
                administrations=_read_administrations(item.get("administrations"), source, where),
                note=None if item.get("note") is None else str(item.get("note")),
            )
        )
    return tuple(steps)


def _read_administrations(value: object, source: str, where: str) -> tuple[Administration, ...]:
    """The doses of a split day; () for one dose a day (the step itself says it)."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(a, dict) for a in value):
        raise PlanFormatError(source, f"{where}: administrations must be a list of objects")
    if len(value) < 2:
        return ()
    read = []
    for a in value:
        try:
            time = DoseTime(str(a.get("time")))
            dose = parse_number(str(_field(a, "dose_mg", str, source, where)), "dose_mg")
            volume = a.get("volume_ml")
            capsules = a.get("capsules")
            read.append(
                Administration(
                    time,
                    dose,
                    None if volume is None else parse_number(str(volume), "volume_ml"),
                    None if capsules is None else _read_counts(capsules, where),
                )
            )
        except (ValueError, InputError) as exc:
            raise PlanFormatError(source, f"{where}: administrations: {exc}") from None
    return tuple(read)
