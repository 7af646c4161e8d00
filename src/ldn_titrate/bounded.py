"""The one gate for numbers and days given by a user or a file: bounded before any arithmetic.

A dose, a day count or a quantity has a handful of digits. A number with far more, or with a
far larger exponent, is refused here in linear time, naming its field, before ``Decimal``
arithmetic (which rounds or fails past 28 digits) or ``int`` (which refuses 4,300 digits and
more) ever sees it. Days beyond the supported calendar are refused the same way.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Final

from ldn_titrate.errors import InputError
from ldn_titrate.patterns import lazy_pattern

# Significant digits and the power of ten: far beyond any dose (mg), volume (mL), day count
# or quantity, and small enough that every bounded number stays exact within the default
# 28-digit decimal context, its integer part included.
MAX_DIGITS: Final = 24
MAX_EXPONENT: Final = 24
# The last day the tool plans or checks: far beyond any titration, and a year of four digits
# for every day a plan of the longest course computes from it.
LAST_DAY: Final = date(2999, 12, 31)

TOO_LONG: Final = f"too many digits: a number here has at most {MAX_DIGITS}"
TOO_LATE: Final = f"after {LAST_DAY.isoformat()}, beyond the supported calendar"


# A number as people and files write it; anything else is left to the field's own parser.
_shape = lazy_pattern(
    r"[ \t]*[+-]?(?P<int>[0-9_]*)(?:\.(?P<frac>[0-9_]*))?"
    r"(?:[eE](?P<esign>[+-]?)(?P<exp>[0-9_]+))?[ \t]*"
)


_radix = lazy_pattern(r"[ \t]*[+-]?0[xXoObB][0-9A-Fa-f_]*[ \t]*")


_run = lazy_pattern(f"[0-9]{{{MAX_DIGITS + 1},}}")


def is_too_long(text: str) -> bool:
    """Whether a number's text has more significant digits or a larger exponent than allowed.

    Linear in the text; text that is no number at all is not too long (its parser says why).
    """
    if _radix().fullmatch(text) is not None:
        # 0x, 0o and 0b literals: no field takes them, and their digits are never converted.
        return len(text.strip(" \t")) > MAX_DIGITS
    match = _shape().fullmatch(text)
    if match is None:
        return _run().search(text) is not None
    digits = ((match["int"] or "") + (match["frac"] or "")).replace("_", "").lstrip("0")
    if len(digits) > MAX_DIGITS:
        return True
    exponent = (match["exp"] or "").replace("_", "").lstrip("0")
    return len(exponent) > 2 or (exponent != "" and int(exponent) > MAX_EXPONENT)


def check_text(text: str, field: str) -> str:
    """The text of a number, refused with the field's name when it is too long."""
    if is_too_long(text):
        raise InputError(field, text, TOO_LONG)
    return text


def within(value: Decimal, field: str) -> Decimal:
    """A Decimal already made, refused when its digits or its exponent are out of bounds."""
    if not value.is_finite():
        return value
    sign_digits_exponent = value.as_tuple()
    digits = len(sign_digits_exponent.digits)
    if digits > MAX_DIGITS or abs(value.adjusted()) > MAX_EXPONENT:
        raise InputError(field, format(value, "e") if digits > MAX_DIGITS else value, TOO_LONG)
    return value


def to_decimal(value: object, field: str) -> Decimal:
    """A number from a file or an option as a Decimal, bounded; text, int, float or Decimal.

    Raises:
        InputError: too many digits or too large an exponent, or no number at all.
    """
    if isinstance(value, Decimal):
        return within(value, field)
    if isinstance(value, bool):
        raise InputError(field, value, "must be a number")
    if isinstance(value, int):
        # An int's digits are counted without converting it to text past the int limit.
        if value.bit_length() > MAX_DIGITS * 4:
            raise InputError(field, None, TOO_LONG)
        return within(Decimal(value), field)
    text = repr(value) if isinstance(value, float) else str(value)
    check_text(text, field)
    try:
        return within(Decimal(text.strip(" \t")), field)
    except InvalidOperation:
        raise InputError(field, text, "must be a number") from None


def to_int(text: str, field: str) -> int:
    """Whole-number text (ASCII digits only) as an int, refused past ``MAX_DIGITS`` digits.

    Raises:
        InputError: the text is not ASCII digits, or too long.
    """
    body = text.strip(" \t")
    if not (body.isascii() and body.isdigit()):
        raise InputError(field, text, "must be a whole number written with the digits 0-9")
    check_text(body, field)
    return int(body)


def day_within(day: date, field: str) -> date:
    """A day, refused past the supported calendar."""
    if day > LAST_DAY:
        raise InputError(field, day.isoformat(), f"must be on or before {LAST_DAY.isoformat()}")
    return day


def days_after(day: date, count: int, field: str) -> date:
    """The day ``count`` days after ``day``, refused past the supported calendar."""
    if count > (LAST_DAY - day).days:
        raise InputError(field, day.isoformat(), f"must be on or before {LAST_DAY.isoformat()}")
    return day + timedelta(days=count)


def whole_number(text: str, field: str, low: int, high: int) -> int:
    """A count such as a number of jobs or a port: ASCII digits from ``low`` to ``high``.

    Raises:
        InputError: anything else, before ``int`` sees more digits than ``high`` has.
    """
    body = text.strip()
    if not (
        body.isascii()
        and body.isdigit()
        and len(body.lstrip("0")) <= len(str(high))
        and low <= int(body) <= high
    ):
        raise InputError(field, text, f"must be a whole number from {low} to {high}")
    return int(body)
