"""More edges of the command line: ASCII CSV text, stdin requests, messages that name the cause."""

from __future__ import annotations

from pathlib import Path

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


def test_a_large_request_file_is_refused_by_its_size(runner: CliRunner, tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"\n" * 2_000_000)
    result = runner.invoke(app, ["plan", str(big)])
    assert outcome(result) == (
        2,
        "",
        f"error: REQUEST {str(big)!r}: larger than 1 MB, not a request file\n",
    )


def test_a_folder_as_the_request_file_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", str(tmp_path)])
    assert outcome(result) == (
        2,
        "",
        f"error: REQUEST {str(tmp_path)!r}: is a folder, not a file\n",
    )


def test_check_refuses_stdin_twice(runner: CliRunner) -> None:
    result = runner.invoke(app, ["check", "-", "-"], input=REQUEST_CSV)
    assert outcome(result) == (
        2,
        "",
        "error: PLAN '-': given more than once; standard input can be read once\n",
    )
