"""The plan as prescription directions (a sig): one ASCII line to paste into an e-prescription.

A regular ladder is written as its rule ("Take 0.5 mg by mouth at bedtime; increase by 0.5 mg
every 7 days to 4.5 mg."); any other plan as its steps joined by "then". Doses are written as
ISMP asks (``0.5 mg``, ``3 mg``; never ``.5``, ``3.0``, ``qhs`` or ``QD``), in the plan's own
words for the form (mL with the mg, capsules with the mg). Dates are not part of a sig: day 1
is the day the patient starts, and a pause is said in words ("stop for 5 days").
``ldn_titrate.received.sig`` reads every sig written here back to the same steps.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.doses import CapsuleCounts, canonical, format_mg, format_ml, format_number
from ldn_titrate.formats import DEFAULT_OPTIONS, Format, WriteOptions
from ldn_titrate.model import Capsules, DoseTime, Liquid, Schedule, Step

FORMAT: Final = Format.SIG

# The Directions (Sig) field of an NCPDP SCRIPT 10.6 e-prescription holds up to 140 characters:
# Surescripts' best practices for the Sig,
# https://sticomputer.com/best-practices-for-constructing-high-quality-patient-instructions-sig-within-e-prescriptions/
# and the "140-character limit in the Patient Direction (Sig) field" (Dhavle et al., 2016),
# https://www.medscape.com/viewarticle/860002 . Newer versions allow more, 1000 characters in
# https://docs.nextgen.com/en-US/nextgenc2ae-enterprise-ehr-help-3240205/erx-validation-357986
# but directions that fit 140 fit everywhere.
SIG_FIELD_CHARS: Final = 140

_TIME: Final = {DoseTime.BEDTIME: "at bedtime", DoseTime.MORNING: "in the morning"}
_UNIT: Final = {IntervalUnit.DAYS: "day", IntervalUnit.WEEKS: "week", IntervalUnit.MONTHS: "month"}


def write(schedule: Schedule, options: WriteOptions = DEFAULT_OPTIONS) -> str:  # noqa: ARG001 - no sig option
    """The directions on one line, ending in a new line."""
    return sig_text(schedule) + "\n"


def sig_text(schedule: Schedule) -> str:
    """The directions: the ladder's rule when it has one, else its steps joined by 'then'."""
    rule = _rule(schedule)
    return rule if rule is not None else _steps(schedule)


def _interval(every: Interval) -> str:
    unit = _UNIT[every.unit]
    return f"{every.count} {unit}{'' if every.count == 1 else 's'}"


def _every(every: Interval) -> str:
    if every.count == 1:
        return f"every {_UNIT[every.unit]}"
    return f"every {_interval(every)}"


def _capsule_groups(counts: CapsuleCounts, single: bool) -> str:
    """'2 capsules' with one strength of capsule, '2 capsules of 1.5 mg and 1 capsule of ...'."""
    words = []
    for strength, count in counts:
        noun = "capsule" if count == 1 else "capsules"
        words.append(f"{count} {noun}" if single else f"{count} {noun} of {format_mg(strength)}")
    return " and ".join(words)


class _Words:
    """The amounts of one plan in its form's words; the form is named at the first amount."""

    def __init__(self, schedule: Schedule) -> None:
        self.form = schedule.request.formulation
        self.named = False

    def amount(self, mg: Decimal, volume: Decimal | None, capsules: CapsuleCounts | None) -> str:
        form = self.form
        if isinstance(form, Liquid) and volume is not None:
            text = f"{format_ml(volume)} ({format_mg(mg)})"
            if not self.named:
                text += f" of the {format_number(form.concentration_mg_per_ml)} mg/mL liquid"
        elif isinstance(form, Capsules) and capsules is not None:
            single = len(form.strengths_mg) == 1
            text = f"{_capsule_groups(capsules, single)} ({format_mg(mg)})"
            if single and not self.named:
                text += f" of the {format_mg(form.strengths_mg[0])} capsules"
        else:
            return format_mg(mg)
        self.named = True
        return text

    def step(self, step: Step, time: DoseTime, *, first: bool, say_time: bool) -> str:
        """What one step's day holds: 'Take 1 mg by mouth at bedtime' or its split doses."""
        by_mouth = " by mouth" if first else ""
        if step.split:
            morning, bedtime = step.administrations
            return (
                f"{self.amount(morning.dose_mg, morning.volume_ml, morning.capsules)}{by_mouth} "
                f"in the morning and "
                f"{self.amount(bedtime.dose_mg, bedtime.volume_ml, bedtime.capsules)} at bedtime"
            )
        amount = self.amount(step.dose_mg, step.volume_ml, step.capsules)
        return f"{amount}{by_mouth} {_TIME[time]}" if say_time else amount


def _single_strength(schedule: Schedule) -> Decimal | None:
    """The one capsule strength that makes every dose alone, if there is one."""
    used = {s for step in schedule.steps for s, _ in (step.capsules or ())}
    one_each = all(len(step.capsules or ()) == 1 for step in schedule.steps)
    return next(iter(used)) if len(used) == 1 and one_each else None


def _rule(schedule: Schedule) -> str | None:
    """A regular ladder as 'Take A; increase by S every N to T.', or None for other plans."""
    request = schedule.request
    steps = schedule.steps
    if (
        request.steps is not None
        or request.split
        or schedule.replan is not None
        or request.step_mg is None
        or request.every is None
        or len(steps) < 2
    ):
        return None
    form = request.formulation
    strength = _single_strength(schedule) if isinstance(form, Capsules) else None
    if isinstance(form, Capsules) and (strength is None or request.step_mg % strength):
        return None
    words = _Words(schedule)
    first, last = steps[0], steps[-1]
    start = words.amount(first.dose_mg, first.volume_ml, first.capsules)
    step_mg = request.step_mg
    # The change in the form's own unit; the target beside it gives the mg again.
    by = format_mg(step_mg)
    if isinstance(form, Liquid):
        by = format_ml(canonical(step_mg / form.concentration_mg_per_ml))
    elif strength is not None:
        count = int(step_mg / strength)
        by = f"{count} capsule{'' if count == 1 else 's'}"
    to = words.amount(last.dose_mg, last.volume_ml, last.capsules)
    way = "increase" if request.direction > 0 else "decrease"
    text = (
        f"Take {start} by mouth {_TIME[request.time]}; "
        f"{way} by {by} {_every(request.every)} to {to}"
    )
    if last.days is not None:
        text += f"; take {to} for {_days(last.days)}, then stop"
    return text + "."


def _days(days: int) -> str:
    return f"{days} day{'' if days == 1 else 's'}"


def _durations(schedule: Schedule) -> list[str | None]:
    """How long each step lasts in words, in the request's own units; None: ongoing."""
    request = schedule.request
    out: list[str | None] = []
    for index, step in enumerate(schedule.steps):
        last = index == len(schedule.steps) - 1
        every: Interval | None = None
        if schedule.replan is None and request.steps is not None:
            every = request.steps[index].every
        elif schedule.replan is None and not last:
            every = request.every
        if every is not None:
            out.append(_interval(every))
        else:
            out.append(None if step.days is None else _days(step.days))
    return out


def _steps(schedule: Schedule) -> str:
    """Every step in turn: 'Take A for N days, then B for N days, then C thereafter.'."""
    words = _Words(schedule)
    time = schedule.request.time
    parts: list[str] = []
    steps = schedule.steps
    for index, (step, duration) in enumerate(zip(steps, _durations(schedule), strict=True)):
        if index > 0:
            before = steps[index - 1]
            if before.last_day is not None and (step.first_day - before.last_day).days > 1:
                parts.append(f"stop for {_days((step.first_day - before.last_day).days - 1)}")
        restart = bool(parts) and parts[-1].startswith("stop for")
        first = index == 0 or restart
        say_time = first or steps[index - 1].split
        text = words.step(step, time, first=first, say_time=say_time)
        if first:
            text = ("Take " if index == 0 else "take ") + text
        if duration is not None:
            text += f" for {duration}"
        elif index > 0:
            text += " thereafter"
        parts.append(text)
    ending = ", then stop." if steps[-1].days is not None else "."
    return ", then ".join(parts) + ending
