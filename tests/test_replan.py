"""The replan command and its core: worked examples with exact dates, refusals, properties."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_titrate.check import CheckOptions, Severity
from ldn_titrate.check import check_file as check_data
from ldn_titrate.cli import app
from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.formats import csv_format, json_format
from ldn_titrate.model import TitrationRequest
from ldn_titrate.replan import BackDown, Pause, ReplanError, replan
from ldn_titrate.rules import build_schedule
from ldn_titrate.shapes import plan_shape_problems

LADDER = ["--start", "0.5", "--target", "2", "--step", "0.5", "--every", "14d"]
PLAN = ["plan", *LADDER, "--from", "2026-12-07"]
TAKE = "Take {} mg naltrexone by mouth once daily at bedtime."
BACK_DOWN_LINE = (
    "replan: back down to the last tolerated dose for one interval, then retry "
    "(LDN Research Trust pharmacists, "
    "https://ldnresearchtrust.org/what-cause-side-effects-low-dose-naltrexone-ldn)\n"
)
PAUSE_SOURCE = (
    "(LDN Research Trust, https://ldnresearchtrust.org/"
    "if-patient-stops-ldn-low-dose-naltrexone-ldn-do-they-have-re-titrate)\n"
)
HEADER = "step,start_date,end_date,days,dose_mg,instructions,note,label\n"


def rows(*items: tuple[int, str, str, str, str, str]) -> str:
    """CSV rows of a re-plan: step, first day, last day, days, dose in mg, note."""
    return HEADER + "".join(
        f"{n},{first},{last},{days},{dose},{TAKE.format(dose)},{note},\n"
        for n, first, last, days, dose, note in items
    )


TAKEN = (
    (1, "2026-12-07", "2026-12-20", "14", "0.5", "taken"),
    (2, "2026-12-21", "2026-12-25", "5", "1", "taken"),
)


@pytest.fixture(params=["json", "csv"])
def plan_file(request: pytest.FixtureRequest, runner: CliRunner, tmp_path: Path) -> Path:
    """The plan 0.5 mg to 2 mg by 0.5 mg every 14 days from 2026-12-07, as JSON or CSV."""
    path = tmp_path / f"plan.{request.param}"
    result = runner.invoke(app, [*PLAN, "--format", request.param, "-o", str(path)])
    assert result.exit_code == 0, result.stderr
    return path


def test_back_down_goes_to_the_previous_dose_for_one_interval_then_retries(
    runner: CliRunner, plan_file: Path
) -> None:
    args = ["replan", str(plan_file), "--on", "2026-12-25", "--back-down", "--format", "csv"]
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stderr) == (0, BACK_DOWN_LINE)
    assert result.stdout == rows(
        *TAKEN,
        (3, "2026-12-26", "2027-01-08", "14", "0.5", "back-down"),
        (4, "2027-01-09", "2027-01-22", "14", "1", "retry"),
        (5, "2027-01-23", "2027-02-05", "14", "1.5", ""),
        (6, "2027-02-06", "", "", "2", ""),
    )


def test_back_down_to_a_chosen_dose_for_a_chosen_hold(runner: CliRunner, plan_file: Path) -> None:
    args = ["replan", str(plan_file), "--on", "2026-12-25", "--back-down"]
    result = runner.invoke(app, [*args, "--to", "0.75", "--hold", "7", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stderr == (
        "replan: back down to the dose the prescriber chose, then retry (LDN Research Trust "
        "pharmacists, https://ldnresearchtrust.org/what-cause-side-effects-low-dose-naltrexone-ldn)\n"
    )
    assert result.stdout == rows(
        *TAKEN,
        (3, "2026-12-26", "2027-01-01", "7", "0.75", "back-down"),
        (4, "2027-01-02", "2027-01-15", "14", "1", "retry"),
        (5, "2027-01-16", "2027-01-29", "14", "1.5", ""),
        (6, "2027-01-30", "", "", "2", ""),
    )


def test_back_down_in_the_first_step_is_refused_naming_a_lower_dose(
    runner: CliRunner, plan_file: Path
) -> None:
    result = runner.invoke(app, ["replan", str(plan_file), "--on", "2026-12-10", "--back-down"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "error: --on: 2026-12-10 is in the first dose (0.5 mg), which has no lower dose to go "
        "back to; choose one, such as half of it: --to 0.25\n"
    )


def test_back_down_in_the_first_step_with_to(runner: CliRunner, plan_file: Path) -> None:
    args = ["replan", str(plan_file), "--on", "2026-12-10", "--back-down", "--to", "0.25"]
    result = runner.invoke(app, [*args, "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout == rows(
        (1, "2026-12-07", "2026-12-10", "4", "0.5", "taken"),
        (2, "2026-12-11", "2026-12-24", "14", "0.25", "back-down"),
        (3, "2026-12-25", "2027-01-07", "14", "0.5", "retry"),
        (4, "2027-01-08", "2027-01-21", "14", "1", ""),
        (5, "2027-01-22", "2027-02-04", "14", "1.5", ""),
        (6, "2027-02-05", "", "", "2", ""),
    )


@pytest.mark.parametrize(
    ("until", "rule", "restart"),
    [
        (
            "2026-12-31",
            "a pause of at most 7 days: continue at the last dose",
            [
                (3, "2026-12-31", "2027-01-13", "14", "1", "restart after a pause of 5 days"),
                (4, "2027-01-14", "2027-01-27", "14", "1.5", ""),
                (5, "2027-01-28", "", "", "2", ""),
            ],
        ),
        (
            "2027-01-20",
            "a pause of at most 28 days: restart one step lower",
            [
                (3, "2027-01-20", "2027-02-02", "14", "0.5", "restart after a pause of 25 days"),
                (4, "2027-02-03", "2027-02-16", "14", "1", ""),
                (5, "2027-02-17", "2027-03-02", "14", "1.5", ""),
                (6, "2027-03-03", "", "", "2", ""),
            ],
        ),
        (
            "2027-02-01",
            "a pause of more than 28 days: start again from the first dose",
            [
                (3, "2027-02-01", "2027-02-14", "14", "0.5", "restart after a pause of 37 days"),
                (4, "2027-02-15", "2027-02-28", "14", "1", ""),
                (5, "2027-03-01", "2027-03-14", "14", "1.5", ""),
                (6, "2027-03-15", "", "", "2", ""),
            ],
        ),
    ],
)
def test_pause_restarts_by_its_length(
    runner: CliRunner,
    plan_file: Path,
    until: str,
    rule: str,
    restart: list[tuple[int, str, str, str, str, str]],
) -> None:
    args = ["replan", str(plan_file), "--on", "2026-12-25", "--pause-until", until]
    result = runner.invoke(app, [*args, "--format", "csv"])
    assert (result.exit_code, result.stderr) == (0, f"replan: {rule} {PAUSE_SOURCE}")
    assert result.stdout == rows(*TAKEN, *restart)


def test_pause_thresholds_are_options(runner: CliRunner, plan_file: Path) -> None:
    args = ["replan", str(plan_file), "--on", "2026-12-25", "--pause-until", "2027-01-20"]
    result = runner.invoke(
        app, [*args, "--continue-within", "30", "--step-down-within", "40", "--format", "csv"]
    )
    assert (
        result.stderr
        == f"replan: a pause of at most 30 days: continue at the last dose {PAUSE_SOURCE}"
    )
    assert result.stdout.splitlines()[3].startswith("3,2027-01-20,2027-02-02,14,1,")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--on", "2026-12-06", "--back-down"],
            "--on: 2026-12-06 is outside the plan, which runs 2026-12-07 to ongoing",
        ),
        (
            ["--on", "2026-12-25", "--back-down", "--pause-until", "2027-01-01"],
            "give one of --back-down and --pause-until, not both",
        ),
        (["--on", "2026-12-25"], "give --back-down or --pause-until DATE"),
        (
            ["--on", "2026-12-25", "--back-down", "--hold", "0"],
            "--hold: must be a whole number of days from 1 to 365, got '0'",
        ),
        (
            ["--on", "2026-12-25", "--back-down", "--hold", "2w"],
            "--hold: must be a whole number of days from 1 to 365, got '2w'",
        ),
        (
            ["--on", "2026-12-25", "--pause-until", "2027-01-01", "--hold", "3"],
            "--hold: applies to --back-down only",
        ),
        (
            ["--on", "2026-12-25", "--back-down", "--continue-within", "3"],
            "--continue-within: applies to --pause-until only",
        ),
        (
            ["--on", "2026-12-25", "--pause-until", "2026-12-26"],
            "--pause-until: must be at least 2 days after 2026-12-25, the last dose",
        ),
        (
            ["--on", "2026-12-25", "--back-down", "--to", "1"],
            "--to: must be below the dose that failed (1 mg)",
        ),
        (
            ["--on", "25/12/2026", "--back-down"],
            "--on: write the day as YYYY-MM-DD, got '25/12/2026'",
        ),
    ],
)
def test_bad_input_is_refused_in_one_line(
    runner: CliRunner, plan_file: Path, extra: list[str], message: str
) -> None:
    result = runner.invoke(app, ["replan", str(plan_file), *extra])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {message}\n")


def test_a_day_after_a_plan_of_fixed_length_names_its_last_day(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "plan.json"
    runner.invoke(app, [*PLAN, "--maintenance-days", "10", "--format", "json", "-o", str(path)])
    result = runner.invoke(app, ["replan", str(path), "--on", "2027-01-28", "--back-down"])
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --on: 2027-01-28 is outside the plan, which runs 2026-12-07 to 2027-01-27\n",
    )


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "fhir", "ics", "xlsx", "html"])
def test_every_format_writes_a_replan(
    runner: CliRunner, plan_file: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"replan.{fmt}"
    args = ["replan", str(plan_file), "--on", "2026-12-25", "--pause-until", "2027-01-20"]
    result = runner.invoke(app, [*args, "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 0
    if fmt in {"table", "html"}:
        assert "restart after a pause of 25 days" in out.read_text(encoding="utf-8")


def test_the_table_caption_names_the_rule(runner: CliRunner, plan_file: Path) -> None:
    result = runner.invoke(app, ["replan", str(plan_file), "--on", "2026-12-25", "--back-down"])
    assert result.exit_code == 0
    # The caption is wrapped to the terminal's 200 columns.
    assert result.stdout.replace("\n  ", " ").endswith(
        "┘\nRe-planned on 2026-12-25: back down to the last tolerated dose for one interval, then "
        "retry (LDN Research Trust pharmacists, "
        "https://ldnresearchtrust.org/what-cause-side-effects-low-dose-naltrexone-ldn).\n"
    )


def test_the_json_records_the_rule_and_passes_its_schema(
    runner: CliRunner, plan_file: Path
) -> None:
    args = ["replan", str(plan_file), "--on", "2026-12-25", "--back-down", "--format", "json"]
    data = json.loads(runner.invoke(app, args).stdout)
    assert plan_shape_problems(data) == []
    assert data["request"]["replan"] == {
        "change": "back-down",
        "rule": "back down to the last tolerated dose for one interval, then retry",
        "source": "LDN Research Trust pharmacists, "
        "https://ldnresearchtrust.org/what-cause-side-effects-low-dose-naltrexone-ldn",
        "on": "2026-12-25",
        "to": "0.5 mg",
        "hold_days": "14",
    }
    assert [s["note"] for s in data["steps"][:4]] == ["taken", "taken", "back-down", "retry"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize(
    "change", [["--back-down"], ["--pause-until", "2027-01-20"], ["--pause-until", "2027-03-01"]]
)
def test_check_accepts_a_replan(
    runner: CliRunner, plan_file: Path, tmp_path: Path, fmt: str, change: list[str]
) -> None:
    out = tmp_path / f"replan.{fmt}"
    args = [
        "replan",
        str(plan_file),
        "--on",
        "2026-12-25",
        *change,
        "--format",
        fmt,
        "-o",
        str(out),
    ]
    assert runner.invoke(app, args).exit_code == 0
    result = runner.invoke(app, ["check", str(out)])
    assert result.exit_code == 0, result.stdout
    assert result.stderr == "checked 1 plan: 0 with errors, 0 with warnings, 1 clean\n"


def test_check_still_reports_a_gap_no_note_explains(tmp_path: Path) -> None:
    text = rows(
        (1, "2026-12-07", "2026-12-20", "14", "0.5", "taken"),
        (2, "2026-12-31", "", "", "1", ""),
    )
    found = check_data(text, "plan.csv", CheckOptions())
    assert [f.code for f in found if f.severity is Severity.ERROR] == ["gap"]
    del tmp_path


def test_a_csv_plan_is_measured_in_the_formulation_given_again(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "plan.csv"
    runner.invoke(
        app, [*PLAN, "--form", "liquid", "--concentration", "1", "--format", "csv", "-o", str(path)]
    )
    args = ["replan", str(path), "--on", "2026-12-25", "--back-down", "--format", "csv"]
    result = runner.invoke(app, [*args, "--form", "liquid", "--concentration", "1mg/mL"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[3].startswith("3,2026-12-26,2027-01-08,14,0.5,0.5,")


def test_a_csv_plan_takes_its_time_label_and_overage_again(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "plan.csv"
    liquid = ["--form", "liquid", "--concentration", "1"]
    runner.invoke(app, [*PLAN, *liquid, "--time", "morning", "--format", "csv", "-o", str(path)])
    args = ["replan", str(path), "--on", "2026-12-25", "--back-down", "--format", "json"]
    given = ["--time", "morning", "--label", "0012345", "--overage", "10"]
    result = runner.invoke(app, [*args, *liquid, *given])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["request"]["time"], data["request"]["label"]) == ("morning", "0012345")
    assert data["request"]["overage_percent"] == "10"
    assert data["steps"][2]["instructions"].endswith("by mouth once daily in the morning.")


ladders = st.builds(
    lambda start, rise, step, days, length: (
        start,
        min(start + rise, Decimal("4.5")),
        step,
        days,
        length,
    ),
    st.sampled_from([Decimal("0.5"), Decimal(1), Decimal("1.5")]),
    st.sampled_from([Decimal("0.5"), Decimal(1), Decimal(2), Decimal(3)]),
    st.sampled_from([Decimal("0.5"), Decimal(1)]),
    st.integers(min_value=7, max_value=28),
    st.none() | st.integers(min_value=1, max_value=60),
)


@given(
    ladder=ladders,
    offset=st.integers(min_value=0, max_value=200),
    pause=st.none() | st.integers(min_value=1, max_value=90),
    hold=st.none() | st.integers(min_value=1, max_value=30),
)
def test_a_replan_keeps_the_taken_part_reaches_the_target_and_checks_clean(
    ladder: tuple[Decimal, Decimal, Decimal, int, int | None],
    offset: int,
    pause: int | None,
    hold: int | None,
) -> None:
    start, target, step, days, length = ladder
    request = TitrationRequest(
        start_mg=start,
        target_mg=target,
        step_mg=step,
        every=Interval(days, IntervalUnit.DAYS),
        first_day=date(2026, 12, 7),
        maintenance_days=length,
    )
    original = build_schedule(request).steps
    end = original[-1].last_day
    on = original[0].first_day + timedelta(days=offset)
    if end is not None and on > end:
        on = end
    change = (
        BackDown(hold, start / 2 if on <= original[0].last_day else None)  # type: ignore[operator]
        if pause is None
        else Pause(on + timedelta(days=pause + 1))
    )
    try:
        schedule = replan(request, original, on, change)
    except ReplanError:
        # Only a back-down in a single-step plan has no interval to hold for.
        assert len(original) == 1
        return
    dose_on = {day: s.dose_mg for s in original for day in _days(s, on)}
    assert {day: s.dose_mg for s in schedule.steps for day in _days(s, on)} == dose_on
    assert schedule.steps[-1].dose_mg == target
    assert schedule.steps[-1].days == length
    text = csv_format.write(schedule)
    for data, name in ((text, "replan.csv"), (json_format.write(schedule), "replan.json")):
        found = check_data(data, name, CheckOptions())
        assert [f for f in found if f.severity is not Severity.INFO] == []


def _days(step: object, until: date) -> list[date]:
    """The days of a step up to and including ``until``."""
    first, last = step.first_day, step.last_day  # type: ignore[attr-defined]
    stop = until if last is None else min(last, until)
    return [first + timedelta(days=k) for k in range((stop - first).days + 1)]


def test_a_fhir_replan_takes_the_ids_and_checks_clean(runner: CliRunner, tmp_path: Path) -> None:
    capsules = ["--form", "capsule", "--strengths", "1.5,0.5"]
    path = tmp_path / "plan.json"
    runner.invoke(app, [*PLAN, *capsules, "--format", "json", "-o", str(path)])
    out = tmp_path / "replan.fhir.json"
    args = ["replan", str(path), "--on", "2026-12-25", "--back-down", "--format", "fhir"]
    ids = ["--patient-id", "p-7", "--prescriber-id", "12"]
    result = runner.invoke(app, [*args, *capsules, *ids, "-o", str(out)])
    assert (result.stderr, result.exit_code) == (BACK_DOWN_LINE, 0)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["subject"]["reference"], data["requester"]["reference"]) == (
        "Patient/p-7",
        "Practitioner/12",
    )
    assert data["dispenseRequest"]["quantity"]["code"] == "KIT"
    checked = runner.invoke(app, ["check", str(out)])
    assert (checked.stderr, checked.exit_code) == (
        "checked 1 plan: 0 with errors, 0 with warnings, 1 clean\n",
        0,
    )
