"""What the patient handout says, as plain values: the steps, the calendar, the chart, the advice.

The HTML writer (``html_format``) lays these values out; nothing here knows HTML. Every dose
and volume goes through the formatters of ``doses``, so the page follows the ISMP rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, NamedTuple

from ldn_titrate.doses import format_concentration, format_mg, format_ml
from ldn_titrate.formats import DEFAULT_OPTIONS, WriteOptions
from ldn_titrate.formats.handout_calendar import Calendar, calendar
from ldn_titrate.formats.handout_chart import Chart, chart
from ldn_titrate.formats.handout_words import calendar_span, day_text, unbroken
from ldn_titrate.model import Capsules, DoseTime, Liquid

if TYPE_CHECKING:
    from ldn_titrate.model import Administration, Schedule, Step

# Names other modules and tests import from here.
__all__ = ["ADVICE", "Advice", "Handout", "calendar_span", "day_text", "handout", "unbroken"]

WHEN: Final = {DoseTime.MORNING: "Morning", DoseTime.BEDTIME: "Bedtime"}
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


class Handout(NamedTuple):
    """Everything the page shows."""

    title: str
    label: str | None
    prescriber: str | None
    pharmacy: str | None
    medicine: str
    strength: str | None
    """The label check of a liquid's or capsules' strength; None for plain doses."""
    rows: tuple[Row, ...]
    calendar: Calendar
    chart: Chart
    advice: tuple[Advice, ...]
    paper: str | None
    """The CSS page size, ``A4`` or ``letter``; None leaves it to the printer."""
    split: bool
    liquid: bool
    """The doses are measured in mL: the calendar gives the mg beside each volume."""
    """Some day has a morning and a bedtime dose."""


def _what(administration: Administration, liquid: Liquid | None) -> str:
    """What to take for one dose: ``1.5 mL of the 1 mg/mL liquid = 1.5 mg``, capsules, or mg."""
    dose = format_mg(administration.dose_mg)
    if liquid is not None and administration.volume_ml is not None:
        strength = format_concentration(liquid.concentration_mg_per_ml)
        return f"{format_ml(administration.volume_ml)} of the {strength} liquid = {dose}"
    if administration.capsules is not None:
        many = sum(n for _, n in administration.capsules) > 1
        # The page names the medicine once, in its label check; here only counts and strengths.
        words = " + ".join(
            f"{n} capsule{'s' if n > 1 else ''} of {format_mg(s)}"
            for s, n in administration.capsules
        )
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
        liquid is not None,
    )
