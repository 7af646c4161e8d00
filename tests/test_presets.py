"""Protocol presets: shipped in the package, listed whole, and filling a plan under overrides."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_titrate.cli import app
from ldn_titrate.presets import load, names, preset_layer, row
from ldn_titrate.request import build_request
from ldn_titrate.rules import build_schedule

NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)+")
DAY = date(2026, 12, 7)


def test_at_least_ten_presets_with_hyphenated_lowercase_names() -> None:
    assert len(names()) >= 10
    assert [n for n in names() if NAME.fullmatch(n) is None] == []


@pytest.mark.parametrize("name", names())
def test_every_preset_builds_a_schedule_and_cites_a_url(name: str) -> None:
    preset = load(name)
    values, labels, _ = preset_layer(preset)
    schedule = build_schedule(build_request(values, labels, today=DAY))
    assert schedule.steps
    assert schedule.steps[-1].dose_mg == schedule.request.target_mg
    assert preset.source.startswith(("https://", "http://"))
    assert schedule.request.source == preset.source


@pytest.mark.parametrize(
    ("name", "ladder"),
    [
        ("ldn-trust-weekly", ("0.5 mg", "0.5 mg", "7d", "4.5 mg")),
        ("ldnnaltrexone-fortnightly", ("1.5 mg", "1.5 mg", "14d", "4.5 mg")),
        ("norway-ms-monthly", ("1.5 mg", "1.5 mg", "4w", "4.5 mg")),
        ("hdrx-hashimoto", ("0.25 mg", "0.25 mg", "7d", "1.5 mg")),
        ("long-covid-dublin", ("1 mg", "1 mg", "1mo", "2 mg")),
    ],
)
def test_the_published_ladders_are_covered(name: str, ladder: tuple[str, ...]) -> None:
    listed = row(load(name))
    assert (listed.start, listed.step, listed.every, listed.target) == ladder


def test_protocols_lists_every_preset_with_its_whole_url(runner: CliRunner) -> None:
    result = runner.invoke(app, ["protocols"], env={"COLUMNS": "300"})
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "Protocol presets"
    body = [line for line in lines if line.startswith("│")]
    assert [line.split("│")[1].strip() for line in body] == list(names())
    for line, name in zip(body, names(), strict=True):
        assert line.split("│")[7].strip() == load(name).source


def test_protocols_falls_back_to_plain_lines_rather_than_cut_a_url(runner: CliRunner) -> None:
    result = runner.invoke(app, ["protocols"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    # Only a web address longer than the width stands alone on a longer line, whole.
    assert all(
        len(line) <= 80 or line.startswith("  https://") for line in result.stdout.splitlines()
    )
    # Each line wrapped to the width continues with two spaces where a space was.
    lines = result.stdout.replace("\n  ", " ").splitlines()
    assert lines[0] == "Protocol presets"
    assert lines[1:] == [f"{n}: " + _ladder(n) + f"; {load(n).source}" for n in names()]
    assert (
        "hdrx-hashimoto: 0.25 mg, +0.25 mg every 7d to 1.5 mg; https://www.hdrx.com/ldn-dosing"
        in lines
    )
    assert (
        "moser-liquid-weekly: 0.5 mg, +0.5 mg every 7d to 4.5 mg; liquid 5 mg/mL; "
        "https://ldnresearchtrust.org/how-do-you-increase-dose-low-dose-naltrexone-ldn"
    ) in lines


def _ladder(name: str) -> str:
    r = row(load(name))
    form = f"; {r.form}" if r.form else ""
    if r.steps:
        return f"steps {r.steps}{form}"
    return f"{r.start}, +{r.step} every {r.every} to {r.target}{form}"


def test_an_explicit_step_preset_is_listed_by_its_steps(runner: CliRunner) -> None:
    result = runner.invoke(app, ["protocols"], env={"COLUMNS": "80"})
    assert (
        "hdrx-ibd: steps 1.5 mg for 7d, 3 mg for 2w, 4.5 mg; https://www.hdrx.com/ldn-dosing"
        in result.stdout.replace("\n  ", " ").splitlines()
    )


@pytest.mark.parametrize(
    ("preset", "given", "stderr", "doses"),
    [
        (
            "hdrx-ibd",
            ["--start", "1", "--target", "2", "--step", "1", "--every", "7d"],
            "preset: hdrx-ibd; overridden: --start, --target, --step, --every\n",
            ["1", "2"],
        ),
        (
            "ldn-trust-weekly",
            ["--steps", "1 mg for 7d, 2 mg"],
            "preset: ldn-trust-weekly; overridden: --steps\n",
            ["1", "2"],
        ),
        (
            "ldn-trust-weekly",
            ["--weight", "15kg"],
            (
                "preset: ldn-trust-weekly; overridden: --weight\n"
                "warning: --weight: target 1.5 mg: 15 kg × 0.1 mg/kg\n"
            ),
            ["0.5", "1", "1.5"],
        ),
    ],
)
def test_another_way_of_writing_the_plan_sets_the_presets_way_aside(
    runner: CliRunner, preset: str, given: list[str], stderr: str, doses: list[str]
) -> None:
    args = ["plan", "--protocol", preset, *given, "--from", "2026-12-07", "--format", "csv"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == stderr
    assert [line.split(",")[4] for line in result.stdout.splitlines()[1:]] == doses


def test_plan_from_a_preset_names_it_and_the_overrides(runner: CliRunner) -> None:
    args = ["plan", "--protocol", "ldn-trust-weekly", "--from", "2026-12-07", "--target", "1.5"]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert result.stderr == "preset: ldn-trust-weekly; overridden: --target\n"
    assert result.stdout.splitlines()[-1] == "Preset ldn-trust-weekly; overridden: --target."
    assert "│    3 │ 2026-12-21 Mon │ ongoing        │      │ 1.5 mg │" in result.stdout


def test_plan_from_a_preset_as_json_records_it(runner: CliRunner, tmp_path: Path) -> None:
    request = tmp_path / "request.toml"
    request.write_text('every = "2w"\nlabel = "AB"\n', encoding="utf-8")
    args = ["plan", str(request), "--protocol", "Moser-Liquid-Weekly", "--from", "2026-12-07"]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0
    assert result.stderr == f"preset: moser-liquid-weekly; overridden: {request}: every\n"
    data = json.loads(result.stdout)
    assert data["request"]["preset"] == "moser-liquid-weekly"
    assert data["request"]["overrides"] == [f"{request}: every"]
    assert data["request"]["every"] == "2w"
    assert data["request"]["concentration_mg_per_ml"] == "5"
    assert data["steps"][1]["start_date"] == "2026-12-21"


def test_plan_without_a_preset_writes_no_preset_keys(runner: CliRunner) -> None:
    args = ["plan", "--start", "1", "--target", "1", "--from", "2026-12-07", "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "preset" not in json.loads(result.stdout)["request"]


def test_an_unknown_preset_is_refused_with_the_close_names(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "--protocol", "ldn-trust-weakly"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: --protocol: no preset named 'ldn-trust-weakly'; did you mean "
        "ldn-trust-weekly, ldn-trust-guide-cancer, ldn-trust-guide-fortnightly?\n"
    )


def test_a_name_close_to_nothing_points_to_the_listing(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "--protocol", "zzz"])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --protocol: no preset named 'zzz'; 'ldn-titrate protocols' lists them\n"
    )


def test_a_bad_override_of_a_preset_names_the_option(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "--protocol", "hdrx-hashimoto", "--target", "9"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --target: ")
