"""Data a plan gives twice (a repeated JSON key, doses in words) is never read in silence."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_titrate.check import CheckOptions, check_file
from ldn_titrate.cli import app

DATA = Path(__file__).parent / "data" / "check"

STEPS = (
    '[{"start_date": "2026-12-07", "end_date": "2026-12-13", "dose_mg": "1"},'
    ' {"start_date": "2026-12-14", "dose_mg": "2"}]'
)


def messages(name: str) -> list[tuple[str, str]]:
    found = check_file((DATA / name).read_bytes(), name, CheckOptions())
    return [(f.code, f.message) for f in found if f.code != "summary"]


def test_repeated_keys_that_differ_are_errors_naming_the_path_and_both_values() -> None:
    assert messages("keys-repeated.json") == [
        (
            "columns-disagree",
            (
                "concentration is written twice and differs: '1 mg/mL', then '5 mg/mL'; "
                "only the first was read"
            ),
        ),
        (
            "columns-disagree",
            (
                "steps is written twice and differs: a list of 2, then a list of 1; "
                "only the first was read"
            ),
        ),
        (
            "columns-disagree",
            (
                "request.label is written twice and differs: 'LDN to 2 mg', then 'LDN to 4.5 mg'; "
                "only the first was read"
            ),
        ),
        (
            "columns-disagree",
            (
                "step 1: instructions is written twice and differs: "
                "'Take 1 mL (1 mg) by mouth once daily at bedtime.', then "
                "'Take 2 mL (2 mg) by mouth once daily at bedtime.'; only the first was read"
            ),
        ),
        (
            "columns-disagree",
            (
                "step 1: administrations[0].dose_mg is written twice and differs: '1', then '2'; "
                "only the first was read"
            ),
        ),
    ]


def test_repeated_keys_with_the_same_value_are_infos() -> None:
    assert messages("keys-repeated-same.json") == [
        ("columns-agree", "concentration is written twice with the same value: '1 mg/mL'"),
        (
            "columns-agree",
            "request.concentration_mg_per_ml is written twice with the same value: '1' and '1.0'",
        ),
        ("columns-agree", "request.label is written twice with the same value: 'LDN to 2 mg'"),
        ("columns-agree", "step 1: note is written twice with the same value: 'start low'"),
    ]


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.text(max_size=12),
)


@given(
    # "tool": "ldn-titrate" would send the plan to the plan model, which refuses other keys.
    key=st.text(min_size=1, max_size=12).filter(lambda k: k not in {"steps", "tool"}),
    first=SCALARS,
    second=SCALARS,
    nested=st.booleans(),
)
def test_any_repeated_key_outside_the_steps_is_reported_by_its_path(
    key: str, first: object, second: object, nested: bool
) -> None:
    pair = f"{json.dumps(key)}: {json.dumps(first)}, {json.dumps(key)}: {json.dumps(second)}"
    body = f'"extra": {{{pair}}}' if nested else pair
    found = check_file(f'{{{body}, "steps": {STEPS}}}', "plan.json", CheckOptions())
    path = f"extra.{key}" if nested else key
    said = [f for f in found if f.message.startswith(f"{path} is written twice")]
    assert len(said) == 1
    same = first == second and type(first) is type(second)
    # Equal values are an info; values that differ (true beside 1, "a" beside "b") an error.
    if same:
        assert said[0].code == "columns-agree"
    elif said[0].code == "columns-agree":
        # Only numbers written in two ways ("1" and 1) may agree without being equal.
        assert json.dumps(first) != json.dumps(second)
        assert not isinstance(first, bool)
        assert not isinstance(second, bool)
    else:
        assert said[0].code == "columns-disagree"


def test_a_repeat_deep_in_a_nested_value_is_found_without_recursion() -> None:
    depth = 900
    nested = '{"a": ' * depth + '{"k": 1, "k": 2}' + "}" * depth
    found = check_file(f'{{"x": {nested}, "steps": {STEPS}}}', "plan.json", CheckOptions())
    assert [f.code for f in found].count("columns-disagree") == 1


def test_a_plan_without_repeated_keys_has_no_such_finding() -> None:
    found = check_file(f'{{"steps": {STEPS}}}', "plan.json", CheckOptions())
    assert [f.code for f in found] == ["summary"]


# Wrapped to the 40 columns, with a hanging indent.
KEYS_REPEATED_LINES = """\
keys-repeated.json
error: columns-disagree: concentration
  is written twice and differs:
  '1 mg/mL', then '5 mg/mL'; only the
  first was read
error: columns-disagree: steps is
  written twice and differs: a list of
  2, then a list of 1; only the first
  was read
error: columns-disagree: request.label
  is written twice and differs: 'LDN to
  2 mg', then 'LDN to 4.5 mg'; only the
  first was read
error: columns-disagree: step 1:
  instructions is written twice and
  differs: 'Take 1 mL (1 mg) by mouth
  once daily at bedtime.', then 'Take
  2 mL (2 mg) by mouth once daily at
  bedtime.'; only the first was read
error: columns-disagree: step 1:
  administrations[0].dose_mg is written
  twice and differs: '1', then '2'; only
  the first was read
info: summary: 2 steps, 2026-12-07 to
  2026-12-13, then ongoing from
  2026-12-14; 1 mg to a target of 2 mg;
  7 mL of 1 mg/mL liquid for the 7 dated
  days, then 2 mL a day ongoing
keys-repeated-same.json: clean, 2 steps,
  2026-12-07 to 2026-12-13, then ongoing
  from 2026-12-14; 1 mg to a target of
  2 mg; 7 mL of 1 mg/mL liquid for the 7
  dated days, then 2 mL a day ongoing
"""


def test_check_fails_a_plan_whose_keys_repeat_with_other_values(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(DATA)
    result = runner.invoke(
        app, ["check", "keys-repeated.json", "keys-repeated-same.json"], env={"COLUMNS": "40"}
    )
    assert result.stdout == KEYS_REPEATED_LINES
    assert result.stderr == "checked 2 plans: 1 with errors, 0 with warnings, 1 clean\n"
    assert result.exit_code == 1


def test_split_instructions_are_read_dose_by_dose() -> None:
    assert messages("split-instructions.csv") == [
        (
            "instructions-mismatch",
            "the instructions say nothing in the morning, but the plan gives 1 mg then",
        )
    ]
    assert messages("split-instructions-wrong.csv") == [
        (
            "instructions-mismatch",
            "the instructions say 1 mg in the morning, but the morning dose is 0.5 mg",
        ),
        (
            "instructions-mismatch",
            (
                "the instructions say 1.5 mg in the morning, but the morning dose is 1 mg; "
                "1 mg at bedtime, but the bedtime dose is 1.5 mg"
            ),
        ),
        (
            "instructions-mismatch",
            "the instructions say nothing in the morning, but the plan gives 1 mg then",
        ),
    ]


def test_a_split_plan_without_its_daily_totals_in_the_instructions_is_clean(
    runner: CliRunner,
) -> None:
    written = runner.invoke(
        app,
        [
            "plan",
            "--steps",
            "0.5 mg + 1 mg for 7d, 1 mg + 1 mg",
            "--from",
            "2026-12-07",
            "--format",
            "json",
        ],
    )
    assert written.exit_code == 0
    text = re.sub(r" \([0-9.]+ mg a day\)", "", written.stdout)
    assert text != written.stdout
    found = check_file(text, "plan.json", CheckOptions())
    assert [f.code for f in found] == ["summary"]


def test_a_quantity_read_in_the_plans_unit_is_echoed_with_that_unit() -> None:
    assert messages("quantity-bare-liquid.csv")[1] == (
        "quantity-mismatch",
        "the quantity says 10 mL, but 7 days of 1 mL is 7 mL",
    )
    assert messages("quantity-bare-capsules.csv")[1] == (
        "quantity-short",
        (
            "the quantity says 7 capsules, but 7 days of 2 × 0.5 mg is 14 capsules: the patient "
            "runs out after 3 days"
        ),
    )
