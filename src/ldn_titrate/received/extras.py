"""What a plan file holds besides its steps, and most plans never have.

Notes on how it was read, cells that could not be read, fills, parts not read, medicine
lists, and the timings and medicine of a FHIR plan: defined apart from ``model`` (which
names them all), so that a check of a plan without them never pays for their classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date
    from decimal import Decimal
    from fractions import Fraction

    from ldn_titrate.received.model import NoteKind


@dataclass(frozen=True, slots=True)
class ReadNote:
    """How a file was read, where it matters to the pharmacist: a kind, a message, a line."""

    kind: NoteKind
    message: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class CellProblem:
    """A cell that could not be read: the part of the row, the column as written, why."""

    field: str
    column: str
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReceivedFill:
    """One fill recorded in the plan: the days it covers, inclusive."""

    number: int
    first_day: date
    last_day: date


@dataclass(frozen=True, slots=True)
class Dispensed:
    """A quantity the plan says to dispense, to last a number of days from its first day.

    The days are days of dosing from the plan's first day, or a fill's calendar days.

    ``amount`` is in ``unit``: ``mL``, or ``capsules`` (a count of every strength together);
    ``said`` is the quantity as the file writes it and ``where`` its place in the file.
    """

    where: str
    said: str
    amount: Decimal
    unit: str
    days: int
    # A fill's own first day: its days are then the calendar days from it, a pause included.
    first_day: date | None = None
    # A step's own quantity, by the step's number: its days are then that step's.
    step: int | None = None


@dataclass(frozen=True, slots=True)
class Unread:
    """A part of a received file that was not read by its meaning, for the check to report.

    ``where`` names it as the pharmacist would find it (``sheet "Meds" (hidden, 3 rows)``,
    ``JSON key "schedule_notes"``, ``FHIR Dosage.timing.repeat.dayOfWeek``); ``text`` is what it
    holds, so that the text screens still pass over it; ``line`` is its line when it has one.
    """

    where: str
    text: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True)
class MedList:
    """A list of the patient's medicines found in a received file, read as the ``meds`` setting is.

    ``where`` names its place (``column "Current medications"``, ``JSON key "medications"``,
    ``FHIR MedicationStatement``); ``text`` is the names as written; ``codes`` are coded
    medicines as ``system|code`` pairs (RxNorm ``http://www.nlm.nih.gov/research/umls/rxnorm``);
    ``reviewed`` is whether the prescriber marked the list reviewed.
    """

    where: str
    text: str
    codes: tuple[str, ...] = ()
    reviewed: bool = False
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Medicine:
    """The medicine a structured plan is for, as its codes and structure give it.

    ``where`` names its place (``FHIR MedicationRequest.medicationCodeableConcept``);
    ``codes`` are ``system|code`` pairs with each coding's display; ``text`` its name as
    written; ``unit_strengths`` the strength of one tablet or capsule in mg with its form
    (``(50, "tablet")``), from a Medication's ingredient strength.
    """

    where: str
    codes: tuple[tuple[str, str], ...] = ()
    text: str = ""
    unit_strengths: tuple[tuple[Decimal, str], ...] = ()


@dataclass(frozen=True, slots=True)
class DoseTiming:
    """How often one FHIR Dosage gives its dose, as its timing structure says.

    ``where`` names the Dosage; ``per_day`` is doses a day (1/7 for weekly), None when the
    structure gives no rate; ``said`` is that structure in words (``timing.code BID``);
    ``text`` is the Dosage's own text; ``bound_days`` the days its boundsPeriod or
    boundsDuration covers; ``count`` its number of doses in all; ``as_needed`` whether it is
    taken as needed; ``max_mg_per_day`` its maxDosePerPeriod in mg a day.
    """

    where: str
    per_day: Fraction | None
    said: str
    text: str = ""
    bound_days: int | None = None
    count: int | None = None
    as_needed: bool = False
    max_mg_per_day: Decimal | None = None
