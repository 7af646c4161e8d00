"""Turn what the user typed (options and a request file) into a validated request."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final, NamedTuple

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
from ldn_titrate.errors import (
    InputError,
    InputErrors,
    Phrase,
    RequestError,
    Setting,
    Spelling,
    as_file_key,
    spell,
)
from ldn_titrate.limits import (
    DEFAULT_GRADUATION_ML,
    DEFAULT_MAX_UNITS,
    DEFAULT_MG_PER_KG,
    MAX_STEPS,
    TARGET_MIN_MG,
)
from ldn_titrate.model import (
    Capsules,
    DoseTime,
    Liquid,
    PlannedStep,
    TitrationRequest,
    request_problems,
    weight_problems,
    weight_target,
)

Raw = str | int | Decimal | date | list[str | int | Decimal]


class TomlFloat(str):
    """A TOML float kept as written, so that ``1e0`` is refused as on the command line."""

    __slots__ = ()


def raw_text(value: Raw, field: str) -> str:
    """A raw value as text for its parser; a list, a date or a boolean is refused."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InputError(field, _as_written(value), 'must be text, such as "0.5 mg"')
    return str(value)


def _dose(value: Raw, field: str, _today: date) -> Decimal:
    return parse_dose(raw_text(value, field), field)


def _interval(value: Raw, field: str, _today: date) -> Interval:
    return parse_interval(raw_text(value, field), field)


def _day(value: Raw, field: str, today: date) -> date:
    if isinstance(value, datetime):
        raise InputError(field, value.isoformat(), "must be a day without a time, YYYY-MM-DD")
    if isinstance(value, date):
        return day_within(value, field)
    return parse_day(raw_text(value, field), field, today)


# Above every limit on a count of days or units: a longer run of digits reads as this, so that
# the range check names the range instead of the number's form being blamed.
_BEYOND_EVERY_LIMIT = 1_000_000


def _whole(value: Raw, field: str, what: str) -> int:
    text = raw_text(value, field)
    if re.fullmatch(r"[0-9]{1,6}", text) is None:
        if re.fullmatch(r"[0-9]+", text) is not None:
            return _BEYOND_EVERY_LIMIT
        raise InputError(field, text, f"must be a whole number{what}")
    return int(text)


def _days(value: Raw, field: str, _today: date) -> int:
    return _whole(value, field, " of days, such as 30")


def _count(value: Raw, field: str, _today: date) -> int:
    return _whole(value, field, ", such as 4")


def _form(value: Raw, field: str, _today: date) -> Form:
    text = raw_text(value, field).strip(" ").lower()
    try:
        return Form(text)
    except ValueError:
        raise InputError(field, _as_written(value), "must be liquid or capsule") from None


def _concentration(value: Raw, field: str, _today: date) -> Decimal:
    return parse_concentration(raw_text(value, field), field)


def _graduation(value: Raw, field: str, _today: date) -> Decimal:
    return parse_volume(raw_text(value, field), field)


def _percent(value: Raw, field: str, _today: date) -> Decimal:
    return parse_percent(raw_text(value, field), field)


def _strengths(value: Raw, field: str, _today: date) -> tuple[Decimal, ...]:
    items = value if isinstance(value, list) else raw_text(value, field).split(",")
    if not items or any(isinstance(item, str) and not item.strip(" ") for item in items):
        raise InputError(
            field, _as_written(value), "list strengths separated by commas, such as 1.5,0.5"
        )
    return tuple(parse_dose(raw_text(item, field), field) for item in items)


def _time(value: Raw, field: str, _today: date) -> DoseTime:
    text = raw_text(value, field).strip(" ").lower()
    try:
        return DoseTime(text)
    except ValueError:
        raise InputError(field, _as_written(value), "must be bedtime or morning") from None


def _free_text(value: Raw, field: str, _today: date) -> str:
    if not isinstance(value, str) or isinstance(value, TomlFloat):
        raise InputError(field, _as_written(value), "must be text")
    return value


_STEP_FORM: Final = "write each step as DOSE for INTERVAL, such as 3 mg for 2w"
# Only a run of spaces that starts the run: without the look-behind, every space of a long
# run would scan the rest of it again (quadratic in the run).
_FOR: Final = re.compile(r"(?<!\s)\s+for\s+", re.IGNORECASE)


def _planned_step(text: str, where: str, *, last: bool) -> PlannedStep:
    """One item of ``--steps``: ``DOSE for INTERVAL``, DOSE maybe ``A + B``."""
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


def _steps(value: Raw, field: str, _today: date) -> tuple[PlannedStep, ...]:
    items = value if isinstance(value, list) else raw_text(value, field).split(",")
    if len(items) > MAX_STEPS:
        raise InputError(field, None, f"list at most {MAX_STEPS} steps, got {len(items)}")
    return tuple(
        _planned_step(
            raw_text(item, f"{field}: item {n}").strip(" "),
            f"{field}: item {n}",
            last=n == len(items),
        )
        for n, item in enumerate(items, start=1)
    )


def _steps_text(value: tuple[PlannedStep, ...]) -> str:
    def item(planned: PlannedStep) -> str:
        dose = format_number(planned.dose_mg) + " mg"
        if planned.morning_mg is not None and planned.bedtime_mg is not None:
            dose = (
                f"{format_number(planned.morning_mg)} mg + {format_number(planned.bedtime_mg)} mg"
            )
        return dose if planned.every is None else f"{dose} for {planned.every}"

    return ", ".join(item(p) for p in value)


def _flag(value: Raw, field: str, _today: date) -> bool:
    if isinstance(value, bool):
        return value
    text = raw_text(value, field).strip(" ").lower()
    if text not in {"true", "false"}:
        raise InputError(field, _as_written(value), "must be true or false")
    return text == "true"


def _flag_text(value: bool) -> str:
    return "true" if value else "false"


def _weight(value: Raw, field: str, _today: date) -> Decimal:
    text = raw_text(value, field)
    body = text.strip(" ").lower()
    if re.search(r"(lbs?|pounds?)$", body):
        raise InputError(field, text, "write kg: the weight in kilograms, such as 32kg")
    if not body.endswith("kg"):
        raise InputError(field, text, "write the weight in kg, such as 32kg")
    return parse_number(body[:-2].rstrip(" "), field)


def _kg_text(value: Decimal) -> str:
    return f"{format_number(value)}kg"


def _per_kg(value: Raw, field: str, _today: date) -> Decimal:
    text = raw_text(value, field)
    body = text.strip(" ")
    if body.lower().endswith("mg/kg"):
        body = body[:-5].rstrip(" ")
    return parse_number(body, field)


class Field(NamedTuple):
    """One value of a request: how a file, the command line and the model name it."""

    key: str
    """The key in a request file (and in the JSON request)."""
    option: str
    """The command-line option that gives it."""
    attribute: str
    """The attribute of the model it fills."""
    parse: Callable[[Raw, str, date], object]
    """Text or a TOML value -> the model value; raises InputError naming the field."""
    write: Callable[[Any], Raw]
    """The model value -> text that ``parse`` reads back to the same value."""
    form: Form | None = None
    """The formulation the value belongs to, if only one."""


def _number_text(value: Decimal) -> str:
    return format_number(value)


def _plain(value: object) -> str:
    return str(value)


def _iso(value: date) -> str:
    return value.isoformat()


def _strengths_text(value: tuple[Decimal, ...]) -> str:
    return ",".join(format_number(s) for s in value)


# The one table of request values, in the order a file's keys are listed in messages.
FIELDS: Final = (
    Field("start", "--start", "start_mg", _dose, _number_text),
    Field("target", "--target", "target_mg", _dose, _number_text),
    Field("step", "--step", "step_mg", _dose, _number_text),
    Field("every", "--every", "every", _interval, _plain),
    Field("from", "--from", "first_day", _day, _iso),
    Field("maintenance_days", "--maintenance-days", "maintenance_days", _days, _plain),
    Field("time", "--time", "time", _time, _plain),
    Field("label", "--label", "label", _free_text, _plain),
    Field("source", "--source", "source", _free_text, _plain),
    Field("form", "--form", "form", _form, _plain),
    Field(
        "concentration",
        "--concentration",
        "concentration_mg_per_ml",
        _concentration,
        _number_text,
        Form.LIQUID,
    ),
    Field("graduation", "--graduation", "graduation_ml", _graduation, _number_text, Form.LIQUID),
    Field("strengths", "--strengths", "strengths_mg", _strengths, _strengths_text, Form.CAPSULE),
    Field("max_units", "--max-units", "max_units", _count, _plain, Form.CAPSULE),
    Field("bud", "--bud", "bud_days", _days, _plain),
    Field("overage", "--overage", "overage_percent", _percent, _number_text),
    Field("steps", "--steps", "steps", _steps, _steps_text),
    Field("split", "--split", "split", _flag, _flag_text),
    Field("weight", "--weight", "weight_kg", _weight, _kg_text),
    Field("mg_per_kg", "--mg-per-kg", "mg_per_kg", _per_kg, _number_text),
    Field("meds", "--meds", "meds", _free_text, _plain),
)
BY_KEY: Final = MappingProxyType({f.key: f for f in FIELDS})
# Directions (``sig``) are not a field of the request: they are read into its steps, time and
# form before it is built (sig_request.py).
SIG_KEY: Final = "sig"
KEYS: Final = (*(f.key for f in FIELDS), SIG_KEY)
_KEY_OF_ATTRIBUTE: Final = MappingProxyType({f.attribute: f.key for f in FIELDS})


def sig_names(names: Mapping[str, str]) -> dict[str, str]:
    """How to name the values that directions give, when they come from directions."""
    named = dict(names)
    if SIG_KEY in named:
        for key in ("steps", "time", "form", "concentration", "strengths"):
            named.setdefault(key, named[SIG_KEY])
    return named


def option_name(key: str) -> str:
    """The command-line option for a request key: ``maintenance_days`` -> ``--maintenance-days``."""
    field = BY_KEY.get(key)
    return "--" + key.replace("_", "-") if field is None else field.option


class Layer(NamedTuple):
    """Raw values from one place, and how a message names a value that came from there.

    A ``defaults`` layer (the config file) gives formulation values only to a plan of its
    form: a liquid default never reaches a capsule plan, or a plan with no formulation.
    """

    values: Mapping[str, Raw]
    names: Mapping[str, str]
    defaults: bool = False


def file_layer(values: Mapping[str, Raw], source: str) -> Layer:
    """Values read from a request file, named ``file: key`` in messages."""
    return Layer(dict(values), {key: f"{source}: {key}" for key in values})


def options_layer(options: Mapping[str, str | None]) -> Layer:
    """Values given as command-line options by request key (None: not given)."""
    given = {key: value for key, value in options.items() if value is not None}
    return Layer(given, {key: option_name(key) for key in given})


# The form a formulation key belongs to; ``bud`` belongs to either but needs one.
_FORM_OF: Final = MappingProxyType(
    {
        **{f.key: f.form for f in FIELDS if f.form is not None},
        "overage": Form.LIQUID,
        "bud": None,
    }
)


_LADDER: Final = frozenset({"start", "target", "step", "every"})
_REPLACED_BY: Final = MappingProxyType(
    {
        **dict.fromkeys(_LADDER - {"target"}, frozenset({"steps", SIG_KEY})),
        "target": frozenset({"steps", "weight", SIG_KEY}),
        "steps": _LADDER | {"split", SIG_KEY},
        "weight": frozenset({"steps", "target", SIG_KEY}),
        "mg_per_kg": frozenset({"steps", "target", SIG_KEY}),
        SIG_KEY: _LADDER | {"steps", "split", "weight", "mg_per_kg"},
    }
)


def merge(layers: Sequence[Layer]) -> Layer:
    """One set of values from several layers, lowest first: a later layer wins a key.

    The order is preset < config < request file < command line. The layer that gives the
    form also sets aside the formulation values of another form from the layers below it, and
    a layer that gives a ladder, explicit steps or a weight sets aside the other ways of
    writing the plan from the layers below it.
    """
    values: dict[str, Raw] = {}
    names: dict[str, str] = {}
    origin: dict[str, int] = {}
    for index, layer in enumerate(layers):
        # A higher layer that writes the plan another way sets aside the lower layers' way:
        # a ladder over a preset's explicit steps, a target over a weight, and back.
        for key in [k for k in values if _REPLACED_BY.get(k, frozenset()) & layer.values.keys()]:
            del values[key], names[key], origin[key]
        values.update(layer.values)
        names.update(layer.names)
        origin.update(dict.fromkeys(layer.values, index))
    text = values.get("form")
    form = next((f for f in Form if isinstance(text, str) and text.strip(" ").lower() == f), None)
    for key in [k for k in values if k in _FORM_OF]:
        belongs = _FORM_OF[key] in {form, None} and form is not None
        below = origin[key] < origin.get("form", -1)
        if not belongs and (layers[origin[key]].defaults or (below and form is not None)):
            del values[key], names[key]
    return Layer(values, names)


def overridden(preset: Layer, above: Sequence[Layer]) -> tuple[str, ...]:
    """The preset's keys that a higher layer gives again or sets aside, named by that layer.

    A key set aside (the preset's steps under a ladder given on the command line) is named
    by the keys that set it aside.
    """
    merged = merge(above)
    named: list[str] = []
    for key in KEYS:
        if key not in preset.values:
            continue
        if key in merged.values:
            named.append(merged.names[key])
            continue
        named.extend(
            merged.names[k]
            for k in KEYS
            if k in _REPLACED_BY.get(key, frozenset()) and k in merged.values
        )
    return tuple(dict.fromkeys(named))


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
    fields = {
        f.key: parsed.pop(f.attribute)
        for f in FIELDS
        if f.form is not None and f.attribute in parsed
    }
    if "form" in failed:
        return None
    errors = [
        InputError(
            names.get(f.key, f.option),
            _as_written(values.get(f.key)),
            spell(("applies to ", Setting("form", f.form), " only"), spelling(names)),
        )
        for f in FIELDS
        if f.form is not None and f.key in fields and form is not f.form
    ]
    if form is None and "bud_days" in parsed:
        errors.append(
            InputError(
                names.get("bud", "--bud"),
                _as_written(values.get("bud")),
                spell(("needs ", Setting("form", "liquid or capsule")), spelling(names)),
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
            raise _required(
                names,
                "concentration",
                spell(("is required with ", Setting("form", "liquid")), spelling(names)),
            )
        return Liquid(
            concentration_mg_per_ml=fields["concentration"],
            graduation_ml=fields.get("graduation", DEFAULT_GRADUATION_ML),
        )
    if form is Form.CAPSULE and "strengths" not in failed:
        if "strengths" not in fields:
            raise _required(
                names,
                "strengths",
                spell(("is required with ", Setting("form", "capsule")), spelling(names)),
            )
        return Capsules(
            strengths_mg=fields["strengths"],
            max_units=fields.get("max_units", DEFAULT_MAX_UNITS),
        )
    return None


def spelling(names: Mapping[str, str], *, heading: bool = False) -> Spelling:
    """How to name a suggested setting: as the option or the file key the user wrote.

    A key given on the command line (or never given, with no request file) is an option,
    ``--graduation 0.01``; a key from a request file, or any key when a file was used and the
    command line did not give it, is a file key, ``graduation = 0.01``; at the head of a
    message (``heading``) the file is named too, ``request.toml: form = capsule``.
    """
    from_file = any(not name.startswith("--") for name in names.values())

    def name(setting: Setting) -> str:
        given = names.get(setting.key)
        on_command_line = given.startswith("--") if given is not None else not from_file
        if on_command_line:
            return f"{option_name(setting.key)} {setting.value}"
        if heading and given is not None:
            return f"{given} = {setting.value}"
        return as_file_key(setting)

    return name


def _explain(
    problems: Sequence[tuple[str, str | Phrase]],
    names: Mapping[str, str],
    values: Mapping[str, Raw],
) -> list[tuple[str, InputError]]:
    """Each (field, message) problem as (key, InputError), named as the user named the value."""
    out = []
    name = spelling(names)
    for field, message in problems:
        key = _KEY_OF_ATTRIBUTE.get(field, field)
        shown = names.get(key, option_name(key))
        out.append((key, InputError(shown, _as_written(values.get(key)), spell(message, name))))
    return out


def _both(names: Mapping[str, str], one: str, other: str, why: str) -> InputError:
    """Two values that cannot be given together, named both."""
    return InputError(
        f"{names.get(one, option_name(one))} and {names.get(other, option_name(other))}", None, why
    )


def _conflicts(
    parsed: Mapping[str, object], names: Mapping[str, str], given: set[str]
) -> list[InputError]:
    """Values that exclude each other: steps and a ladder, weight and target, split and time."""
    found: list[InputError] = []
    steps = parsed.get("steps")
    if "steps" in given:
        found.extend(
            _both(
                names,
                "steps",
                key,
                "give one or the other; --steps replaces --start, --target, --step and --every",
            )
            for key in ("start", "target", "step", "every")
            if key in given
        )
        if parsed.get("split"):
            found.append(
                _both(
                    names,
                    "steps",
                    "split",
                    "write a split dose in --steps as morning + bedtime, such as 0.5 mg + 1 mg",
                )
            )
        if "weight" in given:
            found.append(
                _both(
                    names,
                    "steps",
                    "weight",
                    "give one or the other; the last of --steps is the target",
                )
            )
    if "weight" in given and "target" in given:
        found.append(
            _both(names, "weight", "target", "give one or the other; --weight sets the target")
        )
    if "mg_per_kg" in given and "weight" not in given:
        found.append(InputError(names.get("mg_per_kg", "--mg-per-kg"), None, "needs --weight"))
    if "time" in given:
        if parsed.get("split"):
            found.append(
                _both(
                    names,
                    "time",
                    "split",
                    "--time applies to unsplit plans only; "
                    "a split dose is taken in the morning and at bedtime",
                )
            )
        elif isinstance(steps, tuple):
            split = [n for n, p in enumerate(steps, start=1) if p.split]
            if split:
                found.append(
                    _both(
                        names,
                        "time",
                        "steps",
                        f"--time applies to unsplit plans only; step {split[0]} is split",
                    )
                )
    return found


def _derive(
    parsed: dict[str, object],
    names: Mapping[str, str],
    values: Mapping[str, Raw],
    failed: set[str],
) -> list[InputError]:
    """Set the start and target that explicit steps or a weight give; refuse what conflicts."""
    found = _conflicts(parsed, names, set(values))
    if found:
        failed.update({"start", "target", "steps", "weight"})
        return found
    steps = parsed.get("steps")
    if isinstance(steps, tuple) and steps:
        parsed["start_mg"], parsed["target_mg"] = steps[0].dose_mg, steps[-1].dose_mg
    weight = parsed.get("weight_kg")
    if isinstance(weight, Decimal):
        parsed.setdefault("mg_per_kg", DEFAULT_MG_PER_KG)
        problems = weight_problems(parsed)
        if problems:
            explained = _explain(problems, names, values)
            failed.update(key for key, _ in explained)
            return [e for _, e in explained]
        per_kg = parsed["mg_per_kg"]
        assert isinstance(per_kg, Decimal)  # noqa: S101 - checked by weight_problems
        product, target, _ = weight_target(weight, per_kg)
        if target < TARGET_MIN_MG:
            failed.add("weight")
            return [
                InputError(
                    names.get("weight", "--weight"),
                    None,
                    f"{format_number(weight)} kg × {format_number(per_kg)} mg/kg gives "
                    f"{format_number(product)} mg, below the {format_number(TARGET_MIN_MG)} mg "
                    "floor of a target",
                )
            ]
        parsed["target_mg"] = target
    return []


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
    if SIG_KEY in values:
        from ldn_titrate.sig_request import expand_sig  # noqa: PLC0415 - only directions need it

        values, names = expand_sig(values, names)  # type: ignore[assignment]
    errors: list[InputError] = []
    failed: set[str] = set()
    parsed: dict[str, object] = {}
    # Explicit steps give the start and the target; a weight gives the target.
    required = set() if "steps" in values else {"start"} if "weight" in values else None
    for field in FIELDS:
        key = field.key
        name = names.get(key, field.option)
        if key not in values:
            if key in ({"start", "target"} if required is None else required):
                errors.append(InputError(name, None, "is required"))
                failed.add(key)
            continue
        try:
            parsed[field.attribute] = field.parse(values[key], name, today)
        except InputError as exc:
            errors.append(exc)
            failed.add(key)
    parsed.setdefault("first_day", today)
    errors.extend(_derive(parsed, names, values, failed))
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
