"""Strengths a plan states in more than one place (its rows, a title, a note, a name) must agree."""

from __future__ import annotations

from collections.abc import Iterator

from ldn_titrate.check.findings import Code, Report
from ldn_titrate.doses import format_concentration, format_mg
from ldn_titrate.received.model import Form, Formulation, ReceivedPlan


def _words(form: Formulation) -> str:
    if form.form is Form.CAPSULE:
        return "capsules of " + ", ".join(format_mg(s) for s in form.strengths_mg)
    if form.concentration_mg_per_ml is None:
        return "an oral liquid"
    return format_concentration(form.concentration_mg_per_ml)


def _places(plan: ReceivedPlan) -> Iterator[tuple[str, Formulation]]:
    """Each place that states the plan's formulation: its rows first, then the rest."""
    rows = next(
        (
            c
            for r in plan.rows
            for c in (r.concentration_cell, r.concentration_mg_per_ml)
            if c is not None
        ),
        None,
    )
    if rows is not None:
        yield "the rows", Formulation(Form.LIQUID, concentration_mg_per_ml=rows)
    elif "volume" in plan.columns:
        yield "the volume column", Formulation(Form.LIQUID)
    elif "capsules" in plan.columns:
        yield "the capsules column", Formulation(Form.CAPSULE)
    yield from plan.stated


def _disagree(a: Formulation, b: Formulation) -> bool:
    """Two statements of a formulation that cannot both be true."""
    if a.form is not b.form:
        return True
    if a.form is Form.LIQUID:
        return None not in {a.concentration_mg_per_ml, b.concentration_mg_per_ml} and (
            a.concentration_mg_per_ml != b.concentration_mg_per_ml
        )
    first, second = set(a.strengths_mg), set(b.strengths_mg)
    return bool(first and second) and not (first <= second or second <= first)


def check_stated_strengths(report: Report, plan: ReceivedPlan) -> bool:
    """One error for the first two places whose strengths differ (``formulation-conflict``).

    Returns whether there was one.
    """
    if not plan.stated:
        return False
    seen: list[tuple[str, Formulation]] = []
    for where, form in _places(plan):
        for other, earlier in seen:
            if _disagree(earlier, form):
                report.plan(
                    Code.FORMULATION_CONFLICT,
                    f"the plan states two strengths: {_words(earlier)} ({other}) and "
                    f"{_words(form)} ({where})",
                )
                return True
        seen.append((where, form))
    return False
