"""The drug itself: a plan whose own words are for another medicine is wrong-medicine."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ldn_titrate.check import CheckOptions, check_file, check_plan, options_from_text
from ldn_titrate.received.model import ReceivedPlan, ReceivedRow


def codes(text: str) -> list[tuple[str, int | None, str]]:
    found = check_file(text.encode(), "p.csv", options_from_text())
    return [(f.code, f.line, f.message) for f in found if f.code != "summary"]


@pytest.mark.parametrize(
    ("title", "what", "purpose"),
    [
        ("Naloxone 0.4 mg/mL oral solution", "naloxone", "it reverses an opioid overdose"),
        ("Narcan", "naloxone", "it reverses an opioid overdose"),
        (
            "Nalmefene 18 mg",
            "nalmefene",
            "it reduces drinking in alcohol dependence, or reverses an opioid overdose",
        ),
        (
            "Selincro",
            "nalmefene",
            "it reduces drinking in alcohol dependence, or reverses an opioid overdose",
        ),
        ("Nalbuphine 10 mg/mL", "nalbuphine", "it is an opioid pain reliever"),
        ("Relistor", "methylnaltrexone", "it treats constipation caused by opioids"),
        ("Methylnaltrexone", "methylnaltrexone", "it treats constipation caused by opioids"),
        ("Symproic", "naldemedine", "it treats constipation caused by opioids"),
        ("Naloxegol 12.5 mg", "naloxegol", "it treats constipation caused by opioids"),
        ("Moventig", "naloxegol", "it treats constipation caused by opioids"),
        (
            "Naltrexone 50 mg tablets",
            "naltrexone 50 mg tablets",
            "they are for alcohol or opioid dependence",
        ),
        (
            "Revia 50mg 1/4 tab",
            "naltrexone 50 mg tablets",
            "they are for alcohol or opioid dependence",
        ),
    ],
)
def test_a_title_for_another_medicine_is_wrong_medicine(
    title: str, what: str, purpose: str
) -> None:
    found = codes(f"{title}\ndate,dose_mg\n2026-12-07,1\n")
    wrong = [f for f in found if f[0] == "wrong-medicine"]
    assert len(wrong) == 1
    assert wrong[0][1] == 1
    assert wrong[0][2].startswith(f"the plan is for {what}, not low-dose naltrexone")
    assert wrong[0][2].endswith(f": {purpose}")


def test_wrong_medicine_is_said_once_per_file() -> None:
    text = (
        "Relistor\nNaloxone\ndate,dose_mg,instructions\n2026-12-07,1,Take 1 mg methylnaltrexone\n"
    )
    assert [c for c, _, _ in codes(text)].count("wrong-medicine") == 1


@pytest.mark.parametrize(
    "text",
    [
        "LDN made from naltrexone 50 mg tablets\ndate,dose_mg\n2026-12-07,1\n",
        "LDN compounded from naltrexone 50 mg tablets\ndate,dose_mg\n2026-12-07,1\n",
        "date,dose_mg,instructions\n2026-12-07,1,Take 1 mg naltrexone (not naloxone)\n",
        "Not naloxone: naltrexone 1 mg\ndate,dose_mg\n2026-12-07,1\n",
    ],
)
def test_naltrexone_plans_that_name_a_source_or_a_look_alike_are_not_wrong_medicine(
    text: str,
) -> None:
    assert "wrong-medicine" not in [c for c, _, _ in codes(text)]


def test_naloxone_only_in_the_instructions_keeps_the_look_alike_warning() -> None:
    text = "date,dose,instructions\n2026-12-07,1,Take 1 mg naloxone\n"
    assert [c for c, _, _ in codes(text)] == ["name-confusion"]


def test_another_medicine_in_the_instructions_of_a_plan_that_never_names_naltrexone() -> None:
    text = "date,dose_mg,instructions\n2026-12-07,1,Take 1 mg naloxegol\n"
    # The medicine screen also names naloxegol as another opioid antagonist the text mentions.
    assert [c for c, _, _ in codes(text)] == ["med-mentioned", "wrong-medicine"]


def test_the_medication_of_a_plan_decides_even_if_the_instructions_name_naltrexone() -> None:
    row = ReceivedRow(
        position=1,
        line=None,
        first_day=date(2026, 12, 7),
        dose=Decimal(1),
        instructions="Take 1 mg naltrexone at bedtime",
        texts=(("instructions", "Take 1 mg naltrexone at bedtime"),),
    )
    plan = ReceivedPlan(
        source="p.json",
        rows=(row,),
        columns=frozenset({"first_day"}),
        texts=((None, "medication", "Naloxone hydrochloride 0.4 mg/mL"),),
    )
    found = [(f.code, f.message) for f in check_plan(plan, CheckOptions())]
    assert found[0] == (
        "wrong-medicine",
        (
            "the plan is for naloxone, not low-dose naltrexone (the medication: "
            "'Naloxone hydrochloride 0.4 mg/mL'): it reverses an opioid overdose"
        ),
    )
