"""Reading the files pharmacies receive: encodings, separators, date forms, words, workbooks."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ldn_titrate.check import CheckOptions, Finding, options_from_text
from ldn_titrate.check import check_file as check_data
from ldn_titrate.errors import InputError, InputErrors, PlanFormatError, as_flag
from ldn_titrate.received import DateOrder, read_plan
from ldn_titrate.received.csv_reader import SEPARATORS, unquoted_records
from ldn_titrate.received.day_forms import file_order, plain_days, read_day, readings, serial_day
from ldn_titrate.received.words import dose_in_words, duration_days, weeks_days

PLAIN = "date,dose\n2026-12-07,0.5\n2026-12-14,1\n2026-12-21,1.5\n"
SUMMARY = (
    "3 steps, 2026-12-07 to 2026-12-20, then ongoing from 2026-12-21; 0.5 mg to a target of 1.5 mg"
)


def messages(data: bytes | str, options: CheckOptions | None = None) -> list[tuple[str, str]]:
    found: list[Finding] = check_data(data, "plan.csv", options or CheckOptions())
    return [(f.code, f.message) for f in found]


# Encodings


@pytest.mark.parametrize(
    "data",
    [
        PLAIN.encode("utf-8"),
        b"\xef\xbb\xbf" + PLAIN.encode("utf-8"),
        PLAIN.encode("utf-16"),
        b"\xfe\xff" + PLAIN.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8 bom", "utf-16", "utf-16 be"],
)
def test_utf8_and_utf16_with_a_bom_read_without_a_word(data: bytes) -> None:
    assert messages(data) == [("summary", SUMMARY)]


def spelled(errors: InputErrors) -> list[str]:
    """The refusals as the command line shows them: each key spelled as its option."""
    return [str(InputError(as_flag(e.field), e.value, e.allowed)) for e in errors.errors]


def test_windows_1252_is_read_and_said() -> None:
    data = (PLAIN + "2026-12-28,2\n").replace("date,dose", "date,dose,note").encode("cp1252")
    data = data.replace(b"2026-12-28,2", b"2026-12-28,2,na\xefve")
    found = messages(data)
    assert found[0] == (
        "encoding-guessed",
        (
            "the file is not UTF-8: it was read as Windows-1252 (Excel's plain CSV); "
            "check any accented letters and symbols"
        ),
    )


def test_double_decoding_names_the_cause() -> None:
    found = messages("date,dose,note\n2026-12-07,0.5,2 Ã— 0.25 mg\n")
    assert found[0] == (
        "double-decoded",
        (
            "the text shows signs of double decoding ('Ã—'): the file was saved as UTF-8, "
            "then opened as Windows-1252 and saved again, so symbols and accented letters "
            "are garbled; ask for the original file"
        ),
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xd0\xcf\x11\xe0rest", "an old Excel .xls workbook, which cannot be read"),
        (b"%PDF-1.7", "a PDF document, not a plan file"),
        (b"PK\x03\x04not a workbook", "a ZIP archive (not an .xlsx workbook)"),
        (
            "date,dose\n".encode("utf-16-le"),
            "UTF-16 text without its byte-order mark, which cannot be told apart",
        ),
        (
            b"date,dose\n\x81\x8d\x8f\n",
            "not text a spreadsheet saves (UTF-8, UTF-16, Windows-1252)",
        ),
    ],
)
def test_what_cannot_be_read_says_what_to_ask_for(data: bytes, reason: str) -> None:
    with pytest.raises(PlanFormatError) as caught:
        read_plan(data, "x")
    assert caught.value.reason == f"{reason}: ask for the plan as CSV UTF-8 or .xlsx"
    assert "(byte " not in caught.value.reason


# Separators and decimal commas


@pytest.mark.parametrize("separator", [";", "\t", "|"])
def test_a_separator_is_found_below_title_lines(separator: str) -> None:
    text = "Rx 12345, J. Doe; fibromyalgia\n\n" + PLAIN.replace(",", separator)
    assert messages(text) == [("summary", SUMMARY)]


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_decimal_comma_is_a_decimal_where_commas_do_not_separate(separator: str) -> None:
    s = separator
    text = f"date{s}dose\n2026-12-07{s}0,5\n2026-12-14{s}1\n2026-12-21{s}1,5\n"
    assert messages(text) == [("summary", SUMMARY)]


def csv_module_records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Each record as the csv module reads it, with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, last_line = [], 0
    for cells in reader:
        records.append((last_line + 1, cells))
        last_line = reader.line_num
    return records


@given(
    st.text(alphabet=",;\t| a1'\r\n\x0b\x0c\x1c\x85\u2028", max_size=40),
    st.sampled_from(SEPARATORS),
)
def test_text_without_quotes_is_split_as_the_csv_module_reads_it(text: str, delimiter: str) -> None:
    split = list(enumerate(unquoted_records(text, delimiter), start=1))
    assert split == csv_module_records(text, delimiter)


def test_a_quoted_line_break_keeps_the_lines_of_the_rows_below() -> None:
    text = 'step,dose,note\n1,0.5,"two\nlines"\n2,1,\n'
    assert [row.line for row in read_plan(text, "x").rows] == [2, 4]


def test_a_decimal_comma_stays_refused_in_a_comma_separated_file() -> None:
    found = messages('date,dose\n2026-12-07,"0,5"\n')
    assert found[0] == ("dose-unreadable", "dose '0,5': use a point for decimals, not a comma")


# Dates


@pytest.mark.parametrize(
    ("text", "order", "day"),
    [
        ("13/12/2026", None, date(2026, 12, 13)),
        ("13.12.2026", None, date(2026, 12, 13)),
        ("12/21/2026", None, date(2026, 12, 21)),
        ("07/12/2026", DateOrder.DMY, date(2026, 12, 7)),
        ("07/12/2026", DateOrder.MDY, date(2026, 7, 12)),
        ("05/05/26", None, date(2026, 5, 5)),
        ("7 Dec 2026", None, date(2026, 12, 7)),
        ("Dec 7, 2026", None, date(2026, 12, 7)),
        ("7th December 2026", None, date(2026, 12, 7)),
        ("2026-12-07", DateOrder.MDY, date(2026, 12, 7)),
    ],
)
def test_a_day_is_read_in_each_form(text: str, order: DateOrder | None, day: date) -> None:
    assert read_day(text, order) == day


@pytest.mark.parametrize(
    ("text", "order", "reason"),
    [
        ("13/12/2026", DateOrder.MDY, "no such day in the calendar when read month-first"),
        ("12/21/2026", DateOrder.DMY, "no such day in the calendar when read day-first"),
        ("7 Dez 2026", None, "not a month name"),
        ("31 Nov 2026", None, "no such day in the calendar"),
        ("soon", None, "write days as YYYY-MM-DD"),
    ],
)
def test_a_day_that_cannot_be_read_says_why(
    text: str, order: DateOrder | None, reason: str
) -> None:
    assert read_day(text, order) == reason


def test_one_date_above_12_settles_the_order_of_the_file() -> None:
    assert file_order(["07/12/2026", "13/12/2026", "2026-12-01"]) == (DateOrder.DMY, False)
    assert file_order(["07/12/2026", "12/21/2026"]) == (DateOrder.MDY, False)
    assert file_order(["07/12/2026", "08/12/2026"]) == (None, True)
    assert file_order(["05/05/2026"]) == (None, False)


def test_dates_that_read_both_ways_are_one_error_for_the_column() -> None:
    text = "date,dose\n01/02/2027,0.5\n08/02/2027,1\n"
    assert messages(text) == [
        (
            "date-order-unknown",
            (
                "date: the dates can be read day-first or month-first; "
                "give --date-order dmy or --date-order mdy"
            ),
        ),
        ("summary", "2 steps; 0.5 mg to a target of 1 mg"),
    ]
    given = messages(text, options_from_text(date_order="DMY"))
    assert given == [
        (
            "summary",
            (
                "2 steps, 2027-02-01 to 2027-02-07, then ongoing from 2027-02-08; "
                "0.5 mg to a target of 1 mg"
            ),
        )
    ]


def test_a_date_order_is_dmy_or_mdy() -> None:
    with pytest.raises(InputErrors) as caught:
        options_from_text(date_order="ymd")
    assert spelled(caught.value) == ["--date-order: must be dmy or mdy, got 'ymd'"]


def test_serial_numbers_in_a_date_column_are_days() -> None:
    found = messages("date,dose\n46363,0.5\n46370,1\n")
    assert found[0] == (
        "date-serials",
        "date: spreadsheet serial numbers were read as days (46363 is 2026-12-07)",
    )


@given(st.lists(st.text(alphabet="0123456789/.-T :aJn\n", max_size=12), max_size=4))
@example(["2026-12-07", "07/12/2026"])
@example(["46363.0", "2026-12-07"])
@example(["1-2-26"])
@example(["Jan 1, 2026\n46363"])
def test_plain_days_are_those_neither_order_nor_serial_reads(texts: list[str]) -> None:
    plain = all(readings(t) is None and serial_day(t) is None for t in texts)
    if all("\n" not in t for t in texts):
        assert plain_days(texts) == plain
    elif plain_days(texts):
        assert plain


def test_a_serial_number_in_a_second_date_column_is_a_day() -> None:
    plan = read_plan("Start date,First day,dose\n2026-12-07,46363,0.5\n", "x")
    assert [twin.value for twin in plan.rows[0].twins] == [date(2026, 12, 7)]
    assert plan.notes == ()


# Words


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("1.5 mg at night", ("1.5 mg", None)),
        ("1.5 mg (1.5 mL)", ("1.5 mg", Decimal("1.5"))),
        ("0.5 mg once daily at bedtime.", ("0.5 mg", None)),
        ("1 mg twice daily", "write the one daily dose alone, such as 1.5 mg"),
        ("1 mg am, 1 mg pm", "write the one daily dose alone, such as 1.5 mg"),
        ("half a tablet", None),
    ],
)
def test_a_dose_in_words(text: str, read: object) -> None:
    assert dose_in_words(text) == read


@pytest.mark.parametrize(
    ("text", "days"), [("14 days", 14), ("2 weeks", 14), ("1 wk", 7), ("3 d", 3), ("soon", None)]
)
def test_a_duration_in_days(text: str, days: int | None) -> None:
    assert duration_days(text) == days


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Week 1", 7),
        ("Weeks 1-2", 14),
        ("weeks 3 to 5", 21),
        ("2", 7),
        ("Weeks 3-1", "the weeks run backwards"),
    ],
)
def test_a_weeks_cell(text: str, days: int | str) -> None:
    assert weeks_days(text) == days


def test_a_liquid_chart_in_ml_only_needs_a_concentration() -> None:
    text = "date,mL\n2026-12-07,0.5\n2026-12-14,1\n"
    assert messages(text) == [
        (
            "volumes-without-concentration",
            (
                "the plan gives volumes in mL but no doses, and no concentration is recorded: "
                "give --form liquid --concentration C to read the doses"
            ),
        )
    ]
    given = messages(text, options_from_text(form="liquid", concentration="2"))
    assert given[0] == (
        "doses-from-volumes",
        "the plan gives volumes in mL only: each dose was worked out at 2 mg/mL",
    )
    assert given[-1][1].endswith(
        "1 mg to a target of 2 mg; 3.5 mL of 2 mg/mL liquid for the 7 dated days, "
        "then 1 mL a day ongoing"
    )


# FHIR


def test_a_fhir_medication_request_without_sequenced_dosages_is_refused() -> None:
    for text in (
        '{"resourceType": "MedicationRequest", "status": "active"}',
        (
            '{"resourceType": "Bundle", "entry": [{"resource": '
            '{"resourceType": "MedicationRequest"}}]}'
        ),
    ):
        assert messages(text) == [
            (
                "unreadable",
                (
                    "cannot be read: FHIR MedicationRequest: "
                    "no dosageInstruction with a sequence to read"
                ),
            )
        ]


# Workbooks


def workbook(rows: list[list[object]], title_rows: int = 0, *, other: bool = False) -> bytes:
    import openpyxl  # noqa: PLC0415

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for _ in range(title_rows):
        sheet.append(["LDN titration, J. Doe"])
    for row in rows:
        sheet.append(row)
    if other:
        second = book.create_sheet("Other")
        second.append(["dose", "date"])
        second.append([50, "not read"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_workbook_is_read_from_its_first_sheet_and_another_is_reported() -> None:
    data = workbook(
        [
            ["Start date", "Dose (mg)", "Volume (mL)", "Instructions"],
            [datetime.combine(date(2026, 12, 7), time()), 0.5, 0.5, "Take 0.5 mg at bedtime."],
            [date(2026, 12, 14), 1, 1.0, "Take 1 mg at bedtime."],
            ["2026-12-21", "1.5 mg", 1.5, "Take 1.5 mg at bedtime."],
        ],
        title_rows=2,
        other=True,
    )
    found = check_data(data, "plan.xlsx", options_from_text(form="liquid", concentration="1"))
    # The second sheet holds a schedule of its own (50 mg): never passed over in silence.
    assert [(f.code, f.line, f.message) for f in found[:1]] == [
        ("not-read", None, 'sheet "Other" (2 rows) was not read')
    ]
    assert [(f.code, f.line) for f in found[1:]] == [("summary", None)]
    assert found[1].message.startswith(SUMMARY)


def test_an_xlsx_number_in_a_date_column_is_a_serial_day() -> None:
    data = workbook([["date", "mg"], [46363, 0.5], [46370, 1]])
    assert [f.code for f in check_data(data, "plan.xlsx", CheckOptions())] == [
        "date-serials",
        "summary",
    ]


def test_an_xlsx_cell_is_named_by_its_row() -> None:
    data = workbook([["date", "mg"], [date(2026, 12, 7), 0.5], [date(2026, 12, 14), 3.0001]])
    found = check_data(data, "plan.xlsx", CheckOptions())
    assert (found[0].code, found[0].line, found[0].step) == ("too-precise", 3, 2)


def test_a_damaged_workbook_is_refused_in_plain_words() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not a workbook")
    with pytest.raises(PlanFormatError) as caught:
        read_plan(out.getvalue(), "x")
    assert (
        caught.value.reason
        == "a damaged .xlsx workbook: open it in the spreadsheet and save it again"
    )
