"""A workbook is bounded by what it unpacks, before openpyxl walks it.

The archive's members are measured from the sizes its directory declares (the zip reader never
inflates a member past them), and each sheet's text is scanned once, linearly, for what would
make openpyxl hang or fail later: a declared dimension or a cell far beyond any plan, a text of
megabytes, a formula whose value was never saved. openpyxl reads rows lazily; every failure
while they are read is the workbook's one refusal too.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from typing import Final, Protocol

from ldn_titrate.errors import PlanFormatError, shown


class Sheet(Protocol):
    """What is read of an openpyxl sheet: its title and its rows of values."""

    @property
    def title(self) -> str:
        """The sheet's name."""
        ...

    def iter_rows(
        self, *, values_only: bool, max_row: int, max_col: int
    ) -> Iterable[tuple[object, ...]]:
        """The rows of values, at most ``max_row`` of them, ``max_col`` wide."""
        ...


# A workbook of a plan unpacks to tens of kilobytes; 50 MB is far past any.
MAX_UNPACKED_BYTES: Final = 50_000_000
MAX_MEMBERS: Final = 1_000
# A plan's table has a dozen columns and at most 1,000 steps; a sheet with more columns than
# column IV (256, the old Excel limit) or more rows than this is not one.
MAX_COLUMNS: Final = 256
MAX_ROWS: Final = 5_000
# Longer than any instruction, label or note; Excel itself stops at 32,767 characters.
MAX_TEXT: Final = 32_767

DAMAGED: Final = "a damaged .xlsx workbook: open it in the spreadsheet and save it again"

_SHEET: Final = re.compile(r"xl/(?:worksheets|chartsheets|dialogsheets)/[^/]+\.xml")
_DIMENSION: Final = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]{0,64})"')
_REFERENCE: Final = re.compile(rb'\sr="([A-Za-z]*)([0-9]*)"')
_NO_VALUE: Final = re.compile(rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^<>]{0,4096}/>)\s*</(?:\w+:)?c>")
_RANGE_END: Final = re.compile(r"\$?([A-Za-z]{1,8})\$?([0-9]{1,10})$")


def column_number(letters: str) -> int:
    """The number of a column from its letters: A is 1, Z 26, AA 27, IV 256."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def screen_workbook(data: bytes, source: str) -> None:
    """Refuse a workbook that unpacks too large, declares too much, or cannot be unpacked.

    Raises:
        PlanFormatError: naming what is too large or damaged.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _screen_sizes(members, source)
            for member in members:
                if _SHEET.fullmatch(member.filename) is not None:
                    _screen_sheet(archive.read(member), member.filename, source)
                elif member.filename.startswith("xl/"):
                    _screen_texts(archive.read(member), member.filename, source)
    except PlanFormatError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise PlanFormatError(source, DAMAGED) from None
    except NotImplementedError:
        # A compression method zipfile does not know: not a workbook Excel saves.
        raise PlanFormatError(source, DAMAGED) from None


def _screen_sizes(members: list[zipfile.ZipInfo], source: str) -> None:
    if len(members) > MAX_MEMBERS:
        raise PlanFormatError(source, f"the workbook holds more than {MAX_MEMBERS:,} parts")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_UNPACKED_BYTES or total > MAX_UNPACKED_BYTES:
            raise PlanFormatError(
                source, "the workbook unpacks to more than 50 MB: not a titration plan"
            )


def _screen_texts(xml: bytes, part: str, source: str) -> None:
    """Refuse a part holding one text longer than any cell of a plan (shared strings)."""
    # One split, no regular expression: a search for a long run is quadratic in many runs.
    if max(map(len, xml.split(b"<")), default=0) > MAX_TEXT * 4 + 64:
        raise PlanFormatError(
            source, f"{part} holds a text of more than {MAX_TEXT:,} characters: not a plan"
        )


def _screen_sheet(xml: bytes, part: str, source: str) -> None:
    _screen_texts(xml, part, source)
    dimension = _DIMENSION.search(xml)
    if dimension is not None:
        end = _RANGE_END.search(dimension[1].decode("ascii", "replace"))
        if end is not None:
            _bound(column_number(end[1]), int(end[2]), part, source, "declares cells up to")
    columns = rows = 0
    for letters, digits in _REFERENCE.findall(xml):
        if len(letters) > 3 or len(digits) > 7:
            raise PlanFormatError(source, f"{part} has a cell beyond column ZZZ or row 9,999,999")
        if letters:
            columns = max(columns, column_number(letters.decode("ascii")))
        if digits:
            rows = max(rows, int(digits))
    _bound(columns, rows, part, source, "has a cell on")
    if _NO_VALUE.search(xml) is not None:
        raise PlanFormatError(
            source,
            f"{part} has formulas without saved values: "
            "open it in the spreadsheet, let it calculate and save it again",
        )


def _bound(columns: int, rows: int, part: str, source: str, verb: str) -> None:
    if rows > MAX_ROWS:
        raise PlanFormatError(
            source, f"{part} {verb} row {rows:,}: a plan has at most {MAX_ROWS:,} rows"
        )
    if columns > MAX_COLUMNS:
        raise PlanFormatError(
            source, f"{part} {verb} column {columns:,}: a plan has at most {MAX_COLUMNS} columns"
        )


def sheet_rows(sheet: Sheet, source: str) -> Iterator[tuple[object, ...]]:
    """The values of a sheet row by row, bounded; any failure of openpyxl is the refusal.

    openpyxl parses a sheet only as its rows are asked for, so a sheet that is not well-formed
    XML, a shared text that is not there, a date or a number cell that is none fails here.
    """
    rows = iter(sheet.iter_rows(values_only=True, max_row=MAX_ROWS, max_col=MAX_COLUMNS))
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception:  # noqa: BLE001 - any damage in a sheet is the workbook's refusal
            raise PlanFormatError(source, f"{DAMAGED} (sheet {shown(sheet.title)})") from None
        end = len(row)
        while end and row[end - 1] is None:
            end -= 1
        yield row[:end]
