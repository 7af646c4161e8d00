"""Standard output closed, full or ASCII-only: one line on stderr and exit 1, never a traceback.

These run the real console entry in a subprocess: only a real process has a closed descriptor 1
or a full device behind it. ``/dev/full`` is used only as the target of a shell redirection.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

PLAN = "plan --start 0.5 --target 1 --step 0.5 --every 7d --from 2026-12-07"
FULL = "error: cannot write to standard output: No space left on device\n"
CLOSED = "error: cannot write to standard output: Bad file descriptor\n"
COMMANDS = (
    f"{PLAN}",
    f"{PLAN} --format csv",
    f"{PLAN} --format json",
    f"{PLAN} --form capsule --strengths 0.5",
    "check PLAN.csv",
    "check PLAN.csv --format json",
    "--help",
    "plan --help",
    "check -h",
    "--version",
)


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in {"FORCE_COLOR", "NO_COLOR"}}
    return {**base, "COLUMNS": "100", "NO_COLOR": "1", "LDN_TITRATE_TODAY": "2026-12-01", **extra}


def shell(command: str, redirect: str, cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """Run ldn-titrate with the given shell redirection of its stdout."""
    line = f"{shlex.quote(sys.executable)} -m ldn_titrate {command} {redirect}"
    return subprocess.run(
        ["/bin/sh", "-c", line],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=env(**extra),
        timeout=60,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    csv = subprocess.run(
        [sys.executable, "-m", "ldn_titrate", *shlex.split(PLAN), "--format", "csv"],
        capture_output=True,
        text=True,
        check=True,
        env=env(),
    ).stdout
    (tmp_path / "PLAN.csv").write_text(csv, encoding="utf-8", newline="")
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_stdout_is_one_line_and_exit_1(folder: Path, command: str) -> None:
    result = shell(command, "> /dev/full", folder)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.endswith(FULL)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_a_closed_stdout_is_one_line_and_exit_1(folder: Path, command: str) -> None:
    result = shell(command, ">&-", folder)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.endswith(CLOSED)
    assert "Traceback" not in result.stderr


def test_the_table_format_on_a_closed_stdout_fails_with_nothing_else(folder: Path) -> None:
    result = shell(PLAN, ">&-", folder)
    assert (result.returncode, result.stderr) == (1, CLOSED)


def test_a_closed_stdout_does_not_stop_a_plan_written_to_a_file(folder: Path) -> None:
    result = shell(f"{PLAN} --format csv -o out.csv", ">&-", folder)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (folder / "out.csv").read_text(encoding="utf-8").startswith("step,start_date")


def test_an_ascii_stdout_gets_ascii_equivalents(folder: Path) -> None:
    result = shell(
        f"{PLAN} --form capsule --strengths 0.5 --label 'José'",
        "",
        folder,
        PYTHONIOENCODING="ascii",
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.isascii()
    assert "| Step 2 (30 days assumed) |   30 | 60 x 0.5 mg |" in result.stdout
    title = "Low-dose naltrexone titration plan: Jos\\u00e9\n"
    assert result.stdout.startswith(title)


def test_an_ascii_stdout_gets_a_csv_with_visible_escapes(folder: Path) -> None:
    command = f"{PLAN} --form capsule --strengths 0.5 --label 'José' --format csv"
    result = shell(command, "", folder, PYTHONIOENCODING="ascii")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[2].startswith("2,2026-12-14,,,1,2 x 0.5 mg,60 x 0.5 mg,")
    assert result.stdout.splitlines()[2].endswith(",Jos\\u00e9")


def test_an_ascii_stdout_gets_exact_json(folder: Path) -> None:
    command = f"{PLAN} --form capsule --strengths 0.5 --label 'José 😀' --format json"
    result = shell(command, "", folder, PYTHONIOENCODING="ascii")
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout)["request"]["label"] == "José 😀"
