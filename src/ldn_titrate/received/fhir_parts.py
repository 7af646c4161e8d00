"""The elements of each FHIR resource the reader reads, and those that carry no clinical meaning.

Every other element becomes a part not read (``not-read``), its text still screened. The
lists are explicit, and tested, so that a resource this tool writes (``formats.fhir_format``)
or an ordinary order from elsewhere stays quiet (https://hl7.org/fhir/R4/medicationrequest.html).
"""

from __future__ import annotations

from typing import Final

# MedicationRequest elements read by their meaning: the medicine, the Dosages, the label
# (subject.display), notes, contained Medications and the narrative (screened as text), and
# the medicine lists that the supporting information's references head in their displays.
REQUEST_READ: Final = frozenset(
    {
        "resourceType",
        "medicationCodeableConcept",
        "medicationReference",
        "dosageInstruction",
        "subject",
        "note",
        "contained",
        "text",
        "supportingInformation",
    }
)
# MedicationRequest elements with no bearing on what is taken, how much or how often: ids,
# bookkeeping, who asked and when, and what to dispense (this tool's own dispenseRequest: the
# quantity and the days it lasts, not the dose).
REQUEST_NO_MEANING: Final = frozenset(
    {
        "id",
        "meta",
        "implicitRules",
        "language",
        "identifier",
        "status",
        "statusReason",
        "intent",
        "category",
        "priority",
        "reportedBoolean",
        "reportedReference",
        "encounter",
        "authoredOn",
        "requester",
        "performer",
        "performerType",
        "recorder",
        "instantiatesCanonical",
        "instantiatesUri",
        "basedOn",
        "groupIdentifier",
        "courseOfTherapyType",
        "insurance",
        "dispenseRequest",
        "substitution",
        "priorPrescription",
        "detectedIssue",
        "eventHistory",
    }
)
REQUEST_KNOWN: Final = REQUEST_READ | REQUEST_NO_MEANING

# Dosage elements read by their meaning (the timing in fhir_timing), and its id.
DOSAGE_KNOWN: Final = frozenset(
    {
        "id",
        "sequence",
        "text",
        "timing",
        "asNeededBoolean",
        "asNeededCodeableConcept",
        "doseAndRate",
        "maxDosePerPeriod",
        "additionalInstruction",
        "patientInstruction",
        "route",
    }
)
DOSE_AND_RATE_KNOWN: Final = frozenset({"id", "type", "doseQuantity", "doseRange"})

# Medication elements read (its codes, form and ingredient strengths) or of no meaning.
MEDICATION_KNOWN: Final = frozenset(
    {
        "resourceType",
        "id",
        "meta",
        "implicitRules",
        "language",
        "text",
        "identifier",
        "status",
        "manufacturer",
        "batch",
        "code",
        "form",
        "ingredient",
    }
)

BUNDLE_KNOWN: Final = frozenset(
    {
        "resourceType",
        "id",
        "meta",
        "implicitRules",
        "language",
        "identifier",
        "type",
        "timestamp",
        "total",
        "link",
        "signature",
        "entry",
    }
)
ENTRY_KNOWN: Final = frozenset(
    {"id", "fullUrl", "resource", "request", "response", "search", "link"}
)
# Resources of a Bundle about people and places, not medicines: who the patient and the
# prescriber are, where they work, who pays.
BUNDLE_NO_MEANING: Final = frozenset(
    {
        "Patient",
        "Practitioner",
        "PractitionerRole",
        "Organization",
        "Location",
        "Coverage",
        "Provenance",
    }
)
# Resources of a Bundle read as the patient's medicines (besides the plan's own request).
MEDICINE_RESOURCES: Final = frozenset({"MedicationRequest", "MedicationStatement"})
