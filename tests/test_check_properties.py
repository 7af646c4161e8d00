"""``rules`` and ``check`` verify each other: every plan ``plan`` writes checks clean, and a
plan with one wrong cell is caught on that row."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import assume, given, reject, settings
from hypothesis import strategies as st

from ldn_titrate.check import CheckOptions, Finding, Severity
from ldn_titrate.check import check_file as check_data
from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.errors import FormulationError
from ldn_titrate.formats import WriteOptions, csv_format, json_format, xlsx_format
from ldn_titrate.limits import USUAL_CONCENTRATIONS_MG_PER_ML
from ldn_titrate.model import (
    Capsules,
    DoseTime,
    Liquid,
    PlannedStep,
    Schedule,
    TitrationRequest,
    step_count,
)
from ldn_titrate.received import Form, Formulation
from ldn_titrate.rules import build_schedule

# The warnings ``plan`` gives and the codes ``check`` gives for the same thing.
PLAN_WARNINGS = frozenset({"very-low-start", "fast-interval", "large-step"})
LABELS = (
    None,
    "JD Rx 12345",
    "LDN Research Trust: 0.5 mg start, +0.5 mg weekly",
    "=HYPERLINK(evil)",
    "+44 patient, 'quoted', \"double\"",
    "Mrs O'Brien — fibromyalgia",
)
STRENGTH_SETS = (
    ("1.5", "0.5"),
    ("4.5", "1.5", "0.5"),
    ("1", "0.5"),
    ("3", "1.5"),
    ("0.5",),
    ("0.25", "1"),
)
GRADUATIONS = tuple(Decimal(g) for g in ("0.01", "0.05", "0.1", "0.25"))


@dataclass(frozen=True)
class Drawn:
    """A schedule with the options a pharmacist would give ``check`` for its CSV."""

    schedule: Schedule
    given: Formulation | None


def _dose(quantum: Decimal, low: Decimal, high: Decimal) -> st.SearchStrategy[Decimal]:
    first = int((low / quantum).to_integral_value(rounding="ROUND_CEILING"))
    last = int((high / quantum).to_integral_value(rounding="ROUND_FLOOR"))
    return st.integers(first, last).map(lambda k: (quantum * k).normalize())


@st.composite
def schedules(draw: st.DrawFn, form: str | None = None) -> Drawn:
    """A schedule ``plan`` can produce, plain or in a formulation."""
    formulation: Liquid | Capsules | None = None
    given_form: Formulation | None = None
    if form == "liquid":
        concentration = draw(st.sampled_from(USUAL_CONCENTRATIONS_MG_PER_ML))
        graduation = draw(st.sampled_from(GRADUATIONS))
        quantum = concentration * graduation
        formulation = Liquid(concentration_mg_per_ml=concentration, graduation_ml=graduation)
        given_form = Formulation(Form.LIQUID, concentration, graduation)
    elif form == "capsule":
        strengths = tuple(Decimal(s) for s in draw(st.sampled_from(STRENGTH_SETS)))
        quantum = min(strengths)
        formulation = Capsules(strengths_mg=strengths, max_units=draw(st.integers(3, 10)))
        given_form = Formulation(Form.CAPSULE, strengths_mg=strengths)
    else:
        quantum = draw(st.sampled_from([Decimal("0.001"), Decimal("0.05"), Decimal("0.25")]))
    start = draw(_dose(quantum, Decimal("0.1"), Decimal("4.5")))
    target = draw(_dose(quantum, Decimal("0.5"), Decimal("4.5")))
    step = None
    every = None
    if start != target:
        step = draw(_dose(quantum, quantum, Decimal("4.5")))
        assume(step_count(start, target, step) <= 30)
        every = Interval(draw(st.integers(1, 6)), draw(st.sampled_from(list(IntervalUnit))))
        if every.unit is IntervalUnit.DAYS:
            every = Interval(draw(st.integers(1, 30)), IntervalUnit.DAYS)
    request = TitrationRequest(
        start_mg=start,
        target_mg=target,
        step_mg=step,
        every=every,
        first_day=draw(st.dates(date(2000, 1, 1), date(2090, 12, 31))),
        maintenance_days=draw(st.none() | st.integers(1, 400)),
        time=draw(st.sampled_from(list(DoseTime))),
        label=draw(st.sampled_from(LABELS)),
        formulation=formulation,
        bud_days=draw(st.none() | st.integers(7, 120)) if formulation else None,
        overage_percent=draw(st.sampled_from([Decimal(0), Decimal(10)]))
        if isinstance(formulation, Liquid)
        else Decimal(0),
    )
    try:
        schedule = build_schedule(request)
    except FormulationError:
        reject()
    return Drawn(schedule, given_form)


FORMS = st.sampled_from([None, "liquid", "capsule"])


def errors_and_warnings(found: list[Finding]) -> tuple[list[Finding], set[str]]:
    errors = [f for f in found if f.severity is Severity.ERROR]
    warnings = {f.code for f in found if f.severity is Severity.WARNING}
    return errors, warnings


def assert_clean(found: list[Finding], schedule: Schedule) -> None:
    errors, warnings = errors_and_warnings(found)
    assert errors == []
    notices = {n.code for n in schedule.notices}
    assert warnings <= notices & PLAN_WARNINGS, found
    # The same limits, decided twice: a very low start and a fast pace are seen by both.
    # (Explicit steps may hold one dose over two short steps: plan warns of each step, check
    # of the dose's hold, so there only check's warnings must be plan's.)
    paced = ("very-low-start",) if schedule.request.steps else ("very-low-start", "fast-interval")
    for code in paced:
        assert (code in warnings) == (code in notices), (code, found)


def received_options(drawn: Drawn) -> CheckOptions:
    """A CSV does not record the syringe: one other than the 0.1 mL default is named."""
    syringe = drawn.given.graduation_ml if drawn.given is not None else None
    if syringe is None or syringe == Decimal("0.1"):
        return CheckOptions()
    return CheckOptions(formulation=Formulation(Form.LIQUID, graduation_ml=syringe))


@given(form=FORMS, data=st.data())
def test_every_plan_written_as_csv_checks_clean(form: str | None, data: st.DataObject) -> None:
    drawn = data.draw(schedules(form))
    text = csv_format.dumps(drawn.schedule)
    # As received: the formulation read from the file itself.
    assert_clean(check_data(text, "plan.csv", received_options(drawn)), drawn.schedule)
    # As compounded: the formulation given on the command line.
    given_options = CheckOptions(formulation=drawn.given)
    assert_clean(check_data(text, "plan.csv", given_options), drawn.schedule)


@given(form=FORMS, data=st.data())
def test_every_plan_written_as_json_checks_clean(form: str | None, data: st.DataObject) -> None:
    drawn = data.draw(schedules(form))
    text = json_format.dumps(drawn.schedule)
    assert_clean(check_data(text, "plan.json", CheckOptions()), drawn.schedule)
    given_options = CheckOptions(formulation=drawn.given)
    assert_clean(check_data(text, "plan.json", given_options), drawn.schedule)


def test_the_first_plan_of_each_form_checks_clean() -> None:
    """A plain, liquid and capsule plan, spelled out for a reader of this file."""
    for formulation in (
        None,
        Liquid(concentration_mg_per_ml=Decimal(1), graduation_ml=Decimal("0.1")),
        Capsules(strengths_mg=(Decimal("1.5"), Decimal("0.5")), max_units=4),
    ):
        request = TitrationRequest(
            start_mg=Decimal("0.5"),
            target_mg=Decimal(3),
            step_mg=Decimal("0.5"),
            every=Interval(7, IntervalUnit.DAYS),
            first_day=date(2026, 12, 7),
            formulation=formulation,
        )
        schedule = build_schedule(request)
        for text in (csv_format.dumps(schedule), json_format.dumps(schedule)):
            found = check_data(text, "plan", CheckOptions())
            assert [f.code for f in found] == ["summary"]


# One wrong cell


def _wrong_day(text: str, shift: int) -> str:
    return (date.fromisoformat(text) + timedelta(days=shift)).isoformat()


def _wrong_dose(draw: st.DrawFn, dose: Decimal) -> str:
    other = draw(
        st.sampled_from(["0", "-1", "abc", "500", "60", "5", "4.6", "0,5"])
        | st.integers(1, 45).map(lambda k: str(Decimal(k) / 10))
    )
    assume(other.replace(",", ".") != str(dose) and not _same_number(other, dose))
    return other


def _same_number(text: str, value: Decimal) -> bool:
    try:
        return Decimal(text) == value
    except ArithmeticError:
        return False


@st.composite
def csv_mutations(draw: st.DrawFn) -> tuple[Drawn, str, int]:
    """A valid plan's CSV with one cell changed to a wrong value, and the line changed."""
    drawn = draw(schedules(draw(FORMS)))
    steps = drawn.schedule.steps
    assume(len(steps) >= 2)
    rows = list(csv.reader(io.StringIO(csv_format.dumps(drawn.schedule), newline="")))
    header = rows[0]
    index = draw(st.integers(1, len(steps)))
    row = rows[index]
    cells = dict(zip(header, row, strict=True))
    choices = [c for c in ("step", "start_date", "end_date", "days", "dose_mg") if cells[c]]
    choices += [c for c in ("volume_ml", "capsules") if c in cells]
    column = draw(st.sampled_from(choices))
    old = cells[column]
    if column == "step":
        new = draw(st.sampled_from(["0", "abc"]) | st.integers(1, 200).map(str))
    elif column in {"start_date", "end_date"}:
        new = _wrong_day(old, draw(st.integers(-20, 20).filter(bool)))
    elif column == "days":
        new = draw(st.sampled_from(["0", "x"]) | st.integers(1, 400).map(str))
    elif column == "dose_mg":
        new = _wrong_dose(draw, Decimal(old))
    elif column == "volume_ml":
        new = draw(
            st.sampled_from(["0", "-1", "abc"])
            | st.integers(1, 500).map(lambda k: str(Decimal(k) / 100))
        )
        assume(not _same_number(new, Decimal(old)))
    else:
        strength, count = draw(st.sampled_from(["0.5", "1.5", "3"])), draw(st.integers(1, 5))
        new = f"{count} × {strength} mg"
    assume(new != old)
    row[header.index(column)] = new
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return drawn, out.getvalue(), index + 1


@given(csv_mutations())
def test_one_wrong_csv_cell_is_an_error_on_its_line(case: tuple[Drawn, str, int]) -> None:
    drawn, text, line = case
    for options in (CheckOptions(), CheckOptions(formulation=drawn.given)):
        found = check_data(text, "plan.csv", options)
        assert any(f.severity is Severity.ERROR and f.line == line for f in found), found


@st.composite
def json_mutations(draw: st.DrawFn) -> tuple[Drawn, str, int]:
    """A valid plan's JSON with one value changed to a wrong one, and the step changed."""
    drawn = draw(schedules(draw(FORMS)))
    steps = drawn.schedule.steps
    assume(len(steps) >= 2)
    data = json.loads(json_format.dumps(drawn.schedule))
    number = draw(st.integers(1, len(steps)))
    item = data["steps"][number - 1]
    keys = [k for k in ("step", "start_date", "end_date", "days", "dose_mg") if item[k] is not None]
    keys += [k for k in ("volume_ml", "capsules") if k in item]
    key = draw(st.sampled_from(keys))
    old = item[key]
    new: object
    if key == "step":
        new = draw(st.integers(0, 200).filter(lambda n: n != number))
    elif key in {"start_date", "end_date"}:
        new = _wrong_day(old, draw(st.integers(-20, 20).filter(bool)))
    elif key == "days":
        new = draw(st.integers(0, 400).filter(lambda n: n != old))
    elif key == "dose_mg":
        new = _wrong_dose(draw, Decimal(old))
    elif key == "volume_ml":
        new = str(draw(st.integers(0, 500).map(lambda k: Decimal(k) / 100)))
        assume(not _same_number(str(new), Decimal(old)))
    else:
        new = {draw(st.sampled_from(["0.5", "1.5", "3"])): draw(st.integers(1, 5))}
        assume(new != old)
    item[key] = new
    return drawn, json.dumps(data), number


@given(json_mutations())
def test_one_wrong_json_value_is_an_error_on_its_step(case: tuple[Drawn, str, int]) -> None:
    drawn, text, number = case
    for options in (CheckOptions(), CheckOptions(formulation=drawn.given)):
        found = check_data(text, "plan.json", options)
        assert any(f.severity is Severity.ERROR and f.step == number for f in found), found


# Reading paths: the same plan as pharmacies receive it


NUMBER_COLUMNS = frozenset({"dose_mg", "volume_ml", "capsules"})


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _semicolon_decimal_commas(text: str) -> bytes:
    """The CSV as a spreadsheet in a decimal-comma locale saves it: ``;`` and ``0,5``."""
    rows = _rows(text)
    numbers = {i for i, name in enumerate(rows[0]) if name in NUMBER_COLUMNS}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for number, row in enumerate(rows):
        writer.writerow(
            [c.replace(".", ",") if number and i in numbers else c for i, c in enumerate(row)]
        )
    return out.getvalue().encode("utf-8")


def _xlsx(text: str) -> bytes:
    """The CSV as a workbook: typed day cells, number cells and text cells."""
    import openpyxl  # noqa: PLC0415

    rows = _rows(text)
    header = rows[0]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows[1:]:
        cells: list[object] = []
        for name, cell in zip(header, row, strict=True):
            if not cell:
                cells.append(None)
            elif name in {"start_date", "end_date"}:
                cells.append(date.fromisoformat(cell))
            elif name in {"step", "days"}:
                cells.append(int(cell))
            elif name in {"dose_mg", "volume_ml"}:
                cells.append(Decimal(cell))
            else:
                cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


READING_PATHS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with a byte-order mark": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "utf-16": lambda text: text.encode("utf-16"),
    "semicolons and decimal commas": _semicolon_decimal_commas,
    "xlsx": _xlsx,
}


def _seen(found: list[Finding]) -> list[tuple[str, str, int | None, int | None, str]]:
    return [(f.severity.value, f.code, f.line, f.step, f.message) for f in found]


@given(form=FORMS, data=st.data())
def test_every_plan_reads_the_same_by_every_path(form: str | None, data: st.DataObject) -> None:
    drawn = data.draw(schedules(form))
    text = csv_format.dumps(drawn.schedule)
    options = received_options(drawn)
    expected = check_data(text, "plan", options)
    assert_clean(expected, drawn.schedule)
    for path, encode in READING_PATHS.items():
        found = check_data(encode(text), "plan", options)
        assert _seen(found) == _seen(expected), path


# Explicit steps and split doses: what ``--steps`` and ``--split`` write, read back


INTERVAL_UNITS = st.sampled_from(list(IntervalUnit))


def _interval(draw: st.DrawFn) -> Interval:
    unit = draw(INTERVAL_UNITS)
    top = {IntervalUnit.DAYS: 60, IntervalUnit.WEEKS: 8, IntervalUnit.MONTHS: 3}[unit]
    return Interval(draw(st.integers(1, top)), unit)


@st.composite
def formulations(draw: st.DrawFn, form: str | None) -> tuple[Liquid | Capsules | None, Decimal]:
    """A formulation and the dose quantum each administration must be a multiple of."""
    if form == "liquid":
        concentration = draw(st.sampled_from(USUAL_CONCENTRATIONS_MG_PER_ML))
        graduation = draw(st.sampled_from(GRADUATIONS))
        return (
            Liquid(concentration_mg_per_ml=concentration, graduation_ml=graduation),
            concentration * graduation,
        )
    if form == "capsule":
        strengths = tuple(Decimal(s) for s in draw(st.sampled_from(STRENGTH_SETS)))
        return Capsules(strengths_mg=strengths, max_units=draw(st.integers(3, 10))), min(strengths)
    return None, draw(st.sampled_from([Decimal("0.001"), Decimal("0.05"), Decimal("0.25")]))


def _given(formulation: Liquid | Capsules | None) -> Formulation | None:
    if isinstance(formulation, Liquid):
        return Formulation(
            Form.LIQUID, formulation.concentration_mg_per_ml, formulation.graduation_ml
        )
    if isinstance(formulation, Capsules):
        return Formulation(Form.CAPSULE, strengths_mg=formulation.strengths_mg)
    return None


@st.composite
def explicit_schedules(draw: st.DrawFn, form: str | None) -> Drawn:
    """A ``--steps`` plan: doses that go up, down or hold, some split morning + bedtime."""
    formulation, quantum = draw(formulations(form))
    count = draw(st.integers(1, 8))
    planned = []
    for number in range(1, count + 1):
        last = number == count
        low = Decimal("0.5") if last else Decimal("0.1")
        if draw(st.booleans()):
            morning = draw(_dose(quantum, quantum, Decimal("2.25")))
            bedtime = draw(_dose(quantum, quantum, Decimal("2.25")))
            dose = morning + bedtime
            assume(low <= dose <= Decimal("4.5"))
            step = PlannedStep(dose.normalize(), None, morning, bedtime)
        else:
            step = PlannedStep(draw(_dose(quantum, low, Decimal("4.5"))), None)
        every = None if last and draw(st.booleans()) else _interval(draw)
        planned.append(step._replace(every=every))
    request_split = any(p.split for p in planned)
    try:
        schedule = build_schedule(
            TitrationRequest(
                start_mg=planned[0].dose_mg,
                target_mg=planned[-1].dose_mg,
                first_day=draw(st.dates(date(2000, 1, 1), date(2090, 12, 31))),
                steps=tuple(planned),
                time=DoseTime.BEDTIME if request_split else draw(st.sampled_from(list(DoseTime))),
                label=draw(st.sampled_from(LABELS)),
                formulation=formulation,
            )
        )
    except FormulationError:
        reject()
    return Drawn(schedule, _given(formulation))


@st.composite
def split_ladders(draw: st.DrawFn, form: str | None) -> Drawn:
    """A ``--split`` ladder: each dose taken as two equal halves."""
    formulation, quantum = draw(formulations(form))
    # Each half a multiple of the quantum (and of 0.001 mg), so each dose a multiple of twice it.
    whole = max(quantum, Decimal("0.001")) * 2
    start = draw(_dose(whole, Decimal("0.1"), Decimal("4.5")))
    target = draw(_dose(whole, Decimal("0.5"), Decimal("4.5")))
    step = every = None
    if start != target:
        step = draw(_dose(whole, whole, Decimal("4.5")))
        assume(step_count(start, target, step) <= 30)
        every = _interval(draw)
    try:
        schedule = build_schedule(
            TitrationRequest(
                start_mg=start,
                target_mg=target,
                step_mg=step,
                every=every,
                first_day=draw(st.dates(date(2000, 1, 1), date(2090, 12, 31))),
                split=True,
                formulation=formulation,
            )
        )
    except FormulationError:
        reject()
    return Drawn(schedule, _given(formulation))


@st.composite
def stepped(draw: st.DrawFn) -> Drawn:
    form = draw(FORMS)
    return draw(st.one_of(explicit_schedules(form), split_ladders(form)))


@given(stepped())
def test_every_explicit_or_split_plan_checks_clean_as_csv_and_json(drawn: Drawn) -> None:
    csv_text = csv_format.dumps(drawn.schedule)
    json_text = json_format.dumps(drawn.schedule)
    assert_clean(check_data(csv_text, "plan.csv", received_options(drawn)), drawn.schedule)
    assert_clean(check_data(json_text, "plan.json", CheckOptions()), drawn.schedule)
    given_options = CheckOptions(formulation=drawn.given)
    assert_clean(check_data(csv_text, "plan.csv", given_options), drawn.schedule)
    assert_clean(check_data(json_text, "plan.json", given_options), drawn.schedule)


SPLIT_COLUMNS = ("morning_mg", "bedtime_mg", "morning_ml", "bedtime_ml")


def _other_amount(data: st.DataObject, old: str) -> str:
    new = data.draw(st.integers(1, 450).map(lambda k: str(Decimal(k) / 100)))
    assume(not _same_number(new, Decimal(old)))
    return new


@given(drawn=stepped(), data=st.data())
def test_one_wrong_administration_in_csv_is_an_error_on_its_line(
    drawn: Drawn, data: st.DataObject
) -> None:
    rows = _rows(csv_format.dumps(drawn.schedule))
    header = rows[0]
    cells = [
        (line, header.index(column))
        for line, row in enumerate(rows[1:], start=2)
        for column in SPLIT_COLUMNS
        if column in header and row[header.index(column)]
    ]
    assume(cells)
    line, index = data.draw(st.sampled_from(cells))
    rows[line - 1][index] = _other_amount(data, rows[line - 1][index])
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    for options in (received_options(drawn), CheckOptions(formulation=drawn.given)):
        found = check_data(out.getvalue(), "plan.csv", options)
        assert any(f.severity is Severity.ERROR and f.line == line for f in found), found


@given(drawn=stepped(), data=st.data())
def test_one_wrong_administration_in_json_is_an_error_on_its_step(
    drawn: Drawn, data: st.DataObject
) -> None:
    plan = json.loads(json_format.dumps(drawn.schedule))
    places = [
        (number, k, key)
        for number, item in enumerate(plan["steps"], start=1)
        for k, taken in enumerate(item["administrations"])
        for key in ("dose_mg", "volume_ml")
        if taken.get(key) is not None
    ]
    number, k, key = data.draw(st.sampled_from(places))
    taken = plan["steps"][number - 1]["administrations"][k]
    taken[key] = _other_amount(data, taken[key])
    for options in (CheckOptions(), CheckOptions(formulation=drawn.given)):
        found = check_data(json.dumps(plan), "plan.json", options)
        assert any(f.severity is Severity.ERROR and f.step == number for f in found), found


# Workbooks: what ``plan --format xlsx`` writes reads back clean, notes and sheets included


@st.composite
def workbook_plans(draw: st.DrawFn) -> Drawn:
    """A liquid, capsule or split plan (ladder or explicit steps), or one with no formulation."""
    form = draw(st.sampled_from(["liquid", "capsule", None]))
    return draw(st.one_of(schedules(form), split_ladders(form), explicit_schedules(form)))


@settings(max_examples=60)  # a workbook is written and read whole: slower than a CSV
@given(workbook_plans())
def test_every_plan_written_as_xlsx_or_csv_checks_clean(drawn: Drawn) -> None:
    workbook = xlsx_format.write(drawn.schedule, WriteOptions(prescriber="Dr A. Smith"))
    found = check_data(workbook, "plan.xlsx", received_options(drawn))
    assert_clean(found, drawn.schedule)
    assert not [f for f in found if f.code == "not-read"], found
    text = csv_format.dumps(drawn.schedule)
    assert_clean(check_data(text, "plan.csv", received_options(drawn)), drawn.schedule)
