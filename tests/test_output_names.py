"""The output file's name picks the format when --format is not given."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from cli_support import run as invoke
from ldn_titrate.cli import app
from ldn_titrate.formats import Format, formats_named_by

PLAN = ["plan", "--start", "0.5", "--target", "1", "--step", "0.5", "--every", "7d"]
PLAN += ["--from", "2026-12-07"]


def run(runner: CliRunner, *args: str) -> Result:
    return invoke(runner, *PLAN, *args)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("plan.csv", (Format.CSV,)),
        ("PLAN.CSV", (Format.CSV,)),
        ("a/b.c/plan.json", (Format.JSON, Format.FHIR)),
        ("plan.ics", (Format.ICS,)),
        ("plan.xlsx", (Format.XLSX,)),
        ("handout.html", (Format.HTML,)),
        ("handout.htm", (Format.HTML,)),
        ("plan.txt", ()),
        ("plan", ()),
        (".hidden", ()),
        ("plan.pdf", None),
    ],
)
def test_each_ending_names_its_formats(name: str, expected: tuple[Format, ...] | None) -> None:
    assert formats_named_by(name) == expected


def test_a_csv_name_writes_csv(runner: CliRunner, here: Path) -> None:
    result = run(runner, "-o", "plan.csv")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert (here / "plan.csv").read_text(encoding="utf-8").startswith("step,start_date,")


def test_a_json_name_writes_the_plan_json(runner: CliRunner, here: Path) -> None:
    result = run(runner, "-o", "plan.json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads((here / "plan.json").read_text(encoding="utf-8"))["steps"][0]["dose_mg"]


def test_a_json_name_takes_fhir_when_asked(runner: CliRunner, here: Path) -> None:
    result = run(runner, "-o", "plan.json", "--format", "fhir")
    assert (result.exit_code, result.stderr) == (0, "")
    data = json.loads((here / "plan.json").read_text(encoding="utf-8"))
    assert data["resourceType"] in {"MedicationRequest", "Bundle"}


def test_an_xlsx_name_writes_a_workbook(runner: CliRunner, here: Path) -> None:
    result = run(runner, "-o", "plan.xlsx")
    assert (result.exit_code, result.stderr) == (0, "")
    assert openpyxl.load_workbook(here / "plan.xlsx").sheetnames


def test_an_ics_name_writes_a_calendar(runner: CliRunner, here: Path) -> None:
    result = run(runner, "-o", "plan.ics")
    assert (result.exit_code, result.stderr) == (0, "")
    assert (here / "plan.ics").read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


def test_an_html_name_writes_the_handout(runner: CliRunner, here: Path) -> None:
    result = run(runner, "-o", "handout.html")
    assert (result.exit_code, result.stderr) == (0, "")
    assert (here / "handout.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_txt_name_keeps_the_table_quietly(runner: CliRunner, here: Path) -> None:
    result = run(runner, "-o", "plan.txt")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert "0.5 mg" in (here / "plan.txt").read_text(encoding="utf-8")


def test_an_unknown_ending_keeps_the_table_with_a_warning(runner: CliRunner, here: Path) -> None:
    result = run(runner, "-o", "plan.pdf")
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: --output 'plan.pdf': the name ends in no known format; "
        "writing the table (--format chooses another)\n"
    )
    assert "0.5 mg" in (here / "plan.pdf").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "fmt", "kind"),
    [("plan.csv", "json", "csv"), ("plan.xlsx", "csv", "xlsx"), ("plan.json", "table", "json")],
)
def test_a_format_that_contradicts_the_name_is_refused(
    runner: CliRunner, here: Path, name: str, fmt: str, kind: str
) -> None:
    result = run(runner, "-o", name, "--format", fmt)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        (
            f"error: --format {fmt}: contradicts --output '{name}', a {kind} file name; "
            "leave --format out or change the name\n"
        ),
    )
    assert list(here.iterdir()) == []


def test_replan_takes_the_format_from_the_name(runner: CliRunner, here: Path) -> None:
    assert run(runner, "-o", "plan.json").exit_code == 0
    result = runner.invoke(
        app, ["replan", "plan.json", "--on", "2026-12-16", "--back-down", "-o", "new.csv"]
    )
    assert result.exit_code == 0, result.stderr
    assert (here / "new.csv").read_text(encoding="utf-8").startswith("step,start_date,")
