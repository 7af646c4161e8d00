"""A FHIR Bundle (or one MedicationRequest) as the reader sees it, resource by resource.

It gives the plan's request, its medicine, the patient's other medicines and every
resource not read.

The low-dose naltrexone request is the plan wherever it stands in the Bundle; every other
MedicationRequest and MedicationStatement is a medicine list, with ``medicationReference``
followed to a contained Medication or a Bundle entry (by ``fullUrl`` or ``Medication/id``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Final

from ldn_titrate.errors import PlanFormatError, shown
from ldn_titrate.received.fhir_lists import (
    contained_statements,
    contained_where,
    medication_list,
    unused_medication,
)
from ldn_titrate.received.fhir_parts import (
    BUNDLE_KNOWN,
    BUNDLE_NO_MEANING,
    ENTRY_KNOWN,
    MEDICATION_KNOWN,
    MEDICINE_RESOURCES,
)
from ldn_titrate.received.fhir_values import (
    TEXT_LIMIT,
    flattened,
    get,
    items,
    named_strengths,
    number,
    text_of,
)
from ldn_titrate.received.lines import stated_formulation
from ldn_titrate.received.model import Form, Formulation, Medicine, MedList, Unread
from ldn_titrate.received.unread import unread_keys, unread_of

# A Bundle with a plan holds a handful of resources; more than this is refused before any is read.
MAX_ENTRIES: Final = 200
# https://mor.nlm.nih.gov/RxNav/search?searchBy=RXCUI&searchTerm=7243
NALTREXONE_CODE: Final = "7243"
_RXNORM: Final = "http://www.nlm.nih.gov/research/umls/rxnorm"
_TAG: Final = re.compile(r"<[^<>]{0,2000}>")
_LOW_DOSE: Final = re.compile(r"low[-\s]?dose|\bldn\b", re.IGNORECASE)
_LOW_DOSE_MG: Final = Decimal(5)  # above the 4.5 mg LDN maximum: a plan at most this is LDN
# A denominator's unit, as a code or a unit, with UCUM's braces and a plural taken off
# (``{capsule}``, ``capsules``, ``CAP``, ``{tbl}``).
_UNITS: Final = {
    "tablet": "tablet",
    "tab": "tablet",
    "tbl": "tablet",
    "capsule": "capsule",
    "cap": "capsule",
    "ml": "mL",
}


def _unit_kind(denominator: object) -> str | None:
    """What a strength is per (a tablet, a capsule, a mL), from the code or else the unit."""
    for field in ("code", "unit"):
        word = str(get(denominator, field) or "").strip().lower().strip("{}")
        kind = _UNITS.get(word) or _UNITS.get(word.removesuffix("s"))
        if kind is not None:
            return kind
    return None


class Bundle:
    """The resources of a FHIR Bundle (or the one MedicationRequest given) and their places."""

    def __init__(self, data: Mapping[str, object], source: str) -> None:
        """Index the resources by ``fullUrl`` and ``Type/id``.

        Raises:
            PlanFormatError: more entries than a plan can have.
        """
        self.data = data
        self.is_bundle = data.get("resourceType") == "Bundle"
        entries = items(data.get("entry")) if self.is_bundle else []
        if len(entries) > MAX_ENTRIES:
            raise PlanFormatError(
                source,
                f"FHIR Bundle: {len(entries):,} entries, more than the {MAX_ENTRIES} a plan "
                "can have",
            )
        self.entries = entries
        self.resources: list[tuple[int, Mapping[str, object]]] = [
            (index, resource)
            for index, entry in enumerate(entries, start=1)
            if isinstance(resource := get(entry, "resource"), dict)
        ]
        if not self.is_bundle:
            self.resources = [(0, data)]
        self.index: dict[str, Mapping[str, object]] = {}
        for index, resource in self.resources:
            url = text_of(get(entries[index - 1], "fullUrl")) if index else ""
            if url:
                self.index[url] = resource
            if (kind := resource.get("resourceType")) and (key := resource.get("id")):
                self.index[f"{kind}/{key}"] = resource
        self.used: set[int] = set()
        self.concentration: Decimal | None = None
        self.capsule_strengths: tuple[Decimal, ...] = ()
        self.chosen: Mapping[str, object] | None = None
        self.stated: list[tuple[str, Formulation]] = []

    def plan_request(self) -> Mapping[str, object] | None:
        """The MedicationRequest that is the plan: the low-dose naltrexone one, else the first."""
        requests = [r for _, r in self.resources if r.get("resourceType") == "MedicationRequest"]
        if not requests:
            return None
        self.chosen = max(requests, key=self._plan_score)
        return self.chosen

    def _plan_score(self, resource: Mapping[str, object]) -> tuple[bool, bool, bool]:
        """Naltrexone first, then a request with steps, then one at a low dose."""
        names = " ".join(self.names_of(resource)).casefold()
        codes = {code for code, _ in self._codes(resource)}
        naltrexone = "naltrexone" in names or f"{_RXNORM}|{NALTREXONE_CODE}" in codes
        dosages = items(resource.get("dosageInstruction"))
        stepped = any(isinstance(get(d, "sequence"), int) for d in dosages[:MAX_ENTRIES])
        values = [number(get(d, "doseAndRate", 0, "doseQuantity", "value")) for d in dosages[:50]]
        low = bool(_LOW_DOSE.search(names)) or bool(
            values and all(v is not None and v <= _LOW_DOSE_MG for v in values)
        )
        return naltrexone and not _methyl(names), stepped, low

    def medication_of(
        self, resource: Mapping[str, object]
    ) -> tuple[object, Mapping[str, object] | None]:
        """A resource's medicationCodeableConcept and the Medication its reference names."""
        reference = text_of(get(resource, "medicationReference", "reference"))
        medication: Mapping[str, object] | None = None
        if reference.startswith("#"):
            medication = next(
                (
                    c
                    for c in items(resource.get("contained"))
                    if isinstance(c, dict) and c.get("id") == reference[1:]
                ),
                None,
            )
        elif reference:
            found = self.index.get(reference) or next(
                (r for k, r in self.index.items() if k.endswith(f"/{reference}")), None
            )
            medication = found if isinstance(found, dict) else None
        if medication is not None:
            self.used.add(id(medication))
        return resource.get("medicationCodeableConcept"), medication

    def _products(
        self, resource: Mapping[str, object], medication: object
    ) -> Iterator[Mapping[str, object]]:
        """The contained Medications a pack holds (``ingredient.itemReference``), marked read."""
        for ingredient in items(get(medication, "ingredient")):
            reference = text_of(get(ingredient, "itemReference", "reference"))
            if not reference.startswith("#"):
                continue
            for product in items(resource.get("contained")):
                if (
                    isinstance(product, dict)
                    and product is not medication
                    and product.get("id") == reference[1:]
                ):
                    self.used.add(id(product))
                    yield product

    def _codes(self, resource: Mapping[str, object]) -> list[tuple[str, str]]:
        concept, medication = self.medication_of(resource)
        return [
            (f"{text_of(get(c, 'system'))}|{text_of(get(c, 'code'))}", text_of(get(c, "display")))
            for part in (concept, get(medication, "code"))
            for c in items(get(part, "coding"))
            if text_of(get(c, "code"))
        ]

    def names_of(self, resource: Mapping[str, object]) -> list[str]:
        """A resource's medicine as written: texts and displays of its concept and Medication."""
        concept, medication = self.medication_of(resource)
        names = [
            text_of(get(resource, "medicationReference", "display")),
            *(
                name
                for part in (concept, get(medication, "code"))
                for name in (
                    text_of(get(part, "text")),
                    *(text_of(get(c, "display")) for c in items(get(part, "coding"))),
                )
            ),
            text_of(get(medication, "form", "text")),
        ]
        return list(dict.fromkeys(name for name in names if name))

    def medicine_of(self, resource: Mapping[str, object]) -> Medicine:
        """The plan's medicine: its codes, name and strengths; the plan's formulation from them."""
        _, medication = self.medication_of(resource)
        names = self.names_of(resource)
        structured = [
            strength
            for product in (medication, *self._products(resource, medication))
            for strength in _strengths(product)
        ]
        named = [strength for name in names for strength in named_strengths(name)]
        strengths = [*structured, *named]
        # The name's strength first, as the reader always took it; the ingredient's when the
        # name states none. Two different ones are the check's to judge.
        self.concentration = next((s for s, u in (*named, *structured) if u == "mL"), None)
        self.capsule_strengths = tuple(dict.fromkeys(s for s, u in strengths if u == "capsule"))
        # Each place that states a strength, for the check to compare.
        self.stated = [
            *(
                (f"the medication {shown(name)}", form)
                for name in names
                if (form := stated_formulation(name))
            ),
            *(("FHIR Medication.ingredient", form) for form in _ingredient_forms(structured)),
        ]
        where = "FHIR MedicationRequest." + (
            "medicationReference" if medication is not None else "medicationCodeableConcept"
        )
        return Medicine(
            where=where,
            codes=tuple(self._codes(resource)),
            text="; ".join(names),
            unit_strengths=tuple(dict.fromkeys(strengths)),
        )

    def narratives(self, resource: Mapping[str, object]) -> Iterator[tuple[int | None, str, str]]:
        """The narrative of the plan's request (text.div), its tags dropped, to be screened."""
        div = text_of(get(resource, "text", "div"))
        if div:
            words = " ".join(_TAG.sub(" ", div[:TEXT_LIMIT]).split())
            if words:
                yield None, "FHIR MedicationRequest.text", words

    def med_lists(self, chosen: Mapping[str, object]) -> tuple[MedList, ...]:
        """The patient's other medicines: requests, statements and Medications not ordered.

        Every other MedicationRequest and MedicationStatement of a Bundle, and those contained
        in the order; then each
        Medication, contained in the order or an entry of the Bundle, that no request names:
        a medicine in the order's context all the same, read by its codes and names.
        """
        lists = []
        for index, resource in self.resources:
            kind = resource.get("resourceType")
            other = kind in MEDICINE_RESOURCES or kind == "MedicationDispense"
            if resource is chosen or not other or id(resource) in self.used:
                continue
            codes = tuple(dict.fromkeys(code for code, _ in self._codes(resource)))
            lists.append(
                MedList(
                    f"FHIR Bundle entry {index} {kind}", "; ".join(self.names_of(resource)), codes
                )
            )
        lists.extend(contained_statements(chosen, self.used, MEDICINE_RESOURCES))
        others = [
            (contained_where(contained), contained)
            for contained in items(chosen.get("contained"))
            if unused_medication(contained, self.used)
        ]
        others.extend(
            (f"FHIR Bundle entry {index} Medication", resource)
            for index, resource in self.resources
            if resource is not chosen and unused_medication(resource, self.used)
        )
        for where, medication in others:
            listed = medication_list(where, medication)
            # A Medication that names nothing stays a part not read.
            if listed.text or listed.codes:
                self.used.add(id(medication))
                lists.append(listed)
        return tuple(lists)

    def dispenses(self, chosen: Mapping[str, object]) -> list[tuple[str, Mapping[str, object]]]:
        """The Bundle's MedicationDispense entries of the order, each marked read.

        One is the order's when it names the order (``authorizingPrescription``) or
        naltrexone; another dispense is a medicine the patient has (``med_lists``).
        """
        found = []
        for index, resource in self.resources:
            if resource.get("resourceType") != "MedicationDispense":
                continue
            orders = [
                self.index.get(text_of(get(ref, "reference")))
                for ref in items(resource.get("authorizingPrescription"))
            ]
            names = " ".join(self.names_of(resource)).casefold()
            if any(order is chosen for order in orders) or "naltrexone" in names:
                self.used.add(id(resource))
                found.append((f"FHIR Bundle entry {index} MedicationDispense.quantity", resource))
        return found

    def unread(self, chosen: Mapping[str, object]) -> list[Unread]:
        """The resources and Bundle elements not read, and contained resources not referenced."""
        found: dict[str, list[str]] = {}
        for contained in items(chosen.get("contained")):
            if id(contained) not in self.used:
                kind = get(contained, "resourceType")
                found.setdefault(f"FHIR MedicationRequest.contained {kind}", []).append(
                    flattened(contained)
                )
            elif get(contained, "resourceType") == "Medication":
                unread_keys(contained, "FHIR Medication", MEDICATION_KNOWN, found)
        if self.is_bundle:
            unread_keys(self.data, "FHIR Bundle", BUNDLE_KNOWN, found)
            for entry in self.entries:
                self._entry(entry, chosen, found)
        return list(unread_of(found))

    def _entry(self, entry: object, chosen: object, found: dict[str, list[str]]) -> None:
        resource = get(entry, "resource")
        if not isinstance(resource, dict):
            found.setdefault("FHIR Bundle entry without a resource", []).append(flattened(entry))
            return
        unread_keys(entry, "FHIR Bundle.entry", ENTRY_KNOWN, found)
        kind = resource.get("resourceType")
        # A MedicationDispense is read: the order's as what was handed over, another as a list.
        read = kind in MEDICINE_RESOURCES or kind == "MedicationDispense"
        if resource is chosen or read or kind in BUNDLE_NO_MEANING:
            return
        if kind == "Medication" and id(resource) in self.used:
            unread_keys(resource, "FHIR Medication", MEDICATION_KNOWN, found)
            return
        found.setdefault(f"FHIR Bundle entry {kind}", []).append(flattened(resource))


def _methyl(names: str) -> bool:
    return "methylnaltrexone" in names


def _strengths(medication: object) -> Iterator[tuple[Decimal, str]]:
    """Each ingredient strength of a Medication in mg per tablet, capsule or mL."""
    form = " ".join(
        [
            text_of(get(medication, "form", "text")),
            *(text_of(get(c, "display")) for c in items(get(medication, "form", "coding"))),
        ]
    ).casefold()
    for ingredient in items(get(medication, "ingredient")):
        numerator = get(ingredient, "strength", "numerator")
        denominator = get(ingredient, "strength", "denominator")
        mg = number(get(numerator, "value"))
        unit = str(get(numerator, "code") or get(numerator, "unit") or "").lower()
        per = number(get(denominator, "value")) or Decimal(1)
        per_unit = str(get(denominator, "code") or get(denominator, "unit") or "").lower()
        if mg is None or unit != "mg" or per <= 0:
            continue
        kind = _unit_kind(denominator)
        if kind is None and per_unit in {"", "1", "{unit}"}:
            kind = "capsule" if "capsule" in form else "tablet" if "tablet" in form else None
        if kind is not None:
            yield mg / per, kind


def _ingredient_forms(strengths: list[tuple[Decimal, str]]) -> Iterator[Formulation]:
    """The formulations a Medication's ingredient strengths state: a liquid, capsules."""
    liquids = [s for s, unit in strengths if unit == "mL"]
    capsules = tuple(dict.fromkeys(s for s, unit in strengths if unit == "capsule"))
    if liquids:
        yield Formulation(Form.LIQUID, concentration_mg_per_ml=liquids[0])
    if capsules:
        yield Formulation(Form.CAPSULE, strengths_mg=capsules)
