"""What a plan says to dispense as a total, set against what its days need.

A FHIR dispenseRequest or a JSON plan's grand total says how much to dispense for a number of
days of dosing from the plan's first day. Those days need each step's daily volume or capsules
for the days of it they cover (a pause between steps needs none); an ongoing last step goes
on at its own. Less than they need is a
patient who runs out; a tenth or ten times is a decimal point in the wrong place; more, up to
the largest overage a plan may add, is that overage; more again is said for the pharmacist to
look at.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from ldn_titrate.check.arithmetic import ml_text
from ldn_titrate.check.findings import Code, Report
from ldn_titrate.check.quantity import runs_out, slipped
from ldn_titrate.errors import shown
from ldn_titrate.limits import OVERAGE_MAX_PERCENT

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ldn_titrate.check.course import Span
    from ldn_titrate.received.model import Dispensed, ReceivedPlan

# The most a plan may add for priming and loss (limits.OVERAGE_MAX_PERCENT, with its source).
_MOST: Final = 1 + OVERAGE_MAX_PERCENT / 100

# A day of a step: its first day, its last (None: ongoing) and its daily amount (None: not known).
_Day = tuple[date, date | None, Decimal | None]


def check_dispensed(report: Report, plan: ReceivedPlan, spans: Sequence[Span]) -> None:
    """Each total the plan says to dispense against what its days need."""
    firsts = [span.first for span in spans if span.first is not None]
    if not plan.dispensed or not firsts:
        return
    for total in plan.dispensed:
        start = total.first_day or min(firsts)
        steps = _steps(spans, total.unit)
        if total.step is not None:
            # A step's own quantity: its daily amount for the days the quantity is for.
            own = [span for span in spans if span.row.position == total.step]
            first = own[0].first if own else None
            steps = None if first is None else [(first, None, _per_day(own[0], total.unit))]
            start = first or start
        if steps is not None and total.first_day is not None:
            steps = _within(steps, total.first_day, total.days)
        need = None if steps is None else _need(steps, total.days)
        if need is None or need <= 0:
            report.plan(
                Code.NOT_READ,
                f"{total.where} {shown(total.said)} was not read: the plan does not give a "
                f"daily amount in {total.unit} for each of its {total.days} days",
            )
            continue
        _compare(report, total, need, steps or [], start)


def _steps(spans: Sequence[Span], unit: str) -> list[_Day] | None:
    """Each step's days and daily amount in ``unit``; None when a step has no first day."""
    steps: list[_Day] = []
    for index, span in enumerate(spans):
        if span.first is None:
            return None
        # Only the last step goes on without an end; another without one lasts no day.
        last = span.last if span.last is not None or index == len(spans) - 1 else span.first
        steps.append((span.first, last, _per_day(span, unit)))
    return sorted(steps, key=lambda step: step[0])


def _per_day(span: Span, unit: str) -> Decimal | None:
    """A step's daily amount in ``unit`` (mL, or capsules of every strength), if known."""
    if unit == "mL":
        return span.volume_ml
    return None if span.capsules is None else Decimal(sum(n for _, n in span.capsules))


def _within(steps: Sequence[_Day], first: date, days: int) -> list[_Day]:
    """The steps cut to a fill's calendar days; a pause in them is a step of no amount."""
    last = first + timedelta(days=days - 1)
    cut: list[_Day] = []
    day = first
    for step_first, step_last, per_day in steps:
        begin, end = max(step_first, first), min(step_last or last, last)
        if begin > end:
            continue
        if begin > day:
            cut.append((day, begin - timedelta(days=1), Decimal(0)))
        cut.append((begin, end, per_day))
        day = end + timedelta(days=1)
    if day <= last:
        cut.append((day, last, Decimal(0)))
    return cut


def _need(steps: Sequence[_Day], days: int) -> Decimal | None:
    """What the first ``days`` days of dosing need; None when one of them has no amount.

    Days are counted as a supply is, over the steps' own days: a pause between steps needs
    nothing and does not count.
    """
    left, need = days, Decimal(0)
    for first, last, per_day in steps:
        length = left if last is None else min(left, (last - first).days + 1)
        if length <= 0:
            break
        if per_day is None:
            return None
        need += per_day * length
        left -= length
    return need


def _lasts(steps: Sequence[_Day], amount: Decimal) -> int:
    """The days of dosing ``amount`` lasts, step by step (a day is whole or not at all)."""
    left, lasted = amount, 0
    for first, last, per_day in steps:
        if per_day is None or per_day <= 0:
            lasted += 0 if last is None else (last - first).days + 1  # a pause needs nothing
            continue
        can = int(left // per_day)
        if last is None or can < (last - first).days + 1:
            return lasted + can
        left -= per_day * ((last - first).days + 1)
        lasted += (last - first).days + 1
    return lasted


def _compare(
    report: Report, total: Dispensed, need: Decimal, steps: Sequence[_Day], start: date
) -> None:
    amount = total.amount
    if need <= amount <= need * _MOST:
        return
    needs = ml_text(need) if total.unit == "mL" else f"{need} capsules"
    message = (
        f"{total.where} says {shown(total.said)} for {total.days} days from "
        f"{start.isoformat()}, but they need {needs}"
    )
    if (what := slipped(amount, need)) is not None:
        report.plan(Code.QUANTITY_DECIMAL_SLIP, f"{message}: {what}")
    elif amount < need:
        report.plan(Code.QUANTITY_SHORT, f"{message}: {runs_out(_lasts(steps, amount))}")
    else:
        report.plan(
            Code.QUANTITY_MISMATCH,
            f"{message}: more than an overage of up to {OVERAGE_MAX_PERCENT} %",
        )
