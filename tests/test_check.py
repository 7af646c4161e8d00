"""The check of received plans: exact findings for each plan in tests/data/check, and its parts."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from ldn_titrate.check import (
    CheckOptions,
    Finding,
    Severity,
    check_plan,
    fewest_capsules,
    options_from_text,
    report_data,
    tally,
)
from ldn_titrate.check import check_file as check_data
from ldn_titrate.errors import InputError, InputErrors, PlanFormatError, as_flag
from ldn_titrate.received import DoseUnit, Form, header_field, read_plan

DATA = Path(__file__).parent / "data" / "check"
EXPECTED: dict[str, dict[str, object]] = json.loads(
    (DATA / "expected.json").read_text(encoding="utf-8")
)
PLAIN_CSV = (
    "step,start_date,end_date,days,dose_mg,instructions,label\r\n"
    "1,2026-12-07,2026-12-13,7,0.5,Take 0.5 mg naltrexone by mouth once daily at bedtime.,\r\n"
    "2,2026-12-14,2026-12-20,7,1,Take 1 mg naltrexone by mouth once daily at bedtime.,\r\n"
    "3,2026-12-21,,,1.5,Take 1.5 mg naltrexone by mouth once daily at bedtime.,\r\n"
)


def spelled(errors: InputErrors) -> list[str]:
    """The refusals as the command line shows them: each key spelled as its option."""
    return [str(InputError(as_flag(e.field), e.value, e.allowed)) for e in errors.errors]


def findings_of(text: str | bytes, options: CheckOptions | None = None) -> list[Finding]:
    return check_data(text, "plan.csv", options or CheckOptions())


def codes(findings: list[Finding]) -> list[tuple[str, str, int | None, int | None]]:
    return [(f.severity.value, f.code, f.line, f.step) for f in findings]


def test_every_data_file_has_its_expected_findings() -> None:
    files = {p.name for p in DATA.iterdir()} - {"expected.json", "README.md"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_data_file_gives_exactly_its_findings(name: str) -> None:
    entry = EXPECTED[name]
    options = options_from_text(**entry.get("options", {}))  # type: ignore[arg-type]
    found = check_data((DATA / name).read_bytes(), name, options)
    assert [[f.severity.value, f.code, f.line, f.step] for f in found] == entry["findings"]
    assert all(f.file == name for f in found)


# Messages in plain words


def test_a_dose_above_the_maximum_names_the_dose_and_the_maximum() -> None:
    found = findings_of((DATA / "above-max.csv").read_bytes())
    assert found[0].message == "5 mg is above the 4.5 mg maximum of low-dose naltrexone"


def test_micrograms_in_a_milligram_column_say_what_they_would_be() -> None:
    found = findings_of((DATA / "mcg-in-mg.csv").read_bytes())
    assert found[0].message == (
        "500 in dose_mg looks like micrograms (500 mcg = 0.5 mg); as mg it is not a low dose"
    )


def test_a_gap_counts_the_days_with_no_dose() -> None:
    found = findings_of((DATA / "gap.csv").read_bytes())
    assert found[0].message == (
        "starts 2026-12-23, but step 2 ends 2026-12-20: 2 days with no dose"
    )


def test_an_overlap_counts_the_days_with_two_doses() -> None:
    found = findings_of((DATA / "overlap.csv").read_bytes())
    assert found[0].message == (
        "starts 2026-12-18, while step 2 runs 2026-12-14 to 2026-12-20: 3 days with two doses"
    )


def test_a_volume_that_disagrees_with_the_dose_says_what_it_holds() -> None:
    found = findings_of((DATA / "liquid-mismatch.csv").read_bytes())
    assert [f.message for f in found[:3]] == [
        "1.5 mL of 1 mg/mL holds 1.5 mg, not the 1 mg dose (1 mL)",
        "the instructions say 1 mL, but the volume is 1.5 mL",
        (
            "the quantity says 7 mL, but 7 days of 1.5 mL is 10.5 mL: the patient runs out after "
            "4 days"
        ),
    ]


def test_the_summary_gives_steps_days_target_and_total() -> None:
    found = findings_of((DATA / "good-liquid.csv").read_bytes())
    assert found[-1].message == (
        "4 steps, 2026-12-07 to 2026-12-27, then ongoing from 2026-12-28; "
        "0.5 mg to a target of 2 mg; 21 mL of 1 mg/mL liquid for the 21 dated days, "
        "then 2 mL a day ongoing"
    )


def test_an_unreadable_file_is_one_error_with_the_reason() -> None:
    found = findings_of((DATA / "no-dose-column.csv").read_bytes())
    assert found == [
        Finding(
            Severity.ERROR,
            "unreadable",
            "plan.csv",
            1,
            None,
            "cannot be read: no dose column: the header should name one of dose_mg, dose, "
            "dose (mg), mg, dose_mcg or mcg",
        )
    ]


# Medicines


@pytest.mark.parametrize(
    ("meds", "expected"),
    [
        ("oxycontin 20 mg", ["opioid"]),
        ("SUBOXONE", ["opioid"]),
        ("Ultram, Percocet; Vicodin and Lomotil", ["opioid"] * 4),
        ("Vivitrol injection monthly", ["duplicate-naltrexone"]),
        ("contrave", ["duplicate-naltrexone"]),
        ("naltrexone 50 mg for alcohol", ["duplicate-naltrexone"]),
        ("tramadol and Ultram", ["opioid"]),
        ("levothyroxine, vitamin D, naltrexone 4.5 mg", []),
        ("kratom tea", ["opioid"]),
        ("Tylenol #3", ["opioid"]),
        ("", []),
    ],
)
def test_meds_flag_each_opioid_and_second_naltrexone_once(meds: str, expected: list[str]) -> None:
    found = findings_of(PLAIN_CSV, CheckOptions(meds=meds))
    assert [f.code for f in found if f.severity is Severity.ERROR] == expected


def test_an_opioid_message_gives_the_generic_name_and_the_washout() -> None:
    found = findings_of(PLAIN_CSV, CheckOptions(meds="Percocet"))
    assert found[0].message == (
        "--meds: Percocet (oxycodone) is an opioid; naltrexone is contraindicated with opioids "
        "and can bring on withdrawal: the patient must be opioid-free for at least 7–10 days "
        "before the first dose"
    )


def test_methadone_and_buprenorphine_need_the_longer_washout() -> None:
    found = findings_of(PLAIN_CSV, CheckOptions(meds="Subutex"))
    assert found[0].message.endswith(
        "after methadone or buprenorphine the patient must be opioid-free for 10–14 days "
        "before the first dose"
    )


def test_meds_are_checked_even_when_the_file_cannot_be_read() -> None:
    found = findings_of(b"", CheckOptions(meds="fentanyl patch"))
    assert [f.code for f in found] == ["opioid", "unreadable"]


# Wording


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Take .5 mg", "ismp-leading-zero"),
        ("Take 3.0 mg", "ismp-trailing-zero"),
        ("Take 500 µg", "ismp-microgram-sign"),
        ("Take 500 ug", "ismp-microgram-sign"),
        ("Take 1 cc", "ismp-cc"),
        ("Take 1 mg HS", "ismp-bedtime-abbreviation"),
        ("Take 1 mg qhs", "ismp-bedtime-abbreviation"),
        ("Take 1 mg QD", "ismp-daily-abbreviation"),
        ("Take 1mg", "ismp-unit-spacing"),
        ("Take 1 mg naloxone", "name-confusion"),
    ],
)
def test_error_prone_wording_is_a_warning(text: str, code: str) -> None:
    dose = {"ismp-leading-zero": "0.5", "ismp-trailing-zero": "3"}.get(code, "1")
    found = findings_of(f"date,dose,instructions\n2026-12-07,{dose},{text}\n")
    assert [(f.severity, f.code, f.line) for f in found[:-1]] == [(Severity.WARNING, code, 2)]


def test_clean_wording_gives_no_warning() -> None:
    found = findings_of(
        "date,dose,instructions,label\n"
        "2026-12-07,1,Take 1 mg naltrexone by mouth once daily at bedtime.,Aug 2026 JD\n"
    )
    assert codes(found) == [("info", "summary", None, None)]


def test_the_same_wording_problem_in_every_row_is_reported_once() -> None:
    text = "date,dose,label\n2026-12-07,0.5,JD qhs\n2026-12-14,1,JD qhs\n"
    found = findings_of(text)
    assert codes(found) == [
        ("warning", "ismp-bedtime-abbreviation", 2, 1),
        ("info", "summary", None, None),
    ]


# Reading what pharmacists receive


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("dose_mg", "dose_mg"),
        ("Dose (mg)", "dose_mg"),
        ("  MG ", "dose_mg"),
        ("dose", "dose_mg"),
        ("mcg", "dose_mcg"),
        ("dose_mcg", "dose_mcg"),
        ("Dose (mcg)", "dose_mcg"),
        ("date", "first_day"),
        ("Start", "first_day"),
        ("start_date", "first_day"),
        ("END", "last_day"),
        ("volume", "volume"),
        ("mL", "volume"),
        ("volume_ml", "volume"),
        ("Directions", "instructions"),
        ("colour", None),
    ],
)
def test_headers_are_matched_leniently(header: str, field: str | None) -> None:
    assert header_field(header) == field


def test_a_mcg_column_is_read_in_micrograms() -> None:
    plan = read_plan((DATA / "hand-mcg.csv").read_bytes(), "hand-mcg.csv")
    assert [(r.dose, r.dose_unit) for r in plan.rows] == [
        (Decimal(500), DoseUnit.MCG),
        (Decimal(1000), DoseUnit.MCG),
        (Decimal(1500), DoseUnit.MCG),
    ]


def test_a_liquid_csv_records_its_concentration_from_the_instructions() -> None:
    plan = read_plan((DATA / "good-liquid.csv").read_bytes(), "good-liquid.csv")
    assert plan.formulation is not None
    assert plan.formulation.form is Form.LIQUID
    assert plan.formulation.concentration_mg_per_ml == Decimal(1)


def test_a_formula_guard_is_undone_when_reading() -> None:
    text = PLAIN_CSV.replace("at bedtime.,\r\n", "at bedtime.,'=JD\r\n")
    plan = read_plan(text, "plan.csv")
    assert plan.label == "=JD"


def test_csv_and_json_are_told_apart_by_content() -> None:
    json_text = (DATA / "good-capsule.json").read_bytes()
    assert codes(check_data(json_text, "plan.csv", CheckOptions())) == [
        ("info", "summary", None, None)
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (
            b"\xff\xfe\x00",
            (
                "the file says it is UTF-16 text but is damaged: "
                "ask for the plan as CSV UTF-8 or .xlsx"
            ),
        ),
        (b"date,dose\x00\n", "not a text file (it holds NUL bytes)"),
        (b'{"steps": 3}', "expected an object with a list of steps"),
        (
            b"hello\n",
            (
                "no dose column: the header should name one of dose_mg, dose, dose (mg), mg, "
                "dose_mcg or mcg"
            ),
        ),
    ],
)
def test_a_file_that_cannot_be_read_raises_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(PlanFormatError) as caught:
        read_plan(data, "x")
    assert caught.value.reason == reason


# Options


def test_options_default_to_the_published_limits() -> None:
    options = options_from_text()
    assert options.max_step_mg == Decimal("1.5")
    assert options.min_interval_days == 3
    assert options.formulation is None


def test_options_parse_a_formulation() -> None:
    options = options_from_text(form="Liquid", concentration="5mg/mL", graduation="0.1 mL")
    assert options.formulation is not None
    assert options.formulation.concentration_mg_per_ml == Decimal(5)
    assert options.formulation.graduation_ml == Decimal("0.1")
    capsules = options_from_text(form="capsule", strengths="1.5, 0.5")
    assert capsules.formulation is not None
    assert capsules.formulation.strengths_mg == (Decimal("1.5"), Decimal("0.5"))


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"form": "tablet"}, "--form: must be liquid or capsule, got 'tablet'"),
        ({"form": "liquid"}, "--concentration: is required with --form liquid"),
        ({"concentration": "1"}, "--concentration: applies to --form liquid only, got '1'"),
        ({"strengths": "1.5"}, "--strengths: applies to --form capsule only, got '1.5'"),
        (
            {"form": "capsule", "strengths": "1.5,,0.5"},
            "--strengths: list strengths separated by commas, such as 1.5,0.5, got '1.5,,0.5'",
        ),
        ({"bud": "0"}, "--bud: must be a whole number of days from 1 to 365, got '0'"),
        ({"max_step": "0"}, "--max-step: must be more than 0 mg, got '0'"),
        (
            {"min_interval": "soon"},
            "--min-interval: must be a whole number of days from 1 to 182, got 'soon'",
        ),
    ],
)
def test_bad_options_name_the_option(given: dict[str, str], message: str) -> None:
    with pytest.raises(InputErrors) as caught:
        options_from_text(**given)
    assert spelled(caught.value) == [message]


def test_a_concentration_given_against_the_recorded_one_is_an_error() -> None:
    options = options_from_text(form="liquid", concentration="5")
    found = check_data((DATA / "good-liquid.csv").read_bytes(), "good-liquid.csv", options)
    assert found[0].code == "concentration-conflict"
    assert found[0].message == (
        "the plan is written for 1 mg/mL, but --concentration 5 mg/mL was given"
    )
    assert {f.code for f in found if f.step is not None} == {"volume-mismatch"}


def test_a_plain_plan_checked_as_liquid_needs_measurable_volumes() -> None:
    options = options_from_text(form="liquid", concentration="2", graduation="0.1")
    found = findings_of(PLAIN_CSV, options)
    assert codes(found) == [
        ("error", "volume-off-graduation", 2, 1),
        ("error", "volume-off-graduation", 4, 3),
        ("info", "summary", None, None),
    ]
    assert found[0].message == (
        "0.5 mg at 2 mg/mL needs 0.25 mL, which is not on a syringe marked every 0.1 mL"
    )


def test_a_plain_plan_checked_as_capsules_needs_makeable_doses() -> None:
    options = options_from_text(form="capsule", strengths="1")
    found = findings_of(PLAIN_CSV, options)
    assert codes(found) == [
        ("error", "capsule-unmakeable", 2, 1),
        ("error", "capsule-unmakeable", 4, 3),
        ("info", "summary", None, None),
    ]


def test_max_step_and_min_interval_are_options() -> None:
    strict = CheckOptions(max_step_mg=Decimal("0.25"), min_interval_days=8)
    assert codes(findings_of(PLAIN_CSV, strict)) == [
        ("warning", "fast-interval", 2, 1),
        ("warning", "large-step", 3, 2),
        ("warning", "large-step", 4, 3),
        ("info", "summary", None, None),
    ]


# Parts


@pytest.mark.parametrize(
    ("dose", "strengths", "expected"),
    [
        ("3.5", ("1.5", "0.5"), ((Decimal("1.5"), 2), (Decimal("0.5"), 1))),
        ("4.5", ("4.5", "1.5"), ((Decimal("4.5"), 1),)),
        ("2", ("1.5",), None),
        ("0.25", ("0.5",), None),
        ("1.2345", ("0.5",), None),
    ],
)
def test_fewest_capsules(
    dose: str, strengths: tuple[str, ...], expected: tuple[tuple[Decimal, int], ...] | None
) -> None:
    assert fewest_capsules(Decimal(dose), tuple(Decimal(s) for s in strengths)) == expected


def test_a_finding_has_exactly_the_documented_keys() -> None:
    finding = Finding(Severity.WARNING, "gap", "a.csv", 3, 2, "text")
    assert finding.to_data() == {
        "severity": "warning",
        "code": "gap",
        "file": "a.csv",
        "line": 3,
        "step": 2,
        "message": "text",
    }


def test_report_data_counts_the_findings() -> None:
    found = findings_of((DATA / "pace.csv").read_bytes())
    assert tally(found).result == "warning"
    assert report_data("pace.csv", found)["summary"] == {
        "result": "warning",
        "errors": 0,
        "warnings": 3,
        "info": 1,
    }


def test_check_plan_is_pure_and_repeatable() -> None:
    plan = read_plan(PLAIN_CSV, "plan.csv")
    assert check_plan(plan, CheckOptions()) == check_plan(plan, CheckOptions())


def test_a_step_without_a_first_day_is_not_taken_for_a_gap() -> None:
    found = findings_of("date,days,dose\n2026-12-07,7,0.5\n,7,1\n2026-12-21,,1.5\n")
    assert codes(found) == [("error", "date-missing", 3, 2), ("info", "summary", None, None)]


def test_a_daily_dose_may_be_written_with_its_unit() -> None:
    plan = read_plan("date,dose\n2026-12-07,0.5 mg/day\n2026-12-14,1000 mcg\n", "x")
    assert [(r.dose, r.dose_unit) for r in plan.rows] == [
        (Decimal("0.5"), DoseUnit.MG),
        (Decimal(1000), DoseUnit.MCG),
    ]
    assert codes(check_plan(plan, CheckOptions())) == [("info", "summary", None, None)]


def test_a_retry_after_an_explained_back_down_needs_no_note() -> None:
    text = (
        "date,dose,note\n2026-12-07,1,\n2026-12-14,2,\n2026-12-21,1,vivid dreams\n2026-12-28,2,\n"
    )
    assert codes(findings_of(text)) == [("info", "summary", None, None)]
    unexplained = text.replace("vivid dreams", "")
    assert codes(findings_of(unexplained)) == [
        ("warning", "direction-change", 4, 3),
        ("warning", "direction-change", 5, 4),
        ("info", "summary", None, None),
    ]


# Rows out of order and repeated findings


def _messages(name: str) -> list[str]:
    return [f.message for f in findings_of((DATA / name).read_bytes(), CheckOptions())]


def test_rows_out_of_order_are_one_error_then_checked_in_date_order() -> None:
    assert _messages("out-of-order-run.csv") == [
        (
            "starts 2026-12-14, before the step above it (2026-12-21): the steps are not in date "
            "order, so they are checked in date order"
        ),
        (
            "5 steps, 2026-12-07 to 2027-01-03, then ongoing from 2027-01-04; 0.5 mg to a target "
            "of 2.5 mg"
        ),
    ]


def test_a_row_without_a_first_day_stays_below_the_dated_row_above_it() -> None:
    text = b"date,dose\n2026-12-14,1\n,1.5\n2026-12-07,0.5\n"
    found = findings_of(text, CheckOptions())
    assert codes(found)[:2] == [
        ("error", "date-missing", 3, 2),
        ("error", "out-of-order", 4, 3),
    ]
    assert found[-1].message.endswith("0.5 mg to a target of 1.5 mg")


def test_doses_held_too_briefly_one_after_another_are_one_warning() -> None:
    assert _messages("fast-run.csv")[0] == (
        "steps 1–6: each dose is held for 1 day before the dose changes, less than the 3-day "
        "minimum interval"
    )


def test_a_run_of_brief_doses_of_different_lengths_gives_the_range() -> None:
    text = b"date,dose\n2026-12-07,1\n2026-12-08,2\n2026-12-10,3\n2026-12-20,4\n"
    (fast,) = [f for f in findings_of(text, CheckOptions()) if f.code == "fast-interval"]
    assert fast.message == (
        "steps 1–2: each dose is held for 1 to 2 days before the dose changes, less than the "
        "3-day minimum interval"
    )


def test_runs_of_brief_doses_parted_by_a_held_dose_are_warned_apart() -> None:
    text = b"date,dose\n2026-12-07,1\n2026-12-08,2\n2026-12-09,3\n2026-12-19,4\n2026-12-20,4.5\n"
    found = [f for f in findings_of(text, CheckOptions()) if f.code == "fast-interval"]
    assert [(f.step, f.message) for f in found] == [
        (
            1,
            (
                "steps 1–2: each dose is held for 1 day before the dose changes, less than the "
                "3-day minimum interval"
            ),
        ),
        (
            4,
            "4 mg is held for 1 day before the dose changes, less than the 3-day minimum interval",
        ),
    ]


def test_unreadable_cells_of_one_column_are_one_finding_listing_the_lines() -> None:
    assert _messages("dates-unreadable-column.csv")[0] == (
        "date: 4 cells cannot be read; lines 2–5 ('2026-02-30', …): no such day in the calendar"
    )
    assert _messages("hand-dates-unreadable.csv")[0] == (
        "date: 2 cells cannot be read; lines 2–3 ('32/13/2026', …): no such day in the calendar"
    )


def test_unreadable_cells_in_a_json_plan_are_listed_by_step() -> None:
    text = b'[{"date": "2026-02-30", "dose": 1}, {"date": "2026-02-31", "dose": 2}]'
    found = findings_of(text, CheckOptions())
    assert found[0].message.startswith("date: 2 cells cannot be read; steps 1–2 (")


def test_options_from_text_takes_every_setting_of_check_by_its_key() -> None:
    from ldn_titrate.settings.check import CHECK  # noqa: PLC0415

    keys = [s.key for s in CHECK if s.key != "columns"]
    assert options_from_text(**dict.fromkeys(keys)) == CheckOptions()  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not a setting of check: max_stp"):
        options_from_text(max_stp="2")
