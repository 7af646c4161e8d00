"""Build a dated schedule from a request: pure, exact, no clock and no I/O."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.dispensing import (
    check_capsules,
    check_liquid,
    dispense,
    measure_each,
    volume_ml,
)
from ldn_titrate.doses import CapsuleCounts, canonical, format_mg
from ldn_titrate.limits import (
    FAST_INTERVAL_BELOW_DAYS,
    LARGE_STEP_ABOVE_MG,
    SPLIT_PARTS,
    VERY_LOW_DOSE_BELOW_MG,
)
from ldn_titrate.model import (
    Administration,
    Capsules,
    DoseTime,
    Liquid,
    Notice,
    Schedule,
    Step,
    TitrationRequest,
    step_count,
)
from ldn_titrate.wording import (
    TIME_WORDS,
    instructions,
    split_instructions,
    turn_note,
    weight_words,
)


def step_start(first_day: date, every: Interval, index: int) -> date:
    """The first day of the step ``index`` steps after the first (0-based), never drifting."""
    if every.unit is IntervalUnit.MONTHS:
        # Imported here: only month intervals need it, and start-up time matters.
        from dateutil.relativedelta import relativedelta  # noqa: PLC0415

        return first_day + relativedelta(months=every.count * index)
    days = every.fixed_days
    assert days is not None  # noqa: S101 - fixed for day and week units
    return first_day + timedelta(days=days * index)


def dose_ladder(request: TitrationRequest) -> list[Decimal]:
    """The dose of every step in mg: start ± (k − 1) × step, the last one capped at the target."""
    start, target, step = request.start_mg, request.target_mg, request.step_mg
    if request.direction == 0 or step is None:
        return [target]
    count = step_count(start, target, step)
    ladder = [canonical(start + request.direction * step * k) for k in range(count - 1)]
    return [*ladder, target]


def step_notices(request: TitrationRequest) -> list[Notice]:
    """The warnings of a ladder, for explicit steps: each names the step it is about."""
    steps = request.steps or ()
    found: list[Notice] = []
    if len(steps) == 1:
        found.append(
            Notice(
                code="maintenance-only",
                field="steps",
                message="a single maintenance step, no titration",
            )
        )
    for number, planned in enumerate(steps, start=1):
        days = None if planned.every is None else planned.every.fixed_days
        if days is not None and days < FAST_INTERVAL_BELOW_DAYS and number < len(steps):
            found.append(
                Notice(
                    code="fast-interval",
                    field="steps",
                    message=f"step {number} lasts {days} day(s), faster than any published "
                    f"LDN protocol (every {FAST_INTERVAL_BELOW_DAYS} days at the fastest)",
                )
            )
    for number, (before, after) in enumerate(itertools.pairwise(steps), start=2):
        change = abs(after.dose_mg - before.dose_mg)
        if change > LARGE_STEP_ABOVE_MG:
            found.append(
                Notice(
                    code="large-step",
                    field="steps",
                    message=f"step {number} changes the dose by {format_mg(change)}, more than "
                    f"any published LDN protocol does ({format_mg(LARGE_STEP_ABOVE_MG)} at most)",
                )
            )
    return found


def weight_notice(request: TitrationRequest) -> Notice | None:
    """How the target was reached from the weight, when it was."""
    words = weight_words(request)
    return None if words is None else Notice(code="weight-target", field="weight", message=words)


def notices(request: TitrationRequest) -> list[Notice]:
    """Warnings about a request that is allowed but unusual."""
    found: list[Notice] = []
    if (weighed := weight_notice(request)) is not None:
        found.append(weighed)
    if request.start_mg < VERY_LOW_DOSE_BELOW_MG:
        found.append(
            Notice(
                code="very-low-start",
                field="start" if request.steps is None else "steps",
                message=f"{format_mg(request.start_mg)} is a very low dose "
                f"(below {format_mg(VERY_LOW_DOSE_BELOW_MG)})",
            )
        )
    if request.steps is not None:
        return [*found, *step_notices(request)]
    if request.direction == 0:
        found.append(
            Notice(
                code="maintenance-only",
                field="target",
                message="the start equals the target: a single maintenance step, no titration",
            )
        )
        return found
    every, step = request.every, request.step_mg
    if (
        every is not None
        and every.fixed_days is not None
        and every.fixed_days < FAST_INTERVAL_BELOW_DAYS
    ):
        found.append(
            Notice(
                code="fast-interval",
                field="every",
                message=f"a step every {every.fixed_days} day(s) is faster than any published "
                f"LDN protocol (every {FAST_INTERVAL_BELOW_DAYS} days at the fastest)",
            )
        )
    if step is not None and step > LARGE_STEP_ABOVE_MG:
        found.append(
            Notice(
                code="large-step",
                field="step",
                message=f"a step of {format_mg(step)} is larger than any published LDN protocol "
                f"uses ({format_mg(LARGE_STEP_ABOVE_MG)} at most)",
            )
        )
    return found


Parts = tuple[Decimal, Decimal] | None
"""A split day's morning and bedtime doses in mg; None for one dose a day."""


def planned_doses(request: TitrationRequest) -> list[tuple[Decimal, Parts]]:
    """The daily dose of every step in mg, with its morning and bedtime parts when split."""
    if request.steps is not None:
        return [
            (
                p.dose_mg,
                None
                if p.morning_mg is None or p.bedtime_mg is None
                else (p.morning_mg, p.bedtime_mg),
            )
            for p in request.steps
        ]
    doses = dose_ladder(request)
    if not request.split:
        return [(dose, None) for dose in doses]
    # The request refused any dose whose halves need more than 3 decimal places.
    halves = [canonical(dose / SPLIT_PARTS) for dose in doses]
    return [(dose, (half, half)) for dose, half in zip(doses, halves, strict=True)]


def step_days(request: TitrationRequest, count: int) -> list[tuple[date, date | None]]:
    """The first and last day of every step; None: the last step is ongoing.

    Explicit steps each last their own interval, months counted from the step's own first day.
    """
    if request.steps is not None:
        spans: list[tuple[date, date | None]] = []
        first = request.first_day
        for planned in request.steps:
            if planned.every is not None:
                after = step_start(first, planned.every, 1)
                spans.append((first, after - timedelta(days=1)))
                first = after
            else:
                spans.append((first, _maintenance_end(request, first)))
        return spans
    every = request.every
    starts = [
        request.first_day if every is None else step_start(request.first_day, every, k)
        for k in range(count)
    ]
    ends = [after - timedelta(days=1) for after in starts[1:]]
    return list(zip(starts, [*ends, _maintenance_end(request, starts[-1])], strict=True))


def _maintenance_end(request: TitrationRequest, first: date) -> date | None:
    days = request.maintenance_days
    return None if days is None else first + timedelta(days=days - 1)


def turn_notes(doses: list[Decimal]) -> list[str | None]:
    """A note on each step where the doses change direction (a hold does not change it)."""
    notes: list[str | None] = [None]
    going = 0
    for before, dose in itertools.pairwise(doses):
        way = (dose > before) - (dose < before)
        turned = way != 0 and going not in (0, way)
        notes.append(turn_note(before, dose, rising=going > 0) if turned else None)
        going = way or going
    return notes


def _administrations(
    request: TitrationRequest, doses: list[tuple[Decimal, Parts]]
) -> list[tuple[Administration, ...]]:
    """Every dose of each step's day, measured in the request's form."""
    if all(parts is None for _, parts in doses):
        # One dose a day: the checks and advice of a plain plan.
        form = request.formulation
        made: list[tuple[Decimal | None, CapsuleCounts | None]] = [(None, None)] * len(doses)
        if isinstance(form, Liquid):
            check_liquid([d for d, _ in doses], form)
            made = [(volume_ml(d, form.concentration_mg_per_ml), None) for d, _ in doses]
        elif isinstance(form, Capsules):
            made = [(None, c) for c in check_capsules([d for d, _ in doses], form)]
        return [
            (Administration(request.time, dose, volume, counts),)
            for (dose, _), (volume, counts) in zip(doses, made, strict=True)
        ]
    named: list[tuple[int, DoseTime, Decimal]] = []
    for number, (dose, parts) in enumerate(doses, start=1):
        if parts is None:
            named.append((number, request.time, dose))
        else:
            named.extend(
                (number, time, part)
                for time, part in zip((DoseTime.MORNING, DoseTime.BEDTIME), parts, strict=True)
            )
    measured: list[tuple[Decimal | None, CapsuleCounts | None]] = [(None, None)] * len(named)
    if request.formulation is not None:
        labels = [
            (f"step {n}" if doses[n - 1][1] is None else f"step {n} {TIME_WORDS[t]}", d)
            for n, t, d in named
        ]
        measured = measure_each(labels, request.formulation)
    by_step: list[list[Administration]] = [[] for _ in doses]
    for (number, time, dose), (volume, counts) in zip(named, measured, strict=True):
        by_step[number - 1].append(Administration(time, dose, volume, counts))
    return [tuple(a) for a in by_step]


def _total_capsules(administrations: tuple[Administration, ...]) -> CapsuleCounts | None:
    if any(a.capsules is None for a in administrations):
        return None
    counts: dict[Decimal, int] = {}
    for a in administrations:
        for strength, n in a.capsules or ():
            counts[strength] = counts.get(strength, 0) + n
    return tuple(sorted(counts.items(), reverse=True))


def _total_volume(administrations: tuple[Administration, ...]) -> Decimal | None:
    volumes = [a.volume_ml for a in administrations]
    if any(v is None for v in volumes):
        return None
    return canonical(sum((v for v in volumes if v is not None), Decimal(0)))


def build_schedule(request: TitrationRequest) -> Schedule:
    """Turn a validated request into numbered, dated steps.

    The target step is ongoing unless the request gives its number of days.
    """
    doses = planned_doses(request)
    form = request.formulation
    liquid = form if isinstance(form, Liquid) else None
    days = step_days(request, len(doses))
    notes = turn_notes([dose for dose, _ in doses])
    steps: list[Step] = []
    for k, ((dose, _), (first, last), taken, note) in enumerate(
        zip(doses, days, _administrations(request, doses), notes, strict=True)
    ):
        volume, counts = _total_volume(taken), _total_capsules(taken)
        if len(taken) == 1:
            text = instructions(
                dose, taken[0].time, liquid=liquid, volume_ml=volume, capsules=counts
            )
        else:
            text = split_instructions(taken, dose, liquid)
        steps.append(
            Step(
                number=k + 1,
                first_day=first,
                last_day=last,
                days=None if last is None else (last - first).days + 1,
                dose_mg=dose,
                instructions=text,
                volume_ml=volume,
                capsules=counts,
                # One dose a day is the step itself; only a split day lists its doses.
                administrations=taken if len(taken) > 1 else (),
                note=note,
            )
        )
    summary = None
    if form is not None:
        summary = dispense(
            steps,
            liquid=liquid is not None,
            bud_days=request.bud_days,
            overage_percent=request.overage_percent,
        )
    return Schedule(
        request=request, steps=tuple(steps), notices=tuple(notices(request)), dispense=summary
    )
