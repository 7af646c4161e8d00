"""The cells of a received plan: header names as people write them, and one reader per cell.

A cell that cannot be read becomes a problem of its row rather than an exception, so that
the check can name the line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from ldn_titrate.doses import parse_number
from ldn_titrate.patterns import lazy_pattern
from ldn_titrate.received.capsule_columns import COUNT, STRENGTH, count_cell, strength_cell
from ldn_titrate.received.day_forms import DateOrder, read_day
from ldn_titrate.received.headers import FIELD_OF_HEADER, TABLE_FIELD_OF_HEADER, header_key
from ldn_titrate.received.model import CapsuleCounts, DoseUnit
from ldn_titrate.received.plan_form import formulation_of
from ldn_titrate.received.row import Reader, Row, freeze, read_number
from ldn_titrate.received.words import dose_in_words, duration_days, weeks_days

if TYPE_CHECKING:
    from ldn_titrate.received.extras import CellProblem

DOSE_FIELDS: Final = ("dose_mg", "dose_mcg")
_TEXT_FIELDS: Final = frozenset({"quantity", "instructions", "frequency", "note"})

_MG_UNITS: Final = frozenset({"mg", "mg/day", "mg/d"})
_MCG_UNITS: Final = frozenset({"mcg", "µg", "μg", "ug", "mcg/day", "mcg/d"})
_ML_UNITS: Final = frozenset({"ml", "cc"})
# Nine digits at most: a longer count is no step or day count, and int() of thousands of
# digits raises instead of refusing.
_WHOLE_CELL: Final = re.compile(r"(?:step\s*)?(?P<n>[0-9]{1,9})\s*(?:d|days?)?", re.IGNORECASE)


_capsule_term = lazy_pattern(
    r"\s*(?P<count>[0-9]{1,6})\s*[×xX*]\s*(?P<num>[0-9]{0,12}\.?[0-9]{1,12})\s*"
    r"(?:mg\s*)?(?:capsules?\s*)?"
)


# How ``plan`` names the syringe in a title line or a FHIR note: "marked every 0.05 mL".
_graduation = lazy_pattern(
    r"syringe\s+marked\s+every\s+(?P<num>[0-9]{1,6}(?:\.[0-9]{1,6})?)\s*ml\b", re.IGNORECASE
)


_CONCENTRATION: Final = re.compile(
    r"naltrexone\s+(?P<num>[0-9]+(?:\.[0-9]+)?)\s*mg\s*/\s*ml", re.IGNORECASE
)


def header_field(header: str) -> str | None:
    """The part of a step a table's header names (``Dose (mg)``, ``Dosis`` -> ``dose_mg``)."""
    return table_field_of(header)


@lru_cache(maxsize=512)
def field_of(header: str) -> str | None:
    """The part of a step a header or a JSON key names, read once per distinct header."""
    return FIELD_OF_HEADER.get(header_key(header))


@lru_cache(maxsize=512)
def table_field_of(header: str) -> str | None:
    """The part of a step a table's header names, in English or another language read."""
    return TABLE_FIELD_OF_HEADER.get(header_key(header))


def _dose_cell(row: Row, field: str, text: str, column: str) -> None:
    values = row.values
    values["dose_text"] = text
    values["dose_column"] = column
    if not text:
        return
    dose, volume = _dose_of(text, field, column)
    if volume is not None and "volume_ml" not in values:
        values["volume_ml"] = volume
    if isinstance(dose, tuple):
        values["dose"], values["dose_unit"] = dose
    else:
        row.problems.append(dose)


# Doses repeat from plan to plan under the same few headers: each is read once.
@lru_cache(maxsize=4096)
def _dose_of(
    text: str, field: str, column: str
) -> tuple[tuple[Decimal, DoseUnit] | CellProblem, Decimal | None]:
    """The dose and unit of a cell or why it cannot be read, and the volume its words give."""
    volume = None
    read = read_number(text)
    if read == "not a number" and (fraction := _fraction(text)) is not None:
        read = read_number(fraction)
    if read == "not a number":
        worded = dose_in_words(text)
        if isinstance(worded, str):
            read = worded
        elif worded is not None and not isinstance(read_number(worded[0]), str):
            read = read_number(worded[0])
            volume = worded[1]
    if isinstance(read, str):
        from ldn_titrate.received.extras import CellProblem  # noqa: PLC0415 - only for a plan that has one

        return CellProblem("dose", column, text, read), volume
    value, written = read
    unit = _cell_unit(written, DoseUnit.MCG if field == "dose_mcg" else DoseUnit.MG, column)
    if isinstance(unit, tuple):
        from ldn_titrate.received.extras import CellProblem  # noqa: PLC0415 - only for a plan that has one

        return CellProblem(unit[0], column, text, unit[1]), volume
    return (value, unit), volume


# A dose written with a fraction, as a hand-written chart does: "½ mg", "1½ mg", "1 1/2 mg".
_fraction_pattern = lazy_pattern(
    r"\s*(?:(?P<whole>[0-9]{1,2})\s*)?(?:(?P<vulgar>[½¼¾])|(?P<top>[1-3])\s*/\s*(?P<bottom>[24]))"
    r"\s*(?P<unit>[a-zµμ]*)\s*"
)
_VULGAR: Final = {"½": Decimal("0.5"), "¼": Decimal("0.25"), "¾": Decimal("0.75")}


def _fraction(text: str) -> str | None:
    """A dose written with a fraction as a decimal ("1½ mg" is "1.5 mg"), or None."""
    match = _fraction_pattern().fullmatch(text)
    if match is None:
        return None
    if match["vulgar"]:
        part = _VULGAR[match["vulgar"]]
    elif int(match["top"]) < int(match["bottom"]):
        part = Decimal(match["top"]) / Decimal(match["bottom"])
    else:
        return None
    value = Decimal(match["whole"] or 0) + part
    return f"{value.normalize():f} {match['unit']}".strip()


def _cell_unit(written: str, unit: DoseUnit, column: str) -> DoseUnit | tuple[str, str]:
    """The unit of a dose cell in this column, or the part refused and why."""
    said = DoseUnit.MCG if written in _MCG_UNITS else DoseUnit.MG if written in _MG_UNITS else None
    if said is not None and said is not unit and _names_unit(column, unit):
        # Which of the two the writer meant cannot be known: the cell is not read.
        return "dose_unit", f"the cell is in {said}, but the column is in {unit}"
    if said is None and written:
        return "dose", "the unit must be mg or mcg"
    return said or unit


@lru_cache(maxsize=256)
def _names_unit(column: str, unit: DoseUnit) -> bool:
    """Whether a dose header names its unit (``Dose (mg)`` does, ``Dose`` does not)."""
    words = header_key(column).split()
    return unit is DoseUnit.MCG or "mg" in words


def _measured(row: Row, field: str, text: str, column: str) -> tuple[Decimal, str] | None:
    """The number and unit of a cell that is not empty; one that is no number is refused."""
    if not text:
        return None
    read = read_number(text)
    if isinstance(read, str):
        row.refuse(field, column, text, read)
        return None
    return read


def _volume_cell(row: Row, _field: str, text: str, column: str) -> None:
    row.values["volume_text"] = text
    if (read := _measured(row, "volume", text, column)) is None:
        return
    value, written = read
    if written and written not in _ML_UNITS:
        row.refuse("volume", column, text, "the unit must be mL")
    else:
        row.values["volume_ml"] = value


def _concentration_cell(row: Row, field: str, text: str, column: str) -> None:
    if (read := _measured(row, field, text, column)) is None:
        return
    value, written = read
    if written in _MG_UNITS:
        # A capsule strength in mg, not a liquid's concentration: kept as text.
        row.texts.append((column, text))
    elif written and written not in {"mg/ml", "mg/cc"}:
        row.refuse(field, column, text, "write a concentration in mg/mL")
    elif value <= 0:
        row.refuse(field, column, text, "a concentration is more than 0 mg/mL")
    else:
        row.values["concentration_cell"] = value


def _graduation_cell(row: Row, field: str, text: str, column: str) -> None:
    if (read := _measured(row, field, text, column)) is None:
        return
    if read[1] not in {"", "ml"}:
        row.refuse(field, column, text, "the unit must be mL")
    elif read[0] <= 0:
        row.refuse(field, column, text, "a syringe mark is more than 0 mL")
    else:
        row.values["graduation_ml"] = read[0]


def _split_cell(row: Row, field: str, text: str, column: str) -> None:
    """A morning or bedtime cell, kept as written: the check reads and judges it."""
    if text:
        time, kind = field.split("_", 1)
        split = row.values.get("split_cells", ())
        row.values["split_cells"] = (*split, (time, kind, column, text))  # type: ignore[misc]


def _whole_cell(row: Row, field: str, text: str, column: str) -> None:
    if not text:
        return
    value = _whole_value(text, field)
    if value is None:
        row.refuse(field, column, text, "not a whole number")
        return
    if field == "days" and value < 1:
        row.refuse(field, column, text, "a step lasts at least 1 day")
        return
    row.values["number" if field == "step" else field] = value


@lru_cache(maxsize=1024)
def _whole_value(text: str, field: str) -> int | None:
    """A step number or days as written (``7``, ``step 2``, ``2 weeks``), read once per text."""
    match = _WHOLE_CELL.fullmatch(text)
    value = None if match is None else int(match["n"])
    if value is None and field == "days":
        value = duration_days(text)
    return value


# A last day written as a word that says the step has none: it goes on ("ongoing", "laufend").
_NO_LAST_DAY: Final = frozenset(
    {
        "ongoing", "continuing", "continue", "open", "open ended", "onwards", "indefinitely",
        "until further notice", "laufend", "fortlaufend", "dauerhaft", "bis auf weiteres",
        "en cours", "continu", "en curso", "continuo", "in corso", "doorlopend", "em curso",
        "pagaende", "lobende", "lopende",
    }
)  # fmt: skip


def _no_last_day(text: str) -> bool:
    """Whether a last day's cell says the step goes on: such a word, or a dash alone."""
    return not text.strip("-–— ") or header_key(text) in _NO_LAST_DAY


def day_reader(order: DateOrder | None) -> Reader:
    """How a day cell is read when the day-first or month-first order is ``order``."""

    def read(row: Row, field: str, text: str, column: str) -> None:
        if not text or (field == "last_day" and _no_last_day(text)):
            return
        day = read_day(text, order)
        if isinstance(day, str):
            row.refuse(field, column, text, day)
        else:
            row.values[field] = day

    return read


def _weeks_cell(row: Row, _field: str, text: str, column: str) -> None:
    if not text:
        return
    days = weeks_days(text)
    if days is None:
        # Held from this week on: the step is ongoing.
        return
    if isinstance(days, str):
        row.refuse("weeks", column, text, days)
    elif "days" not in row.values:
        row.values["days"] = days


@lru_cache(maxsize=1024)
def parse_capsules(text: str) -> CapsuleCounts | None:
    """``2 × 1.5 mg + 1 × 0.5 mg`` as (strength in mg, count) pairs, or None if unreadable."""
    pairs: list[tuple[Decimal, int]] = []
    for part in text.split("+"):
        match = _capsule_term().fullmatch(part)
        if match is None:
            return None
        read = read_number(match["num"])
        if isinstance(read, str):
            return None
        pairs.append((read[0], int(match["count"])))
    return tuple(pairs)


def _capsules_cell(row: Row, _field: str, text: str, column: str) -> None:
    if not text:
        return
    counts = parse_capsules(text)
    if counts is not None:
        row.values["capsules"] = counts
    elif text.strip().isdigit():
        # A bare count: the strength is in a column of its own.
        count_cell(row, COUNT, text, column)
    else:
        row.refuse("capsules", column, text, "write capsules as 2 × 1.5 mg + 1 × 0.5 mg")


def _text_cell(row: Row, field: str, text: str, column: str) -> None:
    if not text:
        return
    row.texts.append((column, text))
    if field in _TEXT_FIELDS:
        row.values[field] = text
    if field == "instructions":
        concentration = _named_concentration(text)
        if concentration is not None:
            row.values["concentration_mg_per_ml"] = concentration


def named_graduation(text: str) -> Decimal | None:
    """The syringe mark in mL that a text names (``syringe marked every 0.05 mL``), if any."""
    match = _graduation().search(text)
    return None if match is None else parse_number(match["num"], "graduation")


@lru_cache(maxsize=4096)
def _named_concentration(instructions: str) -> Decimal | None:
    """The concentration in mg/mL that instructions name (``naltrexone 1 mg/mL``), if any."""
    match = _CONCENTRATION.search(instructions)
    return None if match is None else parse_number(match["num"], "concentration")


_READ_CELL: Final[Mapping[str, Reader]] = {
    "dose_mg": _dose_cell,
    "dose_mcg": _dose_cell,
    "first_day": day_reader(None),
    "last_day": day_reader(None),
    "weeks": _weeks_cell,
    "step": _whole_cell,
    "days": _whole_cell,
    "volume": _volume_cell,
    "capsules": _capsules_cell,
    COUNT: count_cell,
    STRENGTH: strength_cell,
    "concentration": _concentration_cell,
    "graduation": _graduation_cell,
    **dict.fromkeys(
        (f"{t}_{k}" for t in ("morning", "bedtime") for k in ("mg", "ml", "capsules")), _split_cell
    ),
}


def reader_for(field: str) -> Reader:
    """How a cell of this part of a step is read."""
    return _READ_CELL.get(field, _text_cell)


# The row, its number reader and the formulation a plan shows moved out; their names stay here.
__all__ = [
    "DOSE_FIELDS",
    "Reader",
    "Row",
    "day_reader",
    "field_of",
    "formulation_of",
    "freeze",
    "header_field",
    "named_graduation",
    "parse_capsules",
    "read_number",
    "reader_for",
    "table_field_of",
]
