"""NO_COLOR and FORCE_COLOR: colour only adds to the severity word, and NO_COLOR wins."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_titrate.cli import app

HEADER = "step,start_date,end_date,days,dose_mg,instructions\n"
# Step 2 is above the maximum (an error); the doses of step 1 lack a leading zero (warnings).
PLAN = HEADER + "1,2026-12-07,2026-12-13,7,.5,Take .5 mg\n2,2026-12-14,,,9,Take 9 mg\n"
ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
RED_ERROR = "\x1b[31merror   \x1b[0m"
YELLOW_WARNING = "\x1b[33mwarning \x1b[0m"
PLAN_ARGS = ["plan", "--start", "0.5", "--target", "1", "--step", "0.5", "--every", "7d"]
PLAN_ARGS += ["--from", "2026-12-07"]


def check(runner: CliRunner, folder: Path, **env: str | None) -> tuple[int, str, str]:
    (folder / "plan.csv").write_text(PLAN, encoding="utf-8")
    with contextlib.chdir(folder):
        result = runner.invoke(app, ["check", "plan.csv"], env={"COLUMNS": "150", **env})
    return result.exit_code, result.stdout, result.stderr


def test_force_color_makes_errors_red_and_warnings_yellow(
    runner: CliRunner, tmp_path: Path
) -> None:
    code, stdout, stderr = check(runner, tmp_path, FORCE_COLOR="1", NO_COLOR=None)
    assert (code, stderr) == (1, "checked 1 plan: 1 with errors, 0 with warnings, 0 clean\n")
    rows = [line for line in stdout.splitlines() if "ismp-" in line or "dose-above-max" in line]
    assert [row.split("│")[1] for row in rows] == [
        f" {YELLOW_WARNING} ",
        f" {YELLOW_WARNING} ",
        f" {RED_ERROR} ",
    ]
    # Info stays plain; without its escape codes the table is the colourless one, word for word.
    assert "│ info     │ summary" in stdout
    plain = check(runner, tmp_path, NO_COLOR="1")[1]
    assert ESCAPE.sub("", stdout) == plain


def test_force_color_reaches_a_dumb_terminal(runner: CliRunner, tmp_path: Path) -> None:
    stdout = check(runner, tmp_path, FORCE_COLOR="yes", NO_COLOR=None, TERM="dumb")[1]
    assert RED_ERROR in stdout


@pytest.mark.parametrize("force", [None, "1"])
def test_no_color_wins_and_leaves_no_escape_codes(
    runner: CliRunner, tmp_path: Path, force: str | None
) -> None:
    code, stdout, _ = check(runner, tmp_path, FORCE_COLOR=force, NO_COLOR="1")
    assert code == 1
    assert "\x1b" not in stdout
    assert "│ error    │ dose-above-max" in stdout
    assert "│ warning  │ ismp-leading-zero" in stdout


@pytest.mark.parametrize("command", [PLAN_ARGS, ["protocols"]])
def test_no_color_with_force_color_has_no_escape_codes_in_other_tables(
    runner: CliRunner, command: list[str]
) -> None:
    # Wide enough for the presets' table, whose source column holds whole URLs.
    env = {"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "400"}
    result = runner.invoke(app, command, env=env)
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert result.stdout.split("\n")[1].startswith("┏")


def test_an_empty_no_color_does_not_turn_colour_off(runner: CliRunner, tmp_path: Path) -> None:
    stdout = check(runner, tmp_path, FORCE_COLOR="1", NO_COLOR="")[1]
    assert RED_ERROR in stdout


def test_without_force_color_a_pipe_gets_no_colour(runner: CliRunner, tmp_path: Path) -> None:
    stdout = check(runner, tmp_path, FORCE_COLOR=None, NO_COLOR=None)[1]
    assert "\x1b" not in stdout


def test_a_table_written_to_a_file_never_has_escape_codes(
    runner: CliRunner, tmp_path: Path
) -> None:
    with contextlib.chdir(tmp_path):
        result = runner.invoke(
            app, [*PLAN_ARGS, "-o", "plan.txt"], env={"FORCE_COLOR": "1", "NO_COLOR": None}
        )
        written = Path("plan.txt").read_text(encoding="utf-8")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert "\x1b" not in written
    assert written.startswith("Low-dose naltrexone titration plan\n┏")


def test_forced_colour_on_a_dumb_terminal_never_cuts_a_date(runner: CliRunner) -> None:
    args = ["plan", "--start", "0.5", "--target", "1", "--step", "0.5", "--every", "7d"]
    args += ["--from", "2026-12-07", "--form", "liquid", "--concentration", "1"]
    env = {"TERM": "dumb", "FORCE_COLOR": "1", "NO_COLOR": None, "COLUMNS": None}
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0
    assert "…" not in result.stdout
    assert "2026-12-07 Mon" in result.stdout
