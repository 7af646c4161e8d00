"""The frequency vocabulary: every word of ``frequency.toml`` read as it says, in any text."""

from __future__ import annotations

import json
import re
import time
import tomllib
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from ldn_titrate.check import CheckOptions, check_file, check_plan, options_from_text
from ldn_titrate.check.frequency import (
    Frequency,
    fold,
    frequencies,
    not_once_daily,
    vocabulary,
)
from ldn_titrate.received.model import ReceivedPlan, ReceivedRow, Unread


def test_the_vocabulary_read_is_the_one_written_in_toml() -> None:
    # A check reads the JSON copy; people edit the TOML file.
    folder = Path(__file__).parent.parent / "src" / "ldn_titrate" / "check"
    written = tomllib.loads((folder / "frequency.toml").read_text(encoding="utf-8"))
    read = json.loads((folder / "frequency.json").read_text(encoding="utf-8"))
    assert read == written, "frequency.toml was edited: run python tools/build_frequency.py"


# One case per example of every word of the vocabulary, generated from the data file.
EXAMPLES = [
    pytest.param(example, means, id=f"{index}:{example}")
    for index, (_, _, examples) in enumerate(vocabulary().entries)
    for example, means in examples.items()
]


@pytest.mark.parametrize(("example", "means"), EXAMPLES)
def test_every_word_of_the_vocabulary_means_what_it_says(example: str, means: str) -> None:
    found = frequencies(example)
    assert [f.means for f in found][:1] == [means]


@pytest.mark.parametrize(("example", "means"), EXAMPLES)
def test_every_word_is_read_inside_an_instruction(example: str, means: str) -> None:
    found = frequencies(f"Take 1 mg naltrexone {example}.")
    assert means in [f.means for f in found]


def test_every_word_has_an_example_and_an_anchor() -> None:
    assert all(examples and anchors for _, anchors, examples in vocabulary().entries)


@pytest.mark.parametrize(
    ("anchors", "example"),
    [
        pytest.param(anchors, example, id=f"{index}:{example}")
        for index, (_, anchors, examples) in enumerate(vocabulary().entries)
        for example in examples
    ],
)
def test_every_example_holds_an_anchor_of_its_word(anchors: tuple[str, ...], example: str) -> None:
    squeezed = re.sub(r"[^a-z0-9½]+", "", fold(example)[0])
    assert any(anchor in squeezed for anchor in anchors)


@pytest.mark.parametrize(
    ("text", "means"),
    [
        ("1-0-1", "2 a day"),
        ("1-1-1", "3 a day"),
        ("1 - 0 - 1", "2 a day"),
        ("½-0-½", "2 a day"),
        ("1-1-1-1", "4 a day"),
        ("0-0-1", "1 a day"),
        ("1-0-0", "1 a day"),
        # Two units at night, once a day: the count of units is not a frequency.
        ("0-0-2", "1 a day"),
        ("Mon/Wed/Fri", "3 every 7 days"),
        ("Monday, Wednesday and Friday", "3 every 7 days"),
        ("Mon-Fri", "5 every 7 days"),
        ("Mo, Mi, Fr", "3 every 7 days"),
        ("lundi, mercredi et vendredi", "3 every 7 days"),
        ("Sat & Sun", "2 every 7 days"),
    ],
)
def test_dose_patterns_and_weekday_lists_are_read_by_their_shape(text: str, means: str) -> None:
    assert [f.means for f in frequencies(text)] == [means]


@pytest.mark.parametrize(
    "text",
    [
        "Take 1.5 mg naltrexone by mouth once daily at bedtime.",
        "Take 1 mg at bedtime, going up by 0.5 mg each week.",
        "Take 1 mg daily; the dose goes up each week.",
        "ldnnaltrexone.com chart: 1.5 mg capsule steps every 14 days",
        "Increase weekly until 4.5 mg",
        "LDN weekly titration",
        "Start on Monday 2026-12-07",
        "2026-12-07",
        "07-12-2026",
        "Do not repeat the dose if you wake in the night",
        "Every dose is taken by mouth once daily at bedtime.",
        "Monday-Sunday",
        "Take 1 mg at night; switch to the morning if vivid dreams",
    ],
)
def test_once_daily_text_is_clean(text: str) -> None:
    assert not_once_daily(text, split=False) is None


def test_twice_a_day_is_the_plans_own_when_its_split_doses_add_up() -> None:
    text = "Take 0.5 mg in the morning and 0.5 mg at bedtime"
    assert not_once_daily(text, split=True) is None
    assert not_once_daily(text, split=False) == Frequency(
        "morning and 0.5 mg at bedtime", Fraction(2)
    )


def test_as_needed_and_repeated_doses_are_never_the_daily_dose() -> None:
    assert not_once_daily("Take 1 mg PRN", split=True) == Frequency("PRN", None, "as-needed")
    assert not_once_daily("may repeat once", split=True) == Frequency("may repeat", None, "repeat")


def test_the_words_are_quoted_as_written_in_folded_text() -> None:
    assert [f.words for f in frequencies("Bitte ZWEIMAL TÄGLICH einnehmen")] == ["ZWEIMAL TÄGLICH"]
    assert [f.words for f in frequencies("’s ochtends en ’s avonds")] == [
        "’s ochtends en ’s avonds"
    ]


def test_a_long_cell_is_read_in_linear_time() -> None:
    hostile = [
        "1" * 40_000 + " mg twice daily",
        "morning and " * 4_000,
        "1-" * 20_000,
        "Mon/" * 10_000,
        "every " * 8_000,
    ]
    for text in hostile:
        start = time.perf_counter()
        frequencies(text)
        assert time.perf_counter() - start < 0.5


def findings(text: str) -> list[tuple[str, int | None, str]]:
    found = check_file(text.encode(), "p.csv", options_from_text())
    return [(f.code, f.line, f.message) for f in found if f.code != "summary"]


def test_a_note_column_is_screened_for_frequencies() -> None:
    text = "date,dose_mg,instructions,notes\n2026-12-07,1,Take 1 mg at bedtime,BD\n"
    assert findings(text) == [
        (
            "frequency-mismatch",
            2,
            (
                'notes gives more than one dose a day ("BD"), but the plan gives one daily dose '
                "of 1 mg and no split doses that add up to it"
            ),
        )
    ]


def test_a_title_line_is_screened_for_frequencies() -> None:
    text = "Naltrexone 1 mg tablets: 1-0-1\ndate,dose_mg\n2026-12-07,1\n"
    assert findings(text) == [
        ("not-read", 1, "line 1 above the table was not read"),
        (
            "frequency-mismatch",
            1,
            (
                'a line outside the table gives more than one dose a day ("1-0-1"), but the plan '
                "gives one daily dose and no split doses that add up to it"
            ),
        ),
    ]


def plan_of(**parts: object) -> ReceivedPlan:
    """A plan of one daily 1 mg step, with the texts or unread parts given."""
    row = ReceivedRow(position=1, line=None, first_day=date(2026, 12, 7), dose=Decimal(1))
    return ReceivedPlan(source="p.json", rows=(row,), columns=frozenset({"first_day"}), **parts)  # type: ignore[arg-type]


def plan_findings(plan: ReceivedPlan) -> list[tuple[str, str]]:
    return [(f.code, f.message) for f in check_plan(plan, CheckOptions()) if f.code != "summary"]


def test_the_text_of_a_part_not_read_is_screened_for_frequencies() -> None:
    plan = plan_of(unread=(Unread('JSON key "schedule_notes"', "Take it BID"),))
    assert plan_findings(plan) == [
        ("not-read", 'JSON key "schedule_notes" was not read'),
        (
            "frequency-mismatch",
            (
                'JSON key "schedule_notes" gives more than one dose a day ("BID"), but the plan '
                "gives one daily dose and no split doses that add up to it"
            ),
        ),
    ]


def test_the_medication_text_is_screened_for_frequencies() -> None:
    plan = plan_of(texts=((None, "medication", "Naltrexone 1 mg capsule, 1 every other day"),))
    assert plan_findings(plan) == [
        (
            "frequency-mismatch",
            (
                'the medication gives the dose less often than once a day ("every other day"), but '
                "the plan gives a daily dose"
            ),
        )
    ]
