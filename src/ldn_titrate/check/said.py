"""What a plan's words say that its steps do not show: a quantity to supply, a dose multiplied.

Each text read only as words (a title line, a note, a remark, the instructions) is looked at
once for both; a column's header names a part of the step and says neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ldn_titrate.check.findings import Code, Report
from ldn_titrate.check.said_changes import said_change
from ldn_titrate.check.said_quantities import said_quantity
from ldn_titrate.errors import shown
from ldn_titrate.received.cells import field_of

if TYPE_CHECKING:
    from ldn_titrate.received.model import ReceivedPlan


def check_said(report: Report, plan: ReceivedPlan) -> None:
    """A ``not-read`` warning for each text that gives a quantity to supply or changes the dose.

    A line not read is said already, whatever it holds; a quantity column is read as the
    step's quantity, and set against its days.
    """
    unread = {part.line for part in plan.unread if part.line is not None}
    for line, column, text in plan.texts:
        if column != "header" and line not in unread:
            amount, change = said_quantity(text), said_change(text)
            if amount is not None or change is not None:
                for message in _messages(column or "a line", text, amount, change):
                    report.plan(Code.NOT_READ, message, line)
    for row in plan.rows:
        for column, text in row.texts:
            amount = None if field_of(column) == "quantity" else said_quantity(text)
            change = said_change(text)
            if amount is not None or change is not None:
                for message in _messages(column, text, amount, change):
                    report.row(Code.NOT_READ, row, message)


def _messages(where: str, text: str, amount: str | None, change: str | None) -> list[str]:
    said: list[str] = []
    if amount is not None:
        said.append(
            f"{where} {shown(text)} gives a quantity to supply ({amount!r}) that was not read: "
            "set it against the days it is for"
        )
    if change is not None:
        said.append(
            f"{where} {shown(text)} changes the dose in words ({change!r}), which no step "
            "shows: ask the prescriber which dose is meant"
        )
    return said
