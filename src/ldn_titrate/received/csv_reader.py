"""Read a plan written as CSV: this tool's own, or one typed up by hand or in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Final

from ldn_titrate.errors import PlanFormatError
from ldn_titrate.received.cells import (
    DOSE_FIELDS,
    Reader,
    Row,
    field_of,
    formulation_of,
    freeze,
    reader_for,
    restore,
)
from ldn_titrate.received.model import ReceivedPlan, ReceivedRow

_KNOWN_DOSE_HEADERS: Final = "dose_mg, dose, dose (mg), mg, dose_mcg or mcg"
# Hand-made files may open with a title or patient lines before the header.
_HEADER_SEARCH_ROWS: Final = 20


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab a spreadsheet in another locale writes instead."""
    first = text.lstrip("\r\n").split("\n", 1)[0]
    if "," not in first:
        for candidate in (";", "\t"):
            if candidate in first:
                return candidate
    return ","


def _columns(header: list[str]) -> tuple[list[tuple[int, str, str]], str | None]:
    """(index, field, header as written) for each column, and the dose field found."""
    taken: set[str] = set()
    columns: list[tuple[int, str, str]] = []
    for index, name in enumerate(header):
        written = name.strip()
        field = field_of(written) if written else None
        if field is None or field in taken:
            field = "other"
        else:
            taken.add(field)
        columns.append((index, field, written))
    dose = next((f for f in DOSE_FIELDS if f in taken), None)
    if dose == "dose_mg" and "dose_mcg" in taken:
        # One dose column is read; a second one in the other unit is kept as text.
        columns = [(i, "other" if f == "dose_mcg" else f, w) for i, f, w in columns]
    return columns, dose


def read_csv(text: str, source: str) -> ReceivedPlan:
    """Read CSV text: find the header, then read each row below it.

    Raises:
        PlanFormatError: not valid CSV, or no header names a dose column.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    preamble: list[tuple[int | None, str, str]] = []
    columns: list[tuple[int, str, str]] = []
    readers: list[tuple[int, Reader, str, str]] = []
    header_line = 0
    rows: list[ReceivedRow] = []
    last_line = 0
    try:
        for cells in reader:
            line = last_line + 1
            last_line = reader.line_num
            joined = "".join(cells)
            if not joined or joined.isspace():
                continue
            if not columns:
                found, dose = _columns(cells)
                if dose is None:
                    if len(preamble) >= _HEADER_SEARCH_ROWS:
                        break
                    preamble.extend((line, "", cell.strip()) for cell in cells if cell.strip())
                    continue
                columns, header_line = found, line
                readers = [(i, reader_for(f), f, w or "(no header)") for i, f, w in columns]
                continue
            rows.append(_csv_row(cells, readers, len(rows) + 1, line))
    except csv.Error as exc:
        raise PlanFormatError(source, f"not valid CSV: {exc}", reader.line_num) from None
    if not columns:
        raise PlanFormatError(
            source, f"no dose column: the header should name one of {_KNOWN_DOSE_HEADERS}", 1
        )
    fields = frozenset(f for _, f, _ in columns)
    headers = tuple((header_line, "header", w) for _, _, w in columns if w)
    return ReceivedPlan(
        source=source,
        rows=tuple(rows),
        columns=fields,
        label=_first_label(rows, columns),
        formulation=formulation_of(fields, rows),
        texts=(*preamble, *headers),
    )


def _csv_row(
    cells: list[str], readers: list[tuple[int, Reader, str, str]], index: int, line: int
) -> ReceivedRow:
    row = Row()
    count = len(cells)
    for position, read, field, column in readers:
        cell = cells[position].strip() if position < count else ""
        if cell.startswith("'"):
            cell = restore(cell)
        read(row, field, cell, column)
    if count > len(readers):
        extra = " ".join(c.strip() for c in cells[len(readers) :] if c.strip())
        if extra:
            row.texts.append(("(beyond the header)", extra))
    return freeze(row, index, line)


def _first_label(rows: Iterable[ReceivedRow], columns: list[tuple[int, str, str]]) -> str | None:
    """The first label cell of the plan, if it has a label column."""
    label_column = next((w for _, f, w in columns if f == "label"), None)
    if label_column is None:
        return None
    for row in rows:
        for column, text in row.texts:
            if column == label_column:
                return text
    return None
