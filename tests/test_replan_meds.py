"""``replan --meds``, ``--meds-reviewed`` and ``--config``, as ``plan`` has them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli_support import TRAMADOL, run
from ldn_titrate.errors import shown

ROOT = Path(__file__).resolve().parent.parent
PLAN = ["plan", "--start", "0.5", "--target", "2", "--step", "0.5", "--every", "14d"]
PLAN += ["--from", "2026-12-07"]
PAUSE = ["--on", "2026-12-25", "--pause-until", "2027-01-20"]
RULE = (
    "replan: a pause of at most 28 days: restart one step lower "
    "(LDN Research Trust, https://ldnresearchtrust.org/"
    "if-patient-stops-ldn-low-dose-naltrexone-ldn-do-they-have-re-titrate)\n"
)


@pytest.fixture
def plan_json(runner: CliRunner, tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    assert run(runner, *PLAN, "-o", str(path)).exit_code == 0
    return path


def test_a_restart_beside_an_opioid_is_refused(runner: CliRunner, plan_json: Path) -> None:
    result = run(runner, "replan", str(plan_json), *PAUSE, "--meds", "Tramal 50 mg")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith(f"error: --meds: {TRAMADOL}\n")


def test_a_reviewed_opioid_is_a_warning_recorded_in_the_plan(
    runner: CliRunner, plan_json: Path
) -> None:
    args = ["replan", str(plan_json), *PAUSE, "--meds", "Tramal", "--meds-reviewed"]
    result = run(runner, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith(f"warning: --meds: {TRAMADOL}\n")
    data = json.loads(result.stdout)
    assert (data["request"]["meds"], data["request"]["meds_reviewed"]) == ("Tramal", True)


def test_harmless_medicines_pass_quietly(runner: CliRunner, plan_json: Path) -> None:
    result = run(runner, "replan", str(plan_json), *PAUSE, "--meds", "levothyroxine")
    assert (result.exit_code, result.stderr) == (0, RULE)


def test_a_recorded_list_is_screened_again(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    made = run(runner, *PLAN, "--meds", "Tramal", "--meds-reviewed", "-o", str(path))
    assert made.exit_code == 0
    result = run(runner, "replan", str(path), *PAUSE)
    assert result.exit_code == 0
    assert result.stderr == f"{RULE}warning: PLAN {shown(str(path))}: meds: {TRAMADOL}\n"
    # A new list given today is reviewed anew.
    result = run(runner, "replan", str(path), *PAUSE, "--meds", "Tramal")
    assert result.exit_code == 2


def test_the_config_gives_a_csv_plan_its_formulation(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    assert run(runner, *PLAN, "-o", str(path)).exit_code == 0
    config = ROOT / "examples/config/pharmacy-liquid.toml"
    args = ["replan", str(path), *PAUSE, "--config", str(config), "--format", "json"]
    result = run(runner, *args)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["request"]["form"] == "liquid"
    assert data["steps"][0]["volume_ml"] == "0.5"


def test_a_recorded_value_comes_before_the_config(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    made = run(runner, *PLAN, "--form", "capsule", "--strengths", "0.5", "-o", str(path))
    assert made.exit_code == 0, made.stderr
    config = ROOT / "examples/config/pharmacy-liquid.toml"
    args = ["replan", str(path), *PAUSE, "--config", str(config), "--format", "json"]
    result = run(runner, *args)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["request"]["form"] == "capsule"


def test_a_missing_config_is_refused(runner: CliRunner, plan_json: Path, tmp_path: Path) -> None:
    missing = tmp_path / "none.toml"
    result = run(runner, "replan", str(plan_json), *PAUSE, "--config", str(missing))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: --config {shown(str(missing))}: no such file\n"
