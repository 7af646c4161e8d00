"""Turn what the user typed (options and a request file) into a validated request."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from ldn_titrate.dates import Interval, parse_day, parse_interval
from ldn_titrate.doses import Form, parse_concentration, parse_dose, parse_percent, parse_volume
from ldn_titrate.errors import InputError, InputErrors, PlanFormatError, RequestError
from ldn_titrate.limits import DEFAULT_GRADUATION_ML, DEFAULT_MAX_UNITS
from ldn_titrate.model import (
    Capsules,
    DoseTime,
    Liquid,
    TitrationRequest,
    request_problems,
)

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
    "form",
    "concentration",
    "graduation",
    "strengths",
    "max_units",
    "bud",
    "overage",
)
_FORM_KEYS: Final = {
    "concentration": Form.LIQUID,
    "graduation": Form.LIQUID,
    "strengths": Form.CAPSULE,
    "max_units": Form.CAPSULE,
}
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
    "form": "form",
    "concentration": "concentration_mg_per_ml",
    "graduation": "graduation_ml",
    "strengths": "strengths_mg",
    "max_units": "max_units",
    "bud": "bud_days",
    "overage": "overage_percent",
}
_KEY_OF_FIELD: Final = {field: key for key, field in _MODEL_FIELDS.items()}

Raw = str | int | Decimal | date | list[str | int | Decimal]


def option_name(key: str) -> str:
    """The command-line option for a request key: ``maintenance_days`` -> ``--maintenance-days``."""
    return "--" + key.replace("_", "-")


def _text(value: Raw, field: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InputError(field, _as_written(value), 'must be text, such as "0.5 mg"')
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


def _whole(value: Raw, field: str, what: str) -> int:
    text = _text(value, field)
    if re.fullmatch(r"[0-9]{1,6}", text) is None:
        raise InputError(field, text, f"must be a whole number{what}")
    return int(text)


def _days(value: Raw, field: str, _today: date) -> int:
    return _whole(value, field, " of days, such as 30")


def _count(value: Raw, field: str, _today: date) -> int:
    return _whole(value, field, ", such as 4")


def _form(value: Raw, field: str, _today: date) -> Form:
    text = _text(value, field).strip(" ").lower()
    try:
        return Form(text)
    except ValueError:
        raise InputError(field, _as_written(value), "must be liquid or capsule") from None


def _concentration(value: Raw, field: str, _today: date) -> Decimal:
    return parse_concentration(_text(value, field), field)


def _graduation(value: Raw, field: str, _today: date) -> Decimal:
    return parse_volume(_text(value, field), field)


def _percent(value: Raw, field: str, _today: date) -> Decimal:
    return parse_percent(_text(value, field), field)


def _strengths(value: Raw, field: str, _today: date) -> tuple[Decimal, ...]:
    items = value if isinstance(value, list) else _text(value, field).split(",")
    if not items or any(isinstance(item, str) and not item.strip(" ") for item in items):
        raise InputError(
            field, _as_written(value), "list strengths separated by commas, such as 1.5,0.5"
        )
    return tuple(parse_dose(_text(item, field), field) for item in items)


def _time(value: Raw, field: str, _today: date) -> DoseTime:
    text = _text(value, field).strip(" ").lower()
    try:
        return DoseTime(text)
    except ValueError:
        raise InputError(field, _as_written(value), "must be bedtime or morning") from None


def _free_text(value: Raw, field: str, _today: date) -> str:
    if not isinstance(value, str):
        raise InputError(field, _as_written(value), "must be text")
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
    "form": _form,
    "concentration": _concentration,
    "graduation": _graduation,
    "strengths": _strengths,
    "max_units": _count,
    "bud": _days,
    "overage": _percent,
}


def read_request_file(text: str, source: str) -> dict[str, Raw]:
    """Read a TOML request file into raw values by key; refuse unknown keys and bad TOML."""
    import tomllib  # noqa: PLC0415 - only request files need it

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
        if isinstance(value, list) and key == "strengths":
            if not all(
                isinstance(v, str | int | Decimal) and not isinstance(v, bool) for v in value
            ):
                raise PlanFormatError(source, f"key {key!r}: must be a list of doses")
            values[key] = value
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal | date):
            raise PlanFormatError(source, f"key {key!r}: must be text, a number or a date")
        values[key] = value
    return values


def _as_written(value: object) -> object:
    """A raw value as the user wrote it, for messages: text, never a Python object."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(str(item) for item in value) + "]"
    return str(value)


def _required(names: Mapping[str, str], key: str, why: str) -> InputErrors:
    return InputErrors([InputError(names.get(key, option_name(key)), None, why)])


def _formulation(
    parsed: dict[str, object],
    names: Mapping[str, str],
    values: Mapping[str, Raw],
    failed: set[str],
) -> Liquid | Capsules | None:
    """Assemble the formulation from its keys (taking them out of ``parsed``).

    Keys that belong to another form are refused; a key that failed to parse is not
    reported again as missing.
    """
    form = parsed.pop("form", None)
    fields = {k: parsed.pop(v) for k, v in _MODEL_FIELDS.items() if k in _FORM_KEYS and v in parsed}
    if "form" in failed:
        return None
    errors = [
        InputError(
            names.get(key, option_name(key)),
            _as_written(values.get(key)),
            f"applies to --form {kind} only",
        )
        for key, kind in _FORM_KEYS.items()
        if key in fields and form is not kind
    ]
    if form is None and "bud_days" in parsed:
        errors.append(
            InputError(
                names.get("bud", "--bud"),
                _as_written(values.get("bud")),
                "needs --form liquid or capsule",
            )
        )
    if errors:
        raise InputErrors(errors)
    try:
        return _build_form(form, fields, names, failed)
    except RequestError as exc:
        raise InputErrors([error for _, error in _explain(exc.problems, names, values)]) from None


def _build_form(
    form: object, fields: dict[str, Any], names: Mapping[str, str], failed: set[str]
) -> Liquid | Capsules | None:
    """The liquid or capsule formulation from its parsed fields, with the usual defaults."""
    if form is Form.LIQUID and "concentration" not in failed:
        if "concentration" not in fields:
            raise _required(names, "concentration", "is required with --form liquid")
        return Liquid(
            concentration_mg_per_ml=fields["concentration"],
            graduation_ml=fields.get("graduation", DEFAULT_GRADUATION_ML),
        )
    if form is Form.CAPSULE and "strengths" not in failed:
        if "strengths" not in fields:
            raise _required(names, "strengths", "is required with --form capsule")
        return Capsules(
            strengths_mg=fields["strengths"],
            max_units=fields.get("max_units", DEFAULT_MAX_UNITS),
        )
    return None


def _explain(
    problems: tuple[tuple[str, str], ...] | list[tuple[str, str]],
    names: Mapping[str, str],
    values: Mapping[str, Raw],
) -> list[tuple[str, InputError]]:
    """Each (field, message) problem as (key, InputError), named as the user named the value."""
    out = []
    for field, message in problems:
        key = _KEY_OF_FIELD.get(field, field)
        name = names.get(key, option_name(key))
        out.append((key, InputError(name, _as_written(values.get(key)), message)))
    return out


def build_request(
    values: Mapping[str, Raw],
    names: Mapping[str, str],
    today: date,
) -> TitrationRequest:
    """Parse and validate raw values; ``names`` says how to name each key in messages.

    Every problem is reported at once: values that parse are still checked against the
    limits when others do not.

    Raises:
        InputErrors: one entry per refused value.
    """
    errors: list[InputError] = []
    failed: set[str] = set()
    parsed: dict[str, object] = {}
    for key in KEYS:
        name = names.get(key, option_name(key))
        if key not in values:
            if key in {"start", "target"}:
                errors.append(InputError(name, None, "is required"))
                failed.add(key)
            continue
        try:
            parsed[_MODEL_FIELDS[key]] = _PARSERS[key](values[key], name, today)
        except InputError as exc:
            errors.append(exc)
            failed.add(key)
    parsed.setdefault("first_day", today)
    try:
        parsed["formulation"] = _formulation(parsed, names, values, failed)
    except InputErrors as exc:
        errors.extend(exc.errors)
    if errors:
        problems = request_problems(parsed)
        errors.extend(e for key, e in _explain(problems, names, values) if key not in failed)
        raise InputErrors(errors)
    try:
        return TitrationRequest(**parsed)  # type: ignore[arg-type]
    except RequestError as exc:
        raise InputErrors([e for _, e in _explain(exc.problems, names, values)]) from None
