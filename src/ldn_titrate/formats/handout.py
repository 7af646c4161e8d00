"""What the patient handout says, as plain values: the steps, the calendar, the chart, the advice.

The HTML writer (``html_format``) lays these values out; nothing here knows HTML. Every dose
and volume goes through the formatters of ``doses``, so the page follows the ISMP rules.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, NamedTuple

from ldn_titrate.doses import (
    format_capsules,
    format_concentration,
    format_mg,
    format_ml,
    format_number,
)
from ldn_titrate.formats import DEFAULT_OPTIONS, WriteOptions
from ldn_titrate.model import Administration, Capsules, DoseTime, Liquid, Schedule, Step
from ldn_titrate.wording import capsule_words

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
WHEN: Final = {DoseTime.MORNING: "Morning", DoseTime.BEDTIME: "Bedtime"}
# The calendar's cells are narrow: the times in short (the key is printed above it).
SHORT_WHEN: Final = {DoseTime.MORNING: "am", DoseTime.BEDTIME: "bed"}
TARGET_WEEK_DAYS: Final = 7
"""The calendar runs on this many days into the last (target) step."""

TITLE: Final = "Your low-dose naltrexone plan"
# CSS page sizes by the --paper choice.
_PAGE_SIZES: Final = {"a4": "A4", "letter": "letter"}


class Advice(NamedTuple):
    """One paragraph of the safety text: a heading, the sentences, and where they come from."""

    heading: str
    text: str
    sources: tuple[str, ...]


# Each paragraph keeps its sources beside it; none is printed, all are kept for review.
ADVICE: Final = (
    Advice(
        "Never with opioid medicines",
        "Do not take naltrexone with any opioid medicine: it blocks them, and with an opioid in "
        "the body it can bring on withdrawal. Opioids include codeine (also in some cough and "
        "diarrhoea medicines), tramadol, morphine, oxycodone, hydrocodone, hydromorphone, "
        "fentanyl, tapentadol, methadone, buprenorphine and loperamide. Tell every doctor, "
        "dentist and pharmacist that you take naltrexone.",
        (
            "https://drugcentral.org/label/adb7c4dc-221a-4d91-9687-0d78913a92ad/view",
            "https://www.renalandurologynews.com/drug/naltrexone/",
            "https://drugmart.com/articles/what-to-avoid-when-taking-low-dose-naltrexone",
            "https://www.goodrx.com/naltrexone/interactions",
            "https://prescriberpoint.com/therapies/naltrexone-hydrochloride-0f30f88",
            "https://pmc.ncbi.nlm.nih.gov/articles/PMC7504308",
        ),
    ),
    Advice(
        "The first weeks",
        "Vivid dreams, trouble sleeping and headache are the usual early effects; they mostly "
        "pass. If they keep you awake, the usual fix is to take the dose in the morning "
        "instead: ask your prescriber.",
        (
            "https://www.empr.com/home/mpr-first-report/aapm-2012/low-dose-naltrexone-effective-in-treating-fibromyalgia/",
            "https://lavenderskyhealth.com/rx-summaries/naltrexone",
            "https://biologyinsights.com/why-does-ldn-cause-insomnia-how-to-manage-it",
            "https://sites.google.com/view/ldnno/dosering",
            "https://thecompounder.com/sleep-disturbances-with-ldn/",
        ),
    ),
    Advice(
        "If you miss a dose",
        "Take it when you remember, unless your next dose is due within 6 hours: then skip "
        "it. Never take two doses together to make up for one.",
        ("https://physicianspreferencerx.com/drugs/naltrexone/",),
    ),
    Advice(
        "If a new dose feels worse",
        "Go back to the last dose and tell your prescriber.",
        (
            "https://ldnresearchtrust.org/low-dose-naltrexone-ldn-titration",
            "https://ldnresearchtrust.org/how-do-you-increase-dose-low-dose-naltrexone-ldn",
            "https://e-med.co.uk/ldn_dosage.php",
        ),
    ),
)

# The same volume of a 5 mg/mL liquid holds five times the dose of a 1 mg/mL one, and parents
# measuring liquids err often, least with an oral syringe (Yin et al., Pediatrics 2016,
# https://pediatrics.aappublications.org/content/138/4/e20160357.long ; strengths:
# https://ldnresearchtrust.org/types-of-ldn): the page names the strength beside every volume.
LIQUID_SOURCES: Final = (
    "https://pediatrics.aappublications.org/content/138/4/e20160357.long",
    "https://ldnresearchtrust.org/types-of-ldn",
    "https://www.fda.gov/drugs/safe-use-initiative/national-standardization-intravenous-iv-and-oral-liquid-medications",
)


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


class DoseLine(NamedTuple):
    """One dose of a step's day: when (``Bedtime``) and what to take."""

    when: str
    what: str


class Row(NamedTuple):
    """One step of the schedule table."""

    number: int
    first_day: str
    last_day: str | None
    """None: the step goes on."""
    days: int | None
    dose: str
    """The day's dose in mg, with ``a day`` when it is split."""
    lines: tuple[DoseLine, ...]
    note: str | None


class CalendarDose(NamedTuple):
    """One tick box of a calendar day: what the patient measures or counts, then the mg."""

    when: str | None
    """``Morning`` or ``Bedtime`` for a split day; None when taken once."""
    dose: str
    """What to measure or count: ``1.5 mL``, ``2 × 0.5 mg``, or the mg of a plain plan."""


class Day(NamedTuple):
    """One cell of the calendar: its day (with the month where a month starts), its doses.

    A day outside the plan keeps its number but has no doses (``inside`` False).
    """

    label: str
    doses: tuple[CalendarDose, ...] = ()
    total: str | None = None
    """The day's dose in mg, shown beside the day when the doses are measured or counted."""
    change: bool = False
    """The first day of a new dose."""
    inside: bool = True


Week = tuple[Day, ...]


class Mark(NamedTuple):
    """A labelled point on an axis of the chart, in chart units."""

    at: str
    text: str


class Chart(NamedTuple):
    """A step chart of the day's dose in mg against the date, in SVG user units."""

    width: int
    height: int
    left: int
    bottom: int
    path: str
    """The steps as an SVG path."""
    doses: tuple[Mark, ...]
    """The y axis: one mark for each dose the plan reaches."""
    dates: tuple[Mark, ...]
    """The x axis: the days the dose changes."""


class Handout(NamedTuple):
    """Everything the page shows."""

    title: str
    label: str | None
    prescriber: str | None
    pharmacy: str | None
    medicine: str
    strength: str | None
    """The liquid's strength and the warning that goes with it; None for other forms."""
    rows: tuple[Row, ...]
    weeks: tuple[Week, ...]
    chart: Chart
    advice: tuple[Advice, ...]
    paper: str | None
    """The CSS page size, ``A4`` or ``letter``; None leaves it to the printer."""
    split: bool
    """Some day has a morning and a bedtime dose."""


def _what(administration: Administration, liquid: Liquid | None) -> str:
    """What to take for one dose: ``1.5 mL of the 1 mg/mL liquid = 1.5 mg``, capsules, or mg."""
    dose = format_mg(administration.dose_mg)
    if liquid is not None and administration.volume_ml is not None:
        strength = format_concentration(liquid.concentration_mg_per_ml)
        return f"{format_ml(administration.volume_ml)} of the {strength} liquid = {dose}"
    if administration.capsules is not None:
        many = sum(n for _, n in administration.capsules) > 1
        words = capsule_words(administration.capsules)
        return f"{words} = {dose}" if many else words
    return dose


def _row(step: Step, time: DoseTime, liquid: Liquid | None) -> Row:
    lines = tuple(
        DoseLine(WHEN[a.time], unbroken(_what(a, liquid))) for a in step.doses_of_day(time)
    )
    dose = unbroken(format_mg(step.dose_mg)) + (" a day" if step.split else "")
    return Row(
        step.number,
        day_text(step.first_day),
        None if step.last_day is None else day_text(step.last_day),
        step.days,
        dose,
        lines,
        step.note,
    )


def calendar_span(steps: tuple[Step, ...]) -> tuple[date, date]:
    """The first and last day of the calendar: the titration and the first week at the target."""
    last = steps[-1]
    end = last.first_day + timedelta(days=TARGET_WEEK_DAYS - 1)
    if last.last_day is not None:
        end = min(end, last.last_day)
    return steps[0].first_day, end


def _calendar_dose(
    administration: Administration, liquid: Liquid | None, *, split: bool
) -> CalendarDose:
    """What a calendar day shows for one dose: mL for a liquid, capsules, else mg."""
    when = SHORT_WHEN[administration.time] if split else None
    mg = format_mg(administration.dose_mg)
    if liquid is not None and administration.volume_ml is not None:
        return CalendarDose(when, unbroken(format_ml(administration.volume_ml)))
    if administration.capsules is not None:
        return CalendarDose(when, unbroken(format_capsules(administration.capsules)))
    return CalendarDose(when, unbroken(mg))


def _label(day: date, first: date) -> str:
    """A day's number, with its month on the calendar's first day and each month's first."""
    if day == first or day.day == 1:
        return f"{day.day}{NBSP}{MONTHS[day.month - 1][:3]}"
    return str(day.day)


def calendar(schedule: Schedule) -> tuple[Week, ...]:
    """The calendar as continuous weeks, Monday first, from the first day's week to the last's.

    One table whatever the months: the month's name stands on the day it starts, so a plan
    that crosses a month never takes two half-empty month grids.
    """
    first, last = calendar_span(schedule.steps)
    time = schedule.request.time
    form = schedule.request.formulation
    liquid = form if isinstance(form, Liquid) else None
    cells: dict[date, Day] = {}
    for step in schedule.steps:
        end = last if step.last_day is None else min(step.last_day, last)
        doses = tuple(_calendar_dose(a, liquid, split=step.split) for a in step.doses_of_day(time))
        measured = liquid is not None or step.capsules is not None or step.split
        total = unbroken(format_mg(step.dose_mg)) if measured else None
        for offset in range((end - step.first_day).days + 1):
            day = step.first_day + timedelta(days=offset)
            change = offset == 0 and step.number > 1
            cells[day] = Day(_label(day, first), doses, total, change)
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        days = [monday + timedelta(days=i) for i in range(7)]
        weeks.append(tuple(cells.get(d, Day(str(d.day), inside=False)) for d in days))
        monday += timedelta(days=7)
    return tuple(weeks)


_CHART_WIDTH: Final = 640
_CHART_HEIGHT: Final = 150
_LEFT: Final = 56
_BOTTOM: Final = 120
_TOP: Final = 12
_RIGHT: Final = 16
_MAX_DATE_MARKS: Final = 10
_MAX_DOSE_MARKS: Final = 10
_LABEL_SPACING: Final = 18
"""Chart units between two dose labels: the labels are 15 units tall."""
_UNIT: Final = Decimal("0.1")


def _units(value: Decimal) -> str:
    """A coordinate rounded to a tenth of a unit, written without a trailing zero."""
    return format_number(value.quantize(_UNIT, rounding=ROUND_HALF_UP))


def chart(schedule: Schedule) -> Chart:
    """The step chart: the day's dose from the first day to the end of the calendar."""
    first, last = calendar_span(schedule.steps)
    steps = [s for s in schedule.steps if s.first_day <= last]
    span = Decimal((last - first).days + 1)
    top = max(s.dose_mg for s in steps)
    plot_w = Decimal(_CHART_WIDTH - _LEFT - _RIGHT)
    plot_h = Decimal(_BOTTOM - _TOP)

    def x(day: date) -> Decimal:
        return _LEFT + plot_w * (day - first).days / span

    def y(dose: Decimal) -> Decimal:
        return _BOTTOM - plot_h * dose / top

    parts: list[str] = []
    for step in steps:
        parts.append(
            f"{'M' if not parts else 'L'} {_units(x(step.first_day))} {_units(y(step.dose_mg))}"
        )
        parts.append(f"H {_units(x(step.first_day) + plot_w / span * _step_days(step, last))}")
    # Labels at least a line of chart text apart, and never more than about ten.
    room = int(plot_h) // _LABEL_SPACING + 1
    levels = _fewer(sorted({s.dose_mg for s in steps}), min(room, _MAX_DOSE_MARKS))
    changes = [s.first_day for s in steps]
    every = -(-len(changes) // _MAX_DATE_MARKS)
    shown = changes[::every]
    return Chart(
        _CHART_WIDTH,
        _CHART_HEIGHT,
        _LEFT,
        _BOTTOM,
        " ".join(parts),
        tuple(Mark(_units(y(d)), unbroken(format_mg(d))) for d in levels),
        tuple(Mark(_units(x(d)), f"{d.day}{NBSP}{MONTHS[d.month - 1][:3]}") for d in shown),
    )


def _fewer(levels: list[Decimal], most: int) -> list[Decimal]:
    """At most ``most`` dose labels for the axis: every k-th, the lowest and the highest kept."""
    if len(levels) <= most:
        return levels
    every = -(-len(levels) // most)
    kept = levels[::every]
    if kept[-1] != levels[-1]:
        kept[-1] = levels[-1]
    return kept


def _step_days(step: Step, last: date) -> int:
    """The days of a step drawn on the chart, which ends with the calendar."""
    end = last if step.last_day is None else min(step.last_day, last)
    return (end - step.first_day).days + 1


def _medicine(schedule: Schedule) -> str:
    low = min(s.dose_mg for s in schedule.steps)
    high = max(s.dose_mg for s in schedule.steps)
    doses = format_mg(low) if low == high else f"{format_mg(low)} to {format_mg(high)}"
    # Naltrexone blocks opioids; 1 to 5 mg a day is the low-dose band
    # (https://drugcentral.org/label/adb7c4dc-221a-4d91-9687-0d78913a92ad/view ;
    # https://pmc.ncbi.nlm.nih.gov/articles/PMC6313374).
    return (
        f"Low-dose naltrexone (LDN) is naltrexone, a medicine that blocks opioids, taken by "
        f"mouth at a low dose: here {doses} a day."
    )


def _capsule_check(capsules: Capsules) -> str:
    """The label check for capsules: the same capsule of another strength holds another dose."""
    # Compounded LDN capsules come in many strengths that look alike
    # (https://ldnresearchtrust.org/types-of-ldn).
    strengths = " and ".join(format_mg(s) for s in capsules.strengths_mg)
    many = len(capsules.strengths_mg) > 1
    return unbroken(
        f"Your capsules are naltrexone {strengths}. Check that "
        f"{'each bottle' if many else 'the bottle'} says the strength the table gives: a "
        f"capsule of another strength holds a different dose."
    )


def _strength(liquid: Liquid) -> str:
    strength = format_concentration(liquid.concentration_mg_per_ml)
    return unbroken(
        f"Your liquid is naltrexone {strength}. Check that the bottle says {strength}: the "
        f"same volume of a liquid of another strength holds a different dose. Measure every "
        f"dose with the oral syringe, never a spoon or a cup."
    )


def handout(schedule: Schedule, options: WriteOptions = DEFAULT_OPTIONS) -> Handout:
    """The content of the patient handout for a schedule."""
    form = schedule.request.formulation
    liquid = form if isinstance(form, Liquid) else None
    time = schedule.request.time
    check = None
    if liquid is not None:
        check = _strength(liquid)
    elif isinstance(form, Capsules):
        check = _capsule_check(form)
    return Handout(
        TITLE,
        schedule.request.label,
        options.prescriber,
        options.pharmacy,
        unbroken(_medicine(schedule)),
        check,
        tuple(_row(s, time, liquid) for s in schedule.steps),
        calendar(schedule),
        chart(schedule),
        ADVICE,
        _PAGE_SIZES.get(options.paper or ""),
        any(step.split for step in schedule.steps),
    )
