"""Re-plan a dated schedule after a side effect (back down, then retry) or a pause: pure, no clock.

The steps up to and including the day of the change stay as taken; the rest is dated again
from the day after it, measured in the plan's formulation by the planner's own rules.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.dispensing import dispense
from ldn_titrate.doses import canonical, format_mg
from ldn_titrate.errors import LdnTitrateError, Phrase, Setting, spell
from ldn_titrate.limits import (
    MAX_STEPS,
    PAUSE_CONTINUE_MAX_DAYS,
    PAUSE_STEP_DOWN_MAX_DAYS,
    SPLIT_PARTS,
    START_MIN_MG,
)
from ldn_titrate.model import (
    Liquid,
    PlannedStep,
    Replanned,
    Schedule,
    Step,
    TitrationRequest,
)
from ldn_titrate.rules import build_schedule

TAKEN = "taken"
BACK_DOWN = "back-down"
RETRY = "retry"

BACK_DOWN_RULE = "back down to the last tolerated dose for one interval, then retry"
BACK_DOWN_TO_RULE = "back down to the dose the prescriber chose, then retry"
# "return to the last tolerated dose and go up again later", and the pharmacist's "halve the dose"
BACK_DOWN_SOURCE = (
    "LDN Research Trust pharmacists, "
    "https://ldnresearchtrust.org/what-cause-side-effects-low-dose-naltrexone-ldn"
)
PAUSE_SOURCE = (
    "LDN Research Trust, "
    "https://ldnresearchtrust.org/if-patient-stops-ldn-low-dose-naltrexone-ldn-do-they-have-re-titrate"
)


class ReplanError(LdnTitrateError, ValueError):
    """A re-plan that cannot be made: the setting it is about (a key) and why, as a phrase."""

    def __init__(self, field: str, message: str | Phrase) -> None:
        """Keep the key and the words, so the command line can name its own option."""
        self.field = field
        self.message = message
        super().__init__(f"{field}: {spell(message)}")


class BackDown(NamedTuple):
    """Back down to ``to_mg``, then retry the failed dose.

    ``hold_days`` None holds for the failed step's length; ``to_mg`` None goes back to the
    last lower dose taken.
    """

    hold_days: int | None = None
    to_mg: Decimal | None = None


class Pause(NamedTuple):
    """No dose from the day after the change until ``until``, the day of the first dose again."""

    until: date
    continue_within_days: int = PAUSE_CONTINUE_MAX_DAYS
    step_down_within_days: int = PAUSE_STEP_DOWN_MAX_DAYS


Parts = tuple[Decimal, Decimal] | None


class _Segment(NamedTuple):
    """A step of the re-plan before it is measured: dose in mg, days (None: ongoing)."""

    dose_mg: Decimal
    parts: Parts
    first_day: date
    days: int | None
    note: str | None


def plan_days(steps: tuple[Step, ...]) -> tuple[date, date | None]:
    """The first and last day of a plan; None: the last step is ongoing."""
    return steps[0].first_day, steps[-1].last_day


def _parts(step: Step) -> Parts:
    if len(step.administrations) == 2:
        return (step.administrations[0].dose_mg, step.administrations[1].dose_mg)
    return None


def _failed_index(steps: tuple[Step, ...], on: date) -> int:
    first, last = plan_days(steps)
    if on < first or (last is not None and on > last):
        until = "ongoing" if last is None else last.isoformat()
        raise ReplanError(
            "on",
            f"{on.isoformat()} is outside the plan, which runs {first.isoformat()} to {until}",
        )
    for index, step in enumerate(steps):
        if step.first_day <= on and (step.last_day is None or on <= step.last_day):
            return index
    raise ReplanError("on", f"{on.isoformat()} falls in a pause of the plan, with no dose")


def _lower_index(steps: tuple[Step, ...], failed: int) -> int | None:
    """The last step before ``failed`` whose dose differs from it: the last dose tolerated."""
    for index in range(failed - 1, -1, -1):
        if steps[index].dose_mg != steps[failed].dose_mg:
            return index
    return None


def _taken(steps: tuple[Step, ...], failed: int, on: date) -> list[_Segment]:
    """The steps as taken up to and including ``on``; the failed step cut at ``on``."""
    done = [_Segment(s.dose_mg, _parts(s), s.first_day, s.days, TAKEN) for s in steps[:failed]]
    cut = steps[failed]
    days = (on - cut.first_day).days + 1
    return [*done, _Segment(cut.dose_mg, _parts(cut), cut.first_day, days, TAKEN)]


def _again(steps: tuple[Step, ...], first_day: date, note: str | None) -> list[_Segment]:
    """Steps taken again from ``first_day``, keeping their lengths and any pause between them."""
    if not steps:
        return []
    shift = first_day - steps[0].first_day
    return [
        _Segment(s.dose_mg, _parts(s), s.first_day + shift, s.days, note if k == 0 else None)
        for k, s in enumerate(steps)
    ]


def _interval_days(steps: tuple[Step, ...], failed: int) -> int | None:
    """One interval: the failed step's length, or for an ongoing target the step before it."""
    if steps[failed].days is not None:
        return steps[failed].days
    return steps[failed - 1].days if failed > 0 else None


def _halves(dose: Decimal) -> Parts:
    return (canonical(dose / SPLIT_PARTS), canonical(dose / SPLIT_PARTS))


def _back_down(steps: tuple[Step, ...], on: date, change: BackDown) -> list[_Segment]:
    failed = _failed_index(steps, on)
    step = steps[failed]
    lower = _lower_index(steps, failed)
    if change.to_mg is not None:
        if change.to_mg < START_MIN_MG:
            raise ReplanError("to", f"must be at least {format_mg(START_MIN_MG)}")
        if change.to_mg >= step.dose_mg:
            raise ReplanError(
                "to", f"must be below the dose that failed ({format_mg(step.dose_mg)})"
            )
        dose, parts = change.to_mg, (_halves(change.to_mg) if _parts(step) else None)
    elif lower is None:
        half = canonical(step.dose_mg / SPLIT_PARTS)
        raise ReplanError(
            "on",
            (
                (
                    f"{on.isoformat()} is in the first dose ({format_mg(step.dose_mg)}), "
                    "which has no lower dose to go back to; choose one, such as half of it: "
                ),
                Setting("to", format_mg(half).removesuffix(" mg")),
            ),
        )
    else:
        dose, parts = steps[lower].dose_mg, _parts(steps[lower])
    hold = change.hold_days if change.hold_days is not None else _interval_days(steps, failed)
    if hold is None:
        raise ReplanError("hold", "is needed: the plan has no interval to hold for")
    back_first = on + timedelta(days=1)
    retry_first = back_first + timedelta(days=hold)
    retry = _Segment(step.dose_mg, _parts(step), retry_first, step.days, RETRY)
    after = retry_first + timedelta(days=step.days or 0)
    return [
        *_taken(steps, failed, on),
        _Segment(dose, parts, back_first, hold, BACK_DOWN),
        retry,
        *_again(steps[failed + 1 :], after, None),
    ]


def pause_days(on: date, until: date) -> int:
    """The days without a dose: from the day after ``on`` to the day before ``until``."""
    return (until - on).days - 1


def _pause(steps: tuple[Step, ...], on: date, change: Pause) -> tuple[list[_Segment], str]:
    failed = _failed_index(steps, on)
    missed = pause_days(on, change.until)
    if missed < 1:
        raise ReplanError(
            "pause_until", f"must be at least 2 days after {on.isoformat()}, the last dose"
        )
    within, lower_within = change.continue_within_days, change.step_down_within_days
    if missed <= within:
        restart, how = failed, f"a pause of at most {within} days: continue at the last dose"
    elif missed <= lower_within:
        lower = _lower_index(steps, failed)
        how = f"a pause of at most {lower_within} days: restart one step lower"
        # One step below the first dose is none: the first dose is the lowest there is.
        restart = 0 if lower is None else lower
    else:
        restart, how = (
            0,
            f"a pause of more than {lower_within} days: start again from the first dose",
        )
    note = f"restart after a pause of {missed} day{'s' if missed > 1 else ''}"
    segments = [*_taken(steps, failed, on), *_again(steps[restart:], change.until, note)]
    return segments, how


def _measured(request: TitrationRequest, segments: list[_Segment]) -> tuple[Step, ...]:
    """The segments as steps, measured by the planner: instructions, volumes, capsules."""
    planned = tuple(
        PlannedStep(
            s.dose_mg,
            None if k == len(segments) - 1 else Interval(s.days or 1, IntervalUnit.DAYS),
            *(s.parts or (None, None)),
        )
        for k, s in enumerate(segments)
    )
    last = segments[-1]
    contiguous = replace(
        request,
        start_mg=segments[0].dose_mg,
        target_mg=last.dose_mg,
        step_mg=None,
        every=None,
        first_day=segments[0].first_day,
        maintenance_days=last.days,
        steps=planned,
        split=False,
        weight_kg=None,
        mg_per_kg=None,
    )
    built = build_schedule(contiguous).steps
    return tuple(
        step._replace(
            first_day=s.first_day,
            last_day=None if s.days is None else s.first_day + timedelta(days=s.days - 1),
            note=s.note,
        )
        for step, s in zip(built, segments, strict=True)
    )


def replan(
    request: TitrationRequest, steps: tuple[Step, ...], on: date, change: BackDown | Pause
) -> Schedule:
    """The plan re-planned on ``on``: a whole dated schedule, the changed steps noted.

    ``request`` gives the formulation and the time of day; ``steps`` are the plan as written.
    """
    if isinstance(change, BackDown):
        segments = _back_down(steps, on, change)
        rule = BACK_DOWN_RULE if change.to_mg is None else BACK_DOWN_TO_RULE
        back = next(s for s in segments if s.note == BACK_DOWN)
        details = [("to", format_mg(back.dose_mg)), ("hold_days", str(back.days))]
        record = Replanned(BACK_DOWN, rule, BACK_DOWN_SOURCE, on, tuple(details))
    else:
        segments, how = _pause(steps, on, change)
        details = [
            ("until", change.until.isoformat()),
            ("pause_days", str(pause_days(on, change.until))),
            ("restart", how.split(": ")[-1]),
        ]
        record = Replanned("pause", how, PAUSE_SOURCE, on, tuple(details))
    if len(segments) > MAX_STEPS:
        raise ReplanError("on", f"the re-plan would have more than {MAX_STEPS} steps")
    measured = _measured(request, segments)
    form = request.formulation
    summary = None
    if form is not None:
        summary = dispense(
            measured,
            liquid=isinstance(form, Liquid),
            bud_days=request.bud_days,
            overage_percent=request.overage_percent,
        )
    return Schedule(request=request, steps=measured, dispense=summary, replan=record)
