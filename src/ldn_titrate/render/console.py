"""The consoles the command line prints on, and printing a layout from render on one."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

    from rich.console import Console
    from rich.table import Table

    from ldn_titrate.check import Finding

# Below this many columns (COLUMNS=0 included) the layout is plain lines, printed whole.
MIN_WIDTH = 20


def output_console(file: TextIO | None = None) -> Console:
    """The console for standard output, or a plain one writing into ``file``.

    NO_COLOR (any value but empty) turns colour off and wins over FORCE_COLOR, as
    https://no-color.org asks; FORCE_COLOR (any value but empty) puts colour even into a pipe
    or a dumb terminal, as https://force-color.org asks. Text for a file never has escape codes.
    """
    from rich.console import Console  # noqa: PLC0415

    plain: dict[str, Any] = {"highlight": False, "emoji": False, "soft_wrap": True}
    if file is not None:
        return Console(file=file, force_terminal=False, no_color=True, color_system=None, **plain)
    if os.environ.get("NO_COLOR", ""):
        # Without this, rich would take FORCE_COLOR as a terminal and still write bold text.
        forced = False if "FORCE_COLOR" in os.environ else None
        return Console(force_terminal=forced, no_color=True, **plain)
    if os.environ.get("FORCE_COLOR", ""):
        return Console(force_terminal=True, no_color=False, color_system="standard", **plain)
    return Console(**plain)


def terminal_width() -> int:
    """The width standard output's console has, found as rich finds it, without making one.

    COLUMNS when it is a number, else the terminal's own width, else 80.
    """
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return int(columns)
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80


def print_parts(console: Console, parts: Sequence[Table | str]) -> None:
    """Print a layout from render: tables as drawn, plain lines as literal text."""
    if console.width < MIN_WIDTH:
        # A width this small prints nothing at all; the terminal wraps the plain lines instead.
        console.width = 10_000
    for part in parts:
        if isinstance(part, str):
            console.print(part, markup=False, highlight=False, emoji=False)
        else:
            console.print(part)


def draw_findings(name: str, findings: Sequence[Finding], consoles: list[Console]) -> None:
    """Draw one plan's findings on standard output, on the batch's one console.

    The console is made for the first table drawn and kept in ``consoles``: it is slow to make.
    """
    from ldn_titrate.render.findings import findings_layout  # noqa: PLC0415

    consoles[:] = consoles or [output_console()]
    console = consoles[0]
    print_parts(console, findings_layout(name, findings, console.width))
