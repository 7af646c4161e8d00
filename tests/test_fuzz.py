"""Random command lines: every run ends with exit code 0, 1 or 2, never with a traceback."""

from __future__ import annotations

import contextlib
import tempfile

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_titrate.cli import app

OPTIONS = (
    "--start",
    "--target",
    "--step",
    "--every",
    "--from",
    "--maintenance-days",
    "--time",
    "--label",
    "--format",
    "-o",
    "--output",
    "--force",
    "--version",
    "--help",
)
GOOD = (
    "0.5",
    "1",
    "2.25",
    "4.5",
    "0.5mg",
    "500 mcg",
    "0.25",
    "1.5",
    "7",
    "7d",
    "2w",
    "1mo",
    "5mo",
    "2026-12-07",
    "2028-02-29",
    "today",
    "tomorrow",
    "monday",
    "30",
    "bedtime",
    "morning",
    "table",
    "csv",
    "json",
    "plan.csv",
    "-",
)
BAD = (
    ".5",
    "1,5",
    "1e0",
    "1_0",
    "١",
    "-1",
    "+1",
    "nan",
    "inf",
    "500 µg",
    "500ug",
    "4.5mcg",
    "6",
    "0",
    "0.0001",
    "1m",
    "0d",
    "27w",
    "01/02/2026",
    "2026-02-30",
    "9999-12-31",
    "xml",
    "noon",
    "",
    " ",
    "[red]x",
    "=SUM(A1)",
    "9" * 30,
    "nowhere/plan.csv",
    "missing.toml",
)
# Command-line arguments cannot hold NUL; anything else may arrive.
ARG_TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12
)
TOKENS = st.one_of(st.sampled_from(OPTIONS), st.sampled_from(GOOD + BAD), ARG_TEXT)
VALUES = st.one_of(st.sampled_from(GOOD), st.sampled_from(BAD), ARG_TEXT)


def check(runner: CliRunner, args: list[str]) -> None:
    # A fresh folder for each example: hypothesis runs many examples per test call.
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
        result = runner.invoke(app, args)
    assert result.exit_code in {0, 1, 2}, (args, result.exit_code, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        repr(result.exception),
    )
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        assert result.stdout == "" or result.stdout.startswith("Usage:"), args


@settings(max_examples=200)
@given(st.lists(TOKENS, max_size=14), st.booleans())
def test_random_argument_lists(runner: CliRunner, tokens: list[str], as_plan: bool) -> None:
    check(runner, ["plan", *tokens] if as_plan else tokens)


@settings(max_examples=200)
@given(
    st.fixed_dictionaries(
        {
            "--start": VALUES,
            "--target": VALUES,
            "--step": VALUES,
            "--every": VALUES,
            "--from": VALUES,
        },
        optional={
            "--maintenance-days": VALUES,
            "--time": VALUES,
            "--label": VALUES,
            "--format": st.sampled_from(("csv", "json", "table")) | VALUES,
            "-o": VALUES,
        },
    )
)
def test_every_option_with_any_value(runner: CliRunner, options: dict[str, str]) -> None:
    check(runner, ["plan", *(part for pair in options.items() for part in pair)])
