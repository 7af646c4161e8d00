"""Read plans received from anywhere: this tool's CSV and JSON, and CSVs typed up by hand.

Reading is lenient: headers are matched without regard to case, spaces or punctuation, a
dose column in micrograms is recognised by its header, and a cell that cannot be read
becomes a problem of its row rather than an exception. Only a file that cannot be read at
all (not UTF-8, empty, not CSV or JSON, no dose column) raises ``PlanFormatError``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from ldn_titrate.check import CheckOptions, check_plan, unreadable
from ldn_titrate.doses import parse_number
from ldn_titrate.errors import InputError, PlanFormatError
from ldn_titrate.formats.csv_format import restore
from ldn_titrate.received import (
    CapsuleCounts,
    CellProblem,
    DoseUnit,
    Formulation,
    ReceivedFill,
    ReceivedForm,
    ReceivedPlan,
    ReceivedRow,
)

if TYPE_CHECKING:
    from ldn_titrate.check import Finding

# Header names as people write them, after lower-casing and turning every run of
# punctuation and spaces into one space ("Dose (mg)" -> "dose mg", "start_date" -> "start date").
_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "step": ("step", "step no", "step number", "no", "number", "#"),
    "first_day": (
        "start date",
        "start",
        "date",
        "first day",
        "first date",
        "start day",
        "from",
        "from date",
        "date from",
        "begin",
        "begins",
        "starting",
    ),
    "last_day": (
        "end date",
        "end",
        "last day",
        "last date",
        "end day",
        "to",
        "to date",
        "date to",
        "until",
        "through",
        "stop",
        "stop date",
        "ends",
    ),
    "days": ("days", "duration", "duration days", "number of days", "no of days", "length days"),
    "dose_mg": (
        "dose mg",
        "dose",
        "mg",
        "dose in mg",
        "daily dose",
        "daily dose mg",
        "dose mg day",
        "mg day",
        "ldn dose",
        "ldn dose mg",
    ),
    "dose_mcg": (
        "mcg",
        "dose mcg",
        "dose in mcg",
        "daily dose mcg",
        "dose mcg day",
        "mcg day",
        "micrograms",
        "dose micrograms",
        "µg",
        "dose µg",
        "μg",
        "dose μg",
        "ug",
        "dose ug",
    ),
    "volume": ("volume ml", "volume", "ml", "volume in ml", "dose ml", "vol", "vol ml"),
    "capsules": ("capsules", "capsule", "caps"),
    "quantity": ("quantity", "qty", "quantity to dispense"),
    "instructions": ("instructions", "instruction", "sig", "directions"),
    "label": ("label",),
    "note": ("note", "notes", "comment", "comments", "reason", "remarks"),
}
_FIELD_OF_HEADER: Final = {alias: field for field, names in _ALIASES.items() for alias in names}
_DOSE_FIELDS: Final = ("dose_mg", "dose_mcg")
_TEXT_FIELDS: Final = frozenset({"quantity", "instructions", "note"})
_KNOWN_DOSE_HEADERS: Final = "dose_mg, dose, dose (mg), mg, dose_mcg or mcg"
# Hand-made files may open with a title or patient lines before the header.
_HEADER_SEARCH_ROWS: Final = 20

_PUNCTUATION: Final = re.compile(r"[^0-9a-zµμ#]+")
_NUMBER_CELL: Final = re.compile(
    r"(?P<sign>[-+−–])?\s*(?P<num>[0-9]*\.[0-9]+|[0-9]+\.?)\s*(?P<unit>[a-zµμ/%]+)?", re.IGNORECASE
)
_MG_UNITS: Final = frozenset({"mg", "mg/day", "mg/d"})
_MCG_UNITS: Final = frozenset({"mcg", "µg", "μg", "ug", "mcg/day", "mcg/d"})
_ML_UNITS: Final = frozenset({"ml", "cc"})
_WHOLE_CELL: Final = re.compile(r"(?:step\s*)?(?P<n>[0-9]+)\s*(?:d|days?)?", re.IGNORECASE)
_ISO_DAY: Final = re.compile(
    r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})(?:[T ]00:00(?::00)?)?"
)
_SLASHED_DAY: Final = re.compile(r"[0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{2,4}")
_CAPSULE_TERM: Final = re.compile(
    r"\s*(?P<count>[0-9]+)\s*[×xX*]\s*(?P<num>[0-9]*\.?[0-9]+)\s*(?:mg)?\s*(?:capsules?)?\s*"
)
_CONCENTRATION: Final = re.compile(
    r"naltrexone\s+(?P<num>[0-9]+(?:\.[0-9]+)?)\s*mg\s*/\s*ml", re.IGNORECASE
)


def header_field(header: str) -> str | None:
    """The part of a step a header names (``Dose (mg)`` -> ``dose_mg``), or None."""
    return _field_of(header)


@lru_cache(maxsize=512)
def _field_of(header: str) -> str | None:
    key = _PUNCTUATION.sub(" ", header.lower()).strip()
    return _FIELD_OF_HEADER.get(key)


def decode(data: bytes | str, source: str) -> str:
    """The text of a file: UTF-8 with or without a byte-order mark."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanFormatError(source, f"not UTF-8 text (byte {exc.start + 1})") from None


def read_plan(data: bytes | str, source: str) -> ReceivedPlan:
    """Read a plan as CSV or JSON, told apart by its content.

    Raises:
        PlanFormatError: the file cannot be read at all.
    """
    text = decode(data, source)
    body = text.lstrip()
    if not body:
        raise PlanFormatError(source, "the file is empty")
    if "\0" in text:
        raise PlanFormatError(source, "not a text file (it holds NUL bytes)")
    if body[0] in "{[":
        return _read_json(body, source)
    return _read_csv(text, source)


def check_data(data: bytes | str, source: str, options: CheckOptions) -> list[Finding]:
    """Read and check one plan; a file that cannot be read is one error finding."""
    try:
        plan = read_plan(data, source)
    except PlanFormatError as exc:
        return unreadable(source, exc.reason, exc.line, options)
    return check_plan(plan, options)


# Cells -------------------------------------------------------------------------------------


class _Row:
    """The cells of one row as they are read; frozen into a ReceivedRow at the end."""

    __slots__ = ("problems", "texts", "values")

    def __init__(self) -> None:
        self.values: dict[str, object] = {}
        self.problems: list[CellProblem] = []
        self.texts: list[tuple[str, str]] = []

    def refuse(self, field: str, column: str, text: str, reason: str) -> None:
        self.problems.append(CellProblem(field, column, text, reason))


# Plans repeat the same cells (doses, days) over and over: each distinct text is read once.
@lru_cache(maxsize=8192)
def _number(text: str) -> tuple[Decimal, str] | str:
    """A signed number and its unit (lower case, may be empty), or why it cannot be read."""
    match = _NUMBER_CELL.fullmatch(text)
    if match is None:
        if "," in text and _NUMBER_CELL.fullmatch(text.replace(",", ".")) is not None:
            return "use a point for decimals, not a comma"
        return "not a number"
    digits = match["num"]
    if digits.startswith("."):
        digits = "0" + digits
    digits = digits.removesuffix(".")
    try:
        value = parse_number(digits, "cell")
    except InputError:
        return "not a number"
    if match["sign"] in {"-", "−", "–"}:
        value = -value
    return value, (match["unit"] or "").lower()


def _dose_cell(row: _Row, field: str, text: str, column: str) -> None:
    unit = DoseUnit.MCG if field == "dose_mcg" else DoseUnit.MG
    row.values["dose_text"] = text
    row.values["dose_column"] = column
    if not text:
        return
    read = _number(text)
    if isinstance(read, str):
        row.refuse("dose", column, text, read)
        return
    value, written = read
    if written in _MCG_UNITS:
        unit = DoseUnit.MCG
    elif written in _MG_UNITS:
        unit = DoseUnit.MG
    elif written:
        row.refuse("dose", column, text, "the unit must be mg or mcg")
        return
    row.values["dose"] = value
    row.values["dose_unit"] = unit


def _volume_cell(row: _Row, _field: str, text: str, column: str) -> None:
    row.values["volume_text"] = text
    if not text:
        return
    read = _number(text)
    if isinstance(read, str):
        row.refuse("volume", column, text, read)
        return
    value, written = read
    if written and written not in _ML_UNITS:
        row.refuse("volume", column, text, "the unit must be mL")
        return
    row.values["volume_ml"] = value


def _whole_cell(row: _Row, field: str, text: str, column: str) -> None:
    if not text:
        return
    match = _WHOLE_CELL.fullmatch(text)
    if match is None:
        row.refuse(field, column, text, "not a whole number")
        return
    value = int(match["n"])
    if field == "days" and value < 1:
        row.refuse(field, column, text, "a step lasts at least 1 day")
        return
    row.values["number" if field == "step" else field] = value


@lru_cache(maxsize=8192)
def _day(text: str) -> date | str:
    """A YYYY-MM-DD day, or why the text is not one."""
    match = _ISO_DAY.fullmatch(text)
    if match is None:
        reason = "write days as YYYY-MM-DD"
        if _SLASHED_DAY.fullmatch(text):
            reason += " (in this form the day and the month can be mistaken for each other)"
        return reason
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return "no such day in the calendar"


def _day_cell(row: _Row, field: str, text: str, column: str) -> None:
    if not text:
        return
    day = _day(text)
    if isinstance(day, str):
        row.refuse(field, column, text, day)
    else:
        row.values[field] = day


def parse_capsules(text: str) -> CapsuleCounts | None:
    """``2 × 1.5 mg + 1 × 0.5 mg`` as (strength in mg, count) pairs, or None if unreadable."""
    pairs: list[tuple[Decimal, int]] = []
    for part in text.split("+"):
        match = _CAPSULE_TERM.fullmatch(part)
        if match is None:
            return None
        read = _number(match["num"])
        if isinstance(read, str):
            return None
        pairs.append((read[0], int(match["count"])))
    return tuple(pairs)


def _capsules_cell(row: _Row, _field: str, text: str, column: str) -> None:
    if not text:
        return
    counts = parse_capsules(text)
    if counts is None:
        row.refuse("capsules", column, text, "write capsules as 2 × 1.5 mg + 1 × 0.5 mg")
        return
    row.values["capsules"] = counts


def _text_cell(row: _Row, field: str, text: str, column: str) -> None:
    if not text:
        return
    row.texts.append((column, text))
    if field in _TEXT_FIELDS:
        row.values[field] = text
    if field == "instructions":
        concentration = _named_concentration(text)
        if concentration is not None:
            row.values["concentration_mg_per_ml"] = concentration


@lru_cache(maxsize=4096)
def _named_concentration(instructions: str) -> Decimal | None:
    """The concentration in mg/mL that instructions name (``naltrexone 1 mg/mL``), if any."""
    match = _CONCENTRATION.search(instructions)
    return None if match is None else parse_number(match["num"], "concentration")


_Reader = Callable[[_Row, str, str, str], None]
_READ_CELL: Final[Mapping[str, _Reader]] = {
    "dose_mg": _dose_cell,
    "dose_mcg": _dose_cell,
    "first_day": _day_cell,
    "last_day": _day_cell,
    "step": _whole_cell,
    "days": _whole_cell,
    "volume": _volume_cell,
    "capsules": _capsules_cell,
}


def _reader(field: str) -> _Reader:
    """How a cell of this part of a step is read."""
    return _READ_CELL.get(field, _text_cell)


def _freeze(row: _Row, index: int, line: int | None) -> ReceivedRow:
    values = row.values
    return ReceivedRow(
        position=index,
        line=line,
        texts=tuple(row.texts),
        problems=tuple(row.problems),
        **values,  # type: ignore[arg-type]
    )


# CSV ---------------------------------------------------------------------------------------


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
        field = _field_of(written) if written else None
        if field is None or field in taken:
            field = "other"
        else:
            taken.add(field)
        columns.append((index, field, written))
    dose = next((f for f in _DOSE_FIELDS if f in taken), None)
    if dose == "dose_mg" and "dose_mcg" in taken:
        # One dose column is read; a second one in the other unit is kept as text.
        columns = [(i, "other" if f == "dose_mcg" else f, w) for i, f, w in columns]
    return columns, dose


def _read_csv(text: str, source: str) -> ReceivedPlan:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    preamble: list[tuple[int | None, str, str]] = []
    columns: list[tuple[int, str, str]] = []
    readers: list[tuple[int, _Reader, str, str]] = []
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
                readers = [(i, _reader(f), f, w or "(no header)") for i, f, w in columns]
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
        formulation=_csv_formulation(fields, rows),
        texts=(*preamble, *headers),
    )


def _csv_row(
    cells: list[str], readers: list[tuple[int, _Reader, str, str]], index: int, line: int
) -> ReceivedRow:
    row = _Row()
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
    return _freeze(row, index, line)


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


def _csv_formulation(fields: frozenset[str], rows: Iterable[ReceivedRow]) -> Formulation | None:
    """The formulation a plan shows by its columns, with the concentration its instructions name."""
    concentration = next(
        (r.concentration_mg_per_ml for r in rows if r.concentration_mg_per_ml is not None), None
    )
    if "volume" in fields or concentration is not None:
        return Formulation(ReceivedForm.LIQUID, concentration_mg_per_ml=concentration)
    if "capsules" in fields:
        return Formulation(ReceivedForm.CAPSULE)
    return None


# JSON --------------------------------------------------------------------------------------


def _json_text(value: object) -> tuple[str, bool] | None:
    """A JSON value as cell text, and whether it was written as text; None if not scalar."""
    if isinstance(value, str):
        return value.strip(), True
    if value is None:
        return "", True
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return str(value), False
    return None


@lru_cache(maxsize=256)
def _json_layout(keys: tuple[str, ...]) -> tuple[tuple[str, str, _Reader], ...]:
    """For the keys of a step object: each key, the part of a step it gives, and its reader."""
    taken: set[str] = set()
    layout = []
    for key in keys:
        field = _field_of(key)
        # The first dose key is read; a second one (in the other unit) is kept as text.
        same = _DOSE_FIELDS if field in _DOSE_FIELDS else (field,)
        if field is None or taken.intersection(same):
            field = "other"
        taken.add(field)
        layout.append((key, field, _reader(field)))
    return tuple(layout)


def _json_row(item: object, index: int) -> ReceivedRow:
    row = _Row()
    if not isinstance(item, dict):
        row.refuse("step", f"steps[{index}]", _short(item), "expected an object with the step")
        return _freeze(row, index, None)
    for key, field, read in _json_layout(tuple(item)):
        value = item[key]
        if isinstance(value, str):
            read(row, field, value.strip(), key)
        elif value is None:
            continue
        elif isinstance(value, int | Decimal) and not isinstance(value, bool):
            read(row, field, str(value), key)
            if field in _NUMBER_TEXTS:
                # A JSON number carries no wording to check.
                row.values.pop(_NUMBER_TEXTS[field], None)
        elif field == "capsules" and isinstance(value, dict):
            counts = _json_counts(value)
            if counts is None:
                row.refuse("capsules", key, _short(value), 'map strengths to counts: {"1.5": 2}')
            else:
                row.values["capsules"] = counts
        elif field != "other":
            row.refuse(_problem_field(field), key, _short(value), "not a single value")
    return _freeze(row, index, None)


_NUMBER_TEXTS: Final = {"dose_mg": "dose_text", "dose_mcg": "dose_text", "volume": "volume_text"}


def _problem_field(field: str) -> str:
    return {"dose_mg": "dose", "dose_mcg": "dose"}.get(field, field)


def _json_counts(value: dict[object, object]) -> CapsuleCounts | None:
    pairs: list[tuple[Decimal, int]] = []
    for strength, count in value.items():
        read = _number(str(strength).strip())
        if isinstance(read, str) or not isinstance(count, int) or isinstance(count, bool):
            return None
        pairs.append((read[0], count))
    return tuple(pairs)


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _json_number(value: object, field: str, problems: list[CellProblem]) -> Decimal | None:
    cell = _json_text(value)
    if cell is None or not cell[0]:
        if value is not None:
            problems.append(CellProblem("formulation", field, _short(value), "not a number"))
        return None
    read = _number(cell[0])
    if isinstance(read, str) or read[0] <= 0:
        problems.append(CellProblem("formulation", field, cell[0], "not a positive number"))
        return None
    return read[0]


def _json_whole(value: object, field: str, problems: list[CellProblem]) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    problems.append(CellProblem("formulation", field, _short(value), "not a positive whole number"))
    return None


def _json_formulation(
    request: Mapping[str, object], problems: list[CellProblem]
) -> Formulation | None:
    form_text = request.get("form")
    if form_text is None:
        return None
    try:
        form = ReceivedForm(str(form_text).strip().lower())
    except ValueError:
        problems.append(
            CellProblem("formulation", "form", _short(form_text), "not liquid or capsule")
        )
        return None
    strengths: list[Decimal] = []
    raw_strengths = request.get("strengths_mg")
    if isinstance(raw_strengths, list):
        for item in raw_strengths:
            value = _json_number(item, "strengths_mg", problems)
            if value is not None:
                strengths.append(value)
    elif raw_strengths is not None:
        problems.append(
            CellProblem("formulation", "strengths_mg", _short(raw_strengths), "not a list")
        )
    return Formulation(
        form,
        concentration_mg_per_ml=_json_number(
            request.get("concentration_mg_per_ml"), "concentration_mg_per_ml", problems
        ),
        graduation_ml=_json_number(request.get("graduation_ml"), "graduation_ml", problems),
        strengths_mg=tuple(strengths),
        max_units=_json_whole(request.get("max_units"), "max_units", problems),
    )


def _json_fills(data: Mapping[str, object]) -> tuple[ReceivedFill, ...] | None:
    dispense = data.get("dispense")
    if not isinstance(dispense, dict) or not isinstance(dispense.get("fills"), list):
        return None
    fills: list[ReceivedFill] = []
    for number, item in enumerate(dispense["fills"], start=1):
        if not isinstance(item, dict):
            continue
        try:
            first = date.fromisoformat(str(item.get("first_day")))
            last = date.fromisoformat(str(item.get("last_day")))
        except ValueError:
            continue
        fills.append(ReceivedFill(number, first, last))
    return tuple(fills)


def _read_json(text: str, source: str) -> ReceivedPlan:
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise PlanFormatError(
            source, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise PlanFormatError(source, "not valid JSON: nested too deeply") from None
    if isinstance(data, list):
        data = {"steps": data}
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise PlanFormatError(source, "expected an object with a list of steps")
    request = data.get("request")
    request = request if isinstance(request, dict) else {}
    problems: list[CellProblem] = []
    rows = tuple(_json_row(item, index) for index, item in enumerate(data["steps"], start=1))
    columns = frozenset(
        _field_of(str(key)) or "other"
        for item in data["steps"]
        if isinstance(item, dict)
        for key in item
    )
    label = request.get("label")
    if not isinstance(label, str) or not label:
        label = next(
            (
                item["label"]
                for item in data["steps"]
                if isinstance(item, dict) and isinstance(item.get("label"), str) and item["label"]
            ),
            None,
        )
    formulation = _json_formulation(request, problems)
    if formulation is None:
        formulation = _csv_formulation(columns, rows)
    return ReceivedPlan(
        source=source,
        rows=rows,
        columns=columns,
        label=label,
        formulation=formulation,
        bud_days=_json_whole(request.get("bud_days"), "bud_days", problems),
        fills=_json_fills(data),
        texts=((None, "label", label),) if label else (),
        problems=tuple(problems),
    )
