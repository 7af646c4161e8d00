"""Build a dated schedule from a request: pure, exact, no clock and no I/O."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.dispensing import (
    check_capsules,
    check_liquid,
    dispense,
    volume_ml,
)
from ldn_titrate.doses import CapsuleCounts, canonical, format_mg
from ldn_titrate.limits import FAST_INTERVAL_BELOW_DAYS, LARGE_STEP_ABOVE_MG, VERY_LOW_DOSE_BELOW_MG
from ldn_titrate.model import (
    Capsules,
    Liquid,
    Notice,
    Schedule,
    Step,
    TitrationRequest,
    step_count,
)
from ldn_titrate.wording import instructions


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


def notices(request: TitrationRequest) -> list[Notice]:
    """Warnings about a request that is allowed but unusual."""
    found: list[Notice] = []
    if request.start_mg < VERY_LOW_DOSE_BELOW_MG:
        found.append(
            Notice(
                code="very-low-start",
                field="start",
                message=f"{format_mg(request.start_mg)} is a very low dose "
                f"(below {format_mg(VERY_LOW_DOSE_BELOW_MG)})",
            )
        )
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


def build_schedule(request: TitrationRequest) -> Schedule:
    """Turn a validated request into numbered, dated steps.

    The target step is ongoing unless the request gives its number of days.
    """
    doses = dose_ladder(request)
    form = request.formulation
    liquid = form if isinstance(form, Liquid) else None
    made: list[CapsuleCounts | None] = [None] * len(doses)
    if liquid is not None:
        check_liquid(doses, liquid)
    elif isinstance(form, Capsules):
        made = list(check_capsules(doses, form))
    every = request.every
    starts = [
        request.first_day if every is None else step_start(request.first_day, every, k)
        for k in range(len(doses))
    ]
    steps: list[Step] = []
    for k, (dose, first, counts) in enumerate(zip(doses, starts, made, strict=True)):
        last: date | None
        if k + 1 < len(doses):
            last = starts[k + 1] - timedelta(days=1)
        elif request.maintenance_days is not None:
            last = first + timedelta(days=request.maintenance_days - 1)
        else:
            last = None
        volume = None if liquid is None else volume_ml(dose, liquid.concentration_mg_per_ml)
        steps.append(
            Step(
                number=k + 1,
                first_day=first,
                last_day=last,
                days=None if last is None else (last - first).days + 1,
                dose_mg=dose,
                instructions=instructions(
                    dose, request.time, liquid=liquid, volume_ml=volume, capsules=counts
                ),
                volume_ml=volume,
                capsules=counts,
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
