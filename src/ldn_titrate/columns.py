"""The columns of a plan's steps, declared once, each with the rule that says when it is shown.

The terminal's table, the CSV, the JSON and the workbook show the columns a plan's shape asks
for: its formulation, whether a step is split (morning and bedtime), whether a step has a note.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, NamedTuple

from ldn_titrate.doses import Form
from ldn_titrate.model import Schedule


class Shape(NamedTuple):
    """What decides a plan's columns: its form (None: no formulation), any split step, any note."""

    form: Form | None = None
    split: bool = False
    noted: bool = False


def shape_of(schedule: Schedule) -> Shape:
    """The shape of a schedule's columns."""
    form = schedule.request.formulation
    return Shape(
        None if form is None else form.form,
        split=any(s.split for s in schedule.steps),
        noted=any(s.note is not None for s in schedule.steps),
    )


Rule = Callable[[Shape], bool]


def _always(_: Shape) -> bool:
    return True


def _formulated(shape: Shape) -> bool:
    return shape.form is not None


def _in(form: Form, *, split: bool = False) -> Rule:
    """Shown in a plan made in ``form``; with ``split``, only when some step is split too."""
    return lambda shape: shape.form is form and (shape.split or not split)


def _split(shape: Shape) -> bool:
    return shape.split


def _noted(shape: Shape) -> bool:
    return shape.noted


class Column(NamedTuple):
    """One column of a step: its key in CSV and JSON, its heading, and when it is shown."""

    key: str
    heading: str
    right: bool = False
    """Right-aligned in the table (numbers and amounts)."""
    when: Rule = _always
    """Whether a plan of this shape shows the column."""

    def shown(self, schedule: Schedule) -> bool:
        """Whether the schedule's table, CSV and JSON show this column."""
        return self.when(shape_of(schedule))


# The columns of a step, declared once for the table, the CSV and the JSON, in their order.
# The morning and bedtime columns appear only in a plan with a split step, the note column
# only in a plan with a note: plain plans keep their columns.
STEP_COLUMNS: Final = (
    Column("step", "Step", right=True),
    Column("start_date", "First day"),
    Column("end_date", "Last day"),
    Column("days", "Days", right=True),
    Column("dose_mg", "Dose", right=True),
    Column("volume_ml", "Volume", right=True, when=_in(Form.LIQUID)),
    Column("capsules", "Capsules", right=True, when=_in(Form.CAPSULE)),
    Column("quantity", "Quantity", right=True, when=_formulated),
    Column("morning_mg", "Morning", right=True, when=_split),
    Column("bedtime_mg", "Bedtime", right=True, when=_split),
    Column("morning_ml", "Morning mL", right=True, when=_in(Form.LIQUID, split=True)),
    Column("bedtime_ml", "Bedtime mL", right=True, when=_in(Form.LIQUID, split=True)),
    Column("morning_capsules", "Morning capsules", right=True, when=_in(Form.CAPSULE, split=True)),
    Column("bedtime_capsules", "Bedtime capsules", right=True, when=_in(Form.CAPSULE, split=True)),
    Column("instructions", "Instructions"),
    Column("note", "Note", when=_noted),
    Column("label", "Label"),
)


def step_columns(
    form: Form | None, *, split: bool = False, noted: bool = False
) -> tuple[Column, ...]:
    """The columns of a step for a plan of this shape (``form`` None: no formulation)."""
    shape = Shape(form, split=split, noted=noted)
    return tuple(c for c in STEP_COLUMNS if c.when(shape))


def columns_of(schedule: Schedule) -> tuple[Column, ...]:
    """The columns a schedule shows, each by its own rule."""
    shape = shape_of(schedule)
    return tuple(c for c in STEP_COLUMNS if c.when(shape))
