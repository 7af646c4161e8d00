"""Every plan and re-plan ``plan`` and ``replan`` write, in every format ``check`` reads, checks
with no finding beyond the warnings ``plan`` itself gave."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import Phase, given, reject, settings
from hypothesis import strategies as st

from ldn_titrate.check import CheckOptions
from ldn_titrate.check import check_file as check_data
from ldn_titrate.errors import FormulationError
from ldn_titrate.formats import Format, WriteOptions, writer_of
from ldn_titrate.replan import BackDown, Pause, ReplanError, plan_days, replan
from test_check_properties import (
    FORMS,
    PLAN_WARNINGS,
    Drawn,
    assert_clean,
    errors_and_warnings,
    schedules,
    stepped,
)

# The formats ``check`` reads back.
READ_BACK = (Format.CSV, Format.JSON, Format.FHIR, Format.XLSX)


@st.composite
def plans(draw: st.DrawFn) -> Drawn:
    """A plan of any form, graduation, pace or months, or one of explicit or split steps."""
    return draw(st.one_of(FORMS.flatmap(schedules), stepped()))


@st.composite
def replans(draw: st.DrawFn) -> Drawn:
    """A plan re-planned on one of its days: backed down, or paused for up to 60 days."""
    drawn = draw(plans())
    steps = drawn.schedule.steps
    first, last = plan_days(steps)
    span = 60 if last is None else (last - first).days
    on = first + timedelta(days=draw(st.integers(0, span)))
    change: BackDown | Pause = (
        BackDown() if draw(st.booleans()) else Pause(on + timedelta(days=draw(st.integers(1, 60))))
    )
    try:
        schedule = replan(drawn.schedule.request, steps, on, change)
    except (ReplanError, FormulationError):
        reject()
    return Drawn(schedule, drawn.given)


def written(drawn: Drawn, fmt: Format) -> str | bytes:
    # A FHIR plan with the references an EHR wants; the other formats take no ids.
    ids = WriteOptions(patient_id="p-1", prescriber_id="7")
    return writer_of(fmt)(drawn.schedule, ids if fmt is Format.FHIR else WriteOptions())


# No shrinking: a known defect fails at its first example, and the report names it.
FIND = (Phase.explicit, Phase.reuse, Phase.generate)


def formats(known: dict[Format, str]) -> list[object]:
    """Each format read back; one with a known defect of its reader fails until it is fixed."""
    return [
        pytest.param(fmt, marks=pytest.mark.xfail(reason=known[fmt], strict=True))
        if fmt in known
        else fmt
        for fmt in READ_BACK
    ]


@pytest.mark.parametrize("fmt", formats({}))
@settings(max_examples=20, phases=FIND)
@given(drawn=plans())
def test_every_plan_in_every_format_checks_clean(fmt: Format, drawn: Drawn) -> None:
    found = check_data(written(drawn, fmt), f"plan.{fmt}", CheckOptions())
    assert_clean(found, drawn.schedule)


@pytest.mark.parametrize("fmt", formats({}))
@settings(max_examples=20, phases=FIND)
@given(drawn=replans())
def test_every_replan_in_every_format_checks_clean(fmt: Format, drawn: Drawn) -> None:
    found = check_data(written(drawn, fmt), f"plan.{fmt}", CheckOptions())
    # A re-plan holds a dose for as few days as were left, restarts low and goes down before
    # it goes up again: its warnings are of the kinds plan gives for such steps, never an error.
    errors, warnings = errors_and_warnings(found)
    assert errors == []
    assert warnings <= PLAN_WARNINGS | {"direction-change"}, found
