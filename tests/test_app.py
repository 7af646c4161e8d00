"""The workflows under the command line: plan, replan and the config file, with no terminal."""

from __future__ import annotations

import dataclasses
import sys
from datetime import date
from pathlib import Path

import pytest

from ldn_titrate.app import inputs
from ldn_titrate.app import plan as planning
from ldn_titrate.app import replan as replanning
from ldn_titrate.app import writer_options as writing
from ldn_titrate.app.inputs import Line
from ldn_titrate.cli.options import PAPERS
from ldn_titrate.errors import InputError, LdnTitrateError, Setting, as_file_key, spell
from ldn_titrate.formats import OPTIONS, Format, WriteOptions, taking

LADDER = {"start": "0.5", "target": "1.5", "step": "0.5", "every": "7d", "from": "2026-12-07"}


def test_each_writer_option_a_format_takes_is_a_write_option_with_a_parser() -> None:
    fields = {field.name for field in dataclasses.fields(WriteOptions)}
    taken = {key for keys in OPTIONS.values() for key in keys}
    assert taken <= fields
    assert taken == set(writing._PARSERS)
    assert set(OPTIONS) == set(Format)
    assert OPTIONS[Format.TABLE] == ()


def test_the_papers_refused_are_the_papers_completed() -> None:
    assert writing.PAPERS == PAPERS


def test_the_formats_taking_an_option_are_named_in_the_order_of_the_enum() -> None:
    assert taking("paper") == ("xlsx", "html")
    assert taking("intent") == ("fhir",)
    assert taking("remind") == ("ics",)


def test_an_option_the_format_does_not_take_is_refused_in_one_place() -> None:
    texts = {"intent": "order", "paper": "a4", "remind": "21:00"}
    problems: list[Line] = []
    writing.write_options(Format.CSV, {**texts, "prescriber": None, "pharmacy": None}, problems)
    assert [spell(line) for line in problems] == [
        "--intent: applies to --format fhir only, got 'order'",
        "--paper: applies to --format xlsx and html only, got 'a4'",
        "--remind: applies to --format ics only, got '21:00'",
    ]


def test_an_option_the_format_takes_is_parsed() -> None:
    problems: list[Line] = []
    texts = {"intent": None, "paper": " Letter ", "remind": None}
    written = writing.write_options(
        Format.HTML, {**texts, "prescriber": "Dr A", "pharmacy": None}, problems
    )
    assert problems == []
    assert (written.paper, written.prescriber) == ("letter", "Dr A")


def test_a_missing_file_is_refused_as_an_error_of_the_family(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(LdnTitrateError) as caught:
        inputs.read_text("absent.toml", "REQUEST")
    assert isinstance(caught.value, inputs.Refused)
    assert caught.value.lines == ("REQUEST 'absent.toml': no such file",)
    assert caught.value.failure is False


def test_no_config_file_is_read_when_none_is_asked_for() -> None:
    path, why = inputs.config_path("none")
    assert (path, spell((why,))) == (None, "--config")
    assert inputs.load_config(" NONE ") is None


def test_the_default_config_file_is_in_the_users_settings_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(inputs.CONFIG_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path, why = inputs.config_path(None)
    assert why == inputs.DEFAULT_PLACE
    if not sys.platform.startswith(("win", "darwin")):
        assert path == tmp_path / "ldn-titrate" / "config.toml"


def test_a_plan_is_drafted_with_its_warnings_and_no_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(inputs.TODAY_VARIABLE, "2025-01-01")
    asked = planning.ask(None, LADDER, None, "none")
    schedule, warnings = planning.draft(asked, reviewed=False)
    assert [step.dose_mg for step in schedule.steps] == [0.5, 1, 1.5]
    assert [spell(line) for line in warnings] == [
        "--from: 2026-12-07 is 705 days ahead; is this the right year?"
    ]


def test_a_refused_request_carries_the_problems_found_before_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(inputs.TODAY_VARIABLE, "2026-12-07")
    with pytest.raises(inputs.Refused) as caught:
        planning.ask(None, {**LADDER, "target": "9"}, None, "none", ["--format: earlier"])
    assert caught.value.lines[0] == "--format: earlier"
    assert caught.value.lines[1].startswith("--target: ")


def test_a_pause_and_a_back_down_together_are_refused() -> None:
    problems: list[Line] = []
    texts = dict.fromkeys(("hold", "to", "continue_within", "step_down_within"))
    how = replanning.change(
        {**texts, "pause_until": "2026-12-20"}, back_down=True, problems=problems
    )
    assert how is None
    assert [spell(line) for line in problems] == [
        "give one of --back-down and --pause-until, not both"
    ]


def test_a_day_is_read_or_refused_naming_its_option() -> None:
    problems: list[Line] = []
    assert replanning.day("2026-12-07", "on", problems) == date(2026, 12, 7)
    assert replanning.day("7 Dec", "on", problems) is None
    assert [spell(line) for line in problems] == ["--on: write the day as YYYY-MM-DD, got '7 Dec'"]


def test_a_refusal_names_its_setting_by_key_for_whoever_shows_it() -> None:
    problems: list[Line] = []
    texts = {"intent": None, "paper": "b5", "remind": None}
    writing.write_options(Format.HTML, {**texts, "prescriber": None, "pharmacy": None}, problems)
    assert problems == [(Setting("paper", ""), ": ", "must be a4 or letter", ", got 'b5'")]
    assert [spell(line, as_file_key) for line in problems] == [
        "paper: must be a4 or letter, got 'b5'"
    ]
    assert spell(problems[0]) == str(InputError("--paper", "b5", "must be a4 or letter"))
    refused = inputs.Refused([problems[0], "plain"])
    assert refused.phrases == (problems[0], "plain")
    assert refused.lines == ("--paper: must be a4 or letter, got 'b5'", "plain")
