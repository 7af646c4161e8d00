"""The handout's words for days and amounts: English names, no-break spaces inside amounts."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from ldn_titrate.model import Step

# English names, never the locale's: the page must read the same on every machine.
WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
TARGET_WEEK_DAYS: Final = 7
"""The calendar and the chart run on this many days into the last (target) step."""

NBSP: Final = "\u00a0"
# The spaces inside an amount: a number and its unit, a count and its strength, "= 1.5 mg".
_AMOUNT_SPACE: Final = re.compile(
    r"(?<=[0-9]) (?=(?:mg|mcg|mL|capsules?)\b|×)|(?<=×) (?=[0-9])|(?<=[0-9]) (?=mg/mL)"
)


def unbroken(text: str) -> str:
    """Text whose amounts never break across lines: no-break spaces inside each amount.

    ``= 1 mg`` keeps its sign with the amount before it, so that no line starts with "=".
    """
    return _AMOUNT_SPACE.sub(NBSP, text).replace(" = ", f"{NBSP}= ")


def day_text(day: date) -> str:
    """A day for people, in words that no locale or order can turn: ``Mon 7 Dec 2026``."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def short_day(day: date) -> str:
    """A day and its month, kept on one line: ``7 Dec``."""
    return f"{day.day}{NBSP}{MONTHS[day.month - 1][:3]}"


def calendar_span(steps: tuple[Step, ...]) -> tuple[date, date]:
    """The first and last day of the calendar: the titration and the first week at the target."""
    last = steps[-1]
    end = last.first_day + timedelta(days=TARGET_WEEK_DAYS - 1)
    if last.last_day is not None:
        end = min(end, last.last_day)
    return steps[0].first_day, end
