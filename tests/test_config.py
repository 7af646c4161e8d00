"""The config file: pharmacy defaults, validated strictly, below the request file and options."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_titrate.app.inputs import EXAMPLE
from ldn_titrate.cli import app
from ldn_titrate.errors import shown

PLAN = ["plan", "--start", "1", "--target", "2", "--step", "1", "--every", "7d"]
PLAN += ["--from", "2026-12-07", "--format", "json"]
LIQUID = 'form = "liquid"\nconcentration = "1 mg/mL"\ngraduation = "0.05 mL"\nbud = 30\n'


def write(tmp_path: Path, text: str, name: str = "config.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_config_gives_the_formulation_defaults(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, [*PLAN, "--config", write(tmp_path, LIQUID)])
    assert result.exit_code == 0, result.stderr
    request = json.loads(result.stdout)["request"]
    assert (request["form"], request["concentration_mg_per_ml"]) == ("liquid", "1")
    assert (request["graduation_ml"], request["bud_days"]) == ("0.05", 30)


def test_the_environment_variable_names_the_config(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, PLAN, env={"LDN_TITRATE_CONFIG": write(tmp_path, LIQUID)})
    assert result.exit_code == 0
    assert json.loads(result.stdout)["request"]["form"] == "liquid"


def test_options_and_request_files_win_over_the_config(runner: CliRunner, tmp_path: Path) -> None:
    request = write(tmp_path, 'concentration = "5 mg/mL"\n', "request.toml")
    args = [*PLAN, request, "--config", write(tmp_path, LIQUID), "--graduation", "0.1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)["request"]
    assert (data["concentration_mg_per_ml"], data["graduation_ml"]) == ("5", "0.1")


def test_a_liquid_default_never_reaches_a_capsule_plan(runner: CliRunner, tmp_path: Path) -> None:
    args = [*PLAN, "--config", write(tmp_path, LIQUID), "--form", "capsule", "--strengths", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    request = json.loads(result.stdout)["request"]
    assert request["form"] == "capsule"
    assert "concentration_mg_per_ml" not in request


def test_a_config_value_is_named_as_the_config_in_messages(
    runner: CliRunner, tmp_path: Path
) -> None:
    config = write(tmp_path, 'form = "liquid"\nconcentration = "100 mg/mL"\n')
    result = runner.invoke(app, [*PLAN, "--config", config])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {config}: concentration: must be from 0.1 mg/mL to 10 mg/mL, got '100 mg/mL'\n"
    )


@pytest.mark.parametrize("key", ["start", "target", "step", "every", "weight"])
def test_a_config_never_sets_a_dose_step_interval_or_weight(
    runner: CliRunner, tmp_path: Path, key: str
) -> None:
    config = write(tmp_path, f'{key} = "1"\n')
    result = runner.invoke(app, [*PLAN, "--config", config])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {config}: {key}: a config file never sets a dose, a step, an interval or a "
        "weight; type it, or name a preset with --protocol\n"
    )


def test_unknown_keys_and_bad_values_are_refused_one_line_each(
    runner: CliRunner, tmp_path: Path
) -> None:
    config = write(
        tmp_path,
        'form = "gel"\nmax_units = "11"\nbogus = 1\n[check]\nmin_interval = "2w"\nmore = 1\n',
    )
    result = runner.invoke(app, ["config", "--config", config])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {config}: form: must be liquid or capsule, got 'gel'\n"
        f"error: {config}: max_units: must be a whole number from 1 to 10, got '11'\n"
        f"error: {config}: check.min_interval: must be a whole number of days from 1 to 182, "
        "got '2w'\n"
        f"error: {config}: check.more: not a key this file may hold\n"
        f"error: {config}: bogus: not a key this file may hold\n"
    )


def test_a_named_config_that_is_missing_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.toml")
    result = runner.invoke(app, [*PLAN, "--config", missing])
    assert result.exit_code == 2
    assert result.stderr == f"error: --config {shown(missing)}: no such file\n"


def test_config_shows_each_value_and_where_it_comes_from(runner: CliRunner, tmp_path: Path) -> None:
    config = write(tmp_path, LIQUID + '[check]\nmax_step = "1 mg"\n')
    result = runner.invoke(app, ["config", "--config", config])
    assert result.exit_code == 0
    assert result.stdout == (
        f"config file: {config} (from --config)\n"
        f"form = liquid  ({config})\n"
        f"concentration = 1 mg/mL  ({config})\n"
        f"graduation = 0.05 mL  ({config})\n"
        "strengths: not set\n"
        "max_units = 4  (built in)\n"
        f"bud = 30  ({config})\n"
        "overage = 0%  (built in)\n"
        f"check.max_step = 1 mg  ({config})\n"
        "check.min_interval = 3 days  (built in)\n"
        "check.graduation: not set\n"
    )


def test_config_says_when_none_is_in_use(runner: CliRunner) -> None:
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "config file: none (LDN_TITRATE_CONFIG says none)"


def test_the_default_location_is_the_user_settings_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    env = {"LDN_TITRATE_CONFIG": None}
    path = tmp_path / "ldn-titrate" / "config.toml"
    result = runner.invoke(app, ["config"], env=env)
    assert result.stdout.splitlines()[0] == f"config file: none ({path} does not exist)"
    result = runner.invoke(app, ["config", "--init"], env=env)
    assert result.exit_code == 0
    assert result.stderr == f"wrote {path}\n"
    assert path.read_text(encoding="utf-8") == EXAMPLE
    result = runner.invoke(app, ["config"], env=env)
    assert result.stdout.splitlines()[0] == f"config file: {path} (from the default location)"


def test_init_never_writes_over_a_file(runner: CliRunner, tmp_path: Path) -> None:
    config = write(tmp_path, "bud = 7\n")
    result = runner.invoke(app, ["config", "--init", "--config", config])
    assert result.exit_code == 1
    assert result.stderr == f"error: --init: {shown(config)} exists; it is left as it is\n"
    assert Path(config).read_text(encoding="utf-8") == "bud = 7\n"


def test_the_example_file_is_a_valid_config_that_sets_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["config", "--config", write(tmp_path, EXAMPLE)])
    assert result.exit_code == 0
    uncommented = re.sub(r"^# (?=[a-z_]+ = )", "", EXAMPLE, flags=re.MULTILINE)
    result = runner.invoke(app, ["config", "--config", write(tmp_path, uncommented, "all.toml")])
    assert result.exit_code == 0, result.stderr
    assert "(built in)" not in result.stdout


def test_check_takes_its_defaults_from_the_config(runner: CliRunner, tmp_path: Path) -> None:
    config = write(tmp_path, '[check]\nmax_step = "0 mg"\n')
    plan = str(Path(__file__).parent / "data" / "check" / "good-capsule.json")
    result = runner.invoke(app, ["check", "--config", config, plan])
    assert result.exit_code == 2
    assert result.stderr == f"error: {config}: check.max_step: must be more than 0 mg, got '0 mg'\n"


def test_a_config_over_1_mb_is_refused_at_once(runner: CliRunner, tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    with big.open("wb") as handle:
        handle.truncate(50_000_000)
    result = runner.invoke(app, [*PLAN, "--config", str(big)])
    assert result.exit_code == 2
    assert (
        result.stderr == f"error: --config {shown(str(big))}: larger than 1 MB, not a config file\n"
    )
