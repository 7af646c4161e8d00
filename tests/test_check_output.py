"""Streamed findings output: the JSON pieces join into exactly ``json.dumps``; CSV is guarded."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given
from hypothesis import strategies as st

from ldn_titrate.check import Finding, Severity, report_data
from ldn_titrate.check.output import (
    JSON_CLOSE,
    JSON_EMPTY,
    JSON_OPEN,
    JSON_SEPARATOR,
    csv_header,
    csv_rows,
    json_item,
)
from ldn_titrate.errors import visible
from ldn_titrate.spreadsheet import FORMULA_TRIGGERS, neutralise

texts = st.text(max_size=30)
findings = st.builds(
    Finding,
    st.sampled_from(Severity),
    texts,
    texts,
    st.none() | st.integers(min_value=1, max_value=10_000),
    st.none() | st.integers(min_value=1, max_value=10_000),
    texts,
)
plans = st.lists(st.tuples(texts, st.lists(findings, max_size=4)), max_size=4)


@given(plans)
def test_streamed_json_is_exactly_the_whole_list_dumped(
    batch: list[tuple[str, list[Finding]]],
) -> None:
    pieces = [json_item(name, found) for name, found in batch]
    streamed = JSON_OPEN + JSON_SEPARATOR.join(pieces) + JSON_CLOSE if batch else JSON_EMPTY
    whole = [report_data(name, found) for name, found in batch]
    assert streamed == json.dumps(whole, indent=2, ensure_ascii=False) + "\n"


@given(st.lists(findings, max_size=5))
def test_csv_rows_read_back_and_no_cell_starts_a_formula(found: list[Finding]) -> None:
    text = csv_header() + csv_rows(found)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == len(found) + 1
    for row, finding in zip(rows[1:], found, strict=True):
        assert row[0] == finding.severity.value
        assert row[3] == ("" if finding.line is None else str(finding.line))
        # The table's rule: nothing from a received file acts on the terminal.
        assert row[5] == neutralise(visible(finding.message))
        for cell in row:
            assert not cell.startswith(FORMULA_TRIGGERS)
            assert visible(cell) == cell


@given(texts)
def test_neutralise_adds_one_quote_only_before_a_trigger(text: str) -> None:
    guarded = neutralise(text)
    assert not guarded.startswith(FORMULA_TRIGGERS)
    assert guarded in {text, "'" + text}
    if not text.lstrip("'").startswith(FORMULA_TRIGGERS):
        assert guarded == text
