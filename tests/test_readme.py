"""The README's examples are run: each console block's output must match exactly."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_titrate.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONSOLE = re.compile(r"```console\n\$ (?P<command>[^\n]+)\n(?P<output>.*?)```", re.DOTALL)
TOML = re.compile(r"```toml\n(?P<body>.*?)```", re.DOTALL)


def run(command: str) -> str:
    """Run one README command the way the README shows it: 100 columns, no colour."""
    words = shlex.split(command)
    assert words[0] == "ldn-titrate"
    # The README's "today" is fixed, so that no example ages.
    runner = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "LDN_TITRATE_TODAY": "2026-12-01"})
    return runner.invoke(app, words[1:]).output


EXAMPLES = [(m["command"], m["output"]) for m in CONSOLE.finditer(README)]
# After a deliberate change of output: LDN_TITRATE_REGENERATE=1 python3 -m pytest
REGENERATE = os.environ.get("LDN_TITRATE_REGENERATE") == "1"


def regenerate_readme() -> None:
    """Rewrite the output of every console block of the README from the tool itself."""

    def rerun(match: re.Match[str]) -> str:
        return f"```console\n$ {match['command']}\n{run(match['command'])}```"

    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        text = CONSOLE.sub(rerun, (ROOT / "README.md").read_text(encoding="utf-8"))
    finally:
        os.chdir(cwd)
    (ROOT / "README.md").write_text(text, encoding="utf-8")


if REGENERATE:
    regenerate_readme()
    README = (ROOT / "README.md").read_text(encoding="utf-8")
    EXAMPLES = [(m["command"], m["output"]) for m in CONSOLE.finditer(README)]


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_output_is_exact(
    command: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert run(command) == expected


def test_the_quick_start_is_two_commands_on_an_example() -> None:
    block = README.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = block.strip().splitlines()
    assert lines == [
        "python3 -m pip install . && ldn-titrate plan examples/ldn-trust-0.5mg-weekly.toml",
        "python3 -m pip install '.[test]' && python3 -m pytest",
    ]
    assert (ROOT / "examples/ldn-trust-0.5mg-weekly.toml").is_file()


def test_the_request_file_shown_is_the_example_file() -> None:
    body = TOML.search(README)
    assert body is not None
    assert body["body"] == (ROOT / "examples/ldn-trust-0.5mg-weekly.toml").read_text(
        encoding="utf-8"
    )
