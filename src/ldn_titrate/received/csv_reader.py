"""Read a plan written as CSV: this tool's own, or one typed up by hand or in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from functools import lru_cache
from typing import Final

from ldn_titrate.errors import PlanFormatError
from ldn_titrate.received.day_forms import DateOrder
from ldn_titrate.received.model import ReadNote, ReceivedPlan
from ldn_titrate.received.table import (
    CACHED_HEADER_CHARS,
    HEADER_SEARCH_ROWS,
    Record,
    columns_of,
    read_table,
)

# Comma, or what a spreadsheet in another locale writes instead: semicolon, tab or pipe.
SEPARATORS: Final = (",", ";", "\t", "|")


def separator(text: str) -> str:
    """The separator that makes a header of the first row naming a dose or volume column.

    Title lines above the header are passed over; a file with no such row is read with commas.
    """
    lines = [line for line in text.splitlines()[: HEADER_SEARCH_ROWS * 2] if line.strip()]
    for line in lines[:HEADER_SEARCH_ROWS]:
        if len(line) > CACHED_HEADER_CHARS:
            best = _header_separator.__wrapped__(line)
        else:
            best = _header_separator(line)
        if best is not None:
            return best
    return ","


@lru_cache(maxsize=256)
def _header_separator(line: str) -> str | None:
    """The separator that makes the most known columns of a header of this line, if any.

    Read once per distinct line: the files of one tool or practice share their header.
    """
    best, most = None, 0
    for candidate in SEPARATORS:
        if candidate not in line:
            continue
        cells = next(csv.reader([line], delimiter=candidate), [])
        found, dose = columns_of(cells)
        known = sum(1 for _, field, _ in found if field != "other")
        if dose is not None and known > most:
            best, most = candidate, known
    return best


def read_csv(
    text: str,
    source: str,
    date_order: DateOrder | None = None,
    notes: tuple[ReadNote, ...] = (),
) -> ReceivedPlan:
    """Read CSV text: find the separator and the header, then read each row below it.

    Raises:
        PlanFormatError: not valid CSV, or no header names a dose column.
    """
    delimiter = separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def records() -> Iterator[Record]:
        last_line = 0
        for cells in reader:
            line = last_line + 1
            last_line = reader.line_num
            yield line, cells

    try:
        return read_table(
            # Only a quoted cell can hold a line break: without a quote, each record is a line.
            records() if '"' in text else enumerate(reader, start=1),
            source,
            decimal_comma=delimiter in {";", "\t"},
            date_order=date_order,
            notes=notes,
        )
    except csv.Error as exc:
        raise PlanFormatError(source, f"not valid CSV: {exc}", reader.line_num) from None
