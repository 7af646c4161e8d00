"""The command line: exact output, exit codes, files, refusals and warnings."""

from __future__ import annotations

import io
import json
import os
import re
import tomllib
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from ldn_titrate import __version__
from ldn_titrate.cli import app
from ldn_titrate.formats import BINARY, READERS, Format
from ldn_titrate.request import KEYS

DATA = Path(__file__).parent / "data"
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.toml"))

DOSES = ["--start", "0.5", "--target", "2", "--step", "0.5", "--every", "7d"]
PLAN = ["plan", *DOSES, "--from", "2026-12-07"]

CSV_TEXT = (
    "step,start_date,end_date,days,dose_mg,instructions,label\r\n"
    "1,2026-12-07,2026-12-13,7,0.5,Take 0.5 mg naltrexone by mouth once daily at bedtime.,\r\n"
    "2,2026-12-14,2026-12-20,7,1,Take 1 mg naltrexone by mouth once daily at bedtime.,\r\n"
    "3,2026-12-21,2026-12-27,7,1.5,Take 1.5 mg naltrexone by mouth once daily at bedtime.,\r\n"
    "4,2026-12-28,,,2,Take 2 mg naltrexone by mouth once daily at bedtime.,\r\n"
)

# Whole outputs of PLAN in a terminal of 200, 80 and 40 columns. To rewrite them on purpose
# after a deliberate change of output: LDN_TITRATE_REGENERATE=1 python3 -m pytest
REGENERATE = os.environ.get("LDN_TITRATE_REGENERATE") == "1"


def golden(name: str, actual: str) -> str:
    """The expected text of a golden file; rewritten from ``actual`` only when asked."""
    path = DATA / name
    if REGENERATE:
        path.write_text(actual, encoding="utf-8")
    return path.read_text(encoding="utf-8")


TABLE_200 = (DATA / "table-200-columns.txt").read_text(encoding="utf-8")

# Select Graphic Rendition parameters that set a colour (foreground or background).
COLOUR_CODES = re.compile(r"^(3[0-9]|4[0-9]|9[0-7]|10[0-7])$")


def run(runner: CliRunner, *args: str, columns: int | None = None) -> Result:
    env = None if columns is None else {"COLUMNS": str(columns)}
    result = runner.invoke(app, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def refused(runner: CliRunner, *args: str) -> str:
    """Run a command that must be refused as invalid input; return its stderr."""
    result = run(runner, *args)
    assert result.stdout == ""
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


# Output to stdout


def test_csv_to_stdout(runner: CliRunner) -> None:
    result = run(runner, *PLAN, "--format", "csv")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout_bytes.decode() == CSV_TEXT
    assert result.stdout == CSV_TEXT.replace("\r\n", "\n")


def test_format_names_ignore_case(runner: CliRunner) -> None:
    result = run(runner, *PLAN, "--format", " CSV ")
    assert (result.exit_code, result.stdout_bytes.decode()) == (0, CSV_TEXT)


def test_dash_output_is_stdout(runner: CliRunner) -> None:
    result = run(runner, *PLAN, "--format", "csv", "-o", "-")
    assert (result.exit_code, result.stdout_bytes.decode(), result.stderr) == (0, CSV_TEXT, "")


def test_json_to_stdout(runner: CliRunner) -> None:
    result = run(runner, *PLAN, "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert result.stdout == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert list(data)[:3] == ["schema_version", "tool", "tool_version"]
    assert (data["schema_version"], data["tool"], data["tool_version"]) == (
        1,
        "ldn-titrate",
        "0.1.0",
    )
    request = data["request"]
    core = (
        "start",
        "target",
        "step",
        "every",
        "from",
        "maintenance_days",
        "time",
        "label",
        "source",
    )
    assert {k: request.pop(k) for k in core} == {
        "start": "0.5",
        "target": "2",
        "step": "0.5",
        "every": "7d",
        "from": "2026-12-07",
        "maintenance_days": None,
        "time": "bedtime",
        "label": None,
        "source": None,
    }
    assert all(value is None for value in request.values())  # no formulation asked for
    assert data["steps"] == [
        {
            "step": 1,
            "start_date": "2026-12-07",
            "end_date": "2026-12-13",
            "days": 7,
            "dose_mg": "0.5",
            "administrations": [{"time": "bedtime", "dose_mg": "0.5"}],
            "instructions": "Take 0.5 mg naltrexone by mouth once daily at bedtime.",
            "label": None,
        },
        {
            "step": 2,
            "start_date": "2026-12-14",
            "end_date": "2026-12-20",
            "days": 7,
            "dose_mg": "1",
            "administrations": [{"time": "bedtime", "dose_mg": "1"}],
            "instructions": "Take 1 mg naltrexone by mouth once daily at bedtime.",
            "label": None,
        },
        {
            "step": 3,
            "start_date": "2026-12-21",
            "end_date": "2026-12-27",
            "days": 7,
            "dose_mg": "1.5",
            "administrations": [{"time": "bedtime", "dose_mg": "1.5"}],
            "instructions": "Take 1.5 mg naltrexone by mouth once daily at bedtime.",
            "label": None,
        },
        {
            "step": 4,
            "start_date": "2026-12-28",
            "end_date": None,
            "days": None,
            "dose_mg": "2",
            "administrations": [{"time": "bedtime", "dose_mg": "2"}],
            "instructions": "Take 2 mg naltrexone by mouth once daily at bedtime.",
            "label": None,
        },
    ]
    assert data["warnings"] == []
    assert set(data) <= {"schema_version", "tool", "tool_version", "request", "steps", "warnings"}


def test_json_warnings(runner: CliRunner) -> None:
    result = run(
        runner, "plan", "--start", "1", "--target", "1", "--from", "2026-12-07", "--format", "json"
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["warnings"] == [
        {
            "code": "maintenance-only",
            "option": "--target",
            "message": "the start equals the target: a single maintenance step, no titration",
        }
    ]


# The table


def test_table_at_200_columns(runner: CliRunner) -> None:
    result = run(runner, *PLAN, columns=200)
    expected = golden("table-200-columns.txt", result.stdout)
    assert (result.exit_code, result.stdout, result.stderr) == (0, expected, "")


def test_table_is_the_default_format(runner: CliRunner) -> None:
    assert run(runner, *PLAN, "--format", "table").stdout == TABLE_200


def test_table_at_80_columns_drops_the_instructions(runner: CliRunner) -> None:
    result = run(runner, *PLAN, columns=80)
    expected = golden("table-80-columns.txt", result.stdout)
    assert (result.exit_code, result.stdout, result.stderr) == (0, expected, "")


def test_plain_lines_at_40_columns(runner: CliRunner) -> None:
    result = run(runner, *PLAN, columns=40)
    expected = golden("lines-40-columns.txt", result.stdout)
    assert (result.exit_code, result.stdout, result.stderr) == (0, expected, "")


@pytest.mark.parametrize("columns", [20, 40, 57, 58, 80, 115, 116, 200])
def test_doses_and_dates_are_never_cut(runner: CliRunner, columns: int) -> None:
    text = run(runner, *PLAN, columns=columns).stdout
    for day in ("2026-12-07 Mon", "2026-12-13 Sun", "2026-12-28 Mon"):
        assert day in text
    for dose in ("0.5 mg", "1 mg", "1.5 mg", "2 mg"):
        assert dose in text
    assert "…" not in text


def test_markup_in_a_label_is_shown_literally(runner: CliRunner) -> None:
    for columns in (200, 80, 40):
        text = run(runner, *PLAN, "--label", "[red]x", columns=columns).stdout
        assert (
            text.replace("\n  ", " ").splitlines()[0]
            == "Low-dose naltrexone titration plan: [red]x"
        )


@pytest.mark.parametrize("columns", [200, 80, 40])
def test_emoji_codes_in_a_label_are_shown_literally(runner: CliRunner, columns: int) -> None:
    text = run(runner, *PLAN, "--label", ":pill: AB", columns=columns).stdout
    assert (
        text.replace("\n  ", " ").splitlines()[0] == "Low-dose naltrexone titration plan: :pill: AB"
    )


def test_no_colour_with_no_color(runner: CliRunner) -> None:
    result = runner.invoke(
        app, [*PLAN, "--label", "[red]x[/red]"], env={"FORCE_COLOR": "1", "NO_COLOR": "1"}
    )
    assert result.exit_code == 0
    assert "[red]x[/red]" in result.stdout
    for codes in re.findall(r"\x1b\[([0-9;]*)m", result.stdout):
        assert not any(COLOUR_CODES.match(code) for code in codes.split(";")), codes


def test_morning_and_maintenance_in_the_table(runner: CliRunner) -> None:
    text = run(runner, *PLAN, "--time", "morning", "--maintenance-days", "14").stdout
    assert (
        "│    4 │ 2026-12-28 Mon │ 2027-01-10 Sun │   14 │   2 mg │ "
        "Take 2 mg naltrexone by mouth once daily in the morning.   │" in text
    )


# Output files


def test_output_file(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(runner, *PLAN, "--format", "csv", "-o", "plan.csv")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert (tmp_path / "plan.csv").read_bytes() == CSV_TEXT.encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.csv"]


def test_table_to_a_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(runner, *PLAN, "--output", "plan.txt", columns=200)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert (tmp_path / "plan.txt").read_text(encoding="utf-8") == TABLE_200


def test_existing_file_is_not_replaced(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.csv").write_text("keep me\n", encoding="utf-8")
    result = run(runner, *PLAN, "--format", "csv", "-o", "plan.csv")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        result.stderr == "error: --output 'plan.csv': already exists; add --force to replace it\n"
    )
    assert (tmp_path / "plan.csv").read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.csv"]


def test_force_replaces_the_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.json").write_text("old\n", encoding="utf-8")
    result = run(runner, *PLAN, "--format", "json", "-o", "plan.json", "--force")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    data = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert [s["dose_mg"] for s in data["steps"]] == ["0.5", "1", "1.5", "2"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_output_into_a_missing_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(runner, *PLAN, "--format", "csv", "-o", "nowhere/plan.csv")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: --output 'nowhere/plan.csv': cannot be written (No such file or directory)\n"
    )


# Refusals


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["--start", ".5"], "error: --start: write a leading zero (0.5), got '.5'\n"),
        (["--start", "1,5"], "error: --start: use a point for decimals (1.5), got '1,5'\n"),
        (
            ["--start", "1e0"],
            (
                "error: --start: write digits with an optional decimal point, such as 0.5 or 2.25, "
                "got '1e0'\n"
            ),
        ),
        (
            ["--step", "1_0"],
            (
                "error: --step: write digits with an optional decimal point, such as 0.5 or 2.25, "
                "got '1_0'\n"
            ),
        ),
        (["--start", "١"], "error: --start: use the digits 0-9 only, got '١'\n"),
        (["--start", "-1"], "error: --start: a dose has no sign, got '-1'\n"),
        (["--target", "+2"], "error: --target: a dose has no sign, got '+2'\n"),
        (["--start", "nan"], "error: --start: must be a number, got 'nan'\n"),
        (
            ["--start", "500 µg"],
            "error: --start: write micrograms as mcg, never µg or ug, got '500 µg'\n",
        ),
        (
            ["--start", "500ug"],
            "error: --start: write micrograms as mcg, never µg or ug, got '500ug'\n",
        ),
        (
            ["--target", "4.5mcg"],
            (
                "error: --target: did you mean 4.5 mg? 4.5 mcg is a microgram dose, "
                "below the 0.1 mg floor, got '4.5mcg'\n"
            ),
        ),
        (["--target", "6"], "error: --target: must be from 0.5 mg to 4.5 mg, got '6'\n"),
        (["--target", "0.25"], "error: --target: must be from 0.5 mg to 4.5 mg, got '0.25'\n"),
        (["--start", "0.05"], "error: --start: must be from 0.1 mg to 4.5 mg, got '0.05'\n"),
        (["--step", "0"], "error: --step: must be more than 0 mg and at most 4.5 mg, got '0'\n"),
        (["--step", "5"], "error: --step: must be more than 0 mg and at most 4.5 mg, got '5'\n"),
        (["--step", "0.0005"], "error: --step: use at most 3 decimal places in mg, got '0.0005'\n"),
        (
            ["--step", "0.01"],
            (
                "error: --step: makes more than 100 steps from 0.5 mg to 2 mg; use a larger step, "
                "got '0.01'\n"
            ),
        ),
        (["--every", "1m"], "error: --every: use 1mo for months or 30d for days, got '1m'\n"),
        (
            ["--every", "fortnight"],
            (
                "error: --every: write whole days (7 or 7d), weeks (2w) or calendar months (1mo), "
                "got 'fortnight'\n"
            ),
        ),
        (
            ["--every", "27w"],
            (
                "error: --every: must be from 1 day to 26 weeks (182d, 26w or 5mo at most), "
                "got '27w'\n"
            ),
        ),
        (
            ["--from", "01/02/2026"],
            (
                "error: --from: write YYYY-MM-DD, today, tomorrow or a weekday name such as monday "
                "(other forms are ambiguous), got '01/02/2026'\n"
            ),
        ),
        (
            ["--from", "2026-02-30"],
            "error: --from: no such day in the calendar, got '2026-02-30'\n",
        ),
        (
            ["--format", "xml"],
            "error: --format: must be one of table, csv, json, fhir, ics, xlsx, html, got 'xml'\n",
        ),
        (["--time", "noon"], "error: --time: must be bedtime or morning, got 'noon'\n"),
        (
            ["--maintenance-days", "0"],
            "error: --maintenance-days: must be a whole number of days from 1 to 3660, got '0'\n",
        ),
        (
            ["--maintenance-days", "2w"],
            "error: --maintenance-days: must be a whole number of days, such as 30, got '2w'\n",
        ),
        (
            ["--label", "a\tb"],
            (
                "error: --label: must be printable text on one line "
                "(no tabs or control characters), got 'a\\tb'\n"
            ),
        ),
    ],
)
def test_refusals(runner: CliRunner, args: list[str], stderr: str) -> None:
    """The base plan with one option's value replaced (an option may be given once only)."""
    base = dict(zip(PLAN[1::2], PLAN[2::2], strict=True))
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = ["plan", *(part for pair in base.items() for part in pair)]
    assert refused(runner, *argv) == stderr


def test_missing_start(runner: CliRunner) -> None:
    assert refused(runner, "plan", "--target", "2", "--step", "0.5", "--every", "7d") == (
        "error: --start: is required\n"
    )


def test_missing_start_and_target(runner: CliRunner) -> None:
    assert refused(runner, "plan", "--from", "2026-12-07") == (
        "error: --start: is required\nerror: --target: is required\n"
    )


def test_missing_step_when_start_differs_from_target(runner: CliRunner) -> None:
    args = ["plan", "--start", "0.5", "--target", "2", "--every", "7d", "--from", "2026-12-07"]
    assert refused(runner, *args) == (
        "error: --step: is required when the start differs from the target\n"
    )


def test_missing_interval_when_start_differs_from_target(runner: CliRunner) -> None:
    args = ["plan", "--start", "0.5", "--target", "2", "--step", "0.5", "--from", "2026-12-07"]
    assert refused(runner, *args) == (
        "error: --every: is required when the start differs from the target\n"
    )


def test_several_problems_one_line_each(runner: CliRunner) -> None:
    args = ["plan", "--start", ".5", "--target", "2", "--step", "0.5", "--every", "1m"]
    assert refused(runner, *args, "--time", "noon") == (
        "error: --start: write a leading zero (0.5), got '.5'\n"
        "error: --every: use 1mo for months or 30d for days, got '1m'\n"
        "error: --time: must be bedtime or morning, got 'noon'\n"
    )


def test_a_bad_format_does_not_hide_other_problems(runner: CliRunner) -> None:
    args = ["plan", "--start", ".5", "--target", "2", "--step", "0.5", "--every", "7d"]
    lines = refused(runner, *args, "--format", "xml").splitlines()
    assert sorted(lines) == [
        "error: --format: must be one of table, csv, json, fhir, ics, xlsx, html, got 'xml'",
        "error: --start: write a leading zero (0.5), got '.5'",
    ]


def test_an_option_given_twice(runner: CliRunner) -> None:
    assert (
        refused(runner, *PLAN, "--start", "1") == "error: --start: give it once, got '0.5', '1'\n"
    )


def test_a_plan_running_past_the_calendar_is_refused(runner: CliRunner) -> None:
    stderr = refused(runner, "plan", *DOSES, "--from", "9999-12-25")
    assert stderr.startswith("error: --from: ")
    assert stderr.count("\n") == 1


def test_maintenance_past_the_calendar_is_refused(runner: CliRunner) -> None:
    args = ["plan", "--start", "1", "--target", "1", "--from", "9999-12-25"]
    stderr = refused(runner, *args, "--maintenance-days", "30")
    assert stderr.startswith("error: ")


def test_unknown_option_is_a_usage_error(runner: CliRunner) -> None:
    result = run(runner, *PLAN, "--dose", "1")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "No such option: --dose" in result.stderr


# Warnings


def test_warnings_go_to_stderr(runner: CliRunner) -> None:
    args = ["plan", "--start", "0.25", "--target", "4.5", "--step", "2", "--every", "2d"]
    result = run(runner, *args, "--from", "2026-12-07", "--format", "csv")
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: --start: 0.25 mg is a very low dose (below 0.5 mg)\n"
        "warning: --every: a step every 2 day(s) is faster than any published LDN protocol "
        "(every 3 days at the fastest)\n"
        "warning: --step: a step of 2 mg is larger than any published LDN protocol uses "
        "(1.5 mg at most)\n"
    )
    assert result.stdout.startswith("step,start_date,end_date,days,dose_mg,instructions,label\n")
    assert [line.split(",")[4] for line in result.stdout.splitlines()[1:]] == [
        "0.25",
        "2.25",
        "4.25",
        "4.5",
    ]


def test_maintenance_only_warning(runner: CliRunner) -> None:
    result = run(
        runner,
        "plan",
        "--start",
        "1.5",
        "--target",
        "1.5mg",
        "--from",
        "2026-12-07",
        "--format",
        "csv",
    )
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: --target: the start equals the target: a single maintenance step, no titration\n"
    )
    assert result.stdout == (
        "step,start_date,end_date,days,dose_mg,instructions,label\n"
        "1,2026-12-07,,,1.5,Take 1.5 mg naltrexone by mouth once daily at bedtime.,\n"
    )


# Version


def test_version(runner: CliRunner) -> None:
    result = run(runner, "--version")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "ldn-titrate 0.1.0\n", "")
    assert __version__ == "0.1.0"


# Request files


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_request_file(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / "r.toml",
        'start = "0.5 mg"\ntarget = 2\nstep = 0.5\nevery = "1w"\nfrom = 2026-12-07\n',
    )
    result = run(runner, "plan", "r.toml", "--format", "csv")
    assert (result.exit_code, result.stdout_bytes.decode(), result.stderr) == (0, CSV_TEXT, "")


def test_options_override_the_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "r.toml", 'start = "0.5"\ntarget = "4.5"\nstep = "0.5"\nevery = "3d"\n')
    result = run(
        runner,
        "plan",
        "r.toml",
        "--target",
        "2",
        "--every",
        "7d",
        "--from",
        "2026-12-07",
        "--format",
        "csv",
    )
    assert (result.exit_code, result.stdout_bytes.decode(), result.stderr) == (0, CSV_TEXT, "")


def test_request_file_values_are_named_by_file_and_key(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "r.toml", 'start = "0.25"\ntarget = "6"\nstep = "0.25"\nevery = "7d"\n')
    assert refused(runner, "plan", "r.toml") == (
        "error: r.toml: target: must be from 0.5 mg to 4.5 mg, got '6'\n"
    )
    result = run(
        runner, "plan", "r.toml", "--target", "1", "--from", "2026-12-07", "--format", "csv"
    )
    assert result.exit_code == 0
    assert result.stderr == "warning: r.toml: start: 0.25 mg is a very low dose (below 0.5 mg)\n"


def test_request_file_missing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert (
        refused(runner, "plan", "missing.toml") == "error: REQUEST 'missing.toml': no such file\n"
    )


def test_request_file_not_utf8(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.toml").write_bytes(b'label = "\xff"\n')
    assert refused(runner, "plan", "r.toml") == "error: REQUEST 'r.toml': not UTF-8 text\n"


def test_request_file_unknown_key(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "r.toml", 'start = "1"\ndose = "1"\n')
    assert refused(runner, "plan", "r.toml") == (
        f"error: r.toml: unknown key 'dose'; the keys are {', '.join(KEYS)}\n"
    )


def test_request_file_bad_toml(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = "start = 1\ntarget =\n"
    write(tmp_path / "r.toml", text)
    with pytest.raises(tomllib.TOMLDecodeError) as decode:
        tomllib.loads(text)
    assert refused(runner, "plan", "r.toml") == (
        f"error: r.toml: not a valid TOML request file: {decode.value}\n"
    )


# The published examples


@pytest.mark.parametrize("fmt", list(Format))
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_plan(runner: CliRunner, example: Path, fmt: Format) -> None:
    result = run(runner, "plan", str(example), "--format", fmt.value)
    assert result.exit_code == 0, result.stderr
    assert result.stdout
    if fmt in BINARY:
        book = openpyxl.load_workbook(io.BytesIO(result.stdout_bytes))
        first_day = tomllib.loads(example.read_text(encoding="utf-8"))["from"]
        days = {c for row in book["Schedule"].iter_rows(values_only=True) for c in row}
        assert datetime.fromisoformat(str(first_day)) in days
    assert all(line.startswith("warning: ") for line in result.stderr.splitlines())
    if fmt is Format.HTML:
        assert result.stdout.startswith("<!DOCTYPE html>\n")
    elif fmt in READERS:
        steps = READERS[fmt](result.stdout, example.name)
        assert steps
        first_day = tomllib.loads(example.read_text(encoding="utf-8"))["from"]
        assert steps[0].first_day.isoformat() == str(first_day)


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 5


def test_long_covid_example(runner: CliRunner) -> None:
    (example,) = [p for p in EXAMPLES if p.name == "long-covid-1mg-monthly.toml"]
    result = run(runner, "plan", str(example), "--format", "csv")
    assert result.stdout.splitlines()[1:] == [
        (
            "1,2026-12-07,2027-01-06,31,1,Take 1 mg naltrexone by mouth once daily at bedtime.,"
            '"Long COVID cohort: 1 mg for a month, then 2 mg for a month"'
        ),
        (
            "2,2027-01-07,2027-02-06,31,2,Take 2 mg naltrexone by mouth once daily at bedtime.,"
            '"Long COVID cohort: 1 mg for a month, then 2 mg for a month"'
        ),
    ]


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ["plan", "--dose", "1"],
            (
                "error: No such option: --dose (Possible options: --force, --step, --steps); "
                "see 'ldn-titrate plan --help'\n"
            ),
        ),
        (
            ["plan", "--start"],
            "error: Option '--start' requires an argument; see 'ldn-titrate plan --help'\n",
        ),
        (["check"], "error: Missing argument 'PLAN'; see 'ldn-titrate check --help'\n"),
        (["frobnicate"], "error: No such command 'frobnicate'; see 'ldn-titrate --help'\n"),
        (["--frob"], "error: No such option: --frob; see 'ldn-titrate --help'\n"),
    ],
)
def test_usage_errors_are_one_line(runner: CliRunner, args: list[str], stderr: str) -> None:
    result = runner.invoke(app, args, prog_name="ldn-titrate")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr)


def test_prescriber_and_pharmacy_are_free_text_on_one_line(runner: CliRunner) -> None:
    assert refused(runner, *PLAN, "--pharmacy", "a\tb", "--prescriber", "Dr\x1b[2J") == (
        "error: --prescriber: must be printable text on one line (no tabs or control "
        "characters), got 'Dr\\x1b[2J'\n"
        "error: --pharmacy: must be printable text on one line (no tabs or control "
        "characters), got 'a\\tb'\n"
    )
