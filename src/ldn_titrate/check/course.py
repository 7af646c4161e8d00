"""Checks of the whole course: days in sequence, the pace and turns of the dose, BUD, summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Final

from ldn_titrate.check.arithmetic import ZERO, capsules_text, concentration_text, mg_text, ml_text
from ldn_titrate.check.findings import Code, Finding, Report
from ldn_titrate.check.options import CheckOptions
from ldn_titrate.limits import VERY_LOW_DOSE_BELOW_MG
from ldn_titrate.received.model import (
    CapsuleCounts,
    Form,
    Formulation,
    ReceivedPlan,
    ReceivedRow,
)

_ONE_DAY: Final = timedelta(days=1)


@dataclass(slots=True)
class Span:
    """A row with its days resolved: the last day may come from the days or the next row."""

    row: ReceivedRow
    first: date | None
    last: date | None
    dose_mg: Decimal | None = None
    written_mg: Decimal | None = None
    volume_ml: Decimal | None = None
    capsules: CapsuleCounts | None = None


def in_date_order(report: Report, rows: Sequence[ReceivedRow]) -> list[ReceivedRow]:
    """The rows sorted by first day; rows out of order are one error, on the first of them.

    A row without a first day stays after the dated row above it. Checking the steps in date
    order afterwards keeps one misplaced row from also reading as a gap, an overlap or a
    change of direction.
    """
    latest = date.min
    for row in rows:
        if row.first_day is not None:
            if row.first_day < latest:
                report.row(
                    Code.OUT_OF_ORDER,
                    row,
                    f"starts {row.first_day.isoformat()}, before the step above it "
                    f"({latest.isoformat()}): the steps are not in date order, so they are "
                    "checked in date order",
                )
                return [r for _, r in sorted(zip(_sort_keys(rows), rows, strict=True), key=_first)]
            latest = row.first_day
    return list(rows)


def _sort_keys(rows: Sequence[ReceivedRow]) -> list[tuple[date, int]]:
    """Each row's first day, or the first day of the dated row above it, and its position."""
    keys: list[tuple[date, int]] = []
    latest = date.min
    for row in rows:
        latest = row.first_day or latest
        keys.append((latest, row.position))
    return keys


def _first(pair: tuple[tuple[date, int], ReceivedRow]) -> tuple[date, int]:
    return pair[0]


def resolve_spans(report: Report, rows: Sequence[ReceivedRow]) -> list[Span]:
    """Resolve each row's last day: as written, else from its days, else the next first day."""
    spans: list[Span] = []
    for position, row in enumerate(rows):
        first, last = row.first_day, row.last_day
        if first is not None and last is not None:
            if last < first:
                report.row(
                    Code.DATES_REVERSED,
                    row,
                    f"ends {last.isoformat()}, before it starts ({first.isoformat()})",
                )
                last = None
            elif row.days is not None and (last - first).days + 1 != row.days:
                report.row(
                    Code.DAYS_MISMATCH,
                    row,
                    f"says {row.days} days, but {first.isoformat()} to {last.isoformat()} "
                    f"is {(last - first).days + 1} days",
                )
        if first is not None and last is None and row.days is not None:
            try:
                last = first + timedelta(days=row.days - 1)
            except OverflowError:
                report.row(
                    Code.DAYS_UNREADABLE,
                    row,
                    f"{row.days} days from {first.isoformat()} run past {date.max.isoformat()}, "
                    "the last day of the calendar",
                )
        if first is not None and last is None and position + 1 < len(rows):
            following = rows[position + 1].first_day
            if following is not None and following > first:
                last = following - _ONE_DAY
        spans.append(Span(row, first, last))
    return spans


def check_sequence(report: Report, spans: Sequence[Span]) -> None:
    """Steps follow each other day after day: no overlap, no gap, in order."""
    for previous, span in pairwise(spans):
        # A step without a first day has its own error; its neighbours are not compared.
        if span.first is not None and previous.first is not None:
            _check_follows(report, previous, span)


def _check_follows(report: Report, previous: Span, span: Span) -> None:
    row, first = span.row, span.first
    assert first is not None  # noqa: S101 - spans without a first day are skipped
    before = previous.first
    assert before is not None  # noqa: S101
    last = previous.last
    if first == before or (last is not None and first <= last):
        end = before if last is None or last < first else last
        overlap = (end - first).days + 1
        report.row(
            Code.OVERLAP,
            row,
            f"starts {first.isoformat()}, while step {previous.row.position} runs "
            f"{before.isoformat()} to {end.isoformat()}: "
            f"{overlap} day{'s' if overlap > 1 else ''} with two doses",
        )
    elif last is not None and (first - last).days > 1:
        missing = (first - last).days - 1
        gap = (
            f"starts {first.isoformat()}, but step {previous.row.position} ends "
            f"{last.isoformat()}: {missing} day{'s' if missing > 1 else ''} with no dose"
        )
        # A pause the plan itself explains (a note on the restart step naming it) is no error,
        # but it is still shown, with the note, so the pharmacist sees it.
        if "pause" in (row.note or "").lower():
            report.row(Code.NOTED_CHANGE, row, f"{gap}; the plan's note says {row.note!r}")
        else:
            report.row(Code.GAP, row, gap)


def check_course(report: Report, spans: Sequence[Span], options: CheckOptions) -> None:
    """Warnings about the course of the doses: the start, the steps, the turns, the pace."""
    dosed = [s for s in spans if s.dose_mg is not None]
    if not dosed:
        return
    first = spans[0]
    # "Very low dose" is 0.1-0.5 mg: https://studylib.net/doc/27218742/dosing-info-2021
    if first.dose_mg is not None and first.dose_mg < VERY_LOW_DOSE_BELOW_MG:
        report.row(
            Code.VERY_LOW_START,
            first.row,
            f"the plan starts at {mg_text(first.dose_mg)}, a very low dose "
            f"(below {mg_text(VERY_LOW_DOSE_BELOW_MG)})",
        )
    direction = 0
    # A turn is explained by a note on its row; turning back after an explained turn (the
    # retry after a back-down) needs no note of its own.
    explained = False
    for before, span in pairwise(dosed):
        assert before.dose_mg is not None  # noqa: S101 - only dosed spans
        assert span.dose_mg is not None  # noqa: S101
        change = span.dose_mg - before.dose_mg
        if not change:
            continue
        # No published protocol steps by more than 1.5 mg: https://ldnnaltrexone.com/how-to-use-ldn
        # A fall the plan notes (a restart from the first dose after a long pause) is explained:
        # shown as an info with the note rather than warned.
        if abs(change) > options.max_step_mg:
            verb = "rises" if change > ZERO else "falls"
            large = (
                f"the dose {verb} by {mg_text(abs(change))} (from {mg_text(before.dose_mg)} "
                f"to {mg_text(span.dose_mg)}), more than a step of "
                f"{mg_text(options.max_step_mg)}"
            )
            if change < ZERO and span.row.note:
                note = f"; the plan's note says {span.row.note!r}"
                report.row(Code.NOTED_CHANGE, span.row, large + note)
            else:
                report.row(Code.LARGE_STEP, span.row, large)
        turn = 1 if change > ZERO else -1
        if direction and turn != direction:
            if not span.row.note and not explained:
                went, goes = ("up", "down") if turn < 0 else ("down", "up")
                report.row(
                    Code.DIRECTION_CHANGE,
                    span.row,
                    f"the dose goes {goes} (from {mg_text(before.dose_mg)} to "
                    f"{mg_text(span.dose_mg)}) after going {went}, and no note says why",
                )
            explained = bool(span.row.note)
        direction = turn
    _check_pace(report, dosed, options.min_interval_days)


def _check_pace(report: Report, dosed: Sequence[Span], min_days: int) -> None:
    """Each dose is held for at least ``min_days`` before the next change.

    Doses held too briefly one after another are one warning over their steps.
    """
    fast: list[tuple[Span, int]] = []
    run_start = 0
    # Each run of one dose but the last, which is held to the end of the plan.
    for index in range(1, len(dosed)):
        if dosed[index].dose_mg == dosed[run_start].dose_mg:
            continue
        first, last = dosed[run_start].first, dosed[index - 1].last
        days = (
            (last - first).days + 1
            if first is not None and last is not None
            else _written_days(dosed[run_start:index])
        )
        # No published LDN protocol moves faster than every 3 days:
        # https://thecompounder.com/sleep-disturbances-with-ldn/
        # A dose cut short by a change the plan notes (taken until a reaction) is explained:
        # an info with the note, not a warning.
        noted = dosed[run_start].row.note
        if days is None or days >= min_days:
            if fast:
                _fast_warning(report, fast, min_days)
                fast = []
        elif noted:
            report.row(
                Code.NOTED_CHANGE,
                dosed[run_start].row,
                f"the dose is held {days} day{'s' if days != 1 else ''}, below the "
                f"{min_days}-day minimum; the plan's note says {noted!r}",
            )
        else:
            fast.append((dosed[run_start], days))
        run_start = index
    _fast_warning(report, fast, min_days)


def _fast_warning(report: Report, fast: Sequence[tuple[Span, int]], min_days: int) -> None:
    """One warning for doses held too briefly one after another."""
    if not fast:
        return
    start, days = fast[0]
    assert start.dose_mg is not None  # noqa: S101 - only dosed spans
    minimum = f"the {min_days}-day minimum interval"
    if len(fast) == 1:
        message = (
            f"{mg_text(start.dose_mg)} is held for {_days_text(days)} before the dose "
            f"changes, less than {minimum}"
        )
    else:
        held = sorted({d for _, d in fast})
        length = _days_text(held[0]) if len(held) == 1 else f"{held[0]} to {_days_text(held[-1])}"
        message = (
            f"steps {start.row.position}–{fast[-1][0].row.position}: each dose is held for "
            f"{length} before the dose changes, less than {minimum}"
        )
    report.row(Code.FAST_INTERVAL, start.row, message)


def _days_text(days: int) -> str:
    return f"{days} day{'s' if days > 1 else ''}"


def _written_days(run: Sequence[Span]) -> int | None:
    """The days of a run of steps as their rows give them, if each gives them."""
    days = [s.row.days for s in run]
    if all(d is not None for d in days):
        return sum(d for d in days if d is not None)
    return None


def check_bud(
    report: Report, plan: ReceivedPlan, spans: Sequence[Span], bud_days: int | None
) -> None:
    """Each fill must be used up within the beyond-use date; without fills, the dated steps."""
    if bud_days is None:
        return
    # Compounded liquids keep 14-60 days, so a long schedule needs more than one fill:
    # https://fipa2exam2.passetra.com/question/what-is-the-beyond-use-4b1e0648c0d30be8 (14 days)
    # https://thecompounder.com/sleep-disturbances-with-ldn/ (60 days, refrigerated)
    if plan.fills:
        for fill in plan.fills:
            days = (fill.last_day - fill.first_day).days + 1
            if days > bud_days:
                report.tail.append(
                    Finding.of(
                        Code.BUD_EXCEEDED,
                        plan.source,
                        None,
                        None,
                        f"fill {fill.number} lasts {days} days ({fill.first_day.isoformat()} to "
                        f"{fill.last_day.isoformat()}), longer than the {bud_days}-day "
                        "beyond-use date",
                    )
                )
        return
    dated = _dated_days(spans)
    if dated is not None and dated > bud_days:
        report.tail.append(
            Finding.of(
                Code.BUD_EXCEEDED,
                plan.source,
                None,
                None,
                f"as a single fill, the {dated} dated days of the plan outlast the "
                f"{bud_days}-day beyond-use date; dispense it in fills of at most {bud_days} days",
            )
        )


def _dated_days(spans: Sequence[Span]) -> int | None:
    """Days from the first day to the last dated day (an ongoing last step is not counted)."""
    first = spans[0].first
    ends = [s.last for s in spans if s.last is not None]
    if first is None or not ends:
        return None
    return (max(ends) - first).days + 1


def summary(spans: Sequence[Span], form: Formulation | None) -> str:
    """The plan in one line: steps, days, doses as written and, with a form, the quantity."""
    count = len(spans)
    parts = [f"{count} step{'s' if count != 1 else ''}"]
    firsts = [s.first for s in spans if s.first is not None]
    lasts = [s.last for s in spans if s.last is not None]
    ongoing = spans[-1].last is None and spans[-1].first is not None
    if firsts:
        start = min(firsts)
        if ongoing and not lasts:
            parts[0] += f", ongoing from {max(firsts).isoformat()}"
        elif ongoing and lasts:
            parts[0] += (
                f", {start.isoformat()} to {max(lasts).isoformat()}, "
                f"then ongoing from {max(firsts).isoformat()}"
            )
        elif lasts and max(lasts) >= start:
            end = max(lasts)
            parts[0] += (
                f", {start.isoformat()} to {end.isoformat()} ({_days_text((end - start).days + 1)})"
            )
    # A dose that was itself an error is never stated as a fact.
    doses = [s.dose_mg for s in spans]
    first_dose, target = doses[0], doses[-1]
    if first_dose is not None and target is not None:
        parts.append(
            f"{mg_text(first_dose)} throughout"
            if all(d == first_dose for d in doses)
            else f"{mg_text(first_dose)} to a target of {mg_text(target)}"
        )
    if form is not None and all(s.dose_mg is not None for s in spans):
        parts.append(_total(spans, form))
    return "; ".join(filter(None, parts))


def _total(spans: Sequence[Span], form: Formulation) -> str:
    """The total quantity of the dated steps, and the daily amount of an ongoing last step."""
    # Each dated step with its days.
    dated = [
        (s, (s.last - s.first).days + 1)
        for s in spans
        if s.first is not None and s.last is not None
    ]
    ongoing = spans[-1] if spans[-1].last is None else None
    days = sum(held for _, held in dated)
    if form.form is Form.LIQUID:
        if any(s.volume_ml is None for s in spans):
            return ""
        total = sum(((s.volume_ml or ZERO) * held for s, held in dated), ZERO)
        made = (
            ""
            if form.concentration_mg_per_ml is None
            else f" of {concentration_text(form.concentration_mg_per_ml)} liquid"
        )
        text = f"{ml_text(total)}{made} for the {days} dated days" if dated else ""
        if ongoing is not None and ongoing.volume_ml is not None:
            text += f"{', then ' if text else ''}{ml_text(ongoing.volume_ml)} a day ongoing"
        return text
    if any(s.capsules is None for s in spans):
        return ""
    counts: dict[Decimal, int] = {}
    for span, held in dated:
        for strength, n in span.capsules or ():
            counts[strength] = counts.get(strength, 0) + n * held
    text = ""
    if counts:
        text = (
            f"{capsules_text(tuple(sorted(counts.items(), reverse=True)))} capsules "
            f"for the {days} dated days"
        )
    if ongoing is not None and ongoing.capsules is not None:
        text += f"{', then ' if text else ''}{capsules_text(ongoing.capsules)} a day ongoing"
    return text
