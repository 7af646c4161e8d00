"""A plan exactly as ``plan --format json`` writes it is decoded directly; every other JSON file
by the general reader; both give the same plan, hence the same findings."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

from ldn_titrate.check import CheckOptions, Finding
from ldn_titrate.check import check_file as check_data
from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.errors import LdnTitrateError
from ldn_titrate.formats import json_format
from ldn_titrate.model import Capsules, DoseTime, Liquid, TitrationRequest
from ldn_titrate.received import ReceivedPlan, json_reader
from ldn_titrate.received.json_reader import read_json
from ldn_titrate.rules import build_schedule
from ldn_titrate.shapes import own_plan_data

LABELS = (
    None,
    "Rx 000001",
    "Mrs O'Brien — fibromyalgia",
    "Zoë Ünal, 李雷: 0.5 mg → 4.5 mg",
    'quoted "label" \\ with a backslash',
    "😀 emoji",
)
MEDS = (None, "sertraline 50 mg daily", "tramadol 50 mg; naltrexone 50 mg", "Zoë's cetirizine")
FORMULATIONS = (
    None,
    Liquid(concentration_mg_per_ml=Decimal(1), graduation_ml=Decimal("0.1")),
    Liquid(concentration_mg_per_ml=Decimal("0.5"), graduation_ml=Decimal("0.05")),
    Capsules(strengths_mg=(Decimal("1.5"), Decimal("0.5")), max_units=4),
    Capsules(strengths_mg=(Decimal("4.5"), Decimal("1.5"), Decimal("0.5")), max_units=6),
    Capsules(strengths_mg=(Decimal(1),), max_units=5),
)


@st.composite
def written_plans(draw: st.DrawFn) -> str:
    """A plan as ``plan --format json`` writes it: any formulation, split or not, meds, labels."""
    start = Decimal("0.5") * draw(st.integers(1, 4))
    every = Interval(draw(st.integers(1, 4)), IntervalUnit.WEEKS)
    target = Decimal("0.5") * draw(st.integers(1, 9))
    formulation = draw(st.sampled_from(FORMULATIONS))
    meds = draw(st.sampled_from(MEDS))
    try:
        request = TitrationRequest(
            start_mg=start,
            target_mg=target,
            step_mg=None if start == target else Decimal("0.5") * draw(st.integers(1, 3)),
            every=None if start == target else every,
            first_day=draw(st.dates(date(2000, 1, 1), date(2090, 12, 31))),
            maintenance_days=draw(st.none() | st.integers(1, 90)),
            time=draw(st.sampled_from(list(DoseTime))),
            label=draw(st.sampled_from(LABELS)),
            formulation=formulation,
            bud_days=draw(st.none() | st.integers(7, 60)) if formulation else None,
            split=draw(st.booleans()),
            meds=meds,
            meds_reviewed=meds is not None and draw(st.booleans()),
        )
        schedule = build_schedule(request)
    except LdnTitrateError:
        reject()
    return json_format.dumps(schedule)


def _read(text: str, *, direct: bool) -> ReceivedPlan:
    """The plan read directly when ``direct`` and the text allows it, else by the general reader."""
    # The first plan of this tool a process reads is always read the general way.
    json_reader._direct.seen = direct
    return read_json(text, "plan.json")


def _findings(text: str, *, direct: bool) -> list[Finding]:
    json_reader._direct.seen = direct
    return check_data(text.encode(), "plan.json", CheckOptions())


@given(written_plans())
def test_a_written_plan_is_decoded_directly_to_the_plan_the_general_reader_reads(
    text: str,
) -> None:
    assert own_plan_data(text) == json.loads(text)
    assert _read(text, direct=True) == _read(text, direct=False)
    assert _findings(text, direct=True) == _findings(text, direct=False)


def _written() -> str:
    request = TitrationRequest(
        start_mg=Decimal("0.5"),
        target_mg=Decimal("1.5"),
        step_mg=Decimal("0.5"),
        every=Interval(1, IntervalUnit.WEEKS),
        first_day=date(2026, 12, 1),
        label="Zoë — Rx 1",
        formulation=FORMULATIONS[3],
        meds="tramadol 50 mg",
    )
    return json_format.dumps(build_schedule(request))


WRITTEN = _written()
TAMPERED = {
    "a key written twice": WRITTEN.replace('"dose_mg": "1",', '"dose_mg": "1",\n"dose_mg": "2",'),
    "a request key written twice": WRITTEN.replace(
        '"time": "bedtime",', '"time": "bedtime",\n    "time": "morning",', 1
    ),
    "a key not the model's": WRITTEN.replace('"step": 1,', '"step": 1,\n      "colour": "red",'),
    "a number where text belongs": WRITTEN.replace('"dose_mg": "1",', '"dose_mg": 1,'),
    "a fraction where text belongs": WRITTEN.replace('"dose_mg": "1",', '"dose_mg": 1.0,'),
    "keys in another order": WRITTEN.replace(
        '"start": "0.5",\n    "target": "1.5",', '"target": "1.5",\n    "start": "0.5",'
    ),
    "spaces at the end of a line": WRITTEN.replace('"step": 2,', '"step": 2,   '),
    "no newline at the end": WRITTEN.removesuffix("\n"),
    "an escaped letter": WRITTEN.replace("Zoë", "Zo\\u00eb"),
    "a count written as a fraction": WRITTEN.replace('"days": 7,', '"days": 7.0,', 1),
    "a count of 31 digits": WRITTEN.replace('"days": 7,', f'"days": {"7" * 31},', 1),
    "compact spacing": json.dumps(json.loads(WRITTEN), ensure_ascii=False),
    "a wrong shape": WRITTEN.replace('"steps": [', '"steps": {"x": [', 1).replace(
        '  "warnings"', '  }, "warnings"', 1
    ),
}


def test_the_written_plan_itself_is_decoded_directly() -> None:
    assert own_plan_data(WRITTEN) == json.loads(WRITTEN)


@pytest.mark.parametrize("change", sorted(TAMPERED))
def test_a_plan_changed_by_hand_takes_the_general_reader_and_keeps_its_findings(
    change: str,
) -> None:
    text = TAMPERED[change]
    assert text != WRITTEN
    assert own_plan_data(text) is None
    assert _findings(text, direct=True) == _findings(text, direct=False)


def test_a_key_written_twice_is_still_noted() -> None:
    findings = _findings(TAMPERED["a request key written twice"], direct=True)
    assert any("request.time is written twice" in f.message for f in findings)


def test_the_first_plan_of_this_tool_a_process_reads_takes_the_general_reader() -> None:
    json_reader._direct.seen = False
    assert not json_reader._direct.read()
    assert json_reader._direct.read()


def _leaves(data: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """The path of every value that holds no other value."""
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(data, list):
        return [leaf for index, value in enumerate(data) for leaf in _leaves(value, (*path, index))]
    return [path]


EDITS = st.one_of(
    st.sampled_from(["45", "0.5", "", "4.5 mg", "Medications: oxycodone 5 mg", "twice daily"]),
    st.text(max_size=12),
    st.integers(-(10**31), 10**31),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.just([]),
    st.just({}),
)


@given(written_plans(), st.data())
def test_a_plan_rewritten_in_the_same_layout_with_other_values_reads_as_the_general_reader_does(
    text: str, data: st.DataObject
) -> None:
    # A program that edits a plan and writes it back as the tool does keeps the layout: such
    # a file may take the direct path, and must then read exactly as the general reader reads it.
    plan = json.loads(text)
    leaves = _leaves(plan)
    for _ in range(data.draw(st.integers(1, 3))):
        *parents, last = data.draw(st.sampled_from(leaves))
        holder = plan
        for key in parents:
            holder = holder[key]
        holder[last] = data.draw(EDITS)
    edited = json.dumps(plan, indent=2, ensure_ascii=False) + "\n"
    direct = own_plan_data(edited)
    if direct is not None:
        assert json.dumps(direct) == json.dumps(json.loads(edited))
    try:
        general = _findings(edited, direct=False)
    except LdnTitrateError as exc:
        with pytest.raises(type(exc)):
            _findings(edited, direct=True)
    else:
        assert _findings(edited, direct=True) == general
