"""Parse and format doses: the only place where text becomes a Decimal and back.

Printed doses follow the ISMP rules: a leading zero, no trailing zero, a space before the
unit (``0.5 mg``, ``3 mg``, ``1.25 mL``).
Source: https://www.empr.com/charts/error-prone-dose-designations/
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, localcontext
from enum import StrEnum
from typing import Final

from ldn_titrate.bounded import MAX_DIGITS, MAX_EXPONENT, TOO_LONG
from ldn_titrate.errors import InputError
from ldn_titrate.limits import (
    MAX_DECIMAL_PLACES,
    OVERAGE_MAX_PERCENT,
    START_MIN_MG,
    TARGET_MAX_MG,
)
from ldn_titrate.patterns import lazy_pattern

# At most 12 digits before and 12 after the point: far beyond any dose, and short enough
# that every number stays exact within the default 28-digit decimal context.
_dose = lazy_pattern(r"(?P<num>[0-9]{1,12}(?:\.[0-9]{1,12})?) ?(?P<unit>mg|mcg)?", re.IGNORECASE)


_NUMBER: Final = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,12})?")


_long = lazy_pattern(r"[0-9]{13,}|[0-9]*\.[0-9]{13,}")


_MICRO_SIGNS: Final = ("µg", "μg", "ug")
_MCG_PER_MG: Final = 3  # 1 mg = 1,000 mcg, a shift of three decimal places

CapsuleCounts = tuple[tuple[Decimal, int], ...]
"""Capsules of each strength in one dose or supply: (strength in mg, count), largest first."""


class Form(StrEnum):
    """How the pharmacy dispenses the doses."""

    LIQUID = "liquid"
    CAPSULE = "capsule"


# Room for the product or quotient of two bounded numbers (bounded.py), exactly.
_WIDE: Final = Context(prec=4 * MAX_DIGITS)


def canonical(value: Decimal) -> Decimal:
    """The same number without trailing zeros and without an exponent (``1.50`` -> ``1.5``).

    Raises:
        InputError: a number far beyond any bounded input or a product of two of them.
    """
    if value.is_finite() and (
        len(value.as_tuple().digits) > 2 * MAX_DIGITS or abs(value.adjusted()) > 2 * MAX_EXPONENT
    ):
        raise InputError("number", format(value, "e"), TOO_LONG)
    with localcontext(_WIDE):
        reduced = value.normalize()
        exponent = reduced.as_tuple().exponent
        if isinstance(exponent, int) and exponent > 0:
            return reduced.quantize(Decimal(1))
        return reduced


def decimal_places(value: Decimal) -> int:
    """How many digits a number needs after the point."""
    exponent = canonical(value).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_number(value: Decimal) -> str:
    """Digits as ISMP wants them: ``0.5``, ``3``, ``1.25``; never ``.5`` or ``3.0``."""
    if not value.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return format(canonical(value), "f")


def format_mg(value: Decimal) -> str:
    """A dose in mg for people: ``0.5 mg``."""
    return f"{format_number(value)} mg"


def format_ml(value: Decimal) -> str:
    """A volume in mL for people: ``1.25 mL``."""
    return f"{format_number(value)} mL"


def _hidden_hint(text: str) -> str | None:
    """Name an invisible character in refused text, or None.

    A zero-width space pasted from a web page or a chart, a non-breaking space or a control
    is the cause of the refusal, whatever else the text looks like.
    """
    import unicodedata  # noqa: PLC0415 - only refused text needs it

    for char in text:
        category = unicodedata.category(char)
        if char != " " and (category in {"Cf", "Cc", "Zl", "Zp", "Zs"} or category[0] == "M"):
            name = unicodedata.name(char, "a control character")
            return f"holds an invisible character, U+{ord(char):04X} ({name}); type it again"
    return None


def _number_hint(text: str, example: str = "0.5 or 2.25") -> str:
    """Say why text that is not a plain decimal number was refused."""
    lowered = text.lower()
    hint = f"write digits with an optional decimal point, such as {example}"
    if _long().search(text):
        return f"too many digits; write a number such as {example}"
    import unicodedata  # noqa: PLC0415 - only a refused number needs it

    hidden = _hidden_hint(text)
    if hidden is not None:
        return hidden
    if any(ch.isdigit() and not ch.isascii() for ch in text) or any(
        unicodedata.category(ch) == "Nd" and not ch.isascii() for ch in text
    ):
        hint = "use the digits 0-9 only"
    elif text[:1] in {"+", "-"}:
        hint = "a dose has no sign"
    elif text.startswith("."):
        hint = f"write a leading zero (0{text.split(maxsplit=1)[0]})"
    elif re.match(r"[0-9]+\.(?![0-9])", text):
        hint = f"drop the trailing point ({text.split('.', maxsplit=1)[0]})"
    elif "," in text:
        pointed = text.replace(",", ".").split()[0] if text.split() else "0.5"
        hint = f"use a point for decimals ({'0' if pointed.startswith('.') else ''}{pointed})"
    elif lowered in {"nan", "inf", "infinity", "-inf", "+inf"}:
        hint = "must be a number"
    return hint


def parse_number(text: str, field: str) -> Decimal:
    """Parse a plain non-negative decimal (``0.5``, ``12``) with ASCII digits only."""
    body = text.strip(" ")
    if _NUMBER.fullmatch(body) is None:
        raise InputError(field, text, _number_hint(body))
    return canonical(Decimal(body))


def _unit_number(text: str, field: str, unit: str, example: str) -> Decimal:
    """Parse a number optionally followed by ``unit`` (any case, optional space)."""
    body = text.strip(" ")
    if body.lower().endswith(unit):
        body = body[: len(body) - len(unit)].rstrip(" ")
    if _NUMBER.fullmatch(body) is None:
        raise InputError(field, text, _number_hint(body, example))
    return canonical(Decimal(body))


def parse_concentration(text: str, field: str) -> Decimal:
    """Parse a liquid strength in mg/mL: ``1mg/mL``, ``5 mg/mL``, ``0.5`` (mg/mL if no unit)."""
    return _unit_number(text, field, "mg/ml", "1 mg/mL")


def parse_volume(text: str, field: str) -> Decimal:
    """Parse a volume in mL: ``0.1mL``, ``0.01 mL``, ``0.1`` (mL if no unit)."""
    if text.strip(" ").lower().endswith("cc"):
        raise InputError(field, text, "write volumes in mL, never cc")
    return _unit_number(text, field, "ml", "0.1 mL")


def parse_percent(text: str, field: str) -> Decimal:
    """Parse an overage percentage: ``10``, ``10%``, ``2.5 %``."""
    if text.strip(" ")[:1] in {"-", "+", "−"}:
        raise InputError(field, text, f"must be a percentage from 0 to {OVERAGE_MAX_PERCENT}")
    return _unit_number(text, field, "%", "10%")


def format_concentration(value: Decimal) -> str:
    """A liquid strength for people: ``1 mg/mL``."""
    return f"{format_number(value)} mg/mL"


def format_capsules(counts: CapsuleCounts) -> str:
    """Capsule counts for people: ``2 × 1.5 mg + 1 × 0.5 mg``."""
    return " + ".join(f"{count} × {format_mg(strength)}" for strength, count in counts)


def parse_capsules(text: str, field: str) -> CapsuleCounts:
    """Read ``2 × 1.5 mg + 1 × 0.5 mg`` (or ``2 x 1.5 mg``, as the CSV writes it) into counts."""
    pairs = []
    for part in text.split("+"):
        # ``x`` as well as ``×``: the CSV writes its own text in ASCII.
        match = re.fullmatch(r"([0-9]+) *[×x] *(.*)", part.strip(" "))
        if match is None:
            raise InputError(field, text, "write capsules as 2 × 1.5 mg + 1 × 0.5 mg")
        pairs.append((parse_dose(match[2].strip(" "), field), int(match[1])))
    return tuple(pairs)


def parse_dose(text: str, field: str) -> Decimal:
    """Parse a dose typed by a person into mg: ``0.5``, ``0.5mg``, ``500 mcg``; no unit means mg."""
    body = text.strip(" ")
    lowered = body.lower()
    if any(lowered.endswith(sign) for sign in _MICRO_SIGNS):
        raise InputError(field, text, "write micrograms as mcg, never µg or ug")
    match = _dose().fullmatch(body)
    if match is None:
        hidden = _hidden_hint(body)
        if hidden is not None:
            raise InputError(field, text, hidden)
        # Not a regular expression: "\s*(mg|mcg)$" is quadratic in a run of spaces.
        unit = next((u for u in ("mcg", "mg") if lowered.endswith(u)), "")
        number_part = body[: len(body) - len(unit)].rstrip() if unit else body
        if _NUMBER.fullmatch(number_part) is None:
            raise InputError(field, text, _number_hint(number_part))
        raise InputError(field, text, "the unit must be mg or mcg, such as 0.5 mg")
    number = Decimal(match["num"])
    unit = (match["unit"] or "mg").lower()
    mg = number
    if unit == "mcg":
        mg = number.scaleb(-_MCG_PER_MG)
        if mg < START_MIN_MG <= number <= TARGET_MAX_MG:
            shown = format_number(number)
            raise InputError(
                field,
                text,
                f"did you mean {shown} mg? {shown} mcg is a microgram dose, "
                f"below the {format_mg(START_MIN_MG)} floor",
            )
    mg = canonical(mg)
    if decimal_places(mg) > MAX_DECIMAL_PLACES:
        raise InputError(field, text, f"use at most {MAX_DECIMAL_PLACES} decimal places in mg")
    return mg
