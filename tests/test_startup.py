"""Start-up: ``--version`` loads the command line only, not the core or its heavy libraries."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len as rich_cell_len
from typer.testing import CliRunner

from ldn_titrate.check.meddata import _ALL_WORDS, WORD
from ldn_titrate.cli import app, app_for, command_name
from ldn_titrate.errors import _escape, _hidden, visible
from ldn_titrate.render.lines import cell_len

HEAVY = ("rich", "pydantic", "dateutil")  # and every module whose name starts so
ALLOWED_OWN = {
    "ldn_titrate",
    "ldn_titrate.version",
    "ldn_titrate.cli",
    "ldn_titrate.cli.command",
    "ldn_titrate.cli.plan",
    "ldn_titrate.cli.options",
    "ldn_titrate.cli.check",
    "ldn_titrate.cli.protocols",
    "ldn_titrate.cli.config",
    "ldn_titrate.cli.schema",
    "ldn_titrate.cli.replan",
    "ldn_titrate.cli.streams",
    "ldn_titrate.app",
    "ldn_titrate.app.streams",
    "ldn_titrate.cli.serve",
    "ldn_titrate.spreadsheet",
    "ldn_titrate.__main__",
}


def imported_modules(stderr: str) -> list[str]:
    """Module names from ``-X importtime`` lines: ``import time: self | cumulative | name``."""
    names = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or line.rstrip().endswith("imported package"):
            continue
        names.append(line.rsplit("|", 1)[-1].strip())
    return names


def traced(
    args: list[str], cwd: Path, **env: str
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """The console script run under ``-X importtime`` (exit 0): its result and its imports."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ldn_titrate", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=60,
        env={**os.environ, **env},
    )
    assert result.returncode == 0, result.stderr
    return result, imported_modules(result.stderr)


def test_version_starts_light(tmp_path: Path) -> None:
    result, modules = traced(["--version"], tmp_path)
    assert result.stdout == "ldn-titrate 0.1.0\n"
    assert "ldn_titrate.cli" in modules
    heavy = [m for m in modules if m.startswith(HEAVY)]
    assert heavy == []
    own = {m for m in modules if m.split(".")[0] == "ldn_titrate"}
    assert own <= ALLOWED_OWN, sorted(own - ALLOWED_OWN)


def test_a_csv_plan_without_a_config_never_builds_the_models(tmp_path: Path) -> None:
    # No schema module, no model and no pydantic for a CSV plan (typer 0.29 loaded pydantic to
    # coerce the options of any command it ran; the bound in pyproject.toml keeps it out).
    args = ["plan", "--start", "0.5", "--target", "1", "--step", "0.5", "--every", "7d"]
    _, modules = traced([*args, "--format", "csv"], tmp_path, LDN_TITRATE_CONFIG="none")
    assert "ldn_titrate.rules" in modules
    assert [m for m in modules if m.startswith("ldn_titrate.schemas")] == []
    assert [m for m in modules if m.startswith(("pydantic", "typer._adapters"))] == []
    # The FHIR and calendar libraries load only for their own formats.
    assert [m for m in modules if m.startswith(("fhir", "icalendar"))] == []
    # Of the commands, only plan's module is imported: the others register when named.
    commands = [m for m in modules if m.startswith("ldn_titrate.cli.")]
    assert sorted(commands) == [
        "ldn_titrate.cli.command",
        "ldn_titrate.cli.options",
        "ldn_titrate.cli.output",
        "ldn_titrate.cli.plan",
        "ldn_titrate.cli.streams",
    ]


def test_a_config_file_is_read_without_the_models(tmp_path: Path) -> None:
    # A config's values are read by the settings' own parsers, as the command line reads them.
    config = tmp_path / "config.toml"
    config.write_text("bud = 30\n", encoding="utf-8")
    _, modules = traced(["config"], tmp_path, LDN_TITRATE_CONFIG=str(config))
    assert "ldn_titrate.request_files" in modules
    assert [m for m in modules if m.startswith("ldn_titrate.schemas")] == []


def test_a_json_plan_is_checked_without_the_models(tmp_path: Path) -> None:
    # Its shape is judged by pydantic-core from the shapes' copy: pydantic and the plan model
    # load only for a plan that does not fit, for the model's own messages.
    plan = subprocess.run(
        [sys.executable, "-m", "ldn_titrate", "plan", "--start", "0.5", "--target", "1",
         "--step", "0.5", "--every", "7d", "--from", "2026-12-07", "--format", "json",
         "-o", "plan.json"],
        capture_output=True, text=True, check=False, cwd=tmp_path, timeout=60,
        env={**os.environ, "LDN_TITRATE_CONFIG": "none"},
    )  # fmt: skip
    assert plan.returncode == 0, plan.stderr
    _, modules = traced(["check", "plan.json"], tmp_path, LDN_TITRATE_CONFIG="none")
    assert "ldn_titrate.shapes" in modules
    assert "pydantic_core" in modules
    assert [m for m in modules if m.startswith(("ldn_titrate.schemas", "pydantic."))] == []
    assert "pydantic" not in modules


COMMAND_RUNS = (
    ["--help"],
    *([name, "--help"] for name in ("plan", "check", "config", "protocols", "schema")),
    [
        "plan",
        "--start",
        "0.5",
        "--target",
        "1",
        "--step",
        "0.5",
        "--every",
        "7d",
        "--format",
        "csv",
    ],
    [
        "plan",
        "--start",
        "0.5",
        "--target",
        "1",
        "--step",
        "0.5",
        "--every",
        "7d",
        "--format",
        "json",
    ],
    ["plan", "--start", "0.5", "--start", "1"],
    ["plan", "--start", "0.5", "--target", "9", "--step", "0.5", "--every", "7d"],
)


def test_no_command_gives_typer_text_annotations_to_compile(runner: CliRunner) -> None:
    # No module of the command line postpones its annotations: typer reads values, and
    # compiles no string at each start. The commands still say and do what they did.
    callbacks = [info.callback for info in app.registered_commands]
    callbacks.append(app.registered_callback.callback if app.registered_callback else None)
    for callback in callbacks:
        assert callback is not None
        assert not [v for v in callback.__annotations__.values() if isinstance(v, str)]
    runs = [runner.invoke(app, args) for args in COMMAND_RUNS]
    assert [r.exit_code for r in runs] == [0, 0, 0, 0, 0, 0, 0, 0, 2, 2]


def test_the_benchmark_floor_declares_every_option_of_plan() -> None:
    """The floor is a typer app with plan's options; it must not fall behind the real command."""
    text = (Path(__file__).parent.parent / "benchmarks" / "startup.py").read_text(encoding="utf-8")
    floor = text.split("FLOOR_APP = '''", 1)[1].split("'''", 1)[0]
    declared = set(re.findall(r'typer\.Option\([^)]*?"(--[a-z-]+)"', floor))
    plan = typer.main.get_command(app).commands["plan"]  # type: ignore[attr-defined]
    real = {
        o for p in plan.params if p.param_type_name == "option" for o in p.opts if o[:2] == "--"
    }
    assert declared == real - {"--help"}


def test_a_clean_plan_checked_loads_no_table_drawing(runner: CliRunner, tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    args = ["--start", "0.5", "--target", "1", "--step", "0.5", "--every", "7d", "--format", "csv"]
    assert runner.invoke(app, ["plan", *args, "-o", str(plan)]).exit_code == 0
    result, modules = traced(
        ["check", str(plan)], tmp_path, LDN_TITRATE_CONFIG="none", COLUMNS="200"
    )
    assert result.stdout.startswith(f"{plan}: clean, 2 steps")
    assert "ldn_titrate.render" in modules
    assert [m for m in modules if m.startswith(("rich.table", "rich.console", "rich.text"))] == []


def test_the_names_the_console_script_looks_for_are_the_commands() -> None:
    group = typer.main.get_command(app)
    names = [command_name(info) for info in app.registered_commands]
    assert sorted(names) == sorted(group.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "args", [[], ["--help"], ["--version"], ["pln"], ["--install-completion"], ["-h", "plan"]]
)
def test_anything_but_a_command_name_keeps_the_whole_app(args: list[str]) -> None:
    assert app_for(args) is app


def test_shell_completion_keeps_the_whole_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_LDN_TITRATE_COMPLETE", "complete_bash")
    assert app_for(["plan"]) is app


COMMAND_NAMES = [command_name(info) for info in app.registered_commands]


ONE_COMMAND_RUNS = (
    *COMMAND_RUNS,
    ["replan", "--help"],
    ["serve", "--help"],
    ["plan", "--jobs", "2"],
    ["check", "--protocol", "x", "a.json"],
    ["plan", "--nonsense"],
    ["protocols"],
)


@pytest.mark.parametrize("args", ONE_COMMAND_RUNS, ids=" ".join)
def test_a_command_built_alone_behaves_as_in_the_whole_app(
    runner: CliRunner, args: list[str]
) -> None:
    # The console script builds only the command named; everything it says must be the same,
    # an option of another command named as such included.
    alone = app_for(args)
    assert len(alone.registered_commands) == (1 if args[0] != "--help" else len(COMMAND_NAMES))
    whole = runner.invoke(app, args)
    one = runner.invoke(alone, args)
    assert (one.exit_code, one.stdout, one.stderr) == (whole.exit_code, whole.stdout, whole.stderr)


def test_the_console_script_names_another_commands_option(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ldn_titrate", "plan", "--jobs", "2"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "error: --jobs: is an option of check, not of plan\n"


def test_a_csv_plan_checked_loads_no_other_reader(tmp_path: Path) -> None:
    # A CSV's check reads it with the CSV reader alone: the JSON, FHIR and workbook readers and
    # the directions grammar load only for a file or a text that needs them.
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "step,start_date,end_date,days,dose_mg,instructions\n"
        "1,2026-12-07,2026-12-13,7,0.5,Take 0.5 mg naltrexone by mouth once daily at bedtime.\n"
        "2,2026-12-14,,,1,Take 1 mg naltrexone by mouth once daily at bedtime.\n",
        encoding="utf-8",
    )
    result, listed = traced(
        ["check", str(plan)], tmp_path, LDN_TITRATE_CONFIG="none", COLUMNS="200"
    )
    assert result.stdout.startswith(f"{plan}: clean, 2 steps")
    modules = set(listed)
    assert "ldn_titrate.received.csv_reader" in modules
    not_needed = {
        "ldn_titrate.received.json_reader",
        "ldn_titrate.received.fhir_reader",
        "ldn_titrate.received.xlsx_reader",
        "ldn_titrate.received.sig",
        "ldn_titrate.received.sig_plan",
        "zipfile",
    }
    assert sorted(modules & not_needed) == []


def test_the_frequency_words_compiled_late_name_the_groups_their_patterns_have() -> None:
    # Each word's pattern is compiled on first use; its counts and quote are read from the
    # pattern's text, and must be those the compiled pattern has.
    from ldn_titrate.check.frequency import vocabulary  # noqa: PLC0415 - after the start-up tests

    for word in vocabulary().words:
        groups = list(word.pattern.groupindex)
        assert word.counts == tuple(g for g in groups if g.startswith("n"))
        assert word.quoted == ("q" in groups)


# What a clean check of a small CSV plan never needs: the TOML reader (the frequency
# vocabulary is read from its JSON copy), the terminal library (a clean plan is one line),
# pydantic, the planner's model and wording, and the classes of what a plan file may hold
# besides its steps (medicine lists, parts not read, FHIR timings).
NOT_FOR_A_CLEAN_CHECK = (
    "tomllib",
    "ldn_titrate.received.extras",
    "rich",
    "pydantic",
    "ldn_titrate.model",
    "ldn_titrate.wording",
    "ldn_titrate.rules",
    "ldn_titrate.render.schedule",
)


def test_a_clean_plan_checked_loads_no_toml_reader_terminal_library_or_planner(
    runner: CliRunner, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.csv"
    args = ["--start", "0.5", "--target", "4.5", "--step", "0.5", "--every", "7d"]
    made = runner.invoke(app, ["plan", *args, "--from", "2026-12-07", "-o", str(plan)])
    assert made.exit_code == 0
    # 80 columns: the clean line is longer, so it is wrapped too.
    result, modules = traced(
        ["check", str(plan)], tmp_path, LDN_TITRATE_CONFIG="none", COLUMNS="80"
    )
    assert result.stdout.startswith(f"{plan}: clean,\n  9 steps")
    assert "ldn_titrate.check.frequency" in modules
    assert [m for m in modules if m.startswith(NOT_FOR_A_CLEAN_CHECK)] == []


@given(st.text())
def test_a_line_is_as_wide_as_rich_measures_it(text: str) -> None:
    assert cell_len(text) == rich_cell_len(text)


@given(st.text(st.characters(max_codepoint=127)))
def test_ascii_text_has_the_words_of_the_pattern_for_every_script(text: str) -> None:
    everything = re.compile(_ALL_WORDS)
    assert WORD.findall(text) == everything.findall(text)
    assert [m.span() for m in WORD.finditer(text)] == [m.span() for m in everything.finditer(text)]


@given(st.one_of(st.text(), st.text(st.characters(max_codepoint=0x7F))))
def test_text_is_made_visible_as_the_pattern_makes_it(text: str) -> None:
    # Printable ASCII is passed without the pattern; the result is the same text.
    assert visible(text) == _hidden().sub(_escape, text)
