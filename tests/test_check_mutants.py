"""Exact findings for the checker's edges that mutation testing showed no other test pins."""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ldn_titrate.check import CheckOptions, check_file, fewest_capsules, options_from_text
from ldn_titrate.check.arithmetic import exact_volume
from ldn_titrate.check.findings import Code, Report
from ldn_titrate.check.read_notes import doses_from_volumes
from ldn_titrate.errors import InputError, InputErrors, as_flag
from ldn_titrate.received.day_forms import DateOrder
from ldn_titrate.received.model import (
    CellProblem,
    DoseUnit,
    Form,
    Formulation,
    NoteKind,
    ReadNote,
    ReceivedFill,
    ReceivedPlan,
    ReceivedRow,
)

DATA = Path(__file__).parent / "data"
PLANS = DATA / "check"
EXPECTED: dict[str, dict[str, object]] = json.loads(
    (PLANS / "expected.json").read_text(encoding="utf-8")
)
# Every finding of every plan in tests/data/check, message and all. To rewrite it on purpose
# after a deliberate change of wording: LDN_TITRATE_REGENERATE=1 python3 -m pytest
MESSAGES = DATA / "check-messages.json"
REGENERATE = os.environ.get("LDN_TITRATE_REGENERATE") == "1"


def spelled(errors: InputErrors) -> list[str]:
    """The refusals as the command line shows them: each key spelled as its option."""
    return [str(InputError(as_flag(e.field), e.value, e.allowed)) for e in errors.errors]


def all_messages() -> dict[str, list[dict[str, object]]]:
    found: dict[str, list[dict[str, object]]] = {}
    for name in sorted(EXPECTED):
        options = options_from_text(**EXPECTED[name].get("options", {}))  # type: ignore[arg-type]
        plan = check_file((PLANS / name).read_bytes(), name, options)
        found[name] = [f.to_data() for f in plan]
    return found


def test_every_plan_gives_exactly_its_messages() -> None:
    actual = all_messages()
    if REGENERATE:
        MESSAGES.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n", "utf-8")
    assert actual == json.loads(MESSAGES.read_text(encoding="utf-8"))


# The options of check: every refusal names its option and what it allows.


@pytest.mark.parametrize(
    ("given", "messages"),
    [
        ({"form": "capsule"}, ["--strengths: is required with --form capsule"]),
        (
            {"form": "capsule", "strengths": "1.5,x"},
            [
                (
                    "--strengths: write digits with an optional decimal point, such as 0.5 or 2.25,"
                    " got 'x'"
                )
            ],
        ),
        (
            {"form": "capsule", "strengths": "1.5,0"},
            ["--strengths: must be more than 0 mg, got '1.5,0'"],
        ),
        ({"bud": "366"}, ["--bud: must be a whole number of days from 1 to 365, got '366'"]),
        (
            {"min_interval": "183"},
            ["--min-interval: must be a whole number of days from 1 to 182, got '183'"],
        ),
        (
            {"form": "liquid", "concentration": "0"},
            ["--concentration: must be more than 0 mg/mL, got '0'"],
        ),
        (
            {"form": "liquid", "concentration": "1", "graduation": "0"},
            ["--graduation: must be more than 0 mL, got '0'"],
        ),
        ({"graduation": "0"}, ["--graduation: must be more than 0 mL, got '0'"]),
        ({"date_order": "ymd"}, ["--date-order: must be dmy or mdy, got 'ymd'"]),
        (
            {"bud": "0", "max_step": "x", "min_interval": "0", "date_order": "x", "form": "gel"},
            [
                "--form: must be liquid or capsule, got 'gel'",
                "--bud: must be a whole number of days from 1 to 365, got '0'",
                (
                    "--max-step: write digits with an optional decimal point, such as 0.5 or 2.25,"
                    " got 'x'"
                ),
                "--min-interval: must be a whole number of days from 1 to 182, got '0'",
                "--date-order: must be dmy or mdy, got 'x'",
            ],
        ),
    ],
)
def test_every_refused_option_is_named_with_what_it_allows(
    given: dict[str, str], messages: list[str]
) -> None:
    with pytest.raises(InputErrors) as caught:
        options_from_text(**given)
    assert spelled(caught.value) == messages


@pytest.mark.parametrize(
    ("text", "days"), [("1", 1), ("7d", 7), (" 14 d ", 14), ("365", 365), ("0365", 365)]
)
def test_bud_days_from_1_to_365_with_an_optional_d(text: str, days: int) -> None:
    assert options_from_text(bud=text).bud_days == days


@pytest.mark.parametrize(("text", "days"), [("1", 1), ("2 d", 2), ("182", 182)])
def test_min_interval_from_1_to_182_days(text: str, days: int) -> None:
    assert options_from_text(min_interval=text).min_interval_days == days


def test_the_syringe_alone_is_a_liquid_of_the_plans_concentration() -> None:
    assert options_from_text(graduation="0.05").formulation == Formulation(
        Form.LIQUID, graduation_ml=Decimal("0.05")
    )


def test_the_date_order_is_read_in_any_case() -> None:
    assert options_from_text(date_order=" DMY ").date_order is DateOrder.DMY
    assert options_from_text(date_order="mdy").date_order is DateOrder.MDY
    assert options_from_text().date_order is None


# A chart in mL only: each dose is worked out from the volume; the rest of the plan is kept.

VOLUMES_ONLY = ReceivedPlan(
    source="chart.csv",
    rows=(
        ReceivedRow(1, 2, first_day=date(2026, 12, 7), volume_ml=Decimal("0.5")),
        ReceivedRow(2, 3, first_day=date(2026, 12, 14)),
        ReceivedRow(3, 4, first_day=date(2026, 12, 21), volume_ml=Decimal("1.5")),
    ),
    columns=frozenset({"first_day", "volume"}),
    label="Chart",
    formulation=Formulation(Form.LIQUID, concentration_mg_per_ml=Decimal(2)),
    bud_days=14,
    fills=(ReceivedFill(1, date(2026, 12, 7), date(2026, 12, 20)),),
    texts=((2, "note", "text"),),
    problems=(CellProblem("graduation", "graduation", "x", "not a number"),),
    notes=(ReadNote(NoteKind.ENCODING_GUESSED, "read as Windows-1252"),),
)


def test_doses_from_volumes_keep_everything_but_the_doses() -> None:
    report = Report("chart.csv")
    derived = doses_from_volumes(report, VOLUMES_ONLY, VOLUMES_ONLY.formulation)
    rows = VOLUMES_ONLY.rows
    assert derived == replace(
        VOLUMES_ONLY,
        rows=(
            rows[0]._replace(dose=Decimal("1.0"), dose_unit=DoseUnit.MG, dose_column="volume"),
            rows[1],
            rows[2]._replace(dose=Decimal("3.0"), dose_unit=DoseUnit.MG, dose_column="volume"),
        ),
        columns=frozenset({"first_day", "volume", "dose_mg"}),
    )
    assert [f.to_data() for f in report.findings()] == [
        {
            "severity": "info",
            "code": "doses-from-volumes",
            "file": "chart.csv",
            "line": None,
            "step": None,
            "message": "the plan gives volumes in mL only: each dose was worked out at 2 mg/mL",
        }
    ]


@pytest.mark.parametrize(
    "form",
    [None, Formulation(Form.CAPSULE, strengths_mg=(Decimal("0.5"),)), Formulation(Form.LIQUID)],
)
def test_doses_from_volumes_need_a_liquids_concentration(form: Formulation | None) -> None:
    report = Report("chart.csv")
    assert doses_from_volumes(report, VOLUMES_ONLY, form) is None
    assert [(f.code, f.message) for f in report.findings()] == [
        (
            "volumes-without-concentration",
            (
                "the plan gives volumes in mL but no doses, and no concentration is recorded: "
                "give --form liquid --concentration C to read the doses"
            ),
        )
    ]


# Unreadable cells of one column are one finding: by reason, with the lines or steps of each.


def cells_message(rows: list[tuple[int | None, int, str, str]]) -> list[tuple[int | None, str]]:
    report = Report("plan.csv")
    for line, position, text, reason in rows:
        report.cell(Code.DOSE_UNREADABLE, ReceivedRow(position, line), "dose", text, reason)
    return [(f.step, f.message) for f in report.findings()]


def test_one_unreadable_cell_is_named_with_its_text() -> None:
    assert cells_message([(4, 3, "abc", "not a number")]) == [(3, "dose 'abc': not a number")]


def test_unreadable_cells_are_grouped_by_reason_with_their_lines() -> None:
    assert cells_message(
        [(2, 1, "x", "not a number"), (3, 2, "y", "no sign"), (5, 4, "z", "not a number")]
    ) == [
        (
            1,
            (
                "dose: 3 cells cannot be read; "
                "lines 2, 5 ('x', …): not a number; line 3 ('y'): no sign"
            ),
        )
    ]


def test_unreadable_cells_of_a_file_without_lines_name_the_steps() -> None:
    assert cells_message(
        [
            (None, 1, "x", "not a number"),
            (None, 2, "y", "not a number"),
            (None, 3, "z", "not a number"),
            (None, 7, "w", "not a number"),
        ]
    ) == [(1, "dose: 4 cells cannot be read; steps 1–3, 7 ('x', …): not a number")]
    # One cell without a line is enough to count in steps.
    assert cells_message([(2, 1, "x", "bad"), (None, 2, "y", "bad")]) == [
        (1, "dose: 2 cells cannot be read; steps 1–2 ('x', …): bad")
    ]


# Split doses: each dose of the day read, measured and made.

SPLIT_CASES = {
    "unreadable cells": (
        (
            "step,start_date,dose_mg,morning_mg,bedtime_mg,bedtime_ml,instructions\r\n"
            "1,2026-12-07,1.5,abc,1,2 mg,Take in the morning and at bedtime.\r\n"
        ),
        {},
        [
            ("split-unreadable", 2, 1, "morning_mg 'abc': not a mg amount"),
            ("split-unreadable", 2, 1, "bedtime_ml '2 mg': not a ml amount"),
            (
                "frequency-mismatch",
                2,
                1,
                (
                    "the instructions give more than one dose a day "
                    '("morning and at bedtime"), but the plan gives one daily dose of 1.5 mg '
                    "and no split doses that add up to it"
                ),
            ),
        ],
    ),
    "liquid": (
        (
            "step,start_date,end_date,dose_mg,morning_mg,bedtime_mg,morning_ml,volume_ml,instructions\r\n"
            "1,2026-12-07,2026-12-13,1.25,0.25,1,,1.25,"
            "Take 0.25 mg in the morning and 1 mg at bedtime (1.25 mg a day).\r\n"
            "2,2026-12-14,,2,1,1,1.2,2,"
            "Take 1.2 mL in the morning and 3 mL at bedtime (2 mg a day).\r\n"
        ),
        {"form": "liquid", "concentration": "1"},
        [
            (
                "volume-off-graduation",
                2,
                1,
                "1.25 mL falls between the marks of a syringe marked every 0.1 mL",
            ),
            (
                "volume-off-graduation",
                2,
                1,
                (
                    "the morning dose of 0.25 mg needs 0.25 mL, which is not on a syringe marked "
                    "every 0.1 mL"
                ),
            ),
            (
                "volume-mismatch",
                3,
                2,
                "the morning volume 1.2 mL of 1 mg/mL holds 1.2 mg, not the 1 mg dose",
            ),
            (
                "instructions-mismatch",
                3,
                2,
                "the instructions say 3 mL, which is not the volume of any dose of the day",
            ),
        ],
    ),
    "no exact volume": (
        (
            "step,start_date,dose_mg,morning_mg,bedtime_mg,instructions\r\n"
            "1,2026-12-07,3,1,2,Take 1 mg in the morning and 2 mg at bedtime (3 mg a day).\r\n"
        ),
        {"form": "liquid", "concentration": "3", "graduation": "0.5"},
        [
            (
                "volume-off-graduation",
                2,
                1,
                (
                    "the morning dose of 1 mg needs no exact volume, which is not on a syringe "
                    "marked every 0.5 mL"
                ),
            ),
            (
                "volume-off-graduation",
                2,
                1,
                (
                    "the bedtime dose of 2 mg needs no exact volume, which is not on a syringe "
                    "marked every 0.5 mL"
                ),
            ),
        ],
    ),
    "capsules": (
        (
            "step,start_date,dose_mg,morning_mg,bedtime_mg,morning_capsules,instructions\r\n"
            "1,2026-12-07,2.5,1.5,1,1 x 1 mg,Take in the morning and at bedtime.\r\n"
        ),
        {"form": "capsule", "strengths": "1.5"},
        [
            ("capsule-unmakeable", 2, 1, "2.5 mg cannot be made from 1.5 mg capsules"),
            (
                "capsules-mismatch",
                2,
                1,
                "the morning capsules 1 × 1 mg make 1 mg, not the 1.5 mg dose",
            ),
            (
                "capsule-unmakeable",
                2,
                1,
                "the bedtime dose of 1 mg cannot be made from the strengths",
            ),
        ],
    ),
    "one dose of the day is no split": (
        (
            "step,start_date,dose_mg,bedtime_mg,instructions\r\n"
            "1,2026-12-07,1,1,Take 1 mg twice daily.\r\n"
        ),
        {},
        [
            (
                "frequency-mismatch",
                2,
                1,
                (
                    'the instructions give more than one dose a day ("twice daily"), but the plan '
                    "gives one daily dose of 1 mg and no split doses that add up to it"
                ),
            ),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(SPLIT_CASES))
def test_split_doses_are_each_read_measured_and_made(name: str) -> None:
    text, options, expected = SPLIT_CASES[name]
    found = check_file(text, "split.csv", options_from_text(**options))
    assert [(f.code, f.line, f.step, f.message) for f in found[:-1]] == expected
    assert found[-1].code == "summary"


@pytest.mark.parametrize(
    ("dose", "concentration", "volume"),
    [
        ("1.5", "5", "0.3"),
        ("2.5", "2", "1.25"),
        ("3", "3", "1"),
        ("2", "3", None),
        ("1", "0.3", None),
    ],
)
def test_an_exact_volume_is_never_a_rounded_one(
    dose: str, concentration: str, volume: str | None
) -> None:
    # 2 mg at 3 mg/mL is 0.666… mL: rounded to 28 digits, times 3 it rounds back to 2 mg.
    expected = None if volume is None else Decimal(volume)
    assert exact_volume(Decimal(dose), Decimal(concentration)) == expected


# Capsules, micrograms and volumes of single daily doses.


def capsule_plan() -> str:
    plan = json.loads((PLANS / "good-capsule.json").read_text(encoding="utf-8"))
    plan["request"]["max_units"] = 2
    steps = plan["steps"]
    steps[0]["capsules"] = {"0.25": 2}
    steps[0]["quantity"] = "14 × 0.25 mg"
    steps[0]["instructions"] = "Take 2 capsules of naltrexone 0.25 mg (0.5 mg in all) at bedtime."
    steps[1]["instructions"] = (
        "Take 3 capsules of naltrexone 0.5 mg by mouth once daily at bedtime."
    )
    steps[1]["quantity"] = "10 × 0.5 mg"
    steps[2]["capsules"] = None
    steps[3]["dose_mg"] = "2.5"
    steps[3]["capsules"] = None
    return json.dumps(plan)


SINGLE_CASES = {
    "capsules": (
        capsule_plan(),
        {},
        [
            (
                "capsule-strength",
                None,
                1,
                "uses 0.25 mg capsules, which are not among the strengths 1.5 mg and 0.5 mg",
            ),
            (
                "instructions-mismatch",
                None,
                2,
                "the instructions say 0.5 mg or 1.5 mg, but the dose is 1 mg",
            ),
            (
                "instructions-mismatch",
                None,
                2,
                "the instructions say 3 × 0.5 mg, but the capsules are 2 × 0.5 mg",
            ),
            (
                "quantity-short",
                None,
                2,
                (
                    "the quantity says 10 × 0.5 mg, but 7 days of 2 × 0.5 mg is 14 × 0.5 mg: the "
                    "patient runs out after 5 days"
                ),
            ),
            # One cause over two steps is one finding, on the first of them.
            ("capsules-missing", None, 3, "steps 3–4: has no capsules"),
            (
                "capsule-unmakeable",
                None,
                4,
                (
                    "2.5 mg needs 3 capsules (1 × 1.5 mg + 2 × 0.5 mg), more than the 2 a dose "
                    "the plan allows"
                ),
            ),
            (
                "instructions-mismatch",
                None,
                4,
                "the instructions say 0.5 mg or 1.5 mg or 2 mg, but the dose is 2.5 mg",
            ),
            (
                "summary",
                None,
                None,
                (
                    "4 steps, 2026-12-07 to 2026-12-27, then ongoing from 2026-12-28; "
                    "0.5 mg to a target of 2.5 mg"
                ),
            ),
        ],
    ),
    "volumes": (
        (
            "step,start_date,end_date,dose_mg,volume_ml,instructions\r\n"
            "1,2026-12-07,2026-12-13,0.5,,Take 0.5 mg.\r\n"
            "2,2026-12-14,,1,1,Take 3 mL or 2 mL.\r\n"
        ),
        {"form": "liquid", "concentration": "1"},
        [
            ("volume-missing", 2, 1, "has no volume"),
            (
                "instructions-mismatch",
                3,
                2,
                "the instructions say 2 mL or 3 mL, but the volume is 1 mL",
            ),
            (
                "summary",
                None,
                None,
                (
                    "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; "
                    "0.5 mg to a target of 1 mg"
                ),
            ),
        ],
    ),
    "micrograms": (
        (
            "step,start_date,end_date,dose_mcg,instructions\r\n"
            "1,2026-12-07,2026-12-13,50,Take 50 mcg at bedtime.\r\n"
            "2,2026-12-14,2026-12-20,500,Take 500 mcg at bedtime.\r\n"
            "3,2026-12-21,,1500,Take 1500 mcg at bedtime.\r\n"
        ),
        {},
        [
            (
                "microgram-dose",
                2,
                1,
                "0.05 mg is below 0.1 mg: a microgram (ultra-low) dose, not LDN",
            ),
            ("very-low-start", 2, 1, "the plan starts at 0.05 mg, a very low dose (below 0.5 mg)"),
            (
                "summary",
                None,
                None,
                (
                    "3 steps, 2026-12-07 to 2026-12-20, then ongoing from 2026-12-21; "
                    "0.05 mg to a target of 1.5 mg"
                ),
            ),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(SINGLE_CASES))
def test_each_daily_dose_is_made_and_said_exactly(name: str) -> None:
    text, options, expected = SINGLE_CASES[name]
    found = check_file(text, "plan", options_from_text(**options))
    assert [(f.code, f.line, f.step, f.message) for f in found] == expected


# The file as a whole: its size, its shape, its formulation and its free text.

Found = tuple[object, ...]
_TRAMADOL = (
    "error",
    "opioid",
    "p.json",
    None,
    None,
    (
        "--meds: tramadol is an opioid; naltrexone is contraindicated with opioids and can "
        "bring on withdrawal: the patient must be opioid-free for at least 7–10 days "
        "before the first dose"
    ),
)


def found(data: bytes | str, name: str = "p.json", **options: str) -> list[Found]:
    """Every finding of one file, each as (severity, code, file, line, step, message)."""
    return [
        tuple(f.to_data().values()) for f in check_file(data, name, options_from_text(**options))
    ]


def test_a_plan_of_this_tool_that_does_not_fit_its_model_gives_every_problem() -> None:
    data = '{"tool": "ldn-titrate", "steps": 3, "request": 5, "warnings": 7}'
    unreadable = [
        "schema_version: is required",
        "tool_version: is required",
        "request: input should be a valid dictionary or instance of PlanRequest",
        "steps: input should be a valid list",
        "warnings: input should be a valid list",
    ]
    assert found(data, meds="tramadol") == [
        _TRAMADOL,
        *[
            ("error", "unreadable", "p.json", None, None, f"cannot be read: {u}")
            for u in unreadable
        ],
    ]


def test_a_file_over_one_megabyte_is_not_a_plan_and_the_medicines_are_still_screened() -> None:
    assert found(" " * 1_000_001, meds="tramadol") == [
        _TRAMADOL,
        ("error", "unreadable", "p.json", None, None, "not a titration plan: larger than 1 MB"),
    ]


def test_a_file_of_exactly_one_megabyte_is_still_read() -> None:
    plan = '[{"step": 1, "start_date": "2026-12-07", "dose_mg": "0.5"}]'
    assert found(plan.ljust(1_000_000)) == [
        (
            "info",
            "summary",
            "p.json",
            None,
            None,
            "1 step, ongoing from 2026-12-07; 0.5 mg throughout",
        )
    ]


def test_an_unreadable_file_is_one_error_after_the_medicine_screen() -> None:
    assert found("[1, 2", meds="tramadol") == [
        _TRAMADOL,
        (
            "error",
            "unreadable",
            "p.json",
            None,
            None,
            "cannot be read: not valid JSON: Expecting ',' delimiter (line 1, column 6)",
        ),
    ]


def test_an_unreadable_recorded_formulation_is_an_error_with_its_text() -> None:
    data = (
        '{"concentration": "five\\u200b",'
        ' "steps": [{"step": 1, "start_date": "2026-12-07", "dose_mg": "0.5"}]}'
    )
    assert found(data) == [
        (
            "error",
            "formulation-unreadable",
            "p.json",
            None,
            None,
            "concentration 'five\\u200b': not a concentration in mg/mL",
        ),
        (
            "info",
            "summary",
            "p.json",
            None,
            None,
            "1 step, ongoing from 2026-12-07; 0.5 mg throughout",
        ),
    ]


def test_free_text_cells_are_held_to_the_same_dose_wording() -> None:
    data = (
        "step,start_date,dose_mg,label,notes\n"
        "1,2026-12-07,0.5,Take .5 mg,note 1.0 mg\n"
        "2,2026-12-14,1,,\n"
    )
    assert found(data, "plan.csv") == [
        (
            "warning",
            "ismp-leading-zero",
            "plan.csv",
            2,
            1,
            (
                'label: ".5 mg" has no leading zero and can be read as ten times the dose; '
                'write "0.5 mg"'
            ),
        ),
        (
            "warning",
            "ismp-trailing-zero",
            "plan.csv",
            2,
            1,
            (
                'notes: "1.0 mg" has a trailing zero, which can be misread as a larger dose; '
                'write "1 mg"'
            ),
        ),
        (
            "info",
            "summary",
            "plan.csv",
            None,
            None,
            (
                "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; "
                "0.5 mg to a target of 1 mg"
            ),
        ),
    ]


def test_a_plan_without_first_days_says_its_dates_cannot_be_checked() -> None:
    assert found("step,dose_mg\n1,0.5\n2,1\n", "plan.csv") == [
        (
            "warning",
            "undated",
            "plan.csv",
            None,
            None,
            "the plan gives no first day for its steps, so its dates cannot be checked",
        ),
        ("info", "summary", "plan.csv", None, None, "2 steps; 0.5 mg to a target of 1 mg"),
    ]


def test_a_liquid_without_a_recorded_syringe_is_checked_against_the_default_one() -> None:
    data = (
        '{"request": {"form": "liquid", "concentration_mg_per_ml": "1"}, "steps": ['
        '{"step": 1, "start_date": "2026-12-07", "end_date": "2026-12-13", "days": 7,'
        ' "dose_mg": "0.25", "volume_ml": "0.25"},'
        '{"step": 2, "start_date": "2026-12-14", "dose_mg": "0.5", "volume_ml": "0.5"}]}'
    )
    low = (
        "warning",
        "very-low-start",
        "p.json",
        None,
        1,
        "the plan starts at 0.25 mg, a very low dose (below 0.5 mg)",
    )
    span = (
        "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; "
        "0.25 mg to a target of 0.5 mg"
    )
    off = "0.25 mL falls between the marks of a syringe marked every 0.1 mL"
    assert found(data) == [
        ("error", "volume-off-graduation", "p.json", None, 1, off),
        low,
        ("info", "summary", "p.json", None, None, span),
    ]
    assert found(data, graduation="0.05") == [
        low,
        (
            "info",
            "summary",
            "p.json",
            None,
            None,
            f"{span}; 1.75 mL of 1 mg/mL liquid for the 7 dated days, then 0.5 mL a day ongoing",
        ),
    ]


CAPSULES = (
    '{"request": {"form": "capsule", "strengths_mg": ["0.5"], "max_units": 2}, "steps": ['
    '{"step": 1, "start_date": "2026-12-07", "end_date": "2026-12-13", "days": 7,'
    ' "dose_mg": "0.5"},'
    '{"step": 2, "start_date": "2026-12-14", "dose_mg": "1.5"}]}'
)
_CAPSULES_SPAN = (
    "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; 0.5 mg to a target of 1.5 mg"
)


def test_given_strengths_replace_the_recorded_ones_and_the_recorded_limit_stays() -> None:
    assert found(CAPSULES, form="capsule", strengths="0.25") == [
        (
            "error",
            "capsule-unmakeable",
            "p.json",
            None,
            2,
            "1.5 mg needs 6 capsules (6 × 0.25 mg), more than the 2 a dose the plan allows",
        ),
        ("info", "summary", "p.json", None, None, _CAPSULES_SPAN),
    ]


@pytest.mark.parametrize(
    ("plan", "options", "written"),
    [
        (CAPSULES, {"form": "liquid", "concentration": "1"}, "capsules"),
        (
            CAPSULES.replace('"capsule", "strengths_mg": ["0.5"], "max_units": 2', '"liquid"'),
            {"form": "capsule", "strengths": "0.5"},
            "an oral liquid",
        ),
        (
            CAPSULES.replace(
                '"capsule", "strengths_mg": ["0.5"], "max_units": 2',
                '"liquid", "concentration_mg_per_ml": "2"',
            ),
            {"form": "capsule", "strengths": "0.5"},
            "a 2 mg/mL oral liquid",
        ),
    ],
)
def test_a_form_given_against_the_recorded_one_is_an_error_naming_both(
    plan: str, options: dict[str, str], written: str
) -> None:
    given = options["form"]
    assert found(plan, **options)[0] == (
        "error",
        "formulation-conflict",
        "p.json",
        None,
        None,
        f"the plan is written for {written}, but --form {given} was given",
    )


def test_the_label_of_a_json_plan_is_held_to_the_dose_wording_but_a_bare_number_is_not() -> None:
    plan = (
        '{"request": {"label": "%s"},'
        ' "steps": [{"step": 1, "start_date": "2026-12-07", "dose_mg": "0.5"}]}'
    )
    summary = (
        "info",
        "summary",
        "p.json",
        None,
        None,
        "1 step, ongoing from 2026-12-07; 0.5 mg throughout",
    )
    assert found(plan % "LDN .5 mg to 4.50 mg") == [
        (
            "warning",
            "ismp-leading-zero",
            "p.json",
            None,
            None,
            (
                'label: ".5 mg" has no leading zero and can be read as ten times the dose; '
                'write "0.5 mg"'
            ),
        ),
        (
            "warning",
            "ismp-trailing-zero",
            "p.json",
            None,
            None,
            (
                'label: "4.50 mg" has a trailing zero, which can be misread as a larger dose; '
                'write "4.5 mg"'
            ),
        ),
        summary,
    ]
    # A bare number is judged whole only in a number cell; free text gets the wording checks.
    assert found(plan % "1.50") == [summary]
    assert found(plan % ".50") == [
        (
            "warning",
            "ismp-leading-zero",
            "p.json",
            None,
            None,
            'label: ".50" has no leading zero and can be read as ten times the dose; write "0.5"',
        ),
        summary,
    ]


def test_the_configured_syringe_applies_to_a_liquid_that_records_none() -> None:
    plan = (
        '{"request": {"form": "liquid", "concentration_mg_per_ml": "1"}, "steps": ['
        '{"step": 1, "start_date": "2026-12-07", "dose_mg": "0.55", "volume_ml": "0.55"}]}'
    )
    fine = replace(options_from_text(), default_graduation_ml=Decimal("0.05"))
    assert [f.message for f in check_file(plan, "p.json", fine)] == [
        "1 step, ongoing from 2026-12-07; 0.55 mg throughout; 0.55 mL a day ongoing"
    ]
    assert next(f.message for f in check_file(plan, "p.json", options_from_text())) == (
        "0.55 mL falls between the marks of a syringe marked every 0.1 mL"
    )


# The course: days in sequence, notes that explain a pause or a turn, the pace and the BUD.

NOTED = "step,start_date,end_date,dose_mg,note\n"
COURSE_CASES: dict[str, tuple[str, dict[str, str], list[Found]]] = {
    "one day of overlap, one day missing, a pause the plan notes": (
        NOTED + "1,2026-12-07,2026-12-13,0.5,\n"
        "2,2026-12-13,2026-12-19,1,\n"
        "3,2026-12-21,2026-12-27,1.5,\n"
        "4,2027-01-03,2027-01-09,2,Pause for surgery\n"
        "5,2027-01-10,,2,\n",
        {},
        [
            (
                "error",
                "overlap",
                "plan.csv",
                3,
                2,
                (
                    "starts 2026-12-13, while step 1 runs 2026-12-07 to 2026-12-13: "
                    "1 day with two doses"
                ),
            ),
            (
                "error",
                "gap",
                "plan.csv",
                4,
                3,
                "starts 2026-12-21, but step 2 ends 2026-12-19: 1 day with no dose",
            ),
            (
                "info",
                "noted-change",
                "plan.csv",
                5,
                4,
                (
                    "starts 2027-01-03, but step 3 ends 2026-12-27: 6 days with no dose; "
                    "the plan's note says 'Pause for surgery'"
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "5 steps, 2026-12-07 to 2027-01-09, then ongoing from 2027-01-10; "
                    "0.5 mg to a target of 2 mg"
                ),
            ),
        ],
    ),
    "a noted fall, the retry after it, then turns without a note": (
        NOTED + "1,2026-12-07,2026-12-13,1,\n"
        "2,2026-12-14,2026-12-20,3,\n"
        "3,2026-12-21,2026-12-27,0.5,restart after a pause\n"
        "4,2026-12-28,2027-01-03,1,\n"
        "5,2027-01-04,2027-01-10,0.5,\n"
        "6,2027-01-11,,1,\n",
        {},
        [
            (
                "warning",
                "large-step",
                "plan.csv",
                3,
                2,
                "the dose rises by 2 mg (from 1 mg to 3 mg), more than a step of 1.5 mg",
            ),
            (
                "info",
                "noted-change",
                "plan.csv",
                4,
                3,
                (
                    "the dose falls by 2.5 mg (from 3 mg to 0.5 mg), more than a step of 1.5 mg; "
                    "the plan's note says 'restart after a pause'"
                ),
            ),
            (
                "warning",
                "direction-change",
                "plan.csv",
                6,
                5,
                "the dose goes down (from 1 mg to 0.5 mg) after going up, and no note says why",
            ),
            (
                "warning",
                "direction-change",
                "plan.csv",
                7,
                6,
                "the dose goes up (from 0.5 mg to 1 mg) after going down, and no note says why",
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "6 steps, 2026-12-07 to 2027-01-10, then ongoing from 2027-01-11; "
                    "1 mg to a target of 1 mg"
                ),
            ),
        ],
    ),
    "a large fall without a note": (
        NOTED + "1,2026-12-07,2026-12-13,3,\n2,2026-12-14,,1,\n",
        {},
        [
            (
                "warning",
                "large-step",
                "plan.csv",
                3,
                2,
                "the dose falls by 2 mg (from 3 mg to 1 mg), more than a step of 1.5 mg",
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; "
                    "3 mg to a target of 1 mg"
                ),
            ),
        ],
    ),
    "a step that ends before it starts": (
        "step,start_date,end_date,days,dose_mg\n1,2026-12-07,2026-12-01,,0.5\n2,2026-12-14,,,1\n",
        {},
        [
            (
                "error",
                "dates-reversed",
                "plan.csv",
                2,
                1,
                "ends 2026-12-01, before it starts (2026-12-07)",
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; "
                    "0.5 mg to a target of 1 mg"
                ),
            ),
        ],
    ),
    "a step of one day": (
        "step,start_date,end_date,dose_mg\n1,2026-12-07,2026-12-07,0.5\n2,2026-12-08,,1\n",
        {},
        [
            (
                "warning",
                "fast-interval",
                "plan.csv",
                2,
                1,
                (
                    "0.5 mg is held for 1 day before the dose changes, less than the 3-day "
                    "minimum interval"
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "2 steps, 2026-12-07 to 2026-12-07, then ongoing from 2026-12-08; "
                    "0.5 mg to a target of 1 mg"
                ),
            ),
        ],
    ),
    "days that run past the calendar": (
        "step,start_date,days,dose_mg\n1,9999-12-20,30,0.5\n",
        {},
        [
            (
                "error",
                "days-unreadable",
                "plan.csv",
                2,
                1,
                "30 days from 9999-12-20 run past 9999-12-31, the last day of the calendar",
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                "1 step, ongoing from 9999-12-20; 0.5 mg throughout",
            ),
        ],
    ),
    "a dose held one day and a note that says why, then two days without": (
        NOTED + "1,2026-12-07,2026-12-07,0.5,taken until a reaction\n"
        "2,2026-12-08,2026-12-09,1,\n"
        "3,2026-12-10,2026-12-16,1.5,\n"
        "4,2026-12-17,,2,\n",
        {},
        [
            (
                "info",
                "noted-change",
                "plan.csv",
                2,
                1,
                (
                    "the dose is held 1 day, below the 3-day minimum; "
                    "the plan's note says 'taken until a reaction'"
                ),
            ),
            (
                "warning",
                "fast-interval",
                "plan.csv",
                3,
                2,
                (
                    "1 mg is held for 2 days before the dose changes, less than the 3-day "
                    "minimum interval"
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "4 steps, 2026-12-07 to 2026-12-16, then ongoing from 2026-12-17; "
                    "0.5 mg to a target of 2 mg"
                ),
            ),
        ],
    ),
    "a dose held two days with a note, then the minimum exactly": (
        NOTED + "1,2026-12-07,2026-12-08,0.5,titrating slowly to see\n"
        "2,2026-12-09,2026-12-11,1,\n"
        "3,2026-12-12,,1.5,\n",
        {},
        [
            (
                "info",
                "noted-change",
                "plan.csv",
                2,
                1,
                (
                    "the dose is held 2 days, below the 3-day minimum; "
                    "the plan's note says 'titrating slowly to see'"
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "3 steps, 2026-12-07 to 2026-12-11, then ongoing from 2026-12-12; "
                    "0.5 mg to a target of 1.5 mg"
                ),
            ),
        ],
    ),
    "dated days one more than the BUD": (
        NOTED + "1,2026-12-07,2026-12-13,0.5,\n2,2026-12-14,2026-12-20,1,\n3,2026-12-21,,1.5,\n",
        {"bud": "13"},
        [
            (
                "warning",
                "bud-exceeded",
                "plan.csv",
                None,
                None,
                (
                    "as a single fill, the 14 dated days of the plan outlast the 13-day beyond-use "
                    "date; dispense it in fills of at most 13 days"
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "3 steps, 2026-12-07 to 2026-12-20, then ongoing from 2026-12-21; "
                    "0.5 mg to a target of 1.5 mg"
                ),
            ),
        ],
    ),
    "dated days exactly the BUD": (
        NOTED + "1,2026-12-07,2026-12-13,0.5,\n2,2026-12-14,2026-12-20,1,\n3,2026-12-21,,1.5,\n",
        {"bud": "14"},
        [
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "3 steps, 2026-12-07 to 2026-12-20, then ongoing from 2026-12-21; "
                    "0.5 mg to a target of 1.5 mg"
                ),
            ),
        ],
    ),
}


COURSE_CASES |= {
    "two steps that start the same day": (
        NOTED + "1,2026-12-07,,0.5,\n2,2026-12-07,,1,\n3,2026-12-14,,1.5,\n",
        {},
        [
            (
                "error",
                "overlap",
                "plan.csv",
                3,
                2,
                (
                    "starts 2026-12-07, while step 1 runs 2026-12-07 to 2026-12-07: "
                    "1 day with two doses"
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "3 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; "
                    "0.5 mg to a target of 1.5 mg"
                ),
            ),
        ],
    ),
    "a dose repeated, then a large and brief step": (
        NOTED + "1,2026-12-07,2026-12-13,1,\n"
        "2,2026-12-14,2026-12-20,1,\n"
        "3,2026-12-21,2026-12-21,3.5,\n"
        "4,2026-12-22,,4,\n",
        {},
        [
            (
                "warning",
                "large-step",
                "plan.csv",
                4,
                3,
                "the dose rises by 2.5 mg (from 1 mg to 3.5 mg), more than a step of 1.5 mg",
            ),
            (
                "warning",
                "fast-interval",
                "plan.csv",
                4,
                3,
                (
                    "3.5 mg is held for 1 day before the dose changes, less than the 3-day "
                    "minimum interval"
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "4 steps, 2026-12-07 to 2026-12-21, then ongoing from 2026-12-22; "
                    "1 mg to a target of 4 mg"
                ),
            ),
        ],
    ),
    "rises above a smaller largest step, one of them noted": (
        NOTED + "1,2026-12-07,2026-12-13,0.5,\n"
        "2,2026-12-14,2026-12-20,1.5,\n"
        "3,2026-12-21,2026-12-27,2.25,go up as tolerated\n"
        "4,2026-12-28,2027-01-03,2.5,\n"
        "5,2027-01-04,2027-01-10,2.5,\n",
        {"max_step": "0.5"},
        [
            (
                "warning",
                "large-step",
                "plan.csv",
                3,
                2,
                "the dose rises by 1 mg (from 0.5 mg to 1.5 mg), more than a step of 0.5 mg",
            ),
            (
                "warning",
                "large-step",
                "plan.csv",
                4,
                3,
                "the dose rises by 0.75 mg (from 1.5 mg to 2.25 mg), more than a step of 0.5 mg",
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                "5 steps, 2026-12-07 to 2027-01-10 (35 days); 0.5 mg to a target of 2.5 mg",
            ),
        ],
    ),
    "a brief dose after a held one, a noted minimum, a brief last step": (
        NOTED + "1,2026-12-07,2026-12-13,0.5,\n"
        "2,2026-12-14,2026-12-15,1,\n"
        "3,2026-12-16,2026-12-18,1.5,held while unwell\n"
        "4,2026-12-19,2026-12-25,2,\n"
        "5,2026-12-24,2026-12-25,2.5,\n",
        {},
        [
            (
                "warning",
                "fast-interval",
                "plan.csv",
                3,
                2,
                (
                    "1 mg is held for 2 days before the dose changes, less than the 3-day "
                    "minimum interval"
                ),
            ),
            (
                "error",
                "overlap",
                "plan.csv",
                6,
                5,
                (
                    "starts 2026-12-24, while step 4 runs 2026-12-19 to 2026-12-25: "
                    "2 days with two doses"
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                "5 steps, 2026-12-07 to 2026-12-25 (19 days); 0.5 mg to a target of 2.5 mg",
            ),
        ],
    ),
}


COURSE_CASES |= {
    "a plan of one day": (
        (
            "step,start_date,end_date,dose_mg,instructions\n"
            "1,2026-12-07,2026-12-07,0.5,Take 0.50 ML.\n"
        ),
        {},
        [
            (
                "warning",
                "ismp-trailing-zero",
                "plan.csv",
                2,
                1,
                (
                    'instructions: "0.50 ML" has a trailing zero, which can be misread as a '
                    'larger dose; write "0.5 mL"'
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                "1 step, 2026-12-07 to 2026-12-07 (1 day); 0.5 mg throughout",
            ),
        ],
    ),
    "a last step without a first day": (
        "step,start_date,dose_mg\n1,2026-12-07,0.5\n2,,1\n",
        {},
        [
            ("error", "date-missing", "plan.csv", 3, 2, "has no first day"),
            ("info", "summary", "plan.csv", None, None, "2 steps; 0.5 mg to a target of 1 mg"),
        ],
    ),
    "brief doses of three lengths": (
        (
            "step,start_date,end_date,dose_mg\n"
            "1,2026-12-07,2026-12-07,0.5\n"
            "2,2026-12-08,2026-12-09,1\n"
            "3,2026-12-10,2026-12-12,1.5\n"
            "4,2026-12-13,,2\n"
        ),
        {"min_interval": "4"},
        [
            (
                "warning",
                "fast-interval",
                "plan.csv",
                2,
                1,
                (
                    "steps 1–3: each dose is held for 1 to 3 days before the dose changes, less "
                    "than the 4-day minimum interval"
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "4 steps, 2026-12-07 to 2026-12-12, then ongoing from 2026-12-13; 0.5 mg to "
                    "a target of 2 mg"
                ),
            ),
        ],
    ),
    "rows out of order below an undated one": (
        "step,start_date,dose_mg\n1,,0.5\n2,2026-12-14,1\n3,2026-12-07,1.5\n",
        {},
        [
            ("error", "date-missing", "plan.csv", 2, 1, "has no first day"),
            (
                "warning",
                "direction-change",
                "plan.csv",
                3,
                2,
                "the dose goes down (from 1.5 mg to 1 mg) after going up, and no note says why",
            ),
            (
                "error",
                "out-of-order",
                "plan.csv",
                4,
                3,
                (
                    "starts 2026-12-07, before the step above it (2026-12-14): the steps are not "
                    "in date order, so they are checked in date order"
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "3 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; 0.5 mg to "
                    "a target of 1 mg"
                ),
            ),
        ],
    ),
    "a BUD and dated steps after an undated first one": (
        "step,start_date,end_date,dose_mg\n1,,,0.5\n2,2026-12-14,2026-12-20,1\n3,2026-12-21,,1.5\n",
        {"bud": "3"},
        [
            ("error", "date-missing", "plan.csv", 2, 1, "has no first day"),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "3 steps, 2026-12-14 to 2026-12-20, then ongoing from 2026-12-21; 0.5 mg to "
                    "a target of 1.5 mg"
                ),
            ),
        ],
    ),
}


@pytest.mark.parametrize("name", COURSE_CASES)
def test_the_course_gives_exactly_its_findings(name: str) -> None:
    data, options, expected = COURSE_CASES[name]
    assert found(data, "plan.csv", **options) == expected


# Two columns for one part of a step, a label that names doses, two forms at once.

TWIN_CASES: dict[str, tuple[str, dict[str, str], list[Found]]] = {
    "an empty and an unreadable twin cell": (
        "Start,Dose,Dose (mg)\n2026-12-07,0.5,\n2026-12-14,1,abc\n2026-12-21,1.5,1.5\n",
        {},
        [
            (
                "error",
                "columns-disagree",
                "plan.csv",
                2,
                1,
                "Dose and Dose (mg) disagree: 0.5 mg and nothing",
            ),
            (
                "error",
                "columns-disagree",
                "plan.csv",
                3,
                2,
                "Dose and Dose (mg) disagree: 1 mg and 'abc', which cannot be read",
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "3 steps, 2026-12-07 to 2026-12-20, then ongoing from 2026-12-21; 0.5 mg "
                    "to a target of 1.5 mg"
                ),
            ),
        ],
    ),
    "mg beside mcg": (
        "Start,Dose (mg),Dose (mcg)\n2026-12-07,0.5,500\n2026-12-14,1,1500\n",
        {},
        [
            (
                "error",
                "columns-disagree",
                "plan.csv",
                3,
                2,
                "Dose (mg) and Dose (mcg) disagree: 1 mg and 1.5 mg",
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; 0.5 mg "
                    "to a target of 1 mg"
                ),
            ),
        ],
    ),
    "two volume columns": (
        "Start,Volume (mL),Volume,Dose (mg)\n2026-12-07,0.5,0.6,0.5\n2026-12-14,1,1,1\n",
        {"form": "liquid", "concentration": "1"},
        [
            (
                "error",
                "columns-disagree",
                "plan.csv",
                2,
                1,
                "Volume (mL) and Volume disagree: 0.5 mL and 0.6 mL",
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; 0.5 mg "
                    "to a target of 1 mg"
                ),
            ),
        ],
    ),
    "two days columns": (
        "Start,Days,Duration,Dose (mg)\n2026-12-07,7,8,0.5\n2026-12-14,7,7,1\n",
        {},
        [
            (
                "error",
                "columns-disagree",
                "plan.csv",
                2,
                1,
                "Days and Duration disagree: 7 days and 8 days",
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                "2 steps, 2026-12-07 to 2026-12-20 (14 days); 0.5 mg to a target of 1 mg",
            ),
        ],
    ),
    "two first-day columns": (
        "Start,Start date,Dose (mg)\n2026-12-07,2026-12-08,0.5\n2026-12-14,2026-12-14,1\n",
        {},
        [
            (
                "error",
                "columns-disagree",
                "plan.csv",
                2,
                1,
                "Start and Start date disagree: 2026-12-07 and 2026-12-08",
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; 0.5 mg "
                    "to a target of 1 mg"
                ),
            ),
        ],
    ),
    "two dose columns that agree": (
        "Start,Dose,Dose (mg)\n2026-12-07,0.5,0.5\n2026-12-14,1,1\n",
        {},
        [
            (
                "info",
                "columns-agree",
                "plan.csv",
                None,
                None,
                "Dose and Dose (mg) both give the dose; they agree on every step",
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; 0.5 mg "
                    "to a target of 1 mg"
                ),
            ),
        ],
    ),
    "a label naming two other doses": (
        "Start,Dose (mg),Label\n2026-12-07,0.5,LDN 1 mg or 2 mg\n2026-12-14,1,LDN 1 mg\n",
        {},
        [
            (
                "error",
                "label-mismatch",
                "plan.csv",
                2,
                1,
                "Label 'LDN 1 mg or 2 mg' says 1 mg or 2 mg, but the dose is 0.5 mg",
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; 0.5 mg "
                    "to a target of 1 mg"
                ),
            ),
        ],
    ),
    "volumes and capsules": (
        (
            "Start,Dose (mg),Volume (mL),Capsules\n"
            "2026-12-07,0.5,0.5,1 × 0.5 mg\n"
            "2026-12-14,1,1,2 × 0.5 mg\n"
        ),
        {},
        [
            (
                "error",
                "formulation-conflict",
                "plan.csv",
                None,
                None,
                (
                    "the plan gives both volumes of a liquid and capsules: which is to be "
                    "dispensed cannot be known"
                ),
            ),
            (
                "warning",
                "volume-unchecked",
                "plan.csv",
                None,
                None,
                (
                    "the volumes could not be checked against a strength: the plan records no "
                    "concentration; give --concentration"
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; 0.5 mg "
                    "to a target of 1 mg; 3.5 mL for the 7 dated days, then 1 mL a day ongoing"
                ),
            ),
        ],
    ),
}


@pytest.mark.parametrize("name", TWIN_CASES)
def test_twin_columns_labels_and_forms_give_exactly_their_findings(name: str) -> None:
    data, options, expected = TWIN_CASES[name]
    assert found(data, "plan.csv", **options) == expected


def test_each_split_volume_is_measured_at_the_concentration() -> None:
    data = (
        "step,start_date,end_date,dose_mg,morning_mg,bedtime_mg,morning_ml,bedtime_ml,instructions\n"
        "1,2026-12-07,2026-12-20,3,1,2,0.5,1.1,Take 0.5 mL in the morning and 1.1 mL at bedtime.\n"
        "2,2026-12-21,,3,1,2,0.5,1,Take 0.5 mL in the morning and 1 mL at bedtime.\n"
    )
    assert found(data, "plan.csv", form="liquid", concentration="2") == [
        (
            "error",
            "volume-mismatch",
            "plan.csv",
            2,
            1,
            "the bedtime volume 1.1 mL of 2 mg/mL holds 2.2 mg, not the 2 mg dose",
        ),
        (
            "info",
            "summary",
            "plan.csv",
            None,
            None,
            "2 steps, 2026-12-07 to 2026-12-20, then ongoing from 2026-12-21; 3 mg throughout",
        ),
    ]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            {"graduation": "x"},
            "--graduation: write digits with an optional decimal point, such as 0.1 mL, got 'x'",
        ),
        (
            {"form": "liquid", "concentration": "1", "graduation": "x"},
            "--graduation: write digits with an optional decimal point, such as 0.1 mL, got 'x'",
        ),
        (
            {"form": "liquid", "concentration": "1", "graduation": "0"},
            "--graduation: must be more than 0 mL, got '0'",
        ),
        (
            {"form": "capsule", "strengths": "1", "graduation": "0.1"},
            "--graduation: applies to --form liquid only, got '0.1'",
        ),
    ],
)
def test_a_refused_syringe_mark_names_the_graduation_option(
    given: dict[str, str], message: str
) -> None:
    with pytest.raises(InputErrors) as caught:
        options_from_text(**given)
    assert spelled(caught.value) == [message]


def test_no_options_mean_no_formulation_no_medicines_and_the_published_limits() -> None:
    assert options_from_text() == CheckOptions()
    assert options_from_text().meds == ""
    assert options_from_text(form="liquid", concentration="2") == CheckOptions(
        formulation=Formulation(Form.LIQUID, concentration_mg_per_ml=Decimal(2))
    )


# The cells of a step: missing ones, and quantities written without their unit.

STEP_CASES: dict[str, tuple[str, str, dict[str, str], list[Found]]] = {
    "a step without its first day or its volume": (
        "plan.csv",
        "step,start_date,dose_mg,volume_ml\n1,2026-12-07,0.5,\n2,,1,1\n3,2026-12-21,1.5,1.5\n",
        {"form": "liquid", "concentration": "1"},
        [
            ("error", "volume-missing", "plan.csv", 2, 1, "has no volume"),
            ("error", "date-missing", "plan.csv", 3, 2, "has no first day"),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                "3 steps, ongoing from 2026-12-21; 0.5 mg to a target of 1.5 mg",
            ),
        ],
    ),
    "quantities without a unit, read in capsules once": (
        "plan.csv",
        (
            "step,start_date,dose_mg,capsules,quantity\n"
            "1,2026-12-07,0.5,1 × 0.5 mg,7\n"
            "2,2026-12-14,1,2 × 0.5 mg,14\n"
            "3,2026-12-21,1.5,1 × 1.5 mg,\n"
        ),
        {"form": "capsule", "strengths": "1.5,0.5"},
        [
            (
                "info",
                "quantity-unit-assumed",
                "plan.csv",
                None,
                None,
                (
                    "a quantity without a unit ('7' on line 2) was read in capsules, the unit of "
                    "this plan"
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "3 steps, 2026-12-07 to 2026-12-20, then ongoing from 2026-12-21; 0.5 mg to "
                    "a target of 1.5 mg; 21 × 0.5 mg capsules for the 14 dated days, then 1 × "
                    "1.5 mg a day ongoing"
                ),
            ),
        ],
    ),
    "a quantity without a unit in a file without lines": (
        "p.json",
        (
            '{"request": {"form": "liquid", "concentration_mg_per_ml": "1"}, '
            '"steps": [{"step": 1, "start_date": "2026-12-07", "end_date": '
            '"2026-12-13", "dose_mg": "0.5", "volume_ml": "0.5", "quantity": '
            '"3.5"}, {"step": 2, "start_date": "2026-12-14", "dose_mg": "1", '
            '"volume_ml": "1"}]}'
        ),
        {},
        [
            (
                "info",
                "quantity-unit-assumed",
                "p.json",
                None,
                None,
                "a quantity without a unit ('3.5' on step 1) was read in mL, the unit of this plan",
            ),
            (
                "info",
                "summary",
                "p.json",
                None,
                None,
                (
                    "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; 0.5 mg to "
                    "a target of 1 mg; 3.5 mL of 1 mg/mL liquid for the 7 dated days, then 1 mL "
                    "a day ongoing"
                ),
            ),
        ],
    ),
}


STEP_CASES |= {
    "a volume cell and a note with a bare number without a leading zero": (
        "plan.csv",
        (
            "step,start_date,end_date,dose_mg,volume_ml,note\n"
            "1,2026-12-07,2026-12-13,0.5,.50,.50\n"
            "2,2026-12-14,,1,1,\n"
        ),
        {"form": "liquid", "concentration": "1"},
        [
            (
                "warning",
                "ismp-leading-zero",
                "plan.csv",
                2,
                1,
                (
                    'note: ".50" has no leading zero and can be read as ten times the dose; '
                    'write "0.5"'
                ),
            ),
            (
                "warning",
                "ismp-leading-zero",
                "plan.csv",
                2,
                1,
                (
                    'volume: ".50" has no leading zero and can be read as ten times the dose; '
                    'write "0.5"'
                ),
            ),
            (
                "warning",
                "ismp-trailing-zero",
                "plan.csv",
                2,
                1,
                (
                    'volume: ".50" has a trailing zero, which can be misread as a larger dose; '
                    'write "0.5"'
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; 0.5 mg to "
                    "a target of 1 mg; 3.5 mL of 1 mg/mL liquid for the 7 dated days, then 1 mL "
                    "a day ongoing"
                ),
            ),
        ],
    ),
    "a volume that disagrees with a dose no syringe measures exactly": (
        "plan.csv",
        (
            "step,start_date,end_date,dose_mg,volume_ml\n"
            "1,2026-12-07,2026-12-13,1,0.3\n"
            "2,2026-12-14,,1.5,0.5\n"
        ),
        {"form": "liquid", "concentration": "3"},
        [
            (
                "error",
                "volume-mismatch",
                "plan.csv",
                2,
                1,
                "0.3 mL of 3 mg/mL holds 0.9 mg, not the 1 mg dose",
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; 1 mg to a "
                    "target of 1.5 mg"
                ),
            ),
        ],
    ),
    "a dose no syringe measures exactly and no volume given": (
        "p.json",
        '{"steps": [{"step": 1, "start_date": "2026-12-07", "dose_mg": "1"}]}',
        {"form": "liquid", "concentration": "3"},
        [
            (
                "error",
                "volume-off-graduation",
                "p.json",
                None,
                1,
                (
                    "1 mg at 3 mg/mL needs no exact volume, which is not on a syringe marked "
                    "every 0.1 mL"
                ),
            ),
            (
                "info",
                "summary",
                "p.json",
                None,
                None,
                "1 step, ongoing from 2026-12-07; 1 mg throughout",
            ),
        ],
    ),
    "capsules for an ongoing step only": (
        "p.json",
        '{"steps": [{"step": 1, "start_date": "2026-12-07", "dose_mg": "1"}]}',
        {"form": "capsule", "strengths": "0.5"},
        [
            (
                "info",
                "summary",
                "p.json",
                None,
                None,
                "1 step, ongoing from 2026-12-07; 1 mg throughout; 2 × 0.5 mg a day ongoing",
            ),
        ],
    ),
}


STEP_CASES |= {
    "two microgram dose columns": (
        "plan.csv",
        "Start,Dose (mcg),mcg\n2026-12-07,500,500\n2026-12-14,1000,1500\n",
        {},
        [
            (
                "error",
                "columns-disagree",
                "plan.csv",
                3,
                2,
                "Dose (mcg) and mcg disagree: 1 mg and 1.5 mg",
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; 0.5 mg to "
                    "a target of 1 mg"
                ),
            ),
        ],
    ),
    "a volume of another strength than the rest, and a volume of nothing": (
        "plan.csv",
        (
            "Start,End,Dose (mg),Volume (mL)\n"
            "2026-12-07,2026-12-13,1,1\n"
            "2026-12-14,2026-12-20,1.5,1.5\n"
            "2026-12-21,2026-12-27,2,1\n"
            "2026-12-28,,2.5,0\n"
        ),
        {"graduation": "0.1"},
        [
            (
                "error",
                "volume-inconsistent",
                "plan.csv",
                4,
                3,
                "1 mL for 2 mg implies 2 mg/mL, but the other steps imply 1 mg/mL",
            ),
            ("error", "volume-not-positive", "plan.csv", 5, 4, "the volume is 0 mL"),
            (
                "warning",
                "volume-unchecked",
                "plan.csv",
                None,
                None,
                (
                    "the volumes could not be checked against a strength: the plan records no "
                    "concentration; give --concentration"
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "4 steps, 2026-12-07 to 2026-12-27, then ongoing from 2026-12-28; 1 mg to a "
                    "target of 2.5 mg"
                ),
            ),
        ],
    ),
    "doses in micrograms beside volumes": (
        "plan.csv",
        "Start,Dose (mcg),Volume (mL)\n2026-12-07,500,0.5\n2026-12-14,1000,1\n",
        {},
        [
            (
                "warning",
                "volume-unchecked",
                "plan.csv",
                None,
                None,
                (
                    "the volumes could not be checked against a strength: the plan records no "
                    "concentration; give --concentration"
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; 0.5 mg to "
                    "a target of 1 mg; 3.5 mL for the 7 dated days, then 1 mL a day ongoing"
                ),
            ),
        ],
    ),
}


STEP_CASES |= {
    "doses of three decimal places, trailing zeros and four places": (
        "plan.csv",
        (
            "step,start_date,end_date,dose_mg\n"
            "1,2026-12-07,2026-12-13,1.125\n"
            "2,2026-12-14,2026-12-20,1.5000\n"
            "3,2026-12-21,,1.5625\n"
        ),
        {},
        [
            (
                "warning",
                "ismp-trailing-zero",
                "plan.csv",
                3,
                2,
                (
                    'dose_mg: "1.5000" has a trailing zero, which can be misread as a larger '
                    'dose; write "1.5"'
                ),
            ),
            (
                "error",
                "too-precise",
                "plan.csv",
                4,
                3,
                "1.5625 mg cannot be weighed on a 3-decimal-place balance",
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "3 steps, 2026-12-07 to 2026-12-20, then ongoing from 2026-12-21; 1.125 mg "
                    "to a target of 1.5625 mg"
                ),
            ),
        ],
    ),
    "a volume that implies a strength no decimal writes exactly": (
        "plan.csv",
        (
            "step,start_date,end_date,dose_mg,volume_ml\n"
            "1,2026-12-07,2026-12-13,1,1\n"
            "2,2026-12-14,2026-12-20,1.5,1.5\n"
            "3,2026-12-21,,2,0.6\n"
        ),
        {"graduation": "0.1"},
        [
            (
                "error",
                "volume-inconsistent",
                "plan.csv",
                4,
                3,
                "0.6 mL for 2 mg implies about 3.333 mg/mL, but the other steps imply 1 mg/mL",
            ),
            (
                "warning",
                "volume-unchecked",
                "plan.csv",
                None,
                None,
                (
                    "the volumes could not be checked against a strength: the plan records no "
                    "concentration; give --concentration"
                ),
            ),
            (
                "info",
                "summary",
                "plan.csv",
                None,
                None,
                (
                    "3 steps, 2026-12-07 to 2026-12-20, then ongoing from 2026-12-21; 1 mg to a "
                    "target of 2 mg"
                ),
            ),
        ],
    ),
}


@pytest.mark.parametrize("name", STEP_CASES)
def test_step_cells_give_exactly_their_findings(name: str) -> None:
    file, data, options, expected = STEP_CASES[name]
    assert found(data, file, **options) == expected


def _fewest_by_search(dose: Decimal, strengths: tuple[Decimal, ...]) -> int | None:
    """The fewest capsules that make the dose, by trying every count of each strength."""
    counts = [range(int(dose / s) + 1) for s in strengths]
    sums = [
        sum(picked)
        for picked in itertools.product(*counts)
        if sum(n * s for n, s in zip(picked, strengths, strict=True)) == dose
    ]
    return min(sums, default=None)


@pytest.mark.parametrize(
    "strengths",
    [("1", "1.5"), ("1.5", "1"), ("0.5", "2"), ("1.5", "0.5"), ("1", "0.75", "0.25"), ("0.4",)],
)
def test_the_fewest_capsules_are_the_fewest_that_make_the_dose(strengths: tuple[str, ...]) -> None:
    made = tuple(Decimal(s) for s in strengths)
    for quarter in range(1, 25):
        dose = Decimal(quarter) / 4
        counts = fewest_capsules(dose, made)
        expected = _fewest_by_search(dose, made)
        if counts is None:
            assert expected is None, dose
        else:
            assert sum(n * s for s, n in counts) == dose
            assert sum(n for _, n in counts) == expected, dose
