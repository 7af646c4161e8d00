"""Medicines a FHIR order holds besides the one it is for, read as the patient's medicine lists.

A Medication no request names (contained in the order, or an entry of a Bundle), an extension
of the order that names a medicine list by its url (``.../concurrent-medication``), and the
notes of the Bundle's other requests and statements.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ldn_titrate.errors import shown
from ldn_titrate.received.fhir_values import flattened, get, items, text_of
from ldn_titrate.received.json_keys import med_list_key
from ldn_titrate.received.listed import lists_of
from ldn_titrate.received.model import MedList


def unused_medication(resource: object, used: set[int]) -> bool:
    """Whether a resource is a Medication that no request of the file names."""
    return get(resource, "resourceType") == "Medication" and id(resource) not in used


def contained_where(medication: object) -> str:
    """A contained Medication by its id: ``FHIR MedicationRequest.contained Medication "rev"``."""
    key = text_of(get(medication, "id"))
    return "FHIR MedicationRequest.contained Medication" + (f" {shown(key)}" if key else "")


def medication_list(where: str, medication: object) -> MedList:
    """A Medication no request names, as a medicine list: its codes and its names as written.

    The codes and names of its ingredients count too, so that a compounded product coded
    only as a whole is still read by what it holds.
    """
    concepts = [
        get(medication, "code"),
        *(get(i, "itemCodeableConcept") for i in items(get(medication, "ingredient"))),
    ]
    codings = [c for concept in concepts for c in items(get(concept, "coding"))]
    names = [
        *(text_of(get(concept, "text")) for concept in concepts),
        *(text_of(get(c, "display")) for c in codings),
    ]
    codes = (
        f"{text_of(get(c, 'system'))}|{text_of(get(c, 'code'))}"
        for c in codings
        if text_of(get(c, "code"))
    )
    return MedList(
        where, "; ".join(dict.fromkeys(n for n in names if n)), tuple(dict.fromkeys(codes))
    )


# Extensions nest a few levels (an extension of extensions); codings are looked for this deep.
_MAX_NODES = 200


def _codes(value: object) -> tuple[str, ...]:
    """The ``system|code`` pairs of every coding a value holds, at any depth (bounded)."""
    codes: list[str] = []
    stack, seen = [value], 0
    while stack and seen < _MAX_NODES:
        item = stack.pop()
        seen += 1
        if isinstance(item, dict):
            codes.extend(
                f"{text_of(get(c, 'system'))}|{text_of(get(c, 'code'))}"
                for c in items(item.get("coding"))
                if text_of(get(c, "code"))
            )
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return tuple(dict.fromkeys(codes))


def extension_lists(resource: Mapping[str, object]) -> tuple[list[MedList], list[object]]:
    """The extensions of a resource that name a medicine list by their url, as medicine lists.

    ``http://example.org/fhir/StructureDefinition/concurrent-medication`` names one by its last
    part, as a JSON key would; the other extensions are returned as they are, not read.
    """
    lists: list[MedList] = []
    others: list[object] = []
    for extension in items(resource.get("extension")):
        name = text_of(get(extension, "url")).rstrip("/").rsplit("/", 1)[-1]
        if not isinstance(extension, dict) or not med_list_key(name):
            others.append(extension)
            continue
        value = {k: v for k, v in extension.items() if k != "url"}
        lists.append(
            MedList(
                f"FHIR MedicationRequest.extension {shown(name)}", flattened(value), _codes(value)
            )
        )
    return lists, others


def reference_lists(resource: Mapping[str, object]) -> Iterator[MedList]:
    """The medicine lists the order's supporting information heads in its references' displays.

    Only a list is read: the rest of a display speaks of another record, not of this plan's
    doses, so it is not screened as the plan's text ("sertraline twice daily").
    """
    for reference in items(resource.get("supportingInformation")):
        text = text_of(get(reference, "display"))
        # Named so that a list's naltrexone is judged as ``meds`` judges it, not as a second
        # order (check.structured reads lists named "FHIR ..." as resources).
        yield from lists_of("supportingInformation of the FHIR MedicationRequest", text)


def other_note_lists(
    resources: list[tuple[int, Mapping[str, object]]], chosen: object, kinds: frozenset[str]
) -> Iterator[MedList]:
    """The medicine lists headed in the notes of the Bundle's other requests and statements.

    As with supporting information, the rest of such a note is about another medicine.
    """
    for index, resource in resources:
        kind = resource.get("resourceType")
        if resource is chosen or kind not in kinds:
            continue
        for note in items(resource.get("note")):
            yield from lists_of(
                f"note of FHIR Bundle entry {index} {kind}", text_of(get(note, "text"))
            )


def contained_statements(
    chosen: Mapping[str, object], used: set[int], kinds: frozenset[str]
) -> Iterator[MedList]:
    """The statements and other requests contained in the order, as medicine lists.

    Each names its medicine by a concept or by a reference to a Medication contained beside
    it (``#id``), which is then read as its and marked used, with the statement itself.
    """
    contained = [c for c in items(chosen.get("contained")) if isinstance(c, dict)]
    for resource in contained:
        kind = resource.get("resourceType")
        if kind not in kinds:
            continue
        reference = text_of(get(resource, "medicationReference", "reference"))
        medication = next(
            (
                c
                for c in contained
                if reference.startswith("#")
                and c.get("resourceType") == "Medication"
                and c.get("id") == reference[1:]
            ),
            None,
        )
        key = text_of(resource.get("id"))
        where = f"FHIR MedicationRequest.contained {kind}" + (f" {shown(key)}" if key else "")
        parts = [
            medication_list(where, {"code": resource.get("medicationCodeableConcept")}),
            medication_list(where, medication or {}),
        ]
        display = text_of(get(resource, "medicationReference", "display"))
        names = [display, *(part.text for part in parts)]
        listed = MedList(
            where,
            "; ".join(n for n in names if n),
            tuple(dict.fromkeys(code for part in parts for code in part.codes)),
        )
        # One that names nothing stays a part not read.
        if listed.text or listed.codes:
            used.update({id(resource), id(medication)} if medication else {id(resource)})
            yield listed
