"""Second columns for a part of a step already read: kept beside the row, never in its place.

``Dose`` beside ``Dose (mg)``, two ``Instructions`` columns, or a repeated JSON key: each cell is
read as its part would be.
"""

from __future__ import annotations

from typing import Final

from ldn_titrate.received.cells import Reader, Row, read_number
from ldn_titrate.received.model import DoseUnit, Twin

# The fields whose second column is kept, and the part of a step each one gives: a dose in
# micrograms beside one in milligrams is a second dose column.
TWIN_PARTS: Final = {
    "dose_mg": "dose",
    "dose_mcg": "dose",
    "dose_g": "dose",
    "volume": "volume",
    "first_day": "first_day",
    "last_day": "last_day",
    "days": "days",
}
# Second columns of text that say what the patient takes: kept and compared too (a table's
# "Instructions" twice), so that a pharmacist's viewer showing either one shows the plan.
TEXT_TWIN_PARTS: Final = {"instructions": "instructions", "quantity": "quantity"}
_MCG_PER_MG: Final = 1000
_MG_PER_G: Final = 1000


def twin_reader(read: Reader, first_column: str) -> Reader:
    """A reader that keeps a cell as a twin of ``first_column`` instead of reading it in."""

    def read_twin(row: Row, field: str, text: str, column: str) -> None:
        scratch = Row()
        if field == "dose_g":
            _gram_cell(scratch, text)
        else:
            read(scratch, field, text, column)
        values = scratch.values
        part = TWIN_PARTS.get(field) or TEXT_TWIN_PARTS[field]
        value: object
        if part in TEXT_TWIN_PARTS:
            # The text is checked for wording as any other text of the row is.
            value = values.get(part) or None
            row.texts.extend(scratch.texts)
        elif part == "dose":
            value = values.get("dose")
            if value is not None and values.get("dose_unit") is DoseUnit.MCG:
                value = value / _MCG_PER_MG  # type: ignore[operator]
        elif part == "volume":
            value = values.get("volume_ml")
        else:
            value = values.get(part)
        twin = Twin(part, first_column, column, text, value)  # type: ignore[arg-type]
        kept = row.values.get("twins", ())
        assert isinstance(kept, tuple)  # noqa: S101 - only this reader writes "twins"
        row.values["twins"] = (*kept, twin)

    return read_twin


def _gram_cell(row: Row, text: str) -> None:
    """A dose in grams (``0.0015`` or ``0.0015 g``), kept in mg."""
    read = read_number(text)
    if not isinstance(read, str) and read[1] in {"", "g"}:
        row.values["dose"] = read[0] * _MG_PER_G
