"""Directions (a sig) checked as a plan: read exactly, dated from day 1, then every check.

Directions that cannot be read are one error naming the words reading stopped at: a range
(``sig-range``), a condition (``sig-conditional``), a frequency other than once a day
(``frequency-mismatch``) or anything else (``sig-unreadable``). The medicine screens still
pass over their text.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from ldn_titrate.check import check_plan
from ldn_titrate.check.findings import Code, Finding
from ldn_titrate.check.meds import med_findings, mentioned_med_findings
from ldn_titrate.check.options import CheckOptions
from ldn_titrate.received.model import ReceivedPlan
from ldn_titrate.received.sig import Kind, SigRefusedError, read_sig
from ldn_titrate.received.sig_plan import sig_plan

_CODES: Final = {
    Kind.RANGE: Code.SIG_RANGE,
    Kind.CONDITIONAL: Code.SIG_CONDITIONAL,
    Kind.FREQUENCY: Code.FREQUENCY_MISMATCH,
    Kind.UNREADABLE: Code.SIG_UNREADABLE,
}


def check_sig(text: str, first_day: date, options: CheckOptions, source: str) -> list[Finding]:
    """Every finding about directions taken from ``first_day``; ``source`` names them."""
    try:
        sig = read_sig(text)
    except SigRefusedError as exc:
        unread = ReceivedPlan(source, (), frozenset(), texts=((None, "directions", text),))
        return [
            *med_findings(options.meds, source),
            *mentioned_med_findings(unread),
            Finding.of(_CODES[exc.kind], source, None, None, f"directions not read: {exc}"),
        ]
    try:
        plan = sig_plan(sig, text, first_day, source)
    except OverflowError:
        # A day 1 near the calendar's end, and steps that would run past it.
        return [
            *med_findings(options.meds, source),
            Finding.of(
                Code.SIG_UNREADABLE,
                source,
                None,
                None,
                f"directions not read: from {first_day.isoformat()} they run past the "
                "last day of the calendar",
            ),
        ]
    return check_plan(plan, options)
