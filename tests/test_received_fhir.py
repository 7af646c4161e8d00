"""A FHIR MedicationRequest read back as a plan: this tool's own export, and others."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_titrate.check import check_file
from ldn_titrate.check.options import CheckOptions
from ldn_titrate.formats import WRITERS, Format
from ldn_titrate.model import Schedule
from ldn_titrate.received import read_plan
from ldn_titrate.request import Raw, build_request
from ldn_titrate.rules import build_schedule

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.toml"))


def plan(**values: Raw) -> Schedule:
    return build_schedule(build_request({"from": "2026-12-07", **values}, {}, date(2026, 12, 7)))


def example(path: Path) -> Schedule:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    values = {k.replace("-", "_"): v for k, v in raw.items()}
    return build_schedule(build_request(values, {}, date(2026, 12, 7)))


def findings(schedule: Schedule, fmt: Format) -> list[tuple[str, int | None, str]]:
    found = check_file(WRITERS[fmt](schedule), f"plan.{fmt.value}", CheckOptions())
    return [(f.code, f.step, f.message) for f in found]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_a_fhir_export_checks_as_the_json_export_does(path: Path) -> None:
    # The same findings; only the summary differs, as FHIR carries no capsule counts.
    schedule = example(path)
    fhir, plain = findings(schedule, Format.FHIR), findings(schedule, Format.JSON)
    assert [f for f in fhir if f[0] != "summary"] == [f for f in plain if f[0] != "summary"]
    assert [f[0] for f in fhir].count("summary") == 1


@pytest.mark.parametrize(
    "values",
    [
        {"start": "0.5", "target": "4.5", "step": "0.5", "every": "7d"},
        {"start": "1.5", "target": "4.5", "step": "1.5", "every": "2w", "form": "liquid",
         "concentration": "1"},
        {"start": "0.5", "target": "4.5", "step": "0.5", "every": "7d", "form": "liquid",
         "concentration": "5", "graduation": "0.1", "maintenance_days": "28"},
        {"start": "1.5", "target": "4.5", "step": "1.5", "every": "2w", "form": "capsule",
         "strengths": "1.5"},
        {"steps": "0.5 mg for 7d, 0.5 mg + 1.5 mg", "form": "liquid", "concentration": "1"},
        {"start": "1", "target": "3", "step": "1", "every": "7d", "split": "true"},
    ],
)  # fmt: skip
def test_a_fhir_export_checks_clean(values: dict[str, Raw]) -> None:
    found = findings(plan(**values), Format.FHIR)
    assert [code for code, _, _ in found] == ["summary"]


@settings(max_examples=50)
@given(
    start=st.integers(1, 9).map(lambda n: Decimal(n) / 2),
    target=st.integers(1, 9).map(lambda n: Decimal(n) / 2),
    liquid=st.booleans(),
)
def test_fhir_rows_hold_each_steps_days_and_daily_dose(
    start: Decimal, target: Decimal, liquid: bool
) -> None:
    form: dict[str, Raw] = {"form": "liquid", "concentration": "1"} if liquid else {}
    schedule = plan(start=str(start), target=str(target), step="0.5", every="7d", **form)
    received = read_plan(WRITERS[Format.FHIR](schedule), "plan.json")
    assert [(r.number, r.first_day, r.last_day, r.dose, r.instructions) for r in received.rows] == [
        (s.number, s.first_day, s.last_day, s.dose_mg, s.instructions) for s in schedule.steps
    ]
    assert [r.volume_ml for r in received.rows] == [s.volume_ml for s in schedule.steps]


def test_concurrent_dosages_are_one_day_of_split_doses() -> None:
    schedule = plan(steps="0.5 mg + 1 mg for 2w, 1 mg + 1 mg", form="liquid", concentration="1")
    received = read_plan(WRITERS[Format.FHIR](schedule), "plan.json")
    assert [(r.number, r.dose, r.volume_ml) for r in received.rows] == [
        (1, Decimal("1.5"), Decimal("1.5")),
        (2, Decimal(2), Decimal(2)),
    ]
    assert received.formulation is not None
    assert received.formulation.concentration_mg_per_ml == Decimal(1)


def test_a_medication_request_from_elsewhere_in_a_bundle() -> None:
    resource = {
        "resourceType": "MedicationRequest",
        "status": "active",
        "intent": "order",
        "subject": {"reference": "Patient/1", "display": "J. Doe"},
        "medicationCodeableConcept": {"text": "Naltrexone 1 mg/mL oral suspension"},
        "dosageInstruction": [
            {
                "sequence": 2,
                "text": "1 mL at bedtime",
                "timing": {"repeat": {"boundsPeriod": {"start": "2026-12-14T00:00:00Z"}}},
                "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "mL"}}],
            },
            {
                "sequence": 1,
                "text": "0.5 mL at bedtime",
                "timing": {
                    "repeat": {"boundsPeriod": {"start": "2026-12-07", "end": "2026-12-13"}}
                },
                "doseAndRate": [{"doseQuantity": {"value": 0.5, "unit": "mL"}}],
            },
            {"text": "no sequence: not a step"},
        ],
    }
    bundle = {"resourceType": "Bundle", "entry": [{"resource": resource}]}
    received = read_plan(json.dumps(bundle), "bundle.json")
    assert received.label == "J. Doe"
    assert [(r.number, r.first_day, r.last_day, r.dose, r.volume_ml) for r in received.rows] == [
        (1, date(2026, 12, 7), date(2026, 12, 13), Decimal("0.5"), Decimal("0.5")),
        (2, date(2026, 12, 14), None, Decimal(1), Decimal(1)),
    ]


@pytest.mark.parametrize(
    ("quantity", "reason"),
    [
        ({"value": "abc", "code": "mg"}, "doseQuantity 'abc': not a positive number"),
        ({"value": 1, "code": "tablet"}, "doseQuantity 'tablet': the unit must be mg or mL"),
        ({"value": 0, "code": "mg"}, "doseQuantity '0': not a positive number"),
    ],
)
def test_an_unreadable_dose_is_a_problem_of_its_step(
    quantity: dict[str, object], reason: str
) -> None:
    resource = {
        "resourceType": "MedicationRequest",
        "dosageInstruction": [
            {
                "sequence": 1,
                "timing": {"repeat": {"boundsPeriod": {"start": "2026-12-07"}}},
                "doseAndRate": [{"doseQuantity": quantity}],
            }
        ],
    }
    found = check_file(json.dumps(resource), "mr.json", CheckOptions())
    assert [(f.code, f.step, f.message) for f in found if f.code != "summary"] == [
        ("dose-unreadable", 1, reason)
    ]


def request_for(medication: dict[str, object], dose: str = "1") -> dict[str, object]:
    """A one-step MedicationRequest for a medication, its dose in mg."""
    return {
        "resourceType": "MedicationRequest",
        "medicationCodeableConcept": medication,
        "dosageInstruction": [
            {
                "sequence": 1,
                "timing": {"repeat": {"boundsPeriod": {"start": "2026-12-07"}}},
                "doseAndRate": [{"doseQuantity": {"value": dose, "unit": "mg"}}],
            }
        ],
    }


def test_a_bundle_is_read_from_its_naltrexone_request_the_others_are_its_medicines() -> None:
    bundle = {
        "resourceType": "Bundle",
        "entry": [
            {"resource": request_for({"coding": [{"display": "Tramadol 50 mg tablet"}]}, "50")},
            {"resource": request_for({"text": "Naltrexone (LDN) 1 mg"})},
            {"resource": {"resourceType": "MedicationStatement", "medicationCodeableConcept": {}}},
            {
                "resource": {
                    "resourceType": "MedicationStatement",
                    "medicationCodeableConcept": {"text": " Sertraline ", "coding": []},
                }
            },
            {"resource": {"resourceType": "Patient"}},
            "not an entry",
        ],
    }
    received = read_plan(json.dumps(bundle), "bundle.json")
    assert [r.dose for r in received.rows] == [Decimal(1)]
    assert [(m.where, m.text) for m in received.med_lists] == [
        ("FHIR Bundle entry 1 MedicationRequest", "Tramadol 50 mg tablet"),
        ("FHIR Bundle entry 3 MedicationStatement", ""),
        ("FHIR Bundle entry 4 MedicationStatement", "Sertraline"),
    ]
    assert received.meds is None


def test_a_bundle_without_naltrexone_is_read_from_its_first_request() -> None:
    bundle = {
        "resourceType": "Bundle",
        "entry": [
            {"resource": request_for({"text": "Drug A"}, "2")},
            {"resource": request_for({"text": "Drug B"}, "3")},
        ],
    }
    received = read_plan(json.dumps(bundle), "bundle.json")
    assert [r.dose for r in received.rows] == [Decimal(2)]
    assert [m.text for m in received.med_lists] == ["Drug B"]


def test_a_request_alone_records_no_medicines() -> None:
    received = read_plan(json.dumps(request_for({"text": "Naltrexone 1 mg"})), "request.json")
    assert received.meds is None
