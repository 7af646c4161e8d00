"""The handout's step chart: the day's dose in mg against the date, as SVG coordinates."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Final, NamedTuple

from ldn_titrate.doses import format_mg, format_number
from ldn_titrate.formats.handout_words import calendar_span, short_day, unbroken

if TYPE_CHECKING:
    from datetime import date

    from ldn_titrate.model import Schedule, Step


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
    """The y axis: one mark for each dose the plan reaches, at most about ten."""
    dates: tuple[Mark, ...]
    """The x axis: the days the dose changes, at most about ten."""


_CHART_WIDTH: Final = 640
_CHART_HEIGHT: Final = 130
_LEFT: Final = 56
_BOTTOM: Final = 100
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
    """The step chart: the day's dose from the first day to the end of the calendar span."""
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
    return Chart(
        _CHART_WIDTH,
        _CHART_HEIGHT,
        _LEFT,
        _BOTTOM,
        " ".join(parts),
        tuple(Mark(_units(y(d)), unbroken(format_mg(d))) for d in levels),
        tuple(Mark(_units(x(d)), short_day(d)) for d in changes[::every]),
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
    """The days of a step drawn on the chart, which ends with the calendar span."""
    end = last if step.last_day is None else min(step.last_day, last)
    return (end - step.first_day).days + 1
