"""``check FOLDER``: the plan files in a folder, by content, sorted by name; ``--recursive``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ldn_titrate.cli import app
from ldn_titrate.errors import shown

PLAN = ["plan", "--start", "0.5", "--target", "1", "--step", "0.5", "--every", "7d"]
PLAN += ["--from", "2026-12-07"]


def run(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


@pytest.fixture
def folder(runner: CliRunner, tmp_path: Path) -> Path:
    """b.csv and a plan named without an ending (JSON), a hidden file and a subfolder."""
    plans = tmp_path / "plans"
    (plans / "sub").mkdir(parents=True)
    for name, fmt in (("b.csv", "csv"), ("a-no-ending", "json"), ("sub/c.json", "json")):
        result = run(runner, *PLAN, "--format", fmt, "-o", str(plans / name))
        assert result.exit_code == 0, result.stderr
    (plans / ".DS_Store").write_bytes(b"\x00\x01")
    return plans


def test_a_folder_checks_its_plans_by_name(runner: CliRunner, folder: Path) -> None:
    result = run(runner, "check", str(folder), "--format", "json")
    assert result.exit_code == 0, result.stderr
    names = [item["file"] for item in json.loads(result.stdout)]
    assert names == [str(folder / "a-no-ending"), str(folder / "b.csv")]
    assert result.stderr == (
        f"note: PLAN {shown(str(folder))}: not checked: 1 hidden file, "
        "1 subfolder (--recursive checks them)\n"
        "checked 2 plans: 0 with errors, 0 with warnings, 2 clean\n"
    )


@pytest.mark.parametrize("flag", ["--recursive", "-r"])
def test_recursive_checks_the_subfolders_too(runner: CliRunner, folder: Path, flag: str) -> None:
    result = run(runner, "check", str(folder), flag, "--quiet")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (
        f"note: PLAN {shown(str(folder))}: not checked: 1 hidden file\n"
        "checked 3 plans: 0 with errors, 0 with warnings, 3 clean\n"
    )


def test_a_dangerous_plan_in_a_folder_fails_the_run(runner: CliRunner, folder: Path) -> None:
    (folder / "z.csv").write_text("step,dose_mg\n1,45\n", encoding="utf-8")
    result = run(runner, "check", str(folder), "--quiet")
    assert result.exit_code == 1
    assert result.stderr.endswith("checked 3 plans: 1 with errors, 0 with warnings, 2 clean\n")


def test_a_folder_and_files_mix(runner: CliRunner, folder: Path) -> None:
    result = run(runner, "check", str(folder / "b.csv"), str(folder), "-r", "--quiet")
    assert result.stderr.endswith("checked 4 plans: 0 with errors, 0 with warnings, 4 clean\n")


def test_an_empty_folder_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run(runner, "check", str(tmp_path / "empty"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert (
        result.stderr
        == f"error: PLAN {shown(str(tmp_path / 'empty'))}: a folder with no plan files in it\n"
    )
