"""Every sheet of a workbook besides the schedule, hidden and very hidden ones too.

A sheet is read by its meaning (this tool's dispensing sheet, a list of the patient's
medicines, lines that say who the plan is for or what it is made of) or kept as not read
with its cells' text; an empty sheet is nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Final

from ldn_titrate.received.day_forms import read_day
from ldn_titrate.received.fhir_values import number
from ldn_titrate.received.headers import header_key, med_list_heading
from ldn_titrate.received.lines import LinesRead, read_lines, stated_formulation
from ldn_titrate.received.model import Dispensed, Formulation, MedList, ReceivedFill, Unread

SheetRows = list[tuple[int, list[str]]]
_STATES: Final = {"visible": "", "hidden": "hidden", "veryHidden": "very hidden"}
# The headers of the two tables of this tool's "Dispense" sheet (formats/xlsx_format.py).
_ITEMS: Final = ("item", "days")
_FILLS: Final = ("fill", "first day", "last day", "dispense by")
_STEP_ITEM: Final = re.compile(
    r"(?:Step [0-9]{1,4}(?: \(days assumed\))?|Titration total|Maintenance total|"
    r"Overage \([0-9.]{1,8}%\)|Grand total)"
)
_FILLS_TITLE: Final = "Fills"


@dataclass
class SheetsRead:
    """What the other sheets of a workbook said."""

    fills: list[ReceivedFill] = field(default_factory=list)
    dispensed: list[Dispensed] = field(default_factory=list)
    stated: list[tuple[str, Formulation]] = field(default_factory=list)
    med_lists: list[MedList] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)
    texts: list[tuple[int | None, str, str]] = field(default_factory=list)


def sheet_where(title: str, state: str, rows: int | None = None) -> str:
    """A sheet as the pharmacist finds it: ``sheet "Meds" (hidden, 3 rows)``."""
    parts = [p for p in (_STATES.get(state, state),) if p]
    if rows is not None:
        parts.append(f"{rows} row{'s' if rows != 1 else ''}")
    return f'sheet "{title}"' + (f" ({', '.join(parts)})" if parts else "")


def name_formulation(title: str, state: str) -> list[tuple[str, Formulation]]:
    """The strength a sheet's name states (``LDN 1mg/ml``), if any."""
    form = stated_formulation(title)
    return [] if form is None else [(sheet_where(title, state), form)]


def read_sheet(title: str, state: str, rows: SheetRows, read: SheetsRead) -> None:
    """Read one sheet that is not the schedule into ``read``."""
    rows = [(line, [c for c in cells if c]) for line, cells in rows if any(cells)]
    if not rows:
        return
    read.stated.extend(name_formulation(title, state))
    if med_list_heading(title) or med_list_heading(rows[0][1][0]):
        items = [c for _, cells in rows for c in cells if not med_list_heading(c)]
        read.med_lists.append(MedList(sheet_where(title, state), "; ".join(items), line=None))
        return
    if _dispense_sheet(title, state, rows, read):
        return
    said = LinesRead()
    where = sheet_where(title, state) + ", line {line}"
    read_lines(rows, said, where)
    read.stated.extend(said.stated)
    read.med_lists.extend(said.med_lists)
    read.texts.extend(said.texts)
    if said.unread:
        text = " / ".join(" ".join(cells) for _, cells in rows)
        read.unread.append(Unread(sheet_where(title, state, len(rows)), text, None))


def _dispense_sheet(title: str, state: str, rows: SheetRows, read: SheetsRead) -> bool:
    """This tool's dispensing sheet: its fills are read, its totals come from the steps.

    Any row that is not where this tool writes it makes the sheet one not read.
    """
    keys = [tuple(header_key(c) for c in cells) for _, cells in rows]
    items = next((i for i, k in enumerate(keys) if k[:2] == _ITEMS), None)
    fills = next((i for i, k in enumerate(keys) if k[:4] == _FILLS), None)
    if items is None or fills is None or fills < items:
        return False
    said = LinesRead()
    read_lines(rows[:items], said, sheet_where(title, state) + ", line {line}")
    if said.unread or said.med_lists:
        return False
    found: list[ReceivedFill] = []
    for _, cells in rows[items + 1 : fills]:
        if _STEP_ITEM.fullmatch(cells[0]) is None and not read_line_quiet(cells):
            return False
    for _, cells in rows[fills + 1 :]:
        fill = _fill(cells)
        if fill is None:
            return False
        found.append(fill)
    read.stated.extend(said.stated)
    read.texts.extend(said.texts)
    read.fills.extend(found)
    where = sheet_where(title, state)
    unit = _unit(rows[items][1][2:])
    if unit is not None:
        read.dispensed.extend(_amounts(rows, items, fills, unit, where))
    return True


def _unit(headers: Sequence[str]) -> str | None:
    """The unit of the quantity columns: ``Quantity (mL)`` or ``Quantity (1.5 mg capsules)``."""
    keys = {header_key(h) for h in headers}
    if keys == {"quantity ml"}:
        return "mL"
    return "capsules" if keys and all(k.endswith("capsules") for k in keys) else None


def _amounts(rows: SheetRows, items: int, fills: int, unit: str, where: str) -> list[Dispensed]:
    """Each step's quantity, the grand total and each fill's quantity, as the sheet writes them."""
    found: list[Dispensed] = []
    for line, cells in rows[items + 1 : fills]:
        step = _STEP_NUMBER.fullmatch(cells[0])
        if step is None and cells[0] != "Grand total":
            continue
        days, amount = _whole(cells[1]) if len(cells) > 2 else None, _sum(cells[2:])
        if days is None or amount is None:
            continue
        number = None if step is None else int(step[1])
        place = f"{where}, line {line} ({cells[0]})"
        found.append(Dispensed(place, f"{amount} {unit}", amount, unit, days, step=number))
    for line, cells in rows[fills + 1 :]:
        fill = _fill(cells)
        amount = _sum(cells[len(_FILLS) :])
        if fill is not None and amount is not None:
            days = (fill.last_day - fill.first_day).days + 1
            place = f"{where}, line {line} (fill {fill.number})"
            found.append(Dispensed(place, f"{amount} {unit}", amount, unit, days, fill.first_day))
    return found


_STEP_NUMBER: Final = re.compile(r"Step ([0-9]{1,4})(?: \(days assumed\))?")


def _whole(text: str) -> int | None:
    value = number(text)
    return int(value) if value is not None and value == value.to_integral_value() else None


def _sum(cells: Sequence[str]) -> Decimal | None:
    """The amounts of a row's quantity columns added up; None if one is not a number."""
    values = [number(c) for c in cells]
    if not values or any(v is None or v < 0 for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def read_line_quiet(cells: Sequence[str]) -> bool:
    """Whether a line between the dispensing tables is one this tool writes there."""
    return tuple(cells) == (_FILLS_TITLE,) or (
        len(cells) == 1 and cells[0].startswith("The ongoing target step is counted as a ")
    )


def _fill(cells: Sequence[str]) -> ReceivedFill | None:
    """A fill row: its number, first and last days (the rest are its dispense-by and amounts)."""
    if len(cells) < len(_FILLS) or not cells[0].isdigit():
        return None
    first, last = read_day(cells[1], None), read_day(cells[2], None)
    if not isinstance(first, date) or not isinstance(last, date):
        return None
    return ReceivedFill(int(cells[0]), first, last)
