"""What a received plan records beyond its steps: formulation, fills, medicines."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Final

from ldn_titrate.received.cells import read_number
from ldn_titrate.received.model import CellProblem, Form, Formulation, ReceivedFill

_CONCENTRATION_UNITS: Final = frozenset({"", "mg/ml", "mg/cc"})


def with_top_concentration(
    formulation: Formulation | None, value: object, problems: list[CellProblem]
) -> Formulation | None:
    """The formulation, given the concentration a JSON plan records at its top (``5 mg/mL``)."""
    if value is None or isinstance(value, bool):
        return formulation
    read = read_number(str(value).strip()) if isinstance(value, str | int | Decimal) else None
    if read is None or isinstance(read, str) or read[1] not in _CONCENTRATION_UNITS or read[0] <= 0:
        problems.append(
            CellProblem(
                "formulation", "concentration", str(value)[:40], "not a concentration in mg/mL"
            )
        )
        return formulation
    concentration = read[0]
    if formulation is None:
        return Formulation(Form.LIQUID, concentration_mg_per_ml=concentration)
    if formulation.form is Form.LIQUID and formulation.concentration_mg_per_ml is None:
        return Formulation(
            Form.LIQUID,
            concentration_mg_per_ml=concentration,
            graduation_ml=formulation.graduation_ml,
        )
    if formulation.concentration_mg_per_ml not in {None, concentration}:
        problems.append(
            CellProblem(
                "formulation",
                "concentration",
                str(value),
                "differs from the concentration_mg_per_ml the plan records",
            )
        )
    return formulation


_ADMINISTRATION_KINDS: Final = (("dose_mg", "mg"), ("volume_ml", "ml"), ("capsules", "capsules"))


def administration_cells(items: object) -> dict[str, object]:
    """A JSON step's ``administrations`` as its ``split_cells``: (time, kind, where, text)."""
    if not isinstance(items, list):
        return {}
    cells: list[tuple[str, str, str, str]] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        time = str(item.get("time") or f"dose {index + 1}")
        for name, kind in _ADMINISTRATION_KINDS:
            value = item.get(name)
            # JSON values come with their exact types: a bool is never read as a number.
            if type(value) is str:
                text = value.strip()
            elif value is None or type(value) is bool:
                continue
            elif isinstance(value, dict):
                text = " + ".join([f"{count} × {strength} mg" for strength, count in value.items()])
            else:
                text = str(value).strip()
            cells.append((time, kind, f"administrations[{index}].{name}", text))
    return {"split_cells": tuple(cells)}


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _json_number(value: object, field: str, problems: list[CellProblem]) -> Decimal | None:
    """A positive number of the request (``"1.5"`` or 1.5), or a problem kept."""
    if isinstance(value, str):
        cell = value.strip()
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        cell = str(value)
    else:
        cell = ""
    if not cell:
        if value is not None:
            problems.append(CellProblem("formulation", field, _shown(value), "not a number"))
        return None
    read = read_number(cell)
    if isinstance(read, str) or read[0] <= 0:
        problems.append(CellProblem("formulation", field, cell, "not a positive number"))
        return None
    return read[0]


def json_whole(value: object, field: str, problems: list[CellProblem]) -> int | None:
    """A positive whole number of the request (``bud_days``), or a problem kept."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    problems.append(CellProblem("formulation", field, _shown(value), "not a positive whole number"))
    return None


def json_formulation(
    request: Mapping[str, object], problems: list[CellProblem]
) -> Formulation | None:
    """The formulation a JSON plan's request records (``form``, strengths), or None."""
    form_text = request.get("form")
    if form_text is None:
        return None
    try:
        form = Form(str(form_text).strip().lower())
    except ValueError:
        problems.append(
            CellProblem("formulation", "form", _shown(form_text), "not liquid or capsule")
        )
        return None
    strengths: list[Decimal] = []
    raw_strengths = request.get("strengths_mg")
    if isinstance(raw_strengths, list):
        for item in raw_strengths:
            value = _json_number(item, "strengths_mg", problems)
            if value is not None:
                strengths.append(value)
    elif raw_strengths is not None:
        problems.append(
            CellProblem("formulation", "strengths_mg", _shown(raw_strengths), "not a list")
        )
    return Formulation(
        form,
        concentration_mg_per_ml=_json_number(
            request.get("concentration_mg_per_ml"), "concentration_mg_per_ml", problems
        ),
        graduation_ml=_json_number(request.get("graduation_ml"), "graduation_ml", problems),
        strengths_mg=tuple(strengths),
        max_units=json_whole(request.get("max_units"), "max_units", problems),
    )


def recorded_meds(value: object) -> str | None:
    """The medicine list a plan records: text, or a list of names (``a; b``); None if none."""
    names = value if isinstance(value, list) else [value]
    text = "; ".join(name.strip() for name in names if isinstance(name, str) and name.strip())
    return text or None


def json_fills(data: Mapping[str, object]) -> tuple[ReceivedFill, ...] | None:
    """The fills a JSON plan's dispensing record gives, or None when it records none."""
    dispense = data.get("dispense")
    if not isinstance(dispense, dict) or not isinstance(dispense.get("fills"), list):
        return None
    fills: list[ReceivedFill] = []
    for number, item in enumerate(dispense["fills"], start=1):
        if not isinstance(item, dict):
            continue
        try:
            first = date.fromisoformat(str(item.get("first_day")))
            last = date.fromisoformat(str(item.get("last_day")))
        except ValueError:
            continue
        fills.append(ReceivedFill(number, first, last))
    return tuple(fills)
