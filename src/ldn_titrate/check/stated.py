"""What instruction and quantity texts state: daily doses, volumes and capsule counts."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Final

from ldn_titrate.check.arithmetic import ZERO

# Linear in the text: a number starts only where no digit or point stands before it, and
# every run is bounded, so a cell of 100,000 digits is one failed attempt, not 10^10 steps.
# Twelve digits each side of the point is far beyond any dose or volume (see doses._DOSE).
_AMOUNT: Final = r"(?<![0-9.])(?P<num>[0-9]{1,12}(?:\.[0-9]{1,12})?|\.[0-9]{1,12})"
_MG_IN_TEXT: Final = re.compile(
    r"(?P<times>[×x*]\s*)?" + _AMOUNT + r"\s*(?P<unit>mg|mcg)(?![a-z])(?!\s*/)", re.IGNORECASE
)
_ML_IN_TEXT: Final = re.compile(r"(?<![/\w])" + _AMOUNT + r"\s*ml(?![a-z])", re.IGNORECASE)
_COUNTED: Final = re.compile(
    r"(?<![0-9])(?P<count>[0-9]{1,6})\s*(?:[×x*]|capsules?\s+of(?:\s+naltrexone)?)\s*"
    + _AMOUNT
    + r"\s*mg",
    re.IGNORECASE,
)


def _decimal(text: str) -> Decimal:
    return Decimal("0" + text if text.startswith(".") else text)


@lru_cache(maxsize=4096)
def stated(text: str) -> tuple[frozenset[Decimal], frozenset[Decimal]]:
    """The daily doses in mg and the volumes in mL an instruction could be stating."""
    doses = set(stated_doses(text))
    counted = [int(m["count"]) * _decimal(m["num"]) for m in _COUNTED.finditer(text)]
    if counted:
        doses.add(sum(counted, ZERO))
    volumes = {_decimal(m["num"]) for m in _ML_IN_TEXT.finditer(text)}
    return frozenset(doses), frozenset(volumes)


@lru_cache(maxsize=4096)
def stated_doses(text: str) -> tuple[Decimal, ...]:
    """The doses in mg a text names, in the order written, each once."""
    doses: dict[Decimal, None] = {}
    for match in _MG_IN_TEXT.finditer(text):
        if not match["times"]:
            value = _decimal(match["num"])
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
        counts[strength] = counts.get(strength, 0) + int(match["count"])
    return tuple(counts.items())
