"""The columns of a table no step field takes: medicine lists, columns not read, named columns.

A table's columns are each read by their meaning or accounted for: a column headed like a
list of the patient's medicines is that list; a column of row numbers or of who the plan is
for has no clinical meaning; any other column is kept as not read, with its cells' text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from ldn_titrate.patterns import lazy_pattern
from ldn_titrate.received.cells import Reader, Row, read_number
from ldn_titrate.received.headers import NO_CLINICAL_MEANING, header_key, med_list_heading
from ldn_titrate.received.lines import stated_formulation
from ldn_titrate.received.model import Formulation

if TYPE_CHECKING:
    from ldn_titrate.received.extras import MedList, Unread

# Header names given for a vendor's columns (``check --column dose_mg=Gabe``): each header as
# compared, and the part of a step it gives.
ColumnNames = tuple[tuple[str, str], ...]
# This tool's CSV column names, which ``--column`` and ``[check.columns]`` take as FIELD.
CSV_FIELDS: Final = (
    "step", "start_date", "end_date", "days", "dose_mg", "morning_mg", "bedtime_mg",
    "volume_ml", "morning_ml", "bedtime_ml", "capsules", "morning_capsules",
    "bedtime_capsules", "quantity", "instructions", "label", "note",
)  # fmt: skip
# The field of a column of capsules counted out for one strength (this tool's workbook writes
# "Quantity (1.5 mg capsules)"), then the strength.
CAPSULE_QUANTITY: Final = "quantity_capsules:"
_CAPSULE_QUANTITY_HEADER: Final = re.compile(
    r"quantity\s*\(\s*(?P<num>[0-9]{1,3}(?:\.[0-9]{1,3})?)\s*mg\s+capsules\s*\)", re.IGNORECASE
)
Column = tuple[int, str, str]
# The field of a second column for a part already given: "twin:" and the part's field.
TWIN: Final = "twin:"


def named_field(header: str, names: ColumnNames) -> str | None:
    """The field a header was named as, or the capsule quantity field its words give."""
    key = header_key(header)
    for named, field in names:
        if named == key:
            return field
    match = _CAPSULE_QUANTITY_HEADER.fullmatch(header)
    return None if match is None else CAPSULE_QUANTITY + match["num"]


def capsule_quantity_reader(strength: str) -> Reader:
    """A cell counting capsules of one strength, added to the step's quantity as ``7 x 0.5 mg``."""

    def read(row: Row, _field: str, text: str, column: str) -> None:
        if not text:
            return
        count = read_number(text)
        if isinstance(count, str) or count[1] or count[0] != count[0].to_integral():
            row.refuse("quantity", column, text, "not a whole number of capsules")
            return
        if count[0]:
            said = row.values.get("quantity")
            term = f"{count[0]:f} x {strength} mg"
            row.values["quantity"] = f"{said} + {term}" if said else term

    return read


def ml_quantity_reader(read: Reader) -> Reader:
    """A quantity cell under a header in mL (``Quantity (mL)``): a bare number is in mL."""

    def read_ml(row: Row, field: str, text: str, column: str) -> None:
        number = read_number(text) if text else None
        read(
            row,
            field,
            f"{text} mL" if isinstance(number, tuple) and not number[1] else text,
            column,
        )

    return read_ml


# A quantity header counted in bottles of a size: "Qty (30 mL bottles)", "Menge (Flaschen à 50 ml)".
_bottles = lazy_pattern(
    r"\s*\(?\s*(?:in\s+)?(?:(?:bottles?|flacons?|flaschen?|frascos?|flaconi|flessen)\s+"
    r"(?:of|de|à|a|zu|von|da|van)?\s*)?(?P<size>[0-9]{1,4}(?:[.,][0-9]{1,2})?)\s*ml\s*"
    r"(?:bottles?|flacons?|flaschen?|frascos?|flaconi|flessen)?\s*\)?\s*$",
    re.IGNORECASE,
)
_BOTTLE_WORDS: Final = ("bottle", "flacon", "flasche", "frasco", "fless")


def bottle_size(header: str) -> tuple[str, Decimal] | None:
    """A quantity header counted in bottles: the header without them, and a bottle's mL."""
    if not any(word in header.lower() for word in _BOTTLE_WORDS):
        return None
    match = _bottles().search(header)
    if match is None:
        return None
    size = read_number(match["size"].replace(",", "."))
    if isinstance(size, str) or size[0] <= 0:
        return None
    return header[: match.start()].strip(), size[0]


def bottle_quantity_reader(read: Reader, size: Decimal) -> Reader:
    """A quantity cell counted in bottles of ``size`` mL: a bare count is that many bottles."""

    def read_bottles(row: Row, field: str, text: str, column: str) -> None:
        number = read_number(text) if text else None
        if isinstance(number, tuple) and not number[1] and number[0] >= 0:
            text = f"{(number[0] * size).normalize():f} mL"
        read(row, field, text, column)

    return read_bottles


def names_ml(header: str) -> bool:
    """Whether a header says its amounts are in mL."""
    return "ml" in header_key(header).split()


def _cells(body: Sequence[tuple[int, Sequence[str]]], index: int) -> list[str]:
    return [cells[index] for _, cells in body if index < len(cells) and cells[index]]


def account_columns(
    columns: Sequence[Column], body: Sequence[tuple[int, Sequence[str]]], header_line: int
) -> tuple[list[MedList], list[Unread], list[tuple[str, Formulation]]]:
    """Medicine lists, columns not read and strengths stated in notes, from a table's columns."""
    med_lists: list[MedList] = []
    unread: list[Unread] = []
    stated: list[tuple[str, Formulation]] = []
    for index, field, written in columns:
        if field in {"volume", "dose_mg"} and (form := stated_formulation(written)):
            # A strength its header names ("Volume of 2 mg/mL (mL)") is the plan's.
            stated.append((f'column "{written}"', form))
        if field == "note":
            for line, cells in body:
                if index < len(cells) and (form := stated_formulation(cells[index])):
                    stated.append((f'column "{written}", line {line}', form))
        if field not in {"other", MED_LIST}:
            continue
        cells = _cells(body, index)
        if field == MED_LIST:
            if cells:
                from ldn_titrate.received.extras import MedList  # noqa: PLC0415 - only for a plan that has one

                med_lists.append(MedList(f'column "{written}"', "; ".join(cells), line=header_line))
        elif cells and header_key(written) not in NO_CLINICAL_MEANING:
            from ldn_titrate.received.extras import Unread  # noqa: PLC0415 - only for a plan that has one

            where = f'column "{written}"' if written else f"column {index + 1} (no header)"
            unread.append(Unread(where, " / ".join(cells), header_line))
    return med_lists, unread, stated


# The field of a column that lists the patient's medicines: its cells are not a step's.
MED_LIST: Final = "med_list"


def med_list_column(header: str) -> bool:
    """Whether a column's header heads a list of the patient's medicines."""
    return bool(header) and med_list_heading(header)


def beyond_header(body: Sequence[tuple[int, Sequence[str]]], width: int) -> list[Unread]:
    """Cells to the right of the last column with a header, kept as not read, line by line."""
    beyond = [(line, cells) for line, cells in body if any(cells[width:])]
    if not beyond:
        return []
    from ldn_titrate.received.extras import Unread  # noqa: PLC0415 - only for a plan that has one

    return [
        Unread(f"line {line} beyond the header", " ".join(c for c in cells[width:] if c), line)
        for line, cells in beyond
    ]


def parse_column_names(given: Sequence[tuple[str, str]]) -> ColumnNames:
    """``(FIELD, HEADER)`` pairs as compared: the header's key, the part of a step it gives."""
    from ldn_titrate.received.headers import FIELD_OF_HEADER  # noqa: PLC0415

    return tuple(
        (header_key(header), FIELD_OF_HEADER[header_key(field)]) for field, header in given
    )


# Fields of the first column under which a lone cell of words is a line, not a step: a dose,
# a volume or a count alone is a step with its other cells missing.
_STEP_CELL_FIELDS: Final = frozenset(
    {"dose_mg", "dose_mcg", "volume", "capsules", "concentration", "quantity", "days"}
)
_WORD: Final = re.compile(r"[^\W\d_]{3}")
# The first cell of a row of sums under a table, in the languages whose headers are read: the
# row is a line, not a step.
_TOTAL_WORDS: Final = frozenset(
    {
        "total", "totals", "sum", "grand total", "gesamt", "summe", "insgesamt", "total general",
        "totaux", "totale", "totali", "totaal", "suma", "razem", "total geral",
    }
)  # fmt: skip


def steps_and_lines(
    body: list[tuple[int, list[str]]], columns: tuple[Column, ...]
) -> tuple[list[tuple[int, list[str]]], list[tuple[int, list[str]]]]:
    """The rows that are steps, and the lines that are not: one cell of words in column A.

    Spreadsheets put notes and footnotes in column A, on a row of their own.
    """
    body, totals = _without_totals(body)
    body, listed = _without_lists_and_rules(body)
    steps, lines = _lines_in_column_a(body, columns)
    return steps, sorted([*lines, *totals, *listed])


def _without_lists_and_rules(
    body: list[tuple[int, list[str]]],
) -> tuple[list[tuple[int, list[str]]], list[tuple[int, list[str]]]]:
    """The rows that are steps or may be, and each medicine list among them as one line.

    ``Current medications: amlodipine 5 mg, atorvastatin 20 mg`` under a comma-separated table
    comes split at its commas; it is a list of the patient's medicines, not a step. A rule
    drawn with punctuation alone (an e-mail's ``--`` before its signature) says nothing.
    """
    rows: list[tuple[int, list[str]]] = []
    listed: list[tuple[int, list[str]]] = []
    for line, cells in body:
        if cells and cells[0] and med_list_heading(cells[0]):
            listed.append((line, [", ".join(cell.strip() for cell in cells if cell.strip())]))
        elif any(cells) and not any(char.isalnum() for cell in cells for char in cell):
            continue
        else:
            rows.append((line, cells))
    return rows, listed


def _without_totals(
    body: list[tuple[int, list[str]]],
) -> tuple[list[tuple[int, list[str]]], list[tuple[int, list[str]]]]:
    """The rows that are not totals, and each totals row as one line of its cells' text."""
    rows: list[tuple[int, list[str]]] = []
    totals: list[tuple[int, list[str]]] = []
    for line, cells in body:
        first = next((cell for cell in cells if cell), "")
        if header_key(first) in _TOTAL_WORDS:
            totals.append((line, [" ".join(cell for cell in cells if cell)]))
        else:
            rows.append((line, cells))
    return rows, totals


def _lines_in_column_a(
    body: list[tuple[int, list[str]]], columns: tuple[Column, ...]
) -> tuple[list[tuple[int, list[str]]], list[tuple[int, list[str]]]]:
    first = columns[0][1].removeprefix(TWIN) if columns else "other"
    if first in _STEP_CELL_FIELDS or first.startswith(("morning", "bedtime", CAPSULE_QUANTITY)):
        return body, []
    steps: list[tuple[int, list[str]]] = []
    lines: list[tuple[int, list[str]]] = []
    for line, cells in body:
        if cells[0] and _WORD.search(cells[0]) and not any(cells[1:]):
            lines.append((line, [cells[0]]))
        else:
            steps.append((line, cells))
    return steps, lines
