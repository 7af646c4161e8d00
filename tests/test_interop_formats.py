"""The FHIR and iCalendar writers: codes FHIR requires, dates that tile, calendars that expand."""

from __future__ import annotations

import itertools
import json
import os
import tomllib
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from typer.testing import CliRunner

from ldn_titrate.cli import app
from ldn_titrate.formats import (
    DEFAULT_OPTIONS,
    READERS,
    WRITERS,
    Format,
    WriteOptions,
    fhir_format,
    ics_format,
)
from ldn_titrate.model import Capsules, DoseTime, Liquid, Schedule
from ldn_titrate.request import Raw, build_request
from ldn_titrate.rules import build_schedule

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
# After a deliberate change of output: LDN_TITRATE_REGENERATE=1 python3 -m pytest
REGENERATE = os.environ.get("LDN_TITRATE_REGENERATE") == "1"

# The required value sets of the codes written, from the FHIR R4 specification.
# https://hl7.org/fhir/R4/valueset-medicationrequest-status.html
REQUEST_STATUS = {
    "active", "on-hold", "cancelled", "completed", "entered-in-error", "stopped", "draft",
    "unknown",
}  # fmt: skip
# https://hl7.org/fhir/R4/valueset-medicationrequest-intent.html
REQUEST_INTENT = {
    "proposal", "plan", "order", "original-order", "reflex-order", "filler-order",
    "instance-order", "option",
}  # fmt: skip
# https://hl7.org/fhir/R4/valueset-units-of-time.html
UNITS_OF_TIME = {"s", "min", "h", "d", "wk", "mo", "a"}
# https://hl7.org/fhir/R4/valueset-event-timing.html
EVENT_TIMING = {
    "MORN", "MORN.early", "MORN.late", "NOON", "AFT", "AFT.early", "AFT.late", "EVE",
    "EVE.early", "EVE.late", "NIGHT", "PHS", "HS", "WAKE", "C", "CM", "CD", "CV", "AC", "ACM",
    "ACD", "ACV", "PC", "PCM", "PCD", "PCV",
}  # fmt: skip
UCUM = "http://unitsofmeasure.org"


def plan(**changes: Raw) -> Schedule:
    values: dict[str, Raw] = {"from": "2026-12-07", **changes}
    return build_schedule(build_request(values, {}, date(2026, 12, 7)))


def example(path: Path) -> Schedule:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    values = {k.replace("-", "_"): v for k, v in raw.items()}
    return build_schedule(build_request(values, {}, date(2026, 12, 7)))


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    """Ladders and explicit steps, split or not, plain, liquid or in capsules of halves."""
    half = st.integers(1, 9).map(lambda n: str(Decimal(n) / 2))
    form = draw(st.sampled_from(["", "liquid", "capsule"]))
    values: dict[str, Raw] = {
        "from": draw(st.dates(date(2026, 1, 1), date(2027, 12, 31))).isoformat(),
    }
    time_of_day = draw(st.sampled_from(["bedtime", "morning"]))
    if draw(st.booleans()):
        doses = draw(st.lists(st.tuples(half, st.none() | half), min_size=1, max_size=5))
        parts = [d if m is None else f"{m} + {d}" for d, m in doses]
        lengths = draw(st.lists(st.sampled_from(["1d", "5d", "7d", "2w"]), min_size=len(parts)))
        values["steps"] = ", ".join(
            [*(f"{p} for {n}" for p, n in zip(parts[:-1], lengths, strict=False)), parts[-1]]
        )
    else:
        start, target = draw(half), draw(half)
        values |= {"start": start, "target": target, "step": "0.5", "every": "7d"}
        if draw(st.booleans()):
            values["split"] = "true"
    if "split" not in values and "+" not in str(values.get("steps", "")):
        values["time"] = time_of_day
    if draw(st.booleans()):
        values["maintenance_days"] = str(draw(st.integers(1, 60)))
    if form == "liquid":
        values |= {"form": "liquid", "concentration": "1", "graduation": "0.01"}
    elif form == "capsule":
        values |= {"form": "capsule", "strengths": "2,1,0.5", "max_units": "6"}
    try:
        return build_schedule(build_request(values, {}, date(2026, 1, 1)))
    except ValueError:
        from hypothesis import reject  # noqa: PLC0415

        reject()


# FHIR


def fhir_problems(data: dict[str, object], schedule: Schedule) -> list[str]:
    """What fhir.resources does not check: required codes, units, and bounds that tile."""
    found = []
    if data["status"] not in REQUEST_STATUS:
        found.append(f"status {data['status']}")
    if data["intent"] not in REQUEST_INTENT:
        found.append(f"intent {data['intent']}")
    dosages = data["dosageInstruction"]
    assert isinstance(dosages, list)
    for dosage in dosages:
        found.extend(dosage_problems(dosage))
    found.extend(bounds_problems(dosages, len(schedule.steps)))
    supply = data.get("dispenseRequest")
    if isinstance(supply, dict):
        duration = supply["expectedSupplyDuration"]
        if (duration["system"], duration["code"]) != (UCUM, "d"):
            found.append(f"supply duration {duration}")
        quantity = (supply["quantity"]["system"], supply["quantity"]["code"])
        if quantity not in {(UCUM, "mL"), (fhir_format.DRUG_FORM, "CAP")}:
            found.extend(pack_problems(data, schedule, quantity))
    return found


def pack_problems(
    data: dict[str, object], schedule: Schedule, quantity: tuple[str, str]
) -> list[str]:
    """One pack only for several strengths, holding each strength's own count, none summed."""
    form = schedule.request.formulation
    several = isinstance(form, Capsules) and len(form.strengths_mg) > 1
    if quantity != (fhir_format.DRUG_FORM, "KIT") or not several or schedule.dispense is None:
        return [f"quantity {quantity}"]
    assert isinstance(form, Capsules)
    contained = {m["id"]: m for m in data["contained"]}  # type: ignore[attr-defined]
    strengths = {
        f"#{key}": Decimal(str(m["ingredient"][0]["strength"]["numerator"]["value"]))
        for key, m in contained.items()
        if key != "ldn"
    }
    held = {
        strengths[part["itemReference"]["reference"]]: Decimal(
            str(part["strength"]["numerator"]["value"])
        )
        for part in contained["ldn"]["ingredient"]
    }
    wanted = dict.fromkeys(form.strengths_mg, Decimal(0))
    wanted |= {s: Decimal(n) for s, n in schedule.dispense.grand_total.capsules}
    return [] if held == wanted else [f"pack holds {held}, not {wanted}"]


def dosage_problems(dosage: dict[str, Any]) -> list[str]:
    """The codes and units of one Dosage."""
    found = []
    repeat = dosage["timing"]["repeat"]
    if repeat["periodUnit"] not in UNITS_OF_TIME:
        found.append(f"periodUnit {repeat['periodUnit']}")
    if not set(repeat["when"]) <= EVENT_TIMING:
        found.append(f"when {repeat['when']}")
    (rate,) = dosage["doseAndRate"]
    dose = rate["doseQuantity"]
    if dose["system"] != UCUM or dose["code"] not in {"mg", "mL"} or dose["unit"] != dose["code"]:
        found.append(f"dose unit {dose}")
    period = repeat["boundsPeriod"]
    if "end" in period and period["end"] < period["start"]:
        found.append(f"bounds end before start {period}")
    return found


def bounds_problems(dosages: list[dict[str, Any]], steps: int) -> list[str]:
    """Sequences 1..n, concurrent dosages alike, each period starting the day after the last."""
    found = []
    bounds: dict[int, dict[str, str]] = {}
    for dosage in dosages:
        period = dosage["timing"]["repeat"]["boundsPeriod"]
        if bounds.setdefault(dosage["sequence"], period) != period:
            found.append(f"sequence {dosage['sequence']}: concurrent dosages differ in bounds")
    if sorted(bounds) != list(range(1, steps + 1)):
        found.append(f"sequences {sorted(bounds)}")
    periods = [bounds[n] for n in sorted(bounds)]
    for before, after in itertools.pairwise(periods):
        if "end" not in before:
            found.append("an open period before the last")
        elif date.fromisoformat(before["end"]) + timedelta(days=1) != date.fromisoformat(
            after["start"]
        ):
            found.append(f"a gap or overlap between {before} and {after}")
    return found


def fhir_data(schedule: Schedule, options: WriteOptions = DEFAULT_OPTIONS) -> dict[str, object]:
    data = json.loads(WRITERS[Format.FHIR](schedule, options))
    assert isinstance(data, dict)
    return data


def dosage_view(schedule: Schedule) -> list[tuple[object, ...]]:
    """Each step's administrations as the dosages must give them."""
    liquid = isinstance(schedule.request.formulation, Liquid)
    when = {DoseTime.BEDTIME: ["HS"], DoseTime.MORNING: ["MORN"]}
    return [
        (
            step.number,
            step.instructions,
            when[a.time],
            (a.volume_ml, "mL") if liquid else (a.dose_mg, "mg"),
        )
        for step in schedule.steps
        for a in step.doses_of_day(schedule.request.time)
    ]


def written_view(data: dict[str, object]) -> list[tuple[object, ...]]:
    dosages = data["dosageInstruction"]
    assert isinstance(dosages, list)
    return [
        (
            d["sequence"],
            d["text"],
            d["timing"]["repeat"]["when"],
            (
                Decimal(str(d["doseAndRate"][0]["doseQuantity"]["value"])),
                d["doseAndRate"][0]["doseQuantity"]["code"],
            ),
        )
        for d in dosages
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_fhir_of_every_example_uses_required_codes_and_tiles_its_days(path: Path) -> None:
    schedule = example(path)
    data = fhir_data(schedule)
    assert fhir_problems(data, schedule) == []
    assert written_view(data) == dosage_view(schedule)
    assert (
        READERS[Format.FHIR](json.dumps(data), path.name)[0].first_day
        == schedule.steps[0].first_day
    )


@settings(max_examples=100)
@given(schedule=schedules())
def test_fhir_codes_units_and_bounds_hold_for_any_plan(schedule: Schedule) -> None:
    data = fhir_data(schedule)
    assert fhir_problems(data, schedule) == []
    assert written_view(data) == dosage_view(schedule)
    assert (data["status"], data["intent"]) == ("draft", "proposal")


@settings(max_examples=100)
@given(schedule=schedules())
def test_fhir_reads_back_the_steps_but_capsule_counts(schedule: Schedule) -> None:
    read = READERS[Format.FHIR](WRITERS[Format.FHIR](schedule), "plan.json")
    expected = [
        s._replace(
            capsules=None,
            administrations=tuple(a._replace(capsules=None) for a in s.administrations),
        )
        for s in schedule.steps
    ]
    assert list(read) == expected


def test_fhir_checker_finds_what_the_models_accept() -> None:
    schedule = plan(start="1", target="2", step="1", every="7d")
    data = fhir_data(schedule)
    data["status"] = "bogus"
    data["dosageInstruction"][0]["timing"]["repeat"]["periodUnit"] = "month"  # type: ignore[index]
    data["dosageInstruction"][0]["timing"]["repeat"]["boundsPeriod"]["end"] = "2026-12-01"  # type: ignore[index]
    assert fhir_problems(data, schedule) == [
        "status bogus",
        "periodUnit month",
        "bounds end before start {'start': '2026-12-07', 'end': '2026-12-01'}",
        (
            "a gap or overlap between {'start': '2026-12-07', 'end': '2026-12-01'} "
            "and {'start': '2026-12-14'}"
        ),
    ]


def test_fhir_golden_split_liquid_plan() -> None:
    schedule = plan(
        steps="0.5 mg + 1 mg for 2w, 1 mg + 1 mg",
        form="liquid",
        concentration="1",
        label="AB Rx 1234",
    )
    text = WRITERS[Format.FHIR](schedule)
    path = DATA / "fhir-split-liquid.json"
    if REGENERATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_fhir_medicine_names_the_form() -> None:
    capsules = plan(start="1", target="1", form="capsule", strengths="1.5,0.5")
    assert fhir_format.medicine_text(plan(start="1", target="1")) == "low-dose naltrexone"
    assert fhir_format.medicine_text(capsules) == (
        "low-dose naltrexone (naltrexone 1.5 mg and 0.5 mg oral capsules)"
    )
    assert isinstance(capsules.request.formulation, Capsules)


CAP: Final = {"system": "http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm", "code": "CAP"}
KIT: Final = {"system": "http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm", "code": "KIT"}


def _counted(count: int) -> dict[str, object]:
    return {"value": count, "unit": "capsules", **CAP}


def test_fhir_two_strengths_dispense_one_pack_holding_each_count() -> None:
    data = fhir_data(plan(start="2", target="2", form="capsule", strengths="1.5,0.5"))
    assert data["dispenseRequest"] == {
        "quantity": {"value": 1, "unit": "pack", **KIT},
        "expectedSupplyDuration": {"value": 30, "unit": "d", "system": UCUM, "code": "d"},
    }
    contained = data["contained"]
    assert isinstance(contained, list)
    assert [m["id"] for m in contained] == ["ldn-1.5mg", "ldn-0.5mg", "ldn"]
    assert [m["ingredient"][0]["strength"] for m in contained[:2]] == [
        {
            "numerator": {"value": strength, "unit": "mg", "system": UCUM, "code": "mg"},
            "denominator": {"value": 1, "unit": "capsule", **CAP},
        }
        for strength in (1.5, 0.5)
    ]
    pack = contained[2]
    assert pack["form"]["coding"][0]["code"] == "KIT"
    assert pack["ingredient"] == [
        {
            "itemReference": {"reference": f"#ldn-{strength}mg"},
            "strength": {
                "numerator": _counted(30),
                "denominator": {"value": 1, "unit": "pack", **KIT},
            },
        }
        for strength in ("1.5", "0.5")
    ]
    assert data["medicationReference"] == {
        "reference": "#ldn",
        "display": "low-dose naltrexone (naltrexone 1.5 mg and 0.5 mg oral capsules)",
    }
    assert data["note"] == [{"text": "Dispense capsules: 30 × 1.5 mg + 30 × 0.5 mg."}]


def test_fhir_one_capsule_strength_is_one_product_and_a_count() -> None:
    data = fhir_data(plan(start="1.5", target="1.5", form="capsule", strengths="1.5"))
    assert data["dispenseRequest"]["quantity"] == _counted(30)  # type: ignore[index]
    contained = data["contained"]
    assert isinstance(contained, list)
    (medication,) = contained
    assert medication["id"] == "ldn"
    assert medication["ingredient"][0]["strength"] == {
        "numerator": {"value": 1.5, "unit": "mg", "system": UCUM, "code": "mg"},
        "denominator": {"value": 1, "unit": "capsule", **CAP},
    }


def test_fhir_liquid_states_mg_per_ml_in_structure() -> None:
    data = fhir_data(plan(start="1", target="1", form="liquid", concentration="1"))
    contained = data["contained"]
    assert isinstance(contained, list)
    (medication,) = contained
    assert medication["form"] == {"text": "oral liquid"}
    assert medication["ingredient"] == [
        {
            "itemCodeableConcept": {
                "coding": [
                    {
                        "system": fhir_format.RXNORM,
                        "code": "7243",
                        "display": "naltrexone",
                    }
                ],
                "text": "naltrexone",
            },
            "isActive": True,
            "strength": {
                "numerator": {"value": 1, "unit": "mg", "system": UCUM, "code": "mg"},
                "denominator": {"value": 1, "unit": "mL", "system": UCUM, "code": "mL"},
            },
        }
    ]
    assert data["medicationReference"]["reference"] == "#ldn"  # type: ignore[index]
    assert "medicationCodeableConcept" not in data


def test_fhir_without_a_form_names_the_medicine_by_code() -> None:
    data = fhir_data(plan(start="1", target="1"))
    assert "contained" not in data
    assert data["medicationCodeableConcept"]["text"] == "low-dose naltrexone"  # type: ignore[index]


def test_fhir_patient_and_prescriber_ids_are_references() -> None:
    options = WriteOptions(patient_id="p-1.2", prescriber_id="77")
    data = fhir_data(plan(start="1", target="1", label="AB"), options)
    assert data["subject"] == {"reference": "Patient/p-1.2", "display": "AB"}
    assert data["requester"] == {"reference": "Practitioner/77"}
    role = fhir_data(plan(start="1", target="1"), WriteOptions(prescriber_id="PractitionerRole/9"))
    assert role["requester"] == {"reference": "PractitionerRole/9"}
    plain = fhir_data(plan(start="1", target="1"))
    assert plain["subject"] == {"display": "patient"}
    assert "requester" not in plain


@pytest.mark.parametrize("intent", ["plan", "order", "proposal"])
def test_fhir_intent_is_passed_through(intent: str) -> None:
    assert fhir_data(plan(start="1", target="1"), WriteOptions(intent=intent))["intent"] == intent


# iCalendar


def expand(text: str, horizon: date) -> dict[date, list[tuple[str, str]]]:
    """Each day up to ``horizon`` and the (summary, description) of every event on it."""
    calendar = Calendar.from_ical(text)
    days: dict[date, list[tuple[str, str]]] = {}
    for event in calendar.walk("VEVENT"):
        start = event.decoded("dtstart")
        assert type(start) is date
        assert event.decoded("dtend") == start + timedelta(days=1)
        written = event["rrule"].to_ical()
        rule = written.decode() if isinstance(written, bytes) else str(written)
        first = datetime.combine(start, time(0))
        for when in rrulestr(rule, dtstart=first).between(
            first, datetime.combine(horizon, time(0)), inc=True
        ):
            days.setdefault(when.date(), []).append(
                (str(event["summary"]), str(event["description"]))
            )
    return days


def expected_days(schedule: Schedule, horizon: date) -> dict[date, list[tuple[str, str]]]:
    liquid = schedule.request.formulation
    days: dict[date, list[tuple[str, str]]] = {}
    for step in schedule.steps:
        last = step.last_day or horizon
        day = step.first_day
        while day <= min(last, horizon):
            days[day] = [
                (
                    ics_format.summary(a, liquid if isinstance(liquid, Liquid) else None),
                    step.instructions + ("" if step.note is None else f"\n{step.note}"),
                )
                for a in step.doses_of_day(schedule.request.time)
            ]
            day += timedelta(days=1)
    return days


def horizon_of(schedule: Schedule) -> date:
    return schedule.steps[-1].first_day + timedelta(days=40)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_ics_of_every_example_gives_each_day_its_doses(path: Path) -> None:
    schedule = example(path)
    text = WRITERS[Format.ICS](schedule)
    horizon = horizon_of(schedule)
    assert expand(text, horizon) == expected_days(schedule, horizon)


@settings(max_examples=100)
@given(schedule=schedules())
def test_ics_every_day_of_any_plan_has_one_event_per_dose(schedule: Schedule) -> None:
    text = WRITERS[Format.ICS](schedule)
    horizon = horizon_of(schedule)
    assert expand(text, horizon) == expected_days(schedule, horizon)
    assert ics_format.until_problems(text.encode()) == []
    assert READERS[Format.ICS](text, "plan.ics") == schedule.steps


def test_ics_is_the_same_bytes_twice_with_distinct_uids() -> None:
    schedule = plan(start="0.5", target="1.5", step="0.5", every="7d", split="true")
    first, second = (
        WRITERS[Format.ICS](schedule),
        WRITERS[Format.ICS](plan(start="0.5", target="1.5", step="0.5", every="7d", split="true")),
    )
    assert first == second
    uids = [line for line in first.splitlines() if line.startswith("UID:")]
    assert len(uids) == len(set(uids)) == 6
    assert [line for line in first.splitlines() if line.startswith("DTSTAMP")] == [
        "DTSTAMP:20261207T000000Z"
    ] * 6


def test_ics_uids_change_with_the_plan() -> None:
    one = WRITERS[Format.ICS](plan(start="1", target="1"))
    other = WRITERS[Format.ICS](plan(start="1", target="1", label="AB"))
    assert [x for x in one.splitlines() if x.startswith("UID")] != [
        x for x in other.splitlines() if x.startswith("UID")
    ]


def test_ics_maintenance_days_bound_the_last_step() -> None:
    text = WRITERS[Format.ICS](plan(start="1", target="1", maintenance_days="28"))
    assert "RRULE:FREQ=DAILY;UNTIL=20270103\r\n" in text
    ongoing = WRITERS[Format.ICS](plan(start="1", target="1"))
    assert "RRULE:FREQ=DAILY\r\n" in ongoing


def test_ics_reminder_each_day_at_the_time_given() -> None:
    text = WRITERS[Format.ICS](plan(start="1", target="1"), WriteOptions(remind=(time(21, 30),)))
    assert (
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:naltrexone 1 mg at bedtime\r\n"
        "TRIGGER:PT21H30M\r\nEND:VALARM\r\n"
    ) in text


def test_ics_until_of_another_value_type_is_found() -> None:
    assert ics_format.until_problems(b"RRULE:FREQ=DAILY;UNTIL=20250112T235900Z\r\n") == [
        "UNTIL=20250112T235900Z is not a DATE"
    ]
    assert ics_format.until_problems(b"RRULE:FREQ=DAILY;UNTIL=20250112\r\n") == []


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({}, "naltrexone 1.5 mg at bedtime"),
        (
            {"form": "liquid", "concentration": "1"},
            "naltrexone 1.5 mg (1.5 mL of 1 mg/mL) at bedtime",
        ),
        (
            {"form": "capsule", "strengths": "1,0.5"},
            "naltrexone 1.5 mg (1 capsule of 1 mg and 1 capsule of 0.5 mg) at bedtime",
        ),
    ],
)
def test_ics_summary_names_the_dose_and_how_it_is_measured(
    form: dict[str, Raw], expected: str
) -> None:
    text = WRITERS[Format.ICS](plan(start="1.5", target="1.5", **form))
    assert f"SUMMARY:{expected}\r\n" in text.replace("\r\n ", "")  # lines unfolded


@pytest.mark.parametrize("text", ["21:00", "9:05", "00:00", "23:59", " 07:30 "])
def test_reminder_times(text: str) -> None:
    hour, minute = text.strip().split(":")
    assert ics_format.parse_reminder(text) == time(int(hour), int(minute))


# The command line


def invoke(runner: CliRunner, *args: str) -> tuple[str, str, int]:
    result = runner.invoke(
        app, ["plan", "--start", "1", "--target", "1", "--from", "2026-12-07", *args]
    )
    return result.stdout, result.stderr, result.exit_code


ONE_STEP = (
    "warning: --target: the start equals the target: a single maintenance step, no titration\n"
)


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (("--intent", "plan"), "error: --intent: applies to --format fhir only, got 'plan'\n"),
        (
            ("--format", "csv", "--remind", "21:00"),
            "error: --remind: applies to --format ics only, got '21:00'\n",
        ),
        (
            ("--format", "fhir", "--intent", "orders"),
            "error: --intent: must be proposal, plan or order, got 'orders'\n",
        ),
        (
            ("--format", "csv", "--patient-id", "p1"),
            "error: --patient-id: applies to --format fhir only, got 'p1'\n",
        ),
        (
            ("--prescriber-id", "77"),
            "error: --prescriber-id: applies to --format fhir only, got '77'\n",
        ),
        (
            ("--format", "fhir", "--patient-id", "p 1"),
            (
                "error: --patient-id: must be a FHIR id: 1 to 64 letters, digits, '-' or '.', "
                "got 'p 1'\n"
            ),
        ),
        (
            ("--format", "fhir", "--patient-id", ""),
            "error: --patient-id: must be a FHIR id: 1 to 64 letters, digits, '-' or '.', got ''\n",
        ),
        (
            ("--format", "fhir", "--prescriber-id", "Device/1_2"),
            (
                "error: --prescriber-id: must be a FHIR id: 1 to 64 letters, digits, '-' or '.', "
                "got '1_2'\n"
            ),
        ),
        (
            ("--format", "fhir", "--prescriber-id", "Nurse/12"),
            (
                "error: --prescriber-id: must be a FHIR id, or TYPE/id with TYPE Practitioner, "
                "PractitionerRole, Organization, Patient, RelatedPerson, Device, got 'Nurse/12'\n"
            ),
        ),
        (
            ("--format", "ics", "--remind", "9pm"),
            "error: --remind: must be a time of day HH:MM, such as 21:00, got '9pm'\n",
        ),
        (
            ("--format", "ics", "--remind", "24:00"),
            "error: --remind: must be a time of day HH:MM, such as 21:00, got '24:00'\n",
        ),
    ],
)
def test_format_options_are_refused_in_one_line(
    runner: CliRunner, args: tuple[str, ...], stderr: str
) -> None:
    assert invoke(runner, *args) == ("", stderr, 2)


def test_cli_fhir_patient_and_prescriber_ids(runner: CliRunner) -> None:
    stdout, stderr, code = invoke(
        runner, "--format", "fhir", "--patient-id", "p-1", "--prescriber-id", "PractitionerRole/9"
    )
    data = json.loads(stdout)
    assert (data["subject"], data["requester"], stderr, code) == (
        {"reference": "Patient/p-1", "display": "patient"},
        {"reference": "PractitionerRole/9"},
        ONE_STEP,
        0,
    )


def test_request_file_ids_are_the_fhir_references_below_the_options(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "r.toml"
    path.write_text('patient_id = 1234\nprescriber_id = "PractitionerRole/r-9"\n', "utf-8")
    stdout, stderr, code = invoke(runner, str(path), "--format", "fhir")
    data = json.loads(stdout)
    assert (data["subject"]["reference"], data["requester"], stderr, code) == (
        "Patient/1234",
        {"reference": "PractitionerRole/r-9"},
        ONE_STEP,
        0,
    )
    stdout, _, _ = invoke(runner, str(path), "--format", "fhir", "--patient-id", "99")
    assert json.loads(stdout)["subject"]["reference"] == "Patient/99"
    # A request file is the patient's for every format: csv leaves its ids unused.
    assert invoke(runner, str(path), "--format", "csv")[1:] == (ONE_STEP, 0)
    path.write_text('patient_id = "a b"\n', "utf-8")
    assert invoke(runner, str(path), "--format", "fhir") == (
        "",
        (
            f"error: {path}: patient_id: must be a FHIR id: 1 to 64 letters, digits, '-' or '.', "
            "got 'a b'\n"
        ),
        2,
    )


def test_cli_fhir_intent_and_ics_reminder(runner: CliRunner) -> None:
    stdout, stderr, code = invoke(runner, "--format", "fhir", "--intent", "Order")
    assert (json.loads(stdout)["intent"], stderr, code) == ("order", ONE_STEP, 0)
    stdout, stderr, code = invoke(runner, "--format", "ics", "--remind", "08:15")
    morning = "warning: --remind: 08:15 is a morning time for the dose taken at bedtime\n"
    assert ("TRIGGER:PT8H15M\n" in stdout, stderr, code) == (True, ONE_STEP + morning, 0)
