"""Rich renderables for the terminal: built here, printed only by the command line."""

from __future__ import annotations

import io
from datetime import date

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ldn_titrate.doses import format_mg
from ldn_titrate.model import Schedule, Step

ONGOING = "ongoing"


def day_text(day: date | None) -> str:
    """An ISO day with its weekday (``2026-12-07 Mon``), or ``ongoing``."""
    return ONGOING if day is None else f"{day.isoformat()} {day:%a}"


def title(schedule: Schedule) -> str:
    """The heading of a schedule, naming the label when there is one."""
    base = "Low-dose naltrexone titration plan"
    return base if schedule.request.label is None else f"{base}: {schedule.request.label}"


def schedule_table(schedule: Schedule, *, with_instructions: bool = True) -> Table:
    """The steps as a table; user text is kept literal, never read as markup.

    Without the instructions column, the caption says how each dose is taken.
    """
    caption = None
    if not with_instructions and schedule.steps:
        caption = Text(f"Take each dose of naltrexone {how_taken(schedule)}.")
    table = Table(
        title=Text(title(schedule)),
        title_justify="left",
        caption=caption,
        caption_justify="left",
        highlight=False,
    )
    table.add_column("Step", justify="right", no_wrap=True)
    table.add_column("First day", no_wrap=True)
    table.add_column("Last day", no_wrap=True)
    table.add_column("Days", justify="right", no_wrap=True)
    table.add_column("Dose", justify="right", no_wrap=True)
    if with_instructions:
        table.add_column("Instructions", no_wrap=True)
    for step in schedule.steps:
        cells: list[str | Text] = [
            str(step.number),
            day_text(step.first_day),
            day_text(step.last_day),
            "" if step.days is None else str(step.days),
            format_mg(step.dose_mg),
        ]
        if with_instructions:
            cells.append(Text(step.instructions))
        table.add_row(*cells)
    return table


def how_taken(schedule: Schedule) -> str:
    """The route and time shared by every step: ``by mouth once daily at bedtime``."""
    return schedule.steps[0].instructions.split(" naltrexone ", 1)[-1].rstrip(".")


def natural_width(table: Table) -> int:
    """How many columns the table needs to show every cell whole."""
    return Console(width=10_000, file=io.StringIO()).measure(table).maximum


def step_line(step: Step) -> str:
    """One step as a plain line, for terminals too narrow for the table."""
    days = "" if step.days is None else f" ({step.days} days)"
    until = "onwards" if step.last_day is None else f"to {day_text(step.last_day)}"
    return (
        f"Step {step.number}: {day_text(step.first_day)} {until}{days}: "
        f"{format_mg(step.dose_mg)}. {step.instructions}"
    )


def plain_lines(schedule: Schedule) -> list[str]:
    """The schedule as plain lines: a title, then one line per step."""
    return [title(schedule), *(step_line(step) for step in schedule.steps)]
