"""Checks of a liquid plan as a whole: its recorded concentration, and volumes that agree."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from ldn_titrate.check.arithmetic import mg_text, ml_text
from ldn_titrate.check.course import Span
from ldn_titrate.check.findings import Code, Finding, Report
from ldn_titrate.doses import format_concentration
from ldn_titrate.errors import Setting, spell
from ldn_titrate.received.model import Form, Formulation, ReceivedPlan


def check_concentration_cells(report: Report, plan: ReceivedPlan, form: Formulation | None) -> None:
    """Each row's concentration cell must be the one the plan records (its first).

    A conflict with the ``concentration`` setting is reported once for the file, not on every row.
    """
    recorded = plan.formulation.concentration_mg_per_ml if plan.formulation else None
    expected = recorded or (form.concentration_mg_per_ml if form is not None else None)
    if expected is None:
        return
    for row in plan.rows:
        named = row.concentration_cell
        if named is not None and named != expected:
            report.row(
                Code.CONCENTRATION_MISMATCH,
                row,
                f"the concentration column says {format_concentration(named)}, "
                f"not {format_concentration(expected)}",
            )


def _implied_text(ratio: Fraction) -> str:
    value = Decimal(ratio.numerator) / Decimal(ratio.denominator)
    exact = value * ratio.denominator == ratio.numerator
    shown = format_concentration(value if exact else value.quantize(Decimal("0.001")))
    return shown if exact else f"about {shown}"


def check_volume_agreement(
    report: Report, plan: ReceivedPlan, spans: Sequence[Span], form: Formulation | None
) -> None:
    """Without a concentration, the volumes must at least imply one and the same strength."""
    if form is None or form.form is not Form.LIQUID or form.concentration_mg_per_ml is not None:
        return
    measured = [
        (span, Fraction(span.dose_mg) / Fraction(span.volume_ml))
        for span in spans
        if span.dose_mg is not None and span.volume_ml is not None and span.volume_ml > 0
    ]
    if not measured:
        return
    counts = Counter(ratio for _, ratio in measured)
    usual = max(counts, key=counts.__getitem__)  # the first of the most usual
    for span, ratio in measured:
        if ratio != usual:
            assert span.volume_ml is not None  # noqa: S101 - only measured spans
            assert span.dose_mg is not None  # noqa: S101
            report.row(
                Code.VOLUME_INCONSISTENT,
                span.row,
                f"{ml_text(span.volume_ml)} for {mg_text(span.dose_mg)} implies "
                f"{_implied_text(ratio)}, but the other steps imply {_implied_text(usual)}",
            )
    report.tail.append(
        Finding.of(
            Code.VOLUME_UNCHECKED,
            plan.source,
            None,
            None,
            spell(
                (
                    (
                        "the volumes could not be checked against a strength: the plan records no "
                        "concentration; give "
                    ),
                    Setting("concentration", ""),
                )
            ),
        )
    )
