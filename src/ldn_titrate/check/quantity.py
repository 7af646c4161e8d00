"""A step's quantity against the days it must last: short, a decimal slip, or a disagreement."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Final

from ldn_titrate.check.arithmetic import ml_text
from ldn_titrate.check.course import Span
from ldn_titrate.check.findings import Code, Report
from ldn_titrate.check.stated import amount, capsule_quantity, overlong, stated
from ldn_titrate.doses import format_capsules
from ldn_titrate.errors import shown
from ldn_titrate.received.model import CapsuleCounts, ReceivedRow

# A quantity ten times what the days need, or a tenth of it, is a decimal point in the wrong
# place (ISMP: misplaced decimal points cause tenfold errors,
# https://www.empr.com/charts/error-prone-dose-designations/).
SLIP: Final = 10

# A quantity written as a number alone, with no unit (a decimal comma too: "10,5").
_BARE_NUMBER: Final = re.compile(r"[0-9]++(?:[.,][0-9]++)?")
# A count of capsules in the words of the languages the readers know ("28 capsules", "28 caps",
# "28 gélules", "28 Kapseln", "28 cápsulas", "28 capsule"): of every strength the plan uses.
_CAPSULE_COUNT: Final = re.compile(
    r"(?P<count>[0-9]{1,6})\s*(?:c[aá]psul(?:as?|es?)|caps?\.?|g[eé]lules?|kapseln?)",
    re.IGNORECASE,
)


def counts_by_strength(capsules: CapsuleCounts) -> dict[Decimal, int]:
    """Capsule counts added up by strength (mg)."""
    counts: dict[Decimal, int] = {}
    for strength, n in capsules:
        counts[strength] = counts.get(strength, 0) + n
    return counts


@lru_cache(maxsize=4096)
def _bare_number(quantity: str) -> Decimal | str | None:
    """The number of a quantity written without a unit (its text if too long), else None."""
    stripped = quantity.strip()
    if _BARE_NUMBER.fullmatch(stripped) is None:
        return None
    value = amount(stripped)
    return stripped if value is None else value


def _assumed(report: Report, row: ReceivedRow, unit: str) -> None:
    """Say once per plan that quantities without a unit were read in the plan's unit."""
    key = ("quantity-unit", unit, "")
    if key not in report.said:
        report.said.add(key)
        where = f"line {row.line}" if row.line is not None else f"step {row.position}"
        report.plan(
            Code.QUANTITY_UNIT_ASSUMED,
            f"a quantity without a unit ({row.quantity!r} on {where}) was read in {unit}, "
            "the unit of this plan",
        )


def _days(span: Span) -> int | None:
    """A step's days: its days cell, else from its first and last days."""
    row = span.row
    if row.days is not None:
        return row.days
    if span.first is not None and span.last is not None:
        return (span.last - span.first).days + 1
    return None


def check_quantity(report: Report, span: Span) -> None:
    """A step's quantity must last its days: less is short, a tenth or ten times a slip."""
    row = span.row
    days = _days(span)
    if not row.quantity or days is None:
        return
    bare = _bare_number(row.quantity)
    too_long = bare if isinstance(bare, str) else overlong(row.quantity)
    if too_long is not None:
        report.row(
            Code.QUANTITY_UNREADABLE,
            row,
            f"the quantity {shown(too_long)} has more digits than any quantity",
        )
        return
    if not _compared(report, span, days, bare):
        # Clean means accounted for: a quantity this check cannot set against the days is said.
        report.row(
            Code.NOT_READ,
            row,
            f"the quantity {shown(row.quantity)} was not read: it gives no count of capsules "
            "or volume in mL that can be set against the days",
        )


def _compared(report: Report, span: Span, days: int, bare: Decimal | str | None) -> bool:
    """Set the quantity against the days when it can be read; whether it could."""
    row = span.row
    _, volumes = stated(row.quantity)
    counted = _CAPSULE_COUNT.fullmatch(row.quantity.strip())
    count = Decimal(counted["count"]) if counted else bare
    if isinstance(count, Decimal) and span.volume_ml is None and span.capsules is not None:
        if counted is None:
            _assumed(report, row, "capsules")
        per_day = sum(n for _, n in span.capsules)
        expected = Decimal(per_day * days)
        need = f"{days} days of {format_capsules(span.capsules)} is {expected} capsules"
        _compare(
            report,
            row,
            written=count,
            expected=expected,
            per_day=Decimal(per_day),
            said=row.quantity.strip() if counted else f"{row.quantity} capsules",
            need=need,
        )
        return True
    said = row.quantity
    if isinstance(bare, Decimal) and span.volume_ml is not None:
        _assumed(report, row, "mL")
        volumes = frozenset({bare})
        said = ml_text(bare)  # read in mL, so said in mL
    if span.volume_ml is not None and len(volumes) == 1:
        expected = span.volume_ml * days
        need = f"{days} days of {ml_text(span.volume_ml)} is {ml_text(expected)}"
        _compare(
            report,
            row,
            written=next(iter(volumes)),
            expected=expected,
            per_day=span.volume_ml,
            said=said,
            need=need,
        )
        return True
    return span.capsules is not None and _check_counted(report, row, span.capsules, days)


def _compare(  # noqa: PLR0913 - the amounts and the words that say them
    report: Report,
    row: ReceivedRow,
    *,
    written: Decimal,
    expected: Decimal,
    per_day: Decimal,
    said: str,
    need: str,
) -> None:
    """One quantity against what the days need; ``need`` says what they need, for messages."""
    # Compared with the one amount, not looked up: hashing a new Decimal is slow.
    if written == expected:
        return
    message = f"the quantity says {said}, but {need}"
    if (what := slipped(written, expected)) is not None:
        report.row(Code.QUANTITY_DECIMAL_SLIP, row, f"{message}: {what}")
    elif written < expected:
        lasts = int(written // per_day) if per_day > 0 else 0
        report.row(Code.QUANTITY_SHORT, row, f"{message}: {runs_out(lasts)}")
    else:
        report.row(Code.QUANTITY_MISMATCH, row, message)


def slipped(written: Decimal, expected: Decimal) -> str | None:
    """How a quantity is a decimal point off what is needed (ten times, a tenth), or None."""
    if written >= expected * SLIP:
        return "ten times that or more, a decimal point slipped"
    if written > 0 and written * SLIP <= expected:
        return "a tenth of that or less, a decimal point slipped"
    return None


def runs_out(days: int) -> str:
    """When a patient runs out, ``days`` into the supply."""
    if days == 0:
        return "the patient runs out on the first day"
    return f"the patient runs out after {days} day{'s' if days > 1 else ''}"


def _check_counted(report: Report, row: ReceivedRow, capsules: CapsuleCounts, days: int) -> bool:
    """Capsules counted out in a quantity must be the step's capsules times its days.

    Each strength must last the days: the shortest of them decides when the patient runs out.
    Whether the quantity counts capsules by strength (if not, it is not compared here).
    """
    written = capsule_quantity(row.quantity)
    if written is None:
        return False
    daily = counts_by_strength(capsules)
    expected = {s: n * days for s, n in daily.items()}
    if written == expected:
        return True
    shown_expected = format_capsules(tuple(sorted(expected.items(), reverse=True)))
    message = (
        f"the quantity says {row.quantity}, but {days} days of "
        f"{format_capsules(capsules)} is {shown_expected}"
    )
    ratios = [Decimal(written.get(s, 0)) / n for s, n in expected.items()]
    if any(r >= SLIP or 0 < r * SLIP <= 1 for r in ratios):
        what = "ten times that or more" if max(ratios) >= SLIP else "a tenth of that or less"
        report.row(Code.QUANTITY_DECIMAL_SLIP, row, f"{message}: {what}, a decimal point slipped")
    elif any(r < 1 for r in ratios):
        lasts = min(written.get(s, 0) // n for s, n in daily.items())
        report.row(Code.QUANTITY_SHORT, row, f"{message}: {runs_out(lasts)}")
    else:
        report.row(Code.QUANTITY_MISMATCH, row, message)
    return True
