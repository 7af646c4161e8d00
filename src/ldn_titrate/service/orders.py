"""The draft orders and prefetched medicines of a call: which order is low-dose naltrexone.

A MedicationRequest is a low-dose naltrexone order when its medicine names naltrexone
(methylnaltrexone is another medicine), the medicine screen finds no second naltrexone product
in that name (Vivitrol, Contrave, naltrexone 50 mg), and its doses are not all at the standard
dose of 50 mg or more without steps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Final

from ldn_titrate.check.findings import Code
from ldn_titrate.check.meds import Hit, screen
from ldn_titrate.limits import STANDARD_DOSE_MG
from ldn_titrate.service.hook_request import Resource

_NALTREXONE: Final = re.compile(r"(?<![a-z])naltrexone(?![a-z])")
_MEDICINES: Final = frozenset({"MedicationRequest", "MedicationStatement"})
_MG: Final = frozenset({"mg", "milligram", "milligrams"})


@dataclass(frozen=True, slots=True)
class Medicine:
    """One other medicine of the patient: its name as written, and where it was found."""

    name: str
    where: str


@dataclass(frozen=True, slots=True)
class LdnOrder:
    """A low-dose naltrexone order as drafted, and as the check reads it.

    An order that names its medicine by reference is read with the referenced name written
    into it, so that the reader finds the concentration; suggestions change the order as drafted.
    """

    drafted: Resource
    read: Resource


@dataclass(frozen=True, slots=True)
class Orders:
    """The low-dose naltrexone orders among the drafts, and the patient's other medicines.

    ``unnamed`` counts medicines whose name could not be read; ``other_naltrexone`` counts
    draft orders for naltrexone that is not low-dose (standard dose, an injection).
    """

    ldn: tuple[LdnOrder, ...]
    medicines: tuple[Medicine, ...]
    standard_dose: tuple[Medicine, ...]
    unnamed: int
    other_naltrexone: int = 0


def _get(value: object, *keys: str | int) -> object:
    for key in keys:
        if isinstance(key, int):
            value = value[key] if isinstance(value, list) and len(value) > key else None
        else:
            value = value.get(key) if isinstance(value, dict) else None
    return value


def _concept_name(concept: object) -> str:
    """A CodeableConcept's text, else the display of its first coding that has one."""
    text = _get(concept, "text")
    if isinstance(text, str) and text.strip():
        return text.strip()
    codings = _get(concept, "coding")
    for coding in codings if isinstance(codings, list) else ():
        display = _get(coding, "display")
        if isinstance(display, str) and display.strip():
            return display.strip()
    return ""


def medicine_name(resource: Resource, bundles: Sequence[Resource]) -> str:
    """A medicine resource's name: its concept, else the Medication it refers to (or "")."""
    name = _concept_name(resource.get("medicationCodeableConcept"))
    if name:
        return name
    reference = _get(resource, "medicationReference", "reference")
    if not isinstance(reference, str) or not reference:
        return ""
    contained = resource.get("contained")
    candidates = [*(contained if isinstance(contained, list) else ()), *_medications(bundles)]
    for medication in candidates:
        if _get(medication, "resourceType") != "Medication":
            continue
        ident = _get(medication, "id")
        if reference in {f"#{ident}", f"Medication/{ident}"}:
            return _concept_name(_get(medication, "code"))
    return ""


def _medications(bundles: Sequence[Resource]) -> Iterator[object]:
    for bundle in bundles:
        entries = bundle.get("entry")
        for entry in entries if isinstance(entries, list) else ():
            yield _get(entry, "resource")


def _mg_doses(resource: Resource) -> tuple[list[Decimal], bool]:
    """The doses in mg of a request's dosages, and whether any dosage has a sequence."""
    doses: list[Decimal] = []
    sequenced = False
    dosages = resource.get("dosageInstruction")
    for dosage in dosages if isinstance(dosages, list) else ():
        sequenced = sequenced or isinstance(_get(dosage, "sequence"), int)
        quantity = _get(dosage, "doseAndRate", 0, "doseQuantity")
        unit = _get(quantity, "code") or _get(quantity, "unit")
        value = _get(quantity, "value")
        if str(unit).strip().lower() in _MG and isinstance(value, int | Decimal):
            try:
                doses.append(Decimal(value))
            except InvalidOperation:
                continue
    return doses, sequenced


def is_standard_dose(resource: Resource) -> bool:
    """Whether a naltrexone order gives standard doses only (50 mg or more), without steps."""
    doses, sequenced = _mg_doses(resource)
    # Standard-dose naltrexone is 50 mg (limits.STANDARD_DOSE_MG, with its source).
    return bool(doses) and not sequenced and all(d >= STANDARD_DOSE_MG for d in doses)


def _draft_kind(resource: Resource, name: str) -> str:
    """What a named draft order is: ``ldn``, ``naltrexone``, ``standard`` or ``other``.

    ``naltrexone`` is another naltrexone product by its name, ``standard`` naltrexone given at
    standard doses only.
    """
    if _second_naltrexone(name):
        return "naltrexone"
    if not _NALTREXONE.search(name.casefold()):
        return "other"
    return "standard" if is_standard_dose(resource) else "ldn"


def sort_orders(
    draft_orders: Sequence[Resource],
    prefetched: Sequence[Resource] | None,
    bundles: Sequence[Resource],
) -> Orders:
    """The low-dose naltrexone drafts; every other medicine drafted or prefetched."""
    ldn: list[LdnOrder] = []
    medicines: list[Medicine] = []
    standard: list[Medicine] = []
    unnamed = other_naltrexone = 0
    for resource in draft_orders:
        if resource.get("resourceType") != "MedicationRequest":
            continue
        name = medicine_name(resource, bundles)
        kind = _draft_kind(resource, name) if name else ""
        other_naltrexone += kind in {"naltrexone", "standard"}
        if not name:
            unnamed += 1
        elif kind in {"naltrexone", "other"}:
            medicines.append(Medicine(name, "a draft order"))
        elif kind == "standard":
            standard.append(Medicine(name, "a draft order"))
        else:
            read = resource
            if "medicationCodeableConcept" not in resource:
                read = {**resource, "medicationCodeableConcept": {"text": name}}
            ldn.append(LdnOrder(resource, read))
    for resource in _medicines(prefetched or ()):
        name = medicine_name(resource, bundles)
        where = "the patient's medicines"
        if not name:
            unnamed += 1
        elif _NALTREXONE.search(name.casefold()) and is_standard_dose(resource):
            standard.append(Medicine(name, where))
        else:
            medicines.append(Medicine(name, where))
    return Orders(tuple(ldn), tuple(medicines), tuple(standard), unnamed, other_naltrexone)


def _medicines(resources: Sequence[Resource]) -> Iterator[Resource]:
    """The medicine resources of a prefetch, but those entered in error."""
    for resource in resources:
        if (
            resource.get("resourceType") in _MEDICINES
            and resource.get("status") != "entered-in-error"
        ):
            yield resource


@lru_cache(maxsize=4096)
def _screen(name: str) -> tuple[Hit, ...]:
    """The screen of one medicine's name: EHRs send the same names call after call."""
    return tuple(screen(name))


def _second_naltrexone(name: str) -> bool:
    return any(hit.code is Code.DUPLICATE_NALTREXONE for hit in _screen(name))


def medicine_hits(orders: Orders) -> list[tuple[Medicine, Hit]]:
    """Each opioid and second naltrexone product among the other medicines, once each."""
    found: list[tuple[Medicine, Hit]] = []
    seen: set[str] = set()
    for medicine in orders.medicines:
        for hit in _screen(medicine.name):
            if hit.message.casefold() not in seen:
                seen.add(hit.message.casefold())
                found.append((medicine, hit))
    return found
