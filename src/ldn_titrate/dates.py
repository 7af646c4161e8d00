"""Parse the days and intervals people type; the only place where text becomes a date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from ldn_titrate.bounded import LAST_DAY, TOO_LATE, days_after
from ldn_titrate.errors import InputError
from ldn_titrate.limits import (
    INTERVAL_MAX_DAYS,
    INTERVAL_MAX_MONTHS,
    INTERVAL_MAX_WEEKS,
    INTERVAL_MIN_DAYS,
)

_ISO_DAY: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTERVAL: Final = re.compile(r"(?P<count>[0-9]{1,6})(?P<unit>d|w|mo)?")
_WEEKDAYS: Final = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
DAY_FORMS: Final = "YYYY-MM-DD, today, tomorrow or a weekday name such as monday"


class IntervalUnit(StrEnum):
    """The unit of a step interval."""

    DAYS = "d"
    WEEKS = "w"
    MONTHS = "mo"


@dataclass(frozen=True)
class Interval:
    """How long each step lasts: a count of days, weeks or calendar months."""

    count: int
    unit: IntervalUnit

    def __str__(self) -> str:
        """The canonical text form: ``7d``, ``2w``, ``1mo``."""
        return f"{self.count}{self.unit.value}"

    @property
    def fixed_days(self) -> int | None:
        """The length in days, or None for calendar months (whose length varies)."""
        if self.unit is IntervalUnit.MONTHS:
            return None
        return self.count * (7 if self.unit is IntervalUnit.WEEKS else 1)


def parse_interval(text: str, field: str) -> Interval:
    """Parse ``7``, ``7d``, ``2w`` or ``1mo``; refuse ``1m`` and anything else."""
    body = text.strip(" ").lower()
    if re.fullmatch(r"[0-9]{1,6}m", body):
        raise InputError(field, text, "use 1mo for months or 30d for days")
    match = _INTERVAL.fullmatch(body)
    if match is None:
        raise InputError(
            field, text, "write whole days (7 or 7d), weeks (2w) or calendar months (1mo)"
        )
    count = int(match["count"])
    unit = IntervalUnit(match["unit"] or "d")
    interval = Interval(count, unit)
    limit = {
        IntervalUnit.DAYS: INTERVAL_MAX_DAYS,
        IntervalUnit.WEEKS: INTERVAL_MAX_WEEKS,
        IntervalUnit.MONTHS: INTERVAL_MAX_MONTHS,
    }[unit]
    if not INTERVAL_MIN_DAYS <= count <= limit:
        raise InputError(
            field,
            text,
            f"must be from 1 day to 26 weeks ({INTERVAL_MAX_DAYS}d, {INTERVAL_MAX_WEEKS}w "
            f"or {INTERVAL_MAX_MONTHS}mo at most)",
        )
    return interval


class NotADayError(ValueError):
    """Text that is not an ISO day; ``reason`` says why, for the caller's own message."""

    def __init__(self, reason: str) -> None:
        """Keep the reason: ``not a YYYY-MM-DD day`` or ``not a day in the calendar``."""
        self.reason = reason
        super().__init__(reason)


NOT_ISO: Final = "not a YYYY-MM-DD day"
NOT_IN_CALENDAR: Final = "not a day in the calendar"
NOT_SUPPORTED: Final = TOO_LATE


def iso_day(text: str) -> date:
    """Read an exact ``YYYY-MM-DD`` day: the only reader of ISO days.

    Raises:
        NotADayError: with ``NOT_ISO``, ``NOT_IN_CALENDAR`` or ``NOT_SUPPORTED`` as its reason.
    """
    if _ISO_DAY.fullmatch(text) is None:
        raise NotADayError(NOT_ISO)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise NotADayError(NOT_IN_CALENDAR) from None
    if day > LAST_DAY:
        raise NotADayError(NOT_SUPPORTED)
    return day


def parse_day(text: str, field: str, today: date) -> date:
    """Parse an ISO date, ``today``, ``tomorrow`` or a weekday name (today if it matches)."""
    body = text.strip(" ").lower()
    if body == "today":
        return days_after(today, 0, field)
    if body == "tomorrow":
        return days_after(today, 1, field)
    if body in _WEEKDAYS:
        return days_after(today, (_WEEKDAYS.index(body) - today.weekday()) % 7, field)
    try:
        return iso_day(body)
    except NotADayError as exc:
        if exc.reason == NOT_ISO:
            raise InputError(
                field, text, f"write {DAY_FORMS} (other forms are ambiguous)"
            ) from None
        if exc.reason == NOT_SUPPORTED:
            raise InputError(field, text, f"must be on or before {LAST_DAY.isoformat()}") from None
        raise InputError(field, text, "no such day in the calendar") from None
