"""Prescription directions: read exactly or refused, written by plan, read back the same."""

from __future__ import annotations

import contextlib
import time
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_titrate.check import options_from_text
from ldn_titrate.check.sig import check_sig
from ldn_titrate.cli import app
from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.errors import FormulationError, InputErrors
from ldn_titrate.formats.sig_format import SIG_FIELD_CHARS, sig_text
from ldn_titrate.model import Capsules, DoseTime, Liquid, PlannedStep, TitrationRequest
from ldn_titrate.received.sig import Kind, SigRefusedError, read_sig
from ldn_titrate.request import build_request
from ldn_titrate.rules import build_schedule

DAY1 = date(2026, 12, 7)
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "LDN_TITRATE_TODAY": "2026-12-07"}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner(env=ENV).invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def steps_of(text: str) -> list[tuple[str | None, str | None]]:
    return [
        (None if s.dose_mg is None else str(s.dose_mg), None if s.every is None else str(s.every))
        for s in read_sig(text).steps
    ]


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        (
            "Take 0.5 mg by mouth at bedtime; increase by 0.5 mg every 7 days to 2 mg.",
            [("0.5", "7d"), ("1", "7d"), ("1.5", "7d"), ("2", None)],
        ),
        (
            "Take 0.5 mg at bedtime for 1 week, then increase by 1.5 mg weekly up to 4.5 mg",
            [("0.5", "1w"), ("2", "1w"), ("3.5", "1w"), ("4.5", None)],
        ),
        (
            "1.5mg nocte x 1/52 then 3mg nocte x2 weeks then 4.5 mg nocte ongoing",
            [("1.5", "1w"), ("3", "2w"), ("4.5", None)],
        ),
        (
            "Take 1 mg nightly for 1 month followed by 2 mg nightly until further notice",
            [("1", "1mo"), ("2", None)],
        ),
        ("Take 500 mcg mane for 2/7\n1 mg mane thereafter", [("0.5", "2d"), ("1", None)]),
        (
            (
                "Take 4.5 mg at night; decrease by 1.5 mg every 2 weeks to 1.5 mg; "
                "take 1.5 mg for 28 days, then stop."
            ),
            [("4.5", "2w"), ("3", "2w"), ("1.5", "28d")],
        ),
        (
            "Take 1 mg at bedtime for 7 days, stop for 5 days, then take 1 mg at bedtime",
            [("1", "7d"), (None, "5d"), ("1", None)],
        ),
        ("Take 1.5 mg qhs x 7 days, then increase to 3 mg qhs", [("1.5", "7d"), ("3", None)]),
        (
            "Take one capsule (1.5 mg) at bedtime for two weeks, then 2 capsules thereafter",
            [("1.5", "2w"), ("3", None)],
        ),
        (
            "Take 0.5 mL (0.5 mg) of the 1 mg/mL liquid at bedtime for 14 days, then 1 mL",
            [("0.5", "14d"), ("1", None)],
        ),
        ("Take 0.5 mg in the morning and 1 mg at bedtime", [("1.5", None)]),
    ],
)
def test_directions_are_read_to_their_steps(
    text: str, steps: list[tuple[str | None, str | None]]
) -> None:
    assert steps_of(text) == steps


CONDITION = "a condition is not a schedule: give each dose and how long it lasts"
FREQUENCY = (
    "the directions give the dose other than once a day; LDN is one daily dose "
    "(or a morning and a bedtime dose that add up)"
)
REFUSED = [
    ("Take 1.5 mg at night for 7 to 14 days", Kind.RANGE, '"7 to 14 days"',
     "a range: it can be read as 7 days or as 14 days; give one"),
    ("Take 1.5 mg for 3-4 days", Kind.RANGE, '"3-4 days"',
     "a range: it can be read as 3 days or as 4 days; give one"),
    ("Take 0.25-0.5 mg at bedtime", Kind.RANGE, '"0.25-0.5 mg"',
     "a range: it can be read as 0.25 mg or as 0.5 mg; give one"),
    ("Take 1.5 mg, increase as tolerated", Kind.CONDITIONAL, '"as tolerated"', CONDITION),
    ("Take 3 mg if needed", Kind.CONDITIONAL, '"if needed"', CONDITION),
    ("Take 4.5 mg BID", Kind.FREQUENCY, '"BID"', FREQUENCY),
    ("Take 1.5 mg every other day", Kind.FREQUENCY, '"every other day"', FREQUENCY),
    ("Take 1.5 mg at bedtme", Kind.UNREADABLE, '"at bedtme"',
     "not a word of the directions this tool reads"),
    ("Take 1.5 mg QD", Kind.UNREADABLE, '"QD"',
     "QD is an error-prone abbreviation (ISMP): write 'daily'"),
    ("Take 1.5 µg", Kind.UNREADABLE, '"µg"', "write micrograms as mcg, never µg"),
    ("Take 0.5 mL at bedtime", Kind.UNREADABLE, '"0.5 mL"',
     "a volume needs the liquid's strength, such as 'of the 1 mg/mL liquid'"),
    ("Take 1.5 mg for 7 days, 3 mg, 4.5 mg", Kind.UNREADABLE, '"3 mg"',
     "for how long is 3 mg taken before 4.5 mg? add 'for N days'"),
    ("Take 2 capsules of 1.5 mg (4.5 mg)", Kind.UNREADABLE, '"2 capsules of 1.5 mg (4.5 mg)"',
     "the capsules add up to 3 mg, but the words say 4.5 mg"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "words", "reason"), REFUSED)
def test_directions_are_refused_with_the_words(
    text: str, kind: Kind, words: str, reason: str
) -> None:
    with pytest.raises(SigRefusedError) as caught:
        read_sig(text)
    assert (caught.value.kind, str(caught.value)) == (kind, f"stopped at {words}: {reason}")


def test_a_dose_out_of_range_is_read_as_written_never_corrected() -> None:
    assert steps_of("Take 45 mg at bedtime") == [("45", None)]
    assert run("plan", "--sig", "Take 45 mg at bedtime") == (
        2,
        "",
        (
            "error: --sig: the last step (the target) (45 mg) must be from 0.5 mg to 4.5 mg, "
            "got '[45 mg]'\n"
        ),
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Take 1.5 mg\u202e at bedtime", "holds an invisible character, U+202E"),
        ("Take 1.5 mg\u200b at bedtime", "holds an invisible character, U+200B"),
        ("Take 1.5 mg\x1b at bedtime", "holds a control character, U+001B"),
        ("Take \uff11.5 mg at bedtime", "use the digits 0-9 only"),
        ("Take 1" + "0" * 20 + " mg", "a number with too many digits"),
    ],
)
def test_hidden_characters_and_other_digits_are_refused(text: str, reason: str) -> None:
    with pytest.raises(SigRefusedError) as caught:
        read_sig(text)
    assert reason in str(caught.value)


def test_tabs_no_break_spaces_and_dashes_are_normalised() -> None:
    with pytest.raises(SigRefusedError) as caught:
        read_sig("Take 1.5 mg at bedtime for 3\u20134 days")
    assert caught.value.kind is Kind.RANGE
    assert steps_of("Take\t1.5\u00a0mg at bedtime") == [("1.5", None)]


def test_a_long_sig_ends_at_once_with_one_line() -> None:
    started = time.perf_counter()
    code, out, err = run("plan", "--sig", "Take 1 mg " * 4000)
    assert time.perf_counter() - started < 1
    assert (code, out, err) == (
        2,
        "",
        "error: --sig: directions are at most 4,000 characters, got 40,000\n",
    )


@pytest.mark.parametrize("words", ["Take 1 mg then " * 399, "1 - " * 999, "( " * 1999])
def test_reading_is_linear_in_the_length(words: str) -> None:
    started = time.perf_counter()
    with pytest.raises(SigRefusedError):
        read_sig(words[:4000])
    assert time.perf_counter() - started < 0.5


def test_plan_format_sig_writes_a_ladder_as_its_rule() -> None:
    code, out, err = run(
        "plan", "--start", "0.5", "--target", "4.5", "--step", "0.5", "--every", "7d",
        "--form", "capsule", "--strengths", "0.5", "--max-units", "9", "--format", "sig",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == (
        "Take 1 capsule (0.5 mg) of the 0.5 mg capsules by mouth at bedtime; increase by "
        "1 capsule every 7 days to 9 capsules (4.5 mg).\n"
    )
    assert len(out.rstrip("\n")) <= SIG_FIELD_CHARS


def test_plan_format_sig_says_a_pause_in_words() -> None:
    code, out, _ = run(
        "replan", "examples/plan-0.5mg-fortnightly.csv", "--on", "2026-12-25",
        "--pause-until", "2027-01-20", "--format", "sig",
    )  # fmt: skip
    assert code == 0
    assert out == (
        "Take 0.5 mg by mouth at bedtime for 14 days, then 1 mg for 5 days, then stop for "
        "25 days, then take 0.5 mg by mouth at bedtime for 14 days, then 1 mg for 14 days, "
        "then 1.5 mg for 14 days, then 2 mg thereafter.\n"
    )
    assert run("check", "--sig", out.strip(), "--format", "csv")[0] == 0


def test_plan_format_sig_is_ismp_clean_ascii() -> None:
    code, out, _ = run("plan", "--steps", "0.25 mg + 0.25 mg for 7d, 3 mg", "--format", "sig")
    assert code == 0
    assert out.isascii()
    for bad in ("qhs", "QD", " .5", "3.0", "µg"):
        assert bad not in out


def test_plan_sig_refuses_with_exit_2_and_one_line() -> None:
    assert run("plan", "--sig", "Take 1.5 mg at bedtime as tolerated") == (
        2,
        "",
        f'error: --sig: stopped at "as tolerated": {CONDITION}\n',
    )
    assert run("plan", "--sig", "Take 1.5 mg at bedtime", "--start", "1")[2] == (
        "error: --sig and --start: give one or the other; the directions give the steps\n"
    )
    assert run("plan", "--sig", "Take 0.5 mL (0.5 mg) of the 1 mg/mL liquid at bedtime",
               "--form", "capsule", "--strengths", "0.5")[2] == (
        "error: --sig and --form: the directions are written for liquid, the form given is "
        "capsule\n"
    )  # fmt: skip


def test_check_sig_reports_refusals_as_findings() -> None:
    code, out, err = run("check", "--sig", "Take 1.5 mg at bedtime for 7 to 14 days",
                         "--format", "csv")  # fmt: skip
    assert (code, err) == (1, "checked 1 plan: 1 with errors, 0 with warnings, 0 clean\n")
    assert out == (
        "severity,code,file,line,step,message\r\n"
        'error,sig-range,<sig>,,,"directions not read: stopped at ""7 to 14 days"": a range: '
        'it can be read as 7 days or as 14 days; give one"\r\n'
    ).replace("\r\n", out[-2:] if out.endswith("\r\n") else "\n")
    code, out, _ = run("check", "--sig", "Take 4.5 mg twice daily", "--format", "csv")
    assert code == 1
    assert "frequency-mismatch" in out
    code, out, _ = run("check", "--sig", "Take 45 mg at bedtime", "--format", "csv")
    assert code == 1
    assert "dose-above-max" in out


def test_check_from_applies_to_sig_only() -> None:
    assert run("check", "--from", "2026-12-07", "examples/plan-0.5mg-fortnightly.csv") == (
        2,
        "",
        "error: --from: applies to --sig only, got '2026-12-07'\n",
    )


def test_a_request_file_may_give_directions(tmp_path: object) -> None:
    from pathlib import Path  # noqa: PLC0415

    path = Path(str(tmp_path)) / "r.toml"
    path.write_text('sig = "Take 1.5 mg nocte x 1/52, then 3 mg nocte"\nfrom = "2026-12-07"\n')
    code, out, _ = run("plan", str(path), "--format", "csv")
    assert code == 0
    assert out.splitlines()[1].startswith("1,2026-12-07,2026-12-13,7,1.5,")


# Round trip: every plan plan writes reads back from its own --format sig to the same steps.

doses = st.sampled_from([Decimal(d) for d in ("0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4.5")])
intervals = st.builds(
    Interval,
    st.integers(1, 4),
    st.sampled_from([IntervalUnit.DAYS, IntervalUnit.WEEKS, IntervalUnit.MONTHS]),
).filter(lambda i: i.unit is not IntervalUnit.DAYS or i.count >= 1)
forms = st.one_of(
    st.none(),
    st.just(Liquid(Decimal(1), Decimal("0.1"))),
    st.just(Liquid(Decimal(5), Decimal("0.1"))),
    st.just(Capsules((Decimal("0.5"),), 9)),
    st.just(Capsules((Decimal("1.5"), Decimal("0.5")), 4)),
)


@st.composite
def requests(draw: st.DrawFn) -> TitrationRequest:
    form = draw(forms)
    maintenance = draw(st.one_of(st.none(), st.integers(1, 60)))
    time_of_day = draw(st.sampled_from(list(DoseTime)))
    if draw(st.booleans()):
        start, target = draw(doses), draw(doses)
        step = draw(st.sampled_from([Decimal("0.5"), Decimal(1), Decimal("1.5")]))
        split = draw(st.booleans()) and start != target
        return TitrationRequest(
            start_mg=start, target_mg=target, first_day=DAY1, step_mg=step,
            every=draw(intervals), maintenance_days=maintenance,
            time=DoseTime.BEDTIME if split else time_of_day, formulation=form, split=split,
        )  # fmt: skip
    count = draw(st.integers(1, 5))
    planned = []
    for n in range(count):
        dose = draw(doses)
        every = draw(intervals) if n < count - 1 else draw(st.one_of(st.none(), intervals))
        if draw(st.booleans()):
            half = dose / 2
            planned.append(PlannedStep(dose, every, morning_mg=half, bedtime_mg=dose - half))
        else:
            planned.append(PlannedStep(dose, every))
    # A time of day is given with unsplit plans only (plan refuses --time beside split doses).
    if any(p.split for p in planned):
        time_of_day = DoseTime.BEDTIME
    return TitrationRequest(
        start_mg=planned[0].dose_mg, target_mg=planned[-1].dose_mg, first_day=DAY1,
        steps=tuple(planned), maintenance_days=maintenance, time=time_of_day, formulation=form,
    )  # fmt: skip


def shape(step: object) -> tuple[object, ...]:
    return tuple(getattr(step, f) for f in ("first_day", "last_day", "dose_mg", "volume_ml",
                                            "capsules", "administrations"))  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_every_plan_reads_back_from_its_sig_to_the_same_steps(request: TitrationRequest) -> None:
    try:
        schedule = build_schedule(request)
    except FormulationError:
        reject()
    text = sig_text(schedule)
    assert text.isascii()
    values: dict[str, object] = {"sig": text, "from": DAY1.isoformat()}
    if isinstance(request.formulation, Liquid):
        values["graduation"] = "0.1"
    if isinstance(request.formulation, Capsules):
        values["max_units"] = str(request.formulation.max_units)
    try:
        again = build_request(values, {}, DAY1)  # type: ignore[arg-type]
    except InputErrors as exc:
        pytest.fail(f"{text!r} was not read back: {exc}")
    rebuilt = build_schedule(again)
    assert [shape(s) for s in rebuilt.steps] == [shape(s) for s in schedule.steps], text


def test_plan_sig_refuses_capsules_other_than_the_plan_would_make() -> None:
    assert run(
        "plan", "--sig", "Take 3 capsules of 0.5 mg (1.5 mg) at bedtime for 7 days, then "
        "1 capsule of 1.5 mg", "--format", "csv",
    ) == (
        2,
        "",
        ("error: --sig: step 1: the directions give 3 capsules of 0.5 mg; 1.5 mg is made as "
        "1 capsule of 1.5 mg with the fewest capsules of these strengths\n"),
    )  # fmt: skip
    assert run("plan", "--sig", "Take 1 capsule (1.5 mg) at bedtime", "--strengths", "3")[2] == (
        "error: --sig and --strengths: the directions name capsules of 1.5 mg, the strengths "
        "given are 3\n"
    )


def test_warnings_about_steps_from_directions_name_the_directions() -> None:
    code, _, err = run("plan", "--sig", "Take 0.25 mg at bedtime for 7 days, then 1 mg at bedtime")
    assert code == 0
    assert err == "warning: --sig: 0.25 mg is a very low dose (below 0.5 mg)\n"


def test_a_microgram_dose_that_looks_like_milligrams_is_an_error_in_check() -> None:
    code, out, _ = run("check", "--sig", "Take 4.5 mcg at bedtime", "--format", "csv")
    assert code == 1
    assert out.splitlines()[1] == (
        "error,dose-looks-like-mg,<sig>,,1,4.5 in directions looks like milligrams: 4.5 mcg is "
        "only 0.0045 mg"
    )


ladder_doses = st.decimals(min_value="0.1", max_value="4.5", places=3).map(
    lambda d: d.normalize() + 0
)


@st.composite
def ladders(draw: st.DrawFn) -> TitrationRequest:
    target = draw(ladder_doses.filter(lambda d: d >= Decimal("0.5")))
    start = draw(ladder_doses.filter(lambda d: d != target))
    step = draw(st.sampled_from([Decimal("0.125"), Decimal("0.25"), Decimal("0.5"), Decimal(1)]))
    return TitrationRequest(
        start_mg=start,
        target_mg=target,
        first_day=DAY1,
        step_mg=step,
        every=draw(intervals),
        formulation=draw(forms),
        time=draw(st.sampled_from(list(DoseTime))),
    )


@settings(max_examples=150, deadline=None)
@given(ladders())
def test_a_regular_ladder_is_written_as_its_rule_in_140_characters(
    request: TitrationRequest,
) -> None:
    try:
        schedule = build_schedule(request)
    except FormulationError:
        reject()
    text = sig_text(schedule)
    form = request.formulation
    single = not isinstance(form, Capsules) or len(form.strengths_mg) == 1
    if single and len(schedule.steps) > 1:
        assert "; increase by " in text or "; decrease by " in text
    if "; " in text:
        assert len(text) <= SIG_FIELD_CHARS, text


SIG_WORDS = [
    "take", "0.5", "1.5", "4.5", "mg", "mcg", "mL", "capsule", "capsules", "(", ")", "of", "the",
    "1 mg/mL", "liquid", "at", "bedtime", "in the morning", "and", "then", ";", ",", ".", "for",
    "7", "days", "weeks", "month", "x", "/", "52", "increase", "decrease", "by", "every", "to",
    "until", "thereafter", "stop", "nocte", "qhs", "one", "-", "or", "continue", "hold", "\n",
    "0", "99999999", "3.", "once", "daily",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(SIG_WORDS), max_size=20).map(" ".join), st.text()))
def test_any_text_is_read_or_refused_never_a_traceback(text: str) -> None:
    with contextlib.suppress(SigRefusedError):
        read_sig(text)
    findings = check_sig(text, DAY1, options_from_text(), "<sig>")
    assert findings


@pytest.mark.parametrize(
    ("text", "day", "message"),
    [
        ("0.5 / 52", DAY1, ('directions not read: stopped at "0.5 /": a number without its unit '
         "(mg, mcg, mL or capsules)")),
        ("Take 1 mg at bedtime for 0 days, then 2 mg", DAY1, ("directions not read: stopped at "
         '"for 0 days,": a duration is from 1 day to 3,660 days')),
        ("Take 1 mg at bedtime for 520 weeks then 2 mg", date(9999, 1, 1), ("directions not read: "
         "from 9999-01-01 they run past the last day of the calendar")),
    ],
)  # fmt: skip
def test_odd_durations_are_refused_as_findings(text: str, day: date, message: str) -> None:
    assert [f.message for f in check_sig(text, day, options_from_text(), "<sig>")] == [message]
