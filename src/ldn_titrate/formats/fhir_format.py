"""The FHIR format: one R4 MedicationRequest, a draft, with one Dosage per step.

The resource is built and checked by the ``fhir.resources`` models (their ``R4B`` package:
the library has no R4 one, and R4B's MedicationRequest is R4's), imported on first write so
that other formats start without them. The models check data types only, so every code this
module writes comes from a fixed table below, each from the value set FHIR binds it to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Final

from ldn_titrate.doses import format_concentration, format_mg, format_ml
from ldn_titrate.formats import DEFAULT_OPTIONS, Format, WriteOptions
from ldn_titrate.formats.fhir_loads import loads
from ldn_titrate.model import (
    Administration,
    Capsules,
    DoseTime,
    Liquid,
    Quantity,
    Schedule,
    Step,
)

FORMAT: Final = Format.FHIR

# MedicationRequest.intent, a required binding: https://hl7.org/fhir/R4/valueset-medicationrequest-intent.html
# The three a drafting tool may mean; the rest (instance-order, filler-order...) belong to an EHR.
INTENTS: Final = ("proposal", "plan", "order")
DEFAULT_INTENT: Final = "proposal"
# A resource id: https://hl7.org/fhir/R4/datatypes.html#id
FHIR_ID: Final = re.compile(r"[A-Za-z0-9\-.]{1,64}")
# The resources MedicationRequest.requester may refer to besides a Practitioner:
# https://hl7.org/fhir/R4/medicationrequest-definitions.html#MedicationRequest.requester
REQUESTERS: Final = (
    "Practitioner",
    "PractitionerRole",
    "Organization",
    "Patient",
    "RelatedPerson",
    "Device",
)
# MedicationRequest.status, a required binding: a draft until a prescriber signs it.
# https://hl7.org/fhir/R4/valueset-medicationrequest-status.html
STATUS: Final = "draft"
# RxNorm ingredient naltrexone (RxCUI 7243): compounded low doses have no clinical-drug code.
# https://mor.nlm.nih.gov/RxNav/search?searchBy=RXCUI&searchTerm=7243
RXNORM: Final = "http://www.nlm.nih.gov/research/umls/rxnorm"
NALTREXONE_RXCUI: Final = "7243"
# SNOMED CT 26643006 "Oral route", as in FHIR's own taper example medrx0303.
# https://hl7.org/fhir/R4/medicationrequest0303.json.html
SNOMED: Final = "http://snomed.info/sct"
ORAL_ROUTE: Final = "26643006"
# UCUM units: https://hl7.org/fhir/R4/valueset-ucum-units.html
UCUM: Final = "http://unitsofmeasure.org"
# Timing.repeat.when, a required binding (event-timing): HS "before the hour of sleep",
# MORN "during the morning". https://hl7.org/fhir/R4/valueset-event-timing.html
WHEN: Final = {DoseTime.BEDTIME: "HS", DoseTime.MORNING: "MORN"}
# A dispensed capsule count: the orderable drug form CAP, as medrx0303 counts tablets in TAB.
# https://terminology.hl7.org/CodeSystem-v3-orderableDrugForm.html
DRUG_FORM: Final = "http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm"
MEDICINE: Final = "low-dose naltrexone"
# The id of the contained Medication the request refers to (``#ldn``); a strength's is
# ``ldn-1.5mg``. https://hl7.org/fhir/R4/references.html#contained
MEDICATION_ID: Final = "ldn"
# Medication.form, from the orderable drug forms: CAP a capsule, KIT a pack of products. A
# compounded liquid is named in words: solution or suspension is the pharmacy's to say.
CAPSULE_FORM: Final[Mapping[str, object]] = {
    "coding": [{"system": DRUG_FORM, "code": "CAP", "display": "Capsule"}]
}
KIT_FORM: Final[Mapping[str, object]] = {
    "coding": [{"system": DRUG_FORM, "code": "KIT", "display": "Kit"}]
}
LIQUID_FORM: Final[Mapping[str, object]] = {"text": "oral liquid"}


def _ucum(value: Decimal, code: str) -> dict[str, object]:
    return {"value": value, "unit": code, "system": UCUM, "code": code}


def medicine_text(schedule: Schedule) -> str:
    """``low-dose naltrexone``, with the form when there is one: ``(naltrexone 1 mg/mL ...)``."""
    form = schedule.request.formulation
    if isinstance(form, Liquid):
        strength = format_concentration(form.concentration_mg_per_ml)
        return f"{MEDICINE} (naltrexone {strength} oral liquid)"
    if isinstance(form, Capsules):
        strengths = " and ".join(format_mg(s) for s in form.strengths_mg)
        return f"{MEDICINE} (naltrexone {strengths} oral capsules)"
    return MEDICINE


def _dosage(step: Step, administration: Administration) -> dict[str, object]:
    """One Dosage: a step taken once a day, or one administration of a split step."""
    bounds = {"start": step.first_day.isoformat()}
    if step.last_day is not None:
        # Period.end is inclusive: https://hl7.org/fhir/R4/datatypes.html#Period
        bounds["end"] = step.last_day.isoformat()
    # A liquid is measured in mL (the instruction text gives the mg).
    dose = (
        _ucum(administration.dose_mg, "mg")
        if administration.volume_ml is None
        else _ucum(administration.volume_ml, "mL")
    )
    dosage: dict[str, object] = {
        # The same sequence for the doses of one day: FHIR's concurrent dosages.
        # https://hl7.org/fhir/R4/dosage-definitions.html#Dosage.sequence
        "sequence": step.number,
        "text": step.instructions,
        "timing": {
            "repeat": {
                "boundsPeriod": bounds,
                "frequency": 1,
                "period": 1,
                "periodUnit": "d",
                "when": [WHEN[administration.time]],
            }
        },
        "route": {"coding": [{"system": SNOMED, "code": ORAL_ROUTE, "display": "Oral route"}]},
        "doseAndRate": [{"doseQuantity": dose}],
    }
    if step.note is not None:
        dosage["additionalInstruction"] = [{"text": step.note}]
    return dosage


def _per_capsule(count: Decimal | int) -> dict[str, object]:
    """A count of capsules in the orderable drug form CAP."""
    return {
        "value": Decimal(count),
        "unit": "capsule" if count == 1 else "capsules",
        "system": DRUG_FORM,
        "code": "CAP",
    }


def _naltrexone(text: str) -> dict[str, object]:
    return {
        "coding": [{"system": RXNORM, "code": NALTREXONE_RXCUI, "display": "naltrexone"}],
        "text": text,
    }


def _medication(
    key: str, text: str, form: Mapping[str, object], ingredients: list[object]
) -> dict[str, object]:
    return {
        "resourceType": "Medication",
        "id": key,
        "code": _naltrexone(text),
        "form": form,
        "ingredient": ingredients,
    }


def _capsule(strength: Decimal) -> dict[str, object]:
    """One capsule product: naltrexone ``strength`` mg in each capsule."""
    return _medication(
        f"{MEDICATION_ID}-{strength}mg",
        f"naltrexone {format_mg(strength)} oral capsule",
        CAPSULE_FORM,
        [
            {
                "itemCodeableConcept": _naltrexone("naltrexone"),
                "isActive": True,
                "strength": {"numerator": _ucum(strength, "mg"), "denominator": _per_capsule(1)},
            }
        ],
    )


def contained(schedule: Schedule) -> list[dict[str, object]]:
    """The Medications the request refers to: the product with its strength in structure.

    A liquid states mg per mL, a Ratio in UCUM units, so that a receiver turns the mL of each
    dose into mg. One capsule strength is one product, mg per capsule. Several strengths are
    one Medication per strength, and a pack that holds each (``ingredient.itemReference``)
    with its count of capsules: a MedicationRequest names one medicine and one dispensed
    quantity, so a count of each strength in structure is the pack's, and the request stays
    the one order an EHR files, with its Dosages whole.
    https://hl7.org/fhir/R4/medication-definitions.html#Medication.ingredient.item_x_
    """
    form = schedule.request.formulation
    text = medicine_text(schedule)
    if isinstance(form, Liquid):
        strength = {
            "numerator": _ucum(form.concentration_mg_per_ml, "mg"),
            "denominator": _ucum(Decimal(1), "mL"),
        }
        ingredient = {
            "itemCodeableConcept": _naltrexone("naltrexone"),
            "isActive": True,
            "strength": strength,
        }
        return [_medication(MEDICATION_ID, text, LIQUID_FORM, [ingredient])]
    if not isinstance(form, Capsules):
        return []
    if len(form.strengths_mg) == 1:
        product = _capsule(form.strengths_mg[0])
        return [{**product, "id": MEDICATION_ID, "code": _naltrexone(text)}]
    products = [_capsule(s) for s in form.strengths_mg]
    dispense = schedule.dispense
    counts = dict(dispense.grand_total.capsules) if dispense is not None else {}
    parts: list[object] = []
    for given, product in zip(form.strengths_mg, products, strict=True):
        part: dict[str, object] = {"itemReference": {"reference": f"#{product['id']}"}}
        if dispense is not None:
            # How many capsules of this strength the pack holds, none said as 0.
            count = counts.get(given, 0)
            part["strength"] = {
                "numerator": _per_capsule(count),
                "denominator": {
                    "value": Decimal(1),
                    "unit": "pack",
                    "system": DRUG_FORM,
                    "code": "KIT",
                },
            }
        parts.append(part)
    return [*products, _medication(MEDICATION_ID, text, KIT_FORM, parts)]


def _dispensed(quantity: Quantity, *, pack: bool) -> dict[str, object]:
    if quantity.volume_ml is not None:
        return _ucum(quantity.volume_ml, "mL")
    if pack:
        # Several strengths are never one summed count: one pack, each count in the pack.
        return {"value": Decimal(1), "unit": "pack", "system": DRUG_FORM, "code": "KIT"}
    return _per_capsule(sum(n for _, n in quantity.capsules))


def to_data(
    schedule: Schedule, intent: str = DEFAULT_INTENT, options: WriteOptions = DEFAULT_OPTIONS
) -> dict[str, object]:
    """The MedicationRequest as plain data, doses as Decimal: nothing random, no clock."""
    time = schedule.request.time
    medications = contained(schedule)
    subject: dict[str, object] = {"display": schedule.request.label or "patient"}
    if options.patient_id is not None:
        subject = {"reference": f"Patient/{options.patient_id}", **subject}
    data: dict[str, object] = {"resourceType": "MedicationRequest"}
    if medications:
        data["contained"] = medications
    data |= {"status": STATUS, "intent": intent}
    if medications:
        data["medicationReference"] = {
            "reference": f"#{MEDICATION_ID}",
            "display": medicine_text(schedule),
        }
    else:
        data["medicationCodeableConcept"] = _naltrexone(medicine_text(schedule))
    data["subject"] = subject
    if options.prescriber_id is not None:
        data["requester"] = {"reference": requester_reference(options.prescriber_id)}
    data["dosageInstruction"] = [
        _dosage(step, administration)
        for step in schedule.steps
        for administration in step.doses_of_day(time)
    ]
    form = schedule.request.formulation
    if isinstance(form, Liquid):
        # The syringe the volumes are measured on, so that a reader checks them on its marks.
        syringe = format_ml(form.graduation_ml)
        data["note"] = [{"text": f"Measure each dose on an oral syringe marked every {syringe}."}]
    dispense = schedule.dispense
    if dispense is not None:
        pack = isinstance(form, Capsules) and len(form.strengths_mg) > 1
        data["dispenseRequest"] = {
            "quantity": _dispensed(dispense.grand_total, pack=pack),
            "expectedSupplyDuration": _ucum(Decimal(dispense.days_supply), "d"),
        }
        if pack:
            # The pack's counts, in words too, for a reader that shows only the notes.
            counts = " + ".join(f"{n} × {format_mg(s)}" for s, n in dispense.grand_total.capsules)
            data["note"] = [{"text": f"Dispense capsules: {counts}."}]
    return data


def requester_reference(prescriber_id: str) -> str:
    """``Practitioner/<id>``; a reference that names its type (``PractitionerRole/7``) as given."""
    return prescriber_id if "/" in prescriber_id else f"Practitioner/{prescriber_id}"


def write(schedule: Schedule, options: WriteOptions = DEFAULT_OPTIONS) -> str:
    """The schedule as a FHIR R4 MedicationRequest in indented JSON, validated by its model."""
    from fhir.resources.R4B.medicationrequest import (  # noqa: PLC0415 - heavy, first use only
        MedicationRequest,
    )

    intent = options.intent or DEFAULT_INTENT
    resource = MedicationRequest.model_validate(to_data(schedule, intent, options))
    return resource.model_dump_json(indent=2, exclude_none=True) + "\n"


dumps: Final = write

__all__ = ["dumps", "loads", "write"]
