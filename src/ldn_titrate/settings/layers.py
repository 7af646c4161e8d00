"""Layers of raw values by key, lowest first: preset < config < request file < options.

Each layer says how a message names its values (``--bud``, ``request.toml: bud``); merging
them sets aside what a higher layer replaces. Nothing here parses a value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final, NamedTuple

from ldn_titrate.doses import Form
from ldn_titrate.settings.plan import FIELDS, KEYS, SIG_KEY, option_of
from ldn_titrate.settings.values import Raw


def sig_names(names: Mapping[str, str]) -> dict[str, str]:
    """How to name the values that directions give, when they come from directions."""
    named = dict(names)
    if SIG_KEY in named:
        for key in ("steps", "time", "form", "concentration", "strengths"):
            named.setdefault(key, named[SIG_KEY])
    return named


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
    return Layer(given, {key: option_of(key) for key in given})


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
