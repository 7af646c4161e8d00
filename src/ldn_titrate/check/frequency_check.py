"""The frequency screen: every text of a plan must give its daily dose once a day."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Final

from ldn_titrate.check.arithmetic import mg_text
from ldn_titrate.check.course import Span
from ldn_titrate.check.findings import Code, Report
from ldn_titrate.check.frequency import Frequency, not_once_daily
from ldn_titrate.check.split import named_doses
from ldn_titrate.received.model import ReceivedPlan, ReceivedRow

# A number of doses a day written alone, as a frequency column gives it: "2", "2x", "2 times".
_COUNT: Final = re.compile(r"(?P<n>[0-9]{1,2})\s*(?:x|times)?", re.IGNORECASE)


def _mismatch(found: Frequency, says: str, dose: str) -> str:
    """The message for a frequency that is not the plan's one daily dose."""
    if found.kind == "as-needed":
        return f'{says} the dose as needed ("{found.words}"), but the plan gives a daily dose{dose}'
    if found.kind == "repeat":
        return (
            f'{says} a dose that may be repeated ("{found.words}"), but the plan gives one '
            f"daily dose{dose}"
        )
    if found.less_than_daily:
        return (
            f'{says} the dose less often than once a day ("{found.words}"), but the '
            f"plan gives a daily dose{dose}"
        )
    return (
        f'{says} more than one dose a day ("{found.words}"), but the plan gives one '
        f"daily dose{dose} and no split doses that add up to it"
    )


def check_frequency(report: Report, span: Span, split: bool) -> None:
    """Every text of a step must give its daily dose once a day.

    More than once a day needs split doses that add up (``split``); less often than daily,
    as needed or a repeated dose is never the plan's daily dose. A frequency column may give
    a count alone (``2``, ``3x``). Each text is judged by its own words: instructions that say
    "once daily" do not excuse a note that says "Mon, Wed and Fri only".
    """
    row = span.row
    dose = "" if span.dose_mg is None else f" of {mg_text(span.dose_mg)}"
    count = _COUNT.fullmatch(row.frequency) if row.frequency else None
    if count is not None and int(count["n"]) > 1 and not split:
        report.row(
            Code.FREQUENCY_MISMATCH,
            row,
            _mismatch(Frequency(row.frequency, Fraction(int(count["n"]))), _FREQUENCY, dose),
        )
    screened: set[str] = set()
    for column, text in row.texts:
        if text in screened:
            continue
        screened.add(text)
        found = not_once_daily(text, split)
        if found is not None and not split and _names_its_split(text, span.dose_mg):
            # More than once a day, in doses the text itself names and adds up.
            found = not_once_daily(text, split=True)
        if found is not None:
            report.said.add(("frequency", found.words.casefold(), ""))
            report.row(
                Code.FREQUENCY_MISMATCH, row, _mismatch(found, _says(row, column, text), dose)
            )


_FREQUENCY: Final = "the frequency gives"


def _names_its_split(text: str, dose: Decimal | None) -> bool:
    """Whether a text gives the day's doses at two or more times and the day's total.

    "0.5 mg in the morning and 1 mg at bedtime (1.5 mg a day)" is a 1.5 mg step's own split,
    written in words where the file has no column for it.
    """
    if dose is None:
        return False
    named = named_doses(text)
    timed = [(mg, time) for mg, time in named if time is not None]
    return (
        len({time for _, time in timed}) > 1
        and sum((mg for mg, _ in timed), Decimal(0)) == dose
        and any(mg == dose for mg, time in named if time is None)
    )


def _says(row: ReceivedRow, column: str, text: str) -> str:
    if text == row.instructions:
        return "the instructions give"
    if text == row.frequency:
        return _FREQUENCY
    return f"{column} gives"


# Where a text of the whole plan stands, by the column the reader gives it.
_PLAN_PLACE: Final = {
    "": "a line outside the table",
    "header": "a column header",
    "label": "the label",
    "medication": "the medication",
}


def check_plan_frequency(report: Report, plan: ReceivedPlan, split: bool) -> None:
    """Title lines, headers, the label, the medication and the parts not read: once a day.

    ``split`` is whether every step has split doses that add up to its dose.
    """
    texts = [
        *plan.texts,
        *((part.line, part.where, part.text) for part in plan.unread if part.text),
    ]
    for line, column, text in texts:
        found = not_once_daily(text, split)
        # The same words said of a step (a column not read whose cells are also the steps'
        # texts), or of another part, are said once.
        key = ("frequency", "" if found is None else found.words.casefold(), "")
        if found is None or key in report.said:
            continue
        report.said.add(key)
        where = _PLAN_PLACE.get(column, column)
        report.plan(Code.FREQUENCY_MISMATCH, _mismatch(found, f"{where} gives", ""), line)
