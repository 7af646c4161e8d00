"""The files a request is read from: TOML request files and the pharmacy config file.

Both become raw values by key (the layers of ``request``); nothing here judges a value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final, NamedTuple

from ldn_titrate.errors import LdnTitrateError, PlanFormatError, shown
from ldn_titrate.request import KEYS, Layer, Raw, TomlFloat, raw_text


def _toml_float(text: str) -> Decimal | TomlFloat:
    """A plain decimal (``0.5``) exactly; an exponent, ``inf`` or ``1_0.5`` kept as text."""
    if re.fullmatch(r"[+-]?[0-9]{1,30}\.[0-9]{1,30}", text):
        return Decimal(text)
    return TomlFloat(text)


# A bare integer value too long for int() (Python refuses 4,300 digits and more): quoted, it
# reaches the field's parser as text and is refused with the field's own message.
_LONG_INTEGER: Final = re.compile(r"(?m)^([ \t]*[A-Za-z0-9_-]+[ \t]*=[ \t]*)([+-]?[0-9_]{100,})")


def _toml(text: str, source: str) -> dict[str, Any]:
    import tomllib  # noqa: PLC0415 - only request files need it

    try:
        return tomllib.loads(text, parse_float=_toml_float)
    except tomllib.TOMLDecodeError as exc:
        raise PlanFormatError(source, f"not a valid TOML request file: {exc}") from None
    except RecursionError:
        raise PlanFormatError(source, "not a valid TOML request file: nested too deeply") from None


def read_request_file(text: str, source: str) -> dict[str, Raw]:
    """Read a TOML request file into raw values by key; refuse unknown keys and bad TOML."""
    # Notepad starts a UTF-8 file with a byte-order mark.
    text = text.removeprefix("\ufeff")
    try:
        data = _toml(text, source)
    except ValueError as exc:
        if isinstance(exc, PlanFormatError):
            raise
        try:
            data = _toml(_LONG_INTEGER.sub(r'\1"\2"', text), source)
        except ValueError:
            raise PlanFormatError(source, "a number has too many digits") from None
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


CONFIG_KEYS: Final = (
    "form",
    "concentration",
    "graduation",
    "strengths",
    "max_units",
    "bud",
    "overage",
)
CHECK_KEYS: Final = ("max_step", "min_interval", "graduation")


class Config(NamedTuple):
    """A config file read and validated: its plan defaults as a layer, its check defaults."""

    source: str
    plan: Layer
    check: Mapping[str, str]
    # The [check.columns] table: (FIELD, HEADER) pairs as written.
    columns: tuple[tuple[str, str], ...] = ()


def read_config(text: str, source: str) -> Config:
    """Read and validate a TOML config file; pydantic is loaded only when one is read.

    Raises:
        ConfigError: one line per refused key, each naming the file and the key.
    """
    import tomllib  # noqa: PLC0415 - only files need it

    from ldn_titrate.schemas import NEVER_IN_CONFIG, SchemaError, validate_config  # noqa: PLC0415

    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{source}: not a valid TOML config file: {exc}"]) from None
    never = [
        f"{source}: {key}: a config file never sets a dose, a step, an interval or a weight; "
        "type it, or name a preset with --protocol"
        for key in data
        if key in NEVER_IN_CONFIG
    ]
    rest = {key: value for key, value in data.items() if key not in NEVER_IN_CONFIG}
    try:
        config = validate_config(rest, source)
    except SchemaError as exc:
        raise ConfigError([*never, *exc.lines]) from None
    if never:
        raise ConfigError(never)
    plan = {key: value for key in CONFIG_KEYS if (value := getattr(config, key)) is not None}
    check = {
        key: raw_text(value, key)
        for key in CHECK_KEYS
        if (value := getattr(config.check, key)) is not None
    }
    names = {key: f"{source}: {key}" for key in plan}
    columns = tuple((config.check.columns or {}).items())
    return Config(source, Layer(plan, names, defaults=True), check, columns)


class ConfigError(LdnTitrateError, ValueError):
    """A config file that is refused: one line per problem."""

    def __init__(self, lines: list[str]) -> None:
        """Keep every line."""
        self.lines = lines
        super().__init__("; ".join(lines))
