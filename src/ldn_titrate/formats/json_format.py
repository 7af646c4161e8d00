"""The JSON format: one object with the request, the steps and the warnings."""

from __future__ import annotations

import json
from datetime import date
from typing import Final

from ldn_titrate import __version__
from ldn_titrate.doses import format_number, parse_number
from ldn_titrate.errors import InputError, PlanFormatError
from ldn_titrate.model import Schedule, Step

SCHEMA_VERSION: Final = 1


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
    }


def _step(step: Step, label: str | None) -> dict[str, object]:
    return {
        "step": step.number,
        "start_date": step.first_day.isoformat(),
        "end_date": None if step.last_day is None else step.last_day.isoformat(),
        "days": step.days,
        "dose_mg": format_number(step.dose_mg),
        "instructions": step.instructions,
        "label": label,
    }


def to_data(schedule: Schedule) -> dict[str, object]:
    """The schedule as plain JSON data: doses as exact decimal strings."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": "ldn-titrate",
        "tool_version": __version__,
        "request": _request(schedule),
        "steps": [_step(step, schedule.request.label) for step in schedule.steps],
        "warnings": [
            {"code": n.code, "option": f"--{n.field}", "message": n.message}
            for n in schedule.notices
        ],
    }


def dumps(schedule: Schedule) -> str:
    """The schedule as indented JSON text."""
    return json.dumps(to_data(schedule), indent=2, ensure_ascii=False) + "\n"


def _field(item: dict[str, object], key: str, kind: type, source: str, where: str) -> object:
    value = item.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise PlanFormatError(source, f"{where}: {key} must be {kind.__name__}, got {value!r}")
    return value


def _day(value: object, source: str, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise PlanFormatError(source, f"{where}: {value!r} is not a YYYY-MM-DD day") from None


def loads(text: str, source: str) -> tuple[Step, ...]:
    """Read the steps of a JSON plan written by ``dumps``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanFormatError(source, f"not valid JSON: {exc.msg}", exc.lineno) from None
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
        steps.append(
            Step(
                number=int(str(_field(item, "step", int, source, where))),
                first_day=_day(_field(item, "start_date", str, source, where), source, where),
                last_day=None if end is None else _day(end, source, where),
                days=None if days is None else int(str(_field(item, "days", int, source, where))),
                dose_mg=dose,
                instructions=str(_field(item, "instructions", str, source, where)),
            )
        )
    return tuple(steps)
