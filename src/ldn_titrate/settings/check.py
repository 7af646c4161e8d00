"""Every setting of ``check``, declared once by key: its parser, its default and its limits.

The command line and the config file's ``[check]`` table read a value by the same parser,
so a value is refused with the same words wherever it is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, NamedTuple

from ldn_titrate.doses import Form, format_mg, parse_concentration, parse_dose, parse_volume
from ldn_titrate.errors import InputError
from ldn_titrate.limits import (
    BUD_MAX_DAYS,
    FAST_INTERVAL_BELOW_DAYS,
    INTERVAL_MAX_DAYS,
    LARGE_STEP_ABOVE_MG,
)

if TYPE_CHECKING:
    from ldn_titrate.received.day_forms import DateOrder


def whole_days(text: str, name: str, most: int) -> int:
    """A whole number of days from 1 to ``most``, an optional ``d`` after it: ``7``, ``7d``."""
    # Stripped first: two runs of spaces around an optional "d" are quadratic in a regex.
    match = re.fullmatch(r"([0-9]+)\s*d?", text.strip())
    # The digits are counted before int(): 4,301 of them would fail in int() itself.
    if (
        match is None
        or len(match[1].lstrip("0")) > len(str(most))
        or not 1 <= int(match[1]) <= most
    ):
        raise InputError(name, text, f"must be a whole number of days from 1 to {most}")
    return int(match[1])


def positive(value: Decimal, name: str, text: str, unit: str) -> Decimal:
    """The value, refused under ``name`` unless it is more than 0."""
    if value <= 0:
        raise InputError(name, text, f"must be more than 0 {unit}")
    return value


def max_step(text: str, name: str) -> Decimal:
    """The largest change of dose not warned about, in mg."""
    return positive(parse_dose(text, name), name, text, "mg")


def min_interval(text: str, name: str) -> int:
    """The fewest days a dose may be held without a warning."""
    return whole_days(text, name, INTERVAL_MAX_DAYS)


def graduation(text: str, name: str) -> Decimal:
    """The syringe mark dispensed, in mL."""
    return positive(parse_volume(text, name), name, text, "mL")


def concentration(text: str, name: str) -> Decimal:
    """The strength of the liquid made, in mg/mL."""
    return positive(parse_concentration(text, name), name, text, "mg/mL")


def form(text: str, name: str) -> Form:
    """The form made: ``liquid`` or ``capsule``, in any case."""
    try:
        return Form(text.strip().lower())
    except ValueError:
        raise InputError(name, text, "must be liquid or capsule") from None


def strengths(text: str, name: str) -> tuple[Decimal, ...]:
    """The capsule strengths made, in mg, separated by commas."""
    items = text.split(",")
    if any(not item.strip() for item in items):
        raise InputError(name, text, "list strengths separated by commas, such as 1.5,0.5")
    parsed = tuple(parse_dose(item, name) for item in items)
    for value in parsed:
        positive(value, name, text, "mg")
    return parsed


def bud(text: str, name: str) -> int:
    """The beyond-use days of the preparation."""
    return whole_days(text, name, BUD_MAX_DAYS)


def meds(text: str, _name: str) -> str:
    """The patient's other medicines, as written."""
    return text


def date_order(text: str, name: str) -> DateOrder:
    """Which number comes first in a date such as 07/12/2026: ``dmy`` or ``mdy``."""
    from ldn_titrate.received.day_forms import DateOrder  # noqa: PLC0415 - only when given

    try:
        return DateOrder(text.strip().lower())
    except ValueError:
        raise InputError(name, text, "must be dmy or mdy") from None


def column(text: str, name: str) -> tuple[str, str]:
    """A vendor's header for one of this tool's CSV columns: ``FIELD=HEADER``."""
    from ldn_titrate.received.columns import CSV_FIELDS  # noqa: PLC0415 - only when given

    field, equals, header = text.partition("=")
    if not equals or field.strip() not in CSV_FIELDS or not header.strip():
        allowed = f"must be FIELD=HEADER, FIELD one of {', '.join(CSV_FIELDS)}"
        raise InputError(name, text, allowed)
    return field.strip(), header.strip()


class CheckSetting(NamedTuple):
    """One setting of ``check``: its key, its parser and its built-in default."""

    key: str
    parse: Callable[[str, str], object]
    """Text and the name to refuse it under -> the value; raises InputError."""
    in_config: bool = False
    """Whether the config file's ``[check]`` table may give it."""
    default: str | None = None
    """The built-in value, as ``config`` shows it (None: not set)."""


# No published protocol steps by more than 1.5 mg (https://ldnnaltrexone.com/how-to-use-ldn)
# or moves faster than every 3 days (https://thecompounder.com/sleep-disturbances-with-ldn/):
# the defaults are limits.py's, with their sources there.
CHECK: Final = (
    CheckSetting("max_step", max_step, in_config=True, default=format_mg(LARGE_STEP_ABOVE_MG)),
    CheckSetting(
        "min_interval", min_interval, in_config=True, default=f"{FAST_INTERVAL_BELOW_DAYS} days"
    ),
    # In a config file: the syringe mark for a liquid plan that records none.
    CheckSetting("graduation", graduation, in_config=True),
    CheckSetting("form", form),
    CheckSetting("concentration", concentration),
    CheckSetting("strengths", strengths),
    CheckSetting("bud", bud),
    CheckSetting("meds", meds),
    CheckSetting("date_order", date_order),
    # A config file gives them as its [check.columns] table, FIELD = "HEADER".
    CheckSetting("columns", column),
)
CHECK_BY_KEY: Final = MappingProxyType({s.key: s for s in CHECK})
CHECK_CONFIG_KEYS: Final = tuple(s.key for s in CHECK if s.in_config)
