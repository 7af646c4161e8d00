"""Explicit steps, split doses and weight-based targets: worked examples, refusals, properties."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from ldn_titrate.cli import app
from ldn_titrate.dates import IntervalUnit
from ldn_titrate.formats import WRITERS, Format
from ldn_titrate.request import build_request
from ldn_titrate.rules import build_schedule

DAY1 = ["--from", "2026-12-07"]
P7 = ["plan", "--steps", "1.5 mg for 7d, 3 mg for 2w, 4.5 mg", *DAY1]
LIQUID = ["--form", "liquid", "--concentration", "1"]
SPLIT = [
    "plan",
    "--steps",
    "0.5 mg + 0.5 mg for 2w, 0.5 mg + 1 mg for 2w, 1 mg + 1 mg for 1mo, 1.5 mg + 1.5 mg",
    *DAY1,
    *LIQUID,
]


def run(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def refused(runner: CliRunner, *args: str) -> str:
    """Run a plan that must be refused as bad input; its stderr."""
    result = run(runner, *args)
    assert (result.exit_code, result.stdout) == (2, "")
    return result.stderr


# Worked examples, with exact dates


def test_hdrx_ibd_as_explicit_steps(runner: CliRunner) -> None:
    # P7: 1.5 mg about a week, 3 mg one to two weeks, then 4.5 mg (https://www.hdrx.com/ldn-dosing)
    result = run(runner, *P7, "--format", "csv")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "step,start_date,end_date,days,dose_mg,instructions,label\n"
        "1,2026-12-07,2026-12-13,7,1.5,Take 1.5 mg naltrexone by mouth once daily at bedtime.,\n"
        "2,2026-12-14,2026-12-27,14,3,Take 3 mg naltrexone by mouth once daily at bedtime.,\n"
        "3,2026-12-28,,,4.5,Take 4.5 mg naltrexone by mouth once daily at bedtime.,\n"
    )


def test_norwegian_ms_chart(runner: CliRunner) -> None:
    # P9: 1.5 mg x 4 weeks, 3 mg x 4 weeks, then 4.5 mg (https://sites.google.com/view/ldnno/dosering)
    result = run(
        runner, "plan", "--steps", "1.5 mg for 4w, 3 mg for 4w, 4.5 mg", *DAY1, "--format", "csv"
    )
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines()[1:] == [
        "1,2026-12-07,2027-01-03,28,1.5,Take 1.5 mg naltrexone by mouth once daily at bedtime.,",
        "2,2027-01-04,2027-01-31,28,3,Take 3 mg naltrexone by mouth once daily at bedtime.,",
        "3,2027-02-01,,,4.5,Take 4.5 mg naltrexone by mouth once daily at bedtime.,",
    ]


def test_split_plan_on_a_1_mg_per_ml_liquid_csv(runner: CliRunner) -> None:
    result = run(runner, *SPLIT, "--format", "csv")
    assert (result.exit_code, result.stderr) == (0, "")
    liquid = "of naltrexone 1 mg/mL oral liquid by mouth in the morning"
    assert result.stdout.splitlines() == [
        (
            "step,start_date,end_date,days,dose_mg,volume_ml,quantity,"
            "morning_mg,bedtime_mg,morning_ml,bedtime_ml,instructions,label"
        ),
        (
            f"1,2026-12-07,2026-12-20,14,1,1,14 mL,0.5,0.5,0.5,0.5,Take 0.5 mL (0.5 mg) {liquid} "
            "and 0.5 mL (0.5 mg) at bedtime (1 mg a day).,"
        ),
        (
            f"2,2026-12-21,2027-01-03,14,1.5,1.5,21 mL,0.5,1,0.5,1,Take 0.5 mL (0.5 mg) {liquid} "
            "and 1 mL (1 mg) at bedtime (1.5 mg a day).,"
        ),
        (
            f"3,2027-01-04,2027-02-03,31,2,2,62 mL,1,1,1,1,Take 1 mL (1 mg) {liquid} "
            "and 1 mL (1 mg) at bedtime (2 mg a day).,"
        ),
        (
            f"4,2027-02-04,,,3,3,90 mL,1.5,1.5,1.5,1.5,Take 1.5 mL (1.5 mg) {liquid} "
            "and 1.5 mL (1.5 mg) at bedtime (3 mg a day).,"
        ),
    ]


def test_split_plan_json_lists_both_administrations_and_counts_both(runner: CliRunner) -> None:
    result = run(runner, *SPLIT, "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    data = json.loads(result.stdout)
    assert data["steps"][1]["administrations"] == [
        {"time": "morning", "dose_mg": "0.5", "volume_ml": "0.5"},
        {"time": "bedtime", "dose_mg": "1", "volume_ml": "1"},
    ]
    assert data["request"]["steps"] == [
        "0.5 + 0.5 for 2w",
        "0.5 + 1 for 2w",
        "1 + 1 for 1mo",
        "1.5 + 1.5",
    ]
    # 14 x 1 + 14 x 1.5 + 31 x 2 mL, and 30 days of 3 mL for the ongoing step.
    assert data["dispense"]["grand_total"]["text"] == "187 mL"


def test_the_instruction_says_both_doses_and_the_day(runner: CliRunner) -> None:
    result = run(runner, "plan", "--steps", "0.5 mg + 1 mg", *DAY1, "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == (
        "1,2026-12-07,,,1.5,0.5,1,Take 0.5 mg naltrexone by mouth in the morning "
        "and 1 mg at bedtime (1.5 mg a day).,"
    )


def test_split_ladder_takes_two_equal_halves(runner: CliRunner) -> None:
    result = run(
        runner, "plan", "--start", "1.5", "--target", "4.5", "--step", "1.5", "--every", "2w",
        "--split", *DAY1, "--format", "csv",
    )  # fmt: skip
    assert (result.exit_code, result.stderr) == (0, "")
    assert [line.split(",")[4:7] for line in result.stdout.splitlines()] == [
        ["dose_mg", "morning_mg", "bedtime_mg"],
        ["1.5", "0.75", "0.75"],
        ["3", "1.5", "1.5"],
        ["4.5", "2.25", "2.25"],
    ]


def test_split_capsules_count_every_administration(runner: CliRunner) -> None:
    result = run(
        runner, "plan", "--steps", "0.5 mg + 1 mg for 7d, 1 mg + 1 mg", *DAY1,
        "--form", "capsule", "--strengths", "0.5", "--format", "csv",
    )  # fmt: skip
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines()[:2] == [
        (
            "step,start_date,end_date,days,dose_mg,capsules,quantity,morning_mg,bedtime_mg,"
            "morning_capsules,bedtime_capsules,instructions,label"
        ),
        (
            "1,2026-12-07,2026-12-13,7,1.5,3 x 0.5 mg,21 x 0.5 mg,0.5,1,1 x 0.5 mg,2 x 0.5 mg,"
            "Take 1 capsule of naltrexone 0.5 mg by mouth in the morning and 2 capsules of "
            "naltrexone 0.5 mg (1 mg in all) at bedtime (1.5 mg a day).,"
        ),
    ]


def test_child_of_32_kg_on_1_mg_per_ml(runner: CliRunner) -> None:
    result = run(
        runner, "plan", "--weight", "32kg", "--start", "0.5", "--step", "0.5", "--every", "7d",
        *DAY1, *LIQUID, "--format", "csv",
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stderr == "warning: --weight: target 3.2 mg: 32 kg × 0.1 mg/kg\n"
    assert result.stdout.splitlines()[6:] == [
        (
            "6,2027-01-11,2027-01-17,7,3,3,21 mL,Take 3 mL (3 mg) of naltrexone 1 mg/mL "
            "oral liquid by mouth once daily at bedtime.,"
        ),
        (
            "7,2027-01-18,,,3.2,3.2,96 mL,Take 3.2 mL (3.2 mg) of naltrexone 1 mg/mL oral liquid "
            "by mouth once daily at bedtime.,"
        ),
    ]


def test_child_of_50_kg_is_capped_at_4_5_mg(runner: CliRunner) -> None:
    result = run(
        runner, "plan", "--weight", "50kg", "--start", "1.5", "--step", "1.5", "--every", "7d",
        *DAY1, *LIQUID, "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0
    capped = "target 4.5 mg: 50 kg × 0.1 mg/kg = 5 mg, capped at 4.5 mg"
    assert result.stderr == f"warning: --weight: {capped}\n"
    data = json.loads(result.stdout)
    assert (data["request"]["weight_kg"], data["request"]["mg_per_kg"]) == ("50", "0.1")
    assert data["request"]["target_from_weight"] == capped
    assert [(s["start_date"], s["dose_mg"], s["volume_ml"]) for s in data["steps"]] == [
        ("2026-12-07", "1.5", "1.5"),
        ("2026-12-14", "3", "3"),
        ("2026-12-21", "4.5", "4.5"),
    ]
    assert data["warnings"] == [{"code": "weight-target", "option": "--weight", "message": capped}]


def test_weight_target_is_in_the_table_caption(runner: CliRunner) -> None:
    result = run(
        runner, "plan", "--weight", "32.5kg", "--start", "2.5", "--step", "0.5", "--every", "7d",
        *DAY1,
    )  # fmt: skip
    assert result.exit_code == 0
    words = "target 3.2 mg: 32.5 kg × 0.1 mg/kg = 3.25 mg, rounded down to 3.2 mg"
    assert result.stderr == f"warning: --weight: {words}\n"
    assert result.stdout.splitlines()[-1] == "T" + words[1:] + "."
    assert "│    3 │ 2026-12-21 Mon │ ongoing        │      │ 3.2 mg │" in result.stdout


def test_the_step_where_the_direction_turns_has_a_note(runner: CliRunner) -> None:
    result = run(runner, "plan", "--steps", "1 mg for 7d, 2 mg for 7d, 2 mg for 7d, 1.5 mg",
                 *DAY1, "--format", "csv")  # fmt: skip
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "step,start_date,end_date,days,dose_mg,instructions,note,label",
        "1,2026-12-07,2026-12-13,7,1,Take 1 mg naltrexone by mouth once daily at bedtime.,,",
        "2,2026-12-14,2026-12-20,7,2,Take 2 mg naltrexone by mouth once daily at bedtime.,,",
        "3,2026-12-21,2026-12-27,7,2,Take 2 mg naltrexone by mouth once daily at bedtime.,,",
        (
            "4,2026-12-28,,,1.5,Take 1.5 mg naltrexone by mouth once daily at bedtime.,"
            "The dose goes down here (2 mg to 1.5 mg) after going up.,"
        ),
    ]
    data = json.loads(run(runner, "plan", "--steps", "1 mg for 7d, 2 mg for 7d, 1.5 mg", *DAY1,
                          "--format", "json").stdout)  # fmt: skip
    assert ["note" in s for s in data["steps"]] == [False, False, True]


def test_explicit_step_warnings_name_the_step(runner: CliRunner) -> None:
    result = run(runner, "plan", "--steps", "0.25 mg for 2d, 3 mg", *DAY1, "--format", "csv")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "warning: --steps: 0.25 mg is a very low dose (below 0.5 mg)",
        (
            "warning: --steps: step 1 lasts 2 day(s), faster than any published LDN protocol "
            "(every 3 days at the fastest)"
        ),
        (
            "warning: --steps: step 2 changes the dose by 2.75 mg, more than any published LDN "
            "protocol does (1.5 mg at most)"
        ),
    ]


def test_steps_from_a_request_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "p7.toml"
    path.write_text(
        'steps = ["1.5 mg for 7d", "3 mg for 2w", "4.5 mg"]\nfrom = "2026-12-07"\n',
        encoding="utf-8",
    )
    assert (
        run(runner, "plan", str(path), "--format", "csv").stdout
        == run(runner, *P7, "--format", "csv").stdout
    )


# Refusals


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--steps", "1 mg for 7d", "--start", "1"],
         ("--steps and --start: give one or the other; --steps replaces --start, --target, "
         "--step and --every")),
        (["--steps", "1 mg for 7d", "--every", "7d"],
         ("--steps and --every: give one or the other; --steps replaces --start, --target, "
         "--step and --every")),
        (["--steps", "1 mg for 7d,, 2 mg"],
         "--steps: item 2: is empty; separate the steps with single commas"),
        (["--steps", "1 mg every 7d, 2 mg"],
         "--steps: item 1: only the last step may leave out 'for INTERVAL', got '1 mg every 7d'"),
        (["--steps", "one mg for 7d, 2 mg"],
         ("--steps: item 1: write digits with an optional decimal point, such as 0.5 or 2.25; "
         "write each step as DOSE for INTERVAL, such as 3 mg for 2w, got 'one mg for 7d'")),
        (["--steps", "1 mg, 2 mg"],
         "--steps: item 1: only the last step may leave out 'for INTERVAL', got '1 mg'"),
        (["--steps", "1 mg for two weeks, 2 mg"],
         ("--steps: item 1: write whole days (7 or 7d), weeks (2w) or calendar months (1mo), "
         "got 'two weeks'")),
        (["--steps", "1 mg for 27w, 2 mg"],
         "--steps: item 1: must be from 1 day to 26 weeks (182d, 26w or 5mo at most), got '27w'"),
        (["--steps", "5 mg for 7d, 2 mg"],
         "--steps: step 1 (5 mg) must be from 0.1 mg to 4.5 mg, got '5 mg for 7d, 2 mg'"),
        (["--steps", "1 mg for 7d, 0.25 mg"],
         ("--steps: the last step (the target) (0.25 mg) must be from 0.5 mg to 4.5 mg, "
         "got '1 mg for 7d, 0.25 mg'")),
        (["--steps", ", ".join(["1 mg for 7d"] * 101)], "--steps: list at most 100 steps, got 101"),
        (["--steps", "0.5 mg + 0.5 mg + 0.5 mg"],
         ("--steps: item 1: a split dose is morning + bedtime, such as 0.5 mg + 1 mg, "
         "got '0.5 mg + 0.5 mg + 0.5 mg'")),
        (["--steps", "0 mg + 1 mg"],
         ("--steps: step 1: the morning and bedtime doses must each be more than 0 mg, "
         "got '0 mg + 1 mg'")),
        (["--steps", "1 mg", "--split"],
         ("--steps and --split: write a split dose in --steps as morning + bedtime, such as "
         "0.5 mg + 1 mg")),
        (["--steps", "1 mg for 7d, 0.5 mg + 1 mg", "--time", "morning"],
         "--time and --steps: --time applies to unsplit plans only; step 2 is split"),
        (["--start", "1", "--target", "1", "--split", "--time", "bedtime"],
         ("--time and --split: --time applies to unsplit plans only; a split dose is taken in "
         "the morning and at bedtime")),
        (["--start", "0.125", "--target", "0.5", "--step", "0.375", "--every", "7d", "--split"],
         ("--split: step 1 (0.125 mg) does not halve into doses of at most 3 decimal places in mg, "
         "got 'true'")),
        (["--weight", "32kg", "--target", "3", "--start", "3"],
         "--weight and --target: give one or the other; --weight sets the target"),
        (["--weight", "70lb", "--start", "1"],
         "--weight: write kg: the weight in kilograms, such as 32kg, got '70lb'"),
        (["--weight", "32", "--start", "1"],
         "--weight: write the weight in kg, such as 32kg, got '32'"),
        (["--weight", "0.5kg", "--start", "1"],
         "--weight: must be from 1 kg to 200 kg, such as 32kg, got '0.5kg'"),
        (["--weight", "201kg", "--start", "1"],
         "--weight: must be from 1 kg to 200 kg, such as 32kg, got '201kg'"),
        (["--weight", "32kg", "--mg-per-kg", "0", "--start", "1"],
         "--mg-per-kg: must be more than 0 and at most 0.2 mg/kg, got '0'"),
        (["--weight", "32kg", "--mg-per-kg", "0.3", "--start", "1"],
         "--mg-per-kg: must be more than 0 and at most 0.2 mg/kg, got '0.3'"),
        (["--mg-per-kg", "0.1", "--start", "1", "--target", "1"], "--mg-per-kg: needs --weight"),
        (["--weight", "4kg", "--start", "0.1"],
         "--weight: 4 kg × 0.1 mg/kg gives 0.4 mg, below the 0.5 mg floor of a target"),
    ],
)  # fmt: skip
def test_refused(runner: CliRunner, args: list[str], message: str) -> None:
    assert refused(runner, "plan", *DAY1, *args) == f"error: {message}\n"


def test_a_split_dose_off_the_syringe_marks_names_the_step_and_time(runner: CliRunner) -> None:
    assert refused(runner, "plan", "--steps", "0.25 mg + 1 mg", *DAY1, *LIQUID) == (
        "error: --form liquid: step 1 in the morning (0.25 mg) needs 0.25 mL at 1 mg/mL, "
        "which is not on a 0.1 mL mark\n"
        "error: --form liquid: what works: a syringe marked every 0.01 mL (--graduation 0.01); "
        "or --concentration 0.5 mg/mL or 2.5 mg/mL with the 0.1 mL syringe\n"
    )


def test_a_split_dose_capsules_cannot_make_names_the_step_and_time(runner: CliRunner) -> None:
    stderr = refused(
        runner,
        "plan",
        "--steps",
        "1 mg + 0.25 mg",
        *DAY1,
        "--form",
        "capsule",
        "--strengths",
        "0.5",
    )
    assert stderr.splitlines()[0] == (
        "error: --form capsule: step 1 at bedtime (0.25 mg) cannot be made exactly from these "
        "strengths"
    )


# Properties

DOSES = st.integers(2, 90).map(lambda n: Decimal(n) * Decimal("0.05"))
INTERVALS = st.one_of(
    st.integers(1, 182).map(lambda n: f"{n}d"),
    st.integers(1, 26).map(lambda n: f"{n}w"),
    st.integers(1, 5).map(lambda n: f"{n}mo"),
)
ITEMS = st.lists(st.tuples(DOSES, st.booleans(), INTERVALS), min_size=1, max_size=12)


def _text(dose: Decimal, split: bool, every: str | None) -> str:
    morning = (dose / 2).quantize(Decimal("0.01")) if split else None
    shown = f"{dose} mg" if morning is None else f"{morning} mg + {dose - morning} mg"
    return shown if every is None else f"{shown} for {every}"


@given(items=ITEMS, first=st.dates(date(2000, 1, 1), date(2100, 12, 31)))
def test_explicit_steps_are_contiguous_and_last_their_interval(
    items: list[tuple[Decimal, bool, str]], first: date
) -> None:
    *body, (last_dose, last_split, _) = items
    last_dose = max(last_dose, Decimal("0.5"))
    texts = [_text(d, s, e) for d, s, e in body] + [_text(last_dose, last_split, None)]
    request = build_request({"steps": ", ".join(texts), "from": first.isoformat()}, {}, first)
    schedule = build_schedule(request)
    assert request.steps is not None
    assert len(schedule.steps) == len(items)
    assert schedule.steps[0].first_day == first
    for step, planned, following in zip(
        schedule.steps, request.steps, [*schedule.steps[1:], None], strict=True
    ):
        assert step.dose_mg == planned.dose_mg
        if following is not None:
            assert following.first_day == step.last_day + timedelta(days=1)  # type: ignore[operator]
        every = planned.every
        if every is None:
            assert step.last_day is None
        elif every.unit is IntervalUnit.MONTHS:
            assert step.last_day == step.first_day + relativedelta(months=every.count) - timedelta(
                1
            )
        else:
            assert step.days == every.fixed_days
        if planned.split:
            assert [a.time.value for a in step.administrations] == ["morning", "bedtime"]
            assert sum(a.dose_mg for a in step.administrations) == step.dose_mg
            assert step.administrations[0].dose_mg == planned.morning_mg


@given(
    dose=st.integers(1, 45).map(lambda n: Decimal(n) / 10),
    concentration=st.sampled_from(["1", "0.5"]),
)
def test_split_administrations_add_up_in_mg_and_ml(dose: Decimal, concentration: str) -> None:
    values = {"start": str(dose), "target": "4.5", "step": "0.1", "every": "7d", "split": "true",
              "form": "liquid", "concentration": concentration, "graduation": "0.01"}  # fmt: skip
    schedule = build_schedule(build_request(values, {}, date(2026, 12, 7)))
    for step in schedule.steps:
        morning, bedtime = step.administrations
        assert morning.dose_mg == bedtime.dose_mg
        assert morning.dose_mg + bedtime.dose_mg == step.dose_mg
        assert morning.volume_ml is not None
        assert bedtime.volume_ml is not None
        assert morning.volume_ml + bedtime.volume_ml == step.volume_ml
    data = json.loads(WRITERS[Format.JSON](schedule))
    assert all(len(s["administrations"]) == 2 for s in data["steps"])
