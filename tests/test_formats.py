"""Output formats: the registry, the CSV and JSON writers, and their readers."""

from __future__ import annotations

import csv
import importlib
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_titrate import __version__
from ldn_titrate.errors import PlanFormatError
from ldn_titrate.formats import (
    BINARY,
    BINARY_WRITERS,
    DRAWN,
    MODULES,
    READERS,
    WRITERS,
    Format,
    WriteOptions,
    csv_format,
    json_format,
    writer_of,
)
from ldn_titrate.model import Schedule, Step
from ldn_titrate.request import Raw, build_request
from ldn_titrate.rules import build_schedule

HEADER = "step,start_date,end_date,days,dose_mg,instructions,label\r\n"
ROW_1 = "1,2026-12-07,2026-12-13,7,0.5,Take 0.5 mg naltrexone by mouth once daily at bedtime.,\r\n"


def plan(**changes: Raw) -> Schedule:
    values: dict[str, Raw] = {
        "start": "0.5",
        "target": "1",
        "step": "0.5",
        "every": "7d",
        "from": "2026-12-07",
        **changes,
    }
    return build_schedule(build_request(values, {}, date(2026, 12, 7)))


def essentials(steps: tuple[Step, ...]) -> list[tuple[object, ...]]:
    return [(s.number, s.first_day, s.last_day, s.days, s.dose_mg, s.instructions) for s in steps]


# The registry


def test_every_format_is_written_or_drawn() -> None:
    assert set(WRITERS) | set(BINARY_WRITERS) | DRAWN == set(Format)
    assert not set(WRITERS) & DRAWN
    assert not set(BINARY_WRITERS) & (DRAWN | set(WRITERS))
    assert set(BINARY_WRITERS) == BINARY == {Format.XLSX}


def test_each_format_module_declares_its_format_and_writer() -> None:
    for fmt, name in MODULES.items():
        module = importlib.import_module(name)
        assert module.FORMAT is fmt
        written = writer_of(fmt)(plan(), WriteOptions())
        assert isinstance(written, bytes if fmt in BINARY else str)
        if fmt not in BINARY:
            assert written == module.write(plan())


def test_a_binary_format_writes_bytes_through_the_registry() -> None:
    written = BINARY_WRITERS[Format.XLSX](plan(), WriteOptions())
    assert written.startswith(b"PK\x03\x04")  # a zip archive, as every .xlsx is


def test_write_options_are_frozen() -> None:
    with pytest.raises((AttributeError, TypeError)):
        WriteOptions().reminder = "08:00"  # type: ignore[attr-defined]


def test_every_reader_has_a_writer() -> None:
    assert set(READERS) <= set(WRITERS)


def test_format_names() -> None:
    assert [f.value for f in Format] == [
        "table",
        "csv",
        "json",
        "fhir",
        "ics",
        "xlsx",
        "html",
        "sig",
    ]


def test_registries_are_read_only() -> None:
    with pytest.raises(TypeError):
        WRITERS[Format.TABLE] = csv_format.dumps  # type: ignore[index]


# CSV


def test_csv_columns() -> None:
    assert csv_format.COLUMNS == (
        "step",
        "start_date",
        "end_date",
        "days",
        "dose_mg",
        "instructions",
        "label",
    )


def test_csv_exact_text() -> None:
    schedule = plan(
        target="1.25",
        every="1mo",
        **{"from": "2026-01-31"},
        maintenance_days="28",
        time="morning",
        label='@AB, "Rx"',
    )
    assert csv_format.dumps(schedule) == (
        HEADER + "1,2026-01-31,2026-02-27,28,0.5,Take 0.5 mg naltrexone by mouth once daily in the "
        'morning.,"\'@AB, ""Rx"""\r\n'
        "2,2026-02-28,2026-03-30,31,1,Take 1 mg naltrexone by mouth once daily in the "
        'morning.,"\'@AB, ""Rx"""\r\n'
        "3,2026-03-31,2026-04-27,28,1.25,Take 1.25 mg naltrexone by mouth once daily in the "
        'morning.,"\'@AB, ""Rx"""\r\n'
    )


def test_csv_ongoing_step_has_empty_end_and_days() -> None:
    assert csv_format.dumps(plan()) == (
        HEADER
        + ROW_1
        + "2,2026-12-14,,,1,Take 1 mg naltrexone by mouth once daily at bedtime.,\r\n"
    )


def test_csv_writer_through_the_registry() -> None:
    assert WRITERS[Format.CSV](plan()) == csv_format.dumps(plan())


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@"])
def test_labels_that_a_spreadsheet_would_run_are_guarded(trigger: str) -> None:
    label = f"{trigger}HYPERLINK(1)"
    rows = list(csv.DictReader(io.StringIO(csv_format.dumps(plan(label=label)), newline="")))
    assert [row["label"] for row in rows] == [f"'{label}", f"'{label}"]
    assert [csv_format.restore(row["label"]) for row in rows] == [label, label]


@pytest.mark.parametrize("label", ["AB", " =x", "x=1", "Rx 12/34", "'x"])
def test_other_labels_are_left_alone(label: str) -> None:
    rows = list(csv.DictReader(io.StringIO(csv_format.dumps(plan(label=label)), newline="")))
    assert {row["label"] for row in rows} == {label}


def test_a_label_with_a_quote_before_a_trigger_gets_one_more_quote() -> None:
    rows = list(csv.DictReader(io.StringIO(csv_format.dumps(plan(label="'=x")), newline="")))
    assert {row["label"] for row in rows} == {"''=x"}
    assert {csv_format.restore(row["label"]) for row in rows} == {"'=x"}


@pytest.mark.parametrize("trigger", list(csv_format.FORMULA_TRIGGERS))
def test_neutralise_every_trigger(trigger: str) -> None:
    text = f"{trigger}cmd"
    assert csv_format.neutralise(text) == f"'{text}"
    assert csv_format.restore(csv_format.neutralise(text)) == text


def test_triggers() -> None:
    assert set(csv_format.FORMULA_TRIGGERS) >= {"=", "+", "-", "@", "\t", "\r", "\n"}


@pytest.mark.parametrize(
    ("text", "restored"),
    [("'=1", "=1"), ("'@x", "@x"), ("'x", "'x"), ("''=1", "'=1"), ("", ""), ("Take", "Take")],
)
def test_restore(text: str, restored: str) -> None:
    assert csv_format.restore(text) == restored


cell_texts = st.text() | st.text(alphabet="'=+-@\t x", max_size=6)


@given(cell_texts)
def test_restore_undoes_neutralise(text: str) -> None:
    assert csv_format.restore(csv_format.neutralise(text)) == text


@given(cell_texts)
def test_neutralised_text_never_starts_with_a_trigger(text: str) -> None:
    assert not csv_format.neutralise(text).startswith(csv_format.FORMULA_TRIGGERS)


def test_csv_reads_back() -> None:
    schedule = plan(target="4.5", step="1.5", maintenance_days="10", label="=x")
    steps = csv_format.loads(csv_format.dumps(schedule), "plan.csv")
    assert essentials(steps) == essentials(schedule.steps)
    assert steps[-1].days == 10


def csv_refusal(text: str) -> PlanFormatError:
    with pytest.raises(PlanFormatError) as caught:
        csv_format.loads(text, "plan.csv")
    assert caught.value.source == "plan.csv"
    return caught.value


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("", 1, "the header must be step,start_date,end_date,days,dose_mg,instructions,label"),
        (
            HEADER.replace("label", "note") + ROW_1,
            1,
            "the header must be step,start_date,end_date,days,dose_mg,instructions,label",
        ),
        (HEADER + ROW_1 + "2,2026-12-14,,,1,Take\r\n", 3, "expected 7 cells, found 6"),
        (HEADER + ROW_1 + "\r\n", 3, "expected 7 cells, found 0"),
        (HEADER + "x,2026-12-07,,,1,T,\r\n", 2, "step 'x' is not a whole number"),
        (HEADER + "1,07/12/2026,,,1,T,\r\n", 2, "start_date '07/12/2026' is not a YYYY-MM-DD day"),
        (
            HEADER + "1,2026-12-07,2026-02-30,,1,T,\r\n",
            2,
            "end_date '2026-02-30' is not a day in the calendar",
        ),
        (HEADER + "1,2026-12-07,,-1,1,T,\r\n", 2, "days '-1' is not a whole number"),
        (HEADER + "1,2026-12-07,,,.5,T,\r\n", 2, "dose_mg: write a leading zero (0.5), got '.5'"),
        (
            HEADER + "1,2026-12-07,,,0.5 mg,T,\r\n",
            2,
            (
                "dose_mg: write digits with an optional decimal point, such as 0.5 or 2.25, "
                "got '0.5 mg'"
            ),
        ),
    ],
)
def test_csv_refusals_name_the_line(text: str, line: int, reason: str) -> None:
    error = csv_refusal(text)
    assert (error.line, error.reason) == (line, reason)
    assert str(error) == f"plan.csv, line {line}: {reason}"


def test_csv_step_zero_is_refused_naming_the_line() -> None:
    error = csv_refusal(HEADER + ROW_1 + "0,2026-12-14,,,1,T,\r\n")
    assert error.line == 3


@pytest.mark.parametrize("bad_row", ['2,2026-12-14,,,"1"x,T,\r\n', '2,2026-12-14,,,1,"T\r\n'])
def test_csv_bad_quoting_is_refused_naming_the_line(bad_row: str) -> None:
    error = csv_refusal(HEADER + ROW_1 + bad_row)
    assert error.line == 3, str(error)
    assert "not valid CSV" in error.reason


@pytest.mark.parametrize("column", ["step", "days"])
def test_csv_huge_whole_numbers_are_refused_naming_the_line(column: str) -> None:
    row = {"step": "1", "days": ""}
    row[column] = "9" * 5000
    error = csv_refusal(HEADER + f"{row['step']},2026-12-07,,{row['days']},1,T,\r\n")
    assert error.line == 2


# JSON


def test_json_data() -> None:
    schedule = plan(start="0.25", target="1", step="0.25", label="AB", maintenance_days="14")
    data = json.loads(json_format.dumps(schedule))
    assert data["schema_version"] == 1
    assert data["tool_version"] == __version__
    assert data["steps"][0] == {
        "step": 1,
        "start_date": "2026-12-07",
        "end_date": "2026-12-13",
        "days": 7,
        "dose_mg": "0.25",
        "administrations": [{"time": "bedtime", "dose_mg": "0.25"}],
        "instructions": "Take 0.25 mg naltrexone by mouth once daily at bedtime.",
        "label": "AB",
    }
    assert data["steps"][-1]["end_date"] == "2027-01-10"
    assert data["steps"][-1]["days"] == 14
    # JSON steps have the CSV columns and the administrations of the day.
    assert [set(step) for step in data["steps"]] == [{*csv_format.COLUMNS, "administrations"}] * 4
    assert data["warnings"] == [
        {
            "code": "very-low-start",
            "option": "--start",
            "message": "0.25 mg is a very low dose (below 0.5 mg)",
        }
    ]
    request = data["request"]
    assert {k: request[k] for k in ("start", "target", "step", "every", "from")} == {
        "start": "0.25",
        "target": "1",
        "step": "0.25",
        "every": "7d",
        "from": "2026-12-07",
    }
    assert (request["maintenance_days"], request["time"], request["label"]) == (14, "bedtime", "AB")


def test_json_ongoing_step_is_null() -> None:
    data = json.loads(json_format.dumps(plan()))
    assert data["steps"][-1]["end_date"] is None
    assert data["steps"][-1]["days"] is None
    assert data["steps"][-1]["dose_mg"] == "1"


def test_json_doses_are_exact_strings() -> None:
    data = json.loads(json_format.dumps(plan(start="0.1", target="0.5", step="0.125")))
    assert [s["dose_mg"] for s in data["steps"]] == ["0.1", "0.225", "0.35", "0.475", "0.5"]
    assert data["request"]["start"] == "0.1"


def test_json_text_layout() -> None:
    text = json_format.dumps(plan(label="Zoë"))
    assert text.endswith("}\n")
    assert "Zoë" in text
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_json_reads_back() -> None:
    schedule = plan(start="4.5", target="0.5", step="1.5", maintenance_days="3")
    steps = json_format.loads(json_format.dumps(schedule), "plan.json")
    assert essentials(steps) == essentials(schedule.steps)
    assert [s.dose_mg for s in steps] == [
        Decimal("4.5"),
        Decimal(3),
        Decimal("1.5"),
        Decimal("0.5"),
    ]


def json_step(**changes: object) -> str:
    step: dict[str, object] = {
        "step": 1,
        "start_date": "2026-12-07",
        "end_date": None,
        "days": None,
        "dose_mg": "0.5",
        "instructions": "Take 0.5 mg naltrexone by mouth once daily at bedtime.",
        "label": None,
    }
    step.update(changes)
    return json.dumps({"steps": [step]})


def json_refusal(text: str) -> PlanFormatError:
    with pytest.raises(PlanFormatError) as caught:
        json_format.loads(text, "plan.json")
    assert caught.value.source == "plan.json"
    return caught.value


def test_json_accepts_the_base_step() -> None:
    (step,) = json_format.loads(json_step(), "plan.json")
    assert (step.number, step.dose_mg, step.last_day) == (1, Decimal("0.5"), None)


@pytest.mark.parametrize(
    ("text", "line"),
    [("{", 1), ('{\n  "steps": [1,]\n}', 2), ("", 1), ('{"steps": []}\n\n  x', 3)],
)
def test_json_syntax_errors_name_the_line(text: str, line: int) -> None:
    error = json_refusal(text)
    assert error.line == line
    assert error.reason.startswith("not valid JSON: ")
    assert str(error).startswith(f"plan.json, line {line}: not valid JSON: ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "plan.json: expected an object with a list of steps"),
        ('{"steps": {}}', "plan.json: expected an object with a list of steps"),
        ('{"steps": [1]}', "plan.json: steps[1]: expected an object"),
        (json_step(dose_mg=0.5), "plan.json: steps[1]: dose_mg must be str, got 0.5"),
        (
            json_step(dose_mg=".5"),
            "plan.json: steps[1]: dose_mg: write a leading zero (0.5), got '.5'",
        ),
        (json_step(step="1"), "plan.json: steps[1]: step must be int, got '1'"),
        (json_step(step=True), "plan.json: steps[1]: step must be int, got True"),
        (json_step(days="7"), "plan.json: steps[1]: days must be int, got '7'"),
        (json_step(instructions=None), "plan.json: steps[1]: instructions must be str, got None"),
        (
            json_step(start_date="2026-13-07"),
            "plan.json: steps[1]: '2026-13-07' is not a day in the calendar",
        ),
        (json_step(end_date="soon"), "plan.json: steps[1]: 'soon' is not a YYYY-MM-DD day"),
    ],
)
def test_json_refusals_name_the_step(text: str, message: str) -> None:
    assert str(json_refusal(text)) == message


def test_json_second_step_is_named() -> None:
    data = json.loads(json_format.dumps(plan()))
    data["steps"][1]["dose_mg"] = "1,5"
    assert str(json_refusal(json.dumps(data))) == (
        "plan.json: steps[2]: dose_mg: use a point for decimals (1.5), got '1,5'"
    )


def test_json_step_zero_is_refused() -> None:
    assert "steps[1]" in str(json_refusal(json_step(step=0)))


@pytest.mark.parametrize("day", ["20261207", "2026-W50-1", "2026341"])
def test_json_days_must_be_written_yyyy_mm_dd(day: str) -> None:
    assert str(json_refusal(json_step(start_date=day))) == (
        f"plan.json: steps[1]: {day!r} is not a YYYY-MM-DD day"
    )


def test_json_end_date_must_be_text() -> None:
    assert "steps[1]" in str(json_refusal(json_step(end_date=20261213, days=7)))


def test_json_huge_numbers_are_refused() -> None:
    text = json_step(days=7).replace('"days": 7', '"days": ' + "9" * 5000)
    assert "9" * 5000 in text
    assert "steps[1]" in str(json_refusal(text))


def test_json_deep_nesting_is_refused() -> None:
    json_refusal("[" * 100_000 + "]" * 100_000)
