"""A whole titration written as directions in a plan's text, read and held to the rows.

The texts read are the title lines and other texts of the plan, its notes, and the
instructions of a plan of one row.

Only text that reads as directions of more than one step is compared; text the grammar
refuses is left to the other screens, never a finding of its own here. A text is read only
when it is short (``SIG_MAX_CHARS``), names a dose and says "then", "increase" or
"decrease": one pass of a regular expression, then the grammar's own linear reading.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Final, NamedTuple

from ldn_titrate.check.findings import Code, Report
from ldn_titrate.doses import format_mg
from ldn_titrate.patterns import lazy_pattern
from ldn_titrate.received.model import DoseUnit, ReceivedPlan, ReceivedRow

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from ldn_titrate.check.course import Span


_dose_pattern = lazy_pattern(r"[0-9]\s*(?:mg|mcg|ml|capsule)", re.IGNORECASE)


_change = lazy_pattern(r"\b(?:then|increase|decrease)", re.IGNORECASE)


# Any day serves to date directions that are compared by their lengths only.
_SOME_DAY: Final = date(2001, 1, 1)
_MCG: Final = Decimal(1000)
# Columns of plan.texts that are not directions of their own: headers, and the directions
# that ``check --sig`` made the rows from.
_NOT_DIRECTIONS: Final = frozenset({"header", "directions"})


class _Step(NamedTuple):
    dose_mg: Decimal | None
    days: int | None


@lru_cache(maxsize=256)
def _steps(text: str, first_day: date = _SOME_DAY) -> tuple[_Step, ...] | None:
    """The steps of a text that reads as directions of more than one step, or None.

    They are dated from ``first_day``, the rows' own, so that a step of months has the
    days it has there.
    """
    # The reader's words load only for a plan with a text to read; most plans have none.
    from ldn_titrate.received.sig_words import SIG_MAX_CHARS, SigRefusedError  # noqa: PLC0415

    if len(text) > SIG_MAX_CHARS or not _dose_pattern().search(text) or not _change().search(text):
        return None
    # The grammar loads only for a text that passed the gates above; most plans have none.
    from ldn_titrate.received.sig import read_sig  # noqa: PLC0415
    from ldn_titrate.received.sig_plan import sig_plan  # noqa: PLC0415

    try:
        sig = read_sig(text)
        rows = sig_plan(sig, text, first_day, "").rows
    except (SigRefusedError, OverflowError):
        return None
    if len(rows) < 2:
        return None
    return tuple(_Step(_mg(row), row.days) for row in rows)


def _mg(row: ReceivedRow) -> Decimal | None:
    if row.dose is None:
        return None
    return row.dose / _MCG if row.dose_unit is DoseUnit.MCG else row.dose


def reads_as_titration(text: str) -> bool:
    """Whether a text reads as directions of more than one step."""
    return _steps(text) is not None


def without_titration_lines(plan: ReceivedPlan) -> ReceivedPlan:
    """The plan, its lines that read as a titration no longer counted as not read.

    Such a line is read by its meaning: ``check_stated_titrations`` holds it to the rows.
    """
    lines = {
        (line, text)
        for line, column, text in plan.texts
        if column == "" and reads_as_titration(text)
    }
    if not lines:
        return plan
    kept = tuple(part for part in plan.unread if (part.line, part.text) not in lines)
    return replace(plan, unread=kept)


class _Source(NamedTuple):
    """A text that may hold a titration: where it is, its line, its row, and the text."""

    where: str
    line: int | None
    row: ReceivedRow | None
    text: str
    only_row: bool = False
    """The instructions of a plan's one row."""


def _sources(plan: ReceivedPlan) -> Iterator[_Source]:
    for line, column, text in plan.texts:
        if column not in _NOT_DIRECTIONS:
            where = f"line {line}" if line is not None else (column or "the plan's text")
            yield _Source(where, line, None, text)
    for row in plan.rows:
        if row.note:
            yield _Source("the note", row.line, row, row.note)
    if len(plan.rows) == 1 and plan.rows[0].instructions:
        row = plan.rows[0]
        yield _Source("the instructions", row.line, row, row.instructions, only_row=True)


def check_stated_titrations(report: Report, plan: ReceivedPlan, spans: Sequence[Span]) -> None:
    """Each titration a text of the plan states must be the rows' own."""
    given = [_Step(span.dose_mg, _days(span)) for span in spans]
    first_day = next((span.first for span in spans if span.first is not None), _SOME_DAY)
    for source in _sources(plan):
        stated = _steps(source.text, first_day)
        if stated is None:
            continue
        if source.only_row and source.row is not None and len(given) == 1:
            _one_row(report, source.row, stated, given[0])
            continue
        problem = _difference(stated, given)
        if problem is None:
            continue
        message = (
            f"{source.where} gives {_outline(stated)}, but the rows give {_outline(given)}: "
            f"{problem}"
        )
        if source.row is None:
            report.plan(Code.INSTRUCTIONS_MISMATCH, message, source.line)
        else:
            report.row(Code.INSTRUCTIONS_MISMATCH, source.row, message)


def _days(span: Span) -> int | None:
    if span.first is None or span.last is None:
        return None
    return (span.last - span.first).days + 1


def _one_row(report: Report, row: ReceivedRow, stated: Sequence[_Step], given: _Step) -> None:
    """A plan of one row whose instructions hold a whole titration."""
    first = stated[0]
    if first.dose_mg != given.dose_mg or (
        given.days is not None and first.days is not None and given.days != first.days
    ):
        report.row(
            Code.INSTRUCTIONS_MISMATCH,
            row,
            f"the instructions give {_outline(stated)}, but the row gives {_one(given)}",
        )
        return
    later = stated[1:]
    doses = ", ".join(_dose(step) for step in later)
    report.row(
        Code.INSTRUCTIONS_MISMATCH,
        row,
        f"the instructions give {_outline(stated)}, but the row gives only {_one(given)}: "
        f"steps 2 to {len(stated)} ({doses}) are not in the rows, so the quantity and label "
        "cover only the first step",
    )


def _difference(stated: Sequence[_Step], given: Sequence[_Step]) -> str | None:
    """The first step where a stated titration and the rows disagree, or None."""
    for number, (said, row) in enumerate(zip(stated, given, strict=False), start=1):
        if said.dose_mg != row.dose_mg:
            return f"step {number} is {_dose(said)} there and {_dose(row)} in the rows"
        if said.days is not None and row.days is not None and said.days != row.days:
            return (
                f"step {number} ({_dose(said)}) lasts {said.days} days there and "
                f"{row.days} days in the rows"
            )
    if len(stated) > len(given):
        return f"the rows end at {_dose(given[-1])}, before the target {_dose(stated[-1])}"
    if len(given) > len(stated):
        last = stated[-1]
        # The target taken on over several rows (a refill each month) is the same step.
        if last.days is None and all(s.dose_mg == last.dose_mg for s in given[len(stated) :]):
            return None
        return f"the rows go on past {_dose(last)} to {_dose(given[-1])}"
    return None


def _dose(step: _Step) -> str:
    return "a pause" if step.dose_mg is None else format_mg(step.dose_mg)


def _one(step: _Step) -> str:
    how_long = "ongoing" if step.days is None else f"for {step.days} days"
    return f"{_dose(step)} {how_long}"


def _outline(steps: Sequence[_Step]) -> str:
    return f"{len(steps)} steps, {_dose(steps[0])} to {_dose(steps[-1])}"
