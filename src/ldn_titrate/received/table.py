"""A plan laid out as a table of text cells, from a CSV file or a spreadsheet's first sheet.

The header is the first row that names a dose or a volume column, after any title lines above
it; each row below it is read cell by cell. Day-first and month-first dates are settled for
the whole file before any row is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Final, Literal, NamedTuple

from ldn_titrate.errors import PlanFormatError
from ldn_titrate.patterns import lazy_pattern
from ldn_titrate.received.capsule_columns import COUNT, STRENGTH, settle_capsules
from ldn_titrate.received.cells import (
    DOSE_FIELDS,
    Reader,
    Row,
    day_reader,
    formulation_of,
    freeze,
    reader_for,
    table_field_of,
)
from ldn_titrate.received.columns import (
    CAPSULE_QUANTITY,
    MED_LIST,
    TWIN,
    ColumnNames,
    account_columns,
    beyond_header,
    bottle_quantity_reader,
    bottle_size,
    capsule_quantity_reader,
    med_list_column,
    ml_quantity_reader,
    named_field,
    names_ml,
    steps_and_lines,
)
from ldn_titrate.received.day_forms import DateOrder
from ldn_titrate.received.headers import POSOLOGY_HEADERS, header_key
from ldn_titrate.received.lines import (
    LinesRead,
    read_lines,
    source_formulations,
    without_concentration,
)
from ldn_titrate.received.model import ReceivedPlan, ReceivedRow
from ldn_titrate.received.table_dates import DATE_FIELDS, Column, DayOrder, dates_of, serial_or
from ldn_titrate.received.twins import TEXT_TWIN_PARTS, TWIN_PARTS, twin_reader
from ldn_titrate.spreadsheet import restore

if TYPE_CHECKING:
    from ldn_titrate.received.extras import ReadNote

KNOWN_DOSE_HEADERS: Final = "dose_mg, dose, dose (mg), mg, dose_mcg or mcg"
# Hand-made files may open with a title or patient lines before the header.
HEADER_SEARCH_ROWS: Final = 20
# Capsules counted in one column and their strength in another are the step's capsules.
_SHOWN_AS: Final = {COUNT: "capsules", STRENGTH: "capsules"}
_NUMBER_FIELDS: Final = frozenset(
    {"dose_mg", "dose_mcg", "volume", "capsules", "morning_mg", "bedtime_mg"}
    | {"morning_ml", "bedtime_ml"}
)
# In a table a second column of instructions or quantities is compared as well (a repeated
# JSON key of text is a repeated key, found by the JSON reader).
_TABLE_TWINS: Final = {**TWIN_PARTS, **TEXT_TWIN_PARTS}


_decimal_comma_pattern = lazy_pattern(r"(?<=[0-9]),(?=[0-9])")


# A workbook's text cell from a decimal-comma locale: "0,5" and "0,25" are decimals, but
# "1,500" may be a thousand and five hundred, so it is left for the reader to refuse.
_short_decimal_comma = lazy_pattern(r"(?<=[0-9]),(?=[0-9]{1,2}(?![0-9])|[0-9]{4})")


# How a table's number cells take a decimal comma: not at all, always, or when unambiguous.
DecimalComma = bool | Literal["short"]

# Rows longer than this are not kept in the caches of headers: a header is far shorter.
CACHED_HEADER_CHARS: Final = 1000

Record = tuple[int, Sequence[str]]


def columns_of(
    header: Sequence[str], names: ColumnNames = ()
) -> tuple[tuple[Column, ...], str | None]:
    """(index, field, header as written) for each column, and the dose or volume field found.

    ``names`` are headers given for a vendor's columns. Read once per distinct header: a
    tool's own files all share a handful of headers.
    """
    cells = tuple(header)
    if sum(map(len, cells)) > CACHED_HEADER_CHARS:
        # No header people write is this long: it is read, not kept.
        return _columns.__wrapped__(cells, names)
    return _columns(cells, names)


@lru_cache(maxsize=256)
def _columns(header: tuple[str, ...], names: ColumnNames) -> tuple[tuple[Column, ...], str | None]:
    taken: set[str] = set()
    columns: list[Column] = []
    posology = _posology_field(header, names)
    for index, name in enumerate(header):
        written = name.strip()
        field = (named_field(written, names) or table_field_of(written)) if written else None
        if field is None and written and (bare := without_concentration(written)) != written:
            # "Volume of 2 mg/mL (mL)": the strength is the plan's (read with the columns).
            field = table_field_of(bare)
        if field is None and written and (bottles := bottle_size(written)) is not None:
            # "Qty (30 mL bottles)": a quantity, counted in bottles of that size.
            field = "quantity" if table_field_of(bottles[0]) == "quantity" else None
        if field is None and header_key(written) in POSOLOGY_HEADERS:
            field, posology = posology, "instructions"
        if field is None:
            field = MED_LIST if med_list_column(written) else "other"
        elif field.startswith(CAPSULE_QUANTITY):
            pass
        elif field in taken or field == "dose_g":
            # A second column for a part already given is kept as its twin, to be compared.
            field = TWIN + field if field in _TABLE_TWINS else "other"
        else:
            taken.add(field)
        columns.append((index, field, written))
    dose: str | None = next((f for f in DOSE_FIELDS if f in taken), None)
    if dose == "dose_mg" and "dose_mcg" in taken:
        # One dose column is read; one in the other unit is a second dose column.
        columns = [(i, TWIN + f if f == "dose_mcg" else f, w) for i, f, w in columns]
    if dose is None and "volume" in taken:
        # A liquid chart in mL only: its doses come from the concentration.
        dose = "volume"
    return tuple(columns), dose


def _posology_field(header: tuple[str, ...], names: ColumnNames) -> str:
    """What a column of dosage instructions gives: the dose only where no other column does."""
    fields = {named_field(h.strip(), names) or table_field_of(h.strip()) for h in header}
    return "instructions" if fields & {*DOSE_FIELDS, "volume"} else "dose_mg"


def read_table(  # noqa: PLR0913 - the table, then how its file is read
    records: Iterable[Record],
    source: str,
    *,
    decimal_comma: DecimalComma = False,
    date_order: DateOrder | None = None,
    notes: tuple[ReadNote, ...] = (),
    names: ColumnNames = (),
) -> ReceivedPlan:
    """Read a table of text cells: find the header, then read each row below it.

    Title lines above the header and lines that are not steps (a note in column A, under the
    table or between its rows) are read by their meaning or kept as not read.

    Raises:
        PlanFormatError: no header names a dose column.
    """
    preamble: list[tuple[int, list[str]]] = []
    columns: tuple[Column, ...] = ()
    header_line = 0
    rest = iter(records)
    for line, cells in rest:
        stripped = [*map(str.strip, cells)]
        if not any(stripped):
            continue
        found, dose = columns_of(stripped, names)
        if dose is not None:
            columns, header_line = found, line
            break
        if len(preamble) >= HEADER_SEARCH_ROWS:
            break
        preamble.append((line, [cell for cell in stripped if cell]))
    if not columns:
        raise PlanFormatError(
            source, f"no dose column: the header should name one of {KNOWN_DOSE_HEADERS}", 1
        )
    # Each cell is stripped once here: every later use wants it without its spaces.
    body, lines = steps_and_lines(
        [(line, stripped) for line, cells in rest if any(stripped := [*map(str.strip, cells)])],
        columns,
    )
    said = LinesRead()
    read_lines(preamble, said, "line {line}", "above the table")
    last = body[-1][0] if body else header_line
    read_lines([x for x in lines if x[0] < last], said, "line {line}", "in the table")
    read_lines([x for x in lines if x[0] > last], said, "line {line}", "below the table")
    order, date_notes, unread = dates_of(columns, body, date_order, header_line)
    layout = _layout(columns, order, unread, decimal_comma=decimal_comma)
    rows = _table_rows(body, layout.readers)
    fields = layout.fields
    if "volume" not in fields and any(r.volume_ml is not None for r in rows):
        fields |= {"volume"}
    med_lists, not_read, stated = account_columns(columns, body, header_line)
    not_read.extend(beyond_header(body, len(columns)))
    stated = [*said.stated, *stated, *source_formulations(source)]
    return ReceivedPlan(
        source=source,
        rows=tuple(rows),
        columns=fields,
        label=_first_label(rows, layout.label_column) or said.label,
        formulation=formulation_of(fields, rows, (form for _, form in stated)),
        texts=(*said.texts, *((header_line, "header", w) for w in layout.headers)),
        notes=(*notes, *date_notes),
        med_lists=(*said.med_lists, *med_lists),
        unread=(*said.unread, *not_read),
        stated=tuple(stated),
    )


class _Layout(NamedTuple):
    """What a header and its file's dates settle, the same for every file that shares them."""

    # (reader, field, column name) for each column, in order.
    readers: tuple[tuple[Reader, str, str], ...]
    # The parts of a step the table has a place for.
    fields: frozenset[str]
    # The header of the label column, if there is one.
    label_column: str | None
    # Each header as written, when not empty.
    headers: tuple[str, ...]


@lru_cache(maxsize=256)
def _layout(
    columns: tuple[Column, ...],
    order: DayOrder,
    unread: frozenset[str],
    *,
    decimal_comma: DecimalComma,
) -> _Layout:
    """How each column is read and what the table names, given how its dates are read.

    With ``decimal_comma``, the number columns read ``0,5`` as ``0.5`` (``short``: not
    ``1,500``).
    """
    serials, date_order = order
    day_read = day_reader(date_order)
    if serials:
        day_read = serial_or(day_read)
    readers: list[tuple[Reader, str, str]] = []
    firsts: dict[str, str] = {}
    for _, field, written in columns:
        if field in _TABLE_TWINS:
            firsts.setdefault(_TABLE_TWINS[field], written)
    for _, field, written in columns:
        real = field.removeprefix(TWIN)
        read = _reader_of(real, written, day_read)
        if real in unread:
            read = _left_unread
        elif real != field and _TABLE_TWINS[real] in firsts:
            read = twin_reader(read, firsts[_TABLE_TWINS[real]])
        elif real != field:
            read = reader_for("other")
        if decimal_comma and real in _NUMBER_FIELDS:
            read = _decimal_comma(
                read, _short_decimal_comma() if decimal_comma == "short" else None
            )
        readers.append((read, real, written or "(no header)"))
    # Capsules counted by strength are the step's quantity.
    fields = {
        "quantity" if f.startswith(CAPSULE_QUANTITY) else _SHOWN_AS.get(f, f)
        for _, f, _ in columns
        if not f.startswith(TWIN)
    } - unread
    if "weeks" in fields:
        fields.add("days")
    return _Layout(
        readers=tuple(readers),
        fields=frozenset(fields),
        label_column=next((w for _, f, w in columns if f == "label"), None),
        headers=tuple(w for _, _, w in columns if w),
    )


def _reader_of(field: str, written: str, day_read: Reader) -> Reader:
    """How a cell of a column is read, by its field and, for a quantity, its header's unit."""
    if field in DATE_FIELDS:
        return day_read
    if field.startswith(CAPSULE_QUANTITY):
        return capsule_quantity_reader(field.removeprefix(CAPSULE_QUANTITY))
    if field == MED_LIST:
        return _left_unread
    if field == "quantity" and (bottles := bottle_size(written)) is not None:
        return bottle_quantity_reader(reader_for(field), bottles[1])
    if field == "quantity" and names_ml(written):
        return ml_quantity_reader(reader_for(field))
    return reader_for(field)


def _decimal_comma(read: Reader, pattern: re.Pattern[str] | None = None) -> Reader:
    """A number reader for a file from a locale that writes 0,5 for 0.5 (semicolon or tab)."""

    def read_comma(row: Row, field: str, text: str, column: str) -> None:
        read(row, field, (pattern or _decimal_comma_pattern()).sub(".", text), column)

    return read_comma


def _left_unread(_row: Row, _field: str, _text: str, _column: str) -> None:
    """A date column whose order is not known, or a medicine list: read for the whole file."""


def _table_rows(
    body: list[tuple[int, list[str]]], readers: tuple[tuple[Reader, str, str], ...]
) -> list[ReceivedRow]:
    """Each row of stripped cells read by the readers of its columns, the missing cells empty."""
    width = len(readers)
    rows: list[ReceivedRow] = []
    for index, (line, stripped) in enumerate(body, start=1):
        row = Row()
        count = len(stripped)
        cells = stripped
        if "'" in "".join(stripped):
            # A cell may start with the quote that guards a formula: one search of the row
            # finds there is none far sooner than a look at each cell.
            cells = [*map(restore, stripped[:width]), *stripped[width:]]
        for cell, (read, field, column) in zip(cells, readers, strict=False):
            read(row, field, cell, column)
        if count < width:
            # A short row: the cells it lacks are empty.
            for read, field, column in readers[count:]:
                read(row, field, "", column)
        settle_capsules(row)
        rows.append(freeze(row, index, line))
    return rows


def _first_label(rows: Iterable[ReceivedRow], label_column: str | None) -> str | None:
    """The first cell of the label column, if there is one."""
    if label_column is None:
        return None
    for row in rows:
        for column, text in row.texts:
            if column == label_column:
                return text
    return None


# The days of a table are settled in table_dates; their names stay importable here.
__all__ = [
    "CACHED_HEADER_CHARS",
    "DATE_FIELDS",
    "HEADER_SEARCH_ROWS",
    "KNOWN_DOSE_HEADERS",
    "Column",
    "DecimalComma",
    "Record",
    "columns_of",
    "read_table",
    "restore",
]
