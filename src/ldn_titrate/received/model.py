"""A plan as received from anywhere: every cell optional, each row with where it was found.

These values are only what the file says; nothing here is checked. Cells that could not be
read are kept as problems of their row, so that the check can name the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from ldn_titrate.doses import CapsuleCounts, Form

__all__ = ["CapsuleCounts", "Form"]


class DoseUnit(StrEnum):
    """The unit a dose cell was written in."""

    MG = "mg"
    MCG = "mcg"


class NoteKind(StrEnum):
    """Something said about how a file was read, for the check to report."""

    ENCODING_GUESSED = "encoding-guessed"
    DOUBLE_DECODED = "double-decoded"
    DATE_ORDER_UNKNOWN = "date-order-unknown"
    DATE_SERIALS = "date-serials"
    KEY_REPEATED = "key-repeated"
    KEY_REPEATED_SAME = "key-repeated-same"


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
class Formulation:
    """A liquid in mg/mL measured on a syringe marked every ``graduation_ml``, or capsules."""

    form: Form
    concentration_mg_per_ml: Decimal | None = None
    graduation_ml: Decimal | None = None
    strengths_mg: tuple[Decimal, ...] = ()
    max_units: int | None = None


class Twin(NamedTuple):
    """A second cell for a part of a step that an earlier column already gave.

    ``part`` is ``dose`` (in mg), ``volume``, ``first_day``, ``last_day``, ``days``,
    ``instructions`` or ``quantity``; ``value`` is the cell as read, or None when it is empty
    or cannot be read.
    """

    part: str
    first_column: str
    column: str
    text: str
    value: Decimal | date | int | str | None


class ReceivedRow(NamedTuple):
    """One step as written; ``line`` is the CSV line (None for JSON), ``position`` counts from 1.

    A named tuple rather than a frozen dataclass: just as immutable, and several times faster
    to build, which counts when thousands of plans are checked in one run.
    """

    position: int
    line: int | None
    number: int | None = None
    first_day: date | None = None
    last_day: date | None = None
    days: int | None = None
    dose: Decimal | None = None
    dose_unit: DoseUnit = DoseUnit.MG
    dose_text: str = ""
    dose_column: str = ""
    volume_ml: Decimal | None = None
    volume_text: str = ""
    capsules: CapsuleCounts | None = None
    concentration_mg_per_ml: Decimal | None = None
    concentration_cell: Decimal | None = None
    # Split doses as written: (time, "mg"/"ml"/"capsules", column, text), read by the check.
    split_cells: tuple[tuple[str, str, str, str], ...] = ()
    quantity: str = ""
    instructions: str = ""
    # How often the dose is taken, from a column of its own ("twice daily", "BID", "2").
    frequency: str = ""
    note: str = ""
    texts: tuple[tuple[str, str], ...] = ()
    problems: tuple[CellProblem, ...] = ()
    # Cells of a second column (or a repeated JSON key) for a part already read: kept, not read
    # into the step, so that the check can compare the two.
    twins: tuple[Twin, ...] = ()
    # How often each FHIR Dosage of the step says its dose is taken, from its structure.
    timings: tuple[DoseTiming, ...] = ()


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
    """A list of the patient's medicines found in a received file, read as ``--meds`` is.

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
class ReceivedFill:
    """One fill recorded in the plan: the days it covers, inclusive."""

    number: int
    first_day: date
    last_day: date


@dataclass(frozen=True, slots=True)
class ReceivedPlan:
    """The rows of one plan file and what it records about itself.

    ``columns`` names the parts of a step the file has a place for (``first_day``,
    ``volume``, ``capsules``...), so that an empty cell can be told from a missing column.
    """

    source: str
    rows: tuple[ReceivedRow, ...]
    columns: frozenset[str]
    label: str | None = None
    formulation: Formulation | None = None
    bud_days: int | None = None
    fills: tuple[ReceivedFill, ...] | None = None
    texts: tuple[tuple[int | None, str, str], ...] = ()
    problems: tuple[CellProblem, ...] = ()
    notes: tuple[ReadNote, ...] = ()
    # The patient's other medicines as the plan records them, and whether the prescriber
    # marked them reviewed (``plan --meds ... --meds-reviewed``).
    meds: str | None = None
    meds_reviewed: bool = False
    # Medicine lists found elsewhere in the file (a column, a sheet, a JSON key, FHIR
    # resources), and the parts of the file that were not read by their meaning.
    med_lists: tuple[MedList, ...] = ()
    unread: tuple[Unread, ...] = ()
    # The medicine a FHIR plan is for, from its codes and its Medication (None: not said).
    medicine: Medicine | None = None
    # Strengths the file states outside its rows (a title line, a notes column, a sheet's or
    # the file's name), each with where it was found: the check compares them.
    stated: tuple[tuple[str, Formulation], ...] = ()
