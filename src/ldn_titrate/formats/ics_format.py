"""The iCalendar format: one all-day daily event per step, or per dose of a split step.

Written with the ``icalendar`` package, imported on first use. Each event starts on the
step's first day as a DATE, ends the next day (DTEND is exclusive, RFC 5545 §3.6.1) and
repeats daily until the step's last day, a DATE like DTSTART as RFC 5545 §3.3.10 requires;
the ongoing step repeats without end. Nothing random and no clock: the UIDs are derived from
the plan and the step, DTSTAMP is the plan's first day, so a plan gives the same bytes twice.
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
from ldn_titrate.model import Administration, Liquid, Schedule, Step
from ldn_titrate.version import __version__
from ldn_titrate.wording import TIME_WORDS, title

if TYPE_CHECKING:
    from icalendar import Event

FORMAT: Final = Format.ICS
PRODID: Final = f"-//ldn-titrate//ldn-titrate {__version__}//EN"
# A fixed namespace for the UIDs of this tool's events (a random UUID, drawn once).
NAMESPACE: Final = uuid.UUID("5b0f3c5e-2a47-4d8e-9a51-3f9e4c1d7a26")
_CLOCK: Final = re.compile(r"(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)")


def parse_reminder(text: str, field: str = "--remind") -> time:
    """A reminder time of day written ``HH:MM`` (24-hour clock), such as ``21:00``."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise InputError(field, text, "must be a time of day HH:MM, such as 21:00")
    return time(int(match["hour"]), int(match["minute"]))


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
    """An opaque digest of the plan: the UIDs carry no label or dose (RFC 7986 §5.3).

    Only the label and the steps (days, doses, words) count, so that a new field elsewhere in
    the tool does not turn a re-export into new events beside the old ones.
    """
    text = repr((schedule.request.label, schedule.steps))
    return hashlib.sha256(text.encode()).hexdigest()


def _event(
    schedule: Schedule, step: Step, administration: Administration, key: str, remind: time | None
) -> Event:
    from icalendar import Alarm, Event  # noqa: PLC0415 - loaded with the first calendar

    form = schedule.request.formulation
    event = Event()
    event.add("uid", str(uuid.uuid5(NAMESPACE, f"{key}/step/{step.number}/{administration.time}")))
    event.add("dtstamp", datetime.combine(schedule.request.first_day, time(0), UTC))
    event.add("dtstart", step.first_day)
    event.add("dtend", step.first_day + timedelta(days=1))
    rule: dict[str, object] = {"freq": "daily"}
    if step.last_day is not None:
        rule["until"] = step.last_day
    event.add("rrule", rule)
    text = summary(administration, form if isinstance(form, Liquid) else None)
    event.add("summary", text)
    event.add("description", step.instructions + ("" if step.note is None else f"\n{step.note}"))
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
    key = plan_key(schedule)
    for step in schedule.steps:
        for administration in step.doses_of_day(schedule.request.time):
            calendar.add_component(_event(schedule, step, administration, key, options.remind))
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
        volumes = [a.volume_ml for a in administrations]
        split = len(administrations) > 1
        steps.append(
            Step(
                number=number,
                first_day=first,
                last_day=last,
                days=None if last is None else (last - first).days + 1,
                dose_mg=sum((a.dose_mg for a in administrations), Decimal(0)),
                instructions=instructions,
                volume_ml=None
                if None in volumes
                else sum((v or Decimal(0) for v in volumes), Decimal(0)),
                capsules=_total([a.capsules for a in administrations]),
                administrations=administrations if split else (),
                note=note or None,
            )
        )
    return tuple(steps)
