"""A schedule for the terminal: its table when it fits, else plain lines."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ldn_titrate.doses import (
    format_capsules,
    format_mg,
    format_ml,
)
from ldn_titrate.model import DoseTime, Schedule, Step
from ldn_titrate.render.lines import natural_width, wrapped
from ldn_titrate.wording import (
    BRIEF_TABLE,
    GRAND_TOTAL,
    LINES,
    TABLE,
    assumed_supply_caption,
    captions,
    columns_of,
    format_quantity,
    supply_rows,
    title,
)

if TYPE_CHECKING:
    # rich is imported where a table is built, so that plain lines never load it.
    from rich.table import Table
    from rich.text import Text

ONGOING = "ongoing"


def day_text(day: date | None) -> str:
    """An ISO day with its weekday (``2026-12-07 Mon``), or ``ongoing``."""
    return ONGOING if day is None else f"{day.isoformat()} {day:%a}"


def schedule_table(
    schedule: Schedule, *, with_instructions: bool = True, width: int | None = None
) -> Table:
    """The steps as a table; user text is kept literal, never read as markup.

    Without the instructions column, the caption says how each dose is taken. With
    ``width``, the title and the caption are wrapped to it (see ``wrap_line``).
    """
    from rich.table import Table  # noqa: PLC0415 - rich loads only when a table is drawn
    from rich.text import Text  # noqa: PLC0415 - rich loads only when a table is drawn

    lines = captions(schedule, TABLE if with_instructions else BRIEF_TABLE)
    heading = [title(schedule)]
    if width is not None:
        lines, heading = wrapped(lines, width), wrapped(heading, width)
    caption = Text("\n".join(lines)) if lines else None
    table = Table(
        title=Text("\n".join(heading)),
        title_justify="left",
        caption=caption,
        caption_justify="left",
        highlight=False,
    )
    # The table leaves the quantity to the dispensing summary and the label to the title.
    columns = [
        c
        for c in columns_of(schedule)
        if c.key not in {"quantity", "label"} and (with_instructions or c.key != "instructions")
    ]
    for column in columns:
        table.add_column(column.heading, justify="right" if column.right else "left", no_wrap=True)
    for step in schedule.steps:
        cells: dict[str, str | Text] = {
            "step": str(step.number),
            "start_date": day_text(step.first_day),
            "end_date": day_text(step.last_day),
            "days": "" if step.days is None else str(step.days),
            "dose_mg": format_mg(step.dose_mg),
            "volume_ml": "" if step.volume_ml is None else format_ml(step.volume_ml),
            "capsules": format_capsules(step.capsules or ()),
            "instructions": Text(step.instructions),
            "note": Text(step.note or ""),
            **_time_cells(step, schedule.request.time),
        }
        table.add_row(*(cells[c.key] for c in columns))
    return table


def _time_cells(step: Step, time: DoseTime) -> dict[str, str | Text]:
    """The morning and bedtime cells of a step in the table."""
    cells: dict[str, str | Text] = {
        f"{t}_{u}": "" for t in DoseTime for u in ("mg", "ml", "capsules")
    }
    for a in step.doses_of_day(time):
        cells[f"{a.time}_mg"] = format_mg(a.dose_mg)
        cells[f"{a.time}_ml"] = "" if a.volume_ml is None else format_ml(a.volume_ml)
        cells[f"{a.time}_capsules"] = format_capsules(a.capsules or ())
    return cells


def dispense_tables(schedule: Schedule) -> list[Table]:
    """The dispensing summary and the fills, for a schedule with a formulation."""
    summary = schedule.dispense
    if summary is None:
        return []
    from rich.table import Table  # noqa: PLC0415 - rich loads only when a table is drawn
    from rich.text import Text  # noqa: PLC0415 - rich loads only when a table is drawn

    totals = Table(title=Text("Quantity to dispense"), title_justify="left", highlight=False)
    totals.add_column("Item", no_wrap=True)
    totals.add_column("Days", justify="right", no_wrap=True)
    totals.add_column("Quantity", justify="right", no_wrap=True)
    for row in supply_rows(summary):
        note = f" ({row.days} days assumed)" if row.assumed else ""
        days = "" if row.days is None else str(row.days)
        totals.add_row(row.item + note, days, format_quantity(row.quantity))
    if summary.assumed_maintenance_days is not None:
        totals.caption = Text(assumed_supply_caption(summary.assumed_maintenance_days))
        totals.caption_justify = "left"
    fills = Table(title=Text("Fills"), title_justify="left", highlight=False)
    for header in ("Fill", "First day", "Last day", "Quantity", "Dispense by"):
        fills.add_column(
            header, no_wrap=True, justify="right" if header in {"Fill", "Quantity"} else "left"
        )
    for fill in summary.fills:
        fills.add_row(
            str(fill.number),
            day_text(fill.first_day),
            day_text(fill.last_day),
            format_quantity(fill.quantity),
            day_text(fill.dispense_by),
        )
    return [totals, fills]


def dispense_lines(schedule: Schedule) -> list[str]:
    """The dispensing summary as plain lines, for narrow terminals."""
    summary = schedule.dispense
    if summary is None:
        return []
    # Each section keeps its heading, so a quantity line is never read as one more dose line.
    lines = ["Quantity to dispense"]
    for row in supply_rows(summary):
        # A step and the grand total say their days; the other totals only their quantity.
        days = "" if row.total and row.item != GRAND_TOTAL else f" for {row.days} days"
        assumed = " (assumed)" if row.assumed else ""
        lines.append(f"{row.item}: {format_quantity(row.quantity)}{days}{assumed}")
    lines.append("Fills")
    lines.extend(
        f"Fill {f.number}: {day_text(f.first_day)} to {day_text(f.last_day)}, "
        f"{format_quantity(f.quantity)}, dispense by {day_text(f.dispense_by)}"
        for f in summary.fills
    )
    return lines


def schedule_layout(schedule: Schedule, width: int) -> list[Table | str]:
    """The widest form of the plan that fits ``width`` whole, else plain lines.

    A dose or a date is never cut: the table with instructions, then without them (the
    caption says how doses are taken), then one plain line per step.
    """
    extra = dispense_tables(schedule)
    fits_extra = all(natural_width(t) <= width for t in extra)
    for instructed in (True, False):
        table = schedule_table(schedule, with_instructions=instructed)
        if fits_extra and natural_width(table) <= width:
            return [schedule_table(schedule, with_instructions=instructed, width=width), *extra]
    lines: list[Table | str] = [*wrapped(plain_lines(schedule), width)]
    return lines


def step_line(step: Step) -> str:
    """One step as a plain line, for terminals too narrow for the table."""
    days = "" if step.days is None else f" ({step.days} days)"
    until = "onwards" if step.last_day is None else f"to {day_text(step.last_day)}"
    note = "" if step.note is None else f" {step.note}"
    return (
        f"Step {step.number}: {day_text(step.first_day)} {until}{days}: "
        f"{format_mg(step.dose_mg)}. {step.instructions}{note}"
    )


def plain_lines(schedule: Schedule) -> list[str]:
    """The schedule as plain lines: a title, then one line per step."""
    return [
        title(schedule),
        *captions(schedule, LINES, head=True),
        *(step_line(step) for step in schedule.steps),
        *captions(schedule, LINES, head=False),
        *dispense_lines(schedule),
    ]


__all__ = [
    "day_text",
    "dispense_lines",
    "dispense_tables",
    "plain_lines",
    "schedule_layout",
    "schedule_table",
    "step_line",
]
