"""Tables are accounted for: every sheet, column and line read by its meaning or reported."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from ldn_titrate.check import CheckOptions, Finding
from ldn_titrate.check import check_file as check_data
from ldn_titrate.cli import app
from ldn_titrate.received import Form, Formulation, MedList, Unread, header_field, read_plan
from ldn_titrate.received.columns import CSV_FIELDS
from ldn_titrate.received.headers import NO_CLINICAL_MEANING
from ldn_titrate.received.lines import line_text, read_line, stated_formulation
from ldn_titrate.received.words import weeks_days

DATA = Path(__file__).parent / "data" / "check"
STEPS = "date,dose_mg\n2026-12-07,0.5\n2026-12-14,1\n"


def found(data: str | bytes, name: str = "plan.csv") -> list[Finding]:
    return check_data(data, name, CheckOptions())


def said(data: str | bytes, name: str = "plan.csv") -> list[tuple[str, int | None, str]]:
    """Every finding but the summary: code, line, message."""
    return [(f.code, f.line, f.message) for f in found(data, name) if f.code != "summary"]


def workbook(*sheets: tuple[str, str, list[list[object]]]) -> bytes:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, state, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SCHEDULE: list[list[object]] = [["Date", "Dose (mg)"], [date(2026, 12, 7), 0.5]]


# Every sheet


def test_a_hidden_sheet_of_medicines_is_a_medicine_list_named_by_its_sheet() -> None:
    plan = read_plan((DATA / "sheets-hidden-meds.xlsx").read_bytes(), "x.xlsx")
    assert plan.med_lists == (
        MedList('sheet "Meds" (hidden)', "Sertraline 50 mg; Tramadol 50 mg twice daily"),
    )
    assert plan.unread == ()


@pytest.mark.parametrize(
    ("state", "where"),
    [
        ("visible", 'sheet "Notes" (2 rows)'),
        ("hidden", 'sheet "Notes" (hidden, 2 rows)'),
        ("veryHidden", 'sheet "Notes" (very hidden, 2 rows)'),
    ],
)
def test_a_sheet_not_understood_is_not_read_with_its_text(state: str, where: str) -> None:
    notes: list[list[object]] = [["Go up to 3 mg"], ["if well", "call day 3"]]
    plan = read_plan(workbook(("Plan", "visible", SCHEDULE), ("Notes", state, notes)), "x.xlsx")
    assert plan.unread == (Unread(where, "Go up to 3 mg / if well call day 3"),)
    assert said(workbook(("Plan", "visible", SCHEDULE), ("Notes", state, notes)), "x.xlsx") == [
        ("not-read", None, f"{where} was not read")
    ]


def test_an_empty_sheet_is_nothing() -> None:
    data = workbook(("Plan", "visible", SCHEDULE), ("Sheet2", "hidden", []), ("S3", "visible", []))
    assert said(data, "x.xlsx") == []


def test_a_sheet_of_who_the_plan_is_for_is_read_and_quiet() -> None:
    about: list[list[object]] = [["Patient: J. Doe"], ["Prescriber", "Dr A. Smith"]]
    assert said(workbook(("Plan", "visible", SCHEDULE), ("About", "hidden", about)), "x") == []


def test_a_visible_schedule_is_read_before_a_hidden_one() -> None:
    hidden: list[list[object]] = [["Date", "Dose (mg)"], [date(2026, 1, 1), 50]]
    data = workbook(("Old", "hidden", hidden), ("Plan", "visible", SCHEDULE))
    plan = read_plan(data, "x.xlsx")
    assert [r.dose for r in plan.rows] == [Decimal("0.5")]
    assert plan.unread[0].where == 'sheet "Old" (hidden, 2 rows)'


def test_the_dispense_sheet_of_this_tool_gives_the_fills() -> None:
    plan = read_plan((DATA / "written-liquid.xlsx").read_bytes(), "x.xlsx")
    assert [(f.number, f.first_day, f.last_day) for f in plan.fills or ()] == [
        (1, date(2026, 12, 7), date(2027, 3, 2))
    ]
    assert plan.label == "J.D. Rx 123"
    assert plan.formulation == Formulation(Form.LIQUID, Decimal(1), Decimal("0.1"))


def test_a_dispense_sheet_with_a_row_added_is_not_read() -> None:
    book = openpyxl.load_workbook(DATA / "written-liquid.xlsx")
    book["Dispense"].insert_rows(8)
    book["Dispense"]["A8"] = "Extra 2 bottles for the holidays"
    out = io.BytesIO()
    book.save(out)
    assert said(out.getvalue(), "x.xlsx") == [
        ("not-read", None, 'sheet "Dispense" (23 rows) was not read')
    ]


# Every column and line


def test_a_column_not_read_names_its_header_and_keeps_its_cells() -> None:
    plan = read_plan((DATA / "columns-unread.csv").read_bytes(), "x.csv")
    assert plan.unread == (
        Unread('column "Adjustments"', "hold here if sleep is poor / then 3 mg twice daily", 1),
        Unread("line 4 beyond the header", "see Dr", 4),
    )


@pytest.mark.parametrize("header", sorted(NO_CLINICAL_MEANING))
def test_a_column_with_no_clinical_meaning_is_quiet(header: str) -> None:
    text = f"date,dose_mg,{header}\n2026-12-07,0.5,J.D. 12\n"
    assert said(text) == []


@pytest.mark.parametrize("header", ["Adjust", "Freq per wk", "Comment 2", "Tabs"])
def test_any_other_column_is_not_read(header: str) -> None:
    text = f"date,dose_mg,{header}\n2026-12-07,0.5,x\n"
    assert said(text) == [("not-read", 1, f'column "{header}" was not read')]


def test_an_empty_column_is_nothing() -> None:
    assert said("date,dose_mg,Extra\n2026-12-07,0.5,\n") == []


def test_lines_above_and_below_the_table_are_said_where_they_are() -> None:
    assert said((DATA / "lines-above-below.csv").read_bytes()) == [
        ("not-read", 3, "line 3 above the table was not read"),
        ("not-read", 10, "line 10 below the table was not read"),
    ]


def test_a_line_between_steps_is_in_the_table() -> None:
    text = "date,dose_mg\n2026-12-07,0.5\nHold a week if nauseous\n2026-12-14,1\n"
    assert said(text) == [("not-read", 3, "line 3 in the table was not read")]


def test_a_lone_dose_is_a_step_not_a_line() -> None:
    text = "dose_mg,date\n0.5,2026-12-07\n1 mg twice daily\n"
    assert found(text)[0].code == "dose-unreadable"


@pytest.mark.parametrize(
    "line",
    [
        "LDN titration schedule for J. Doe",
        "Low-dose naltrexone titration plan",
        "LDN titration, J. Doe",
        "Aufdosierungsschema Naltrexon für M. Muster",
        "Schéma de titration LDN pour Mme Dupont",
        "Pauta de titulación de naltrexona",
        "Schema di titolazione naltrexone",
        "Opbouwschema naltrexon voor dhr. Jansen",
        "Patient: J. Doe",
        "Rx 12345, J. Doe",
        "DOB: 1970-01-01",
        "Prescriber: Dr A. Smith",
        "Naltrexone 1 mg/mL oral liquid",
        "Every dose is taken by mouth once daily at bedtime.",
        "The ongoing target step is counted as a 30-day supply.",
    ],
)
def test_ordinary_title_and_note_lines_are_understood(line: str) -> None:
    assert read_line((line,)).understood


@pytest.mark.parametrize(
    "line",
    [
        "Stop if vivid dreams persist",
        "LDN titration, take twice daily",
        "LDN titration for 3 mg at night",
        "Patient: take 3 mg twice a day as needed",
        "Naltrexone 1 mg/mL, two doses a day",
        "Every dose is taken twice daily.",
    ],
)
def test_lines_that_say_more_are_not_understood(line: str) -> None:
    assert not read_line((line,)).understood


# Medicine lists


@pytest.mark.parametrize(
    "heading",
    [
        "Current medications",
        "Medication list",
        "Regular medicines",
        "Other medicines",
        "Supplements",
        "Medications",
        "Aktuelle Medikation",
        "Dauermedikation",
        "Traitements en cours",
        "Médicaments",
        "Medicación actual",
        "Farmaci in uso",
        "Huidige medicatie",
    ],
)
def test_a_medicine_list_heading_in_any_language_is_a_list(heading: str) -> None:
    line = f"{heading}: Tramadol 50 mg"
    plan = read_plan(f"{line}\n{STEPS}", "x.csv")
    assert plan.med_lists == (MedList("line 1 above the table", "Tramadol 50 mg", line=1),)
    column = read_plan(f"date,dose_mg,{heading}\n2026-12-07,0.5,Tramadol 50 mg\n", "x.csv")
    assert column.med_lists == (MedList(f'column "{heading}"', "Tramadol 50 mg", line=1),)
    assert found(f"{line}\n{STEPS}")[0].code == "opioid"


def test_a_heading_alone_takes_the_lines_under_it() -> None:
    plan = read_plan((DATA / "meds-heading-below.csv").read_bytes(), "x.csv")
    assert plan.med_lists == (
        MedList("line 5 below the table", "Méthadone 40 mg; Paracétamol 1 g", line=5),
    )


# Strengths


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("naltrexone-5mg-per-ml.csv", Formulation(Form.LIQUID, Decimal(5))),
        ("LDN 1mg/ml.xlsx", Formulation(Form.LIQUID, Decimal(1))),
        ("LDN 2,5 mg pro ml", Formulation(Form.LIQUID, Decimal("2.5"))),
        ("ldn 1.5mg capsules", Formulation(Form.CAPSULE, strengths_mg=(Decimal("1.5"),))),
        (
            "Kapseln 0,5 mg und 1,5 mg",
            Formulation(Form.CAPSULE, strengths_mg=(Decimal("0.5"), Decimal("1.5"))),
        ),
        ("LDN titration", None),
    ],
)
def test_a_strength_is_read_wherever_it_is_written(text: str, form: Formulation | None) -> None:
    assert stated_formulation(text) == form


def test_a_file_name_strength_is_the_formulation_when_the_rows_state_none() -> None:
    plan = read_plan("date,dose_mg,volume_ml\n2026-12-07,0.5,0.5\n", "ldn-5mg-per-ml.csv")
    assert plan.formulation == Formulation(Form.LIQUID, Decimal(5))
    assert [
        f.code for f in found("date,dose_mg,volume_ml\n2026-12-07,0.5,0.5\n", "ldn-5mg-per-ml.csv")
    ] == [
        "volume-mismatch",
        "summary",
    ]


def test_two_strengths_in_two_places_are_a_formulation_conflict() -> None:
    assert said((DATA / "strength-conflict.csv").read_bytes()) == [
        (
            "formulation-conflict",
            None,
            (
                "the plan states two strengths: 1 mg/mL (line 1 above the table) and 5 mg/mL "
                '(column "notes", line 3)'
            ),
        )
    ]


def test_a_conflicting_strength_leaves_the_total_unsaid() -> None:
    summary = found((DATA / "strength-conflict.csv").read_bytes())[-1].message
    assert " mL of " not in summary


# Headers and shapes of other countries


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Beginn", "first_day"), ("Ende", "last_day"), ("Tage", "days"), ("Dosis", "dose_mg"),
        ("Woche", "weeks"), ("Menge", "quantity"), ("Début", "first_day"), ("Fin", "last_day"),
        ("Jours", "days"), ("Dose (mg)", "dose_mg"), ("Semaine", "weeks"), ("Inicio", "first_day"),
        ("Días", "days"), ("Dosis (mg)", "dose_mg"), ("Semana", "weeks"), ("Inizio", "first_day"),
        ("Fine", "last_day"), ("Giorni", "days"), ("Settimana", "weeks"), ("Begin", "first_day"),
        ("Eind", "last_day"), ("Dagen", "days"), ("Week", "weeks"), ("Quantité", "quantity"),
        ("Kapseln", "capsules"), ("Bemerkung", "note"), ("Quantity (mL)", "quantity"),
    ],
)  # fmt: skip
def test_headers_of_other_countries_are_read(header: str, field: str) -> None:
    assert header_field(header) == field


@pytest.mark.parametrize(
    "cell",
    [
        "Week 6 onwards", "Week 6+", "from week 6", "ab Woche 6", "à partir de la semaine 6",
        "desde la semana 6", "dalla settimana 6", "vanaf week 6", "Semana 5 en adelante",
        "Semana 5 y siguientes", "Semana 5 em diante", "da semana 5 em diante",
        "Settimana 5 in poi", "dalla settimana 5 in poi", "Settimana 5 e seguenti",
        "Week 5 en verder", "vanaf week 5", "Semaine 5 et suivantes", "à partir de semaine 5",
        "a partir de la semana 5", "ab Woche 5", "Week 5 onwards", "Week 5 and after", "Week 5+",
        "Week 5 +", "from week 5 onwards",
    ],
)  # fmt: skip
def test_a_week_chart_that_ends_onwards_is_ongoing(cell: str) -> None:
    assert weeks_days(cell) is None


@pytest.mark.parametrize("cell", ["Semana 5 en", "Week 5 and", "5 in poi", "Week onwards"])
def test_a_week_with_other_words_is_not_read_as_onwards(cell: str) -> None:
    assert isinstance(weeks_days(cell), str)


@pytest.mark.parametrize(
    ("cell", "days"), [("Woche 2-3", 14), ("Semaines 1 à 2", 14), ("Week 4", 7)]
)
def test_weeks_in_other_languages_are_counted(cell: str, days: int) -> None:
    assert weeks_days(cell) == days


# Columns named for an unknown vendor


VENDOR = [
    "--column",
    "dose_mg=Gabe",
    "--column",
    "start_date=Tag von",
    "--column",
    "end_date=Tag bis",
]
CLEAN = (
    "columns-vendor.csv: clean, 3 steps, 2026-12-07 to 2027-01-03, then ongoing from "
    "2027-01-04; 0.5 mg to a target of 1.5 mg\n"
)
ALLOWED = "must be FIELD=HEADER, FIELD one of " + ", ".join(CSV_FIELDS)


def test_column_names_a_vendors_header(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA)
    result = runner.invoke(app, ["check", "columns-vendor.csv", *VENDOR])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        CLEAN,
        "checked 1 plan: 0 with errors, 0 with warnings, 1 clean\n",
    )


@pytest.mark.parametrize("value", ["dose=Gabe", "Gabe", "dose_mg=", "volume=Menge"])
def test_column_refuses_an_unknown_field_or_a_malformed_value(
    runner: CliRunner, value: str
) -> None:
    result = runner.invoke(app, ["check", str(DATA / "good.csv"), "--column", value])
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"error: --column: {ALLOWED}, got {value!r}\n",
    )


def test_the_config_names_a_vendors_headers(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[check.columns]\ndose_mg = "Gabe"\nstart_date = "Tag von"\nend_date = "Tag bis"\n'
    )
    monkeypatch.chdir(DATA)
    result = runner.invoke(app, ["check", "columns-vendor.csv", "--config", str(config)])
    assert (result.exit_code, result.stdout) == (0, CLEAN)


def test_a_config_error_names_the_key_not_the_flag(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[check.columns]\ndose = "Gabe"\n')
    result = runner.invoke(app, ["check", str(DATA / "good.csv"), "--config", str(config)])
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"error: {config}: check.columns: {ALLOWED}, got 'dose=Gabe'\n",
    )


@pytest.mark.parametrize(
    ("cells", "text"),
    [
        (("LDN 1", "5 mg capsules"), "LDN 1,5 mg capsules"),
        (("Patient: J. Doe", "Rx 1"), "Patient: J. Doe Rx 1"),
        (("Week 2", "dose 1 mg"), "Week 2 dose 1 mg"),
        ((), ""),
    ],
)
def test_a_line_split_at_a_decimal_comma_is_joined_by_it(cells: tuple[str, ...], text: str) -> None:
    assert line_text(cells) == text


def test_an_unquoted_decimal_comma_in_a_title_states_no_other_strength() -> None:
    data = (
        "LDN 1,5 mg capsules - titration\n"
        "step,start_date,end_date,days,dose_mg,capsules\n"
        "1,2026-12-07,2026-12-20,14,1.5,1 x 1.5 mg\n"
        "2,2026-12-21,2027-01-03,14,3,2 x 1.5 mg\n"
    )
    findings = check_data(data.encode(), "plan.csv", CheckOptions())
    assert [(f.severity.value, str(f.code)) for f in findings] == [("info", "summary")]


@pytest.mark.parametrize(
    "line",
    [
        # A title that states the formulation, with a title's joined word at its end.
        "Naltrexon 1 mg/ml Suspension zum Einnehmen – Aufdosierungsschema",
        # The head of an e-mail that carries the plan.
        "From: R. Okafor RN, Riverside Clinic",
        "Subject: LDN titration - J Lopez - Rx 55012",
        "Betreff: Aufdosierung LDN",
    ],
)
def test_a_title_or_an_e_mail_head_is_read(line: str) -> None:
    assert read_line((line,)).understood


def test_an_e_mail_subject_that_gives_a_dose_is_not_read_as_a_head() -> None:
    assert not read_line(("Subject: LDN 4.5 mg twice daily",)).understood


def test_a_column_of_when_to_take_it_in_french_is_the_instructions() -> None:
    assert header_field("Prise") == "instructions"


@pytest.mark.parametrize("last", ["ongoing", "Ongoing", "—", "-", "laufend", "en cours", "løbende"])
def test_a_last_day_that_says_the_step_goes_on_is_an_ongoing_step(last: str) -> None:
    data = f"Start,End,Dose (mg)\n2026-12-07,2026-12-20,0.5\n2026-12-21,{last},1\n"
    findings = check_data(data.encode(), "plan.csv", CheckOptions())
    assert [(f.severity.value, str(f.code)) for f in findings] == [("info", "summary")]
    assert "then ongoing from 2026-12-21" in findings[-1].message


def test_a_last_day_that_is_no_day_and_no_such_word_is_refused() -> None:
    data = "Start,End,Dose (mg)\n2026-12-07,?,0.5\n"
    findings = check_data(data.encode(), "plan.csv", CheckOptions())
    assert ("error", "date-unreadable") in [(f.severity.value, str(f.code)) for f in findings]


@pytest.mark.parametrize(
    ("written", "dose"), [("½ mg", "0.5"), ("1½ mg", "1.5"), ("1 1/2 mg", "1.5")]
)
def test_a_dose_written_with_a_fraction_is_read(written: str, dose: str) -> None:
    data = f"Start,End,Dose\n2026-12-07,2026-12-20,{written}\n"
    plan = read_plan(data.encode(), "plan.csv", None, ())
    assert plan.rows[0].dose == Decimal(dose)
    findings = check_data(data.encode(), "plan.csv", CheckOptions())
    assert [(f.severity.value, str(f.code)) for f in findings] == [("info", "summary")]


@pytest.mark.parametrize("written", ["3/2 mg", "12/24 mg", "1/3 mg"])
def test_a_fraction_that_is_no_plain_part_of_a_dose_is_refused(written: str) -> None:
    data = f"Start,End,Dose\n2026-12-07,2026-12-20,{written}\n"
    findings = check_data(data.encode(), "plan.csv", CheckOptions())
    assert ("error", "dose-unreadable") in [(f.severity.value, str(f.code)) for f in findings]
