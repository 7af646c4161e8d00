"""Text from a received file or the command line is data: never acted on by the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_titrate.cli import app
from ldn_titrate.errors import json_visible, shown, visible

ESC = "\x1b[2J"
HIDDEN = "\x1b\x9b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x00\x07\x7f"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_hidden_characters_are_shown_escaped() -> None:
    assert visible(f"a{ESC}b\u202ec\x9b") == "a\\x1b[2Jb\\u202ec\\x9b"
    assert shown(f"a{ESC}\u2066") == "'a\\x1b[2J\\u2066'"


@given(st.text())
def test_nothing_hidden_survives_and_a_value_is_at_most_60_characters(text: str) -> None:
    out = shown(text)
    assert len(out) <= 60
    assert not any(ch in out for ch in HIDDEN)
    assert not any(ch in visible(text) for ch in HIDDEN)


@given(st.text())
def test_json_stays_json_and_means_the_same(text: str) -> None:
    written = json_visible(json.dumps({"m": text}, ensure_ascii=False))
    assert json.loads(written) == {"m": text}
    assert not any(ch in written for ch in HIDDEN)


def test_a_crafted_file_name_and_cell_never_reach_the_terminal_raw(runner: CliRunner) -> None:
    name = f"n{ESC}\u202e.csv"
    Path(name).write_text(f"step,start date,days,dose mg\n1,2026-01-05,7,1{ESC}\u202e\n")
    result = runner.invoke(app, ["check", name])
    assert (result.exit_code, result.stderr) == (
        1,
        "checked 1 plan: 1 with errors, 0 with warnings, 0 clean\n",
    )
    assert not any(ch in result.stdout for ch in HIDDEN)
    assert result.stdout.splitlines()[0] == "n\\x1b[2J\\u202e.csv"
    assert "dose mg '1\\x1b[2J\\u202e': " in result.stdout


def test_the_json_report_escapes_them_and_reads_back(runner: CliRunner) -> None:
    name = f"n\u202e{ESC}.csv"
    Path(name).write_text("step,start date,days,dose mg\n1,2026-01-05,7,1\u2066\n")
    result = runner.invoke(app, ["check", "--format", "json", name])
    assert not any(ch in result.stdout for ch in HIDDEN)
    report = json.loads(result.stdout)
    assert report[0]["file"] == name
    assert report[0]["findings"][0]["message"].startswith("dose mg '1\\u2066': ")


def test_every_error_line_quotes_at_most_60_characters(runner: CliRunner) -> None:
    long = "x" * 1000
    result = runner.invoke(app, ["plan", "--start", "1", "--target", "1", "--format", long])
    assert (result.exit_code, result.stderr) == (
        2,
        (
            "error: --format: must be one of table, csv, json, fhir, ics, xlsx, html, sig, "
            f"got '{'x' * 55}...'\n"
        ),
    )
    result = runner.invoke(app, ["plan", "--label", long, "--label", ESC])
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: --label: give it once, got '{'x' * 55}...', '\\x1b[2J'\n",
    )
    result = runner.invoke(app, ["check", "--format", long, "p.csv"])
    assert (
        result.stderr == f"error: --format: must be one of table, json, csv, got '{'x' * 55}...'\n"
    )


def test_the_request_path_and_unknown_keys_are_quoted_by_the_same_rule(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "y" * 200 + ".toml"])
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: REQUEST '{'y' * 55}...': no such file\n",
    )
    Path("r.toml").write_text('"' + "k" * 200 + '\\u202e" = 1\n')
    result = runner.invoke(app, ["plan", "r.toml"])
    assert result.stderr.startswith(f"error: r.toml: unknown key '{'k' * 55}...'; the keys are")


def test_warning_lines_show_a_hostile_file_name_escaped(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    name = f"r{ESC}.toml"
    Path(name).write_text('start = "0.25"\ntarget = "1"\nstep = "0.25"\nevery = "7d"\n')
    result = runner.invoke(app, ["plan", name, "--from", "2026-12-07", "--format", "csv"])
    assert result.exit_code == 0
    assert "\x1b" not in result.stderr
    assert result.stderr.startswith("warning: r\\x1b[2J.toml: start: 0.25 mg is a very low dose")
