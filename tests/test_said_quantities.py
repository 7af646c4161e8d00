"""Quantities to supply written as words in a note, a remark, a title line or the instructions."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_titrate.check import CheckOptions, check_file
from ldn_titrate.check.frequency import fold
from ldn_titrate.check.said_quantities import _PER_DAY, _SAID, said_quantity


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Délivrer 3 flacons de 30 ml (naltrexone 1 mg/ml)", "Délivrer 3 flacons de 30 ml"),
        ("Abzugeben: 84 Kapseln Naltrexon 1,5 mg", "Abzugeben: 84 Kapseln"),
        ("Dispense 2 x 30 mL bottles", "Dispense 2 x 30 mL"),
        ("Supply: 84 capsules", "Supply: 84 capsules"),
        ("Quantity to dispense: 90 mL", "Quantity to dispense: 90 mL"),
        ("1 bottle of 30 mL naltrexone 1 mg/mL", "bottle of 30 mL"),
        ("one 30 mL bottle", "30 mL bottle"),
        ("Menge gesamt 60 ml", "Menge gesamt 60 ml"),
        ("Total: 126 capsules", "Total: 126 capsules"),
        ("twelve (12) capsules", "(12) capsules"),
        ("Cantidad: 2 frascos de 50 ml", "Cantidad: 2 frascos de 50 ml"),
    ],
)
def test_a_quantity_to_supply_is_found(text: str, said: str) -> None:
    assert said_quantity(text) == said


@pytest.mark.parametrize(
    "text",
    [
        "Take 0.5 mL (0.5 mg) of naltrexone 1 mg/mL oral liquid by mouth once daily at bedtime.",
        "Take 2 × 0.5 mg capsules at bedtime",
        "use the 1 mL oral syringe",
        "Total daily dose 1.5 mL",
        "Total 1,5 ml per day, split morning and night",
        "Totale giornaliero 2 ml",
        "qty 4 - patient dissolves 1 tablet in 5 mL",
        "Dispense. Take 5 mL at night",
        "Rx 000123",
    ],
)
def test_a_dose_or_a_device_is_no_quantity_to_supply(text: str) -> None:
    assert said_quantity(text) is None


@given(st.text(alphabet=st.characters(blacklist_categories=["Nd"]), max_size=200))
def test_a_text_without_a_digit_gives_no_quantity(text: str) -> None:
    assert said_quantity(text) is None


def _codes(data: bytes, name: str) -> list[tuple[str, str, int | None, int | None]]:
    return [
        (f.severity.value, str(f.code), f.line, f.step)
        for f in check_file(data, name, CheckOptions())
    ]


PLAN = (
    "step,start_date,end_date,days,dose_mg,volume_ml,note\n"
    "1,2026-12-07,2026-12-20,14,0.5,0.5,{note}\n"
    "2,2026-12-21,2027-01-03,14,1,1,\n"
)


def test_a_remark_with_a_quantity_is_not_read_and_the_plan_is_not_clean() -> None:
    data = PLAN.format(note="dispense 1 bottle of 30 mL").encode()
    found = _codes(b"# naltrexone 1 mg/mL oral liquid\n" + data, "plan.csv")
    assert ("warning", "not-read", 3, 1) in found


def test_a_remark_without_a_quantity_stays_clean() -> None:
    data = PLAN.format(note="take at bedtime").encode()
    found = _codes(b"# naltrexone 1 mg/mL oral liquid\n" + data, "plan.csv")
    assert [code for _, code, _, _ in found] == ["summary"]


_PIECES = st.sampled_from(
    [
        "Take", "0.5 mL", "(0.5 mg)", "of naltrexone", "1 mg/mL", "3", "flacons", "de", "30 ml",
        "2x30 mL", "2 × 30 mL", "bottles", "bottle of", "Dispense", "Supply:", "Menge", "60 ml",
        "(12)", "capsules", "Kapseln", "gélules", "total", "per day", "daily", "Délivrer", "qty",
        "twelve", "x", "×", "*", "28", "1,5", "mL", "caps",
    ]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=8).map(" ".join))
def test_the_shortcut_finds_what_the_whole_pattern_finds(text: str) -> None:
    folded, _ = fold(text)
    whole = next(
        (m for m in _SAID().finditer(folded) if not _PER_DAY().match(folded, m.end())), None
    )
    assert (said_quantity(text) is None) == (whole is None)


@pytest.mark.parametrize(
    "text",
    ["2 x 30 ml per day " * 6_000, "bottle of " * 12_000 + "30 ml", "supply " * 17_000 + "3 ml"],
)
def test_a_long_text_of_many_matches_is_read_at_once(text: str) -> None:
    began = time.process_time()
    said_quantity(text)
    assert time.process_time() - began < 1.0
