"""Days as pharmacies receive them: ISO, day-first, month-first, month names, serial numbers.

``13/12/2026`` and ``12/21/2026`` can each be read one way only, but ``07/12/2026`` is 7 December
day-first and 12 July month-first. A day-first or month-first date is read only when every
such date of the file allows one reading, or the order is given; otherwise not at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Final

from ldn_titrate.patterns import lazy_pattern


class DateOrder(StrEnum):
    """Which number comes first in a date such as ``07/12/2026``."""

    DMY = "dmy"
    MDY = "mdy"


_ISO_DAY: Final = re.compile(
    r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})(?:[T ]00:00(?::00)?)?"
)
_NUMERIC_DAY: Final = re.compile(
    r"(?P<a>[0-9]{1,2})(?P<sep>[/.\-])(?P<b>[0-9]{1,2})(?P=sep)(?P<y>[0-9]{4}|[0-9]{2})"
)
_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


_day_month = lazy_pattern(
    r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?[\s\-]+(?P<m>[a-z]+)\.?,?[\s\-]+(?P<y>[0-9]{4})",
    re.IGNORECASE,
)


_month_day = lazy_pattern(
    r"(?P<m>[a-z]+)\.?\s+(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>[0-9]{4})", re.IGNORECASE
)


# Spreadsheets count days from 1899-12-30 (day 1 is 1900-01-01, after Lotus's leap-year bug):
# https://learn.microsoft.com/en-us/office/troubleshoot/excel/wrongly-assumes-1900-is-leap-year
_SERIAL: Final = re.compile(r"(?P<n>[0-9]{5})(?:\.0+)?")
_SERIAL_EPOCH: Final = date(1899, 12, 30)
# A whole line that is a day-first or month-first date or a serial number, after its line
# break: a search that starts from a line break skips from one to the next, where "^" would
# try every character.
_NUMERIC_OR_SERIAL_LINE: Final = re.compile(
    rf"\n(?:{_NUMERIC_DAY.pattern}|{_SERIAL.pattern})(?![^\n])"
)


def _calendar(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(text: str) -> int:
    # A two-digit year in a titration plan is this century's.
    return int(text) if len(text) == 4 else 2000 + int(text)


@lru_cache(maxsize=4096)
def readings(text: str) -> dict[DateOrder, date] | None:
    """The days a day-first or month-first date can be, by order; None if not such a date."""
    match = _NUMERIC_DAY.fullmatch(text)
    if match is None:
        return None
    a, b, year = int(match["a"]), int(match["b"]), _year(match["y"])
    found = {DateOrder.DMY: _calendar(year, b, a), DateOrder.MDY: _calendar(year, a, b)}
    return {order: day for order, day in found.items() if day is not None}


def file_order(texts: Iterable[str]) -> tuple[DateOrder | None, bool]:
    """The one order every day-first or month-first date allows, and whether any differs.

    Returns (order, ambiguous): order is None when no date settles it; ambiguous is True when
    some date reads as two different days.
    """
    possible = set(DateOrder)
    ambiguous = False
    for text in texts:
        found = readings(text)
        if not found:
            continue
        possible &= set(found)
        if len(set(found.values())) > 1:
            ambiguous = True
    if len(possible) == 1:
        return next(iter(possible)), False
    return None, ambiguous and len(possible) > 1


@lru_cache(maxsize=8192)
def read_day(text: str, order: DateOrder | None) -> date | str:
    """One day, or why the text is not one; a day-first or month-first date needs ``order``."""
    if _ISO_DAY.fullmatch(text) is not None:
        # The pattern leaves only the calendar to check: the C parser does so fastest.
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return "no such day in the calendar"
    found = readings(text)
    if found is not None:
        return _numeric_day(found, order)
    for pattern in (_day_month(), _month_day()):
        named = pattern.fullmatch(text)
        if named is not None:
            month = _MONTHS.get(named["m"].lower())
            if month is None:
                return "not a month name"
            day = _calendar(int(named["y"]), month, int(named["d"]))
            return "no such day in the calendar" if day is None else day
    return "write days as YYYY-MM-DD"


def _numeric_day(found: dict[DateOrder, date], order: DateOrder | None) -> date | str:
    if order is not None:
        day = found.get(order)
        if day is None:
            first = "day" if order is DateOrder.DMY else "month"
            return f"no such day in the calendar when read {first}-first"
        return day
    if not found:
        return "no such day in the calendar"
    if len(set(found.values())) == 1:
        return next(iter(found.values()))
    return "this file mixes day-first and month-first dates; write days as YYYY-MM-DD"


@lru_cache(maxsize=4096)
def serial_day(text: str) -> date | None:
    """The day a spreadsheet serial number such as ``46363`` stands for, or None."""
    match = _SERIAL.fullmatch(text)
    return None if match is None else _SERIAL_EPOCH + timedelta(days=int(match["n"]))


def plain_days(texts: Iterable[str]) -> bool:
    """Whether no text is a day-first or month-first date or a serial number.

    Most files write every day as ISO or with a month name, so that nothing needs settling:
    one search over all the texts, one a line, says so for far less than a read of each.
    A text with a line break may be taken for such a date, never the other way round.
    """
    return _NUMERIC_OR_SERIAL_LINE.search("\n" + "\n".join(texts)) is None
