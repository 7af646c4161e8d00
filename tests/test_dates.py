"""Days and intervals: parsing what people type, and the calendar arithmetic of steps."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_titrate.dates import DAY_FORMS, Interval, IntervalUnit, parse_day, parse_interval
from ldn_titrate.errors import InputError
from ldn_titrate.model import Schedule
from ldn_titrate.request import build_request
from ldn_titrate.rules import build_schedule, step_start

WRITE_INTERVAL = "write whole days (7 or 7d), weeks (2w) or calendar months (1mo)"
INTERVAL_RANGE = "must be from 1 day to 26 weeks (182d, 26w or 5mo at most)"
MONDAY = date(2026, 12, 7)


def refused_interval(text: str) -> str:
    with pytest.raises(InputError) as caught:
        parse_interval(text, "--every")
    return str(caught.value)


def refused_day(text: str, today: date = MONDAY) -> str:
    with pytest.raises(InputError) as caught:
        parse_day(text, "--from", today)
    return str(caught.value)


def schedule(first: str, every: str, steps: int) -> Schedule:
    """A schedule of ``steps`` steps of 0.5 mg, rising from 0.5 mg."""
    values = {
        "start": "0.5",
        "target": str(Decimal("0.5") * steps),
        "step": "0.5",
        "every": every,
        "from": first,
    }
    return build_schedule(build_request(values, {}, MONDAY))


# Intervals


@pytest.mark.parametrize(
    ("text", "count", "unit", "days"),
    [
        ("7", 7, IntervalUnit.DAYS, 7),
        ("7d", 7, IntervalUnit.DAYS, 7),
        ("7D", 7, IntervalUnit.DAYS, 7),
        (" 3d ", 3, IntervalUnit.DAYS, 3),
        ("1", 1, IntervalUnit.DAYS, 1),
        ("182", 182, IntervalUnit.DAYS, 182),
        ("182d", 182, IntervalUnit.DAYS, 182),
        ("2w", 2, IntervalUnit.WEEKS, 14),
        ("1W", 1, IntervalUnit.WEEKS, 7),
        ("26w", 26, IntervalUnit.WEEKS, 182),
        ("1mo", 1, IntervalUnit.MONTHS, None),
        ("1MO", 1, IntervalUnit.MONTHS, None),
        ("5mo", 5, IntervalUnit.MONTHS, None),
        ("014d", 14, IntervalUnit.DAYS, 14),
    ],
)
def test_intervals(text: str, count: int, unit: IntervalUnit, days: int | None) -> None:
    interval = parse_interval(text, "--every")
    assert interval == Interval(count, unit)
    assert interval.fixed_days == days


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (Interval(7, IntervalUnit.DAYS), "7d"),
        (Interval(2, IntervalUnit.WEEKS), "2w"),
        (Interval(1, IntervalUnit.MONTHS), "1mo"),
    ],
)
def test_interval_text(interval: Interval, text: str) -> None:
    assert str(interval) == text
    assert parse_interval(text, "--every") == interval


@pytest.mark.parametrize("text", ["1m", "12m", "1M", " 3m "])
def test_bare_m_is_refused_as_ambiguous(text: str) -> None:
    assert refused_interval(text) == (f"--every: use 1mo for months or 30d for days, got {text!r}")


@pytest.mark.parametrize(
    "text", ["7 d", "1y", "-1d", "+7", "1.5w", "d", "", "fortnight", "7days", "1 mo", "٧"]
)
def test_other_interval_forms_are_refused(text: str) -> None:
    assert refused_interval(text) == f"--every: {WRITE_INTERVAL}, got {text!r}"


@pytest.mark.parametrize("text", ["0", "0d", "0w", "0mo", "183", "183d", "27w", "6mo", "999999"])
def test_intervals_out_of_range(text: str) -> None:
    assert refused_interval(text) == f"--every: {INTERVAL_RANGE}, got {text!r}"


def test_a_very_long_interval_is_refused_cleanly() -> None:
    text = "1" * 5000
    with pytest.raises(InputError) as caught:
        parse_interval(text, "--every")
    assert caught.value.allowed in {WRITE_INTERVAL, INTERVAL_RANGE}
    assert str(caught.value) == str(InputError("--every", text, caught.value.allowed))


# Days


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-12-07", date(2026, 12, 7)),
        (" 2026-12-07 ", date(2026, 12, 7)),
        ("2028-02-29", date(2028, 2, 29)),
        ("today", MONDAY),
        ("TODAY", MONDAY),
        ("tomorrow", MONDAY + timedelta(days=1)),
        ("Tomorrow", MONDAY + timedelta(days=1)),
    ],
)
def test_days(text: str, day: date) -> None:
    assert parse_day(text, "--from", MONDAY) == day


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("monday", date(2026, 12, 7)),
        ("Monday", date(2026, 12, 7)),
        ("tuesday", date(2026, 12, 8)),
        ("wednesday", date(2026, 12, 9)),
        ("thursday", date(2026, 12, 10)),
        ("friday", date(2026, 12, 11)),
        ("saturday", date(2026, 12, 12)),
        ("SUNDAY", date(2026, 12, 13)),
    ],
)
def test_weekday_names_on_a_monday(name: str, day: date) -> None:
    """The weekday named is today when today is that day, else the next one."""
    assert parse_day(name, "--from", MONDAY) == day


def test_weekday_names_on_a_sunday() -> None:
    sunday = date(2026, 12, 13)
    assert parse_day("sunday", "--from", sunday) == sunday
    assert parse_day("monday", "--from", sunday) == date(2026, 12, 14)
    assert parse_day("saturday", "--from", sunday) == date(2026, 12, 19)


def test_weekday_across_the_year_end() -> None:
    thursday = date(2026, 12, 31)
    assert parse_day("friday", "--from", thursday) == date(2027, 1, 1)
    assert parse_day("tomorrow", "--from", thursday) == date(2027, 1, 1)
    assert parse_day("wednesday", "--from", thursday) == date(2027, 1, 6)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.sampled_from(WEEKDAYS)
)
def test_weekday_is_the_first_such_day_from_today(today: date, name: str) -> None:
    day = parse_day(name, "--from", today)
    assert 0 <= (day - today).days <= 6
    assert day.weekday() == WEEKDAYS.index(name)


@pytest.mark.parametrize(
    "text",
    [
        "01/02/2026",
        "2026/02/01",
        "1.2.2026",
        "2026-2-1",
        "20261207",
        "2026-12-07T00:00",
        "2026-W50-1",
        "mon",
        "next monday",
        "yesterday",
        "",
    ],
)
def test_ambiguous_day_forms_are_refused(text: str) -> None:
    assert refused_day(text) == (
        f"--from: write {DAY_FORMS} (other forms are ambiguous), got {text!r}"
    )


def test_day_forms_text() -> None:
    assert DAY_FORMS == "YYYY-MM-DD, today, tomorrow or a weekday name such as monday"


@pytest.mark.parametrize(
    "text", ["2026-02-30", "2026-02-29", "2026-13-01", "2026-00-10", "0000-01-01"]
)
def test_days_not_in_the_calendar(text: str) -> None:
    assert refused_day(text) == f"--from: no such day in the calendar, got {text!r}"


# Step dates


def test_monthly_steps_from_the_31st_never_drift() -> None:
    steps = schedule("2026-01-31", "1mo", 4).steps
    assert [s.first_day for s in steps] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    assert [s.last_day for s in steps] == [
        date(2026, 2, 27),
        date(2026, 3, 30),
        date(2026, 4, 29),
        None,
    ]
    assert [s.days for s in steps] == [28, 31, 30, None]


def test_monthly_steps_reach_a_leap_day() -> None:
    steps = schedule("2028-01-31", "1mo", 3).steps
    assert [s.first_day for s in steps] == [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31)]
    assert steps[0].last_day == date(2028, 2, 28)
    assert steps[0].days == 29


def test_leap_day_start_monthly() -> None:
    steps = schedule("2028-02-29", "1mo", 3).steps
    assert [s.first_day for s in steps] == [date(2028, 2, 29), date(2028, 3, 29), date(2028, 4, 29)]


def test_five_monthly_steps_from_a_leap_day() -> None:
    steps = schedule("2028-02-29", "5mo", 4).steps
    assert [s.first_day for s in steps] == [
        date(2028, 2, 29),
        date(2028, 7, 29),
        date(2028, 12, 29),
        date(2029, 5, 29),
    ]


def test_two_monthly_steps_from_the_31st() -> None:
    steps = schedule("2026-12-31", "2mo", 4).steps
    assert [s.first_day for s in steps] == [
        date(2026, 12, 31),
        date(2027, 2, 28),
        date(2027, 4, 30),
        date(2027, 6, 30),
    ]


def test_weekly_steps_across_the_year_end() -> None:
    steps = schedule("2026-12-28", "1w", 3).steps
    assert [(s.first_day, s.last_day) for s in steps] == [
        (date(2026, 12, 28), date(2027, 1, 3)),
        (date(2027, 1, 4), date(2027, 1, 10)),
        (date(2027, 1, 11), None),
    ]


def test_daily_steps_across_the_year_end() -> None:
    steps = schedule("2026-12-30", "1d", 4).steps
    assert [s.first_day for s in steps] == [
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 1, 2),
    ]
    assert [s.days for s in steps] == [1, 1, 1, None]


def test_monthly_steps_across_the_year_end() -> None:
    steps = schedule("2026-11-30", "1mo", 4).steps
    assert [s.first_day for s in steps] == [
        date(2026, 11, 30),
        date(2026, 12, 30),
        date(2027, 1, 30),
        date(2027, 2, 28),
    ]
    assert steps[1].last_day == date(2027, 1, 29)


@pytest.mark.parametrize(
    ("every", "index", "day"),
    [
        (Interval(1, IntervalUnit.MONTHS), 1, date(2026, 2, 28)),
        (Interval(1, IntervalUnit.MONTHS), 2, date(2026, 3, 31)),
        (Interval(1, IntervalUnit.MONTHS), 3, date(2026, 4, 30)),
        (Interval(1, IntervalUnit.MONTHS), 12, date(2027, 1, 31)),
        (Interval(3, IntervalUnit.MONTHS), 1, date(2026, 4, 30)),
        (Interval(2, IntervalUnit.WEEKS), 3, date(2026, 3, 14)),
        (Interval(10, IntervalUnit.DAYS), 0, date(2026, 1, 31)),
        (Interval(10, IntervalUnit.DAYS), 1, date(2026, 2, 10)),
    ],
)
def test_step_start(every: Interval, index: int, day: date) -> None:
    assert step_start(date(2026, 1, 31), every, index) == day
