"""Dose changes written in words beside the steps ("double the dose from week 3")."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_titrate.check.frequency import fold
from ldn_titrate.check.said_changes import _CHANGE, _DENIED, said_change


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("double the dose from week 3", "double the dose"),
        ("dose doubled from week 3", "dose doubled"),
        ("Dosis ab Woche 3 verdoppeln", "Dosis ab Woche 3 verdoppeln"),
        ("doubler la dose à la semaine 3", "doubler la dose"),
        ("raddoppiare la dose", "raddoppiare la dose"),
        ("duplicar la dosis", "duplicar la dosis"),
        ("verdubbel de dosis", "verdubbel de dosis"),
        ("halve to 1 mg if dreams are vivid", "halve to 1"),
        ("take a double dose if you miss one", "double dose"),
        ("dose x2 after 2 weeks", "dose x2"),
        ("From week 4 take twice the amount shown", "twice the amount"),
    ],
)
def test_a_dose_multiplied_in_words_is_found(text: str, said: str) -> None:
    assert said_change(text) == said


@pytest.mark.parametrize(
    "text",
    [
        "Do not take a double dose to make up for a missed one",
        "Nehmen Sie nicht die doppelte Dosis ein",
        "ne doublez pas la dose",
        "please double-check the strength on the bottle",
        "+44 patient, 'quoted', \"double\"",
        "Double strength",
        "increase by 0.5 mg every 2 weeks",
        "reduce to the last dose if sleep is disturbed",
        "Take 2 × 0.5 mg capsules at bedtime",
        "Take the dose twice daily",
    ],
)
def test_no_dose_change_is_found_where_none_is_said(text: str) -> None:
    assert said_change(text) is None


@given(st.text(max_size=200))
def test_any_text_is_read_without_failing(text: str) -> None:
    said = said_change(text)
    assert said is None or said in text


_PIECES = st.sampled_from(
    [
        "double", "the", "dose", "Dosis", "verdoppeln", "doppelte", "deux fois la dose", "doubler",
        "la", "dosis doble", "duplicar", "raddoppiare", "dose doppia", "verdubbel", "de", "halve",
        "to", "1 mg", "twice the dose", "x2", "× 2", "x 3", "not", "never", "from week 3",
        "tripled",
        "dimezzare", "halbieren", "dosage", "amount",
    ]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=8).map(" ".join))
def test_the_shortcut_finds_what_the_whole_pattern_finds(text: str) -> None:
    folded, _ = fold(text)
    whole = next(
        (m for m in _CHANGE().finditer(folded) if not _DENIED().search(folded, 0, m.start())),
        None,
    )
    assert (said_change(text) is None) == (whole is None)


@pytest.mark.parametrize(
    "text",
    [
        "not double the dose " * 6_000,
        "dose " * 24_000 + "doubled",
        "ne doublez pas la dose " * 5_000,
    ],
)
def test_a_long_text_of_many_matches_is_read_at_once(text: str) -> None:
    began = time.process_time()
    said_change(text)
    assert time.process_time() - began < 1.0
