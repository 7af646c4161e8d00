"""Two columns for the same part of a step, compared on every row, never one ignored.

``Dose`` and ``Dose (mg)``, mg beside mcg, two volume or first-day columns, a repeated JSON key.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

from ldn_titrate.check.arithmetic import MCG_PER_MG, mg_text, ml_text
from ldn_titrate.check.findings import Code, Report
from ldn_titrate.check.stated import stated
from ldn_titrate.errors import shown
from ldn_titrate.received.cells import field_of
from ldn_titrate.received.model import DoseUnit, ReceivedPlan, ReceivedRow, Twin

_PART_WORDS: Final = {
    "dose": "the dose",
    "volume": "the volume",
    "first_day": "the first day",
    "last_day": "the last day",
    "days": "the days",
    "instructions": "the instructions",
    "quantity": "the quantity",
}
_TEXT_PARTS: Final = frozenset({"instructions", "quantity"})

Value = Decimal | date | int | str | None


def check_twins(report: Report, plan: ReceivedPlan) -> None:
    """An error on each row where two columns for one part disagree; an info when they agree."""
    pairs: dict[tuple[str, str, str], bool] = {}
    for row in plan.rows:
        for twin in row.twins:
            key = (twin.part, twin.first_column, twin.column)
            first = _own_value(row, twin.part)
            agree = _same(first, twin.value) and (first is not None or not twin.text)
            pairs[key] = pairs.get(key, True) and agree
            if not agree:
                report.row(
                    Code.COLUMNS_DISAGREE,
                    row,
                    f"{twin.first_column} and {twin.column} disagree: "
                    f"{_shown(twin.part, first)} and {_twin_shown(twin)}",
                )
    for (part, first_column, column), agree in pairs.items():
        if agree:
            report.plan(
                Code.COLUMNS_AGREE,
                f"{first_column} and {column} both give {_PART_WORDS[part]}; "
                "they agree on every step",
            )


def _same(first: Value, second: Value) -> bool:
    """Equal values; two texts are equal whatever their case and spacing."""
    if isinstance(first, str) and isinstance(second, str):
        return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()
    return first == second


def _own_value(row: ReceivedRow, part: str) -> Value:
    """The value of a part as the step itself was read (a dose in mg)."""
    if part == "dose":
        if row.dose is None:
            return None
        return row.dose / MCG_PER_MG if row.dose_unit is DoseUnit.MCG else row.dose
    if part == "volume":
        return row.volume_ml
    if part in _TEXT_PARTS:
        text: str = getattr(row, part)
        return text or None
    value: Value = getattr(row, part)
    return value


def _shown(part: str, value: Value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return shown(value)
    if part == "dose":
        return mg_text(Decimal(value))
    if part == "volume":
        return ml_text(Decimal(value))
    return f"{value} days"


def _twin_shown(twin: Twin) -> str:
    if twin.value is None and twin.text:
        return f"{twin.text!r}, which cannot be read"
    return _shown(twin.part, twin.value)


def check_label_doses(report: Report, plan: ReceivedPlan) -> None:
    """A label that changes from step to step and names a dose is a dose column: checked as one.

    The same label on every step is the plan's own (``LDN to 4.5 mg``) and is left alone.
    """
    texts = {text for row in plan.rows for column, text in row.texts if field_of(column) == "label"}
    if len(texts) < 2:  # one label for the whole plan
        return
    for row in plan.rows:
        for column, text in row.texts:
            if field_of(column) != "label":
                continue
            doses = stated(text)[0]
            dose = _own_value(row, "dose")
            if doses and isinstance(dose, Decimal) and dose not in doses:
                said = " or ".join(mg_text(d) for d in sorted(doses))
                report.row(
                    Code.LABEL_MISMATCH,
                    row,
                    f"{column} {text!r} says {said}, but the dose is {mg_text(dose)}",
                )


def check_both_forms(report: Report, plan: ReceivedPlan) -> None:
    """A plan with volumes and capsules on its steps cannot say which is to be dispensed."""
    volumes = next((r for r in plan.rows if r.volume_ml is not None), None)
    capsules = next((r for r in plan.rows if r.capsules is not None), None)
    if volumes is not None and capsules is not None:
        report.plan(
            Code.FORMULATION_CONFLICT,
            "the plan gives both volumes of a liquid and capsules: which is to be dispensed "
            "cannot be known",
        )
