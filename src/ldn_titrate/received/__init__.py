"""A plan as received from anywhere: this tool's CSV and JSON, and CSVs typed up by hand.

Reading is lenient: headers are matched without regard to case, spaces or punctuation, a
dose column in micrograms is recognised by its header, and a cell that cannot be read
becomes a problem of its row rather than an exception. Only a file that cannot be read at
all (not text, empty, not CSV, JSON or .xlsx, no dose column) raises ``PlanFormatError``.
This package reads; it never judges what it reads (that is ``ldn_titrate.check``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ldn_titrate.errors import PlanFormatError
from ldn_titrate.received.cells import header_field, parse_capsules
from ldn_titrate.received.columns import ColumnNames
from ldn_titrate.received.csv_reader import read_csv
from ldn_titrate.received.day_forms import DateOrder
from ldn_titrate.received.decode import ZIP_MAGIC, decode_text
from ldn_titrate.received.listed import with_listed_meds
from ldn_titrate.received.model import (
    CapsuleCounts,
    DoseUnit,
    Form,
    Formulation,
    NoteKind,
    ReceivedPlan,
    ReceivedRow,
)

if TYPE_CHECKING:
    from ldn_titrate.received.extras import CellProblem, MedList, ReadNote, ReceivedFill, Unread

__all__ = [
    "CapsuleCounts",
    "CellProblem",
    "DateOrder",
    "DoseUnit",
    "Form",
    "Formulation",
    "MedList",
    "NoteKind",
    "ReadNote",
    "ReceivedFill",
    "ReceivedPlan",
    "ReceivedRow",
    "Unread",
    "decode",
    "header_field",
    "parse_capsules",
    "read_plan",
]


def __getattr__(name: str) -> object:
    """A class most plans never have (``received.extras``), imported the first time it is named."""
    if name not in {"CellProblem", "MedList", "ReadNote", "ReceivedFill", "Unread"}:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from ldn_titrate.received import extras  # noqa: PLC0415 - loaded only when named

    return getattr(extras, name)


def decode(data: bytes | str, source: str) -> str:
    """The text of a file: UTF-16 or UTF-8 with or without a byte-order mark, else Windows-1252."""
    return decode_text(data, source)[0]


def read_plan(
    data: bytes | str,
    source: str,
    date_order: DateOrder | None = None,
    names: ColumnNames = (),
) -> ReceivedPlan:
    """Read a plan as CSV, JSON or an .xlsx workbook, told apart by its content.

    ``date_order`` settles dates such as 07/12/2026 that can be read day-first or month-first;
    ``names`` are headers given for a vendor's columns (header as compared, field).

    Raises:
        PlanFormatError: the file cannot be read at all.
    """
    # The JSON and workbook readers (and the FHIR reader behind JSON) load only for their
    # own files: a CSV's check starts without them.
    if isinstance(data, bytes) and data.startswith(ZIP_MAGIC):
        from ldn_titrate.received.xlsx_reader import is_xlsx, read_xlsx  # noqa: PLC0415

        if is_xlsx(data):
            return with_listed_meds(read_xlsx(data, source, date_order, names=names))
    text, notes = decode_text(data, source)
    body = text.lstrip()
    if not body:
        raise PlanFormatError(source, "the file is empty")
    if "\0" in text:
        raise PlanFormatError(source, "not a text file (it holds NUL bytes)")
    if body[0] in "{[":
        from ldn_titrate.received.json_reader import read_json  # noqa: PLC0415

        plan = read_json(body, source)
        plan = replace(plan, notes=(*notes, *plan.notes)) if notes else plan
        return with_listed_meds(plan)
    return with_listed_meds(read_csv(text, source, date_order, notes, names))
