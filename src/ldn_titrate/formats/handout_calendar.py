"""The handout's tick calendar: continuous weeks, each with what to take above its days.

Each week is two rows on the page: a band that says once what to take for each run of days
with the same doses, and the days themselves with a tick box for each dose. Saying the dose
once a run rather than in every day keeps a week at two or three lines, so that twelve steps
with a morning and a bedtime dose of two capsule strengths still print on two pages.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Final, NamedTuple

from ldn_titrate.doses import format_capsules, format_mg, format_ml
from ldn_titrate.formats.handout_words import (
    WEEKDAYS,
    calendar_span,
    day_text,
    short_day,
    unbroken,
)
from ldn_titrate.model import DoseTime, Liquid

if TYPE_CHECKING:
    from ldn_titrate.model import Administration, Schedule, Step

# The calendar's cells are narrow: the times in short (the key is printed above it).
SHORT_WHEN: Final = {DoseTime.MORNING: "am", DoseTime.BEDTIME: "bed"}
MAX_WEEKS: Final = 12
"""Twelve weekly steps and the first week at the target take 12 weeks; a longer plan's
calendar stops there and says so (the table and the chart show it all), so that the page
stays on two sheets."""
_SHORT_RUN: Final = 2
"""Days too narrow for the whole of a split dose in words, taken from the week above."""


class CalendarDose(NamedTuple):
    """One dose of a run of days: when, then what the patient measures or counts."""

    when: str | None
    """``am`` or ``bed`` for a split day; None when taken once."""
    dose: str
    """What to measure or count: ``1.5 mL (1.5 mg)``, ``2 × 0.5 mg``, or the mg of a plain plan."""


class Run(NamedTuple):
    """Days of one week in a row with the same doses: the band above them says what to take."""

    span: int
    """How many days (table columns) the run covers."""
    doses: tuple[CalendarDose, ...] = ()
    change: bool = False
    """The run starts a new dose."""
    inside: bool = True
    """False for days before the plan starts or after the calendar ends."""
    same: bool = False
    """A day or two that go on with the dose of the week above: the band says so in short."""


class Day(NamedTuple):
    """One day cell: its number (with the month where a month starts) and its tick boxes."""

    label: str
    boxes: tuple[str | None, ...] = ()
    """One box per dose, each with its time (``am``, ``bed``) on a split day."""
    change: bool = False
    """The first day of a new dose."""
    inside: bool = True


class Week(NamedTuple):
    """A calendar week: the bands of what to take, then the seven days."""

    runs: tuple[Run, ...]
    days: tuple[Day, ...]


class Calendar(NamedTuple):
    """The weeks to tick, and where the calendar stops when the plan runs longer."""

    weekdays: tuple[str, ...]
    """The column heads: the weekday names from the plan's first day."""
    weeks: tuple[Week, ...]
    until: str | None
    """The last day shown, when the calendar stops before the first week at the target."""


def _calendar_dose(
    administration: Administration, liquid: Liquid | None, *, split: bool
) -> CalendarDose:
    """What the band shows for one dose: mL with its mg for a liquid, capsules, else mg."""
    when = SHORT_WHEN[administration.time] if split else None
    mg = format_mg(administration.dose_mg)
    if liquid is not None and administration.volume_ml is not None:
        return CalendarDose(when, unbroken(f"{format_ml(administration.volume_ml)} ({mg})"))
    if administration.capsules is not None:
        return CalendarDose(when, unbroken(format_capsules(administration.capsules)))
    return CalendarDose(when, unbroken(mg))


def _label(day: date, first: date) -> str:
    """A day's number, with its month on the calendar's first day and each month's first."""
    return short_day(day) if day == first or day.day == 1 else str(day.day)


def _run(step: Step, schedule: Schedule, *, change: bool) -> Run:
    form = schedule.request.formulation
    liquid = form if isinstance(form, Liquid) else None
    taken = step.doses_of_day(schedule.request.time)
    return Run(1, tuple(_calendar_dose(a, liquid, split=step.split) for a in taken), change)


def _week(start: date, first: date, last: date, schedule: Schedule) -> Week:
    """One week: days outside the plan stay blank; the others are grouped into runs by step."""
    steps = schedule.steps
    days: list[Day] = []
    runs: list[Run] = []
    current: Step | None = None
    for offset in range(7):
        day = start + timedelta(days=offset)
        step = None
        if first <= day <= last:
            step = next(s for s in reversed(steps) if s.first_day <= day)
        change = step is not None and day == step.first_day and step.number > 1
        if step is None:
            days.append(Day(str(day.day), inside=False))
        else:
            boxes = tuple(
                SHORT_WHEN[a.time] if step.split else None
                for a in step.doses_of_day(schedule.request.time)
            )
            days.append(Day(_label(day, first), boxes, change))
        if runs and step is current and not change:
            runs[-1] = runs[-1]._replace(span=runs[-1].span + 1)
        elif step is None:
            runs.append(Run(1, inside=False))
        else:
            runs.append(_run(step, schedule, change=change))
        current = step
    head = runs[0]
    if start > first and head.inside and not head.change and head.span <= _SHORT_RUN:
        runs[0] = head._replace(same=True)
    return Week(tuple(runs), tuple(days))


def calendar(schedule: Schedule) -> Calendar:
    """The calendar as continuous weeks from the plan's first day, at most ``MAX_WEEKS``.

    A week starts on the weekday the plan starts, so that a plan of weekly steps changes dose
    at the start of a week and each week needs one line of what to take. One table whatever
    the months: the month's name stands on the day it starts.
    """
    first, last = calendar_span(schedule.steps)
    until = None
    if (last - first).days >= 7 * MAX_WEEKS:
        last = first + timedelta(days=7 * MAX_WEEKS - 1)
        until = day_text(last)
    weeks = []
    start = first
    while start <= last:
        weeks.append(_week(start, first, last, schedule))
        start += timedelta(days=7)
    weekdays = tuple(WEEKDAYS[(first.weekday() + i) % 7] for i in range(7))
    return Calendar(weekdays, tuple(weeks), until)
