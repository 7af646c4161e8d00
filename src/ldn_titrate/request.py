"""Turn what the user typed (options and a request file) into a validated request.

The values are read by the parsers of ``settings``; here they are layered (preset < config <
request file < options), checked against each other and built into a request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from ldn_titrate.doses import Form, format_number
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
    TARGET_MIN_MG,
)
from ldn_titrate.model import (
    Capsules,
    Liquid,
    TitrationRequest,
    request_problems,
    weight_problems,
    weight_target,
)
from ldn_titrate.settings.layers import (
    Layer,
    file_layer,
    merge,
    options_layer,
    overridden,
    sig_names,
)
from ldn_titrate.settings.plan import (
    BY_KEY,
    FIELDS,
    KEY_OF_ATTRIBUTE,
    KEYS,
    SIG_KEY,
    Field,
    option_of,
)
from ldn_titrate.settings.plan import option_of as option_name
from ldn_titrate.settings.values import Raw, TomlFloat, as_written, raw_text

# Names that moved to ``settings``, kept here for the modules that import them from here.
__all__ = [
    "BY_KEY",
    "FIELDS",
    "KEYS",
    "SIG_KEY",
    "Field",
    "Layer",
    "Raw",
    "TomlFloat",
    "build_request",
    "file_layer",
    "merge",
    "option_name",
    "options_layer",
    "overridden",
    "raw_text",
    "sig_names",
    "spelling",
]


def _named(names: Mapping[str, str], key: str) -> str:
    """A value as the user named it (``request.toml: bud``), else as its option (``--bud``)."""
    return names.get(key, option_of(key))


def _required(names: Mapping[str, str], key: str, why: str) -> InputErrors:
    return InputErrors([InputError(_named(names, key), None, why)])


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
            _named(names, f.key),
            as_written(values.get(f.key)),
            spell(("applies to ", Setting("form", f.form), " only"), spelling(names)),
        )
        for f in FIELDS
        if f.form is not None and f.key in fields and form is not f.form
    ]
    if form is None and "bud_days" in parsed:
        errors.append(
            InputError(
                _named(names, "bud"),
                as_written(values.get("bud")),
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
            return f"{option_of(setting.key)} {setting.value}"
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
        key = KEY_OF_ATTRIBUTE.get(field, field)
        shown = _named(names, key)
        out.append((key, InputError(shown, as_written(values.get(key)), spell(message, name))))
    return out


def _both(names: Mapping[str, str], one: str, other: str, why: str | Phrase) -> InputError:
    """Two values that cannot be given together, named both."""
    return InputError(f"{_named(names, one)} and {_named(names, other)}", None, why)


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
                (
                    "give one or the other; ",
                    Setting("steps", ""),
                    " replaces ",
                    Setting("start", ""),
                    ", ",
                    Setting("target", ""),
                    ", ",
                    Setting("step", ""),
                    " and ",
                    Setting("every", ""),
                ),
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
                    (
                        "write a split dose in ",
                        Setting("steps", ""),
                        " as morning + bedtime, such as 0.5 mg + 1 mg",
                    ),
                )
            )
        if "weight" in given:
            found.append(
                _both(
                    names,
                    "steps",
                    "weight",
                    ("give one or the other; the last of ", Setting("steps", ""), " is the target"),
                )
            )
    if "weight" in given and "target" in given:
        found.append(
            _both(
                names,
                "weight",
                "target",
                ("give one or the other; ", Setting("weight", ""), " sets the target"),
            )
        )
    if "mg_per_kg" in given and "weight" not in given:
        found.append(
            InputError(
                _named(names, "mg_per_kg"),
                None,
                ("needs ", Setting("weight", "")),
            )
        )
    if "time" in given:
        if parsed.get("split"):
            found.append(
                _both(
                    names,
                    "time",
                    "split",
                    (
                        Setting("time", ""),
                        (
                            " applies to unsplit plans only; "
                            "a split dose is taken in the morning and at bedtime"
                        ),
                    ),
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
                        (
                            Setting("time", ""),
                            f" applies to unsplit plans only; step {split[0]} is split",
                        ),
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
                    _named(names, "weight"),
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
        name = _named(names, key)
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
