"""The iCalendar format: one all-day daily event per step, or per dose of a split step.

Written with the ``icalendar`` package, imported on first use. Each event starts on the
step's first day as a DATE, ends the next day (DTEND is exclusive, RFC 5545 §3.6.1) and
repeats daily until the step's last day, a DATE like DTSTART as RFC 5545 §3.3.10 requires;
the ongoing step repeats without end. Nothing random and no clock: DTSTAMP is the plan's
first day, so a plan gives the same bytes twice.

A calendar updates an event it already holds when a file brings the same UID with a higher
SEQUENCE (RFC 5545 §3.8.4.7, §3.8.7.4). The UID of each event is derived from what identifies
the plan (its label and first day), the dose time and the event's first day, never from the
doses; so a re-plan's file, imported over the original's, keeps the events that did not
change, replaces those that did (SEQUENCE raised) and cancels those it no longer has
(STATUS:CANCELLED), and the calendar shows exactly one dose per dose time per day.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from ldn_titrate.doses import CapsuleCounts, format_concentration, format_mg, format_ml
from ldn_titrate.errors import InputError, PlanFormatError
from ldn_titrate.formats import DEFAULT_OPTIONS, Format, WriteOptions
from ldn_titrate.formats.read_back import step_of
from ldn_titrate.model import Administration, DoseTime, Liquid, Schedule, Step
from ldn_titrate.version import __version__
from ldn_titrate.wording import TIME_WORDS, title

if TYPE_CHECKING:
    from icalendar import Event

    from ldn_titrate.errors import Phrase, Setting

FORMAT: Final = Format.ICS
PRODID: Final = f"-//ldn-titrate//ldn-titrate {__version__}//EN"
# A fixed namespace for the UIDs of this tool's events (a random UUID, drawn once).
NAMESPACE: Final = uuid.UUID("5b0f3c5e-2a47-4d8e-9a51-3f9e4c1d7a26")
_CLOCK: Final = re.compile(r"(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)")


def parse_reminder(text: str, field: str = "remind") -> time:
    """A reminder time of day written ``HH:MM`` (24-hour clock), such as ``21:00``."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise InputError(field, text, "must be a time of day HH:MM, such as 21:00")
    return time(int(match["hour"]), int(match["minute"]))


def parse_reminders(text: str, field: str = "remind") -> tuple[time, ...]:
    """One or two reminder times, ``21:00`` or ``08:00,21:00`` (morning first)."""
    parts = text.split(",")
    if len(parts) > len(DoseTime):
        raise InputError(field, text, "give one time for each dose time, at most two: 08:00,21:00")
    return tuple(parse_reminder(part, field) for part in parts)


# A reminder in these hours is a morning one; from 17:00 to 03:00 an evening or night one.
_MORNING_HOURS: Final = range(3, 12)
_EVENING_HOURS: Final = (*range(17, 24), *range(3))
# The dose times in the order of the day: a morning reminder comes first.
_DAY_ORDER: Final = (DoseTime.MORNING, DoseTime.BEDTIME)


def dose_times(schedule: Schedule) -> tuple[DoseTime, ...]:
    """The dose times the plan uses, in the order of the day."""
    used = {a.time for step in schedule.steps for a in step.doses_of_day(schedule.request.time)}
    return tuple(t for t in _DAY_ORDER if t in used)


def reminder_problems(
    schedule: Schedule, reminders: tuple[time, ...], field: str | Setting = "remind"
) -> tuple[list[Phrase], list[Phrase]]:
    """What is wrong with the reminders for this plan: refusals, then warnings, as words.

    Each dose time gets its own reminder: a split plan needs two times (morning first), a
    once-daily plan one. A morning time for a bedtime dose, or the reverse, is a warning.
    """
    if not reminders:
        return [], []
    times = dose_times(schedule)
    given = ",".join(f"{t:%H:%M}" for t in reminders)
    if len(reminders) != len(times):
        if len(times) > 1:
            need = "the plan has a morning and a bedtime dose; give a time for each, morning first"
            return [(field, f": {need}, such as 08:00,21:00, got {given!r}")], []
        only = TIME_WORDS[times[0]]
        return [(field, f": the plan has one dose time ({only}); give one time, got {given!r}")], []
    warnings: list[Phrase] = []
    for dose_time, at in zip(times, reminders, strict=True):
        if dose_time is DoseTime.BEDTIME and at.hour in _MORNING_HOURS:
            warnings.append(
                (field, f": {at:%H:%M} is a morning time for the dose taken at bedtime")
            )
        if dose_time is DoseTime.MORNING and at.hour in _EVENING_HOURS:
            warnings.append(
                (field, f": {at:%H:%M} is an evening time for the dose taken in the morning")
            )
    return [], warnings


def _capsules(counts: CapsuleCounts) -> str:
    return " and ".join(f"{n} capsule{'s' if n > 1 else ''} of {format_mg(s)}" for s, n in counts)


def summary(administration: Administration, liquid: Liquid | None) -> str:
    """``naltrexone 1.5 mg at bedtime``, with the volume of a liquid or the capsules."""
    dose = f"naltrexone {format_mg(administration.dose_mg)}"
    if liquid is not None and administration.volume_ml is not None:
        strength = format_concentration(liquid.concentration_mg_per_ml)
        dose += f" ({format_ml(administration.volume_ml)} of {strength})"
    elif administration.capsules is not None:
        dose += f" ({_capsules(administration.capsules)})"
    return f"{dose} {TIME_WORDS[administration.time]}"


def plan_key(schedule: Schedule) -> str:
    """An opaque digest of what identifies the plan: its label and its first day.

    The UIDs carry no label or dose (RFC 7986 §5.3), and never depend on the doses, so that a
    re-plan (which keeps the first day and the label) updates the events it changes.
    """
    first = schedule.steps[0].first_day if schedule.steps else schedule.request.first_day
    text = repr((schedule.request.label, first.isoformat()))
    return hashlib.sha256(text.encode()).hexdigest()


def uid(key: str, dose_time: DoseTime, first_day: date) -> str:
    """The UID of the event of one dose time that starts on ``first_day``."""
    return str(uuid.uuid5(NAMESPACE, f"{key}/{dose_time}/{first_day.isoformat()}"))


# What an event says: its summary, description, first day and last day (None: ongoing).
_Content = tuple[str, str, date, date | None]


def _contents(schedule: Schedule, steps: tuple[Step, ...]) -> dict[tuple[DoseTime, date], _Content]:
    """Each event of these steps, by dose time and first day, as the plan's formulation says it."""
    form = schedule.request.formulation
    liquid = form if isinstance(form, Liquid) else None
    found = {}
    for step in steps:
        description = step.instructions + ("" if step.note is None else f"\n{step.note}")
        for administration in step.doses_of_day(schedule.request.time):
            found[administration.time, step.first_day] = (
                summary(administration, liquid),
                description,
                step.first_day,
                step.last_day,
            )
    return found


def sequence(schedule: Schedule) -> int:
    """The SEQUENCE of a changed event: 0 in a first plan, higher in each later re-plan."""
    record = schedule.replan
    if record is None or not schedule.steps:
        return 0
    return (record.on - schedule.steps[0].first_day).days + 1


def _event(
    schedule: Schedule,
    content: _Content,
    name: str,
    order: tuple[int, bool],
    remind: time | None,
) -> Event:
    """One event; ``order`` is its SEQUENCE and whether it is cancelled."""
    from icalendar import Alarm, Event  # noqa: PLC0415 - loaded with the first calendar

    text, description, first, last = content
    number, cancelled = order
    event = Event()
    event.add("uid", name)
    event.add("dtstamp", datetime.combine(schedule.request.first_day, time(0), UTC))
    event.add("sequence", number)
    event.add("dtstart", first)
    event.add("dtend", first + timedelta(days=1))
    rule: dict[str, object] = {"freq": "daily"}
    if last is not None:
        rule["until"] = last
    event.add("rrule", rule)
    event.add("summary", text)
    event.add("description", description)
    if cancelled:
        event.add("status", "CANCELLED")
        return event
    if remind is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", text)
        # Relative to the start of the all-day event: that time of each day, local time.
        alarm.add("trigger", timedelta(hours=remind.hour, minutes=remind.minute))
        event.add_component(alarm)
    return event


def until_problems(ics: bytes) -> list[str]:
    """Each event whose RRULE UNTIL is not of DTSTART's value type (RFC 5545 §3.3.10).

    The package writes a DATE-TIME UNTIL after a DATE DTSTART without complaint.
    """
    found = []
    for line in ics.decode().replace("\r\n ", "").split("\r\n"):
        if line.startswith("RRULE:") and "UNTIL=" in line:
            until = line.split("UNTIL=", 1)[1].split(";", 1)[0]
            if not re.fullmatch(r"\d{8}", until):
                found.append(f"UNTIL={until} is not a DATE")
    return found


def write(schedule: Schedule, options: WriteOptions = DEFAULT_OPTIONS) -> str:
    """The schedule as an iCalendar file (CRLF lines, as RFC 5545 wants them)."""
    from icalendar import Calendar  # noqa: PLC0415 - loaded with the first calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("name", title(schedule))
    # The name most calendar apps show for an imported calendar (Apple, Google, Outlook).
    calendar.add("x-wr-calname", title(schedule))
    key = plan_key(schedule)
    times = dose_times(schedule)
    if options.remind and len(options.remind) != len(times):
        raise ValueError("one reminder time for each dose time of the plan")
    reminders = dict(zip(times, options.remind, strict=False))
    events = _contents(schedule, schedule.steps)
    before = _contents(schedule, options.replaces)
    changed = sequence(schedule)
    for (dose_time, first), content in events.items():
        number = 0 if before.get((dose_time, first)) == content else changed
        name = uid(key, dose_time, first)
        order = (number, False)
        calendar.add_component(_event(schedule, content, name, order, reminders.get(dose_time)))
    # The original's events the re-plan no longer has: cancelled, so none keeps repeating.
    for (dose_time, first), content in before.items():
        if (dose_time, first) not in events:
            name = uid(key, dose_time, first)
            calendar.add_component(_event(schedule, content, name, (changed, True), None))
    ics: bytes = calendar.to_ical()
    if problems := until_problems(ics):
        raise ValueError("; ".join(problems))
    return ics.decode()


dumps: Final = write

_SUMMARY: Final = re.compile(
    r"naltrexone (?P<mg>[\d.]+) mg(?: \((?P<ml>[\d.]+) mL of [\d.]+ mg/mL\))?"
    r"(?: \((?P<capsules>[^)]*)\))? (?P<time>at bedtime|in the morning)"
)
_CAPSULE: Final = re.compile(r"(?P<n>\d+) capsules? of (?P<mg>[\d.]+) mg")


def _read_summary(text: str, source: str) -> Administration:
    match = _SUMMARY.fullmatch(text)
    if match is None:
        raise PlanFormatError(source, f"SUMMARY {text!r} is not a dose this tool writes")
    times = {words: t for t, words in TIME_WORDS.items()}
    counts = None
    if match["capsules"]:
        counts = tuple(
            (Decimal(c["mg"]), int(c["n"])) for c in _CAPSULE.finditer(match["capsules"])
        )
    volume = None if match["ml"] is None else Decimal(match["ml"])
    return Administration(times[match["time"]], Decimal(match["mg"]), volume, counts)


def _total(counts: list[CapsuleCounts | None]) -> CapsuleCounts | None:
    if None in counts:
        return None
    total: dict[Decimal, int] = {}
    for given in counts:
        for strength, n in given or ():
            total[strength] = total.get(strength, 0) + n
    return tuple(sorted(total.items(), reverse=True))


def loads(text: str, source: str) -> tuple[Step, ...]:
    """Read the steps back from an iCalendar file written by ``write``."""
    from icalendar import Calendar  # noqa: PLC0415 - loaded with the first calendar

    try:
        calendar = Calendar.from_ical(text)
    except ValueError as exc:
        raise PlanFormatError(source, f"not an iCalendar file: {exc}") from None
    days: dict[date, list[tuple[Administration, date | None, str]]] = {}
    for event in calendar.walk("VEVENT"):
        if str(event.get("status", "")).upper() == "CANCELLED":
            continue
        first = event.decoded("dtstart")
        rule = event.get("rrule")
        until = None if rule is None or "UNTIL" not in rule else rule["UNTIL"][0]
        administration = _read_summary(str(event.get("summary")), source)
        days.setdefault(first, []).append((administration, until, str(event.get("description"))))
    steps = []
    for number, (first, given) in enumerate(sorted(days.items()), start=1):
        administrations = tuple(a for a, _, _ in given)
        _, last, description = given[0]
        instructions, _, note = description.partition("\n")
        steps.append(
            step_of(
                number,
                first,
                last,
                administrations,
                instructions=instructions,
                note=note or None,
                capsules=_total([a.capsules for a in administrations]),
            )
        )
    return tuple(steps)
