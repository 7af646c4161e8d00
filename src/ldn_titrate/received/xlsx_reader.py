"""Read a plan saved as an Excel workbook (.xlsx): its first sheet, as a table of text cells.

openpyxl is imported only when a workbook is met, so that reading CSV and JSON stays quick.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal

from ldn_titrate.errors import PlanFormatError
from ldn_titrate.received.day_forms import DateOrder
from ldn_titrate.received.model import ReadNote, ReceivedPlan
from ldn_titrate.received.table import Record, read_table
from ldn_titrate.received.xlsx_guard import DAMAGED, screen_workbook, sheet_rows

ZIP_MAGIC = b"PK\x03\x04"


def is_xlsx(data: bytes) -> bool:
    """A ZIP archive holding a workbook (``xl/``), as Excel and other spreadsheets save."""
    if not data.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(name.startswith("xl/") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def cell_text(value: object) -> str:  # noqa: PLR0911 - one return per kind of cell
    """A cell's value as the text a CSV would hold: ISO days, numbers without float noise."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        # The shortest text that gives back the same float: 0.1 stays 0.1, 7.0 becomes 7.
        number = Decimal(repr(value))
        return format(number.normalize(), "f") if number == number.to_integral() else repr(value)
    return str(value)


def read_xlsx(
    data: bytes,
    source: str,
    date_order: DateOrder | None = None,
    notes: tuple[ReadNote, ...] = (),
) -> ReceivedPlan:
    """Read the first sheet of a workbook; each row's number is its line.

    Raises:
        PlanFormatError: the workbook cannot be opened, or no header names a dose column.
    """
    import openpyxl  # noqa: PLC0415 - only when a workbook is met

    screen_workbook(data, source)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any damage in the archive is one refusal
        raise PlanFormatError(source, DAMAGED) from None
    try:
        if not book.worksheets:
            raise PlanFormatError(source, "the workbook has no sheets")
        sheet = book.worksheets[0]

        def records() -> Iterator[Record]:
            for line, values in enumerate(sheet_rows(sheet, source), start=1):
                yield line, [cell_text(value) for value in values]

        return read_table(records(), source, date_order=date_order, notes=notes)
    finally:
        book.close()
