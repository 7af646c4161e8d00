"""``plan --meds``: the prescriber's medicines go through the same screen as ``check``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli_support import TRAMADOL, run
from ldn_titrate.check import CheckOptions, check_file

PLAN = ["plan", "--start", "0.5", "--target", "2", "--step", "0.5", "--every", "7d"]
PLAN += ["--from", "2026-12-07"]
MYSIMBA = (
    "Mysimba is naltrexone and bupropion, a second naltrexone product on top of the low dose; "
    "do not combine them"
)


def test_an_opioid_refuses_the_plan_with_the_message_check_gives(runner: CliRunner) -> None:
    result = run(runner, *PLAN, "--meds", "Tramal 50 mg; Mysimba")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: --meds: {TRAMADOL}\nerror: --meds: {MYSIMBA}\n"
    checked = check_file(b"dose_mg\n1\n", "p.csv", CheckOptions(meds="Tramal 50 mg; Mysimba"))
    assert [f.message for f in checked[:2]] == [f"--meds: {TRAMADOL}", f"--meds: {MYSIMBA}"]


def test_reviewed_medicines_are_a_warning_on_stderr_and_in_the_json(runner: CliRunner) -> None:
    result = run(runner, *PLAN, "--meds", "Tramal", "--meds-reviewed", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == f"warning: --meds: {TRAMADOL}\n"
    data = json.loads(result.stdout)
    assert data["request"]["meds"] == "Tramal"
    assert data["request"]["meds_reviewed"] is True
    assert data["warnings"] == [{"code": "opioid", "option": "--meds", "message": TRAMADOL}]


def test_medicines_that_are_not_opioids_plan_as_usual(runner: CliRunner) -> None:
    result = run(runner, *PLAN, "--meds", "paracetamol, levothyroxine", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["request"]["meds"] == "paracetamol, levothyroxine"
    assert data["request"]["meds_reviewed"] is False
    assert data["warnings"] == []


def test_without_meds_the_json_says_nothing_was_screened(runner: CliRunner) -> None:
    data = json.loads(run(runner, *PLAN, "--format", "json").stdout)
    assert data["request"]["meds"] is None
    assert data["request"]["meds_reviewed"] is None


def test_a_request_file_can_carry_the_medicines(runner: CliRunner, tmp_path: Path) -> None:
    request = tmp_path / "req.toml"
    request.write_text('start = "1"\ntarget = "1"\nmeds = "co\u00adcodamol 30/500"\n')
    result = run(runner, "plan", str(request), "--from", "2026-12-07")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {request}: meds: cocodamol (codeine) is an opioid; naltrexone is "
        "contraindicated with opioids and can bring on withdrawal: the patient must be "
        "opioid-free for at least 7–10 days before the first dose\n"
    )
