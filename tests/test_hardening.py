"""Each input that once ended in a traceback or a hang ends in one clear line, exit 1 or 2,
in well under a second."""

from __future__ import annotations

import errno
import io
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from typer.testing import CliRunner

from ldn_titrate.check import CheckOptions, Finding
from ldn_titrate.cli import app, main, streams
from ldn_titrate.received import ReceivedPlan

DIGITS = "1" * 4301
SHOWN = f"'{'1' * 55}...'"
REQUEST = 'start = "0.5"\ntarget = "1.5"\nstep = "0.5"\nevery = "7d"\nfrom = 2026-12-07\n'
PLAN_CSV = (
    "step,start_date,end_date,days,dose_mg,instructions\n"
    "1,2026-12-07,2026-12-13,7,0.5,Take 0.5 mg naltrexone by mouth once daily at bedtime.\n"
    "2,2026-12-14,,,1,Take 1 mg naltrexone by mouth once daily at bedtime.\n"
)
PLAN_ARGS = ("--start", "0.5", "--target", "1.5", "--step", "0.5", "--every", "7d")


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan.csv").write_text(PLAN_CSV, encoding="utf-8")


def run(runner: CliRunner, *args: str, **env: str) -> tuple[int, str]:
    """Exit code and stderr of one run, which must end at once and without a traceback."""
    began = time.process_time()
    result = runner.invoke(app, list(args), env=env or None)
    # Processor time, not the wall clock: the bound holds on a machine busy with other work.
    assert time.process_time() - began < 0.5, args[:3]
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def findings(runner: CliRunner, path: str) -> tuple[int, list[tuple[str, str]]]:
    result = runner.invoke(app, ["check", path, "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, [
        (f["code"], f["message"]) for f in json.loads(result.stdout)[0]["findings"]
    ]


@pytest.mark.parametrize(
    ("option", "line"),
    [
        ("--bud", f"--bud: must be a whole number of days from 1 to 365, got {SHOWN}"),
        (
            "--min-interval",
            f"--min-interval: must be a whole number of days from 1 to 182, got {SHOWN}",
        ),
        ("--jobs", f"--jobs: must be a whole number from 1 to 32, got {SHOWN}"),
    ],
)
def test_a_check_option_of_4301_digits_is_one_line(
    runner: CliRunner, option: str, line: str
) -> None:
    assert run(runner, "check", "plan.csv", option, DIGITS) == (2, f"error: {line}\n")


def test_a_week_of_4301_digits_is_a_cell_finding(runner: CliRunner) -> None:
    Path("w.csv").write_text(f"week,dose_mg\nWeek {DIGITS},0.5\nWeek 2,1\n")
    code, found = findings(runner, "w.csv")
    assert code == 1
    assert (
        "days-unreadable",
        f"week 'Week {'1' * 50}...': too many digits: a number here has at most 24",
    ) in found


@pytest.mark.parametrize("digits", [13, 29])
def test_a_concentration_of_many_digits_in_the_instructions_ends_in_findings(
    runner: CliRunner, digits: int
) -> None:
    Path("c.csv").write_text(
        "step,start_date,end_date,days,dose_mg,volume_ml,instructions\n"
        f"1,2026-12-07,2026-12-13,7,0.5,0.5,Take 0.5 mL of naltrexone {'1' * digits} mg/mL\n"
    )
    code, found = findings(runner, "c.csv")
    assert code in {0, 1}
    assert all(c != "internal-error" for c, _ in found)


def test_a_29_digit_quantity_beside_a_volume_is_refused_not_a_crash(runner: CliRunner) -> None:
    Path("q.csv").write_text(
        "step,start_date,end_date,days,dose_mg,volume_ml,quantity\n"
        f"1,2026-12-07,2026-12-13,7,0.5,0.5,{'9' * 29}\n"
    )
    code, found = findings(runner, "q.csv")
    assert code == 1
    assert (
        "quantity-unreadable",
        f"the quantity '{'9' * 29}' has more digits than any quantity",
    ) in found


def test_a_fhir_dose_of_1e30_is_a_finding(runner: CliRunner) -> None:
    dosage = {
        "sequence": 1,
        "timing": {"repeat": {"boundsPeriod": {"start": "2026-12-07", "end": "2026-12-13"}}},
        "doseAndRate": [{"doseQuantity": {"value": 1e30, "unit": "mg"}}],
    }
    Path("f.json").write_text(
        json.dumps(
            {
                "resourceType": "MedicationRequest",
                "medicationCodeableConcept": {"text": "naltrexone"},
                "dosageInstruction": [dosage],
            }
        )
    )
    code, found = findings(runner, "f.json")
    assert code == 1
    assert all(c != "internal-error" for c, _ in found)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a = " + "[" * 1000 + "]" * 1000, "not a valid TOML config file: nested too deeply"),
        (f"bud = {DIGITS}", "a number has too many digits"),
        ("bud = 0.1e" + "9" * 30, f"a number has too many digits, got '0.1e{'9' * 30}'"),
        ("bud = 0x" + "f" * 4000, "key 'bud': a number has too many digits"),
        ("bud = 0o" + "7" * 5000, "key 'bud': a number has too many digits"),
    ],
)
@pytest.mark.parametrize("command", ["plan", "check", "config"])
def test_a_hostile_config_file_is_one_line(
    runner: CliRunner, text: str, line: str, command: str
) -> None:
    Path("c.toml").write_text(text + "\n")
    args = {
        "plan": ["plan", *PLAN_ARGS, "--from", "2026-12-07"],
        "check": ["check", "plan.csv"],
        "config": ["config"],
    }[command]
    assert run(runner, *args, "--config", "c.toml") == (2, f"error: c.toml: {line}\n")


def test_a_hostile_config_in_the_variable_is_one_line(runner: CliRunner) -> None:
    Path("c.toml").write_text(f"bud = {DIGITS}\n")
    assert run(runner, "check", "plan.csv", LDN_TITRATE_CONFIG="c.toml") == (
        2,
        (
            "error: c.toml: a number has too many digits\n"
            "error: c.toml: found by LDN_TITRATE_CONFIG; --config none goes without it\n"
        ),
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("start = 0x" + "f" * 4000, "key 'start': a number has too many digits"),
        ("label = 0x" + "f" * 4000, "key 'label': a number has too many digits"),
        ("bud = 0o" + "7" * 5000, "key 'bud': a number has too many digits"),
        (
            "x = " + "{a = " * 1000 + "1" + "}" * 1000,
            "not a valid TOML request file: nested too deeply",
        ),
    ],
)
def test_a_hostile_request_file_is_one_line(runner: CliRunner, text: str, line: str) -> None:
    key = text.split(" ", 1)[0]
    kept = "".join(line for line in REQUEST.splitlines(keepends=True) if not line.startswith(key))
    Path("r.toml").write_text(kept + text + "\n")
    assert run(runner, "plan", "r.toml") == (2, f"error: r.toml: {line}\n")


@pytest.mark.parametrize("day", ["tomorrow", "monday", "today"])
def test_a_day_from_a_today_past_the_calendar_is_refused(runner: CliRunner, day: str) -> None:
    assert run(runner, "plan", *PLAN_ARGS, "--from", day, LDN_TITRATE_TODAY="2999-12-31")[0] in {
        0,
        2,
    }
    assert run(runner, "plan", *PLAN_ARGS, "--from", day, LDN_TITRATE_TODAY="9999-12-31") == (
        2,
        "error: LDN_TITRATE_TODAY: must be on or before 2999-12-31, got '9999-12-31'\n",
    )


def test_tomorrow_after_the_last_day_of_the_calendar_is_refused(runner: CliRunner) -> None:
    assert run(
        runner, "plan", *PLAN_ARGS, "--from", "tomorrow", LDN_TITRATE_TODAY="2999-12-31"
    ) == (2, "error: --from: must be on or before 2999-12-31, got '2999-12-31'\n")


def test_a_request_day_past_the_calendar_is_refused(runner: CliRunner) -> None:
    Path("r.toml").write_text(REQUEST.replace("2026-12-07", "9999-12-31"))
    assert run(runner, "plan", "r.toml") == (
        2,
        "error: r.toml: from: must be on or before 2999-12-31, got '9999-12-31'\n",
    )


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["--back-down", "--hold", "²"],
            "--hold: must be a whole number of days from 1 to 365, got '²'",
        ),
        (
            ["--pause-until", "2026-12-20", "--step-down-within", DIGITS],
            f"--step-down-within: must be a whole number of days from 0 to 730, got {SHOWN}",
        ),
        (
            ["--pause-until", "9999-12-31"],
            "--pause-until: must be on or before 2999-12-31, got '9999-12-31'",
        ),
    ],
)
def test_a_hostile_replan_option_is_one_line(runner: CliRunner, args: list[str], line: str) -> None:
    assert run(runner, "replan", "plan.csv", "--on", "2026-12-10", *args) == (2, f"error: {line}\n")


def test_replan_on_a_day_past_the_calendar_is_one_line(runner: CliRunner) -> None:
    assert run(runner, "replan", "plan.csv", "--on", "9999-12-31", "--back-down") == (
        2,
        "error: --on: must be on or before 2999-12-31, got '9999-12-31'\n",
    )


def written_plan(runner: CliRunner) -> dict[str, object]:
    result = runner.invoke(app, ["plan", *PLAN_ARGS, "--from", "2026-12-07", "--format", "json"])
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_replan_of_a_json_plan_nested_1000_deep_is_one_line(runner: CliRunner) -> None:
    text = json.dumps(written_plan(runner))
    Path("p.json").write_text(text[:-1] + ', "x": ' + '{"a": ' * 1000 + "1" + "}" * 1001)
    assert run(runner, "replan", "p.json", "--on", "2026-12-10", "--back-down") == (
        2,
        "error: PLAN p.json: not valid JSON: nested too deeply\n",
    )


def test_replan_of_a_json_plan_holding_4301_digits_is_one_line(runner: CliRunner) -> None:
    text = json.dumps(written_plan(runner))
    Path("p.json").write_text(text.replace('"schema_version": 1', f'"schema_version": {DIGITS}'))
    assert run(runner, "replan", "p.json", "--on", "2026-12-10", "--back-down") == (
        2,
        f"error: PLAN p.json: a number has too many digits, got {SHOWN}\n",
    )


def test_replan_of_an_ongoing_step_of_minus_one_day_is_one_line(runner: CliRunner) -> None:
    data = written_plan(runner)
    steps = data["steps"]
    assert isinstance(steps, list)
    steps[-1]["days"] = -1
    Path("p.json").write_text(json.dumps(data))
    assert run(runner, "replan", "p.json", "--on", "2026-12-22", "--back-down") == (
        2,
        f"error: PLAN p.json: steps[{len(steps)}]: days: must be a whole number of at least 1\n",
    )


@pytest.mark.parametrize("space", ["\t", " "])
def test_steps_with_20000_spaces_end_at_once(runner: CliRunner, space: str) -> None:
    code, stderr = run(runner, "plan", "--steps", f"0.5{space * 20_000}mg for 7d")
    assert code == 2
    assert stderr.startswith("error: --steps: item 1: ")
    assert stderr.count("\n") == 1


def test_config_shows_a_path_with_an_escape_escaped(runner: CliRunner) -> None:
    Path("\x1b]0;x").write_text("bud = 30\n")
    result = runner.invoke(app, ["config", "--config", "\x1b]0;x"])
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert result.stdout.startswith("config file: \\x1b]0;x (from --config)\n")
    assert "bud = 30  (\\x1b]0;x)\n" in result.stdout


def test_check_csv_shows_hidden_characters_escaped(runner: CliRunner) -> None:
    Path("e.csv").write_text(
        "step,start_date,end_date,days,dose_mg,\x1b]0;title\x07\u202e\x9b\n1,2026-12-07,,,0.5,x\n"
    )
    result = runner.invoke(app, ["check", "e.csv", "--format", "csv"])
    assert not any(c in result.stdout for c in "\x1b\x07\u202e\x9b")


class _Failing(io.RawIOBase):
    """A device that takes nothing: full (ENOSPC), closed (EBADF) or a reader gone (EPIPE)."""

    def __init__(self, code: int) -> None:
        self.code = code

    def writable(self) -> bool:
        return True

    def write(self, _data: object) -> int:
        raise OSError(self.code, os.strerror(self.code))


def failing(code: int) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BufferedWriter(_Failing(code)), encoding="utf-8")


def run_main(argv: list[str], out: io.TextIOWrapper, err: io.TextIOWrapper) -> int:
    """The console entry in this process, on the given streams; its exit code."""
    code = 0
    with (
        mock.patch.object(sys, "argv", ["ldn-titrate", *argv]),
        mock.patch.object(sys, "stdout", out),
        mock.patch.object(sys, "stderr", err),
        # Never point this process's own descriptor 1 elsewhere.
        mock.patch.object(streams, "silence_stdout", return_value=None),
    ):
        try:
            main()
        except SystemExit as leaving:
            code = int(leaving.code or 0)
    return code


XLSX = ["plan", *PLAN_ARGS, "--from", "2026-12-07", "--format", "xlsx"]


@pytest.mark.parametrize(
    ("code", "line"),
    [
        (errno.ENOSPC, "error: cannot write to standard output: No space left on device\n"),
        (errno.EBADF, "error: cannot write to standard output: Bad file descriptor\n"),
        (errno.EPIPE, ""),
    ],
)
def test_a_workbook_to_a_stdout_that_fails_is_one_line_and_exit_1(code: int, line: str) -> None:
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    assert run_main(XLSX, failing(code), err) == 1
    err.seek(0)
    assert err.read() == line


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EBADF])
def test_a_full_or_closed_stderr_leaves_the_plan_on_stdout(code: int) -> None:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    # Day 1 two years ahead: a warning is written to stderr before the plan to stdout.
    argv = ["plan", *PLAN_ARGS, "--from", "2028-12-07", "--format", "csv"]
    assert run_main(argv, out, failing(code)) == 0
    out.seek(0)
    assert out.read().startswith("step,start_date,end_date,days,dose_mg")


def test_a_closed_pipe_after_the_first_bytes_of_a_workbook_is_exit_1(tmp_path: Path) -> None:
    command = f"{shlex.quote(sys.executable)} -m ldn_titrate {' '.join(XLSX)} | head -c 1"
    result = subprocess.run(
        ["/bin/sh", "-c", f"set -o pipefail 2>/dev/null; {command} >/dev/null"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=60,
    )
    assert "Traceback" not in result.stderr
    assert result.stderr == ""


def test_an_unexpected_failure_on_one_plan_is_its_internal_error_and_the_batch_goes_on(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ldn_titrate.check as checker  # noqa: PLC0415 - the module whose function fails

    checked = checker.check_plan

    def failing(plan: ReceivedPlan, options: CheckOptions) -> list[Finding]:
        if plan.source == "bad.csv":
            raise RuntimeError("a defect")
        return checked(plan, options)

    monkeypatch.setattr(checker, "check_plan", failing)
    Path("bad.csv").write_text(PLAN_CSV, encoding="utf-8")
    result = runner.invoke(app, ["check", "bad.csv", "plan.csv", "--format", "csv", "--jobs", "1"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == (
        "error,internal-error,bad.csv,,,not checked: the checker failed (RuntimeError); "
        "please report this with the file"
    )
    assert ",plan.csv," in result.stdout
    assert result.stderr == "checked 2 plans: 1 with errors, 0 with warnings, 1 clean\n"
