"""Every value of a plan request, declared once by key: its parser, writer, JSON key and limits.

The request file, the config file, the JSON plan and ``replan``'s reading of one all name a
value by these keys; the command line spells a key as an option (``option_of``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final, Literal, NamedTuple

from ldn_titrate.doses import Form, format_ml
from ldn_titrate.errors import InputError, Phrase, as_file_key, as_flag, spell
from ldn_titrate.limits import DEFAULT_GRADUATION_ML, DEFAULT_MAX_UNITS
from ldn_titrate.model import Liquid, capsule_problems, liquid_problems, request_problems
from ldn_titrate.settings.values import (
    Raw,
    as_written,
    concentration_value,
    count_value,
    day_value,
    days_value,
    dose_value,
    flag_text,
    flag_value,
    form_value,
    free_text,
    graduation_value,
    interval_value,
    iso,
    kg_text,
    number_text,
    per_kg,
    percent_value,
    plain,
    steps_text,
    steps_value,
    strengths_text,
    strengths_value,
    time_value,
    weight_value,
)

InConfig = Literal["yes", "no", "never"]
"""Whether a config file may give the value: ``never`` for a dose, a step, an interval or a
weight, which is always typed; ``no`` for a value that is not a pharmacy's default."""


def option_of(key: str) -> str:
    """The command-line option that gives a key: ``maintenance_days`` -> ``--maintenance-days``.

    The one spelling of a request's keys as options: where a value was typed, how a message
    names it when no file gave it, and how the command line's parameters are read by key.
    """
    return as_flag(key)


class Field(NamedTuple):
    """One value of a request: how a file, the JSON plan and the model name it."""

    key: str
    """The key in a request file and a config file."""
    attribute: str
    """The attribute of the model it fills."""
    parse: Callable[[Raw, str, date], object]
    """Text or a TOML value -> the model value; raises InputError naming the field."""
    write: Callable[[Any], Raw]
    """The model value -> text that ``parse`` reads back to the same value."""
    json_key: str
    """The key of the request in a JSON plan."""
    in_config: InConfig = "no"
    form: Form | None = None
    """The formulation the value belongs to, if only one."""
    default: str | None = None
    """The built-in value when none is given, as ``config`` shows it (None: not set)."""

    @property
    def option(self) -> str:
        """The command-line option that gives it: ``--maintenance-days``."""
        return option_of(self.key)


# The one table of request values, in the order a file's keys are listed in messages.
# Each limit is the model's (model.py), so a value is refused by the same words wherever given.
FIELDS: Final = (
    Field("start", "start_mg", dose_value, number_text, "start", "never"),
    Field("target", "target_mg", dose_value, number_text, "target", "never"),
    Field("step", "step_mg", dose_value, number_text, "step", "never"),
    Field("every", "every", interval_value, plain, "every", "never"),
    Field("from", "first_day", day_value, iso, "from", "never"),
    Field("maintenance_days", "maintenance_days", days_value, plain, "maintenance_days", "never"),
    Field("time", "time", time_value, plain, "time"),
    Field("label", "label", free_text, plain, "label"),
    Field("source", "source", free_text, plain, "source"),
    Field("form", "form", form_value, plain, "form", "yes"),
    Field(
        "concentration",
        "concentration_mg_per_ml",
        concentration_value,
        number_text,
        "concentration_mg_per_ml",
        "yes",
        Form.LIQUID,
    ),
    Field(
        "graduation",
        "graduation_ml",
        graduation_value,
        number_text,
        "graduation_ml",
        "yes",
        Form.LIQUID,
        format_ml(DEFAULT_GRADUATION_ML),
    ),
    Field(
        "strengths",
        "strengths_mg",
        strengths_value,
        strengths_text,
        "strengths_mg",
        "yes",
        Form.CAPSULE,
    ),
    Field(
        "max_units",
        "max_units",
        count_value,
        plain,
        "max_units",
        "yes",
        Form.CAPSULE,
        str(DEFAULT_MAX_UNITS),
    ),
    Field("bud", "bud_days", days_value, plain, "bud_days", "yes"),
    Field(
        "overage",
        "overage_percent",
        percent_value,
        number_text,
        "overage_percent",
        "yes",
        default="0%",
    ),
    Field("steps", "steps", steps_value, steps_text, "steps", "never"),
    Field("split", "split", flag_value, flag_text, "split", "never"),
    Field("weight", "weight_kg", weight_value, kg_text, "weight_kg", "never"),
    Field("mg_per_kg", "mg_per_kg", per_kg, number_text, "mg_per_kg"),
    Field("meds", "meds", free_text, plain, "meds"),
)
BY_KEY: Final = MappingProxyType({f.key: f for f in FIELDS})
# Directions (``sig``) are not a field of the request: they are read into its steps, time and
# form before it is built (sig_request.py).
SIG_KEY: Final = "sig"
# A writer's options a request file may hold besides the request: the FHIR references of the
# patient and the prescriber. They are not the request's (a plan is the same plan for anyone).
WRITE_KEYS: Final = ("patient_id", "prescriber_id")
KEYS: Final = (*(f.key for f in FIELDS), SIG_KEY, *WRITE_KEYS)
KEY_OF_ATTRIBUTE: Final = MappingProxyType({f.attribute: f.key for f in FIELDS})
KEY_OF_JSON: Final = MappingProxyType({f.json_key: f.key for f in FIELDS})
OPTION_NAMES: Final = MappingProxyType({f.key: f.option for f in FIELDS})
"""Each value of a request named as the command line gives it, for a request no file named."""
CONFIG_KEYS: Final = tuple(f.key for f in FIELDS if f.in_config == "yes")
NEVER_IN_CONFIG: Final = frozenset(f.key for f in FIELDS if f.in_config == "never")
"""Keys a config file may not set: a dose, a step, an interval or a weight is always typed."""

# A formulation of the other values' limits: each value is judged alone, beside valid ones.
_BESIDE: Final[dict[str, object]] = {
    "concentration_mg_per_ml": Decimal(1),
    "graduation_ml": DEFAULT_GRADUATION_ML,
    "strengths_mg": (Decimal(1),),
    "max_units": DEFAULT_MAX_UNITS,
}


def _limit(field: Field, value: object) -> str | Phrase | None:
    """Why the model refuses the value alone, in the model's words, or None."""
    fields = {**_BESIDE, field.attribute: value}
    if field.form is Form.LIQUID:
        problems = liquid_problems(fields)
    elif field.form is Form.CAPSULE:
        problems = capsule_problems(fields)
    else:
        beside = Liquid(Decimal(1), DEFAULT_GRADUATION_ML)
        problems = request_problems({field.attribute: value, "formulation": beside})
    return next((words for name, words in problems if name == field.attribute), None)


def parse_alone(key: str, value: Raw, name: str, today: date) -> object:
    """A value of ``key`` parsed and held to its limits alone, as a request would hold it.

    Raises:
        InputError: under ``name``, with the words the command line uses for the value.
    """
    field = BY_KEY[key]
    parsed = field.parse(value, name, today)
    wrong = _limit(field, parsed)
    if wrong is not None:
        raise InputError(name, as_written(value), spell(wrong, as_file_key))
    return parsed


def shown_default(key: str) -> str | None:
    """A default as ``config`` shows it, or None when the value is not set by default."""
    return BY_KEY[key].default
