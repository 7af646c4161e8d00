"""What reading a file noticed, as findings; and doses of a chart written in mL only."""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from ldn_titrate.check.findings import Code, Report
from ldn_titrate.doses import format_concentration
from ldn_titrate.errors import Setting, spell
from ldn_titrate.received.model import (
    DoseUnit,
    Form,
    Formulation,
    NoteKind,
    ReceivedPlan,
)

NOTE_CODES: Final = {
    NoteKind.ENCODING_GUESSED: Code.ENCODING_GUESSED,
    NoteKind.DOUBLE_DECODED: Code.DOUBLE_DECODED,
    NoteKind.DATE_ORDER_UNKNOWN: Code.DATE_ORDER_UNKNOWN,
    NoteKind.DATE_SERIALS: Code.DATE_SERIALS,
    # A JSON key written twice (outside the parts of a step compared as twins).
    NoteKind.KEY_REPEATED: Code.COLUMNS_DISAGREE,
    NoteKind.KEY_REPEATED_SAME: Code.COLUMNS_AGREE,
}


def order_unknown(plan: ReceivedPlan) -> bool:
    """Whether a date column was left unread for want of a ``date_order`` (already an error)."""
    return any(note.kind is NoteKind.DATE_ORDER_UNKNOWN for note in plan.notes)


def volumes_only(plan: ReceivedPlan) -> bool:
    """A liquid chart that gives volumes in mL and no dose column."""
    return "volume" in plan.columns and not plan.columns & {"dose_mg", "dose_mcg"}


def doses_from_volumes(
    report: Report, plan: ReceivedPlan, form: Formulation | None
) -> ReceivedPlan | None:
    """The plan with each dose worked out as volume × concentration; None if none is known."""
    concentration = form.concentration_mg_per_ml if form and form.form is Form.LIQUID else None
    if concentration is None:
        report.plan(
            Code.VOLUMES_WITHOUT_CONCENTRATION,
            spell(
                (
                    (
                        "the plan gives volumes in mL but no doses, and no concentration is "
                        "recorded: give "
                    ),
                    Setting("form", "liquid"),
                    " ",
                    Setting("concentration", "C"),
                    " to read the doses",
                )
            ),
        )
        return None
    report.plan(
        Code.DOSES_FROM_VOLUMES,
        f"the plan gives volumes in mL only: each dose was worked out at "
        f"{format_concentration(concentration)}",
    )
    rows = tuple(
        row
        if row.volume_ml is None
        else row._replace(
            dose=row.volume_ml * concentration, dose_unit=DoseUnit.MG, dose_column="volume"
        )
        for row in plan.rows
    )
    return replace(plan, rows=rows, columns=plan.columns | {"dose_mg"})
