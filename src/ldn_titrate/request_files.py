"""The files a request is read from: TOML request files and the pharmacy config file.

Both become raw values by key (the layers of ``request``); nothing here judges a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final, NamedTuple

from ldn_titrate.errors import InputError, LdnTitrateError, PlanFormatError, Setting, shown, spell
from ldn_titrate.settings.check import CHECK_BY_KEY, CHECK_CONFIG_KEYS, column
from ldn_titrate.settings.layers import Layer
from ldn_titrate.settings.plan import CONFIG_KEYS as PLAN_CONFIG_KEYS
from ldn_titrate.settings.plan import KEYS, NEVER_IN_CONFIG, parse_alone
from ldn_titrate.settings.values import Raw, TomlFloat, raw_text


def _toml_float(text: str) -> Decimal | TomlFloat:
    """A plain decimal (``0.5``) exactly; an exponent, ``inf`` or ``1_0.5`` kept as text."""
    if re.fullmatch(r"[+-]?[0-9]{1,30}\.[0-9]{1,30}", text):
        return Decimal(text)
    return TomlFloat(text)


# A bare integer value too long for int() (Python refuses 4,300 digits and more): quoted, it
# reaches the field's parser as text and is refused with the field's own message.
_LONG_INTEGER: Final = re.compile(r"(?m)^([ \t]*[A-Za-z0-9_-]+[ \t]*=[ \t]*)([+-]?[0-9_]{100,})")


def _toml(text: str, source: str) -> dict[str, Any]:
    from ldn_titrate.loaders import load_toml  # noqa: PLC0415 - only request files need it

    # A bare integer too long for int() reaches the field's parser as text instead.
    return load_toml(_LONG_INTEGER.sub(r'\1"\2"', text), source, "request file", _toml_float)


def read_request_file(text: str, source: str) -> dict[str, Raw]:
    """Read a TOML request file into raw values by key; refuse unknown keys and bad TOML."""
    data = _toml(text, source)
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise PlanFormatError(
            source,
            f"unknown key {shown(unknown[0])}; the keys are {', '.join(KEYS)}",
        )
    values: dict[str, Raw] = {}
    for key, value in data.items():
        if key == "split" and isinstance(value, bool):
            values[key] = value
            continue
        if isinstance(value, list) and key in {"strengths", "steps"}:
            if not all(
                isinstance(v, str | int | Decimal) and not isinstance(v, bool) for v in value
            ):
                raise PlanFormatError(
                    source,
                    f"key {shown(key)}: must be a list of {'doses' if key == 'strengths' else key}",
                )
            values[key] = value
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal | date):
            raise PlanFormatError(source, f"key {shown(key)}: must be text, a number or a date")
        values[key] = value
    return values


# The keys a config file may hold, and the [check] keys: declared in ``settings``.
CONFIG_KEYS: Final = PLAN_CONFIG_KEYS
CHECK_KEYS: Final = CHECK_CONFIG_KEYS
# No value a config file may hold is a day, so no parser of one asks what today is.
_NO_DAY: Final = date.min
_NEVER: Final = (
    (
        "a config file never sets a dose, a step, an interval or a weight; type it, or name a "
        "preset with "
    ),
    Setting("protocol", ""),
)
_COLUMNS_TABLE: Final = 'must be a table of FIELD = "HEADER"'


class Config(NamedTuple):
    """A config file read and validated: its plan defaults as a layer, its check defaults."""

    source: str
    plan: Layer
    check: Mapping[str, str]
    # The [check.columns] table: (FIELD, HEADER) pairs as written.
    columns: tuple[tuple[str, str], ...] = ()


def _refusal(parse: Callable[..., object], *args: object) -> list[str]:
    """The line of a value that ``parse(*args)`` refuses, or none."""
    try:
        parse(*args)
    except InputError as exc:
        return [str(exc)]
    return []


def _check_value(key: str, value: Raw, name: str) -> object:
    """A [check] value read as the command line reads the option."""
    return CHECK_BY_KEY[key].parse(raw_text(value, name), name)


def _check_table(
    table: object, source: str
) -> tuple[list[str], dict[str, str], list[tuple[str, str]]]:
    """The [check] table: refused lines, its values as text, its columns as FIELD=HEADER."""
    if not isinstance(table, dict):
        return [f"{source}: check: must be a table of check defaults"], {}, []
    lines: list[str] = []
    values: dict[str, str] = {}
    for key in CHECK_KEYS:
        if key in table:
            name = f"{source}: check.{key}"
            refused = _refusal(_check_value, key, table[key], name)
            lines += refused
            if not refused:
                values[key] = raw_text(table[key], name)
    columns = table.get("columns", {})
    pairs: list[tuple[str, str]] = []
    if not isinstance(columns, dict) or not all(
        isinstance(f, str) and isinstance(h, str) for f, h in columns.items()
    ):
        lines.append(f"{source}: check.columns: {_COLUMNS_TABLE}")
    else:
        pairs = list(columns.items())
        name = f"{source}: check.columns"
        lines += [line for f, h in pairs for line in _refusal(column, f"{f}={h}", name)]
    lines += [
        f"{source}: check.{key}: not a key this file may hold"
        for key in table
        if key not in {*CHECK_KEYS, "columns"}
    ]
    return lines, values, pairs


def read_config(text: str, source: str) -> Config:
    """Read and validate a TOML config file by the parsers the command line uses.

    Raises:
        ConfigError: one line per refused key, each naming the file and the key.
    """
    from ldn_titrate.loaders import load_toml  # noqa: PLC0415 - only files need it

    try:
        data = load_toml(text, source, "config file")
    except PlanFormatError as exc:
        raise ConfigError([str(exc)]) from None
    lines = [f"{source}: {key}: {spell(_NEVER)}" for key in data if key in NEVER_IN_CONFIG]
    plan: dict[str, Raw] = {}
    for key in CONFIG_KEYS:
        if key in data:
            name = f"{source}: {key}"
            refused = _refusal(parse_alone, key, data[key], name, _NO_DAY)
            lines += refused
            if not refused:
                plan[key] = data[key]
    check_lines, check, pairs = _check_table(data.get("check", {}), source)
    lines += check_lines
    lines += [
        f"{source}: {key}: not a key this file may hold"
        for key in data
        if key not in {*CONFIG_KEYS, *NEVER_IN_CONFIG, "check"}
    ]
    if lines:
        raise ConfigError(lines)
    names = {key: f"{source}: {key}" for key in plan}
    return Config(source, Layer(plan, names, defaults=True), check, tuple(pairs))


class ConfigError(LdnTitrateError, ValueError):
    """A config file that is refused: one line per problem."""

    def __init__(self, lines: list[str]) -> None:
        """Keep every line."""
        self.lines = lines
        super().__init__("; ".join(lines))
