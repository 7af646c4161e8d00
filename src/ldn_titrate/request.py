"""Turn what the user typed (options and a request file) into a validated request."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Final

from pydantic import ValidationError

from ldn_titrate.dates import Interval, parse_day, parse_interval
from ldn_titrate.doses import parse_dose
from ldn_titrate.errors import InputError, InputErrors, PlanFormatError
from ldn_titrate.model import DoseTime, TitrationRequest

# Request keys, as written in a request file; options use the same names with dashes.
KEYS: Final = (
    "start",
    "target",
    "step",
    "every",
    "from",
    "maintenance_days",
    "time",
    "label",
    "source",
)
_MODEL_FIELDS: Final = {
    "start": "start_mg",
    "target": "target_mg",
    "step": "step_mg",
    "every": "every",
    "from": "first_day",
    "maintenance_days": "maintenance_days",
    "time": "time",
    "label": "label",
    "source": "source",
}
_KEY_OF_FIELD: Final = {field: key for key, field in _MODEL_FIELDS.items()}

Raw = str | int | Decimal | date


def option_name(key: str) -> str:
    """The command-line option for a request key: ``maintenance_days`` -> ``--maintenance-days``."""
    return "--" + key.replace("_", "-")


def _text(value: Raw, field: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InputError(field, value, 'must be text, such as "0.5 mg"')
    return str(value)


def _dose(value: Raw, field: str, _today: date) -> Decimal:
    return parse_dose(_text(value, field), field)


def _interval(value: Raw, field: str, _today: date) -> Interval:
    return parse_interval(_text(value, field), field)


def _day(value: Raw, field: str, today: date) -> date:
    if isinstance(value, datetime):
        raise InputError(field, value.isoformat(), "must be a day without a time, YYYY-MM-DD")
    if isinstance(value, date):
        return value
    return parse_day(_text(value, field), field, today)


def _days(value: Raw, field: str, _today: date) -> int:
    text = _text(value, field)
    if re.fullmatch(r"[0-9]+", text) is None:
        raise InputError(field, value, "must be a whole number of days, such as 30")
    return int(text)


def _time(value: Raw, field: str, _today: date) -> DoseTime:
    text = _text(value, field).strip(" ").lower()
    try:
        return DoseTime(text)
    except ValueError:
        raise InputError(field, value, "must be bedtime or morning") from None


def _free_text(value: Raw, field: str, _today: date) -> str:
    if not isinstance(value, str):
        raise InputError(field, value, "must be text")
    return value


_PARSERS: Final[Mapping[str, Callable[[Raw, str, date], object]]] = {
    "start": _dose,
    "target": _dose,
    "step": _dose,
    "every": _interval,
    "from": _day,
    "maintenance_days": _days,
    "time": _time,
    "label": _free_text,
    "source": _free_text,
}


def read_request_file(text: str, source: str) -> dict[str, Raw]:
    """Read a TOML request file into raw values by key; refuse unknown keys and bad TOML."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise PlanFormatError(source, f"not a valid TOML request file: {exc}") from None
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise PlanFormatError(
            source,
            f"unknown key {unknown[0]!r}; the keys are {', '.join(KEYS)}",
        )
    values: dict[str, Raw] = {}
    for key, value in data.items():
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal | date):
            raise PlanFormatError(source, f"key {key!r}: must be text, a number or a date")
        values[key] = value
    return values


def build_request(
    values: Mapping[str, Raw],
    names: Mapping[str, str],
    today: date,
) -> TitrationRequest:
    """Parse and validate raw values; ``names`` says how to name each key in messages.

    Raises:
        InputErrors: one entry per refused value.
    """
    errors: list[InputError] = []
    parsed: dict[str, object] = {}
    for key in KEYS:
        name = names.get(key, option_name(key))
        if key not in values:
            if key in {"start", "target"}:
                errors.append(InputError(name, None, "is required"))
            continue
        try:
            parsed[_MODEL_FIELDS[key]] = _PARSERS[key](values[key], name, today)
        except InputError as exc:
            errors.append(exc)
    if errors:
        raise InputErrors(errors)
    parsed.setdefault("first_day", today)
    try:
        return TitrationRequest.model_validate(parsed)
    except ValidationError as exc:
        for problem in exc.errors(include_url=False):
            key = _KEY_OF_FIELD.get(str(problem["loc"][0]), "") if problem["loc"] else ""
            errors.append(
                InputError(names.get(key, option_name(key)), values.get(key), problem["msg"])
            )
        raise InputErrors(errors) from None
