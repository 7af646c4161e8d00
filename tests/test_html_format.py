"""The HTML handout: structure, escaping, self-containment, ISMP text, and the command line."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape
from typer.testing import CliRunner

from ldn_titrate.cli import app
from ldn_titrate.doses import format_mg, format_number
from ldn_titrate.formats import READERS, WRITERS, Format, WriteOptions, html_format
from ldn_titrate.formats.handout import calendar_span, day_text
from ldn_titrate.model import Schedule
from ldn_titrate.request import Raw, build_request
from ldn_titrate.rules import build_schedule

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def plan(**changes: Raw) -> Schedule:
    values: dict[str, Raw] = {
        "start": "0.5",
        "target": "1.5",
        "step": "0.5",
        "every": "7d",
        "from": "2026-12-07",
        **changes,
    }
    return build_schedule(build_request(values, {}, date(2026, 12, 7)))


def page(schedule: Schedule, options: WriteOptions | None = None) -> str:
    return html_format.write(schedule, options or WriteOptions())


def text_of(html: str) -> str:
    """The text a reader sees: tags dropped, entities of the escaped text left as they are."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", html))


def example_pages() -> list[str]:
    runner = CliRunner()
    pages = []
    for example in EXAMPLES:
        result = runner.invoke(app, ["plan", str(example), "--format", "html"])
        assert result.exit_code == 0, result.stderr
        pages.append(result.stdout)
    return pages


# Registry


def test_html_is_a_written_format() -> None:
    assert WRITERS[Format.HTML](plan(), WriteOptions()) == page(plan())


def test_a_handout_is_not_a_format_that_reads_back() -> None:
    assert Format.HTML not in READERS


def test_the_template_ships_inside_the_package() -> None:
    template = resources.files("ldn_titrate.formats").joinpath("templates", html_format.TEMPLATE)
    assert template.is_file()


# Structure


def test_every_step_shows_its_dates_and_dose() -> None:
    schedule = plan()
    html = page(schedule)
    rows = re.findall(r"<tr>\s*<td class=\"num\">(\d+)</td>", html)
    assert rows == ["1", "2", "3"]
    text = text_of(html)
    for step in schedule.steps:
        assert day_text(step.first_day) in text
        assert format_mg(step.dose_mg) in text
    assert "Mon 7 Dec 2026 Sun 13 Dec 2026 0.5 mg Bedtime: 0.5 mg" in text
    assert "Mon 21 Dec 2026 onwards 1.5 mg Bedtime: 1.5 mg" in text


def test_title_label_prescriber_pharmacy_and_the_medicine() -> None:
    html = page(plan(label="AB 1234"), WriteOptions(prescriber="Dr Y. Osei", pharmacy="Mill Rd"))
    text = text_of(html)
    assert "<title>Your low-dose naltrexone plan: AB 1234</title>" in html
    assert "Prescriber: Dr Y. Osei Pharmacy: Mill Rd" in text
    assert (
        "Low-dose naltrexone (LDN) is naltrexone, a medicine that blocks opioids, taken by mouth "
        "at a low dose: here 0.5 mg to 1.5 mg a day."
    ) in text


def test_prescriber_and_pharmacy_left_blank_to_fill_in() -> None:
    html = page(plan())
    assert html.count('<span class="blank"></span>') == 2


def test_liquid_names_the_strength_beside_every_volume() -> None:
    html = page(plan(form="liquid", concentration="5mg/mL", graduation="0.1"))
    text = text_of(html)
    assert "Bedtime: 0.1 mL of the 5 mg/mL liquid = 0.5 mg" in text
    table = text.split("Keep yourself safe")[0]
    volumes = re.findall(r"\d mL\b", table)
    assert len(volumes) == 3
    assert len(re.findall(r"\d mL of the 5 mg/mL liquid", table)) == len(volumes)
    # The calendar shows what is measured, with its dose in mg, once for each run of days.
    assert '<span class="take">0.1\u00a0mL (0.5\u00a0mg)</span>' in html
    assert "with the dose in mg in brackets" in html
    assert "Your liquid is naltrexone 5 mg/mL. Check that the bottle says 5 mg/mL" in text


def test_capsules_are_named_with_their_strength() -> None:
    html = page(plan(start="1.5", target="4.5", step="1.5", form="capsule", strengths="1.5"))
    text = text_of(html)
    # The label check names the medicine once; the table gives counts and strengths.
    assert "Your capsules are naltrexone 1.5 mg." in text
    assert "Bedtime: 1 capsule of 1.5 mg " in text
    assert "Bedtime: 3 capsules of 1.5 mg = 4.5 mg" in text


def test_the_calendar_covers_the_titration_and_a_week_at_the_target() -> None:
    schedule = plan()
    first, last = calendar_span(schedule.steps)
    assert (first, last) == (date(2026, 12, 7), date(2026, 12, 27))
    html = page(schedule)
    assert html.count('<span class="box"></span>') == 21
    # Each new dose: a thick border on its band of what to take and on its first day.
    assert html.count('class="change"') == 2 * 2
    # One table of continuous weeks: the month stands on the calendar's first day.
    assert '<span class="daynum">7\u00a0Dec</span>' in html
    assert "Jan" not in html


def test_a_short_target_step_ends_the_calendar() -> None:
    schedule = plan(maintenance_days="3")
    assert calendar_span(schedule.steps)[1] == date(2026, 12, 23)
    assert page(schedule).count('<span class="box"></span>') == 17


def test_the_calendar_spans_months() -> None:
    html = page(plan(**{"from": "2027-01-25"}))
    # No second grid: the month's name stands on the day it starts.
    assert '<span class="daynum">25\u00a0Jan</span>' in html
    assert '<span class="daynum">1\u00a0Feb</span>' in html
    calendar = html.split('<div class="month">')[1]
    assert calendar.count("<table>") == 1
    assert calendar.count("<tbody>") == 3  # three weeks, each a band and its days
    assert html.count('<span class="box"></span>') == 21


def test_the_chart_is_inline_svg_with_a_step_per_dose() -> None:
    html = page(plan())
    (svg,) = re.findall(r"<svg .*?</svg>", html, re.DOTALL)
    (path,) = re.findall(r'<path d="([^"]+)"', svg)
    # 21 days over 568 units from x = 56; 1.5 mg over 88 units up from y = 100.
    assert path == "M 56 70.7 H 245.3 L 245.3 41.3 H 434.7 L 434.7 12 H 624"
    labels = [text.replace("\u00a0", " ") for text in re.findall(r">([^<>]+)</text>", svg)]
    assert "\u00a0" in "".join(re.findall(r">([^<>]+)</text>", svg))
    assert labels == [
        "0.5 mg",
        "1 mg",
        "1.5 mg",
        "7 Dec",
        "14 Dec",
        "21 Dec",
    ]


def test_the_safety_text() -> None:
    text = text_of(page(plan()))
    for words in (
        "Do not take naltrexone with any opioid medicine",
        "codeine",
        "tramadol",
        "morphine",
        "oxycodone",
        "methadone",
        "buprenorphine",
        "Vivid dreams, trouble sleeping and headache",
        "take the dose in the morning",
        "unless your next dose is due within 6 hours",
        "Never take two doses together",
        "If a new dose feels worse. Go back to the last dose and tell your prescriber.",
    ):
        assert words in text, words


def test_every_advice_keeps_its_sources() -> None:
    from ldn_titrate.formats.handout import ADVICE  # noqa: PLC0415

    assert len(ADVICE) == 4
    assert all(a.sources and all(s.startswith("https://") for s in a.sources) for a in ADVICE)


# Self-contained and escaped


HOSTILE = "<script>alert(1)</script>"


def test_a_hostile_label_shows_as_text() -> None:
    html = page(plan(label=HOSTILE), WriteOptions(prescriber=HOSTILE, pharmacy='"&<b>'))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3  # title, label, prescriber
    assert "&#34;&amp;&lt;b&gt;" in html
    assert "<script" not in html.lower()
    assert "<b>" not in html


@given(st.text(max_size=40).filter(lambda s: s.isprintable() and s.strip()))
def test_any_label_is_escaped(label: str) -> None:
    schedule = plan(label=label)
    html = page(schedule, WriteOptions(prescriber=label, pharmacy=label))
    assert schedule.request.label is not None
    assert str(escape(schedule.request.label)) in html
    assert str(escape(label)) in html
    assert "<script" not in html.lower()


FETCHING = re.compile(
    r"""(?:src|href|xlink:href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE
)


def test_examples_fetch_nothing_and_run_nothing() -> None:
    for html in example_pages():
        assert "<script" not in html.lower()
        assert FETCHING.search(html) is None
        embedded = r"@import|url\(|<link|<img|<iframe|<object|<embed"
        assert re.search(embedded, html, re.IGNORECASE) is None
        assert re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE) is None


def test_examples_write_every_dose_as_ismp_asks() -> None:
    for html in example_pages():
        numbers = re.findall(r"(?<![\w.])([0-9.]+) (?:mg|mL)\b", text_of(html))
        assert numbers
        for number in numbers:
            assert format_number(Decimal(number)) == number
        assert re.search(r"(?<![0-9])\.[0-9]|[0-9]\.0*(?![0-9])|[0-9]mg", text_of(html)) is None


def test_text_is_12_pt_and_never_below_10() -> None:
    html = page(plan())
    assert "html { font-family" in html
    assert re.search(r"html \{[^}]*font-size: 12pt", html)
    sizes = [Decimal(s) for s in re.findall(r"font-size:\s*([0-9.]+)pt", html)]
    assert sizes
    assert min(sizes) >= 10
    assert re.search(r"font-size:\s*[0-9.]+(?!pt)[a-z%]", html) is None
    # SVG text: user units scaled from the chart's width to the 186 mm column.
    width = int(re.findall(r'viewBox="0 0 (\d+) ', html)[0])
    (svg_size,) = re.findall(r'font-size="(\d+)"', html)
    column_pt = Decimal(186) * 72 / Decimal("25.4")
    assert Decimal(svg_size) * column_pt / width >= 12


def test_print_css_fits_a4_and_letter() -> None:
    html = page(plan())
    assert "@page { margin: 12mm; }" in html
    assert "max-width: 186mm" in html
    # 186 mm of column and 2 x 12 mm of margin fit the narrower page, A4 (210 mm).
    assert 186 + 2 * 12 <= 210


# Split doses


def test_a_split_step_shows_the_morning_and_bedtime_lines() -> None:
    values: dict[str, Raw] = {"steps": "0.5 mg for 7d, 0.5 mg + 1 mg", "from": "2026-12-07"}
    schedule = build_schedule(build_request(values, {}, date(2026, 12, 7)))
    html = page(schedule)
    text = text_of(html)
    assert "Mon 14 Dec 2026 onwards 1.5 mg a day Morning: 0.5 mg Bedtime: 1 mg" in text
    # The first week at the split target: two tick boxes a day, each with its time, under
    # one band that says what to take at each time.
    assert html.count('<span class="box"></span>') == 7 + 2 * 7
    assert html.count('<span class="box"></span>am</span>') == 7
    assert html.count('<span class="box"></span>bed</span>') == 7
    assert html.count('<span class="time">am</span>') == 1
    assert html.count('<span class="time">bed</span>') == 1
    assert "(am: in the morning; bed: at bedtime)" in html


def test_a_split_liquid_step_names_the_strength_on_both_lines() -> None:
    runner = CliRunner()
    (example,) = [p for p in EXAMPLES if p.name == "ldn-trust-split-daytime-dose.toml"]
    result = runner.invoke(app, ["plan", str(example), "--format", "html"])
    text = text_of(result.stdout)
    assert (
        "Mon 28 Dec 2026 onwards 2 mg a day "
        "Morning: 0.5 mL of the 1 mg/mL liquid = 0.5 mg "
        "Bedtime: 1.5 mL of the 1 mg/mL liquid = 1.5 mg"
    ) in text


# The command line


ARGS = (
    *("plan", "--start", "1", "--target", "2", "--step", "1", "--every", "7d"),
    *("--from", "2026-12-07", "--format", "html"),
)


def test_html_goes_to_a_pipe() -> None:
    result = CliRunner().invoke(app, [*ARGS])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.startswith("<!DOCTYPE html>\n")


def test_html_goes_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "handout.html"
    result = CliRunner().invoke(app, [*ARGS, "-o", str(out)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>\n")


REFUSAL = "error: --format html: a page to open or print, not to read here; add -o handout.html\n"


def test_html_to_a_terminal_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from ldn_titrate.cli import output  # noqa: PLC0415

    monkeypatch.setattr(output, "_stdout_is_terminal", lambda: True)
    result = CliRunner().invoke(app, [*ARGS])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", REFUSAL)
    result = CliRunner().invoke(app, [*ARGS, "-o", "-"])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", REFUSAL)


def test_html_to_a_real_terminal_is_refused(tmp_path: Path) -> None:
    main, secondary = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "ldn_titrate", *ARGS],
            stdout=secondary,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            cwd=tmp_path,
            timeout=60,
        )
    finally:
        os.close(secondary)
        os.close(main)
    assert (result.returncode, result.stderr) == (2, REFUSAL)


# Amounts, checks and long text


def test_every_amount_is_unbreakable() -> None:
    capsules = {"form": "capsule", "strengths": "1.5,0.5"}
    for schedule in (plan(), plan(form="liquid", concentration="1mg/mL"), plan(**capsules)):
        html = page(schedule)
        body = re.sub(r"<style>.*?</style>|<[^>]*>", " ", html, flags=re.DOTALL)
        # A number and its unit, or a count and its strength, never joined by a plain space.
        assert re.findall(r"[0-9] (?:mg|mL|capsules?\b|×)|× [0-9]", body) == []
        assert " = " not in body


def test_a_capsule_handout_has_its_label_check() -> None:
    html = page(plan(form="capsule", strengths="1.5,0.5"))
    assert (
        "Your capsules are naltrexone 1.5 mg and 0.5 mg. Check that each bottle says the "
        "strength the table gives: a capsule of another strength holds a different dose."
    ) in text_of(html)
    assert html.count('<p class="strength">') == 1


def test_the_chart_labels_at_most_ten_doses_whatever_the_steps() -> None:
    schedule = plan(start="0.1", target="4.5", step="0.1", every="3d")
    assert len(schedule.steps) == 45
    (svg,) = re.findall(r"<svg .*?</svg>", page(schedule), re.DOTALL)
    doses = [t for t in re.findall(r">([^<>]+)</text>", svg) if t.endswith("mg")]
    dates = [t for t in re.findall(r">([^<>]+)</text>", svg) if not t.endswith("mg")]
    assert 2 <= len(doses) <= 10
    assert doses[0].startswith("0.1")
    assert doses[-1].startswith("4.5")
    assert len(dates) <= 10


def test_long_unbroken_text_wraps_instead_of_widening_the_page() -> None:
    html = page(plan(label="A" * 150))
    assert "overflow-wrap: anywhere" in html


@pytest.mark.parametrize(("paper", "size"), [("a4", "A4"), ("letter", "letter"), (None, None)])
def test_the_paper_sets_the_page_size(paper: str | None, size: str | None) -> None:
    html = html_format.write(plan(), WriteOptions(paper=paper))
    rule = re.search(r"@page \{[^}]*\}", html)
    assert rule is not None
    assert ("size:" in rule[0]) == (size is not None)
    if size is not None:
        assert f"size: {size};" in rule[0]


def test_a_week_of_the_calendar_starts_on_the_plans_first_weekday() -> None:
    # Thursday 7 January 2027: weekly steps change dose at the start of each calendar week.
    html = page(plan(**{"from": "2027-01-07"}))
    heads = "".join(f"<th>{d}</th>" for d in ("Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"))
    assert heads in html
    assert html.count('<td colspan="7"') == 3


def test_a_long_plans_calendar_stops_after_twelve_weeks_and_says_so() -> None:
    html = page(plan(target="4.5", every="1mo", **{"from": "2027-01-07"}))
    assert html.split('<div class="month">')[1].count("<tbody>") == 12
    assert "The calendar stops on Wed 31 Mar 2027; the table gives every step." in text_of(html)


@given(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=1, max_value=20),
    st.booleans(),
    st.integers(min_value=1, max_value=9),
)
def test_every_calendar_day_has_a_box_per_dose_under_a_band_of_its_step(
    start: date, days: int, split: bool, steps: int
) -> None:
    from ldn_titrate.formats.handout_calendar import MAX_WEEKS, calendar  # noqa: PLC0415

    values: dict[str, Raw] = {"start": "0.5", "step": "0.5", "every": f"{days}d"}
    values |= {"target": format_number(Decimal("0.5") * steps), "from": start.isoformat()}
    if split:
        values["split"] = True
    schedule = build_schedule(build_request(values, {}, start))
    shown = calendar(schedule)
    first, last = calendar_span(schedule.steps)
    assert len(shown.weeks) <= MAX_WEEKS
    assert (shown.until is None) == ((last - first).days < 7 * MAX_WEEKS)
    for number, week in enumerate(shown.weeks):
        assert sum(run.span for run in week.runs) == len(week.days) == 7
        column = 0
        for run in week.runs:
            for day_of_run in range(run.span):
                day = first + timedelta(days=7 * number + column + day_of_run)
                cell = week.days[column + day_of_run]
                assert cell.inside == run.inside == (day <= last)
                if run.inside:
                    step = next(s for s in reversed(schedule.steps) if s.first_day <= day)
                    assert len(cell.boxes) == len(step.doses_of_day(schedule.request.time))
                    assert cell.change == (day == step.first_day and step.number > 1)
                    assert run.same or len(run.doses) == len(cell.boxes)
            column += run.span
