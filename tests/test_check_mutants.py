"""Exact findings for the checker's edges that mutation testing showed no other test pins."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ldn_titrate.check import check_file, options_from_text
from ldn_titrate.check.findings import Report
from ldn_titrate.check.read_notes import doses_from_volumes
from ldn_titrate.errors import InputErrors
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
    assert [str(e) for e in caught.value.errors] == messages


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
