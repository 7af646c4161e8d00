"""Every layout of a plan shows the captions of the one list in wording, in its order."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from rich.console import Console

from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.formats import csv_format, xlsx_format
from ldn_titrate.model import Schedule, TitrationRequest
from ldn_titrate.render import schedule_layout
from ldn_titrate.replan import BackDown, replan
from ldn_titrate.rules import build_schedule
from ldn_titrate.wording import (
    BRIEF_TABLE,
    CAPTIONS,
    LINES,
    STEP_COLUMNS,
    TABLE,
    WORKBOOK,
    captions,
    columns_of,
)

REPLANNED = "Re-planned on 2026-12-25: back down to the last tolerated dose"


@pytest.fixture
def replanned() -> Schedule:
    """0.5 mg to 2 mg by 0.5 mg every 14 days from 2026-12-07, backed down on 2026-12-25."""
    request = TitrationRequest(
        start_mg=Decimal("0.5"),
        target_mg=Decimal(2),
        step_mg=Decimal("0.5"),
        every=Interval(14, IntervalUnit.DAYS),
        first_day=date(2026, 12, 7),
    )
    return replan(request, build_schedule(request).steps, date(2026, 12, 25), BackDown())


def shown(schedule: Schedule, width: int) -> str:
    """The plan as printed on a terminal of ``width`` columns, lines joined again."""
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, force_terminal=False)
    for part in schedule_layout(schedule, width):
        console.print(part)
    lines = "\n".join(line.rstrip() for line in out.getvalue().splitlines())
    return lines.replace("\n  ", " ")


def test_the_wide_table_says_the_plan_was_re_planned(replanned: Schedule) -> None:
    printed = shown(replanned, 200)
    assert "┃ Instructions" in printed
    assert REPLANNED in printed


def test_the_table_without_instructions_says_the_plan_was_re_planned(
    replanned: Schedule,
) -> None:
    printed = shown(replanned, 90)
    assert "Instructions" not in printed
    assert "Take each dose by mouth once daily at bedtime.\n" + REPLANNED in printed


def test_the_plain_lines_say_the_plan_was_re_planned(replanned: Schedule) -> None:
    printed = shown(replanned, 40)
    assert "│" not in printed
    assert REPLANNED in printed


def test_every_terminal_layout_shows_the_same_plan_captions(replanned: Schedule) -> None:
    about_the_plan = captions(replanned, TABLE)
    assert about_the_plan == captions(replanned, LINES)
    assert captions(replanned, BRIEF_TABLE)[1:] == about_the_plan
    assert [c for c in about_the_plan if c.startswith(REPLANNED)]


def test_the_workbook_notes_come_from_the_caption_list(replanned: Schedule) -> None:
    book = load_workbook(io.BytesIO(xlsx_format.write(replanned)))
    cells = {c.value for row in book["Schedule"].iter_rows() for c in row}
    assert set(captions(replanned, WORKBOOK)) <= cells
    assert captions(replanned, WORKBOOK) == ["Every dose is taken by mouth once daily at bedtime."]


def test_each_caption_has_its_own_key_and_a_place() -> None:
    keys = [c.key for c in CAPTIONS]
    assert len(set(keys)) == len(keys)
    assert all(c.places for c in CAPTIONS)


def test_each_column_says_itself_whether_the_plan_shows_it(replanned: Schedule) -> None:
    shown = [c.key for c in STEP_COLUMNS if c.shown(replanned)]
    assert shown == [c.key for c in columns_of(replanned)]
    # A re-planned plan notes its changed steps: the note column is shown, no formulation's.
    assert shown == list(csv_format.columns_for(replanned))
    assert "note" in shown
    assert "volume_ml" not in shown
