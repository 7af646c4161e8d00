"""Every JSON key and FHIR element is read by its meaning, known to carry none, or reported."""

from __future__ import annotations

import copy
import json
import time
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ldn_titrate.check import check_file
from ldn_titrate.check.options import CheckOptions
from ldn_titrate.errors import LdnTitrateError
from ldn_titrate.formats import WRITERS, Format
from ldn_titrate.received import read_plan
from ldn_titrate.received.fhir_parts import BUNDLE_NO_MEANING, REQUEST_NO_MEANING
from ldn_titrate.received.fhir_timing import timing_of
from ldn_titrate.received.fhir_values import named_strengths
from ldn_titrate.received.json_keys import (
    MED_LIST_KEYS,
    NO_MEANING,
    REQUEST_WRITER,
    STEP_CONTAINERS,
    WRITER_KEYS,
)
from ldn_titrate.request import Raw, build_request
from ldn_titrate.rules import build_schedule

DATA = Path(__file__).parent / "data" / "check"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"


def codes(data: bytes | str, name: str = "plan.json") -> list[str]:
    return [f.code for f in check_file(data, name, CheckOptions())]


def written(fmt: Format, **values: Raw) -> str:
    request = build_request({"from": "2026-12-07", **values}, {}, date(2026, 12, 7))
    return WRITERS[fmt](build_schedule(request))


PLANS: list[dict[str, Raw]] = [
    {"start": "0.5", "target": "1.5", "step": "0.5", "every": "7d", "form": "liquid",
     "concentration": "1", "label": "AB 12", "bud": "28", "maintenance_days": "28"},
    {"start": "1.5", "target": "4.5", "step": "1.5", "every": "2w", "form": "capsule",
     "strengths": "1.5,0.5", "meds": "sertraline", "meds_reviewed": "true"},
    {"start": "1", "target": "3", "step": "1", "every": "7d", "split": "true", "form": "liquid",
     "concentration": "1"},
    {"start": "1", "target": "3", "step": "1", "every": "7d", "split": "true", "form": "capsule",
     "strengths": "0.5"},
    {"steps": "0.5 mg for 7d, 0.5 mg + 1.5 mg", "form": "liquid", "concentration": "1"},
    {"start": "0.5", "step": "0.5", "every": "7d", "weight": "30kg"},
]  # fmt: skip


@pytest.mark.parametrize("fmt", [Format.JSON, Format.FHIR])
@pytest.mark.parametrize("values", PLANS)
def test_every_plan_written_as_json_or_fhir_checks_clean_with_nothing_unread(
    fmt: Format, values: dict[str, Raw]
) -> None:
    assert codes(written(fmt, **values)) == ["summary"]


@settings(max_examples=25, deadline=None)
@given(
    start=st.integers(1, 6).map(lambda n: str(n / 2)),
    target=st.integers(1, 9).map(lambda n: str(n / 2)),
    form=st.sampled_from(["liquid", "capsule", None]),
    split=st.booleans(),
    fmt=st.sampled_from([Format.JSON, Format.FHIR]),
)
def test_no_plan_of_this_tool_has_a_part_not_read(
    start: str, target: str, form: str | None, split: bool, fmt: Format
) -> None:
    values: dict[str, Raw] = {"start": start, "target": target, "step": "0.5", "every": "7d"}
    if form == "liquid":
        values |= {"form": "liquid", "concentration": "0.5", "graduation": "0.05"}
    elif form == "capsule":
        values |= {"form": "capsule", "strengths": "0.25"}
    if split:
        values["split"] = "true"
    try:
        text = written(fmt, **values)
    except LdnTitrateError:
        assume(condition=False)  # a plan the planner refuses is not written
    received = read_plan(text, "plan.json")
    assert received.unread == ()


def fhir_request() -> dict[str, object]:
    return copy.deepcopy(
        json.loads((DATA / "fhir-bundle-medicines.json").read_text())["entry"][1]["resource"]
    )


@pytest.mark.parametrize("element", sorted(REQUEST_NO_MEANING))
def test_a_medication_request_element_of_no_meaning_stays_quiet(element: str) -> None:
    resource = fhir_request()
    resource[element] = {"text": "anything"}
    assert read_plan(json.dumps(resource), "mr.json").unread == ()


@pytest.mark.parametrize(
    ("where", "element", "named"),
    [
        ((), "doNotPerform", "FHIR MedicationRequest.doNotPerform"),
        ((), "reasonCode", "FHIR MedicationRequest.reasonCode"),
        ((), "extension", "FHIR MedicationRequest.extension"),
        (("dosageInstruction", 0), "site", "FHIR Dosage.site"),
        (
            ("dosageInstruction", 0),
            "maxDosePerAdministration",
            "FHIR Dosage.maxDosePerAdministration",
        ),
        (("dosageInstruction", 0, "timing"), "event", "FHIR Dosage.timing.event"),
        (
            ("dosageInstruction", 0, "timing", "repeat"),
            "offset",
            "FHIR Dosage.timing.repeat.offset",
        ),
        (
            ("dosageInstruction", 0, "doseAndRate", 0),
            "rateQuantity",
            "FHIR Dosage.doseAndRate.rateQuantity",
        ),
    ],
)
def test_an_element_with_a_meaning_not_read_is_reported_with_its_text(
    where: tuple[str | int, ...], element: str, named: str
) -> None:
    resource = fhir_request()
    node: object = resource
    for key in where:
        node = node[key]  # type: ignore[index]
    node[element] = {"text": "crush it"}  # type: ignore[index]
    unread = read_plan(json.dumps(resource), "mr.json").unread
    assert [(u.where, u.text) for u in unread] == [(named, "crush it")]


def test_a_route_other_than_the_mouth_is_reported() -> None:
    resource = fhir_request()
    resource["dosageInstruction"][0]["route"] = {"text": "Intramuscular"}  # type: ignore[index]
    unread = read_plan(json.dumps(resource), "mr.json").unread
    assert [(u.where, u.text) for u in unread] == [("FHIR Dosage.route", "Intramuscular")]


@pytest.mark.parametrize("kind", sorted(BUNDLE_NO_MEANING))
def test_a_bundle_resource_about_people_and_places_stays_quiet(kind: str) -> None:
    bundle = {
        "resourceType": "Bundle",
        "entry": [{"resource": {"resourceType": kind, "name": "x"}}, {"resource": fhir_request()}],
    }
    assert read_plan(json.dumps(bundle), "b.json").unread == ()


def test_any_other_bundle_resource_is_reported_with_its_text() -> None:
    bundle = {
        "resourceType": "Bundle",
        "entry": [
            {"resource": fhir_request()},
            {"resource": {"resourceType": "AllergyIntolerance", "code": {"text": "naloxone"}}},
            {"fullUrl": "urn:uuid:9"},
        ],
    }
    unread = read_plan(json.dumps(bundle), "b.json").unread
    assert [(u.where, u.text) for u in unread] == [
        ("FHIR Bundle entry AllergyIntolerance", "AllergyIntolerance; naloxone"),
        ("FHIR Bundle entry without a resource", "urn:uuid:9"),
    ]


@pytest.mark.parametrize(
    "reference", ["urn:uuid:m1", "Medication/m1", "m1"], ids=["fullUrl", "type-id", "id"]
)
def test_a_medication_reference_is_followed_to_a_bundle_entry(reference: str) -> None:
    medication = {
        "resourceType": "Medication",
        "id": "m1",
        "code": {"coding": [{"system": RXNORM, "code": "1819", "display": "buprenorphine"}]},
    }
    statement = {
        "resourceType": "MedicationStatement",
        "medicationReference": {"reference": reference},
    }
    bundle = {
        "resourceType": "Bundle",
        "entry": [
            {"resource": fhir_request()},
            {"resource": statement},
            {"fullUrl": "urn:uuid:m1", "resource": medication},
        ],
    }
    received = read_plan(json.dumps(bundle), "b.json")
    assert [(m.where, m.text, m.codes) for m in received.med_lists] == [
        ("FHIR Bundle entry 2 MedicationStatement", "buprenorphine", (f"{RXNORM}|1819",))
    ]
    assert received.unread == ()
    assert "opioid" in codes(json.dumps(bundle))


def test_the_medication_text_is_given_to_the_text_screens() -> None:
    received = read_plan(json.dumps(fhir_request()), "mr.json")
    assert (None, "medication", "low-dose naltrexone") in received.texts


def test_a_request_for_another_coded_medicine_is_the_wrong_medicine() -> None:
    resource = fhir_request()
    resource["medicationCodeableConcept"] = {
        "coding": [{"system": RXNORM, "code": "835603", "display": "tramadol 50 MG Oral Tablet"}]
    }
    found = check_file(json.dumps(resource), "mr.json", CheckOptions())
    assert [(f.code, f.message) for f in found if f.code == "wrong-medicine"] == [
        (
            "wrong-medicine",
            (
                'FHIR MedicationRequest.medicationCodeableConcept is coded RxNorm 835603 "tramadol '
                '50 MG Oral Tablet", not naltrexone (RxNorm 7243): the plan is for another medicine'
            ),
        )
    ]


@pytest.mark.parametrize("name", ["nalmefene", "methylnaltrexone", "nalbuphine"])
def test_another_opioid_antagonist_by_its_coding_is_the_wrong_medicine(name: str) -> None:
    resource = fhir_request()
    resource["medicationCodeableConcept"] = {
        "coding": [{"system": RXNORM, "code": "1", "display": name}]
    }
    assert "wrong-medicine" in codes(json.dumps(resource))


# --- JSON -------------------------------------------------------------------------------


def steps() -> list[dict[str, object]]:
    return [{"start_date": "2026-12-07", "dose_mg": "1.5"}]


@pytest.mark.parametrize("key", sorted(NO_MEANING))
def test_a_json_key_of_no_meaning_stays_quiet(key: str) -> None:
    received = read_plan(json.dumps({key: {"a": "b"}, "steps": steps()}), "p.json")
    assert received.unread == ()


@pytest.mark.parametrize("key", sorted(WRITER_KEYS - NO_MEANING))
def test_the_writers_own_keys_stay_quiet_only_in_a_plan_of_this_tool(key: str) -> None:
    data = json.loads(written(Format.JSON, start="1", target="1"))
    assert key in data
    assert read_plan(json.dumps(data), "p.json").unread == ()
    vendor = {key: "take with tramadol", "steps": steps()}
    unread = read_plan(json.dumps(vendor), "p.json").unread
    assert [(u.where, u.text) for u in unread] == [(f'JSON key "{key}"', "take with tramadol")]


@pytest.mark.parametrize("key", sorted(REQUEST_WRITER))
def test_the_request_keys_the_writer_records_stay_quiet(key: str) -> None:
    data = {"request": {key: "1"}, "steps": steps()}
    assert read_plan(json.dumps(data), "p.json").unread == ()


def test_an_unknown_json_key_at_any_level_is_reported_with_its_text() -> None:
    data = {
        "schedule_notes": "Mon/Wed/Fri only",
        "request": {"frequency": "BID"},
        "steps": [{"start_date": "2026-12-07", "dose_mg": "1.5", "taper": {"to": "0.5 mg"}}],
    }
    unread = read_plan(json.dumps(data), "p.json").unread
    assert [(u.where, u.text) for u in unread] == [
        ('JSON key "schedule_notes"', "Mon/Wed/Fri only"),
        ('JSON key "steps[].taper"', "0.5 mg"),
        ('JSON key "request.frequency"', "BID"),
    ]


@pytest.mark.parametrize("container", sorted(STEP_CONTAINERS))
def test_steps_under_another_key_at_any_depth_are_read(container: str) -> None:
    data = {"patient": "X", "prescription": {container: steps()}}
    if container == "plan":
        data = {"plan": {"phases": steps()}}
    received = read_plan(json.dumps({"data": data, **data}), "p.json")
    assert [r.dose for r in received.rows] == [1.5]


@pytest.mark.parametrize("key", sorted(MED_LIST_KEYS))
def test_a_medicine_list_key_at_any_level_is_a_medicine_list(key: str) -> None:
    data = {"schedule": {"steps": steps(), key: ["tramadol 50 mg", {"name": "sertraline"}]}}
    received = read_plan(json.dumps(data), "p.json")
    assert [(m.where, m.text, m.reviewed) for m in received.med_lists] == [
        (f'JSON key "schedule.{key}"', "tramadol 50 mg; sertraline", False)
    ]
    assert "opioid" in codes(json.dumps(data))


def test_a_reviewed_flag_beside_a_medicine_list_marks_it_reviewed() -> None:
    data = {"medications": "tramadol", "medications_reviewed": True, "steps": steps()}
    assert read_plan(json.dumps(data), "p.json").med_lists[0].reviewed is True
    assert "meds-reviewed" in codes(json.dumps(data))


def test_a_strength_named_in_the_notes_is_the_plans_formulation() -> None:
    data = {
        "notes": "naltrexone 5 mg/mL",
        "steps": [{"date": "2026-12-07", "dose": "1", "ml": "0.5"}],
    }
    assert "volume-mismatch" in codes(json.dumps(data))


# --- FHIR timing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timing", "per_day"),
    [
        ({"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}, Fraction(1)),
        ({"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}}, Fraction(2)),
        ({"repeat": {"frequency": 1, "period": 12, "periodUnit": "h"}}, Fraction(2)),
        ({"repeat": {"frequency": 1, "period": 1, "periodUnit": "wk"}}, Fraction(1, 7)),
        ({"repeat": {"frequency": 1, "period": 2, "periodUnit": "d"}}, Fraction(1, 2)),
        (
            {"repeat": {"frequency": 1, "period": 1, "periodMax": 2, "periodUnit": "d"}},
            Fraction(1, 2),
        ),
        (
            {"repeat": {"frequency": 1, "frequencyMax": 3, "period": 1, "periodUnit": "d"}},
            Fraction(3),
        ),
        ({"repeat": {"when": ["MORN", "HS"]}}, Fraction(2)),
        ({"repeat": {"timeOfDay": ["08:00:00", "20:00:00"]}}, Fraction(2)),
        (
            {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d", "dayOfWeek": ["mon"]}},
            Fraction(1, 7),
        ),
        ({"code": {"coding": [{"code": "BID"}]}}, Fraction(2)),
        ({"code": {"coding": [{"code": "TID"}]}}, Fraction(3)),
        ({"code": {"coding": [{"code": "QID"}]}}, Fraction(4)),
        ({"code": {"coding": [{"code": "Q12H"}]}}, Fraction(2)),
        ({"code": {"coding": [{"code": "QD"}]}}, Fraction(1)),
        ({"code": {"coding": [{"code": "QOD"}]}}, Fraction(1, 2)),
        ({"code": {"coding": [{"code": "WK"}]}}, Fraction(1, 7)),
        ({"code": {"text": "BID"}}, Fraction(2)),
        ({"repeat": {"boundsPeriod": {"start": "2026-12-07"}}}, None),
    ],
)
def test_the_doses_a_day_follow_from_the_timing(
    timing: dict[str, object], per_day: Fraction | None
) -> None:
    assert timing_of({"timing": timing}, "d", None, None).per_day == per_day


def test_bounds_duration_gives_the_steps_days() -> None:
    dosage = {"timing": {"repeat": {"boundsDuration": {"value": 2, "code": "wk"}}}}
    assert timing_of(dosage, "d", None, None).bound_days == 14


def test_a_count_that_differs_from_the_bounds_is_an_error() -> None:
    resource = fhir_request()
    resource["dosageInstruction"][0]["timing"]["repeat"]["count"] = 3  # type: ignore[index]
    assert "days-mismatch" in codes(json.dumps(resource))


def test_a_daily_dose_above_max_dose_per_period_is_an_error() -> None:
    resource = fhir_request()
    resource["dosageInstruction"][0]["maxDosePerPeriod"] = {  # type: ignore[index]
        "numerator": {"value": 0.25, "code": "mg"},
        "denominator": {"value": 1, "code": "d"},
    }
    assert "instructions-mismatch" in codes(json.dumps(resource))


def test_a_range_of_doses_is_not_one_dose() -> None:
    resource = fhir_request()
    resource["dosageInstruction"][0]["doseAndRate"] = [  # type: ignore[index]
        {"doseRange": {"low": {"value": 0.5, "code": "mg"}, "high": {"value": 1, "code": "mg"}}}
    ]
    found = check_file(json.dumps(resource), "mr.json", CheckOptions())
    assert [(f.code, f.message) for f in found if f.step == 1] == [
        ("dose-unreadable", "doseRange '0.5 to 1': a range of doses, not one dose")
    ]


# --- Bounds ---------------------------------------------------------------------------------


def test_a_request_of_55882_dosages_is_one_finding_in_well_under_a_second() -> None:
    # Processor time, not wall-clock time: a machine busy with other work must not fail it.
    resource = {
        "resourceType": "MedicationRequest",
        "dosageInstruction": [{"sequence": 1}] * 55_882,
    }
    data = json.dumps(resource, separators=(",", ":"))
    began = time.process_time()
    found = check_file(data, "mr.json", CheckOptions())
    elapsed = time.process_time() - began
    assert [(f.code, f.message) for f in found] == [
        (
            "unreadable",
            (
                "cannot be read: FHIR MedicationRequest: 55,882 dosage instructions, more than "
                "the 1,000 a plan can have"
            ),
        )
    ]
    assert elapsed < 0.5


def test_a_bundle_of_too_many_entries_is_one_finding() -> None:
    bundle = {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient"}}] * 201}
    assert codes(json.dumps(bundle)) == ["unreadable"]


@pytest.mark.parametrize("value", ["1e30", "0." + "1" * 5000, "1" * 5000, "-1e-99999"])
def test_an_outlandish_dose_quantity_is_a_finding_not_a_traceback(value: str) -> None:
    text = json.dumps(fhir_request()).replace('"value": 0.5', f'"value": {value}', 1)
    began = time.process_time()
    found = codes(text)
    assert time.process_time() - began < 0.5
    assert "dose-unreadable" in found


@pytest.mark.parametrize(
    ("text", "strengths"),
    [
        ("naltrexone 5 mg/mL oral suspension", [(Decimal(5), "mL")]),
        ("Naltrexone 1mg/1mL", [(Decimal(1), "mL")]),
        (
            "low-dose naltrexone (naltrexone 1.5 mg and 0.5 mg oral capsules)",
            [(Decimal("1.5"), "capsule"), (Decimal("0.5"), "capsule")],
        ),
        ("naltrexone hydrochloride 50 mg tablet", [(Decimal(50), "tablet")]),
        ("4.5 mg caps", [(Decimal("4.5"), "capsule")]),
        ("take 1.5 mg at bedtime", []),
        ("1" * 5000 + " mg/mL", []),
    ],
)
def test_the_strengths_a_text_names(text: str, strengths: list[tuple[Decimal, str]]) -> None:
    assert named_strengths(text) == strengths


def test_a_key_of_a_dose_of_the_day_not_read_is_reported() -> None:
    data = {
        "steps": [
            {
                "start_date": "2026-12-07",
                "dose_mg": "1",
                "administrations": [
                    {"time": "morning", "dose_mg": "0.5", "with": "tramadol"},
                    {"time": "bedtime", "dose_mg": "0.5"},
                ],
            }
        ]
    }
    unread = read_plan(json.dumps(data), "p.json").unread
    assert [(u.where, u.text) for u in unread] == [
        ('JSON key "steps[].administrations[].with"', "tramadol")
    ]


def test_a_dispensing_record_from_elsewhere_is_read_for_its_fills_only() -> None:
    data = {"dispense": {"fills": [], "frequency": "BID"}, "steps": steps()}
    unread = read_plan(json.dumps(data), "p.json").unread
    assert [(u.where, u.text) for u in unread] == [('JSON key "dispense.frequency"', "BID")]
