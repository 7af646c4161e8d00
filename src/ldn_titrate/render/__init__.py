"""Rich renderables for the terminal: built here, printed only by the command line.

Each name is loaded from its module on first use, so that a module of this package that needs
neither a schedule nor the terminal library (the clean line of ``check``) loads neither.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ldn_titrate.render.findings import (
        clean_line,
        finding_line,
        finding_lines,
        findings_layout,
        findings_table,
        presets_layout,
        presets_table,
        table_width,
        wrap_message,
    )
    from ldn_titrate.render.lines import NARROWEST, natural_width, wrap_line, wrapped
    from ldn_titrate.render.schedule import (
        day_text,
        dispense_lines,
        dispense_tables,
        plain_lines,
        schedule_layout,
        schedule_table,
        step_line,
    )

_HOMES = {
    **dict.fromkeys(
        (
            "clean_line",
            "finding_line",
            "finding_lines",
            "findings_layout",
            "findings_table",
            "presets_layout",
            "presets_table",
            "table_width",
            "wrap_message",
        ),
        "ldn_titrate.render.findings",
    ),
    **dict.fromkeys(
        ("NARROWEST", "natural_width", "wrap_line", "wrapped"), "ldn_titrate.render.lines"
    ),
    **dict.fromkeys(
        (
            "day_text",
            "dispense_lines",
            "dispense_tables",
            "plain_lines",
            "schedule_layout",
            "schedule_table",
            "step_line",
        ),
        "ldn_titrate.render.schedule",
    ),
}

__all__ = [
    "NARROWEST",
    "clean_line",
    "day_text",
    "dispense_lines",
    "dispense_tables",
    "finding_line",
    "finding_lines",
    "findings_layout",
    "findings_table",
    "natural_width",
    "plain_lines",
    "presets_layout",
    "presets_table",
    "schedule_layout",
    "schedule_table",
    "step_line",
    "table_width",
    "wrap_line",
    "wrap_message",
    "wrapped",
]


def __getattr__(name: str) -> object:
    """Import a name of this package on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'ldn_titrate.render' has no attribute {name!r}")
    return getattr(import_module(home), name)
