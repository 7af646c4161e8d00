"""Conventions people expect: -h, examples in the help, plain help text, shell completion."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_titrate.check.output import ReportFormat
from ldn_titrate.cli import app
from ldn_titrate.cli.options import (
    CHECK_FORMATS,
    DATE_ORDERS,
    FORMS,
    INTENTS,
    PLAN_FORMATS,
    TIMES,
)
from ldn_titrate.doses import Form
from ldn_titrate.formats import Format
from ldn_titrate.formats.fhir_format import INTENTS as FHIR_INTENTS
from ldn_titrate.model import DoseTime
from ldn_titrate.presets import names
from ldn_titrate.received import DateOrder

ROOT = Path(__file__).resolve().parent.parent
PLAN_EXAMPLES = [
    "ldn-titrate plan --start 0.5 --target 4.5 --step 0.5 --every 7d --from monday",
    "ldn-titrate plan examples/ldn-trust-0.5mg-weekly.toml --format csv -o plan.csv",
    (
        "ldn-titrate plan --start 1.5 --target 4.5 --step 1.5 --every 2w"
        " --form capsule --strengths 1.5"
    ),
]
CHECK_EXAMPLES = [
    "ldn-titrate check plan.csv",
    "ldn-titrate check plan.csv --form liquid --concentration 1mg/mL --meds 'sertraline 50 mg'",
    "ldn-titrate plan request.toml --format json | ldn-titrate check -",
    "ldn-titrate check received/ --recursive --quiet",
]


@pytest.mark.parametrize("command", [[], ["plan"], ["check"]])
def test_dash_h_is_help(runner: CliRunner, command: list[str]) -> None:
    short = runner.invoke(app, [*command, "-h"])
    long = runner.invoke(app, [*command, "--help"])
    assert (short.exit_code, short.stderr) == (0, "")
    assert short.stdout == long.stdout
    assert "  -h, --help  " in short.stdout


@pytest.mark.parametrize(("command", "lines"), [("plan", PLAN_EXAMPLES), ("check", CHECK_EXAMPLES)])
def test_each_command_help_ends_with_real_examples(
    runner: CliRunner, command: str, lines: list[str]
) -> None:
    result = runner.invoke(app, [command, "--help"])
    expected = "\nExamples:\n" + "".join(f"  {line}\n" for line in lines)
    assert result.stdout.endswith(expected)


@pytest.mark.parametrize(
    "command", ["plan", "check", "replan", "protocols", "config", "schema", "serve"]
)
def test_every_command_help_ends_with_examples(runner: CliRunner, command: str) -> None:
    text = runner.invoke(app, [command, "--help"]).stdout
    examples = text.split("\nExamples:\n")
    assert len(examples) == 2, command
    lines = examples[1].splitlines()
    assert lines
    assert all(line.startswith("  ldn-titrate ") for line in lines)
    assert any(line.startswith(f"  ldn-titrate {command}") for line in lines)


@pytest.mark.parametrize(
    "line",
    [
        "ldn-titrate protocols",
        "ldn-titrate plan --protocol ldn-trust-weekly --from monday",
        "ldn-titrate schema findings",
        "ldn-titrate config --config examples/config/pharmacy-liquid.toml",
    ],
)
def test_the_new_examples_run(
    runner: CliRunner, line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    help_text = "".join(
        runner.invoke(app, [command, "--help"]).stdout
        for command in ("protocols", "schema", "config")
    )
    assert line in help_text
    result = runner.invoke(app, shlex.split(line)[1:])
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("columns", ["40", "80", "120"])
def test_the_command_list_is_never_cut_mid_sentence(runner: CliRunner, columns: str) -> None:
    text = runner.invoke(app, ["--help"], env={"COLUMNS": columns}).stdout
    listed = text.split("\nCommands:\n")[1]
    assert "..." not in listed
    entries = [line for line in listed.splitlines() if not line.startswith("             ")]
    assert [line.split()[0] for line in entries] == [
        "check",
        "config",
        "plan",
        "protocols",
        "replan",
        "schema",
        "serve",
    ]
    # Each entry is a whole sentence (continued lines included).
    assert listed.count(".") == len(entries)


@pytest.mark.parametrize("command", [[], ["plan"], ["check"]])
def test_help_never_shows_internal_type_names(runner: CliRunner, command: list[str]) -> None:
    text = runner.invoke(app, [*command, "--help"]).stdout
    for internal in ("<str>", "<list", "list[", "<int>", "<bool>", "<path>", "NoneType"):
        assert internal not in text


def test_help_names_the_arguments_by_their_metavar(runner: CliRunner) -> None:
    plan = runner.invoke(app, ["plan", "--help"]).stdout
    check = runner.invoke(app, ["check", "--help"]).stdout
    assert (
        "\nArguments:\n  REQUEST.toml  A request file ('-' reads stdin); options override"
        " its values.\n" in plan
    )
    assert "\nArguments:\n  PLAN...  Plan files, CSV, JSON or .xlsx, told apart by" in check


def test_the_plan_examples_run(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    for line in PLAN_EXAMPLES:
        result = runner.invoke(app, shlex.split(line)[1:])
        assert result.exit_code == 0, (line, result.stderr)
    (tmp_path / "request.toml").write_text(
        (ROOT / "examples/ldn-trust-0.5mg-weekly.toml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    for line in CHECK_EXAMPLES[:2]:
        result = runner.invoke(app, shlex.split(line)[1:])
        assert result.exit_code == 0, (line, result.stderr)
    produced = runner.invoke(app, ["plan", "request.toml", "--format", "json"]).stdout
    checked = runner.invoke(app, ["check", "-"], input=produced)
    assert checked.exit_code == 0, checked.stderr


def test_the_completed_choices_are_the_real_ones() -> None:
    assert tuple(f.value for f in Form) == FORMS
    assert tuple(f.value for f in Format) == PLAN_FORMATS
    assert tuple(t.value for t in DoseTime) == TIMES
    assert tuple(ReportFormat) == CHECK_FORMATS
    assert INTENTS == FHIR_INTENTS
    assert tuple(d.value for d in DateOrder) == DATE_ORDERS


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("ldn-titrate plan --format ", "table\ncsv\njson\nfhir\nics\nxlsx\nhtml\nsig\n"),
        ("ldn-titrate plan --format j", "json\n"),
        ("ldn-titrate plan --form c", "capsule\n"),
        ("ldn-titrate plan --time ", "bedtime\nmorning\n"),
        ("ldn-titrate check --format ", "table\njson\ncsv\n"),
        ("ldn-titrate check --form l", "liquid\n"),
        ("ldn-titrate plan --intent ", "proposal\nplan\norder\n"),
        ("ldn-titrate plan --protocol ldn-trust-w", "ldn-trust-weekly\n"),
        ("ldn-titrate plan --protocol ", "".join(f"{name}\n" for name in names())),
        ("ldn-titrate replan plan.json --intent o", "order\n"),
        ("ldn-titrate check --date-order ", "dmy\nmdy\n"),
        ("ldn-titrate schema ", "plan\nfindings\n"),
        ("ldn-titrate schema f", "findings\n"),
    ],
)
def test_shell_completion_offers_the_choices(runner: CliRunner, words: str, expected: str) -> None:
    env = {
        "_LDN_TITRATE_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    result = runner.invoke(app, [], env=env, prog_name="ldn-titrate")
    assert (result.exit_code, result.stdout) == (0, expected)


def test_completion_can_be_shown_and_installed(runner: CliRunner) -> None:
    text = runner.invoke(app, ["--help"]).stdout
    assert "  --install-completion  " in text
    assert "  --show-completion  " in text


LIQUID = ["plan", "--start", "0.5", "--target", "1", "--step", "0.5", "--every", "7d"]
LIQUID += ["--from", "2026-12-07", "--form", "liquid", "--concentration", "1mg/mL"]
# Wrapped to the width, never narrower than 20 columns.
PLAIN_20 = (
    "Low-dose naltrexone\n"
    "  titration plan\n"
    "Step 1:\n"
    "  2026-12-07 Mon to\n"
    "  2026-12-13 Sun\n"
    "  (7 days): 0.5 mg.\n"
    "  Take 0.5 mL\n"
    "  (0.5 mg) of\n"
    "  naltrexone 1 mg/mL\n"
    "  oral liquid by\n"
    "  mouth once daily\n"
    "  at bedtime.\n"
    "Step 2:\n"
    "  2026-12-14 Mon\n"
    "  onwards: 1 mg.\n"
    "  Take 1 mL (1 mg)\n"
    "  of naltrexone\n"
    "  1 mg/mL oral\n"
    "  liquid by mouth\n"
    "  once daily at\n"
    "  bedtime.\n"
    "Quantity to dispense\n"
    "Step 1: 3.5 mL for\n"
    "  7 days\n"
    "Step 2: 30 mL for\n"
    "  30 days (assumed)\n"
    "Titration total:\n"
    "  3.5 mL\n"
    "Maintenance total:\n"
    "  30 mL\n"
    "Grand total: 33.5 mL\n"
    "  for 37 days\n"
    "Fills\n"
    "Fill 1:\n"
    "  2026-12-07 Mon to\n"
    "  2027-01-12 Tue,\n"
    "  33.5 mL, dispense\n"
    "  by 2026-12-07 Mon\n"
)
PLAIN_40 = (
    "Low-dose naltrexone titration plan\n"
    "Step 1: 2026-12-07 Mon to 2026-12-13 Sun\n"
    "  (7 days): 0.5 mg. Take 0.5 mL (0.5 mg)\n"
    "  of naltrexone 1 mg/mL oral liquid by\n"
    "  mouth once daily at bedtime.\n"
    "Step 2: 2026-12-14 Mon onwards: 1 mg.\n"
    "  Take 1 mL (1 mg) of naltrexone 1 mg/mL\n"
    "  oral liquid by mouth once daily at\n"
    "  bedtime.\n"
    "Quantity to dispense\n"
    "Step 1: 3.5 mL for 7 days\n"
    "Step 2: 30 mL for 30 days (assumed)\n"
    "Titration total: 3.5 mL\n"
    "Maintenance total: 30 mL\n"
    "Grand total: 33.5 mL for 37 days\n"
    "Fills\n"
    "Fill 1: 2026-12-07 Mon to\n"
    "  2027-01-12 Tue, 33.5 mL, dispense by\n"
    "  2026-12-07 Mon\n"
)


@pytest.mark.parametrize(
    ("columns", "expected"),
    [("0", PLAIN_20), ("1", PLAIN_20), ("19", PLAIN_20), ("20", PLAIN_20), ("40", PLAIN_40)],
)
def test_a_tiny_width_prints_plain_lines_with_every_heading(
    runner: CliRunner, columns: str, expected: str
) -> None:
    result = runner.invoke(app, LIQUID, env={"COLUMNS": columns})
    assert (result.exit_code, result.stdout, result.stderr) == (0, expected, "")
    assert max(len(line) for line in result.stdout.splitlines()) <= max(20, int(columns))


@pytest.mark.parametrize("columns", ["0", "5"])
def test_a_tiny_width_still_shows_the_findings(
    runner: CliRunner, columns: str, tmp_path: Path
) -> None:
    plan = runner.invoke(app, [*LIQUID[:11], "--format", "csv"]).stdout
    (tmp_path / "p.csv").write_text(plan, encoding="utf-8", newline="")
    args = ["check", str(tmp_path / "p.csv"), "--verbose"]
    result = runner.invoke(app, args, env={"COLUMNS": columns})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 20
    # The file name, longer than 20 columns, is cut into pieces; the findings follow it.
    assert "".join(line.strip() for line in lines).startswith(f"{tmp_path / 'p.csv'}info:")
    assert "info: summary: 2 steps," in result.stdout.replace("\n  ", " ")


def test_a_huge_width_draws_the_table(runner: CliRunner) -> None:
    result = runner.invoke(app, LIQUID, env={"COLUMNS": "100000"})
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].startswith("┏━━━━━━┳")
