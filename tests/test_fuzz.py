"""Random command lines: every run ends with exit code 0, 1 or 2, never with a traceback."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_titrate.cli import app, main, streams

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


class _Failing(io.TextIOBase):
    """A standard output that is full (ENOSPC) or closed (EBADF)."""

    encoding = "utf-8"

    def __init__(self, code: int) -> None:
        self.code = code

    def writable(self) -> bool:
        return True

    def write(self, _text: str) -> int:
        raise OSError(self.code, os.strerror(self.code))


FAILING = {"full": errno.ENOSPC, "closed": errno.EBADF}
WIDTHS = ("0", "1", "19", "20", "80", "100000")
# Any width from none at all to far wider than a screen, the edges most often.
WIDTH = st.sampled_from(WIDTHS) | st.integers(0, 100_000).map(str)
# Colour off, forced, both (NO_COLOR wins) or left to the terminal.
COLOUR = st.sampled_from(
    ({"NO_COLOR": "1"}, {"FORCE_COLOR": "1"}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, {})
)
# A plan with errors, warnings and a long message, for `check plan.csv` to lay out.
PLAN_CSV = (
    "step,start_date,end_date,days,dose_mg,instructions\n"
    "1,2026-12-07,2026-12-13,7,.5,Take .5 mg naltrexone by mouth once daily at bedtime.\n"
    "2,2026-12-14,,,9,Take 9 mg\n"
)


def stdout_of(kind: str) -> io.TextIOBase:
    if kind in FAILING:
        return _Failing(FAILING[kind])
    return io.TextIOWrapper(io.BytesIO(), encoding=kind)


def run_main(
    argv: list[str], kind: str, width: str, colour: dict[str, str] | None = None
) -> tuple[object, str]:
    """Run the console entry in this process, beside a plan file; its exit code and stderr."""
    colour = {"NO_COLOR": "1"} if colour is None else colour
    err = io.StringIO()
    code: object = 0
    with (
        tempfile.TemporaryDirectory() as tmp,
        contextlib.chdir(tmp),
        mock.patch.dict(os.environ, {"COLUMNS": width, **colour}),
        mock.patch.object(sys, "argv", argv),
        mock.patch.object(sys, "stdout", stdout_of(kind)),
        mock.patch.object(sys, "stderr", err),
        # Never point this process's own descriptor 1 elsewhere.
        mock.patch.object(streams, "silence_stdout", return_value=None),
    ):
        for name in {"NO_COLOR", "FORCE_COLOR"} - colour.keys():
            os.environ.pop(name, None)
        Path("plan.csv").write_text(PLAN_CSV, encoding="utf-8")
        try:
            main()
        except SystemExit as leaving:
            code = leaving.code or 0
    return code, err.getvalue()


@settings(max_examples=150)
@given(
    st.lists(TOKENS, max_size=14),
    st.sampled_from(("plan", "check", "")),
    st.sampled_from(("full", "closed", "ascii", "utf-8")),
    WIDTH,
    COLOUR,
)
def test_random_arguments_on_any_stdout_and_width(
    tokens: list[str], command: str, kind: str, width: str, colour: dict[str, str]
) -> None:
    """The console entry itself, on a full, closed or ASCII stdout, in any width and colour."""
    argv = ["ldn-titrate", *([command] if command else []), *tokens]
    code, stderr = run_main(argv, kind, width, colour)
    assert code in {0, 1, 2}, (argv, kind, stderr)
    assert "Traceback" not in stderr
    if "cannot write to standard output" in stderr:
        assert code == 1
        assert stderr.endswith(f": {os.strerror(FAILING[kind])}\n")


def test_a_full_stdout_in_process_is_one_line() -> None:
    argv = ["ldn-titrate", "plan", "--start", "0.5", "--target", "1", "--step", "0.5"]
    argv += ["--every", "7d", "--from", "2026-12-07"]
    assert run_main(argv, "full", "80") == (
        1,
        "error: cannot write to standard output: No space left on device\n",
    )


@settings(max_examples=60)
@given(
    st.lists(st.sampled_from(("--format", "table", "csv", "json", "--strict")), max_size=3),
    st.sampled_from(("full", "closed", "ascii", "utf-8")),
    WIDTH,
    COLOUR,
)
def test_checking_a_plan_on_any_stdout_width_and_colour(
    extra: list[str], kind: str, width: str, colour: dict[str, str]
) -> None:
    """`check` of a plan with errors: its findings laid out on any stdout, never a traceback."""
    code, stderr = run_main(["ldn-titrate", "check", "plan.csv", *extra], kind, width, colour)
    assert code in {1, 2}, (extra, kind, width, stderr)
    assert "Traceback" not in stderr
    if code == 1 and kind in FAILING:
        assert stderr.endswith(f"cannot write to standard output: {os.strerror(FAILING[kind])}\n")


# replan: random options on a plan that plan wrote, as JSON and as CSV.
REPLAN_OPTIONS = (
    "--on",
    "--back-down",
    "--hold",
    "--to",
    "--pause-until",
    "--continue-within",
    "--step-down-within",
    "--form",
    "--concentration",
    "--graduation",
    "--format",
    "--time",
)
REPLAN_VALUES = (
    "2026-12-10",
    "2026-12-21",
    "2027-03-01",
    "9999-12-31",
    "2999-12-31",
    "0",
    "1",
    "7",
    "²",
    "١",
    "-1",
    "1" * 4301,
    "0.25",
    "liquid",
    "1mg/mL",
    "csv",
    "json",
    "fhir",
    "xlsx",
)
REPLAN_TOKENS = st.one_of(
    st.sampled_from(REPLAN_OPTIONS), st.sampled_from(REPLAN_VALUES + BAD), ARG_TEXT
)
PLAN_ARGS = ["plan", "--start", "0.5", "--target", "2", "--step", "0.5", "--every", "7d"]


_WRITTEN: dict[str, str] = {}


def written_plan(runner: CliRunner, fmt: str) -> str:
    """The plan as plan writes it, once per format."""
    if fmt not in _WRITTEN:
        result = runner.invoke(app, [*PLAN_ARGS, "--from", "2026-12-07", "--format", fmt])
        _WRITTEN[fmt] = result.stdout
    return _WRITTEN[fmt]


@settings(max_examples=80)
@given(st.sampled_from(("plan.json", "plan.csv")), st.lists(REPLAN_TOKENS, max_size=10))
def test_replan_with_random_options(runner: CliRunner, plan: str, tokens: list[str]) -> None:
    text = written_plan(runner, plan.rsplit(".", 1)[1])
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
        Path(plan).write_text(text, encoding="utf-8")
        result = runner.invoke(app, ["replan", plan, "--on", "2026-12-15", *tokens])
    assert result.exit_code in {0, 1, 2}, (tokens, result.exit_code, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        tokens,
        repr(result.exception),
    )
    assert "Traceback" not in result.stdout + result.stderr


# The config file: random TOML-like text, as --config for every command that reads one.
CONFIG_PIECES = st.sampled_from(
    [
        'form = "liquid"\n',
        'concentration = "1 mg/mL"\n',
        "graduation = 0.05\n",
        "bud = 30\n",
        "bud = " + "9" * 4301 + "\n",
        "bud = 0x" + "f" * 400 + "\n",
        "bud = 0o" + "7" * 500 + "\n",
        "bud = 0.1e" + "9" * 30 + "\n",
        "bud = inf\n",
        "max_units = -4\n",
        "strengths = [1.5, 0.5]\n",
        "[check]\n",
        "min_interval = 3\n",
        'max_step = "1e9 mg"\n',
        "a = " + "[" * 500 + "]" * 500 + "\n",
        "a = " + "{b = " * 100 + "1" + "}" * 100 + "\n",
        "start = 0.5\n",
        "\ufeff",
        '"\\u0000" = 1\n',
    ]
)
CONFIG_TEXT = st.one_of(st.lists(CONFIG_PIECES, max_size=5).map("".join), st.text(max_size=60))
CONFIG_COMMANDS = (
    [*PLAN_ARGS, "--from", "2026-12-07"],
    ["check", "plan.csv"],
    ["config"],
)


@settings(max_examples=80)
@given(CONFIG_TEXT, st.sampled_from(CONFIG_COMMANDS), st.booleans())
def test_a_random_config_file_is_used_or_refused_in_lines(
    runner: CliRunner, text: str, command: list[str], by_variable: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
        Path("c.toml").write_text(text, encoding="utf-8")
        Path("plan.csv").write_text(PLAN_CSV, encoding="utf-8")
        if by_variable:
            result = runner.invoke(app, command, env={"LDN_TITRATE_CONFIG": "c.toml"})
        else:
            result = runner.invoke(app, [*command, "--config", "c.toml"])
    assert result.exit_code in {0, 1, 2}, (text, result.exit_code, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        text,
        repr(result.exception),
    )
    assert "Traceback" not in result.stdout + result.stderr
    if result.exit_code == 2:
        assert result.stderr.startswith("error: ")
