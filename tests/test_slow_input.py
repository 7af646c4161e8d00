"""Every parser and pattern is linear: a 100,000-character value is read or refused at once."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from datetime import date

import pytest

from ldn_titrate import dates, doses
from ldn_titrate.check import check_file, frequency, identity, ismp, options_from_text, stated
from ldn_titrate.errors import InputError
from ldn_titrate.received import cells

# Generous: each call takes milliseconds once linear; a quadratic pattern takes minutes.
LIMIT_S = 2.0
N = 100_000
DIGITS = "9" * N
HOSTILE = {
    "digits": DIGITS,
    "point-digits": "." + DIGITS,
    "digits-point-digits": DIGITS + "." + DIGITS,
    "digits-times-digits": DIGITS + " x " + DIGITS,
    "digits-then-mg": DIGITS + "mg",
    "tabs": "\t" * N,
    "spaces-then-unit": "1" + " " * N + "m",
    "ones": "1 " * (N // 2),
    "times-digit": "x1" * (N // 2),
    "spaces-in-term": " " * N + "1x",
    "capsule-spaces": "1x1" + " " * N + "z",
    "words": "a " * (N // 2),
    "frequency-words": "every twice daily morning and " * (N // 30),
    "weekdays": "mon/" * (N // 4),
    "dose-pattern": "1-" * (N // 2),
    "grouped-digits": "1," * (N // 2) + " mg",
}

Parser = Callable[[str], object]
PARSERS: dict[str, Parser] = {
    "stated": stated.stated,
    "overlong": stated.overlong,
    "frequencies": frequency.frequencies,
    "identity": identity._tablets,
    "capsule_quantity": stated.capsule_quantity,
    "wording": lambda t: ismp.wording_problems(t, number_cell=True),
    "read_number": cells.read_number,
    "cell_capsules": cells.parse_capsules,
    "named_concentration": cells._named_concentration,
    "field_of": cells.field_of,
    "whole_cell": lambda t: cells.reader_for("days")(cells.Row(), "days", t, "days"),
    "parse_dose": lambda t: doses.parse_dose(t, "--start"),
    "parse_capsules": lambda t: doses.parse_capsules(t, "capsules"),
    "parse_volume": lambda t: doses.parse_volume(t, "--graduation"),
    "parse_interval": lambda t: dates.parse_interval(t, "--every"),
    "parse_day": lambda t: dates.parse_day(t, "--from", date(2026, 1, 5)),
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("parse", PARSERS.values(), ids=PARSERS.keys())
def test_a_long_hostile_value_is_read_or_refused_within_the_limit(parse: Parser, text: str) -> None:
    began = time.perf_counter()
    with contextlib.suppress(InputError):
        parse(text)
    assert time.perf_counter() - began < LIMIT_S


def test_a_long_digit_run_before_mg_states_no_dose_and_is_said() -> None:
    # Only whole numbers are read: never the last twelve digits of a longer run; the run
    # itself is said (the check reports it), never skipped.
    assert stated.stated(DIGITS + " mg") == (frozenset(), frozenset())
    assert stated.overlong(DIGITS + " mg") == DIGITS + " mg"
    assert stated.overlong("take 1.50000000000000000001 mg") == "1.50000000000000000001 mg"
    assert stated.overlong("take 1.500000000000000000000 mg") is None
    assert stated.capsule_quantity("1234567 x 1.5 mg") is None


def test_amounts_in_text_are_still_read() -> None:
    doses_mg, volumes = stated.stated("take 2 x 1.5 mg (3 mg) or 0.5 mL; 500 mcg")
    assert doses_mg == frozenset({doses.parse_dose("3", "x"), doses.parse_dose("0.5", "x")})
    assert volumes == frozenset({doses.parse_volume("0.5", "x")})
    assert stated.capsule_quantity("2 capsules of naltrexone 1.5 mg") == {
        doses.parse_dose("1.5", "x"): 2
    }


def test_a_day_count_of_thousands_of_digits_is_not_a_whole_number() -> None:
    row = cells.Row()
    cells.reader_for("days")(row, "days", "9" * 5000, "days")
    assert [p.reason for p in row.problems] == ["not a whole number"]


def test_a_long_digit_run_draws_no_wording_finding_that_quotes_it() -> None:
    assert ismp.wording_problems(DIGITS + "mg", number_cell=False) == ()
    assert ismp.wording_problems("take 3mg", number_cell=False)[0][1] == (
        '"3mg" runs the number into its unit; write "3 mg"'
    )


@pytest.mark.parametrize(
    "cell",
    ["Take " + "1" * 40_000 + " mg", "Take 1." + "0" * 40_000 + "1 mg"],
    ids=["digits", "fraction"],
)
def test_a_40000_digit_dose_in_the_instructions_is_found_wrong_within_a_second(cell: str) -> None:
    data = f"date,dose_mg,instructions\n2026-12-07,0.5,{cell}\n".encode()
    began = time.perf_counter()
    found = check_file(data, "p.csv", options_from_text())
    assert time.perf_counter() - began < 1.0
    assert [f.code for f in found] == ["instructions-mismatch", "summary"]
