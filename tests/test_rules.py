"""The dose ladder, step dates, notices, and turning what the user typed into a request."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

import pytest

from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.errors import InputError, InputErrors, PlanFormatError
from ldn_titrate.model import DoseTime, Schedule, TitrationRequest, step_count
from ldn_titrate.request import KEYS, Raw, build_request, option_name
from ldn_titrate.request_files import read_request_file
from ldn_titrate.rules import build_schedule, dose_ladder, notices
from ldn_titrate.wording import instructions

MONDAY = date(2026, 12, 7)
BASE: dict[str, Raw] = {
    "start": "0.5",
    "target": "2",
    "step": "0.5",
    "every": "7d",
    "from": "2026-12-07",
}


def request(**changes: Raw | None) -> TitrationRequest:
    """A request built from text, as the command line would build it; None drops a key."""
    values = {**BASE, **changes}
    return build_request({k: v for k, v in values.items() if v is not None}, {}, MONDAY)


def plan(**changes: Raw | None) -> Schedule:
    return build_schedule(request(**changes))


def doses(**changes: Raw | None) -> list[str]:
    return [str(step.dose_mg) for step in plan(**changes).steps]


def refusals(
    values: Mapping[str, Raw], names: Mapping[str, str] | None = None, today: date = MONDAY
) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        build_request(values, names or {}, today)
    assert str(caught.value) == "\n".join(str(e) for e in caught.value.errors)
    return [str(e) for e in caught.value.errors]


def refused(**changes: Raw | None) -> list[str]:
    values = {**BASE, **changes}
    return refusals({k: v for k, v in values.items() if v is not None})


# The ladder


def test_ladder_up() -> None:
    assert doses() == ["0.5", "1", "1.5", "2"]


def test_ladder_capped_at_the_target() -> None:
    assert doses(target="4.5", step="1.5") == ["0.5", "2", "3.5", "4.5"]


def test_ladder_up_uneven() -> None:
    assert doses(start="0.25", target="1", step="0.3") == ["0.25", "0.55", "0.85", "1"]


def test_taper() -> None:
    assert doses(start="4.5", target="0.5", step="1") == ["4.5", "3.5", "2.5", "1.5", "0.5"]


def test_taper_capped_at_the_target() -> None:
    assert doses(start="4.5", target="0.5", step="1.5") == ["4.5", "3", "1.5", "0.5"]


def test_step_larger_than_the_distance() -> None:
    assert doses(start="0.5", target="1", step="2") == ["0.5", "1"]


def test_microgram_steps() -> None:
    assert doses(start="100 mcg", target="0.5", step="125mcg") == [
        "0.1",
        "0.225",
        "0.35",
        "0.475",
        "0.5",
    ]


def test_single_maintenance_step() -> None:
    schedule = plan(start="1.5", target="1.5", step=None, every=None)
    assert [(s.number, s.dose_mg, s.first_day, s.last_day, s.days) for s in schedule.steps] == [
        (1, Decimal("1.5"), MONDAY, None, None)
    ]
    assert [n.code for n in schedule.notices] == ["maintenance-only"]


def test_single_step_ignores_step_and_interval() -> None:
    schedule = plan(start="3", target="3", step="0.5", every="1d")
    assert [s.dose_mg for s in schedule.steps] == [Decimal(3)]
    assert [n.code for n in schedule.notices] == ["maintenance-only"]


def test_single_step_with_maintenance_days() -> None:
    schedule = plan(start="1", target="1", step=None, every=None, maintenance_days="30")
    (step,) = schedule.steps
    assert (step.first_day, step.last_day, step.days) == (MONDAY, date(2027, 1, 5), 30)


def test_dose_ladder_function() -> None:
    assert dose_ladder(request(start="1", target="1", step=None, every=None)) == [Decimal(1)]
    assert dose_ladder(request(start="2", target="0.5", step="0.5")) == [
        Decimal(2),
        Decimal("1.5"),
        Decimal(1),
        Decimal("0.5"),
    ]


@pytest.mark.parametrize(
    ("start", "target", "step", "count"),
    [
        ("0.5", "4.5", "0.5", 9),
        ("0.5", "4.5", "1.5", 4),
        ("0.5", "4.5", "4", 2),
        ("0.5", "4.5", "4.5", 2),
        ("4.5", "0.5", "0.5", 9),
        ("1", "1", "0.5", 1),
        ("0.1", "0.5", "0.001", 401),
        ("0.5", "1.49", "0.01", 100),
        ("0.5", "1.5", "0.01", 101),
        ("0.1", "4.5", "0.044", 101),
        ("0.1", "4.5", "0.045", 99),
    ],
)
def test_step_count(start: str, target: str, step: str, count: int) -> None:
    assert step_count(Decimal(start), Decimal(target), Decimal(step)) == count


def test_one_hundred_steps_are_allowed() -> None:
    schedule = plan(start="0.5", target="1.49", step="0.01")
    assert len(schedule.steps) == 100
    assert schedule.steps[-1].number == 100
    assert schedule.steps[-1].first_day == date(2028, 10, 30)


def test_one_hundred_and_one_steps_are_refused() -> None:
    assert refused(start="0.5", target="1.5", step="0.01") == [
        "--step: makes more than 100 steps from 0.5 mg to 1.5 mg; use a larger step, got '0.01'"
    ]


# Dates of the steps


def test_weekly_dates() -> None:
    steps = plan().steps
    assert [(s.first_day, s.last_day, s.days) for s in steps] == [
        (date(2026, 12, 7), date(2026, 12, 13), 7),
        (date(2026, 12, 14), date(2026, 12, 20), 7),
        (date(2026, 12, 21), date(2026, 12, 27), 7),
        (date(2026, 12, 28), None, None),
    ]


def test_fortnightly_dates() -> None:
    steps = plan(every="2w").steps
    assert [s.first_day for s in steps] == [
        date(2026, 12, 7),
        date(2026, 12, 21),
        date(2027, 1, 4),
        date(2027, 1, 18),
    ]
    assert [s.days for s in steps] == [14, 14, 14, None]


def test_maintenance_days_end_the_target_step() -> None:
    steps = plan(maintenance_days="30").steps
    assert (steps[-1].first_day, steps[-1].last_day, steps[-1].days) == (
        date(2026, 12, 28),
        date(2027, 1, 26),
        30,
    )


def test_one_maintenance_day() -> None:
    last = plan(maintenance_days="1").steps[-1]
    assert (last.first_day, last.last_day, last.days) == (date(2026, 12, 28), date(2026, 12, 28), 1)


def test_monthly_maintenance() -> None:
    steps = plan(start="1", target="2", step="1", every="1mo", maintenance_days="31").steps
    assert [(s.first_day, s.last_day, s.days) for s in steps] == [
        (date(2026, 12, 7), date(2027, 1, 6), 31),
        (date(2027, 1, 7), date(2027, 2, 6), 31),
    ]


def test_default_first_day_is_today() -> None:
    schedule = plan(**{"from": None})
    assert schedule.steps[0].first_day == MONDAY


def test_first_day_given_as_a_date() -> None:
    schedule = plan(**{"from": date(2027, 3, 1)})
    assert schedule.steps[0].first_day == date(2027, 3, 1)


@pytest.mark.parametrize(
    ("text", "day"),
    [("today", MONDAY), ("tomorrow", date(2026, 12, 8)), ("friday", date(2026, 12, 11))],
)
def test_first_day_words(text: str, day: date) -> None:
    assert request(**{"from": text}).first_day == day


# Instructions


def test_instructions() -> None:
    assert instructions(Decimal("0.5"), DoseTime.BEDTIME) == (
        "Take 0.5 mg naltrexone by mouth once daily at bedtime."
    )
    assert instructions(Decimal("3.0"), DoseTime.MORNING) == (
        "Take 3 mg naltrexone by mouth once daily in the morning."
    )


def test_time_of_day_reaches_every_step() -> None:
    steps = plan(time="Morning").steps
    assert [s.instructions for s in steps] == [
        "Take 0.5 mg naltrexone by mouth once daily in the morning.",
        "Take 1 mg naltrexone by mouth once daily in the morning.",
        "Take 1.5 mg naltrexone by mouth once daily in the morning.",
        "Take 2 mg naltrexone by mouth once daily in the morning.",
    ]


# Notices


def notice_lines(**changes: Raw | None) -> list[tuple[str, str, str]]:
    return [(n.code, n.field, n.message) for n in plan(**changes).notices]


def test_no_notices_for_an_ordinary_plan() -> None:
    assert notice_lines() == []


def test_very_low_start() -> None:
    assert notice_lines(start="0.25", step="0.25") == [
        ("very-low-start", "start", "0.25 mg is a very low dose (below 0.5 mg)")
    ]


def test_start_of_half_a_milligram_is_not_very_low() -> None:
    assert notice_lines(start="0.5") == []


@pytest.mark.parametrize("every", ["1", "2d"])
def test_fast_interval(every: str) -> None:
    days = every.rstrip("d")
    assert notice_lines(every=every) == [
        (
            "fast-interval",
            "every",
            (
                f"a step every {days} day(s) is faster than any published LDN protocol "
                "(every 3 days at the fastest)"
            ),
        )
    ]


@pytest.mark.parametrize("every", ["3d", "1w", "1mo"])
def test_intervals_that_are_not_fast(every: str) -> None:
    assert notice_lines(every=every) == []


def test_large_step() -> None:
    assert notice_lines(target="4.5", step="1.6") == [
        (
            "large-step",
            "step",
            "a step of 1.6 mg is larger than any published LDN protocol uses (1.5 mg at most)",
        )
    ]


def test_step_of_one_and_a_half_is_not_large() -> None:
    assert notice_lines(target="4.5", step="1.5") == []


def test_maintenance_only() -> None:
    assert notice_lines(start="2", step=None, every=None) == [
        (
            "maintenance-only",
            "target",
            "the start equals the target: a single maintenance step, no titration",
        )
    ]


def test_notices_together_in_order() -> None:
    assert [
        code for code, _, _ in notice_lines(start="0.25", target="4.5", step="2", every="2")
    ] == [
        "very-low-start",
        "fast-interval",
        "large-step",
    ]


def test_notices_function_matches_schedule() -> None:
    req = request(start="0.1", step="0.5", every="1d")
    assert tuple(notices(req)) == build_schedule(req).notices


# Refusals through build_request


@pytest.mark.parametrize(
    ("changes", "lines"),
    [
        ({"target": "6"}, ["--target: must be from 0.5 mg to 4.5 mg, got '6'"]),
        ({"target": "0.4"}, ["--target: must be from 0.5 mg to 4.5 mg, got '0.4'"]),
        ({"start": "0.05"}, ["--start: must be from 0.1 mg to 4.5 mg, got '0.05'"]),
        ({"start": "50 mcg"}, ["--start: must be from 0.1 mg to 4.5 mg, got '50 mcg'"]),
        ({"start": "4.6"}, ["--start: must be from 0.1 mg to 4.5 mg, got '4.6'"]),
        ({"step": "0"}, ["--step: must be more than 0 mg and at most 4.5 mg, got '0'"]),
        ({"step": "4.6"}, ["--step: must be more than 0 mg and at most 4.5 mg, got '4.6'"]),
        ({"step": "0.0001"}, ["--step: use at most 3 decimal places in mg, got '0.0001'"]),
        ({"start": ".5"}, ["--start: write a leading zero (0.5), got '.5'"]),
        (
            {"start": "4.5mcg"},
            [
                (
                    "--start: did you mean 4.5 mg? 4.5 mcg is a microgram dose, "
                    "below the 0.1 mg floor, got '4.5mcg'"
                )
            ],
        ),
        ({"start": None}, ["--start: is required"]),
        ({"target": None}, ["--target: is required"]),
        ({"every": "1m"}, ["--every: use 1mo for months or 30d for days, got '1m'"]),
        (
            {"from": "01/02/2026"},
            [
                (
                    "--from: write YYYY-MM-DD, today, tomorrow or a weekday name such as monday "
                    "(other forms are ambiguous), got '01/02/2026'"
                )
            ],
        ),
        ({"from": "2026-02-30"}, ["--from: no such day in the calendar, got '2026-02-30'"]),
        ({"time": "noon"}, ["--time: must be bedtime or morning, got 'noon'"]),
        (
            {"maintenance_days": "0"},
            ["--maintenance-days: must be a whole number of days from 1 to 3660, got '0'"],
        ),
        (
            {"maintenance_days": "3661"},
            ["--maintenance-days: must be a whole number of days from 1 to 3660, got '3661'"],
        ),
        (
            {"maintenance_days": "2w"},
            ["--maintenance-days: must be a whole number of days, such as 30, got '2w'"],
        ),
        (
            {"label": "a\tb"},
            [
                (
                    "--label: must be printable text on one line "
                    "(no tabs or control characters), got 'a\\tb'"
                )
            ],
        ),
        (
            {"label": "x" * 201},
            [str(InputError("--label", "x" * 201, "must be at most 200 characters"))],
        ),
    ],
)
def test_refusals(changes: dict[str, Raw | None], lines: list[str]) -> None:
    assert refused(**changes) == lines


def test_several_parse_problems_at_once() -> None:
    assert refused(start=".5", every="1m", time="noon") == [
        "--start: write a leading zero (0.5), got '.5'",
        "--every: use 1mo for months or 30d for days, got '1m'",
        "--time: must be bedtime or morning, got 'noon'",
    ]


def test_every_problem_is_reported_at_once() -> None:
    """A value out of range is reported together with a value that cannot be parsed."""
    assert set(refused(target="6", every="1m")) == {
        "--target: must be from 0.5 mg to 4.5 mg, got '6'",
        "--every: use 1mo for months or 30d for days, got '1m'",
    }


def test_start_and_target_both_missing() -> None:
    assert refusals({}) == ["--start: is required", "--target: is required"]


def test_step_is_required_when_start_differs_from_target() -> None:
    assert refused(step=None) == ["--step: is required when the start differs from the target"]


def test_interval_is_required_when_start_differs_from_target() -> None:
    assert refused(every=None) == ["--every: is required when the start differs from the target"]


def test_messages_use_the_names_given() -> None:
    names = {"target": "ramp.toml: target"}
    assert refusals({**BASE, "target": "6"}, names) == [
        "ramp.toml: target: must be from 0.5 mg to 4.5 mg, got '6'"
    ]


@pytest.mark.parametrize(
    ("key", "option"),
    [("start", "--start"), ("maintenance_days", "--maintenance-days"), ("from", "--from")],
)
def test_option_name(key: str, option: str) -> None:
    assert option_name(key) == option


def test_numbers_are_accepted_where_text_is() -> None:
    req = request(start=1, target=2, step=1, every=7, maintenance_days=30)
    assert (req.start_mg, req.target_mg, req.step_mg, req.every, req.maintenance_days) == (
        Decimal(1),
        Decimal(2),
        Decimal(1),
        Interval(7, IntervalUnit.DAYS),
        30,
    )


def test_label_must_be_text() -> None:
    assert refused(label=5) == ["--label: must be text, got '5'"]


# Request files


def read(text: str) -> dict[str, Raw]:
    return read_request_file(text, "ramp.toml")


def file_request(text: str) -> TitrationRequest:
    values = read(text)
    return build_request(values, {k: f"ramp.toml: {k}" for k in values}, MONDAY)


def file_refusals(text: str) -> list[str]:
    values = read(text)
    return refusals(values, {k: f"ramp.toml: {k}" for k in values})


def file_error(text: str) -> PlanFormatError:
    with pytest.raises(PlanFormatError) as caught:
        read(text)
    assert caught.value.source == "ramp.toml"
    return caught.value


GOOD_FILE = """\
# a comment
label = "AB"
start = "0.5 mg"
target = "2 mg"
step = "0.5mg"
every = "2w"
from = 2026-12-07
time = "morning"
maintenance_days = 28
source = "https://example.org/protocol"
"""


def test_request_file() -> None:
    req = file_request(GOOD_FILE)
    assert req.start_mg == Decimal("0.5")
    assert req.target_mg == Decimal(2)
    assert req.step_mg == Decimal("0.5")
    assert req.every == Interval(2, IntervalUnit.WEEKS)
    assert req.first_day == MONDAY
    assert req.time is DoseTime.MORNING
    assert req.maintenance_days == 28
    assert req.label == "AB"
    assert req.source == "https://example.org/protocol"


def test_float_numbers_are_read_exactly() -> None:
    values = read("start = 0.1\ntarget = 4.5\nstep = 0.2\nevery = 7\n")
    assert values == {
        "start": Decimal("0.1"),
        "target": Decimal("4.5"),
        "step": Decimal("0.2"),
        "every": 7,
    }
    assert all(type(v) is not float for v in values.values())
    req = file_request("start = 0.1\ntarget = 4.5\nstep = 0.2\nevery = 7\n")
    assert (req.start_mg, req.step_mg) == (Decimal("0.1"), Decimal("0.2"))
    assert build_schedule(req).steps[1].dose_mg == Decimal("0.3")


def test_float_number_with_trailing_zeros() -> None:
    req = file_request("start = 0.500\ntarget = 1.0\nstep = 0.25\nevery = 7\n")
    assert [str(s.dose_mg) for s in build_schedule(req).steps] == ["0.5", "0.75", "1"]


def test_negative_float_in_a_file() -> None:
    assert file_refusals("start = -0.5\ntarget = 1\nstep = 0.5\nevery = 7\n") == [
        "ramp.toml: start: a dose has no sign, got '-0.5'"
    ]


def test_unknown_key() -> None:
    error = file_error("start = 1\ndose = 2\nzeta = 3\n")
    assert str(error) == f"ramp.toml: unknown key 'dose'; the keys are {', '.join(KEYS)}"


def test_a_table_is_an_unknown_key() -> None:
    error = file_error("[plan]\nstart = 1\n")
    assert str(error) == f"ramp.toml: unknown key 'plan'; the keys are {', '.join(KEYS)}"


@pytest.mark.parametrize("text", ["start = ", "start = 1\nstart = 2\n", "start 1", "start = '1"])
def test_bad_toml(text: str) -> None:
    with pytest.raises(tomllib.TOMLDecodeError) as decode:
        tomllib.loads(text)
    assert str(file_error(text)) == f"ramp.toml: not a valid TOML request file: {decode.value}"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("start = true", "start"),
        ("start = [1]", "start"),
        ("target = {mg = 1}", "target"),
        ("from = 10:00:00", "from"),
    ],
)
def test_values_of_the_wrong_kind(text: str, key: str) -> None:
    assert str(file_error(text)) == f"ramp.toml: key {key!r}: must be text, a number or a date"


def test_a_datetime_is_not_a_day() -> None:
    values = read("start = 1\ntarget = 1\nfrom = 2026-12-07T10:00:00\n")
    assert values["from"] == datetime(2026, 12, 7, 10, 0)  # noqa: DTZ001 - a local TOML datetime
    assert file_refusals("start = 1\ntarget = 1\nfrom = 2026-12-07T10:00:00\n") == [
        "ramp.toml: from: must be a day without a time, YYYY-MM-DD, got '2026-12-07T10:00:00'"
    ]


def test_an_offset_datetime_is_not_a_day() -> None:
    assert file_refusals("start = 1\ntarget = 1\nfrom = 2026-12-07T10:00:00Z\n") == [
        "ramp.toml: from: must be a day without a time, YYYY-MM-DD, got '2026-12-07T10:00:00+00:00'"
    ]


def test_a_date_is_a_day() -> None:
    assert file_request("start = 1\ntarget = 1\nfrom = 2027-02-28\n").first_day == date(2027, 2, 28)


def test_an_empty_file_requires_start_and_target() -> None:
    assert read("") == {}
    assert refusals(read("")) == ["--start: is required", "--target: is required"]


# Values from a file are shown as the user wrote them, never as Python objects.


def test_file_number_out_of_range_is_quoted_as_written() -> None:
    assert file_refusals("start = 1\ntarget = 6.5\nstep = 1\nevery = 7\n") == [
        "ramp.toml: target: must be from 0.5 mg to 4.5 mg, got '6.5'"
    ]


def test_file_whole_number_out_of_range_is_quoted_as_written() -> None:
    assert file_refusals("start = 1\ntarget = 6\nstep = 1\nevery = 7\n") == [
        "ramp.toml: target: must be from 0.5 mg to 4.5 mg, got '6'"
    ]


def test_file_fractional_days_are_quoted_as_written() -> None:
    assert file_refusals("start = 1\ntarget = 1\nmaintenance_days = 30.5\n") == [
        "ramp.toml: maintenance_days: must be a whole number of days, such as 30, got '30.5'"
    ]


def test_file_date_for_a_dose_is_quoted_as_written() -> None:
    assert file_refusals("start = 2026-01-01\ntarget = 1\n") == [
        "ramp.toml: start: must be text, such as \"0.5 mg\", got '2026-01-01'"
    ]


# Edges of the calendar


def test_a_plan_past_the_end_of_the_calendar_is_refused() -> None:
    """Steps that would fall after 9999-12-31 are an input error, not a crash."""
    with pytest.raises(InputErrors) as caught:
        build_schedule(request(**{"from": "9999-12-31"}))
    assert [e.field for e in caught.value.errors] == ["--from"]
