"""Rich renderables for the terminal: built here, printed only by the command line."""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Final

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ldn_titrate.doses import (
    format_capsules,
    format_mg,
    format_ml,
    format_number,
)
from ldn_titrate.errors import visible
from ldn_titrate.model import DoseTime, Schedule, Step
from ldn_titrate.wording import (
    assumed_supply_caption,
    caption_of,
    format_quantity,
    preset_caption,
    replan_caption,
    step_columns,
    title,
    weight_words,
)

if TYPE_CHECKING:
    from ldn_titrate.check import Finding
    from ldn_titrate.presets import PresetRow

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
    lines = []
    if not with_instructions and schedule.steps:
        lines.append(caption_of(schedule))
    if (weighed := weight_words(schedule.request)) is not None:
        lines.append(weighed[:1].upper() + weighed[1:] + ".")
    if (preset := preset_caption(schedule.request)) is not None:
        lines.append(preset)
    if (replanned := replan_caption(schedule)) is not None:
        lines.append(replanned)
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
    form = schedule.request.formulation
    # The table leaves the quantity to the dispensing summary and the label to the title.
    columns = [
        c
        for c in step_columns(
            None if form is None else form.form,
            split=any(s.split for s in schedule.steps),
            noted=any(s.note is not None for s in schedule.steps),
        )
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
    totals = Table(title=Text("Quantity to dispense"), title_justify="left", highlight=False)
    totals.add_column("Item", no_wrap=True)
    totals.add_column("Days", justify="right", no_wrap=True)
    totals.add_column("Quantity", justify="right", no_wrap=True)
    for supply in summary.per_step:
        note = f" ({supply.days} days assumed)" if supply.assumed else ""
        totals.add_row(
            f"Step {supply.step}{note}", str(supply.days), format_quantity(supply.quantity)
        )
    maintenance_days = summary.per_step[-1].days
    titration_days = summary.days_supply - maintenance_days
    totals.add_row("Titration total", str(titration_days), format_quantity(summary.titration_total))
    totals.add_row(
        "Maintenance total", str(maintenance_days), format_quantity(summary.maintenance_total)
    )
    if summary.overage is not None and summary.overage_percent:
        totals.add_row(
            f"Overage ({format_number(summary.overage_percent)}%)",
            "",
            format_quantity(summary.overage),
        )
    totals.add_row("Grand total", str(summary.days_supply), format_quantity(summary.grand_total))
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
    lines += [
        f"Step {s.step}: {format_quantity(s.quantity)} for {s.days} days"
        + (" (assumed)" if s.assumed else "")
        for s in summary.per_step
    ]
    lines.append(f"Titration total: {format_quantity(summary.titration_total)}")
    lines.append(f"Maintenance total: {format_quantity(summary.maintenance_total)}")
    if summary.overage is not None and summary.overage_percent:
        lines.append(
            f"Overage ({format_number(summary.overage_percent)}%): "
            f"{format_quantity(summary.overage)}"
        )
    lines.append(
        f"Grand total: {format_quantity(summary.grand_total)} for {summary.days_supply} days"
    )
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


def natural_width(table: Table) -> int:
    """How many columns the table needs to show every cell whole."""
    # Never a terminal: with FORCE_COLOR on a dumb terminal rich would cap a terminal at 80
    # columns and report every table as fitting, then cut its dates when printing.
    measuring = Console(width=10_000, file=io.StringIO(), force_terminal=False, color_system=None)
    return measuring.measure(table).maximum


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
    weighed = weight_words(schedule.request)
    return [
        title(schedule),
        *([] if weighed is None else [weighed[:1].upper() + weighed[1:] + "."]),
        *(step_line(step) for step in schedule.steps),
        *filter(None, [preset_caption(schedule.request), replan_caption(schedule)]),
        *dispense_lines(schedule),
    ]


_KEEP_TOGETHER: Final = re.compile(
    r"(?<=[0-9]) (?=(?:mg|mcg|mL|days?|capsules?)\b|×)|(?<=×) (?=[0-9])"
    # A day and its weekday: 2026-12-07 Mon.
    r"|(?<=[0-9]{4}-[0-9]{2}-[0-9]{2}) (?=(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b)"
    # A numbered place: step 2, line 4, Fill 1.
    r"|(?:(?<=\b[Ss]tep)|(?<=\b[Ll]ine)|(?<=\bFill)) (?=[0-9])"
)
_JOINED: Final = "\x00"
NARROWEST: Final = 20
"""Plain lines are wrapped to the width, but never narrower than this many columns."""
HANGING: Final = "  "
"""The indent of a wrapped line's second and later lines."""


def wrap_line(line: str, width: int) -> list[str]:
    """One plain line as lines of at most ``width`` columns (20 at least), a hanging indent.

    Breaks only between words, and never inside a dose with its unit (``0.5 mg``,
    ``1 × 0.5 mg``) or a day with its weekday. A single word longer than the width (a file
    name) is cut, except a web address, which is kept whole on a line of its own so that it
    still opens.
    """
    width = max(width, NARROWEST)
    if cell_len(line) <= width:
        return [line]
    joined = _KEEP_TOGETHER.sub(_JOINED, line)
    lines = textwrap.wrap(
        joined,
        width=width,
        subsequent_indent=HANGING,
        break_long_words=False,
        break_on_hyphens=False,
    )
    out: list[str] = []
    for piece in lines:
        if len(piece) <= width or "://" in piece:
            out.append(piece)
            continue
        # A word longer than the width, alone on its line: cut into pieces that fit.
        out.append(piece[:width])
        rest = piece[width:]
        step = width - len(HANGING)
        out.extend(HANGING + rest[i : i + step] for i in range(0, len(rest), step))
    return [piece.replace(_JOINED, " ") for piece in out] or [""]


def wrapped(lines: Sequence[str], width: int) -> list[str]:
    """Every line of a plain layout wrapped to ``width`` (see ``wrap_line``)."""
    return [piece for line in lines for piece in wrap_line(line, width)]


_FINDING_COLUMNS: Final = ("Severity", "Code", "Line", "Step")
# Errors red, warnings yellow, as compilers and linters show them; info stays plain.
_SEVERITY_STYLES: Final = {"error": "red", "warning": "yellow"}
# Besides the message: one space of padding each side of five columns, and six borders.
_FINDING_FRAME: Final = 2 * 5 + 6


def _cells(finding: Finding) -> tuple[str, str, str, str]:
    return (
        finding.severity.value,
        finding.code,
        "" if finding.line is None else str(finding.line),
        "" if finding.step is None else str(finding.step),
    )


def wrap_message(message: str, width: int) -> str:
    """Break a message into lines of at most ``width`` columns, between words.

    A date and a number with its unit are never split; a word longer than the width stays whole.
    """
    joined = _KEEP_TOGETHER.sub(_JOINED, message)
    lines = textwrap.wrap(
        joined, width=max(width, 1), break_long_words=False, break_on_hyphens=False
    )
    return "\n".join(line.replace(_JOINED, " ") for line in lines)


def findings_table(file: str, findings: Sequence[Finding], width: int | None = None) -> Table:
    """One plan's findings as a table titled with the file; every cell is literal text.

    With ``width``, messages are broken into lines so that the table fits in that many
    columns; ``table_width`` then says whether it does (a long word is never cut). Every
    column has a fixed width, so the table is laid out once, here.
    """
    rows = [_cells(f) for f in findings]
    fixed = [
        max([cell_len(h), *(cell_len(r[i]) for r in rows)]) for i, h in enumerate(_FINDING_COLUMNS)
    ]
    message_width = None if width is None else width - sum(fixed) - _FINDING_FRAME
    # Messages and file names quote the received file: shown escaped, never acted upon.
    messages = [
        visible(f.message)
        if message_width is None
        else wrap_message(visible(f.message), message_width)
        for f in findings
    ]
    longest = max(
        [cell_len("Message"), *(cell_len(line) for m in messages for line in m.split("\n"))]
    )
    table = Table(title=Text(visible(file)), title_justify="left", highlight=False)
    for header, size in zip(_FINDING_COLUMNS, fixed, strict=True):
        numeric = header in {"Line", "Step"}
        table.add_column(header, justify="right" if numeric else "left", no_wrap=True, width=size)
    table.add_column("Message", no_wrap=True, width=longest)
    for cells, message in zip(rows, messages, strict=True):
        severity, *rest = cells
        # Colour only adds to the word, which is always there; a console without colour drops it.
        table.add_row(
            Text(severity, style=_SEVERITY_STYLES.get(severity, "")),
            *(Text(cell) for cell in rest),
            Text(message),
        )
    return table


def table_width(table: Table) -> int:
    """The width of a table whose columns all have a fixed width: cells, padding and borders."""
    widths = [column.width or 0 for column in table.columns]
    return sum(widths) + 2 * len(widths) + len(widths) + 1


def finding_line(finding: Finding) -> str:
    """One finding as a plain line, for terminals too narrow for the table."""
    where = [f"line {finding.line}"] if finding.line is not None else []
    if finding.step is not None:
        where.append(f"step {finding.step}")
    place = f" ({', '.join(where)})" if where else ""
    return f"{finding.severity.value}: {finding.code}{place}: {visible(finding.message)}"


def finding_lines(file: str, findings: Sequence[Finding]) -> list[str]:
    """One plan's findings as plain lines: the file, then one line per finding."""
    return [visible(file), *(finding_line(f) for f in findings)]


def clean_line(file: str, findings: Sequence[Finding], width: int | None = None) -> str:
    """The line for a plan without errors or warnings: the file and the plan's summary.

    With ``width``, wrapped to it (see ``wrap_line``).
    """
    summaries = [f.message for f in findings if f.code == "summary"]
    line = f"{visible(file)}: clean, {summaries[0]}" if summaries else f"{visible(file)}: clean"
    return line if width is None else "\n".join(wrap_line(line, width))


def findings_layout(file: str, findings: Sequence[Finding], width: int) -> list[Table | str]:
    """One plan's findings: the table when it fits ``width`` whole, else plain lines."""
    table = findings_table(file, findings, width=width)
    if len(visible(file)) <= width and table_width(table) <= width:
        return [table]
    lines: list[Table | str] = [*wrapped(finding_lines(file, findings), width)]
    return lines


_PRESET_HEADINGS: Final = ("Name", "Start", "Step", "Every", "Target", "Form", "Source")


def presets_table(rows: Sequence[PresetRow]) -> Table:
    """The presets, one row each, name first; no cell is ever cut or wrapped."""
    table = Table(title=Text("Protocol presets"), title_justify="left", highlight=False)
    for heading in _PRESET_HEADINGS:
        right = heading in {"Start", "Step", "Target"}
        table.add_column(heading, justify="right" if right else "left", no_wrap=True)
    for row in rows:
        # Explicit steps take the place of the ladder's start, step and interval.
        ladder = (row.steps, "", "") if row.steps else (row.start, row.step, row.every)
        cells = (row.name, *ladder, row.target, row.form, row.source)
        table.add_row(*(Text(cell) for cell in cells))
    return table


def preset_line(row: PresetRow) -> str:
    """One preset as a plain line, for terminals too narrow for the table."""
    ladder = (
        f"steps {row.steps}"
        if row.steps
        else f"{row.start}, +{row.step} every {row.every} to {row.target}"
    )
    form = f"; {row.form}" if row.form else ""
    return f"{row.name}: {ladder}{form}; {row.source}"


def presets_layout(rows: Sequence[PresetRow], width: int) -> list[Table | str]:
    """The presets as a table if it fits ``width`` whole, else one plain line each."""
    table = presets_table(rows)
    if natural_width(table) <= width:
        return [table]
    return wrapped([str(table.title), *(preset_line(row) for row in rows)], width)
