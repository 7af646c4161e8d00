"""Calendars as people use them: a re-plan imported over the original, reminders per dose time.

The two files are merged as a calendar does (an event replaces the one of the same UID unless
its SEQUENCE is lower; a cancelled event is removed) and the result is expanded day by day by
two independent readers: icalendar with recurring-ical-events, and a plain line reader with
dateutil's RRULE. After the merge, every day has exactly one dose per dose time, the dose the
re-plan says.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events  # type: ignore[import-untyped]  # ships no type information
from dateutil.rrule import rrulestr
from typer.testing import CliRunner

from ldn_titrate.cli import app
from ldn_titrate.formats import json_format

PLAN = ["plan", "--start", "0.5", "--target", "2", "--step", "0.5", "--every", "14d"]
PLAN += ["--from", "2026-12-07", "--label", "AB 12"]
SPLIT = ["plan", "--start", "1", "--target", "3", "--step", "1", "--every", "7d", "--split"]
SPLIT += ["--from", "2026-12-07"]
STEPS = [
    "plan",
    "--steps",
    "0.5 mg for 7d, 0.5 mg + 1 mg for 14d, 1 mg + 1 mg",
    "--from",
    "2026-12-07",
]
HORIZON = 150
SUMMARY = re.compile(r"naltrexone (?P<mg>[0-9.]+) mg.* (?P<time>at bedtime|in the morning)$")
# One dose per dose time per day: (day, time) -> mg.
Doses = dict[tuple[date, str], Decimal]


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stderr


def merged(*files: Path) -> list[icalendar.cal.Component]:
    """The events a calendar holds after importing the files in order."""
    held: dict[str, icalendar.cal.Component] = {}
    for file in files:
        calendar = icalendar.Calendar.from_ical(file.read_text(encoding="utf-8"))
        for event in calendar.walk("VEVENT"):
            uid = str(event["uid"])
            old = held.get(uid)
            if old is None or int(event.get("sequence", 0)) >= int(old.get("sequence", 0)):
                held[uid] = event
    return [e for e in held.values() if str(e.get("status", "")).upper() != "CANCELLED"]


def by_icalendar(events: list[icalendar.cal.Component], first: date) -> Counter[tuple[date, str]]:
    """Doses per day and dose time, expanded by recurring-ical-events; the mg in ``doses``."""
    calendar = icalendar.Calendar()
    for event in events:
        calendar.add_component(event)
    counts: Counter[tuple[date, str]] = Counter()
    end = first + timedelta(days=HORIZON + 1)  # the end is not included
    for occurrence in recurring_ical_events.of(calendar).between(first, end):
        match = SUMMARY.match(str(occurrence["summary"]))
        assert match is not None
        day = occurrence.decoded("dtstart")
        counts[day, match["time"]] += 1
    return counts


def unfolded_events(text: str) -> list[dict[str, str]]:
    """Each VEVENT's properties by name, read line by line (RFC 5545 §3.1 unfolding)."""
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    depth = 0
    for line in text.replace("\r\n ", "").split("\r\n"):
        if line == "BEGIN:VEVENT":
            current, depth = {}, 0
        elif line == "END:VEVENT" and current is not None:
            events.append(current)
            current = None
        elif current is not None:
            if line.startswith("BEGIN:"):
                depth += 1
            elif line.startswith("END:"):
                depth -= 1
            elif depth == 0 and ":" in line:
                name, _, value = line.partition(":")
                current[name.split(";")[0]] = value
    return events


def by_dateutil(*files: Path) -> Doses:
    """The same merge and expansion with no icalendar at all: lines and dateutil's RRULE."""
    held: dict[str, dict[str, str]] = {}
    for file in files:
        for event in unfolded_events(file.read_bytes().decode("utf-8")):
            old = held.get(event["UID"])
            if old is None or int(event.get("SEQUENCE", "0")) >= int(old.get("SEQUENCE", "0")):
                held[event["UID"]] = event
    doses: Doses = {}
    end = datetime.combine(date(2026, 12, 7) + timedelta(days=HORIZON), datetime.min.time())
    for event in held.values():
        if event.get("STATUS") == "CANCELLED":
            continue
        start = datetime.strptime(event["DTSTART"], "%Y%m%d")  # noqa: DTZ007 - a floating day
        match = SUMMARY.match(event["SUMMARY"].replace("\\,", ","))
        assert match is not None
        for when in rrulestr(event["RRULE"], dtstart=start).between(start, end, inc=True):
            key = (when.date(), match["time"])
            assert key not in doses, f"two doses on {key}"
            doses[key] = Decimal(match["mg"])
    return doses


def planned(text: str) -> Doses:
    """Each day's doses as a plan's JSON says, up to the horizon."""
    doses: Doses = {}
    end = date(2026, 12, 7) + timedelta(days=HORIZON)
    for step in json_format.loads(text, "plan.json"):
        last = step.last_day or end
        parts = step.administrations or ()
        for offset in range((min(last, end) - step.first_day).days + 1):
            day = step.first_day + timedelta(days=offset)
            if parts:
                for part in parts:
                    words = "in the morning" if part.time == "morning" else "at bedtime"
                    doses[day, words] = part.dose_mg
            else:
                doses[day, "at bedtime"] = step.dose_mg
    return doses


@pytest.mark.parametrize("plan", [PLAN, SPLIT, STEPS], ids=["bedtime", "split", "steps"])
@pytest.mark.parametrize(
    "change",
    [
        ["--on", "2026-12-25", "--back-down"],
        ["--on", "2026-12-25", "--back-down", "--to", "0.25", "--hold", "3"],
        ["--on", "2027-01-10", "--pause-until", "2027-02-20"],
        ["--on", "2026-12-09", "--pause-until", "2026-12-12"],
    ],
)
def test_a_replan_imported_over_the_original_leaves_one_dose_a_day(
    runner: CliRunner, tmp_path: Path, change: list[str], plan: list[str]
) -> None:
    run(runner, *plan, "-o", str(tmp_path / "plan.json"))
    run(runner, *plan, "-o", str(tmp_path / "plan.ics"))
    replan = ["replan", str(tmp_path / "plan.json"), *change]
    run(runner, *replan, "-o", str(tmp_path / "new.ics"))
    run(runner, *replan, "-o", str(tmp_path / "new.json"))
    files = (tmp_path / "plan.ics", tmp_path / "new.ics")
    expected = planned((tmp_path / "new.json").read_text(encoding="utf-8"))
    # Independent reader 1: icalendar and recurring-ical-events.
    counts = by_icalendar(merged(*files), date(2026, 12, 7))
    assert set(counts.values()) == {1}
    assert set(counts) == set(expected)
    # Independent reader 2: plain lines and dateutil, which also reads each dose.
    assert by_dateutil(*files) == expected


def test_events_keep_their_uid_and_a_changed_one_is_raised(
    runner: CliRunner, tmp_path: Path
) -> None:
    run(runner, *PLAN, "-o", str(tmp_path / "plan.json"))
    run(runner, *PLAN, "-o", str(tmp_path / "plan.ics"))
    replan = ["replan", str(tmp_path / "plan.json"), "--on", "2026-12-25", "--back-down"]
    run(runner, *replan, "-o", str(tmp_path / "new.ics"))
    old = {e["UID"]: e for e in unfolded_events((tmp_path / "plan.ics").read_bytes().decode())}
    new = {e["UID"]: e for e in unfolded_events((tmp_path / "new.ics").read_bytes().decode())}
    assert set(old) <= set(new)  # every original event is updated or cancelled
    for uid, event in new.items():
        if uid not in old:
            assert event["SEQUENCE"] != "0"
            continue
        if event.get("STATUS") == "CANCELLED":
            assert event["SEQUENCE"] != "0"
            continue
        before = old[uid]
        same = all(before[k] == event[k] for k in ("DTSTART", "RRULE", "SUMMARY", "DESCRIPTION"))
        assert (event["SEQUENCE"] == "0") == same, (before, event)
    assert sum(e.get("STATUS") == "CANCELLED" for e in new.values()) >= 1


def test_the_calendar_is_named_for_the_apps_that_read_x_wr_calname(runner: CliRunner) -> None:
    lines = runner.invoke(app, [*PLAN, "--format", "ics"]).stdout.splitlines()
    assert "NAME:Low-dose naltrexone titration plan: AB 12" in lines
    assert "X-WR-CALNAME:Low-dose naltrexone titration plan: AB 12" in lines


def test_each_dose_time_gets_its_own_reminder(runner: CliRunner) -> None:
    result = runner.invoke(app, [*SPLIT, "--format", "ics", "--remind", "08:00,21:30"])
    assert (result.exit_code, result.stderr) == (0, "")
    calendar = icalendar.Calendar.from_ical(result.stdout)
    triggers = {
        str(event["summary"]).rsplit(" ", 2)[-2:][-1]: {
            alarm.decoded("trigger") for alarm in event.walk("VALARM")
        }
        for event in calendar.walk("VEVENT")
    }
    assert triggers == {
        "morning": {timedelta(hours=8)},
        "bedtime": {timedelta(hours=21, minutes=30)},
    }


@pytest.mark.parametrize(
    ("plan", "remind", "message"),
    [
        (
            SPLIT,
            "21:00",
            (
                "error: --remind: the plan has a morning and a bedtime dose; give a time for "
                "each, morning first, such as 08:00,21:00, got '21:00'\n"
            ),
        ),
        (
            PLAN,
            "08:00,21:00",
            (
                "error: --remind: the plan has one dose time (at bedtime); give one time, "
                "got '08:00,21:00'\n"
            ),
        ),
        (
            PLAN,
            "08:00,12:00,21:00",
            (
                "error: --remind: give one time for each dose time, at most two: 08:00,21:00, "
                "got '08:00,12:00,21:00'\n"
            ),
        ),
    ],
)
def test_a_reminder_that_does_not_match_the_dose_times_is_refused(
    runner: CliRunner, plan: list[str], remind: str, message: str
) -> None:
    result = runner.invoke(app, [*plan, "--format", "ics", "--remind", remind])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


@pytest.mark.parametrize(
    ("plan", "remind", "warning"),
    [
        (PLAN, "07:30", "07:30 is a morning time for the dose taken at bedtime"),
        (SPLIT, "22:00,21:00", "22:00 is an evening time for the dose taken in the morning"),
    ],
)
def test_a_reminder_at_the_other_end_of_the_day_is_a_warning(
    runner: CliRunner, plan: list[str], remind: str, warning: str
) -> None:
    result = runner.invoke(app, [*plan, "--format", "ics", "--remind", remind])
    assert result.exit_code == 0
    assert result.stderr == f"warning: --remind: {warning}\n"
