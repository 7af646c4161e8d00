"""Read a plan written as CSV: this tool's own, or one typed up by hand or in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from ldn_titrate.errors import PlanFormatError
from ldn_titrate.received.columns import ColumnNames
from ldn_titrate.received.day_forms import DateOrder
from ldn_titrate.received.model import ReceivedPlan
from ldn_titrate.received.table import (
    CACHED_HEADER_CHARS,
    HEADER_SEARCH_ROWS,
    Record,
    columns_of,
    read_table,
)

if TYPE_CHECKING:
    from ldn_titrate.received.extras import ReadNote

# Comma, or what a spreadsheet in another locale writes instead: semicolon, tab or pipe.
SEPARATORS: Final = (",", ";", "\t", "|")


def separator(text: str, names: ColumnNames = ()) -> str:
    """The separator that makes a header of the first row naming a dose or volume column.

    Title lines above the header are passed over; a file with no such row is read with commas.
    """
    tried = 0
    for line in text.splitlines()[: HEADER_SEARCH_ROWS * 2]:
        if not line.strip():
            continue
        if len(line) > CACHED_HEADER_CHARS:
            best = _header_separator.__wrapped__(line, names)
        else:
            best = _header_separator(line, names)
        if best is not None:
            return best
        tried += 1
        if tried == HEADER_SEARCH_ROWS:
            break
    return ","


@lru_cache(maxsize=256)
def _header_separator(line: str, names: ColumnNames) -> str | None:
    """The separator that makes the most known columns of a header of this line, if any.

    Read once per distinct line: the files of one tool or practice share their header.
    """
    best, most = None, 0
    for candidate in SEPARATORS:
        if candidate not in line:
            continue
        cells = next(csv.reader([line], delimiter=candidate), [])
        found, dose = columns_of(cells, names)
        known = sum(1 for _, field, _ in found if field != "other")
        if dose is not None and known > most:
            best, most = candidate, known
    return best


def read_csv(
    text: str,
    source: str,
    date_order: DateOrder | None = None,
    notes: tuple[ReadNote, ...] = (),
    names: ColumnNames = (),
) -> ReceivedPlan:
    """Read CSV text: find the separator and the header, then read each row below it.

    ``names`` are headers given for a vendor's columns.

    Raises:
        PlanFormatError: not valid CSV, or no header names a dose column.
    """
    delimiter = separator(text, names)
    records: Iterable[Record]
    if '"' in text or "\0" in text or len(text) > csv.field_size_limit():
        records = _csv_records(text, delimiter, source)
    else:
        # Without a quote, each line is one record (the text has no NUL, no field too long).
        records = enumerate(unquoted_records(text, delimiter), start=1)
    return read_table(
        records,
        source,
        decimal_comma=delimiter in {";", "\t"},
        date_order=date_order,
        notes=notes,
        names=names,
    )


def unquoted_records(text: str, delimiter: str) -> list[list[str]]:
    r"""The cells of each line of CSV text that quotes nothing, as the csv module reads them.

    Most files quote nothing: split at line breaks and separators, they read several times
    faster. Lines end as the csv module ends them, at ``\r\n``, ``\r`` or ``\n``; an empty
    line has no cells.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines[-1]:
        # A line break at the end of the text ends its last line, and starts none.
        lines.pop()
    return [line.split(delimiter) if line else [] for line in lines]


def _csv_records(text: str, delimiter: str, source: str) -> Iterator[Record]:
    """The records of CSV text, each with the line it starts on.

    Raises:
        PlanFormatError: not valid CSV.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    last_line = 0
    try:
        for cells in reader:
            line = last_line + 1
            last_line = reader.line_num
            yield line, cells
    except csv.Error as exc:
        raise PlanFormatError(source, f"not valid CSV: {exc}", reader.line_num) from None
