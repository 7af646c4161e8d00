"""More edges of the command line: ASCII CSV text, stdin requests, messages that name the cause."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ldn_titrate.cli import app
from ldn_titrate.request import KEYS

CAPSULE_PLAN = ["plan", "--start", "1.5", "--target", "3", "--step", "1.5", "--every", "7d"]
CAPSULE_PLAN += ["--from", "2026-12-07", "--form", "capsule", "--strengths", "1.5"]


def outcome(result: Result) -> tuple[int, str, str]:
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


# The CSV's own text is ASCII; the user's text is kept as given


def test_the_csv_writes_its_own_text_in_ascii_and_the_label_as_given(runner: CliRunner) -> None:
    result = runner.invoke(app, [*CAPSULE_PLAN, "--label", "Zoë × µ", "--format", "csv"])
    assert outcome(result) == (
        0,
        (
            "step,start_date,end_date,days,dose_mg,capsules,quantity,instructions,label\n"
            "1,2026-12-07,2026-12-13,7,1.5,1 x 1.5 mg,7 x 1.5 mg,Take 1 capsule of naltrexone"
            " 1.5 mg by mouth once daily at bedtime.,Zoë × µ\n"
            "2,2026-12-14,,,3,2 x 1.5 mg,60 x 1.5 mg,Take 2 capsules of naltrexone 1.5 mg (3 mg in"
            " all) by mouth once daily at bedtime.,Zoë × µ\n"
        ),
        "",
    )


def test_check_reads_the_ascii_csv_clean(runner: CliRunner, tmp_path: Path) -> None:
    written = runner.invoke(app, [*CAPSULE_PLAN, "--format", "csv"])
    plan = tmp_path / "plan.csv"
    plan.write_text(written.stdout, encoding="utf-8")
    result = runner.invoke(
        app, ["check", str(plan), "--form", "capsule", "--strengths", "1.5", "--verbose"]
    )
    assert result.exit_code == 0
    assert result.stderr == "checked 1 plan: 0 with errors, 0 with warnings, 1 clean\n"


# '-' reads stdin: plan's request file as check's plan, and only once


REQUEST = 'start = "0.5"\ntarget = "1"\nstep = "0.5"\nevery = "7d"\nfrom = "2026-12-07"\n'
REQUEST_CSV = (
    "step,start_date,end_date,days,dose_mg,instructions,label\n"
    "1,2026-12-07,2026-12-13,7,0.5,Take 0.5 mg naltrexone by mouth once daily at bedtime.,\n"
    "2,2026-12-14,,,1,Take 1 mg naltrexone by mouth once daily at bedtime.,\n"
)


def test_plan_reads_the_request_file_from_stdin(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "-", "--format", "csv"], input=REQUEST)
    assert outcome(result) == (0, REQUEST_CSV, "")


def test_a_request_on_stdin_is_named_as_stdin(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "-"], input='start = "0.5"\nsize = 1\n')
    assert outcome(result) == (
        2,
        "",
        "error: <stdin>: unknown key 'size'; the keys are " + ", ".join(KEYS) + "\n",
    )


def test_a_request_on_stdin_is_bounded(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "-"], input=b"#" * 1_000_001)
    assert outcome(result) == (
        2,
        "",
        "error: REQUEST '<stdin>': larger than 1 MB, not a request file\n",
    )


def test_a_folder_as_the_request_file_is_refused(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "requests").mkdir()
    result = runner.invoke(app, ["plan", "requests"])
    assert outcome(result) == (2, "", "error: REQUEST 'requests': is a folder, not a file\n")


def test_check_refuses_stdin_twice(runner: CliRunner) -> None:
    result = runner.invoke(app, ["check", "-", "-"], input=REQUEST_CSV)
    assert outcome(result) == (
        2,
        "",
        "error: PLAN '-': given more than once; standard input can be read once\n",
    )


# Messages that name the real cause

LADDER = ["plan", "--target", "4.5", "--step", "0.5", "--every", "7d", "--from", "2026-12-07"]


@pytest.mark.parametrize(
    ("dose", "shown", "named"),
    [
        ("0.5\u200b", "'0.5\\u200b'", "U+200B (ZERO WIDTH SPACE)"),
        ("1.\u200b", "'1.\\u200b'", "U+200B (ZERO WIDTH SPACE)"),
        ("\u20600.5", "'\\u20600.5'", "U+2060 (WORD JOINER)"),
        ("0.5\u00a0mg", "'0.5\\xa0mg'", "U+00A0 (NO-BREAK SPACE)"),
    ],
)
def test_an_invisible_character_in_a_dose_is_named(
    runner: CliRunner, dose: str, shown: str, named: str
) -> None:
    result = runner.invoke(app, [*LADDER, "--start", dose])
    assert outcome(result) == (
        2,
        "",
        f"error: --start: holds an invisible character, {named}; type it again, got {shown}\n",
    )


@pytest.mark.parametrize("overage", ["--overage=-5", "--overage=+5"])
def test_a_signed_overage_is_told_the_range(runner: CliRunner, overage: str) -> None:
    liquid = ["--start", "0.5", "--form", "liquid", "--concentration", "1", overage]
    result = runner.invoke(app, [*LADDER, *liquid])
    assert outcome(result) == (
        2,
        "",
        f"error: --overage: must be a percentage from 0 to 50, got {overage[10:]!r}\n",
    )


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--start", "--target", "4.5"], "--start: needs a value, got the option '--target'"),
        (["--label", "--format", "csv"], "--label: needs a value, got the option '--format'"),
        (["--start", "0.5", "-o", "--force"], "-o: needs a value, got the option '--force'"),
    ],
)
def test_a_forgotten_value_is_named_not_taken_as_the_request_file(
    runner: CliRunner, args: list[str], line: str
) -> None:
    result = runner.invoke(app, ["plan", *args])
    assert outcome(result) == (2, "", f"error: {line}\n")


def test_a_value_that_starts_with_dashes_can_be_attached(runner: CliRunner) -> None:
    result = runner.invoke(app, [*LADDER, "--start", "4.5", "--label=--x", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].endswith(",'--x")


@pytest.mark.parametrize("days", ["9999999", "9" * 5000])
def test_a_huge_count_of_days_is_told_the_range(runner: CliRunner, days: str) -> None:
    result = runner.invoke(app, [*LADDER, "--start", "0.5", "--maintenance-days", days])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "error: --maintenance-days: must be a whole number of days from 1 to 3660, got '9999999"
    )
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("command", "args", "line"),
    [
        (["plan"], ["--strict"], "--strict: is an option of check, not of plan"),
        (["plan"], ["--min-interval", "3"], "--min-interval: is an option of check, not of plan"),
        (["plan"], ["--max-step=3"], "--max-step: is an option of check, not of plan"),
        (["check", "p.csv"], ["--start", "1"], "--start: is an option of plan, not of check"),
    ],
)
def test_an_option_of_the_other_command_is_said_so(
    runner: CliRunner, command: list[str], args: list[str], line: str
) -> None:
    result = runner.invoke(app, [*command, *args])
    assert outcome(result) == (2, "", f"error: {line}\n")


# Repeated options in their short and attached forms


@pytest.mark.parametrize(
    ("args", "values"),
    [
        (["-o", "a", "-ob"], "'a', 'b'"),
        (["-o", "a", "-o=b"], "'a', '=b'"),
        (["--output=a", "-o", "b"], "'a', 'b'"),
        (["-oa", "--output", "b"], "'a', 'b'"),
    ],
)
def test_a_repeated_output_is_caught_in_every_form(
    runner: CliRunner, tmp_path: Path, args: list[str], values: str
) -> None:
    result = runner.invoke(app, [*LADDER, "--start", "0.5", *args])
    assert outcome(result) == (2, "", f"error: --output: give it once, got {values}\n")
    assert list(tmp_path.iterdir()) == []
