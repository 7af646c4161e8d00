"""What instruction and quantity texts state: daily doses, volumes and capsule counts."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Final

from ldn_titrate.check.arithmetic import ZERO

# Linear in the text: a number starts only where no digit, point or comma stands before it,
# and its runs of digits are possessive, so a cell of 100,000 digits is read once, never
# retried from each of its digits. A number of any length is matched, and one longer than
# any dose (see _MAX_DIGITS) is said, never skipped.
_AMOUNT: Final = r"(?<![0-9.,])(?P<num>[0-9]++(?:[.,][0-9]++)*+|\.[0-9]++)"
# Twelve digits each side of the point is far beyond any dose or volume (see doses._dose).
_MAX_DIGITS: Final = 12
_THOUSANDS: Final = 3
_MARK: Final = re.compile(r"[.,]")
_MG_IN_TEXT: Final = re.compile(
    r"(?P<times>[×x*]\s*)?" + _AMOUNT + r"\s*(?P<unit>mg|mcg)(?![a-z])(?!\s*/)", re.IGNORECASE
)
_ML_IN_TEXT: Final = re.compile(r"(?<![/\w])" + _AMOUNT + r"\s*ml(?![a-z])", re.IGNORECASE)
_COUNTED: Final = re.compile(
    r"(?<![0-9])(?P<count>[0-9]{1,6})(?![0-9])\s*(?:[×x*]|capsules?\s+of(?:\s+naltrexone)?)\s*"
    + _AMOUNT
    + r"\s*mg",
    re.IGNORECASE,
)


def _decimal(text: str) -> Decimal | None:
    """A number as written, or None when no dose or volume can be written so.

    ``0,5`` is 0.5 (a decimal comma); ``1,500`` and ``1,000,000`` group thousands, as a comma
    before three digits does in English text; ``1,234.5`` and ``1.234,5`` both. A number with
    more digits than any dose (``_MAX_DIGITS`` each side of the point) or grouped some other
    way is None. Digits are counted before any Decimal is made, so a number of 40,000 digits
    costs one pass over them.
    """
    marks = [m.start() for m in _MARK.finditer(text)] if "." in text or "," in text else []
    whole, fraction = text, ""
    if marks:
        last = marks[-1]
        head, tail = text[:last], text[last + 1 :]
        grouped = len(marks) > 1 or (
            text[last] == "," and len(tail) == _THOUSANDS and not head.startswith("0")
        )
        if grouped and text[last] == text[marks[0]]:
            head, tail = text, ""  # thousands only: "1,000,000"
        groups = re.split(r"[.,]", head)
        if len(groups) > 1 and not all(len(g) == _THOUSANDS for g in groups[1:]):
            return None
        whole, fraction = "".join(groups), tail.replace(",", "")
    whole = whole.lstrip("0")
    fraction = fraction.rstrip("0")
    if len(whole) > _MAX_DIGITS or len(fraction) > _MAX_DIGITS:
        return None
    return Decimal(f"{whole or 0}.{fraction}" if fraction else whole or "0")


def amount(text: str) -> Decimal | None:
    """A number written alone (``14``, ``1.5``, ``0,5``); None if longer than any amount."""
    return _decimal(text)


@lru_cache(maxsize=4096)
def overlong(text: str) -> str | None:
    """The first amount in mg, mcg or mL a text writes with more digits than any dose, or None.

    ``1111111111111111 mg`` and ``1.50000000000000000001 mg`` are read, and found to be no
    dose, rather than passed over.
    """
    for pattern in (_MG_IN_TEXT, _ML_IN_TEXT):
        for match in pattern.finditer(text):
            if _decimal(match["num"]) is None:
                return match[0].strip()
    return None


@lru_cache(maxsize=4096)
def stated(text: str) -> tuple[frozenset[Decimal], frozenset[Decimal]]:
    """The daily doses in mg and the volumes in mL an instruction could be stating."""
    doses = set(stated_doses(text))
    counted = [(int(m["count"]), _decimal(m["num"])) for m in _COUNTED.finditer(text)]
    if counted and all(strength is not None for _, strength in counted):
        doses.add(sum((n * (strength or ZERO) for n, strength in counted), ZERO))
    volumes = {_decimal(m["num"]) for m in _ML_IN_TEXT.finditer(text)}
    return frozenset(doses), frozenset(v for v in volumes if v is not None)


@lru_cache(maxsize=4096)
def stated_doses(text: str) -> tuple[Decimal, ...]:
    """The doses in mg a text names, in the order written, each once."""
    doses: dict[Decimal, None] = {}
    for match in _MG_IN_TEXT.finditer(text):
        value = None if match["times"] else _decimal(match["num"])
        if value is not None:
            doses[value.scaleb(-3) if match["unit"].lower() == "mcg" else value] = None
    return tuple(doses)


def capsule_quantity(text: str) -> dict[Decimal, int] | None:
    """Capsule counts by strength (mg) written in a text, or None if it names none."""
    counted = _counted(text)
    return dict(counted) if counted else None


@lru_cache(maxsize=4096)
def _counted(text: str) -> tuple[tuple[Decimal, int], ...]:
    counts: dict[Decimal, int] = {}
    for match in _COUNTED.finditer(text):
        strength = _decimal(match["num"])
        if strength is not None:
            counts[strength] = counts.get(strength, 0) + int(match["count"])
    return tuple(counts.items())
