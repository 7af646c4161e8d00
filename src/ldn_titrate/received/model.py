"""A plan as received from anywhere: every cell optional, each row with where it was found.

These values are only what the file says; nothing here is checked. Cells that could not be
read are kept as problems of their row, so that the check can name the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from ldn_titrate.doses import CapsuleCounts, Form

if TYPE_CHECKING:
    from ldn_titrate.received.extras import (
        CellProblem,
        Dispensed,
        DoseTiming,
        Medicine,
        MedList,
        ReadNote,
        ReceivedFill,
        Unread,
    )

__all__ = [
    "CapsuleCounts",
    "CellProblem",
    "Dispensed",
    "DoseTiming",
    "Form",
    "MedList",
    "Medicine",
    "ReadNote",
    "ReceivedFill",
    "Unread",
]
# Defined in ``extras`` and loaded on first use: a plan without them never pays for them.
_EXTRAS = frozenset(
    {
        "CellProblem",
        "Dispensed",
        "DoseTiming",
        "MedList",
        "Medicine",
        "ReadNote",
        "ReceivedFill",
        "Unread",
    }
)


def __getattr__(name: str) -> object:
    """A class of ``extras``, imported the first time it is named."""
    if name not in _EXTRAS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from ldn_titrate.received import extras  # noqa: PLC0415 - loaded only when named

    return getattr(extras, name)


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
    # The smallest mark of the oral syringe, from a column of its own (``graduation_ml``).
    graduation_ml: Decimal | None = None
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
    # What the file says to dispense as a total over its days (a FHIR dispenseRequest, the
    # grand total of a JSON plan of this tool): the check sets each against the days.
    dispensed: tuple[Dispensed, ...] = ()
