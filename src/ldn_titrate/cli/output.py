"""What plan and replan share on a terminal: the output options, warnings, the file or stdout."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from ldn_titrate.errors import as_option, spell, visible

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ldn_titrate.app.inputs import Line
    from ldn_titrate.formats import Format, WriteOptions
    from ldn_titrate.model import Schedule

STDOUT = "-"


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def prepare(
    output_format: str | None, output: str | None, texts: Mapping[str, str | None]
) -> tuple[Format | None, WriteOptions, list[Line]]:
    """The format, what its writer is told and the refusals; the warnings are said at once."""
    from ldn_titrate.app.plan import output_choice  # noqa: PLC0415

    fmt, options, problems, warnings = output_choice(output_format, output, texts)
    if fmt is not None and output in {None, STDOUT} and _stdout_is_terminal():
        problems += _not_for_a_terminal(fmt)
    for line in warnings:
        warn(line)
    return fmt, options, problems


def _not_for_a_terminal(fmt: Format) -> list[Line]:
    """A format whose output is not for a terminal (a workbook; a page to open or print)."""
    from ldn_titrate.errors import Setting  # noqa: PLC0415
    from ldn_titrate.formats import BINARY, Format  # noqa: PLC0415

    if fmt in BINARY:
        return [(Setting("format", fmt), f"{_WORKBOOK}-o plan.{fmt}")]
    return [(Setting("format", fmt), _PAGE)] if fmt is Format.HTML else []


_WORKBOOK = ": a workbook cannot be shown on a terminal; write it to a file with "
_PAGE = ": a page to open or print, not to read here; add -o handout.html"


def warn(line: Line) -> None:
    """A warning on stderr, settings spelled as options; nothing in it may act on the terminal."""
    typer.echo(visible(f"warning: {spell(line, as_option)}"), err=True)


def emit(
    schedule: Schedule, fmt: Format, options: WriteOptions, output: str | None, *, force: bool
) -> None:
    """Print the plan as a table, or write it in its format to stdout or the output file."""
    from ldn_titrate.app.inputs import write  # noqa: PLC0415
    from ldn_titrate.app.plan import written  # noqa: PLC0415
    from ldn_titrate.formats import DRAWN  # noqa: PLC0415

    if fmt in DRAWN:
        import io  # noqa: PLC0415

        from ldn_titrate.render import schedule_layout  # noqa: PLC0415
        from ldn_titrate.render.console import output_console, print_parts  # noqa: PLC0415

        buffer = None if output in {None, STDOUT} else io.StringIO()
        console = output_console(buffer)
        print_parts(console, schedule_layout(schedule, console.width))
        if buffer is None:
            return
        data: str | bytes = buffer.getvalue()
    else:
        data, warnings = written(schedule, fmt, options)
        for line in warnings:
            warn(line)
    if output not in {None, STDOUT}:
        write(data, str(output), force=force)
        return
    sys.stdout.flush()
    if isinstance(data, bytes):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(data)
        sys.stdout.flush()
