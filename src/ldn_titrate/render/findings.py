"""Findings and presets for the terminal: tables when they fit, else wrapped plain lines."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from ldn_titrate.errors import visible
from ldn_titrate.render.lines import (
    _JOINED,
    _KEEP_TOGETHER,
    cell_len,
    natural_width,
    wrap_line,
    wrapped,
)

if TYPE_CHECKING:
    # rich.table is imported where a table is built: a clean plan's line never loads it.
    from rich.table import Table

    from ldn_titrate.check import Finding
    from ldn_titrate.presets import PresetRow


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
    from rich.table import Table  # noqa: PLC0415 - rich loads only when a table is drawn
    from rich.text import Text  # noqa: PLC0415 - rich loads only when a table is drawn

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
    from rich.table import Table  # noqa: PLC0415 - rich loads only when a table is drawn
    from rich.text import Text  # noqa: PLC0415 - rich loads only when a table is drawn

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
    return [*wrapped([str(table.title), *(preset_line(row) for row in rows)], width)]
