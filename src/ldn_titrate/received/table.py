"""A plan laid out as a table of text cells, from a CSV file or a spreadsheet's first sheet.

The header is the first row that names a dose or a volume column, after any title lines above
it; each row below it is read cell by cell. Day-first and month-first dates are settled for
the whole file before any row is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

from ldn_titrate.errors import PlanFormatError
from ldn_titrate.received.cells import (
    DOSE_FIELDS,
    Reader,
    Row,
    day_reader,
    field_of,
    formulation_of,
    freeze,
    reader_for,
    restore,
)
from ldn_titrate.received.day_forms import DateOrder, file_order, readings, serial_day
from ldn_titrate.received.model import NoteKind, ReadNote, ReceivedPlan, ReceivedRow
from ldn_titrate.received.twins import TEXT_TWIN_PARTS, TWIN_PARTS, twin_reader

KNOWN_DOSE_HEADERS: Final = "dose_mg, dose, dose (mg), mg, dose_mcg or mcg"
# Hand-made files may open with a title or patient lines before the header.
HEADER_SEARCH_ROWS: Final = 20
DATE_FIELDS: Final = ("first_day", "last_day")
_NUMBER_FIELDS: Final = frozenset({"dose_mg", "dose_mcg", "volume", "capsules"})
# The field of a second column for a part already given: "twin:" and the part's field.
TWIN: Final = "twin:"
# In a table a second column of instructions or quantities is compared as well (a repeated
# JSON key of text is a repeated key, found by the JSON reader).
_TABLE_TWINS: Final = {**TWIN_PARTS, **TEXT_TWIN_PARTS}
_DECIMAL_COMMA: Final = re.compile(r"(?<=[0-9]),(?=[0-9])")

Record = tuple[int, Sequence[str]]
Column = tuple[int, str, str]


def columns_of(header: Sequence[str]) -> tuple[list[Column], str | None]:
    """(index, field, header as written) for each column, and the dose or volume field found."""
    taken: set[str] = set()
    columns: list[Column] = []
    for index, name in enumerate(header):
        written = name.strip()
        field = field_of(written) if written else None
        if field is None:
            field = "other"
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
    return columns, dose


def read_table(
    records: Iterable[Record],
    source: str,
    *,
    decimal_comma: bool = False,
    date_order: DateOrder | None = None,
    notes: tuple[ReadNote, ...] = (),
) -> ReceivedPlan:
    """Read a table of text cells: find the header, then read each row below it.

    Raises:
        PlanFormatError: no header names a dose column.
    """
    preamble: list[tuple[int | None, str, str]] = []
    columns: list[Column] = []
    header_line = 0
    body: list[Record] = []
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if columns:
            body.append((line, cells))
            continue
        found, dose = columns_of(cells)
        if dose is None:
            if len(preamble) >= HEADER_SEARCH_ROWS:
                break
            preamble.extend((line, "", cell.strip()) for cell in cells if cell.strip())
            continue
        columns, header_line = found, line
    if not columns:
        raise PlanFormatError(
            source, f"no dose column: the header should name one of {KNOWN_DOSE_HEADERS}", 1
        )
    day_read, date_notes, unread = _dates(columns, body, date_order, header_line)
    readers = _readers(columns, day_read, unread, decimal_comma=decimal_comma)
    rows = [
        _table_row(cells, readers, index, line) for index, (line, cells) in enumerate(body, start=1)
    ]
    fields = {f for _, f, _ in columns if not f.startswith(TWIN)} - unread
    if "weeks" in fields:
        fields.add("days")
    if "volume" not in fields and any(r.volume_ml is not None for r in rows):
        fields.add("volume")
    headers = tuple((header_line, "header", w) for _, _, w in columns if w)
    return ReceivedPlan(
        source=source,
        rows=tuple(rows),
        columns=frozenset(fields),
        label=_first_label(rows, columns),
        formulation=formulation_of(frozenset(fields), rows, (text for _, _, text in preamble)),
        texts=(*preamble, *headers),
        notes=(*notes, *date_notes),
    )


def _readers(
    columns: list[Column], day_read: Reader, unread: set[str], *, decimal_comma: bool
) -> list[tuple[int, Reader, str, str]]:
    """(index, reader, field, column name) for each column.

    With ``decimal_comma``, the number columns read ``0,5`` as ``0.5``.
    """
    readers: list[tuple[int, Reader, str, str]] = []
    firsts: dict[str, str] = {}
    for _, field, written in columns:
        if field in _TABLE_TWINS:
            firsts.setdefault(_TABLE_TWINS[field], written)
    for index, field, written in columns:
        real = field.removeprefix(TWIN)
        read = day_read if real in DATE_FIELDS else reader_for(real)
        if real in unread:
            read = _left_unread
        elif real != field and _TABLE_TWINS[real] in firsts:
            read = twin_reader(read, firsts[_TABLE_TWINS[real]])
        elif real != field:
            read = reader_for("other")
        if decimal_comma and real in _NUMBER_FIELDS:
            read = _decimal_comma(read)
        readers.append((index, read, real, written or "(no header)"))
    return readers


def _decimal_comma(read: Reader) -> Reader:
    """A number reader for a file from a locale that writes 0,5 for 0.5 (semicolon or tab)."""

    def read_comma(row: Row, field: str, text: str, column: str) -> None:
        read(row, field, _DECIMAL_COMMA.sub(".", text), column)

    return read_comma


def _dates(
    columns: list[Column], body: list[Record], given: DateOrder | None, header_line: int
) -> tuple[Reader, list[ReadNote], set[str]]:
    """The day reader for this file, notes on its dates, and date columns left unread."""
    positions = [(i, f, w) for i, f, w in columns if f in DATE_FIELDS]
    texts = [
        (field, written, cells[i].strip())
        for i, field, written in positions
        for _, cells in body
        if i < len(cells)
    ]
    notes: list[ReadNote] = []
    unread: set[str] = set()
    order = given
    if order is None:
        order, ambiguous = file_order(text for _, _, text in texts)
        if ambiguous:
            for _, field, written in positions:
                if any(f == field and readings(t) for f, _, t in texts):
                    unread.add(field)
                    notes.append(
                        ReadNote(
                            NoteKind.DATE_ORDER_UNKNOWN,
                            f"{written}: the dates can be read day-first or month-first; "
                            "give --date-order dmy or --date-order mdy",
                            header_line,
                        )
                    )
    for _, field, written in positions:
        serial = next((t for f, _, t in texts if f == field and serial_day(t)), None)
        if serial is not None and field not in unread:
            notes.append(
                ReadNote(
                    NoteKind.DATE_SERIALS,
                    f"{written}: spreadsheet serial numbers were read as days "
                    f"({serial} is {serial_day(serial)})",
                    header_line,
                )
            )
    return _serial_or(day_reader(order)), notes, unread


def _serial_or(read: Reader) -> Reader:
    """A day reader that also takes a spreadsheet's serial number for a day."""

    def read_serial(row: Row, field: str, text: str, column: str) -> None:
        day = serial_day(text)
        if day is None:
            read(row, field, text, column)
        else:
            row.values[field] = day

    return read_serial


def _left_unread(_row: Row, _field: str, _text: str, _column: str) -> None:
    """A date column whose order is not known: its finding is one for the file."""


def _table_row(
    cells: Sequence[str], readers: list[tuple[int, Reader, str, str]], index: int, line: int
) -> ReceivedRow:
    row = Row()
    count = len(cells)
    if count < len(readers):
        # A short row: the cells it lacks are empty.
        cells = [*cells, *[""] * (len(readers) - count)]
    for position, read, field, column in readers:
        cell = cells[position].strip()
        if cell[:1] == "'":
            cell = restore(cell)
        read(row, field, cell, column)
    if count > len(readers):
        extra = " ".join(c.strip() for c in cells[len(readers) :] if c.strip())
        if extra:
            row.texts.append(("(beyond the header)", extra))
    return freeze(row, index, line)


def _first_label(rows: Iterable[ReceivedRow], columns: list[Column]) -> str | None:
    """The first label cell of the plan, if it has a label column."""
    label_column = next((w for _, f, w in columns if f == "label"), None)
    if label_column is None:
        return None
    for row in rows:
        for column, text in row.texts:
            if column == label_column:
                return text
    return None
