"""How often a FHIR Dosage gives its dose, worked out from its timing, not assumed.

Each element of ``Dosage.timing`` that bears on the rate is read: ``repeat.frequency``,
``frequencyMax``, ``period``, ``periodMax``, ``periodUnit``, ``when``, ``timeOfDay``,
``dayOfWeek``, ``count``, ``boundsPeriod``, ``boundsDuration`` and ``timing.code``
(https://hl7.org/fhir/R4/datatypes.html#Timing); so are ``asNeeded[x]`` and
``maxDosePerPeriod`` (https://hl7.org/fhir/R4/dosage.html). Nothing here judges the rate.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Final

from ldn_titrate.received.fhir_values import get, items, number, text_of
from ldn_titrate.received.model import DoseTiming

# Days in each unit of time a FHIR period may use (UCUM units of
# https://hl7.org/fhir/R4/valueset-units-of-time.html); a month is taken as 30 days and a
# year as 365, as the guide's own Timing examples read "once a month".
_DAYS: Final = {
    "s": Fraction(1, 86_400),
    "min": Fraction(1, 1_440),
    "h": Fraction(1, 24),
    "d": Fraction(1),
    "wk": Fraction(7),
    "mo": Fraction(30),
    "a": Fraction(365),
}
# Doses a day of each timing abbreviation
# (https://hl7.org/fhir/R4/valueset-timing-abbreviation.html, v3 GTSAbbreviation).
_CODES: Final = {
    "QD": Fraction(1),
    "AM": Fraction(1),
    "PM": Fraction(1),
    "BED": Fraction(1),
    "BID": Fraction(2),
    "TID": Fraction(3),
    "QID": Fraction(4),
    "QOD": Fraction(1, 2),
    "Q1H": Fraction(24),
    "Q2H": Fraction(12),
    "Q3H": Fraction(8),
    "Q4H": Fraction(6),
    "Q6H": Fraction(4),
    "Q8H": Fraction(3),
    "Q12H": Fraction(2),
    "WK": Fraction(1, 7),
    "MO": Fraction(1, 30),
}
_WEEK: Final = 7
# The parts of Dosage.timing and Dosage read here by their meaning.
TIMING_READ: Final = frozenset(
    {
        "repeat",
        "code",
        "repeat.boundsPeriod",
        "repeat.boundsDuration",
        "repeat.frequency",
        "repeat.frequencyMax",
        "repeat.period",
        "repeat.periodMax",
        "repeat.periodUnit",
        "repeat.when",
        "repeat.timeOfDay",
        "repeat.dayOfWeek",
        "repeat.count",
        "repeat.countMax",
    }
)


def timing_of(dosage: object, where: str, first: date | None, last: date | None) -> DoseTiming:
    """The rate one Dosage gives, with its bounds and text, for the check to judge."""
    timing = get(dosage, "timing")
    repeat = get(timing, "repeat")
    said: list[str] = []
    per_day = _rate(repeat, said)
    concept = get(timing, "code")
    codes = [text_of(get(c, "code")) for c in items(get(concept, "coding"))]
    code = next((c for c in codes if c.upper() in _CODES), text_of(get(concept, "text")))
    coded = _CODES.get(code.upper()) if code else None
    if code:
        said.append(f"timing.code {code}")
        per_day = coded if per_day is None or coded is None else max(per_day, coded)
    times = [str(t) for t in (*items(get(repeat, "when")), *items(get(repeat, "timeOfDay")))]
    if len(times) > 1:
        said.append(f"{len(times)} times of day ({', '.join(times)})")
        per_day = max(per_day or Fraction(0), Fraction(len(times)))
    days = [str(d) for d in items(get(repeat, "dayOfWeek"))]
    if days and len(set(days)) < _WEEK:
        said.append(f"only on {', '.join(days)}")
        per_day = (per_day or Fraction(1)) * Fraction(len(set(days)), _WEEK)
    count = get(repeat, "count")
    return DoseTiming(
        where=where,
        per_day=per_day,
        said="; ".join(said),
        text=text_of(get(dosage, "text")),
        bound_days=_bound_days(repeat, first, last),
        count=count if isinstance(count, int) and not isinstance(count, bool) else None,
        as_needed=get(dosage, "asNeededBoolean") is True
        or get(dosage, "asNeededCodeableConcept") is not None,
        max_mg_per_day=_max_per_day(get(dosage, "maxDosePerPeriod")),
    )


def _rate(repeat: object, said: list[str]) -> Fraction | None:
    """Doses a day from frequency, period and periodUnit; the highest when a range is given."""
    frequency = _whole(get(repeat, "frequency"))
    frequency_max = _whole(get(repeat, "frequencyMax"))
    period = number(get(repeat, "period"))
    period_max = number(get(repeat, "periodMax"))
    unit = get(repeat, "periodUnit")
    if frequency is None and period is None:
        return None
    times = max(frequency or 1, frequency_max or 0)
    unit_days = _DAYS.get(unit) if isinstance(unit, str) else None
    words = f"frequency {frequency or 1}"
    if frequency_max is not None:
        words += f" to {frequency_max}"
    if period is None or unit_days is None or period <= 0:
        said.append(f"{words} with no period in a known unit")
        return None
    words += f" every {_plain(period)}"
    if period_max is not None:
        words += f" to {_plain(period_max)}"
    said.append(f"{words} {unit}")
    shortest = min(period, period_max) if period_max is not None and period_max > 0 else period
    highest = Fraction(times) / (Fraction(shortest) * unit_days)
    if period_max is not None and period_max != period:
        # A range of periods is not one daily dose whatever its ends: never exactly 1.
        return highest if highest != 1 else Fraction(times) / (Fraction(period_max) * unit_days)
    return highest


def _bound_days(repeat: object, first: date | None, last: date | None) -> int | None:
    """Days the Dosage's bounds cover: its boundsPeriod, else its boundsDuration."""
    if first is not None and last is not None:
        return (last - first).days + 1
    duration = get(repeat, "boundsDuration")
    value = number(get(duration, "value"))
    unit = get(duration, "code") or get(duration, "unit")
    days = _DAYS.get(unit) if isinstance(unit, str) else None
    if value is None or days is None or value <= 0:
        return None
    total = Fraction(value) * days
    return int(total) if total.denominator == 1 else None


def _max_per_day(ratio: object) -> Decimal | None:
    """The maxDosePerPeriod (a Ratio) as mg a day, when it is written in mg per a period of time."""
    numerator = get(ratio, "numerator")
    denominator = get(ratio, "denominator")
    amount = number(get(numerator, "value"))
    unit = str(get(numerator, "code") or get(numerator, "unit") or "").lower()
    per = number(get(denominator, "value"))
    per_unit = get(denominator, "code") or get(denominator, "unit")
    days = _DAYS.get(per_unit) if isinstance(per_unit, str) else None
    if amount is None or unit != "mg" or per is None or days is None or per <= 0:
        return None
    return amount / (per * Decimal(days.numerator) / Decimal(days.denominator))


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
