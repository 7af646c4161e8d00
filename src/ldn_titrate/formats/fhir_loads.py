"""A FHIR MedicationRequest written by ``fhir_format`` read back as steps, for ``replan``."""

from __future__ import annotations

import itertools
import json
from datetime import date
from decimal import Decimal, InvalidOperation

from ldn_titrate.errors import PlanFormatError
from ldn_titrate.formats.read_back import step_of
from ldn_titrate.model import Administration, DoseTime, Step


def _object(value: object, source: str, where: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise PlanFormatError(source, f"{where}: expected an object")
    return value


def _decimal(value: object, source: str, where: str) -> Decimal:
    try:
        read = Decimal(str(value))
    except InvalidOperation:
        read = Decimal("NaN")
    if isinstance(value, bool) or not read.is_finite():
        raise PlanFormatError(source, f"{where}: expected a number, got {value!r}")
    return read


def _concentration(data: dict[str, object]) -> Decimal | None:
    medicine = data.get("medicationReference") or data.get("medicationCodeableConcept")
    text = None
    if isinstance(medicine, dict):
        text = medicine.get("display") or medicine.get("text")
    if not isinstance(text, str):
        return None
    words = text.replace("(", " ").split()
    for before, word in itertools.pairwise(words):
        if word == "mg/mL":
            try:
                return Decimal(before)
            except InvalidOperation:
                return None
    return None


def loads(text: str, source: str) -> tuple[Step, ...]:
    """Read the steps of a MedicationRequest written by ``write``; capsule counts are not kept."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise PlanFormatError(source, f"not valid JSON: {exc.msg}", exc.lineno) from None
    if not isinstance(data, dict) or data.get("resourceType") != "MedicationRequest":
        raise PlanFormatError(source, "expected a FHIR MedicationRequest")
    dosages = data.get("dosageInstruction")
    if not isinstance(dosages, list):
        raise PlanFormatError(source, "expected a list of dosageInstruction")
    concentration = _concentration(data)
    days: dict[int, list[tuple[dict[str, object], Administration]]] = {}
    for index, item in enumerate(dosages, start=1):
        where = f"dosageInstruction[{index}]"
        dosage = _object(item, source, where)
        repeat = _object(_object(dosage.get("timing"), source, where).get("repeat"), source, where)
        rates = _list(dosage.get("doseAndRate"))
        rate = _object(rates[0] if rates else None, source, f"{where}.doseAndRate")
        quantity = _object(rate.get("doseQuantity"), source, f"{where}.doseQuantity")
        value = _decimal(quantity.get("value"), source, where)
        time = DoseTime.MORNING if repeat.get("when") == ["MORN"] else DoseTime.BEDTIME
        if quantity.get("code") == "mL":
            if concentration is None:
                raise PlanFormatError(source, f"{where}: a dose in mL needs a concentration")
            administration = Administration(time, value * concentration, value)
        else:
            administration = Administration(time, value)
        days.setdefault(int(_decimal(dosage.get("sequence"), source, where)), []).append(
            (dosage, administration)
        )
    return tuple(_step(number, given, source) for number, given in sorted(days.items()))


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _step(number: int, given: list[tuple[dict[str, object], Administration]], source: str) -> Step:
    where = f"dosageInstruction sequence {number}"
    dosage, _ = given[0]
    timing = _object(dosage.get("timing"), source, where)
    bounds = _object(
        _object(timing.get("repeat"), source, where).get("boundsPeriod"), source, where
    )
    try:
        first = date.fromisoformat(str(bounds.get("start")))
        end = bounds.get("end")
        last = None if end is None else date.fromisoformat(str(end))
    except ValueError:
        raise PlanFormatError(source, f"{where}: boundsPeriod needs YYYY-MM-DD days") from None
    administrations = tuple(a for _, a in given)
    notes = [
        n.get("text") for n in _list(dosage.get("additionalInstruction")) if isinstance(n, dict)
    ]
    return step_of(
        number,
        first,
        last,
        administrations,
        instructions=str(dosage.get("text", "")),
        note=str(notes[0]) if notes else None,
    )
