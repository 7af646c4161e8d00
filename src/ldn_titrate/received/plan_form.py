"""The formulation a received plan shows: by its columns, its cells and the strengths it states."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ldn_titrate.received.model import Form, Formulation, ReceivedRow


def formulation_of(
    fields: frozenset[str], rows: Iterable[ReceivedRow], stated: Iterable[Formulation] = ()
) -> Formulation | None:
    """The formulation a plan shows by its columns, with the strength its text states.

    A concentration column records it; instructions that name one come next, then the
    strengths stated elsewhere in the file (a title line, a note, a sheet's or the file's
    name: ``Naltrexone 5 mg/mL oral suspension``), when the rows state none.
    """
    rows = tuple(rows)
    said = tuple(stated)
    concentration = next(
        (r.concentration_cell for r in rows if r.concentration_cell is not None), None
    ) or next(
        (r.concentration_mg_per_ml for r in rows if r.concentration_mg_per_ml is not None), None
    )
    # A syringe column (this tool's CSV): rows that name different syringes are checked on the
    # coarsest, so that no volume passes unseen.
    syringe = max((r.graduation_ml for r in rows if r.graduation_ml is not None), default=None)
    liquid = next((f for f in said if f.form is Form.LIQUID), None)
    capsules = next((f for f in said if f.form is Form.CAPSULE), None)
    if concentration is None and liquid is not None and "capsules" not in fields:
        return liquid if syringe is None else replace(liquid, graduation_ml=syringe)
    if "volume" in fields or concentration is not None:
        # A syringe stated with the same strength (this tool's formulation line) is kept.
        same = liquid is not None and liquid.concentration_mg_per_ml == concentration
        return Formulation(
            Form.LIQUID,
            concentration_mg_per_ml=concentration,
            graduation_ml=syringe or (liquid.graduation_ml if same and liquid else None),
        )
    if capsules is not None:
        return capsules
    if "capsules" in fields:
        return Formulation(Form.CAPSULE)
    return None
