"""`plan --form`: exact CSV, JSON and table output, and every refusal with its advice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ldn_titrate.cli import app

WEEKLY = ["--start", "0.5", "--target", "2", "--step", "0.5", "--every", "7d"]
FROM = ["--from", "2026-12-07"]
LIQUID_1 = ["--form", "liquid", "--concentration", "1mg/mL"]
CAPSULES = ["--start", "0.5", "--target", "3.5", "--step", "1", "--every", "7d"]
CAPSULES += ["--form", "capsule", "--strengths", "1.5,0.5"]


def plan(runner: CliRunner, *args: str, columns: int | None = None) -> Result:
    """Run ``plan`` from 2026-12-07; a terminal width gives a colourless table that wide."""
    env = None if columns is None else {"COLUMNS": str(columns), "NO_COLOR": "1"}
    return runner.invoke(app, ["plan", *args, *FROM], env=env)


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def refused(result: Result) -> str:
    assert result.exit_code == 2
    assert result.stdout == ""
    return result.stderr


def text(*lines: str) -> str:
    return "".join(f"{line}\n" for line in lines)


# CSV


def test_liquid_csv(runner: CliRunner) -> None:
    result = plan(runner, *WEEKLY, *LIQUID_1, "--maintenance-days", "14", "--format", "csv")
    assert ok(result) == text(
        "step,start_date,end_date,days,dose_mg,volume_ml,quantity,instructions,label",
        "1,2026-12-07,2026-12-13,7,0.5,0.5,3.5 mL,"
        "Take 0.5 mL (0.5 mg) of naltrexone 1 mg/mL oral liquid by mouth once daily at bedtime.,",
        "2,2026-12-14,2026-12-20,7,1,1,7 mL,"
        "Take 1 mL (1 mg) of naltrexone 1 mg/mL oral liquid by mouth once daily at bedtime.,",
        "3,2026-12-21,2026-12-27,7,1.5,1.5,10.5 mL,"
        "Take 1.5 mL (1.5 mg) of naltrexone 1 mg/mL oral liquid by mouth once daily at bedtime.,",
        "4,2026-12-28,2027-01-10,14,2,2,28 mL,"
        "Take 2 mL (2 mg) of naltrexone 1 mg/mL oral liquid by mouth once daily at bedtime.,",
    )
    assert result.stdout_bytes.count(b"\r\n") == 5


def test_capsule_csv(runner: CliRunner) -> None:
    result = plan(runner, *CAPSULES, "--format", "csv", "--label", "AB")
    assert ok(result) == text(
        "step,start_date,end_date,days,dose_mg,capsules,quantity,instructions,label",
        "1,2026-12-07,2026-12-13,7,0.5,1 x 0.5 mg,7 x 0.5 mg,"
        "Take 1 capsule of naltrexone 0.5 mg by mouth once daily at bedtime.,AB",
        "2,2026-12-14,2026-12-20,7,1.5,1 x 1.5 mg,7 x 1.5 mg,"
        "Take 1 capsule of naltrexone 1.5 mg by mouth once daily at bedtime.,AB",
        "3,2026-12-21,2026-12-27,7,2.5,1 x 1.5 mg + 2 x 0.5 mg,7 x 1.5 mg + 14 x 0.5 mg,"
        "Take 1 capsule of naltrexone 1.5 mg and 2 capsules of naltrexone 0.5 mg (2.5 mg in all) "
        "by mouth once daily at bedtime.,AB",
        # The ongoing step is counted as 30 days: 60 x 1.5 mg and 30 x 0.5 mg.
        "4,2026-12-28,,,3.5,2 x 1.5 mg + 1 x 0.5 mg,60 x 1.5 mg + 30 x 0.5 mg,"
        "Take 2 capsules of naltrexone 1.5 mg and 1 capsule of naltrexone 0.5 mg (3.5 mg in all) "
        "by mouth once daily at bedtime.,AB",
    )


def test_request_file_gives_the_same_csv(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("request.toml").write_text(
        'start = "0.5 mg"\ntarget = "3.5 mg"\nstep = "1 mg"\nevery = "7d"\nfrom = 2026-12-07\n'
        'form = "capsule"\nstrengths = [0.5, 1.5]\nmax_units = 4\nlabel = "AB"\n',
        encoding="utf-8",
    )
    from_file = runner.invoke(app, ["plan", "request.toml", "--format", "csv"])
    from_options = plan(runner, *CAPSULES, "--format", "csv", "--label", "AB")
    assert ok(from_file) == ok(from_options)


# JSON


def test_liquid_json(runner: CliRunner) -> None:
    fills = ["--maintenance-days", "14", "--bud", "14", "--overage", "10%"]
    result = plan(runner, *WEEKLY, *LIQUID_1, *fills, "--format", "json")
    data = json.loads(ok(result))
    request = data["request"]
    assert {k: request[k] for k in ("form", "concentration_mg_per_ml", "graduation_ml")} == {
        "form": "liquid",
        "concentration_mg_per_ml": "1",
        "graduation_ml": "0.1",
    }
    assert (request["overage_percent"], request["bud_days"]) == ("10", 14)
    assert [(s["volume_ml"], s["quantity"]) for s in data["steps"]] == [
        ("0.5", "3.5 mL"),
        ("1", "7 mL"),
        ("1.5", "10.5 mL"),
        ("2", "28 mL"),
    ]
    assert data["steps"][2]["instructions"] == (
        "Take 1.5 mL (1.5 mg) of naltrexone 1 mg/mL oral liquid by mouth once daily at bedtime."
    )
    assert "capsules" not in data["steps"][0]

    def ml(volume: str) -> dict[str, str]:
        return {"text": f"{volume} mL", "volume_ml": volume}

    assert data["dispense"] == {
        "per_step": [
            {"step": 1, "days": 7, "assumed": False, "quantity": ml("3.5")},
            {"step": 2, "days": 7, "assumed": False, "quantity": ml("7")},
            {"step": 3, "days": 7, "assumed": False, "quantity": ml("10.5")},
            {"step": 4, "days": 14, "assumed": False, "quantity": ml("28")},
        ],
        "titration_total": ml("21"),
        "maintenance_total": ml("28"),
        "assumed_maintenance_days": None,
        "overage_percent": "10",
        "overage": ml("4.9"),
        "grand_total": ml("53.9"),
        "days_supply": 35,
        "fills": [
            {
                "fill": 1,
                "first_day": "2026-12-07",
                "last_day": "2026-12-20",
                "quantity": ml("11.55"),
                "dispense_by": "2026-12-07",
            },
            {
                "fill": 2,
                "first_day": "2026-12-21",
                "last_day": "2027-01-03",
                "quantity": ml("26.95"),
                "dispense_by": "2026-12-21",
            },
            {
                "fill": 3,
                "first_day": "2027-01-04",
                "last_day": "2027-01-10",
                "quantity": ml("15.4"),
                "dispense_by": "2027-01-04",
            },
        ],
    }


def test_capsule_json(runner: CliRunner) -> None:
    result = plan(runner, *CAPSULES, "--maintenance-days", "14", "--bud", "10", "--format", "json")
    data = json.loads(ok(result))
    request = data["request"]
    assert {k: request[k] for k in ("form", "strengths_mg", "max_units", "bud_days")} == {
        "form": "capsule",
        "strengths_mg": ["1.5", "0.5"],
        "max_units": 4,
        "bud_days": 10,
    }
    assert "concentration_mg_per_ml" not in request
    assert [s["capsules"] for s in data["steps"]] == [
        {"0.5": 1},
        {"1.5": 1},
        {"1.5": 1, "0.5": 2},
        {"1.5": 2, "0.5": 1},
    ]
    assert "volume_ml" not in data["steps"][0]

    def caps(big: int, small: int) -> dict[str, object]:
        counts = {"1.5": big, "0.5": small}
        shown = " + ".join(f"{n} × {s} mg" for s, n in counts.items() if n)
        return {"text": shown, "capsules": {s: n for s, n in counts.items() if n}}

    assert data["dispense"] == {
        "per_step": [
            {"step": 1, "days": 7, "assumed": False, "quantity": caps(0, 7)},
            {"step": 2, "days": 7, "assumed": False, "quantity": caps(7, 0)},
            {"step": 3, "days": 7, "assumed": False, "quantity": caps(7, 14)},
            {"step": 4, "days": 14, "assumed": False, "quantity": caps(28, 14)},
        ],
        "titration_total": caps(14, 21),
        "maintenance_total": caps(28, 14),
        "assumed_maintenance_days": None,
        "overage_percent": "0",
        "overage": None,
        "grand_total": caps(42, 35),
        "days_supply": 35,
        "fills": [
            {
                "fill": 1,
                "first_day": "2026-12-07",
                "last_day": "2026-12-16",
                "quantity": caps(3, 7),
                "dispense_by": "2026-12-07",
            },
            {
                "fill": 2,
                "first_day": "2026-12-17",
                "last_day": "2026-12-26",
                "quantity": caps(10, 12),
                "dispense_by": "2026-12-17",
            },
            {
                "fill": 3,
                "first_day": "2026-12-27",
                "last_day": "2027-01-05",
                "quantity": caps(19, 11),
                "dispense_by": "2026-12-27",
            },
            {
                "fill": 4,
                "first_day": "2027-01-06",
                "last_day": "2027-01-10",
                "quantity": caps(10, 5),
                "dispense_by": "2027-01-06",
            },
        ],
    }


def test_json_says_when_thirty_days_are_assumed(runner: CliRunner) -> None:
    data = json.loads(ok(plan(runner, *WEEKLY, *LIQUID_1, "--format", "json")))
    dispense = data["dispense"]
    assert dispense["assumed_maintenance_days"] == 30
    assert [s["assumed"] for s in dispense["per_step"]] == [False, False, False, True]
    assert dispense["per_step"][3]["days"] == 30
    assert dispense["grand_total"] == {"text": "81 mL", "volume_ml": "81"}
    assert dispense["fills"][0]["last_day"] == "2027-01-26"


# The table


def test_liquid_table(runner: CliRunner) -> None:
    result = plan(runner, *WEEKLY, *LIQUID_1, "--bud", "14", "--overage", "10", columns=120)
    assert ok(result) == text(
        "Low-dose naltrexone titration plan",
        "┏━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━┳━━━━━━━━┳━━━━━━━━┓",
        "┃ Step ┃ First day      ┃ Last day       ┃ Days ┃   Dose ┃ Volume ┃",
        "┡━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━╇━━━━━━━━╇━━━━━━━━┩",
        "│    1 │ 2026-12-07 Mon │ 2026-12-13 Sun │    7 │ 0.5 mg │ 0.5 mL │",
        "│    2 │ 2026-12-14 Mon │ 2026-12-20 Sun │    7 │   1 mg │   1 mL │",
        "│    3 │ 2026-12-21 Mon │ 2026-12-27 Sun │    7 │ 1.5 mg │ 1.5 mL │",
        "│    4 │ 2026-12-28 Mon │ ongoing        │      │   2 mg │   2 mL │",
        "└──────┴────────────────┴────────────────┴──────┴────────┴────────┘",
        "Measure each dose of naltrexone 1 mg/mL oral liquid and take it by mouth once daily at "
        "bedtime.",
        "Quantity to dispense",
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━┳━━━━━━━━━━┓",
        "┃ Item                     ┃ Days ┃ Quantity ┃",
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━╇━━━━━━━━━━┩",
        "│ Step 1                   │    7 │   3.5 mL │",
        "│ Step 2                   │    7 │     7 mL │",
        "│ Step 3                   │    7 │  10.5 mL │",
        "│ Step 4 (30 days assumed) │   30 │    60 mL │",
        "│ Titration total          │   21 │    21 mL │",
        "│ Maintenance total        │   30 │    60 mL │",
        "│ Overage (10%)            │      │   8.1 mL │",
        "│ Grand total              │   51 │  89.1 mL │",
        "└──────────────────────────┴──────┴──────────┘",
        "The ongoing target step is counted as a 30-day supply.",
        "Fills",
        "┏━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━━━━━━┓",
        "┃ Fill ┃ First day      ┃ Last day       ┃ Quantity ┃ Dispense by    ┃",
        "┡━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━━━━━━┩",
        "│    1 │ 2026-12-07 Mon │ 2026-12-20 Sun │ 11.55 mL │ 2026-12-07 Mon │",
        "│    2 │ 2026-12-21 Mon │ 2027-01-03 Sun │ 26.95 mL │ 2026-12-21 Mon │",
        "│    3 │ 2027-01-04 Mon │ 2027-01-17 Sun │  30.8 mL │ 2027-01-04 Mon │",
        "│    4 │ 2027-01-18 Mon │ 2027-01-26 Tue │  19.8 mL │ 2027-01-18 Mon │",
        "└──────┴────────────────┴────────────────┴──────────┴────────────────┘",
    )


def test_capsule_plain_lines_on_a_narrow_terminal(runner: CliRunner) -> None:
    result = plan(runner, *CAPSULES, "--bud", "10", columns=60)
    assert max(len(line) for line in result.stdout.splitlines()) <= 60
    assert ok(result) == text(
        "Low-dose naltrexone titration plan",
        "Step 1: 2026-12-07 Mon to 2026-12-13 Sun (7 days): 0.5 mg.",
        "  Take 1 capsule of naltrexone 0.5 mg by mouth once daily at",
        "  bedtime.",
        "Step 2: 2026-12-14 Mon to 2026-12-20 Sun (7 days): 1.5 mg.",
        "  Take 1 capsule of naltrexone 1.5 mg by mouth once daily at",
        "  bedtime.",
        "Step 3: 2026-12-21 Mon to 2026-12-27 Sun (7 days): 2.5 mg.",
        "  Take 1 capsule of naltrexone 1.5 mg and 2 capsules of",
        "  naltrexone 0.5 mg (2.5 mg in all) by mouth once daily at",
        "  bedtime.",
        "Step 4: 2026-12-28 Mon onwards: 3.5 mg. Take 2 capsules of",
        "  naltrexone 1.5 mg and 1 capsule of naltrexone 0.5 mg",
        "  (3.5 mg in all) by mouth once daily at bedtime.",
        "Quantity to dispense",
        "Step 1: 7 × 0.5 mg for 7 days",
        "Step 2: 7 × 1.5 mg for 7 days",
        "Step 3: 7 × 1.5 mg + 14 × 0.5 mg for 7 days",
        "Step 4: 60 × 1.5 mg + 30 × 0.5 mg for 30 days (assumed)",
        "Titration total: 14 × 1.5 mg + 21 × 0.5 mg",
        "Maintenance total: 60 × 1.5 mg + 30 × 0.5 mg",
        "Grand total: 74 × 1.5 mg + 51 × 0.5 mg for 51 days",
        "Fills",
        "Fill 1: 2026-12-07 Mon to 2026-12-16 Wed, 3 × 1.5 mg +",
        "  7 × 0.5 mg, dispense by 2026-12-07 Mon",
        "Fill 2: 2026-12-17 Thu to 2026-12-26 Sat, 10 × 1.5 mg +",
        "  12 × 0.5 mg, dispense by 2026-12-17 Thu",
        "Fill 3: 2026-12-27 Sun to 2027-01-05 Tue, 19 × 1.5 mg +",
        "  11 × 0.5 mg, dispense by 2026-12-27 Sun",
        "Fill 4: 2027-01-06 Wed to 2027-01-15 Fri, 20 × 1.5 mg +",
        "  10 × 0.5 mg, dispense by 2027-01-06 Wed",
        "Fill 5: 2027-01-16 Sat to 2027-01-25 Mon, 20 × 1.5 mg +",
        "  10 × 0.5 mg, dispense by 2027-01-16 Sat",
        "Fill 6: 2027-01-26 Tue to 2027-01-26 Tue, 2 × 1.5 mg +",
        "  1 × 0.5 mg, dispense by 2027-01-26 Tue",
    )


# Refusals: exit 2, nothing on stdout, each failing step named, and what works


LIQUID_REFUSALS = [
    pytest.param(
        ["--start", "0.25", "--target", "1", "--step", "0.25", "--every", "7d"],
        LIQUID_1,
        [
            "step 1 (0.25 mg) needs 0.25 mL at 1 mg/mL, which is not on a 0.1 mL mark",
            "step 3 (0.75 mg) needs 0.75 mL at 1 mg/mL, which is not on a 0.1 mL mark",
            (
                "what works: a syringe marked every 0.01 mL (--graduation 0.01); "
                "or --concentration 0.5 mg/mL or 2.5 mg/mL with the 0.1 mL syringe"
            ),
        ],
        id="finer-syringe-or-usual-concentrations",
    ),
    pytest.param(
        ["--start", "0.51", "--target", "0.5", "--step", "0.01", "--every", "7d"],
        LIQUID_1,
        [
            "step 1 (0.51 mg) needs 0.51 mL at 1 mg/mL, which is not on a 0.1 mL mark",
            "what works: a syringe marked every 0.01 mL (--graduation 0.01)",
        ],
        id="finer-syringe-only",
    ),
    pytest.param(
        ["--start", "0.75", "--target", "0.75"],
        ["--form", "liquid", "--concentration", "2 mg/mL"],
        [
            "step 1 (0.75 mg) needs 0.375 mL at 2 mg/mL, which is not on a 0.1 mL mark",
            "what works: --concentration 0.5 mg/mL or 2.5 mg/mL with the 0.1 mL syringe",
        ],
        id="usual-concentrations-only",
    ),
    pytest.param(
        ["--start", "0.125", "--target", "0.5", "--step", "0.125", "--every", "7d"],
        ["--form", "liquid", "--concentration", "1", "--graduation", "0.01mL"],
        [
            "step 1 (0.125 mg) needs 0.125 mL at 1 mg/mL, which is not on a 0.01 mL mark",
            "step 3 (0.375 mg) needs 0.375 mL at 1 mg/mL, which is not on a 0.01 mL mark",
            "what works: --concentration 0.5 mg/mL or 2.5 mg/mL with the 0.01 mL syringe",
        ],
        id="on-the-fine-syringe",
    ),
    pytest.param(
        ["--start", "0.501", "--target", "0.501"],
        LIQUID_1,
        [
            "step 1 (0.501 mg) needs 0.501 mL at 1 mg/mL, which is not on a 0.1 mL mark",
            "no usual concentration (0.5, 1, 2, 2.5 or 5 mg/mL) puts every step on a mark",
        ],
        id="nothing-usual-works",
    ),
    pytest.param(
        ["--start", "1", "--target", "1"],
        ["--form", "liquid", "--concentration", "3mg/mL"],
        [
            "step 1 (1 mg) needs no exact volume at 3 mg/mL, which is not on a 0.1 mL mark",
            (
                "what works: --concentration 0.5 mg/mL or 1 mg/mL or 2 mg/mL or 2.5 mg/mL "
                "or 5 mg/mL with the 0.1 mL syringe"
            ),
        ],
        id="no-exact-volume",
    ),
    pytest.param(
        ["--start", "1", "--target", "1"],
        ["--form", "liquid", "--concentration", "7mg/mL"],
        [
            "step 1 (1 mg) needs no exact volume at 7 mg/mL, which is not on a 0.1 mL mark",
            (
                "what works: --concentration 0.5 mg/mL or 1 mg/mL or 2 mg/mL or 2.5 mg/mL "
                "or 5 mg/mL with the 0.1 mL syringe"
            ),
        ],
        id="no-exact-volume-never-a-rounded-one",
    ),
]


@pytest.mark.parametrize(("dosing", "form", "lines"), LIQUID_REFUSALS)
def test_liquid_refusal(
    runner: CliRunner, dosing: list[str], form: list[str], lines: list[str]
) -> None:
    result = plan(runner, *dosing, *form)
    assert refused(result) == text(*(f"error: --form liquid: {line}" for line in lines))


CAPSULE_REFUSALS = [
    pytest.param(
        [*WEEKLY, "--strengths", "1.5"],
        [
            "step 1 (0.5 mg) cannot be made exactly from these strengths",
            "step 2 (1 mg) cannot be made exactly from these strengths",
            "step 4 (2 mg) cannot be made exactly from these strengths",
            "what works: --strengths 0.5",
        ],
        id="cannot-be-made",
    ),
    pytest.param(
        ["--start", "4.5", "--target", "4.5", "--strengths", "0.5"],
        [
            "step 1 (4.5 mg) needs 9 capsules (9 × 0.5 mg), more than --max-units 4",
            "what works: --strengths 4.5",
        ],
        id="too-many-capsules",
    ),
    pytest.param(
        [*CAPSULES[:8], "--strengths", "1.5,1", "--max-units", "2"],
        [
            "step 1 (0.5 mg) cannot be made exactly from these strengths",
            "step 4 (3.5 mg) needs 3 capsules (1 × 1.5 mg + 2 × 1 mg), more than --max-units 2",
            # 0.5, 1.5, 2.5 and 3.5 mg in at most two capsules: 0.5, 1 + 0.5, 2.5, 2.5 + 1.
            "what works: --strengths 2.5,1,0.5",
        ],
        id="both-and-a-set-of-three",
    ),
    pytest.param(
        [
            *("--start", "0.5", "--target", "2.5", "--step", "0.5", "--every", "7d"),
            *("--strengths", "0.5", "--max-units", "1"),
        ],
        [
            "step 2 (1 mg) needs 2 capsules (2 × 0.5 mg), more than --max-units 1",
            "step 3 (1.5 mg) needs 3 capsules (3 × 0.5 mg), more than --max-units 1",
            "step 4 (2 mg) needs 4 capsules (4 × 0.5 mg), more than --max-units 1",
            "step 5 (2.5 mg) needs 5 capsules (5 × 0.5 mg), more than --max-units 1",
            "what works: --strengths 2.5,1.5,0.5 --max-units 2",
        ],
        id="more-capsules-a-dose",
    ),
]


@pytest.mark.parametrize(("args", "lines"), CAPSULE_REFUSALS)
def test_capsule_refusal(runner: CliRunner, args: list[str], lines: list[str]) -> None:
    result = plan(runner, "--form", "capsule", *args)
    assert refused(result) == text(*(f"error: --form capsule: {line}" for line in lines))


def test_a_refused_plan_writes_no_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = plan(runner, *WEEKLY, "--form", "capsule", "--strengths", "1.5", "-o", "plan.csv")
    assert refused(result).startswith("error: --form capsule: step 1 (0.5 mg) ")
    assert list(tmp_path.iterdir()) == []


OPTION_REFUSALS = [
    pytest.param(
        [*LIQUID_1, "--graduation", "0.1cc"],
        ["--graduation: write volumes in mL, never cc, got '0.1cc'"],
        id="cc",
    ),
    pytest.param(
        ["--form", "liquid", "--concentration", "1mg/cc"],
        [
            (
                "--concentration: write digits with an optional decimal point, "
                "such as 1 mg/mL, got '1mg/cc'"
            )
        ],
        id="mg-per-cc",
    ),
    pytest.param(["--form", "liquid"], ["--concentration: is required with --form liquid"]),
    pytest.param(["--form", "capsule"], ["--strengths: is required with --form capsule"]),
    pytest.param(
        [*LIQUID_1, "--strengths", "1.5", "--max-units", "3"],
        [
            "--strengths: applies to --form capsule only, got '1.5'",
            "--max-units: applies to --form capsule only, got '3'",
        ],
        id="capsule-keys-with-liquid",
    ),
    pytest.param(
        ["--form", "capsule", "--strengths", "1.5", "--graduation", "0.01"],
        ["--graduation: applies to --form liquid only, got '0.01'"],
        id="liquid-key-with-capsules",
    ),
    pytest.param(
        ["--bud", "14"], ["--bud: needs --form liquid or capsule, got '14'"], id="bud-no-form"
    ),
    pytest.param(
        ["--form", "capsule", "--strengths", "1.5", "--overage", "10"],
        ["--overage: applies to --form liquid only, got '10'"],
        id="overage-with-capsules",
    ),
    pytest.param(
        [*LIQUID_1, "--overage", "60%"],
        ["--overage: must be a percentage from 0 to 50, got '60%'"],
        id="overage-too-large",
    ),
    pytest.param(
        ["--form", "tablet"], ["--form: must be liquid or capsule, got 'tablet'"], id="tablet"
    ),
    pytest.param(
        ["--form", "capsule", "--strengths", "1.5,1.5"],
        ["--strengths: list 1 to 6 different strengths, got '1.5,1.5'"],
        id="same-strength-twice",
    ),
]


@pytest.mark.parametrize(("args", "lines"), OPTION_REFUSALS)
def test_option_refusal(runner: CliRunner, args: list[str], lines: list[str]) -> None:
    result = plan(runner, *WEEKLY, *args)
    assert refused(result) == text(*(f"error: {line}" for line in lines))


def test_request_file_refusal_names_the_file_key(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("request.toml").write_text(
        'start = "0.5"\ntarget = "0.5"\nform = "capsule"\nstrengths = [1.5]\n'
        'concentration = "1mg/mL"\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["plan", "request.toml"])
    assert refused(result) == text(
        "error: request.toml: concentration: applies to form = liquid only, got '1mg/mL'"
    )


def test_request_file_formulation_refusal(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("request.toml").write_text(
        'start = "0.5"\ntarget = "0.5"\nform = "capsule"\nstrengths = [1.5]\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["plan", "request.toml"])
    assert refused(result) == text(
        "error: request.toml: form = capsule: step 1 (0.5 mg) cannot be made exactly from these "
        "strengths",
        "error: request.toml: form = capsule: what works: strengths = 0.5",
    )
