"""The days of a table: day-first or month-first settled for the whole file, serial numbers read.

A file's dates are read one way for all of its rows; when they can be read both ways and no
order was given, the date columns are left unread with a note saying so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ldn_titrate.errors import Setting, spell
from ldn_titrate.received.cells import Reader, Row
from ldn_titrate.received.columns import TWIN
from ldn_titrate.received.day_forms import (
    DateOrder,
    file_order,
    plain_days,
    readings,
    serial_day,
)
from ldn_titrate.received.model import NoteKind

if TYPE_CHECKING:
    from ldn_titrate.received.extras import ReadNote

DATE_FIELDS: Final = ("first_day", "last_day")
# A column: its index, the part of a step it gives, its header as written.
Column = tuple[int, str, str]
# Day readers by how the file's dates are read: with serial numbers or not, then the order.
DayOrder = tuple[bool, DateOrder | None]


def dates_of(
    columns: tuple[Column, ...],
    body: list[tuple[int, list[str]]],
    given: DateOrder | None,
    header_line: int,
) -> tuple[DayOrder, list[ReadNote], frozenset[str]]:
    """How this file's days are read, notes on its dates, and date columns left unread."""
    # Second date columns are read as the first ones are, serial numbers and all.
    read = [i for i, f, _ in columns if f.removeprefix(TWIN) in DATE_FIELDS]
    if plain_days([cells[i] for i in read for _, cells in body if i < len(cells)]):
        # No day-first, month-first or serial date: nothing to settle, nothing to say.
        return (False, given), [], frozenset()
    positions = [(i, f, w) for i, f, w in columns if f in DATE_FIELDS]
    return _settle_dates(positions, body, given, header_line)


def _settle_dates(
    positions: list[Column],
    body: list[tuple[int, list[str]]],
    given: DateOrder | None,
    header_line: int,
) -> tuple[DayOrder, list[ReadNote], frozenset[str]]:
    """The order of a file's day-first or month-first dates, and its serial numbers."""
    texts = [
        (field, written, cells[i])
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
                    from ldn_titrate.received.extras import ReadNote  # noqa: PLC0415 - only for a plan that has one

                    notes.append(
                        ReadNote(
                            NoteKind.DATE_ORDER_UNKNOWN,
                            spell(
                                (
                                    (
                                        f"{written}: the dates can be read day-first or "
                                        "month-first; "
                                        "give "
                                    ),
                                    Setting("date_order", "dmy"),
                                    " or ",
                                    Setting("date_order", "mdy"),
                                )
                            ),
                            header_line,
                        )
                    )
    for _, field, written in positions:
        serial = next((t for f, _, t in texts if f == field and serial_day(t)), None)
        if serial is not None and field not in unread:
            from ldn_titrate.received.extras import ReadNote  # noqa: PLC0415 - only for a plan that has one

            notes.append(
                ReadNote(
                    NoteKind.DATE_SERIALS,
                    f"{written}: spreadsheet serial numbers were read as days "
                    f"({serial} is {serial_day(serial)})",
                    header_line,
                )
            )
    return (True, order), notes, frozenset(unread)


def serial_or(read: Reader) -> Reader:
    """A day reader that also takes a spreadsheet's serial number for a day."""

    def read_serial(row: Row, field: str, text: str, column: str) -> None:
        day = serial_day(text)
        if day is None:
            read(row, field, text, column)
        else:
            row.values[field] = day

    return read_serial
