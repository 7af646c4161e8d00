"""Random and hostile text into every parser: fast, and only the tool's own errors."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_titrate import bounded, dates, doses, loaders
from ldn_titrate.check import CheckOptions, check_file, stated
from ldn_titrate.errors import LdnTitrateError
from ldn_titrate.received import cells
from ldn_titrate.request_files import read_request_file

# Pieces that steer the patterns into their deepest paths, repeated to great lengths.
PIECES = st.sampled_from(
    ["9", "0", ".", " ", "\t", "x", "×", "*", "+", "-", "mg", "mcg", "mL", "cc", "capsules of ",
     "naltrexone ", "d", "w", "mo", "e", "\x1b[2J", "\u202e", "\x9b", "/", ",", "step ", "-01"]
)  # fmt: skip
HOSTILE = st.one_of(
    st.text(max_size=200),
    st.builds(lambda p, n: p * n, PIECES, st.integers(1, 20_000)),
    st.lists(PIECES, max_size=400).map("".join),
)
LIMIT_S = 2.0  # generous: each parser takes milliseconds on these once linear

PARSERS: tuple[Callable[[str], object], ...] = (
    lambda t: doses.parse_dose(t, "--start"),
    lambda t: doses.parse_number(t, "--overage"),
    lambda t: doses.parse_volume(t, "--graduation"),
    lambda t: doses.parse_concentration(t, "--concentration"),
    lambda t: doses.parse_percent(t, "--overage"),
    lambda t: doses.parse_capsules(t, "capsules"),
    lambda t: dates.parse_interval(t, "--every"),
    lambda t: dates.parse_day(t, "--from", date(2026, 1, 5)),
    lambda t: bounded.to_decimal(t, "number"),
    lambda t: bounded.to_int(t, "number"),
    bounded.is_too_long,
    lambda t: loaders.load_toml(t, "c.toml", "config file"),
    lambda t: loaders.load_toml(f"a = {t}", "c.toml", "config file"),
    lambda t: loaders.load_json(t, "p.json"),
    stated.stated,
    stated.capsule_quantity,
    cells.read_number,
    cells.parse_capsules,
    cells.field_of,
    *(
        (lambda t, f=field: cells.reader_for(f)(cells.Row(), f, t, f))
        for field in ("dose_mg", "volume", "days", "first_day", "capsules", "instructions")
    ),
)


@settings(max_examples=60)
@given(HOSTILE)
def test_every_parser_is_fast_and_raises_only_its_own_errors(text: str) -> None:
    for parse in PARSERS:
        began = time.perf_counter()
        # JSONDecodeError is the JSON loader's own, named by its caller.
        with contextlib.suppress(LdnTitrateError, json.JSONDecodeError):
            parse(text)
        assert time.perf_counter() - began < LIMIT_S


@settings(max_examples=40)
@given(HOSTILE, st.sampled_from(["dose mg", "days", "start date", "capsules", "instructions"]))
def test_a_received_plan_with_a_hostile_cell_is_checked_without_an_exception(
    text: str, column: str
) -> None:
    cell = '"' + text.replace('"', '""') + '"'
    began = time.perf_counter()
    check_file(
        f"step,start date,days,dose mg,{column}\n1,2026-01-05,7,1,{cell}\n", "p", CheckOptions()
    )
    check_file(
        f'[{{"days": 7, "dose_mg": 1, "{column}": {cell.replace(chr(10), " ")}}}]',
        "p",
        CheckOptions(),
    )
    assert time.perf_counter() - began < 2 * LIMIT_S


@settings(max_examples=40)
@given(HOSTILE)
def test_a_request_file_of_hostile_text_is_read_or_refused_in_one_error(text: str) -> None:
    for written in (text, f"start = {text}\n", f'label = "{text}"\n'):
        with contextlib.suppress(LdnTitrateError):
            read_request_file(written, "r.toml")
