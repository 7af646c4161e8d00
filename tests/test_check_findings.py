"""Findings that each get a test of their own, and the mg/mcg boundaries of the dose checks."""

from __future__ import annotations

import pytest

from ldn_titrate.check import check_file, options_from_text


def findings(text: str, **options: str) -> list[tuple[str, str, int | None, str]]:
    found = check_file(text.encode(), "p.csv", options_from_text(**options))
    return [(f.severity.value, f.code, f.line, f.message) for f in found if f.code != "summary"]


def test_instructions_naming_another_concentration_are_an_error() -> None:
    text = (
        "date,dose_mg,volume_ml,instructions\n"
        "2026-12-07,1,1,Take 1 mL of naltrexone 1 mg/mL\n"
        "2026-12-14,2,2,Take 2 mL of naltrexone 2 mg/mL\n"
    )
    expected = [
        ("error", "concentration-mismatch", 3, "the instructions name 2 mg/mL, not 1 mg/mL"),
    ]
    assert findings(text, form="liquid", concentration="1") == expected
    assert findings(text) == expected  # the first row's concentration is the plan's


def test_instructions_naming_the_same_concentration_are_clean() -> None:
    text = "date,dose_mg,volume_ml,instructions\n2026-12-07,1,1,naltrexone 1 mg/mL\n"
    assert findings(text, form="liquid", concentration="1") == []


def test_volumes_missing_zero_or_negative_are_errors() -> None:
    text = "date,dose_mg,volume_ml\n2026-12-07,1,\n2026-12-14,2,0\n2026-12-21,3,-1\n"
    assert findings(text, form="liquid", concentration="1") == [
        ("error", "volume-missing", 2, "has no volume"),
        ("error", "volume-not-positive", 3, "the volume is 0 mL"),
        ("error", "volume-not-positive", 4, "the volume is -1 mL"),
    ]


def test_a_capsule_step_without_capsules_is_an_error() -> None:
    text = "date,dose_mg,capsules\n2026-12-07,1,\n2026-12-14,1.5,1 x 1.5 mg\n"
    assert findings(text, form="capsule", strengths="1.5,1") == [
        ("error", "capsules-missing", 2, "has no capsules"),
    ]


@pytest.mark.parametrize(
    ("dose", "expected"),
    [
        ("1.001", []),
        (
            "1.0005",
            [
                (
                    "error",
                    "too-precise",
                    2,
                    "1.0005 mg cannot be weighed on a 3-decimal-place balance",
                )
            ],
        ),
    ],
)
def test_a_dose_finer_than_the_balance_is_an_error(dose: str, expected: list[object]) -> None:
    assert findings(f"date,dose_mg\n2026-12-07,{dose}\n2026-12-14,1.5\n") == expected


# The boundaries: 0.1-4.5 in a mcg column reads as mg; 100-4,500 in a mg column as mcg.
@pytest.mark.parametrize(
    ("column", "value", "codes"),
    [
        ("dose_mg", "0.09", ["microgram-dose", "very-low-start"]),
        ("dose_mg", "0.1", ["very-low-start"]),
        ("dose_mg", "4.5", []),
        ("dose_mg", "4.6", ["dose-above-max"]),
        ("dose_mg", "99.9", ["standard-dose"]),
        ("dose_mg", "100", ["dose-looks-like-mcg"]),
        ("dose_mg", "4500", ["dose-looks-like-mcg"]),
        ("dose_mg", "4500.1", ["standard-dose"]),
        ("dose_mcg", "0.09", ["microgram-dose", "too-precise", "very-low-start"]),
        ("dose_mcg", "0.1", ["dose-looks-like-mg"]),
        ("dose_mcg", "4.5", ["dose-looks-like-mg"]),
        ("dose_mcg", "4.6", ["microgram-dose", "too-precise", "very-low-start"]),
        ("dose_mcg", "99", ["microgram-dose", "very-low-start"]),
        ("dose_mcg", "100", ["very-low-start"]),
        ("dose_mcg", "4500", []),
        ("dose_mcg", "4501", ["dose-above-max"]),
    ],
)
def test_the_mg_and_mcg_boundaries(column: str, value: str, codes: list[str]) -> None:
    found = findings(f"date,{column}\n2026-12-07,{value}\n")
    assert [code for _, code, _, _ in found] == codes


def test_the_boundary_messages_say_which_unit_was_meant() -> None:
    assert findings("date,dose_mg\n2026-12-07,100\n")[0][3] == (
        "100 in dose_mg looks like micrograms (100 mcg = 0.1 mg); as mg it is not a low dose"
    )
    assert findings("date,dose_mcg\n2026-12-07,4.5\n")[0][3] == (
        "4.5 in dose_mcg looks like milligrams: 4.5 mcg is only 0.0045 mg"
    )


def test_one_cause_over_several_steps_is_one_finding_naming_them() -> None:
    text = (
        "date,dose_mg,volume_ml,instructions\n"
        "2026-12-07,1,1,Take 1 mL of naltrexone 1 mg/mL\n"
        "2026-12-14,2,2,Take 2 mL of naltrexone 2 mg/mL\n"
        "2026-12-21,2.5,,Take 2.5 mL of naltrexone 2 mg/mL\n"
        "2026-12-28,3,3,Take 3 mL of naltrexone 1 mg/mL\n"
        "2027-01-04,3.5,,Take 3.5 mL of naltrexone 2 mg/mL\n"
    )
    assert findings(text) == [
        (
            "error",
            "concentration-mismatch",
            3,
            "lines 3–4, 6: the instructions name 2 mg/mL, not 1 mg/mL",
        ),
        ("error", "volume-missing", 4, "lines 4, 6: has no volume"),
    ]


def test_a_file_without_lines_names_the_steps_of_a_cause() -> None:
    steps = ",".join(
        f'{{"start_date": "2026-12-{7 * n:02d}", "dose_mg": "{n}", "volume_ml": ""}}'
        for n in (1, 2, 3)
    )
    found = check_file(
        f'{{"steps": [{steps}]}}'.encode(),
        "p.json",
        options_from_text(form="liquid", concentration="1"),
    )
    assert [(f.code, f.step, f.message) for f in found if f.code != "summary"] == [
        ("volume-missing", 1, "steps 1–3: has no volume")
    ]


@pytest.mark.parametrize(
    ("instructions", "said"),
    [
        ("Take 1 mg once weekly at bedtime.", "once weekly"),
        ("Take 1 mg twice a week.", "twice a week"),
        ("Take 1 mg 3x per week.", "3x per week"),
        ("Take 1 mg every other day at bedtime.", "every other day"),
        ("Take 1 mg every 2nd day.", "every 2nd day"),
        ("Take 1 mg every 3 days.", "every 3 days"),
        ("Take 1 mg on alternate days.", "on alternate days"),
        ("Take 1 mg every 48 hours.", "every 48 hours"),
        ("Take 1 mg q72h.", "q72h"),
    ],
)
def test_instructions_less_often_than_daily_are_an_error(instructions: str, said: str) -> None:
    text = f"date,dose_mg,instructions\n2026-12-07,1,{instructions}\n"
    assert findings(text) == [
        (
            "error",
            "frequency-mismatch",
            2,
            (
                f'the instructions give the dose less often than once a day ("{said}"), but the '
                "plan gives a daily dose of 1 mg"
            ),
        )
    ]


def test_qod_is_less_often_than_daily_and_error_prone() -> None:
    assert findings("date,dose_mg,instructions\n2026-12-07,1,Take 1 mg QOD at bedtime.\n") == [
        (
            "error",
            "frequency-mismatch",
            2,
            (
                'the instructions give the dose less often than once a day ("QOD"), but the '
                "plan gives a daily dose of 1 mg"
            ),
        ),
        (
            "warning",
            "ismp-daily-abbreviation",
            2,
            (
                'instructions: "QOD" is an error-prone abbreviation; write "daily" or '
                '"every other day"'
            ),
        ),
    ]


@pytest.mark.parametrize(
    "instructions",
    [
        "Take 1 mg at bedtime for a week.",
        "Take 1 mg at bedtime for 2 weeks.",
        "Take 1 mg at bedtime, going up by 0.5 mg each week.",
        "Take 1 mg daily; once a week, check in with the prescriber.",
        "Take 1 mg every day.",
        "Take 1 mg every 24 hours.",
        "Take 1 mg nightly, twice a week a blood test.",
    ],
)
def test_daily_instructions_that_mention_weeks_are_clean(instructions: str) -> None:
    assert findings(f'date,dose_mg,instructions\n2026-12-07,1,"{instructions}"\n') == []


def capsule_plan(*steps: str) -> list[tuple[str, int | None, str]]:
    """The findings of a JSON plan for 1.5 mg and 0.5 mg capsules, at most 4 a dose."""
    request = '{"form": "capsule", "strengths_mg": ["1.5", "0.5"], "max_units": 4}'
    text = f'{{"request": {request}, "steps": [{", ".join(steps)}]}}'
    found = check_file(text.encode(), "p.json", options_from_text())
    return [(f.code, f.step, f.message) for f in found if f.code != "summary"]


def test_recorded_capsules_over_the_plans_limit_are_an_error() -> None:
    # The fewest capsules (2 × 1.5 mg) would do, but the plan gives 6 a dose.
    step = '{"start_date": "2026-12-07", "dose_mg": "3", "capsules": {"0.5": 6}}'
    assert capsule_plan(step) == [
        (
            "capsule-unmakeable",
            1,
            "6 × 0.5 mg is 6 capsules, more than the 4 a dose the plan allows",
        )
    ]


def test_recorded_capsules_within_the_plans_limit_are_clean() -> None:
    step = '{"start_date": "2026-12-07", "dose_mg": "2", "capsules": {"0.5": 4}}'
    assert capsule_plan(step) == []


def test_each_dose_of_a_split_day_is_held_to_the_plans_limit() -> None:
    step = (
        '{"start_date": "2026-12-07", "dose_mg": "3", "administrations": ['
        '{"time": "morning", "dose_mg": "2.5", "capsules": {"0.5": 5}},'
        '{"time": "bedtime", "dose_mg": "0.5", "capsules": {"0.5": 1}}]}'
    )
    assert capsule_plan(step) == [
        (
            "capsule-unmakeable",
            1,
            (
                "the morning capsules 5 × 0.5 mg are 5 capsules, more than the 4 a dose the plan "
                "allows"
            ),
        )
    ]


@pytest.mark.parametrize(
    ("request_json", "expected"),
    [
        ('{"meds": "sertraline; codeine 30 mg"}', [("error", "opioid")]),
        ('{"meds": "Mysimba", "meds_reviewed": true}', [("warning", "meds-reviewed")]),
        # Only a true mark counts as reviewed.
        ('{"meds": "Mysimba", "meds_reviewed": "yes"}', [("error", "duplicate-naltrexone")]),
        ('{"meds": "sertraline", "meds_reviewed": false}', []),
        ('{"meds": "  "}', []),
        # A list of names is a medicine list too; what is not text in it is passed over.
        ('{"meds": ["sertraline", 5, "codeine"]}', [("error", "opioid")]),
        ('{"meds": {"name": "codeine"}}', []),
    ],
)
def test_the_medicines_a_plan_records_are_screened(
    request_json: str, expected: list[tuple[str, str]]
) -> None:
    text = (
        f'{{"request": {request_json}, "steps": [{{"start_date": "2026-12-07", "dose_mg": "1"}}]}}'
    )
    found = check_file(text.encode(), "p.json", options_from_text())
    assert [(f.severity.value, f.code) for f in found if f.code != "summary"] == expected


def test_a_reviewed_opioid_in_the_plan_is_said_with_the_review() -> None:
    text = '{"request": {"meds": "Tramadol", "meds_reviewed": true}, "steps": [{"dose_mg": "1"}]}'
    found = check_file(text.encode(), "p.json", options_from_text())
    assert found[0].message == (
        "the plan's medicine list: Tramadol is an opioid; naltrexone is contraindicated with "
        "opioids and can bring on withdrawal: the patient must be opioid-free for at least "
        "7–10 days before the first dose (the prescriber marked the list reviewed)"
    )


def test_a_frequency_key_of_a_json_step_is_checked() -> None:
    text = '{"steps": [{"start_date": "2026-12-07", "dose_mg": "1", "frequency": "3x"}]}'
    found = check_file(text.encode(), "p.json", options_from_text())
    assert [(f.code, f.message) for f in found if f.code != "summary"] == [
        (
            "frequency-mismatch",
            (
                'the frequency gives more than one dose a day ("3x"), but the plan gives one daily '
                "dose of 1 mg and no split doses that add up to it"
            ),
        )
    ]


def test_a_frequency_column_with_split_doses_that_add_up_is_clean() -> None:
    text = "date,dose_mg,morning_mg,bedtime_mg,times per day\n2026-12-07,2,1,1,2\n"
    assert findings(text) == []


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Patient stopped Codéine last month", ["note: Codéine is an opioid"]),
        ("no co‑codamol with this", ["note: co‑codamol (codeine) is an opioid"]),
        ("Made from naltrexone 50 mg tablets", []),
        ("Take with food", []),
        ("Sometimes on Vivitrol", ["note: Vivitrol is extended-release naltrexone injection"]),
    ],
)
def test_a_medicine_the_plan_names_is_a_warning(note: str, expected: list[str]) -> None:
    text = f"date,dose_mg,note\n2026-12-07,1,{note}\n"
    found = check_file(text.encode(), "p.csv", options_from_text())
    mentioned = [f for f in found if f.code == "med-mentioned"]
    assert [f.message.split(";")[0].split(",")[0] for f in mentioned] == expected
    assert all(f.severity.value == "warning" and f.line == 2 for f in mentioned)
