"""A FHIR MedicationRequest (alone or in a Bundle) read as a plan, leniently.

Each step is a Dosage with a ``sequence`` and a ``timing.repeat.boundsPeriod`` (both days
inclusive); Dosages that share a sequence are taken together on the same days, the doses of
a split day (https://hl7.org/fhir/R4/dosage-definitions.html#Dosage.sequence). A dose in mg
is read as it is; a dose in mL is a volume, its dose worked out at the concentration the
medication names (``naltrexone 1 mg/mL oral liquid``, or its Medication's ingredient
strength). Every element is read by its meaning, known to carry none (``fhir_parts``), or
kept as a part not read. Plain JSON is read with the standard library, not the FHIR models,
so that a near-miss resource still gives its steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Final

from ldn_titrate.errors import PlanFormatError
from ldn_titrate.received.cells import named_graduation
from ldn_titrate.received.fhir_bundle import Bundle
from ldn_titrate.received.fhir_lists import extension_lists, other_note_lists, reference_lists
from ldn_titrate.received.fhir_parts import (
    DOSAGE_KNOWN,
    DOSE_AND_RATE_KNOWN,
    MEDICINE_RESOURCES,
    REQUEST_KNOWN,
)
from ldn_titrate.received.fhir_timing import TIMING_READ, timing_of
from ldn_titrate.received.fhir_values import get, items, number, text_of
from ldn_titrate.received.lines import stated_formulation
from ldn_titrate.received.listed import with_listed_meds
from ldn_titrate.received.model import (
    CellProblem,
    Dispensed,
    Form,
    Formulation,
    MedList,
    ReceivedPlan,
    ReceivedRow,
)
from ldn_titrate.received.unread import Found, gather, unread_keys, unread_of

_MG: Final = frozenset({"mg", "milligram", "milligrams"})
_ML: Final = frozenset({"ml", "milliliter", "millilitre", "milliliters", "millilitres"})
_SHOWN: Final = 40
# A titration plan has a few dozen Dosages; a resource with more than this is refused before
# any of them is read (the check's own bound on steps is 1,000).
MAX_DOSAGES: Final = 1_000
# Timing.repeat.when as the time of a split dose: https://hl7.org/fhir/R4/valueset-event-timing.html
_WHEN: Final = {"MORN": "morning", "HS": "bedtime"}
_ORAL: Final = (
    "26643006"  # SNOMED CT "Oral route": https://hl7.org/fhir/R4/valueset-route-codes.html
)


def read_fhir(resource: Mapping[str, object], source: str) -> ReceivedPlan:
    """The plan of one MedicationRequest (its ``resourceType`` may be left out).

    Raises:
        PlanFormatError: too many Dosages, or no Dosage with a sequence.
    """
    plan = read_fhir_data({**resource, "resourceType": "MedicationRequest"}, source)
    if plan is None:  # pragma: no cover - a MedicationRequest always gives a plan or raises
        raise PlanFormatError(source, "FHIR MedicationRequest: not read")
    return with_listed_meds(plan)


def read_fhir_data(data: Mapping[str, object], source: str) -> ReceivedPlan | None:
    """The plan of a MedicationRequest, or of the low-dose naltrexone one in a Bundle.

    None when the data is neither.

    Raises:
        PlanFormatError: too many entries or Dosages, or no Dosage with a sequence.
    """
    bundle = Bundle(data, source)
    resource = bundle.plan_request()
    if resource is None:
        return None
    dosages = items(resource.get("dosageInstruction"))
    if len(dosages) > MAX_DOSAGES:
        raise PlanFormatError(
            source,
            f"FHIR MedicationRequest: {len(dosages):,} dosage instructions, more than the "
            f"{MAX_DOSAGES:,} a plan can have",
        )
    by_sequence: dict[int, list[object]] = {}
    unsequenced: list[object] = []
    for dosage in dosages:
        sequence = get(dosage, "sequence")
        if isinstance(sequence, int) and not isinstance(sequence, bool):
            by_sequence.setdefault(sequence, []).append(dosage)
        else:
            unsequenced.append(dosage)
    if not by_sequence:
        raise PlanFormatError(
            source, "FHIR MedicationRequest: no dosageInstruction with a sequence to read"
        )
    medicine = bundle.medicine_of(resource)
    concentration = bundle.concentration
    found: dict[str, list[str]] = {}
    rows = tuple(
        _row(position, number_, by_sequence[number_], concentration, found)
        for position, number_ in enumerate(sorted(by_sequence), start=1)
    )
    listed = account_request(resource, found)
    totals = _dispensed(resource, bundle, found)
    if unsequenced:
        found["FHIR Dosage without a sequence"] = [
            text_of(get(d, "text")) or "(no text)" for d in unsequenced
        ]
    liquid = any(r.volume_ml is not None for r in rows)
    columns = {"step", "first_day", "last_day", "dose_mg", "instructions"}
    if liquid:
        columns.add("volume")
    if any(r.note for r in rows):
        columns.add("note")
    label = text_of(get(resource, "subject", "display")) or None
    texts: list[tuple[int | None, str, str]] = [(None, "label", label)] if label else []
    texts.extend((None, "medication", name) for name in bundle.names_of(resource))
    texts.extend(
        (None, "note", text)
        for note in items(resource.get("note"))
        if (text := text_of(get(note, "text")))
    )
    texts.extend(bundle.narratives(resource))
    # The medicine lists first: following their references marks the Medications read.
    med_lists = (
        *bundle.med_lists(resource),
        *listed,
        *reference_lists(resource),
        *other_note_lists(bundle.resources, resource, MEDICINE_RESOURCES),
    )
    unread = (*bundle.unread(resource), *unread_of(found))
    # A strength a note states is compared with the medication's, as a title line's is.
    stated = [
        *bundle.stated,
        *(
            ("FHIR MedicationRequest.note", form)
            for _, column, text in texts
            if column == "note" and (form := stated_formulation(text))
        ),
    ]
    return ReceivedPlan(
        source=source,
        rows=rows,
        columns=frozenset(columns),
        label=label,
        formulation=_formulation(bundle, liquid, _graduation(resource)),
        texts=tuple(texts),
        med_lists=med_lists,
        unread=unread,
        medicine=medicine,
        # Two places stating a strength are compared; one alone is the formulation above.
        stated=tuple(stated) if len(stated) > 1 else (),
        dispensed=tuple(totals),
    )


def _dispensed(
    resource: Mapping[str, object], bundle: Bundle, found: Found
) -> tuple[Dispensed, ...]:
    """What the order says to dispense, and what its MedicationDispense entries handed over."""
    from ldn_titrate.received.dispensed import fhir_dispensed, handed_over  # noqa: PLC0415

    totals: list[Dispensed] = []
    for where, (total, not_read) in (
        ("FHIR MedicationRequest.dispenseRequest.quantity", fhir_dispensed(resource)),
        *((where, handed_over(dispense, where)) for where, dispense in bundle.dispenses(resource)),
    ):
        totals.extend([] if total is None else [total])
        if not_read is not None:
            found[where] = [not_read]
    return tuple(totals)


def account_request(resource: Mapping[str, object], found: Found) -> list[MedList]:
    """Each element of the request not read, by its place; the extensions that list medicines.

    An extension that is a medicine list is read as one; any other is still reported.
    """
    listed, others = extension_lists(resource)
    if not listed:
        unread_keys(resource, "FHIR MedicationRequest", REQUEST_KNOWN, found)
        return []
    rest = {key: value for key, value in resource.items() if key != "extension"}
    unread_keys(rest, "FHIR MedicationRequest", REQUEST_KNOWN, found)
    if others:
        gather(found, "FHIR MedicationRequest.extension", others)
    return listed


def _formulation(
    bundle: Bundle, liquid: bool, graduation: Decimal | None = None
) -> Formulation | None:
    """The formulation the medication names: a liquid's strength, or capsule strengths."""
    if liquid or bundle.concentration is not None:
        return Formulation(
            Form.LIQUID, concentration_mg_per_ml=bundle.concentration, graduation_ml=graduation
        )
    if bundle.capsule_strengths:
        return Formulation(Form.CAPSULE, strengths_mg=bundle.capsule_strengths)
    return None


def _graduation(resource: Mapping[str, object]) -> Decimal | None:
    """The syringe mark a request's notes name (``an oral syringe marked every 0.05 mL``)."""
    for note in items(resource.get("note")):
        text = get(note, "text")
        graduation = named_graduation(text) if isinstance(text, str) else None
        if graduation is not None:
            return graduation
    return None


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


class _Dose:
    """One Dosage's dose: in mg, or a volume in mL; or why it was not read."""

    def __init__(self, dosage: object) -> None:
        rate = get(dosage, "doseAndRate", 0)
        quantity = get(rate, "doseQuantity")
        dose_range = get(rate, "doseRange")
        self.problem: CellProblem | None = None
        if quantity is None and dose_range is not None:
            low, high = get(dose_range, "low"), get(dose_range, "high")
            quantity = low
            if number(get(low, "value")) != number(get(high, "value")) or _unit(low) != _unit(high):
                shown = f"{_short(get(low, 'value'))} to {_short(get(high, 'value'))}"
                self.problem = CellProblem(
                    "dose", "doseRange", shown, "a range of doses, not one dose"
                )
        self.value = number(get(quantity, "value"))
        self.unit = _unit(quantity)
        if self.problem is not None:
            return
        if quantity is None:
            self.problem = CellProblem("dose", "doseQuantity", "", "no dose quantity")
        elif self.value is None or self.value <= 0:
            raw = get(quantity, "value")
            shown = _short(raw)
            reason = (
                "not a dose: more than 30 digits, or an exponent"
                if self.value is None
                and isinstance(raw, int | Decimal)
                and not isinstance(raw, bool)
                else "not a positive number"
            )
            self.problem = CellProblem("dose", "doseQuantity", shown, reason)
        elif self.unit not in _MG | _ML:
            self.problem = CellProblem(
                "dose", "doseQuantity", self.unit, "the unit must be mg or mL"
            )


def _unit(quantity: object) -> str:
    unit = get(quantity, "code") or get(quantity, "unit")
    return str(unit).strip().lower() if unit is not None else ""


def _row(
    position: int,
    number_: int,
    dosages: list[object],
    concentration: Decimal | None,
    found: dict[str, list[str]],
) -> ReceivedRow:
    """One step from the Dosages of one sequence."""
    first = dosages[0]
    bounds = get(first, "timing", "repeat", "boundsPeriod")
    first_day, last_day = _day(get(bounds, "start")), _day(get(bounds, "end"))
    doses = [_Dose(d) for d in dosages]
    timings = tuple(
        timing_of(d, _where(number_, i, len(dosages)), first_day, last_day)
        for i, d in enumerate(dosages)
    )
    for dosage in dosages:
        _account_dosage(dosage, found)
    problems = [d.problem for d in doses if d.problem is not None]
    dose = volume = None
    if not problems:
        if all(d.unit in _MG for d in doses):
            dose = sum((d.value for d in doses if d.value), Decimal(0))
        elif all(d.unit in _ML for d in doses):
            volume = sum((d.value for d in doses if d.value), Decimal(0))
            dose = None if concentration is None else volume * concentration
        else:
            problems.append(CellProblem("dose", "doseQuantity", "mg and mL", "mixed units"))
    texts = list(dict.fromkeys(t for d in dosages if (t := text_of(get(d, "text")))))
    notes = [
        t
        for d in dosages
        for item in (
            *items(get(d, "additionalInstruction")),
            {"text": get(d, "patientInstruction")},
        )
        if (t := text_of(get(item, "text")))
    ]
    instructions = " ".join(texts)
    note = " ".join(dict.fromkeys(notes))
    duration = timings[0].bound_days if first_day is None or last_day is None else None
    return ReceivedRow(
        split_cells=_split_cells(number_, dosages, doses, concentration)
        if len(dosages) > 1
        else (),
        position=position,
        line=None,
        number=number_,
        first_day=first_day,
        last_day=last_day,
        days=duration if bounds is None else None,
        dose=dose,
        volume_ml=volume,
        instructions=instructions,
        note=note,
        texts=tuple(
            (column, text)
            for column, text in (("instructions", instructions), ("note", note))
            if text
        ),
        problems=tuple(problems),
        timings=timings,
    )


def _where(sequence: int, index: int, count: int) -> str:
    return f"dosageInstruction sequence {sequence}" + (f", dose {index + 1}" if count > 1 else "")


def _account_dosage(dosage: object, found: dict[str, list[str]]) -> None:
    """Each element of a Dosage not read by its meaning, by its place (``FHIR Dosage.site``)."""
    unread_keys(dosage, "FHIR Dosage", DOSAGE_KNOWN, found)
    timing = get(dosage, "timing")
    unread_keys(timing, "FHIR Dosage.timing", frozenset({"repeat", "code"}), found)
    repeat_known = frozenset(p.removeprefix("repeat.") for p in TIMING_READ if "." in p)
    unread_keys(get(timing, "repeat"), "FHIR Dosage.timing.repeat", repeat_known, found)
    for rate in items(get(dosage, "doseAndRate")):
        unread_keys(rate, "FHIR Dosage.doseAndRate", DOSE_AND_RATE_KNOWN, found)
    if len(items(get(dosage, "doseAndRate"))) > 1:
        found.setdefault("FHIR Dosage.doseAndRate (a second dose)", []).append("")
    route = get(dosage, "route")
    if route is not None and not _oral(route):
        found.setdefault("FHIR Dosage.route", []).append(
            text_of(get(route, "text")) or text_of(get(route, "coding", 0, "display"))
        )


def _oral(route: object) -> bool:
    """Whether a route names the mouth: SNOMED CT 26643006, or its words."""
    codes = {get(c, "code") for c in items(get(route, "coding"))}
    words = " ".join(
        [
            text_of(get(route, "text")),
            *(text_of(get(c, "display")) for c in items(get(route, "coding"))),
        ]
    ).casefold()
    return _ORAL in codes or "oral" in words or "mouth" in words


def _day(value: object) -> date | None:
    """A FHIR date or dateTime: only its day counts."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _split_cells(
    number_: int, dosages: list[object], doses: list[_Dose], concentration: Decimal | None
) -> tuple[tuple[str, str, str, str], ...]:
    """The doses of one day as the check reads split doses: (time, unit, where, text).

    A volume is given with its dose at the medication's concentration, so that the doses of
    a split liquid day add up as those of mg doses do.
    """
    cells = []
    seen: set[str] = set()
    for index, (dosage, dose) in enumerate(zip(dosages, doses, strict=True)):
        when = get(dosage, "timing", "repeat", "when", 0)
        time = _WHEN.get(str(when), f"dose {index + 1}")
        if time in seen:
            time = f"dose {index + 1}"
        seen.add(time)
        where = f"dosageInstruction sequence {number_}, dose {index + 1}"
        text = "" if dose.value is None else str(dose.value)
        if dose.unit in _ML:
            cells.append((time, "ml", where, text))
            if concentration is not None and dose.value is not None:
                cells.append((time, "mg", where, str(dose.value * concentration)))
        else:
            cells.append((time, "mg", where, text))
    return tuple(cells)
