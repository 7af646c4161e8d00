"""Hostile workbooks, each made by editing a workbook that ``plan`` wrote."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

SHEET = "xl/worksheets/sheet1.xml"
ONE_CELL = re.compile(rb'<c r="A1"[^>]*>.*?</c>', re.DOTALL)


def edited(book: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook with one part changed (added when it is not there)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(book)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        names = source.namelist()
        for name in names:
            data = source.read(name)
            target.writestr(name, change(data) if name == part else data)
        if part not in names:
            target.writestr(part, change(b""))
    return out.getvalue()


def first_cell(book: bytes, cell: bytes) -> bytes:
    """The workbook with its first cell (A1) replaced by ``cell``."""
    return edited(book, SHEET, lambda xml: ONE_CELL.sub(lambda _: cell, xml, count=1))


def hostile(book: bytes) -> dict[str, bytes]:
    """Each hostile workbook by name."""
    last_row = (
        b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    )
    return {
        "not well-formed XML": edited(book, SHEET, lambda xml: xml.replace(b"</sheetData>", b"")),
        "a cell beyond column ZZZ": first_cell(book, b'<c r="AAAA1"><v>1</v></c>'),
        "a cell in column IW": first_cell(book, b'<c r="IW1"><v>1</v></c>'),
        "a shared text not there": first_cell(book, b'<c r="A1" t="s"><v>999</v></c>'),
        "a date cell that is no date": first_cell(book, b'<c r="A1" t="d"><v>soon</v></c>'),
        "a number cell holding text": first_cell(book, b'<c r="A1"><v>abc</v></c>'),
        "a number of 4,301 digits": first_cell(book, b'<c r="A1"><v>' + b"1" * 4301 + b"</v></c>"),
        "a formula without its value": first_cell(book, b'<c r="A1"><f>1+1</f></c>'),
        "a dimension of a whole sheet": edited(
            book,
            SHEET,
            lambda xml: re.sub(
                rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml
            ).replace(b"</sheetData>", last_row),
        ),
        "a cell on the last row": edited(
            book,
            SHEET,
            lambda xml: re.sub(rb"<dimension [^>]*>", b"", xml).replace(b"</sheetData>", last_row),
        ),
        "a damaged archive": book[: len(book) // 2],
        "a shared text of 200,000 characters": edited(
            book,
            "xl/sharedStrings.xml",
            lambda _: (
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<si><t>" + b"a" * 200_000 + b"</t></si></sst>"
            ),
        ),
    }


def huge_text(book: bytes, size: int = 100_000_000) -> bytes:
    """The workbook with a shared text of ``size`` bytes, compressed to about a thousandth."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(book)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            target.writestr(name, source.read(name))
        info = zipfile.ZipInfo("xl/sharedStrings.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w", force_zip64=True) as part:
            part.write(b"<sst><si><t>")
            block = b"a" * 1_000_000
            for _ in range(size // len(block)):
                part.write(block)
            part.write(b"</t></si></sst>")
    return out.getvalue()
