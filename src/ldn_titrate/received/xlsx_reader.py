"""Read a plan saved as an Excel workbook (.xlsx): its first sheet, as a table of text cells.

openpyxl is imported only when a workbook is met, so that reading CSV and JSON stays quick.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Final

from ldn_titrate.errors import PlanFormatError
from ldn_titrate.received.columns import ColumnNames
from ldn_titrate.received.day_forms import DateOrder
from ldn_titrate.received.decode import ZIP_MAGIC
from ldn_titrate.received.lines import SHEET_NAME
from ldn_titrate.received.model import Formulation, ReadNote, ReceivedPlan
from ldn_titrate.received.sheets import SheetsRead, name_formulation, read_sheet
from ldn_titrate.received.table import HEADER_SEARCH_ROWS, columns_of, read_table
from ldn_titrate.received.xlsx_guard import DAMAGED, screen_workbook, sheet_rows


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


# Rows read of one sheet: a plan has far fewer (the check refuses more than 1,000 steps), and
# reading on would let a sheet of a million declared rows stall a batch.
SHEET_ROWS: Final = 2_000


def read_xlsx(
    data: bytes,
    source: str,
    date_order: DateOrder | None = None,
    notes: tuple[ReadNote, ...] = (),
    names: ColumnNames = (),
) -> ReceivedPlan:
    """Read a workbook: the schedule from the first sheet with a dose column, then every other.

    Each row's number is its line. Hidden sheets are read as visible ones are; a visible
    sheet with a schedule is taken before a hidden one.

    Raises:
        PlanFormatError: the workbook cannot be opened, or no sheet names a dose column.
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
        sheets = [
            (sheet.title, str(sheet.sheet_state), _sheet_rows(sheet, source))
            for sheet in book.worksheets
        ]
    finally:
        book.close()
    chosen = _schedule_sheet(sheets, names)
    title, state, rows = sheets[chosen]
    # A text cell typed in a decimal-comma locale ("0,5") is read when it is unambiguous.
    plan = read_table(
        rows, source, decimal_comma="short", date_order=date_order, notes=notes, names=names
    )
    read = SheetsRead()
    for index, (other, other_state, other_rows) in enumerate(sheets):
        if index != chosen:
            read_sheet(other, other_state, other_rows, read)
    return replace(
        plan,
        fills=tuple(read.fills) or plan.fills,
        dispensed=(*plan.dispensed, *read.dispensed),
        # The schedule sheet's own name, screened as text: "Nalmefene 1mg-mL" names a medicine.
        texts=((None, SHEET_NAME, title), *plan.texts, *read.texts),
        med_lists=(*plan.med_lists, *read.med_lists),
        unread=(*plan.unread, *read.unread),
        stated=(*name_formulation(title, state), *plan.stated, *read.stated),
        formulation=plan.formulation
        if plan.stated or not name_formulation(title, state)
        else _with_name(plan, name_formulation(title, state)[0][1]),
    )


def _with_name(plan: ReceivedPlan, named: Formulation) -> Formulation | None:
    """The plan's formulation with the strength its sheet's name states, if the rows state none."""
    form = plan.formulation
    if form is None or (
        form.form is named.form and form.concentration_mg_per_ml is None and not form.strengths_mg
    ):
        return named
    return form


def _sheet_rows(sheet: Any, source: str) -> list[tuple[int, list[str]]]:  # noqa: ANN401 - openpyxl's sheet
    """The first SHEET_ROWS rows of a sheet as text cells, each with its row number."""
    rows: list[tuple[int, list[str]]] = []
    # Bounded rows and columns; a sheet openpyxl fails to read is the workbook's refusal.
    for line, values in enumerate(sheet_rows(sheet, source), start=1):
        if line > SHEET_ROWS:
            break
        rows.append((line, [cell_text(value) for value in values]))
    return rows


def _schedule_sheet(
    sheets: list[tuple[str, str, list[tuple[int, list[str]]]]], names: ColumnNames
) -> int:
    """The sheet that holds the steps: the first visible one with a dose column, else any."""
    with_steps = [
        index
        for index, (_, _, rows) in enumerate(sheets)
        if any(
            columns_of([c.strip() for c in cells], names)[1]
            for _, cells in rows[: HEADER_SEARCH_ROWS * 2]
        )
    ]
    visible = [i for i in with_steps if sheets[i][1] == "visible"]
    return (visible or with_steps or [0])[0]
