"""What a plan says to dispense as a total: a FHIR dispenseRequest, a JSON plan's grand total.

Read here, set against the days by the check. A quantity in mL or in capsules is read; a pack
(the orderable form KIT, as this tool writes a plan of several capsule strengths) holds what its
label says and is not counted; any other unit, or a duration not in days or weeks, is a part
not read, so that it is said rather than passed over.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from ldn_titrate.received.fhir_values import get, number, text_of
from ldn_titrate.received.model import Dispensed

if TYPE_CHECKING:
    from collections.abc import Mapping

# UCUM mL (https://ucum.org/ucum) and the orderable drug form CAP
# (https://terminology.hl7.org/CodeSystem-v3-orderableDrugForm.html), with the words for them.
_ML: Final = frozenset({"ml", "milliliter", "millilitre", "milliliters", "millilitres"})
_CAPSULES: Final = frozenset({"cap", "caps", "capsule", "capsules", "{capsule}", "{capsules}"})
_PACKS: Final = frozenset({"kit", "pack", "packs", "package", "packages"})
# UCUM d and wk: https://ucum.org/ucum
_DAYS: Final = {"d": 1, "day": 1, "days": 1, "wk": 7, "week": 7, "weeks": 7}
_WHERE: Final = "FHIR MedicationRequest.dispenseRequest"


def _unit(quantity: object) -> str:
    unit = text_of(get(quantity, "code")) or text_of(get(quantity, "unit"))
    return unit.lower()


def fhir_dispensed(resource: Mapping[str, object]) -> tuple[Dispensed | None, str | None]:
    """The request's quantity to dispense and the days it is for; else the text not read.

    (None, None) when the request gives no quantity, or a pack.
    """
    request = get(resource, "dispenseRequest")
    quantity, duration = get(request, "quantity"), get(request, "expectedSupplyDuration")
    return _over_days(quantity, duration, f"{_WHERE}.quantity")


def handed_over(dispense: Mapping[str, object], where: str) -> tuple[Dispensed | None, str | None]:
    """A MedicationDispense of the order: its quantity over its ``daysSupply``."""
    return _over_days(get(dispense, "quantity"), get(dispense, "daysSupply"), where)


def _over_days(
    quantity: object, duration: object, where: str
) -> tuple[Dispensed | None, str | None]:
    if quantity is None:
        return None, None
    value, unit = number(get(quantity, "value")), _unit(quantity)
    said = f"{get(quantity, 'value')} {text_of(get(quantity, 'unit')) or unit}".strip()
    if unit in _PACKS:
        return None, None
    length, per = number(get(duration, "value")), _DAYS.get(_unit(duration))
    if (
        value is None
        or value <= 0
        or (unit not in _ML and unit not in _CAPSULES)
        or length is None
        or per is None
        or length != length.to_integral_value()
        or not 0 < length * per <= _MAX_DAYS
    ):
        return None, said
    kind = "mL" if unit in _ML else "capsules"
    return Dispensed(where, said, value, kind, int(length) * per), None


# Two years: far beyond any plan's supply (the check's own bound on a plan is 1,000 steps).
_MAX_DAYS: Final = 731


def json_dispensed(dispense: object) -> tuple[Dispensed, ...]:
    """The grand total a JSON plan of this tool says to dispense, and each of its fills."""
    days = get(dispense, "days_supply")
    found: list[Dispensed] = []
    if isinstance(days, int) and not isinstance(days, bool) and 0 < days <= _MAX_DAYS:
        total = _amount(get(dispense, "grand_total"), "JSON dispense.grand_total", days)
        found.extend(() if total is None else (total,))
    fills = get(dispense, "fills")
    for index, fill in enumerate(fills if isinstance(fills, list) else [], start=1):
        first, last = _day(get(fill, "first_day")), _day(get(fill, "last_day"))
        if first is None or last is None or not 0 <= (last - first).days < _MAX_DAYS:
            continue
        where = f"JSON dispense.fills[{index}].quantity"
        amount = _amount(get(fill, "quantity"), where, (last - first).days + 1, first)
        found.extend(() if amount is None else (amount,))
    return tuple(found)


def _amount(
    quantity: object, where: str, days: int, first_day: date | None = None
) -> Dispensed | None:
    """A quantity of this tool's JSON (``volume_ml`` or ``capsules`` by strength) over days."""
    said = text_of(get(quantity, "text"))
    volume = number(get(quantity, "volume_ml"))
    if volume is not None:
        return Dispensed(where, said, volume, "mL", days, first_day)
    capsules = get(quantity, "capsules")
    if isinstance(capsules, dict) and capsules:
        counts = [c for c in capsules.values() if isinstance(c, int) and not isinstance(c, bool)]
        if len(counts) == len(capsules):
            return Dispensed(where, said, Decimal(sum(counts)), "capsules", days, first_day)
    return None


def _day(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
