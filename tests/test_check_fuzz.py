"""check never crashes: random files and random options end with exit 0, 1 or 2."""

from __future__ import annotations

import json
import tempfile
import time
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from hostile_workbooks import edited
from ldn_titrate.check import CheckOptions, check_file
from ldn_titrate.cli import app
from ldn_titrate.formats import WriteOptions, xlsx_format
from ldn_titrate.request import build_request
from ldn_titrate.rules import build_schedule

HEADERS = st.sampled_from(
    [
        "step,start_date,end_date,days,dose_mg,instructions,label",
        "Date,Dose (mg)",
        "Start,End,Dose (mcg)",
        "start,end,dose,volume,notes",
        "",
    ]
)
CELLS = st.one_of(
    st.sampled_from(["0.5", "1,5", ".5", "3.0", "500", "2026-12-07", "2026-02-30", "", "=1+1"]),
    st.text(max_size=12),
)
ROWS = st.lists(st.lists(CELLS, max_size=7).map(",".join), max_size=6)
OPTIONS = st.lists(
    st.sampled_from(
        [
            "--form",
            "liquid",
            "capsule",
            "--concentration",
            "1mg/mL",
            "--graduation",
            "0.1",
            "--strengths",
            "1.5,0.5",
            "--bud",
            "30",
            "--meds",
            "tramadol",
            "--max-step",
            "x",
            "--min-interval",
            "-1",
            "--strict",
            "--format",
            "json",
            "table",
            "nan",
        ]
    ),
    max_size=6,
)


def run_check(content: bytes, options: list[str]) -> None:
    runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "100"})
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "plan.csv"
        plan.write_bytes(content)
        result = runner.invoke(app, ["check", str(plan), *options])
    assert result.exit_code in {0, 1, 2}, (content, options, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output


@settings(max_examples=150, deadline=None)
@given(header=HEADERS, rows=ROWS, options=OPTIONS)
def test_check_of_random_csv_text_never_crashes(
    header: str, rows: list[str], options: list[str]
) -> None:
    run_check("\n".join([header, *rows]).encode(), options)


@settings(max_examples=100, deadline=None)
@given(content=st.binary(max_size=200), options=OPTIONS)
def test_check_of_random_bytes_never_crashes(content: bytes, options: list[str]) -> None:
    run_check(content, options)


@settings(max_examples=100, deadline=None)
@given(
    content=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=12,
    ).map(repr)
)
def test_check_of_random_json_like_text_never_crashes(content: str) -> None:
    run_check(content.replace("'", '"').replace("None", "null").encode(), [])


# Hostile workbooks: a workbook ``plan`` wrote, its first sheet edited at random.
_BOOK: list[bytes] = []


def written_book() -> bytes:
    if not _BOOK:
        values = {
            "start": "0.5",
            "target": "1.5",
            "step": "0.5",
            "every": "7d",
            "from": "2026-12-07",
        }
        schedule = build_schedule(build_request(values, {}, date(2026, 12, 7)))
        _BOOK.append(xlsx_format.write(schedule, WriteOptions()))
    return _BOOK[0]


XML_PIECES = st.sampled_from(
    [
        b'<c r="A1"><v>abc</v></c>',
        b'<c r="A1" t="s"><v>99</v></c>',
        b'<c r="A1" t="d"><v>soon</v></c>',
        b'<c r="A1" t="b"><v>2</v></c>',
        b'<c r="A1" t="e"><v>#REF!</v></c>',
        b'<c r="B2"><f>A1*2</f></c>',
        b'<c r="XFD1"><v>1</v></c>',
        b'<c r="A99999"><v>1</v></c>',
        b'<c r="A1"><v>1e999</v></c>',
        b'<c r="A1"><v>' + b"9" * 4301 + b"</v></c>",
        b'<row r="0"><c r="A0"><v>1</v></c></row>',
        b'<dimension ref="A1:ZZZ99"/>',
        b"<sheetData>",
        b"</row>",
        b"&bogus;",
        b"\x00",
        b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
    ]
)


@st.composite
def hostile_books(draw: st.DrawFn) -> bytes:
    """The written workbook with its sheet cut, spliced or repeated at random places."""

    def change(xml: bytes) -> bytes:
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(xml)))
            cut = draw(st.integers(0, 40))
            xml = xml[:at] + draw(XML_PIECES) * draw(st.integers(1, 3)) + xml[at + cut :]
        return xml

    return edited(written_book(), "xl/worksheets/sheet1.xml", change)


@settings(max_examples=60, deadline=None)
@given(hostile_books())
def test_check_of_a_hostile_workbook_is_findings_at_once(book: bytes) -> None:
    began = time.process_time()
    found = check_file(book, "plan.xlsx", CheckOptions())
    assert time.process_time() - began < 1.0
    assert "internal-error" not in [f.code for f in found]


# Hostile FHIR: a MedicationRequest with any value where each part of a Dosage stands.
FHIR_VALUES: st.SearchStrategy[object] = st.one_of(
    st.sampled_from(
        [1e30, -1, 0, 10**30, "1e30", "0.5", "", None, True, [], {}, "2026-13-45", "9999-12-31"]
    ),
    st.integers(-(10**40), 10**40),
    st.text(max_size=12),
    st.floats(allow_nan=False),
)


@st.composite
def hostile_fhir(draw: st.DrawFn) -> str:
    def value() -> object:
        return draw(FHIR_VALUES)

    dosages = [
        {
            "sequence": draw(st.one_of(st.integers(-3, 5), FHIR_VALUES)),
            "text": draw(st.one_of(st.text(max_size=30), FHIR_VALUES)),
            "timing": {
                "repeat": {
                    "boundsPeriod": {"start": value(), "end": value()},
                    "frequency": value(),
                    "period": value(),
                    "periodUnit": value(),
                    "when": [value()],
                }
            },
            "doseAndRate": [{"doseQuantity": {"value": value(), "unit": value(), "code": value()}}],
        }
        for _ in range(draw(st.integers(0, 4)))
    ]
    resource = {
        "resourceType": "MedicationRequest",
        "medicationCodeableConcept": {"text": draw(st.sampled_from(["naltrexone 1 mg/mL", "x"]))},
        "dosageInstruction": dosages,
        "note": [{"text": value()}],
    }
    if draw(st.booleans()):
        resource = {"resourceType": "Bundle", "entry": [{"resource": resource}]}
    return json.dumps(resource, default=str)


@settings(max_examples=80, deadline=None)
@given(hostile_fhir())
def test_check_of_hostile_fhir_is_findings_at_once(text: str) -> None:
    began = time.process_time()
    found = check_file(text, "plan.json", CheckOptions())
    assert time.process_time() - began < 1.0
    assert "internal-error" not in [f.code for f in found]
