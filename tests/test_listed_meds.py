"""Medicine lists headed within a text, whatever reader found the text."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_titrate.received import read_plan
from ldn_titrate.received.json_keys import med_list_key
from ldn_titrate.received.listed import lists_in, with_listed_meds

PLAN_CSV = (
    "step,start_date,end_date,dose_mg,note\n"
    "1,2026-12-07,2026-12-13,0.5,{note}\n"
    "2,2026-12-14,2026-12-20,1,\n"
)


@pytest.mark.parametrize(
    ("text", "lists", "rest"),
    [
        ("Medications: tramadol 50 mg; omeprazole", ["tramadol 50 mg; omeprazole"], ""),
        ("Patient medication list: levothyroxine", ["levothyroxine"], "Patient"),
        ("Med list: sertraline", ["sertraline"], ""),
        ("Home meds: Revia 50 mg daily", ["Revia 50 mg daily"], ""),
        ("Back pain. Current medications: MS Contin", ["MS Contin"], "Back pain."),
        ("Medications: tramadol; Supplements: magnesium", ["tramadol", "magnesium"], ""),
        ("Aktuelle Medikation: Tilidin", ["Tilidin"], ""),
        (
            "Current medications\n- tramadol 50 mg\n- omeprazole\n\nPlan: review in 4 weeks",
            ["tramadol 50 mg; omeprazole"],
            "Plan: review in 4 weeks",
        ),
        ("Medications: tramadol\nTake at bedtime", ["tramadol"], "Take at bedtime"),
        (
            "Patient medication list:\n• methadone\nAllergies: none",
            ["methadone"],
            "Allergies: none",
        ),
    ],
)
def test_a_heading_within_a_text_starts_a_list(text: str, lists: list[str], rest: str) -> None:
    assert lists_in(text) == (lists, rest)


@pytest.mark.parametrize(
    "text",
    [
        "No opioids since March.",
        "Stop tramadol a week before: ask at review",
        "Medications:",
        "Take 1 capsule at bedtime",
        "No opioids.\n\nSee the GP about codeine.\n",
        "Current medications\n\n",
    ],
)
def test_a_text_without_a_list_is_left_as_it_is(text: str) -> None:
    assert lists_in(text) == ([], text)


@pytest.mark.parametrize(
    ("key", "listed"),
    [
        ("medications", True),
        ("currentMedications", True),
        ("current-medications", True),
        ("OtherMeds", True),
        ("concurrent-medication", True),
        ("aktuelleMedikamente", True),
        ("medication", False),
        ("dose_mg", False),
        ("notes", False),
    ],
)
def test_a_list_key_may_be_written_in_camel_case(key: str, listed: bool) -> None:
    assert med_list_key(key) is listed


def test_a_note_cell_that_is_a_list_becomes_a_list_and_leaves_the_cells() -> None:
    plan = read_plan(PLAN_CSV.format(note="Medications: methadone 40 mg"), "plan.csv")
    assert [(m.where, m.text, m.line) for m in plan.med_lists] == [
        ("note, line 2", "methadone 40 mg", 2)
    ]
    assert plan.rows[0].texts == ()


def test_a_plan_without_a_list_is_given_back_as_it_is() -> None:
    plan = read_plan(PLAN_CSV.format(note="Ask about tapentadol: at review"), "plan.csv")
    assert with_listed_meds(plan) is plan
    assert plan.med_lists == ()


def test_many_headings_in_a_long_text_end_quickly() -> None:
    text = "Medications: x " * 20_000
    started = time.perf_counter()
    lists, _ = lists_in(text)
    assert time.perf_counter() - started < 1
    assert len(lists) <= 8


@given(st.text(alphabet=st.sampled_from("Medications: \n-tramadol;Aa"), max_size=200))
def test_a_list_of_lines_never_loses_a_heading_or_raises(text: str) -> None:
    lists, rest = lists_in(text)
    assert all(lists)
    if not lists:
        assert rest == text


@given(st.text(max_size=200))
def test_the_rest_of_a_text_is_never_longer_than_the_text(text: str) -> None:
    lists, rest = lists_in(text)
    assert len(rest) <= len(text)
    assert all(lists)
    if ":" not in text and "\n" not in text:
        assert (lists, rest) == ([], text)
