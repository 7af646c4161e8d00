"""A FHIR MedicationRequest (alone or in a Bundle) read as a plan, leniently.

Each step is a Dosage with a ``sequence`` and a ``timing.repeat.boundsPeriod`` (both days
inclusive); Dosages that share a sequence are taken together on the same days, the doses of
a split day (https://hl7.org/fhir/R4/dosage-definitions.html#Dosage.sequence). A dose in mg
is read as it is; a dose in mL is a volume, its dose worked out at the concentration the
medication's text names (``naltrexone 1 mg/mL oral liquid``). Plain JSON is read with the
standard library, not the FHIR models, so that a near-miss resource still gives its steps.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Final

from ldn_titrate.errors import PlanFormatError
from ldn_titrate.received.cells import named_graduation
from ldn_titrate.received.model import (
    CellProblem,
    Form,
    Formulation,
    ReceivedPlan,
    ReceivedRow,
)

_CONCENTRATION: Final = re.compile(r"(\d+(?:\.\d+)?)\s*mg\s*/\s*mL", re.IGNORECASE)
_MG: Final = frozenset({"mg", "milligram", "milligrams"})
_ML: Final = frozenset({"ml", "milliliter", "millilitre", "milliliters", "millilitres"})
_SHOWN: Final = 40


def medication_request(data: Mapping[str, object]) -> Mapping[str, object] | None:
    """The MedicationRequest itself, or the one for naltrexone in a Bundle (else its first).

    None if there is none.
    """
    if data.get("resourceType") == "MedicationRequest":
        return data
    requests = [r for r in _resources(data) if r.get("resourceType") == "MedicationRequest"]
    named = (r for r in requests if "naltrexone" in _medication(r).casefold())
    return next(named, requests[0] if requests else None)


def other_medicines(data: Mapping[str, object], chosen: Mapping[str, object]) -> str | None:
    """The medicines a Bundle prescribes or records besides the plan's: ``a; b``, or None.

    Its other MedicationRequests and MedicationStatements are the patient's medicine list,
    for the check to screen.
    """
    names = [
        _medication(resource)
        for resource in _resources(data)
        if resource is not chosen
        and resource.get("resourceType") in {"MedicationRequest", "MedicationStatement"}
    ]
    return "; ".join(dict.fromkeys(name for name in names if name)) or None


def _resources(data: Mapping[str, object]) -> list[Mapping[str, object]]:
    """The resources of a Bundle's entries (none for anything else)."""
    entries = _list(data.get("entry")) if data.get("resourceType") == "Bundle" else []
    return [resource for entry in entries if isinstance(resource := _get(entry, "resource"), dict)]


def _medication(resource: Mapping[str, object]) -> str:
    """A medication's name as the resource writes it: its text, else its first coding's."""
    concept = _get(resource, "medicationCodeableConcept")
    text = _get(concept, "text")
    if isinstance(text, str) and text.strip():
        return text.strip()
    for coding in _list(_get(concept, "coding")):
        display = _get(coding, "display")
        if isinstance(display, str) and display.strip():
            return display.strip()
    return ""


def _get(value: object, *path: str | int) -> object:
    """The value at a path of keys and list indexes, or None where the path stops."""
    for key in path:
        if isinstance(key, int):
            value = value[key] if isinstance(value, list) and len(value) > key else None
        else:
            value = value.get(key) if isinstance(value, dict) else None
    return value


def _day(value: object) -> date | None:
    """A FHIR date or dateTime: only its day counts."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        return None
    try:
        read = Decimal(str(value))
    except InvalidOperation:
        return None
    return read if read.is_finite() else None


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _concentration(resource: Mapping[str, object]) -> Decimal | None:
    text = _get(resource, "medicationCodeableConcept", "text")
    match = _CONCENTRATION.search(text) if isinstance(text, str) else None
    return None if match is None else Decimal(match[1])


class _Dose:
    """One Dosage's dose: in mg, or a volume in mL; or why it was not read."""

    def __init__(self, dosage: object) -> None:
        quantity = _get(dosage, "doseAndRate", 0, "doseQuantity")
        unit = _get(quantity, "code") or _get(quantity, "unit")
        self.value = _number(_get(quantity, "value"))
        self.unit = str(unit).strip().lower() if unit is not None else ""
        self.problem: CellProblem | None = None
        if quantity is None:
            self.problem = CellProblem("dose", "doseQuantity", "", "no dose quantity")
        elif self.value is None or self.value <= 0:
            shown = _short(_get(quantity, "value"))
            self.problem = CellProblem("dose", "doseQuantity", shown, "not a positive number")
        elif self.unit not in _MG | _ML:
            self.problem = CellProblem(
                "dose", "doseQuantity", self.unit, "the unit must be mg or mL"
            )


def _row(
    position: int, number: int, dosages: list[object], concentration: Decimal | None
) -> ReceivedRow:
    """One step from the Dosages of one sequence."""
    first = dosages[0]
    bounds = _get(first, "timing", "repeat", "boundsPeriod")
    doses = [_Dose(d) for d in dosages]
    problems = [d.problem for d in doses if d.problem is not None]
    dose = volume = None
    if not problems:
        if all(d.unit in _MG for d in doses):
            dose = sum((d.value or Decimal(0) for d in doses), Decimal(0))
        elif all(d.unit in _ML for d in doses):
            volume = sum((d.value or Decimal(0) for d in doses), Decimal(0))
            dose = None if concentration is None else volume * concentration
        else:
            problems.append(CellProblem("dose", "doseQuantity", "mg and mL", "mixed units"))
    texts = list(dict.fromkeys(t for d in dosages if isinstance(t := _get(d, "text"), str)))
    notes = [
        t
        for d in dosages
        for item in _list(_get(d, "additionalInstruction"))
        if isinstance(t := _get(item, "text"), str)
    ]
    instructions = " ".join(texts)
    return ReceivedRow(
        split_cells=_split_cells(number, dosages, doses) if len(dosages) > 1 else (),
        position=position,
        line=None,
        number=number,
        first_day=_day(_get(bounds, "start")),
        last_day=_day(_get(bounds, "end")),
        dose=dose,
        volume_ml=volume,
        instructions=instructions,
        note=" ".join(dict.fromkeys(notes)),
        texts=(("instructions", instructions),) if instructions else (),
        problems=tuple(problems),
    )


# Timing.repeat.when as the time of a split dose: https://hl7.org/fhir/R4/valueset-event-timing.html
_WHEN: Final = {"MORN": "morning", "HS": "bedtime"}


def _split_cells(
    number: int, dosages: list[object], doses: list[_Dose]
) -> tuple[tuple[str, str, str, str], ...]:
    """The doses of one day as the check reads split doses: (time, unit, where, text)."""
    cells = []
    for index, (dosage, dose) in enumerate(zip(dosages, doses, strict=True)):
        when = _get(dosage, "timing", "repeat", "when", 0)
        time = _WHEN.get(str(when), f"dose {index + 1}")
        kind = "ml" if dose.unit in _ML else "mg"
        text = "" if dose.value is None else str(dose.value)
        cells.append((time, kind, f"dosageInstruction sequence {number}, dose {index + 1}", text))
    return tuple(cells)


def _graduation(resource: Mapping[str, object]) -> Decimal | None:
    """The syringe mark a request's notes name (``an oral syringe marked every 0.05 mL``)."""
    for note in _list(resource.get("note")):
        text = _get(note, "text")
        graduation = named_graduation(text) if isinstance(text, str) else None
        if graduation is not None:
            return graduation
    return None


def read_fhir(resource: Mapping[str, object], source: str) -> ReceivedPlan:
    """The steps of a MedicationRequest's sequenced Dosages.

    Raises:
        PlanFormatError: no dosage instruction with a sequence.
    """
    dosages = resource.get("dosageInstruction")
    by_sequence: dict[int, list[object]] = {}
    for dosage in dosages if isinstance(dosages, list) else ():
        sequence = _get(dosage, "sequence")
        if isinstance(sequence, int) and not isinstance(sequence, bool):
            by_sequence.setdefault(sequence, []).append(dosage)
    if not by_sequence:
        raise PlanFormatError(
            source, "FHIR MedicationRequest: no dosageInstruction with a sequence to read"
        )
    concentration = _concentration(resource)
    rows = tuple(
        _row(position, number, by_sequence[number], concentration)
        for position, number in enumerate(sorted(by_sequence), start=1)
    )
    liquid = any(r.volume_ml is not None for r in rows)
    columns = {"step", "first_day", "last_day", "dose_mg", "instructions"}
    if liquid:
        columns.add("volume")
    if any(r.note for r in rows):
        columns.add("note")
    label = _get(resource, "subject", "display")
    label = label if isinstance(label, str) and label else None
    formulation = (
        Formulation(
            Form.LIQUID,
            concentration_mg_per_ml=concentration,
            graduation_ml=_graduation(resource),
        )
        if liquid or concentration is not None
        else None
    )
    return ReceivedPlan(
        source=source,
        rows=rows,
        columns=frozenset(columns),
        label=label,
        formulation=formulation,
        texts=((None, "label", label),) if label else (),
    )
