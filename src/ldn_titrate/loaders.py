"""The one guarded loader of config, request and plan files: TOML and JSON, bounded.

Whatever the text holds (nesting a thousand deep, an integer of 4,301 digits, ``0x`` with
thousands of digits, a float with an exponent of thirty nines), loading ends at once in a
``PlanFormatError`` naming the file and why, never in a ``RecursionError``, a ``ValueError``
from ``int`` or a ``decimal.InvalidOperation``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

from ldn_titrate.bounded import MAX_DIGITS, check_text, to_decimal
from ldn_titrate.errors import InputError, PlanFormatError, shown

# Far deeper than any config, request or plan file is nested (a plan's JSON: four levels).
MAX_DEPTH: Final = 32
TOO_DEEP: Final = "nested too deeply"
# An integer in a file: a day count, a step number, a count of capsules, never longer.
_INT_BITS: Final = MAX_DIGITS * 4
_TOML_OPEN: Final = re.compile(r"""["'\[\]{}#]""")


def _toml_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` in TOML text, strings and comments skipped.

    A rough and linear count: enough to refuse a file before the parser recurses into it.
    """
    depth = deepest = 0
    position = 0
    while (match := _TOML_OPEN.search(text, position)) is not None:
        char = match[0]
        position = match.end()
        if char in "\"'":
            triple = text.startswith(char * 3, match.start())
            closing = char * 3 if triple else char
            position = match.start() + (3 if triple else 1)
            while True:
                end = text.find(closing, position)
                if end < 0:
                    return deepest
                escaped = char == '"' and _escaped(text, end)
                position = end + len(closing)
                if not escaped:
                    break
        elif char == "#":
            newline = text.find("\n", position)
            position = len(text) if newline < 0 else newline
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return deepest


def _escaped(text: str, end: int) -> bool:
    """Whether the quote at ``end`` follows an odd number of backslashes."""
    count = 0
    while end - count - 1 >= 0 and text[end - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _bounded_float(text: str) -> Decimal:
    """A TOML float as an exact Decimal, bounded; ``inf`` and ``nan`` stay as they are."""
    if text.lstrip("+-") in {"inf", "nan"}:
        return Decimal(text)
    return to_decimal(text.replace("_", ""), "number")


def load_toml(
    text: str,
    source: str,
    kind: str,
    parse_float: Callable[[str], object] = _bounded_float,
) -> dict[str, Any]:
    """A TOML file's table, every float an exact Decimal (or as ``parse_float`` reads it).

    Every integer is bounded; ``parse_float`` must bound the floats it keeps.

    Raises:
        PlanFormatError: not TOML, nested too deeply, or a number with too many digits.
    """
    import tomllib  # noqa: PLC0415 - only files need it

    text = text.removeprefix("\ufeff")  # Notepad starts a UTF-8 file with a byte-order mark
    if _toml_depth(text) > MAX_DEPTH:
        raise PlanFormatError(source, f"not a valid TOML {kind}: {TOO_DEEP}")
    try:
        data = tomllib.loads(text, parse_float=parse_float)
    except tomllib.TOMLDecodeError as exc:
        raise PlanFormatError(source, f"not a valid TOML {kind}: {exc}") from None
    except RecursionError:
        raise PlanFormatError(source, f"not a valid TOML {kind}: {TOO_DEEP}") from None
    except InputError as exc:
        raise PlanFormatError(
            source, f"a number has too many digits, got {shown(exc.value)}"
        ) from None
    except ValueError:
        # int() of a decimal integer past 4,300 digits; the parser names no key.
        raise PlanFormatError(source, "a number has too many digits") from None
    _check_values(data, source)
    return data


def _check_values(data: object, source: str) -> None:
    """Refuse an integer past the bound anywhere in loaded data (``0x`` and ``0o`` included)."""
    stack: list[tuple[str, object, int]] = [("", data, 0)]
    while stack:
        key, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise PlanFormatError(source, f"not a valid file: {TOO_DEEP}")
        if isinstance(value, dict):
            stack.extend((str(k), v, depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((key, v, depth + 1) for v in value)
        elif (
            isinstance(value, int)
            and not isinstance(value, bool)
            and value.bit_length() > _INT_BITS
        ):
            where = f"key {shown(key)}: " if key else ""
            raise PlanFormatError(source, f"{where}a number has too many digits")


def _json_int(text: str) -> int:
    return int(check_text(text, "number"))


def _json_float(text: str) -> Decimal:
    return to_decimal(text, "number")


def load_json(text: str, source: str) -> object:
    """A JSON document, its numbers exact and bounded, its nesting bounded.

    Raises:
        json.JSONDecodeError: not JSON, for the caller's own message.
        PlanFormatError: nested too deeply, or a number with too many digits.
    """
    import json  # noqa: PLC0415

    if _json_depth(text) > MAX_DEPTH:
        raise PlanFormatError(source, f"not valid JSON: {TOO_DEEP}")
    try:
        return json.loads(text, parse_int=_json_int, parse_float=_json_float)
    except RecursionError:
        raise PlanFormatError(source, f"not valid JSON: {TOO_DEEP}") from None
    except InputError as exc:
        raise PlanFormatError(
            source, f"a number has too many digits, got {shown(exc.value)}"
        ) from None


_JSON_OPEN: Final = re.compile(r'["\[\]{}]')


def _json_depth(text: str) -> int:
    """The deepest nesting of JSON text, strings skipped; linear."""
    depth = deepest = 0
    position = 0
    while (match := _JSON_OPEN.search(text, position)) is not None:
        char = match[0]
        position = match.end()
        if char == '"':
            while True:
                end = text.find('"', position)
                if end < 0:
                    return deepest
                position = end + 1
                if not _escaped(text, end):
                    break
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return deepest
