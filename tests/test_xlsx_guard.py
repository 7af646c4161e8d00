"""Hostile workbooks: each is one clear `unreadable` finding in well under a second, and the
batch goes on to the next plan."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hostile_workbooks import hostile, huge_text
from ldn_titrate.check import check_file, options_from_text
from ldn_titrate.cli import app
from ldn_titrate.formats import WriteOptions, xlsx_format
from ldn_titrate.received.xlsx_guard import column_number
from ldn_titrate.request import build_request
from ldn_titrate.rules import build_schedule

DAMAGED = "a damaged .xlsx workbook: open it in the spreadsheet and save it again"
SHEET = "xl/worksheets/sheet1.xml"
REASONS = {
    "not well-formed XML": f"{DAMAGED} (sheet 'Schedule')",
    "a cell beyond column ZZZ": f"{SHEET} has a cell beyond column ZZZ or row 9,999,999",
    "a shared text not there": f"{DAMAGED} (sheet 'Schedule')",
    "a date cell that is no date": f"{DAMAGED} (sheet 'Schedule')",
    "a number cell holding text": f"{DAMAGED} (sheet 'Schedule')",
    "a number of 4,301 digits": f"{DAMAGED} (sheet 'Schedule')",
    "a formula without its value": f"{SHEET} has formulas without saved values: "
    "open it in the spreadsheet, let it calculate and save it again",
    "a dimension of a whole sheet": f"{SHEET} declares cells up to row 1,048,576: "
    "a plan has at most 5,000 rows",
    "a cell on the last row": f"{SHEET} has a cell on row 1,048,576: a plan has at most 5,000 rows",
    "a cell in column IW": f"{SHEET} has a cell on column 257: a plan has at most 256 columns",
    "a damaged archive": "a ZIP archive (not an .xlsx workbook): "
    "ask for the plan as CSV UTF-8 or .xlsx",
    "a shared text of 200,000 characters": "xl/sharedStrings.xml holds a text of more than "
    "32,767 characters: not a plan",
}


@pytest.fixture(scope="module")
def book() -> bytes:
    values = {"start": "0.5", "target": "4.5", "step": "0.5", "every": "7d", "from": "2026-12-07"}
    schedule = build_schedule(build_request(values, {}, date(2026, 12, 7)))
    return xlsx_format.write(schedule, WriteOptions())


@pytest.fixture(scope="module")
def books(book: bytes) -> dict[str, bytes]:
    return hostile(book)


def test_every_hostile_workbook_is_named(books: dict[str, bytes]) -> None:
    assert set(books) == set(REASONS)


@pytest.mark.parametrize("name", sorted(REASONS))
def test_a_hostile_workbook_is_one_unreadable_finding_at_once(
    books: dict[str, bytes], name: str
) -> None:
    began = time.process_time()
    findings = check_file(books[name], "plan.xlsx", options_from_text())
    assert time.process_time() - began < 0.5
    assert [(f.code, f.message) for f in findings] == [
        ("unreadable", f"cannot be read: {REASONS[name]}")
    ]


def test_a_workbook_holding_100_mb_of_text_is_refused_from_its_sizes(book: bytes) -> None:
    data = huge_text(book)
    assert len(data) < 200_000
    began = time.process_time()
    findings = check_file(data, "plan.xlsx", options_from_text())
    assert time.process_time() - began < 0.2
    assert [f.message for f in findings] == [
        "cannot be read: the workbook unpacks to more than 50 MB: not a titration plan"
    ]


def test_one_hostile_workbook_does_not_end_the_batch(
    runner: CliRunner, books: dict[str, bytes], tmp_path: Path
) -> None:
    paths = []
    for number, name in enumerate(sorted(REASONS)):
        path = tmp_path / f"{number:02}.xlsx"
        path.write_bytes(books[name])
        paths.append(str(path))
    good = tmp_path / "good.csv"
    good.write_text("step,start_date,end_date,days,dose_mg\n1,2026-12-07,,,0.5\n")
    result = runner.invoke(app, ["check", "--format", "csv", *paths, str(good)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"checked {len(paths) + 1} plans: {len(paths)} with errors, 0 with warnings, 1 clean\n"
    )
    assert result.stdout.count(",unreadable,") == len(paths)
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("letters", "number"), [("A", 1), ("Z", 26), ("AA", 27), ("IV", 256), ("ZZZ", 18278)]
)
def test_column_letters_count_as_a_spreadsheet_does(letters: str, number: int) -> None:
    assert column_number(letters) == number
