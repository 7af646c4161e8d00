"""What a received plan records about its formulation beyond the steps themselves."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from ldn_titrate.received.cells import read_number
from ldn_titrate.received.model import CellProblem, Form, Formulation

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
