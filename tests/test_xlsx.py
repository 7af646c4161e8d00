"""The xlsx workbook, read back with openpyxl: sheets, typed cells, print setup, the command."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.worksheet.worksheet import Worksheet

from ldn_titrate.formats import WriteOptions, xlsx_format
from ldn_titrate.model import Schedule
from ldn_titrate.request import Raw, build_request
from ldn_titrate.rules import build_schedule

LIQUID = {"form": "liquid", "concentration": "5", "graduation": "0.1", "bud": "60"}


def plan(**changes: Raw | None) -> Schedule:
    values: dict[str, Raw] = {
        "start": "0.5",
        "target": "4.5",
        "step": "0.5",
        "every": "7d",
        "from": "2026-12-07",
        "maintenance_days": "28",
    }
    values.update((k, v) for k, v in changes.items() if v is not None)
    for key in [k for k, v in changes.items() if v is None]:
        del values[key]
    return build_schedule(build_request(values, {}, date(2026, 12, 7)))


def book_of(schedule: Schedule, options: WriteOptions | None = None) -> openpyxl.Workbook:
    data = xlsx_format.write(schedule, options or WriteOptions())
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return [tuple(c.value for c in row) for row in sheet.iter_rows()]


def cells_of(book: openpyxl.Workbook) -> list[Any]:
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]


def header_index(sheet: Worksheet) -> int:
    """The row number of the step table's heading row."""
    for number, row in enumerate(rows(sheet), start=1):
        if row[0] in {"Step", "Item"}:
            return number
    raise AssertionError("no heading row")


def details(sheet: Worksheet) -> list[tuple[Any, Any]]:
    """The key and text of each line above the step table (the text spans the later columns)."""
    found = []
    for row in rows(sheet)[: header_index(sheet) - 1]:
        texts = [value for value in row[1:] if value is not None]
        if row[0] is not None:
            found.append((row[0], texts[0] if texts else None))
    return found


def day(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_a_plan_without_formulation_has_one_sheet_with_title_and_steps() -> None:
    book = book_of(plan(target="1", maintenance_days="14"), WriteOptions())
    assert book.sheetnames == ["Schedule"]
    assert rows(book["Schedule"]) == [
        ("Low-dose naltrexone titration plan", None, None, None, None, None),
        ("Every dose is taken by mouth once daily at bedtime.", None, None, None, None, None),
        (None, None, None, None, None, None),
        ("Step", "First day", "Last day", "Days", "Dose (mg)", "Instructions"),
        (
            1,
            day("2026-12-07"),
            day("2026-12-13"),
            7,
            0.5,
            "Take 0.5 mg naltrexone by mouth once daily at bedtime.",
        ),
        (
            2,
            day("2026-12-14"),
            day("2026-12-27"),
            14,
            1,
            "Take 1 mg naltrexone by mouth once daily at bedtime.",
        ),
    ]


def test_a_liquid_plan_states_its_details_and_dispensing() -> None:
    options = WriteOptions(prescriber="=Dr A. Smith", pharmacy="+44 High St")
    book = book_of(plan(label="0012345", **LIQUID), options)
    assert book.sheetnames == ["Schedule", "Dispense"]
    schedule = rows(book["Schedule"])
    assert details(book["Schedule"]) == [
        ("Low-dose naltrexone titration plan", None),
        ("Label", "0012345"),
        ("Prescriber", "=Dr A. Smith"),
        ("Pharmacy", "+44 High St"),
        (
            "Formulation",
            (
                "Naltrexone 5 mg/mL oral liquid (5 mg in 1 mL), measured on an oral syringe "
                "marked every 0.1 mL"
            ),
        ),
        ("Every dose is taken by mouth once daily at bedtime.", None),
    ]
    # The quantities are the Dispense sheet's, so the step table prints at full size.
    assert schedule[7] == (
        "Step",
        "First day",
        "Last day",
        "Days",
        "Dose (mg)",
        "Volume (mL)",
        "Instructions",
    )
    assert schedule[8][:6] == (1, day("2026-12-07"), day("2026-12-13"), 7, 0.5, 0.1)
    assert schedule[16][:6] == (9, day("2027-02-01"), day("2027-02-28"), 28, 4.5, 0.9)
    dispense = rows(book["Dispense"])
    start = header_index(book["Dispense"]) - 1
    assert dispense[start][:3] == ("Item", "Days", "Quantity (mL)")
    totals = {r[0]: r[1:3] for r in dispense[start + 1 : start + 13]}
    assert totals["Titration total"] == (56, 25.2)
    assert totals["Maintenance total"] == (28, 25.2)
    assert totals["Grand total"] == (84, 50.4)
    per_step = [Decimal(str(dispense[start + n][2])) for n in range(1, 10)]
    assert sum(per_step) == Decimal("50.4")
    fills = [r[:5] for r in dispense if r[0] in {1, 2}]
    assert fills == [
        (1, day("2026-12-07"), day("2027-02-04"), day("2026-12-07"), 28.8),
        (2, day("2027-02-05"), day("2027-02-28"), day("2027-02-05"), 21.6),
    ]


def test_overage_is_a_row_of_the_totals() -> None:
    book = book_of(plan(overage="10", **LIQUID))
    totals = {r[0]: r[1:3] for r in rows(book["Dispense"])}
    assert totals["Overage (10%)"] == (None, 5.04)
    assert totals["Grand total"] == (84, 55.44)


def test_capsules_are_counted_per_strength_as_numbers() -> None:
    schedule = plan(
        start="1.5", target="4.5", step="1.5", form="capsule", strengths="1.5,0.5", max_units="4"
    )
    book = book_of(schedule)
    sheet = rows(book["Schedule"])
    heading = header_index(book["Schedule"]) - 1
    assert sheet[heading][5:7] == ("Capsules", "Instructions")
    assert sheet[heading + 1][5] == "1 × 1.5 mg"
    dispense = book["Dispense"]
    assert rows(dispense)[header_index(dispense) - 1][:4] == (
        "Item",
        "Days",
        "Quantity (1.5 mg capsules)",
        "Quantity (0.5 mg capsules)",
    )
    assert rows(dispense)[header_index(dispense)][:4] == ("Step 1", 7, 7, 0)
    totals = {r[0]: r[1:4] for r in rows(dispense)}
    assert totals["Grand total"] == (42, 7 * 1 + 7 * 2 + 28 * 3, 0)


@pytest.mark.parametrize("text", ["=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "0012345"])
def test_user_text_is_a_plain_string_as_typed(text: str) -> None:
    book = book_of(plan(label=text, **LIQUID), WriteOptions(prescriber=text, pharmacy=text))
    for sheet in book.worksheets:
        typed = [
            row[2]
            for row in sheet.iter_rows(max_row=6)
            if row[0].value in {"Label", "Prescriber", "Pharmacy"}
        ]
        assert [(c.value, c.data_type) for c in typed] == [(text, "s")] * 3


def test_no_cell_holds_a_formula() -> None:
    book = book_of(plan(label="=1+1", **LIQUID), WriteOptions(prescriber="=A1", pharmacy="@x"))
    kinds = {c.data_type for c in cells_of(book)}
    assert "f" not in kinds
    assert kinds <= {"s", "n", "d"}


def test_every_cell_is_typed() -> None:
    book = book_of(plan(**LIQUID))
    for cell in cells_of(book):
        if cell.value is None:
            continue
        if cell.is_date:
            assert isinstance(cell.value, datetime)
            assert cell.number_format == "yyyy-mm-dd ddd"
        elif isinstance(cell.value, str):
            assert cell.data_type == "s"
        else:
            assert isinstance(cell.value, int | float)
            # A count is a whole number; an amount shows exactly the digits its cell holds.
            assert cell.number_format in {"0", "General"}


def test_a_corrected_dose_shows_exactly_what_was_typed() -> None:
    """A pharmacist who types 0.75 over 0.5 sees 0.75, never a rounded 0.8."""
    book = book_of(plan(**LIQUID))
    sheet = book["Schedule"]
    cell = sheet.cell(row=header_index(sheet) + 1, column=5)
    assert cell.number_format == "General"
    cell.value = 0.75
    out = io.BytesIO()
    book.save(out)
    again = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["Schedule"]
    edited = again.cell(row=header_index(again) + 1, column=5)
    assert (edited.value, edited.number_format) == (0.75, "General")


# Every dose a plan may hold, 0.5 mg to 4.5 mg to the thousandth; 0.009 is one that
# openpyxl's own "%.16g" would write as 0.008999999999999999.
doses = st.integers(min_value=500, max_value=4500).map(lambda n: Decimal(n).scaleb(-3))


@given(doses)
def test_doses_read_back_exactly(dose: Decimal) -> None:
    schedule = plan(start=str(dose), target=str(dose), step=None, every=None)
    sheet = book_of(schedule)["Schedule"]
    cell = sheet.cell(row=header_index(sheet) + 1, column=5)
    assert Decimal(str(cell.value)) == dose
    assert cell.number_format == "General"


def test_a_number_is_written_with_its_exact_digits() -> None:
    with zipfile.ZipFile(io.BytesIO(xlsx_format.write(plan(**LIQUID)))) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
    assert "<v>50.4</v>" in sheet
    assert "99999" not in sheet
    assert "00000" not in sheet


def test_print_setup() -> None:
    book = book_of(plan(**LIQUID))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr is not None
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        heading = header_index(sheet)
        assert sheet.print_title_rows == f"${heading}:${heading}"
        assert sheet.cell(row=heading + 1, column=1).border.left.style == "thin"
    schedule = book["Schedule"]
    instructions = schedule.cell(row=header_index(schedule) + 1, column=7)
    assert instructions.alignment.wrap_text
    assert schedule.column_dimensions["G"].width == 62


# The command


def run_plan(
    *args: str, cwd: Path, stdout: int | None = None
) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "ldn_titrate", "plan", "--start", "0.5", "--target", "1"]
    return subprocess.run(
        [*command, "--step", "0.5", "--every", "7d", "--from", "2026-12-07", *args],
        cwd=cwd,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
        timeout=60,
        env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1"},
    )


def test_xlsx_is_written_to_a_file(tmp_path: Path) -> None:
    result = run_plan("--format", "xlsx", "-o", "plan.xlsx", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")
    assert openpyxl.load_workbook(tmp_path / "plan.xlsx").sheetnames == ["Schedule"]


def test_xlsx_is_written_to_a_pipe(tmp_path: Path) -> None:
    result = run_plan("--format", "xlsx", cwd=tmp_path)
    assert result.returncode == 0
    assert openpyxl.load_workbook(io.BytesIO(result.stdout)).sheetnames == ["Schedule"]


def test_xlsx_is_refused_on_a_terminal(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    try:
        result = run_plan("--format", "xlsx", cwd=tmp_path, stdout=follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2
    assert result.stderr == (
        b"error: --format xlsx: a workbook cannot be shown on a terminal; "
        b"write it to a file with -o plan.xlsx\n"
    )


def test_split_steps_add_morning_and_bedtime_columns() -> None:
    schedule = build_schedule(
        build_request(
            {
                "steps": ["0.5 mg for 7d", "0.5 mg + 1.5 mg"],
                "from": "2026-12-07",
                "form": "liquid",
                "concentration": "1 mg/mL",
            },
            {},
            date(2026, 12, 7),
        )
    )
    sheet = book_of(schedule)["Schedule"]
    heading = header_index(sheet)
    assert rows(sheet)[heading - 1 : heading + 2] == [
        (
            "Step",
            "First day",
            "Last day",
            "Days",
            "Dose (mg)",
            "Morning (mg)",
            "Bedtime (mg)",
            "Volume (mL)",
            "Morning (mL)",
            "Bedtime (mL)",
            "Instructions",
        ),
        (
            1,
            day("2026-12-07"),
            day("2026-12-13"),
            7,
            0.5,
            None,
            None,
            0.5,
            None,
            None,
            (
                "Take 0.5 mL (0.5 mg) of naltrexone 1 mg/mL oral liquid by mouth once daily at "
                "bedtime."
            ),
        ),
        (
            2,
            day("2026-12-14"),
            None,
            None,
            2,
            0.5,
            1.5,
            2,
            0.5,
            1.5,
            (
                "Take 0.5 mL (0.5 mg) of naltrexone 1 mg/mL oral liquid by mouth in the morning "
                "and 1.5 mL (1.5 mg) at bedtime (2 mg a day)."
            ),
        ),
    ]
    # Nothing stands under the table: the supply note is a detail above it.
    assert len(rows(sheet)) == heading + 2
    assert ("The ongoing target step is counted as a 30-day supply.", None) in details(sheet)


# The paper


def test_the_paper_is_a4_unless_letter_is_asked_for() -> None:
    for options, code in ((WriteOptions(), 9), (WriteOptions(paper="letter"), 1)):
        for sheet in book_of(plan(**LIQUID), options).worksheets:
            assert sheet.page_setup.paperSize == code


def test_paper_letter_at_the_command_line(tmp_path: Path) -> None:
    result = run_plan("-o", "plan.xlsx", "--paper", "Letter", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, b"")
    sheet = openpyxl.load_workbook(tmp_path / "plan.xlsx")["Schedule"]
    assert sheet.page_setup.paperSize == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--paper", "a5", "-o", "plan.xlsx"], "--paper: must be a4 or letter, got 'a5'"),
        (["--paper", "a4", "--format", "csv"], "--paper: applies to --format xlsx and html only"),
    ],
)
def test_a_wrong_paper_is_refused(args: list[str], message: str, tmp_path: Path) -> None:
    result = run_plan(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode().startswith(f"error: {message}")
    assert list(tmp_path.iterdir()) == []
