"""The standard streams of the console script: guarded (``app.streams``), stderr wrapped."""

from __future__ import annotations

from ldn_titrate.app import streams
from ldn_titrate.app.streams import StdoutError, guard_stderr, guard_stdout, silence_stdout

# main() takes the guarded streams from here, where they are patched in tests.
__all__ = [
    "StdoutError",
    "guard_stderr",
    "guard_stdout",
    "silence_stdout",
    "wrap_stderr",
]


def _wrap_line(line: str, width: int) -> list[str]:
    """A message wrapped as the plain layouts are: a hanging indent, never inside a dose."""
    from ldn_titrate.render.lines import wrap_line  # noqa: PLC0415 - only for a long line

    return wrap_line(line, width)


def wrap_stderr() -> None:
    """On a terminal, wrap every message to its width (COLUMNS, else the terminal's own)."""
    streams.wrap_stderr(_wrap_line)
