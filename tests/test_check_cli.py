"""``ldn-titrate check``: exact stdout, stderr and exit codes."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ldn_titrate.app.check import jobs_for
from ldn_titrate.cli import app
from ldn_titrate.render.progress import progress_wanted

DATA = Path(__file__).parent / "data" / "check"

GOOD_TABLE_100 = """\
good.csv
┏━━━━━━━━━━┳━━━━━━━━━┳━━━━━━┳━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Severity ┃ Code    ┃ Line ┃ Step ┃ Message                                              ┃
┡━━━━━━━━━━╇━━━━━━━━━╇━━━━━━╇━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ info     │ summary │      │      │ 4 steps, 2026-12-07 to 2026-12-27, then ongoing from │
│          │         │      │      │ 2026-12-28; 0.5 mg to a target of 2 mg               │
└──────────┴─────────┴──────┴──────┴──────────────────────────────────────────────────────┘
"""

# Wrapped at the width of 100 columns, with a hanging indent.
GOOD_LINE = (
    "good.csv: clean, 4 steps, 2026-12-07 to 2026-12-27, then ongoing from 2026-12-28; "
    "0.5 mg to a target\n  of 2 mg\n"
)

PACE_TABLE_100 = """\
pace.csv
┏━━━━━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━┳━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Severity ┃ Code           ┃ Line ┃ Step ┃ Message                                               ┃
┡━━━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━╇━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ warning  │ very-low-start │    2 │    1 │ the plan starts at 0.25 mg, a very low dose (below    │
│          │                │      │      │ 0.5 mg)                                               │
│ warning  │ fast-interval  │    2 │    1 │ 0.25 mg is held for 2 days before the dose changes,   │
│          │                │      │      │ less than the 3-day minimum interval                  │
│ warning  │ large-step     │    4 │    3 │ the dose rises by 2 mg (from 1 mg to 3 mg), more than │
│          │                │      │      │ a step of 1.5 mg                                      │
│ info     │ summary        │      │      │ 4 steps, 2026-12-07 to 2026-12-22, then ongoing from  │
│          │                │      │      │ 2026-12-23; 0.25 mg to a target of 3.5 mg             │
└──────────┴────────────────┴──────┴──────┴───────────────────────────────────────────────────────┘
"""

LINES_40 = """\
pace.csv
warning: very-low-start (line 2,
  step 1): the plan starts at 0.25 mg, a
  very low dose (below 0.5 mg)
warning: fast-interval (line 2, step 1):
  0.25 mg is held for 2 days before the
  dose changes, less than the 3-day
  minimum interval
warning: large-step (line 4, step 3):
  the dose rises by 2 mg (from 1 mg to
  3 mg), more than a step of 1.5 mg
info: summary: 4 steps, 2026-12-07 to
  2026-12-22, then ongoing from
  2026-12-23; 0.25 mg to a target of
  3.5 mg
gap.csv
error: gap (line 4, step 3): starts
  2026-12-23, but step 2 ends
  2026-12-20: 2 days with no dose
info: summary: 4 steps, 2026-12-07 to
  2026-12-27, then ongoing from
  2026-12-28; 0.5 mg to a target of 2 mg
"""


@pytest.fixture(autouse=True)
def in_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """File names in the output are as given, so run beside the data files."""
    monkeypatch.chdir(DATA)


def run(runner: CliRunner, *args: str, columns: int = 100, stdin: str | None = None) -> Result:
    result = runner.invoke(app, ["check", *args], env={"COLUMNS": str(columns)}, input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def test_a_clean_plan_is_one_line_and_a_plan_with_problems_a_table(runner: CliRunner) -> None:
    result = run(runner, "good.csv", "pace.csv")
    assert result.stdout == GOOD_LINE + PACE_TABLE_100
    assert result.stderr == "checked 2 plans: 0 with errors, 1 with warnings, 1 clean\n"
    assert result.exit_code == 0


def test_verbose_shows_every_plans_table(runner: CliRunner) -> None:
    result = run(runner, "--verbose", "good.csv", "pace.csv")
    assert result.stdout == GOOD_TABLE_100 + PACE_TABLE_100
    assert result.stderr == "checked 2 plans: 0 with errors, 1 with warnings, 1 clean\n"
    assert result.exit_code == 0


def test_quiet_shows_the_summary_line_only(runner: CliRunner) -> None:
    result = run(runner, "--quiet", "good.csv", "pace.csv", "gap.csv")
    assert result.stdout == ""
    assert result.stderr == "checked 3 plans: 1 with errors, 1 with warnings, 1 clean\n"
    assert result.exit_code == 1


def test_csv_is_one_row_per_finding_under_the_six_keys(runner: CliRunner) -> None:
    result = run(runner, "--format", "csv", "good.csv", "gap.csv")
    assert result.stdout_bytes.decode() == (
        "severity,code,file,line,step,message\r\n"
        'info,summary,good.csv,,,"4 steps, 2026-12-07 to 2026-12-27, then ongoing from '
        '2026-12-28; 0.5 mg to a target of 2 mg"\r\n'
        'error,gap,gap.csv,4,3,"starts 2026-12-23, but step 2 ends 2026-12-20: '
        '2 days with no dose"\r\n'
        'info,summary,gap.csv,,,"4 steps, 2026-12-07 to 2026-12-27, then ongoing from '
        '2026-12-28; 0.5 mg to a target of 2 mg"\r\n'
    )
    assert result.stderr == "checked 2 plans: 1 with errors, 0 with warnings, 1 clean\n"
    assert result.exit_code == 1


def test_csv_cells_never_start_a_formula(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("=HYPERLINK(1).csv").write_text("date,dose\n2026-12-07,@SUM(1)\n", encoding="utf-8")
    result = run(runner, "--format", "csv", "--meds", "tramadol", "=HYPERLINK(1).csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["severity", "code", "file", "line", "step", "message"]
    assert [row[:3] for row in rows[1:]] == [
        ["error", "opioid", "'=HYPERLINK(1).csv"],
        ["error", "dose-unreadable", "'=HYPERLINK(1).csv"],
        ["info", "summary", "'=HYPERLINK(1).csv"],
    ]
    assert rows[1][5].startswith("'--meds: ")
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert result.exit_code == 1


def test_a_file_over_1_mb_is_one_error_read_from_a_prefix(
    runner: CliRunner, tmp_path: Path
) -> None:
    plan = tmp_path / "big.csv"
    row = b"2026-12-07,1\n"
    plan.write_bytes(b"date,dose\n" + row * (50_000_000 // len(row)))
    started = time.perf_counter()
    result = run(runner, "--format", "json", str(plan))
    assert time.perf_counter() - started < 1
    assert json.loads(result.stdout)[0]["findings"] == [
        {
            "severity": "error",
            "code": "unreadable",
            "file": str(plan),
            "line": None,
            "step": None,
            "message": "not a titration plan: larger than 1 MB",
        }
    ]
    assert result.exit_code == 1


def test_more_than_1000_rows_is_one_error(runner: CliRunner, tmp_path: Path) -> None:
    plan = tmp_path / "long.csv"
    plan.write_text("date,dose\n" + "2026-12-07,1\n" * 1_001, encoding="utf-8")
    result = run(runner, "--format", "csv", str(plan))
    assert result.stdout_bytes.decode() == (
        "severity,code,file,line,step,message\r\n"
        f'error,unreadable,{plan},,,"not a titration plan: more than 1,000 rows"\r\n'
    )
    assert result.exit_code == 1
    plan.write_text("date,dose\n" + "2026-12-07,1\n" * 1_000, encoding="utf-8")
    assert "not a titration plan" not in run(runner, "--format", "csv", str(plan)).stdout


def test_an_endless_stream_is_cut_at_1_mb(runner: CliRunner, tmp_path: Path) -> None:
    fifo = tmp_path / "endless"
    os.mkfifo(fifo)
    stop = threading.Event()

    def feed() -> None:
        # Like a device that never ends: zeros until the reader has gone.
        with contextlib.suppress(BrokenPipeError), fifo.open("wb") as sink:
            while not stop.is_set():
                sink.write(b"\0" * 65_536)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        started = time.perf_counter()
        result = run(runner, "--format", "csv", str(fifo))
        assert time.perf_counter() - started < 1
    finally:
        stop.set()
    feeder.join(timeout=5)
    assert result.stdout_bytes.endswith(b",,,not a titration plan: larger than 1 MB\r\n")
    assert result.exit_code == 1


def test_json_streams_exactly_the_shape_json_dumps_gives(runner: CliRunner) -> None:
    names = ["good.csv", "pace.csv", "missing.csv", "gap.csv"]
    result = run(runner, "--format", "json", *names)
    assert (
        result.stdout == json.dumps(json.loads(result.stdout), indent=2, ensure_ascii=False) + "\n"
    )
    assert [r["file"] for r in json.loads(result.stdout)] == names


def test_no_progress_bar_when_stderr_is_not_a_terminal(runner: CliRunner) -> None:
    result = run(runner, "--quiet", *["good.csv"] * 60)
    assert result.stderr == "checked 60 plans: 0 with errors, 0 with warnings, 60 clean\n"
    assert result.stdout == ""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_only_for_more_than_50_plans_on_a_terminal() -> None:
    assert progress_wanted(51, _Terminal())
    assert not progress_wanted(50, _Terminal())
    assert not progress_wanted(51, io.StringIO())
    assert not progress_wanted(51, object())


def test_a_narrow_terminal_gets_plain_lines(runner: CliRunner) -> None:
    result = run(runner, "pace.csv", "gap.csv", columns=40)
    assert result.stdout == LINES_40
    assert result.stderr == "checked 2 plans: 1 with errors, 1 with warnings, 0 clean\n"
    assert result.exit_code == 1


def test_warnings_fail_only_with_strict(runner: CliRunner) -> None:
    assert run(runner, "pace.csv").exit_code == 0
    strict = run(runner, "--strict", "pace.csv")
    assert strict.exit_code == 1
    assert strict.stderr == "checked 1 plan: 0 with errors, 1 with warnings, 0 clean\n"
    assert run(runner, "--strict", "good.csv").exit_code == 0


def test_json_is_a_list_of_file_findings_and_summary(runner: CliRunner) -> None:
    result = run(runner, "--format", "json", "above-max.csv", "good.csv")
    assert result.exit_code == 1
    assert result.stderr == "checked 2 plans: 1 with errors, 0 with warnings, 1 clean\n"
    summary = {
        "severity": "info",
        "code": "summary",
        "file": "above-max.csv",
        "line": None,
        "step": None,
        # The 5 mg target is itself an error, so the summary does not state it.
        "message": "4 steps, 2026-12-07 to 2026-12-27, then ongoing from 2026-12-28",
    }
    assert json.loads(result.stdout) == [
        {
            "file": "above-max.csv",
            "findings": [
                {
                    "severity": "error",
                    "code": "dose-above-max",
                    "file": "above-max.csv",
                    "line": 5,
                    "step": 4,
                    "message": "5 mg is above the 4.5 mg maximum of low-dose naltrexone",
                },
                summary,
            ],
            "summary": {"result": "error", "errors": 1, "warnings": 0, "info": 1},
        },
        {
            "file": "good.csv",
            "findings": [
                {
                    **summary,
                    "file": "good.csv",
                    "message": "4 steps, 2026-12-07 to 2026-12-27, then ongoing from "
                    "2026-12-28; 0.5 mg to a target of 2 mg",
                }
            ],
            "summary": {"result": "clean", "errors": 0, "warnings": 0, "info": 1},
        },
    ]


def test_json_findings_have_exactly_the_documented_keys(runner: CliRunner) -> None:
    names = sorted(p.name for p in DATA.iterdir() if p.name not in {"expected.json", "README.md"})
    result = run(runner, "--format", "json", *names)
    reports = json.loads(result.stdout)
    assert [r["file"] for r in reports] == names
    keys = {"severity", "code", "file", "line", "step", "message"}
    for report in reports:
        assert set(report) == {"file", "findings", "summary"}
        for finding in report["findings"]:
            assert set(finding) == keys
            assert finding["severity"] in {"error", "warning", "info"}
            if report["file"].endswith(".json"):
                assert finding["line"] is None


def test_a_file_that_cannot_be_read_does_not_stop_the_others(runner: CliRunner) -> None:
    result = run(runner, "--format", "json", "empty.csv", "missing.csv", "good.csv")
    reports = json.loads(result.stdout)
    assert [(r["file"], r["summary"]["result"]) for r in reports] == [
        ("empty.csv", "error"),
        ("missing.csv", "error"),
        ("good.csv", "clean"),
    ]
    assert reports[1]["findings"][0]["message"] == "cannot be read: no such file"
    assert result.exit_code == 1


def test_a_folder_gives_the_plans_in_it(runner: CliRunner) -> None:
    result = run(runner, "--format", "json", ".")
    names = sorted(p.name for p in Path().iterdir() if p.is_file() and p.name[0] != ".")
    assert [r["file"] for r in json.loads(result.stdout)] == [f"./{name}" for name in names]


def test_a_dash_reads_stdin(runner: CliRunner) -> None:
    text = (DATA / "hand-first-days.csv").read_text(encoding="utf-8")
    result = run(runner, "--format", "json", "-", stdin=text)
    assert json.loads(result.stdout)[0]["file"] == "<stdin>"
    assert result.exit_code == 0


def test_meds_fail_every_plan(runner: CliRunner) -> None:
    result = run(runner, "--meds", "Vicodin", "good.csv", "hand-mcg.csv")
    assert result.exit_code == 1
    assert result.stderr == "checked 2 plans: 2 with errors, 0 with warnings, 0 clean\n"
    assert "hydrocodone" in result.stdout


def test_a_formulation_on_the_command_line_is_checked(runner: CliRunner) -> None:
    assert run(runner, "--form", "liquid", "--concentration", "1", "hand-liquid.csv").exit_code == 0
    result = run(runner, "--form", "liquid", "--concentration", "2", "hand-liquid.csv")
    assert result.exit_code == 1
    assert "volume-mismatch" in result.stdout


def test_user_text_is_shown_literally_never_as_markup(runner: CliRunner, tmp_path: Path) -> None:
    plan = tmp_path / "[bold]plan.csv"
    plan.write_text("date,dose\n2026-12-07,[red]1[/red]\n", encoding="utf-8")
    result = run(runner, str(plan), columns=200)
    assert "[bold]plan.csv" in result.stdout
    assert "dose '[red]1[/red]': not a number" in result.stdout


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["--form", "powder"], "error: --form: must be liquid or capsule, got 'powder'\n"),
        (["--form", "liquid"], "error: --concentration: is required with --form liquid\n"),
        (
            ["--strengths", "1.5"],
            "error: --strengths: applies to --form capsule only, got '1.5'\n",
        ),
        (
            ["--form", "liquid", "--concentration", "1,5"],
            "error: --concentration: use a point for decimals (1.5), got '1,5'\n",
        ),
        (["--bud", "-3"], "error: --bud: must be a whole number of days from 1 to 365, got '-3'\n"),
        (["--max-step", "abc"], None),
        (
            ["--min-interval", "0"],
            "error: --min-interval: must be a whole number of days from 1 to 182, got '0'\n",
        ),
        (["--format", "xml"], "error: --format: must be one of table, json, csv, got 'xml'\n"),
        (["--verbose", "--quiet"], "error: --verbose and --quiet: give one of them\n"),
        (
            ["--quiet", "--format", "json"],
            "error: --quiet: applies to --format table only, got --format json\n",
        ),
        (
            ["--verbose", "--format", "csv"],
            "error: --verbose: applies to --format table only, got --format csv\n",
        ),
        (
            ["--bud", "x", "--max-step", "0"],
            (
                "error: --bud: must be a whole number of days from 1 to 365, got 'x'\n"
                "error: --max-step: must be more than 0 mg, got '0'\n"
            ),
        ),
    ],
)
def test_bad_options_exit_2_with_one_line_each(
    runner: CliRunner, args: list[str], stderr: str | None
) -> None:
    result = run(runner, *args, "good.csv")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    if stderr is None:
        assert result.stderr.startswith("error: --max-step: ")
        assert result.stderr.count("\n") == 1
    else:
        assert result.stderr == stderr


def test_no_plan_is_a_usage_error(runner: CliRunner) -> None:
    result = run(runner)
    assert result.exit_code == 2
    assert "Missing argument 'PLAN'" in result.stderr


def test_the_syringe_alone_applies_to_the_liquid_the_plan_records(runner: CliRunner) -> None:
    planned = runner.invoke(
        app,
        [
            *("plan", "--start", "0.25", "--target", "0.5", "--step", "0.25", "--every", "7d"),
            *("--from", "2026-12-07", "--form", "liquid", "--concentration", "1mg/mL"),
            *("--graduation", "0.01", "--format", "csv"),
        ],
    )
    assert planned.exit_code == 0
    fine = run(runner, "-", "--graduation", "0.01", "--format", "json", stdin=planned.stdout)
    assert fine.exit_code == 0
    # Without --graduation, the syringe the CSV records (its graduation_ml column).
    recorded = run(runner, "-", "--format", "json", stdin=planned.stdout)
    assert recorded.exit_code == 0, recorded.stdout
    # A syringe given on the command line is the one the pharmacy dispenses: it wins.
    for coarse in (
        run(runner, "-", "--graduation", "0.1", "--format", "json", stdin=planned.stdout),
    ):
        assert coarse.exit_code == 1, coarse.stdout
        findings = json.loads(coarse.stdout)[0]["findings"]
        errors = [(f["code"], f["line"], f["step"]) for f in findings if f["severity"] == "error"]
        assert errors == [("volume-off-graduation", 2, 1)]


def test_date_order_settles_dates_that_read_both_ways(runner: CliRunner) -> None:
    unsettled = run(runner, "--format", "json", "dates-ambiguous.csv")
    assert unsettled.exit_code == 1
    assert unsettled.stderr == "checked 1 plan: 1 with errors, 0 with warnings, 0 clean\n"
    settled = run(runner, "--format", "json", "--date-order", "dmy", "dates-ambiguous.csv")
    assert settled.exit_code == 0
    assert settled.stderr == "checked 1 plan: 0 with errors, 0 with warnings, 1 clean\n"
    assert [f["message"] for f in json.loads(settled.stdout)[0]["findings"]] == [
        (
            "3 steps, 2027-02-01 to 2027-02-10, then ongoing from 2027-02-11; "
            "0.5 mg to a target of 1.5 mg"
        )
    ]


def test_a_date_order_other_than_dmy_or_mdy_is_refused(runner: CliRunner) -> None:
    result = run(runner, "--date-order", "ymd", "good.csv")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "error: --date-order: must be dmy or mdy, got 'ymd'\n"


ALL_PLANS = sorted(p.name for p in DATA.iterdir() if p.suffix in {".csv", ".json", ".xlsx"})


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "table"),
        ("--format", "table", "--verbose"),
        ("--format", "table", "--quiet"),
        ("--format", "json"),
        ("--format", "csv"),
        ("--format", "json", "--meds", "tramadol 50 mg"),
    ],
)
def test_worker_processes_write_exactly_what_one_process_writes(
    runner: CliRunner, args: tuple[str, ...]
) -> None:
    # Every data file (clean, warned, in error, unreadable), a missing one and stdin, twice
    # over so that each worker takes several chunks; the order of the output is the order given.
    plans = [*ALL_PLANS, "missing.csv", "-", *ALL_PLANS]
    stdin = (DATA / "good.csv").read_text()
    one = run(runner, *args, "--jobs", "1", *plans, stdin=stdin)
    assert one.exit_code == 1
    assert one.stderr.startswith(f"checked {len(plans)} plans: ")
    for jobs in ("2", "3"):
        many = run(runner, *args, "--jobs", jobs, *plans, stdin=stdin)
        assert (many.stdout, many.stderr, many.exit_code) == (one.stdout, one.stderr, 1)


def test_jobs_is_a_whole_number_from_1_to_32(runner: CliRunner) -> None:
    for given in ("0", "33", "x", "1.5", "", "-1", "²"):
        result = run(runner, "--jobs", given, "good.csv")
        assert result.exit_code == 2, given
        assert result.stdout == ""
        assert result.stderr == (
            f"error: --jobs: must be a whole number from 1 to 32, got {given!r}\n"
        )
    assert run(runner, "--jobs", " 32 ", "good.csv").stdout == GOOD_LINE


def test_worker_processes_only_for_a_large_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False)
    assert jobs_for(100, None) == 1
    assert jobs_for(200, None) == 2
    assert jobs_for(10_000, None) == 4
    assert jobs_for(5, 8) == 5  # never more workers than plans
    assert jobs_for(500, 1) == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert jobs_for(10_000, None) == 1


def test_a_busy_machine_still_checks_with_a_worker_per_processor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (9.0, 9.0, 9.0))
    assert jobs_for(10_000, None) == 2
    assert jobs_for(10_000, 1) == 1  # as given, whatever the machine
