"""A titration written as directions in a plan's text is read and held to the rows."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, assume, given, reject, settings

from ldn_titrate.check import CheckOptions, Finding, check_file
from ldn_titrate.errors import FormulationError
from ldn_titrate.formats import csv_format
from ldn_titrate.formats.sig_format import sig_text
from ldn_titrate.model import TitrationRequest
from ldn_titrate.rules import build_schedule
from test_sig import requests

HEADER = "step,start_date,end_date,days,dose_mg,instructions,note\n"
LADDER = "Take 0.5 mg at bedtime; increase by 0.5 mg every 7 days to 1.5 mg"
ROWS = (
    "1,2026-12-07,2026-12-13,7,0.5,Take 0.5 mg at bedtime.,\n"
    "2,2026-12-14,2026-12-20,7,1,Take 1 mg at bedtime.,\n"
    "3,2026-12-21,,,1.5,Take 1.5 mg at bedtime.,\n"
)


def findings(text: str) -> list[Finding]:
    return check_file(text, "plan.csv", CheckOptions())


def codes(text: str) -> list[tuple[str, int | None, int | None]]:
    return [(f.code, f.line, f.step) for f in findings(text) if f.code != "summary"]


def test_title_line_that_agrees_is_read_and_clean() -> None:
    assert codes(LADDER + "\n" + HEADER + ROWS) == []


def test_title_line_with_another_target_names_both() -> None:
    title = "Take 0.5 mg at bedtime; increase by 0.5 mg every 7 days to 4.5 mg"
    found = [f for f in findings(title + "\n" + HEADER + ROWS) if f.code != "summary"]
    assert [(f.code, f.line) for f in found] == [("instructions-mismatch", 1)]
    assert found[0].message == (
        "line 1 gives 9 steps, 0.5 mg to 4.5 mg, but the rows give 3 steps, 0.5 mg to "
        "1.5 mg: the rows end at 1.5 mg, before the target 4.5 mg"
    )


def test_note_with_steps_joined_by_then_is_held_to_the_rows() -> None:
    rows = (
        "1,2026-12-07,2026-12-13,7,0.5,Take 0.5 mg at bedtime.,"
        '"Take 0.5 mg at bedtime for 7 days, then 2 mg at bedtime"\n'
        "2,2026-12-14,,,1,Take 1 mg at bedtime.,\n"
    )
    found = [f for f in findings(HEADER + rows) if f.code == "instructions-mismatch"]
    assert [(f.line, f.step) for f in found] == [(2, 1)]
    assert found[0].message.endswith("step 2 is 2 mg there and 1 mg in the rows")


def test_one_row_holding_the_ladder_names_the_steps_left_out() -> None:
    row = f'1,2026-12-07,,,0.5,"{LADDER}",\n'
    found = [f for f in findings(HEADER + row) if f.code != "summary"]
    assert [(f.severity, f.code, f.step) for f in found] == [("error", "instructions-mismatch", 1)]
    assert found[0].message == (
        "the instructions give 3 steps, 0.5 mg to 1.5 mg, but the row gives only 0.5 mg "
        "ongoing: steps 2 to 3 (1 mg, 1.5 mg) are not in the rows, so the quantity and label "
        "cover only the first step"
    )


@pytest.mark.parametrize(
    "title",
    [
        "Take 0.5 mg at bedtime; increase by 0.5 mg as tolerated",
        "Take 0.5-1 mg at bedtime, then increase",
        "LDN titration: increase slowly to 4.5 mg",
    ],
)
def test_text_the_grammar_refuses_adds_no_finding(title: str) -> None:
    assert "instructions-mismatch" not in [c for c, _, _ in codes(title + "\n" + HEADER + ROWS)]


def test_a_long_title_is_not_read_and_ends_quickly() -> None:
    title = "then 0.5 mg " * 4_000
    started = time.perf_counter()
    found = codes(title + "\n" + HEADER + ROWS)
    assert time.perf_counter() - started < 1
    assert "instructions-mismatch" not in [c for c, _, _ in found]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_every_plan_under_its_own_sig_as_a_title_checks_as_before(
    request: TitrationRequest,
) -> None:
    try:
        schedule = build_schedule(request)
    except FormulationError:
        reject()
    # One step is no titration: a title line of one step stays not read, as before.
    assume(len(schedule.steps) > 1)
    table = csv_format.write(schedule)
    title = '"' + sig_text(schedule).replace('"', '""') + '"\n'
    # The title line is read as the titration it is and agrees: no mismatch and nothing
    # left not read. (Other screens read the line's words as they always have.)
    mine = {"instructions-mismatch", "not-read"}
    before = [(f.code, f.line) for f in findings(table) if f.code in mine]
    after = [(f.code, f.line and f.line - 1) for f in findings(title + table) if f.code in mine]
    assert after == before, title
