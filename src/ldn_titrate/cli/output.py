"""What plan and replan write: the format chosen, the writer's options, the file or stdout."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from ldn_titrate.cli import EXIT_FAILURE, EXIT_INVALID, fail, output_console, print_parts

if TYPE_CHECKING:
    from ldn_titrate.formats import Format, WriteOptions
    from ldn_titrate.model import Schedule

STDIN = "-"


def _parse_format(text: str, problems: list[str]) -> Format | None:
    """The output format; a refused one adds its line to ``problems``."""
    from ldn_titrate.errors import shown  # noqa: PLC0415
    from ldn_titrate.formats import Format  # noqa: PLC0415 - keeps --version light

    try:
        return Format(text.strip().lower())
    except ValueError:
        allowed = ", ".join(f.value for f in Format)
        problems.append(f"--format: must be one of {allowed}, got {shown(text)}")
        return None


def choose_format(
    output_format: str | None, output: str | None, problems: list[str]
) -> Format | None:
    """The format asked for, else the one the output file's name ends in, else the table.

    A format that contradicts the file name adds a refusal; an unknown ending keeps the
    table with a warning.
    """
    from ldn_titrate.errors import shown, visible  # noqa: PLC0415
    from ldn_titrate.formats import Format, formats_named_by  # noqa: PLC0415

    named = () if output is None or output in {"", STDIN} else formats_named_by(output)
    if output_format is not None:
        fmt = _parse_format(output_format, problems)
        if fmt is not None and named and fmt not in named:
            problems.append(
                f"--format {fmt}: contradicts --output {shown(output or '')}, a {named[0]} "
                "file name; leave --format out or change the name"
            )
        return fmt
    if named is None:
        typer.echo(
            visible(
                f"warning: --output {shown(output or '')}: the name ends in no known format; "
                "writing the table (--format chooses another)"
            ),
            err=True,
        )
        return Format.TABLE
    return named[0] if named else Format.TABLE


def _render_table(schedule: Schedule, to_file: bool) -> str | None:
    """Print the plan as render lays it out, or return it as text for a file."""
    import io  # noqa: PLC0415

    from ldn_titrate.render import schedule_layout  # noqa: PLC0415

    buffer = io.StringIO() if to_file else None
    console = output_console(buffer)
    print_parts(console, schedule_layout(schedule, console.width))
    return None if buffer is None else buffer.getvalue()


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _terminal_problems(fmt: Format | None, output: str | None) -> list[str]:
    """A page of markup is for a browser or a printer: refused when stdout is a terminal."""
    from ldn_titrate.formats import Format  # noqa: PLC0415 - keeps --version light

    if fmt is Format.HTML and (output is None or output == "-") and _stdout_is_terminal():
        return ["--format html: a page to open or print, not to read here; add -o handout.html"]
    return []


def _terminal_problem(fmt: Format | None, *, to_file: bool) -> list[str]:
    """The refusal of a binary format bound for a terminal, if it is."""
    from ldn_titrate.formats import BINARY  # noqa: PLC0415

    if fmt in BINARY and not to_file and _stdout_is_terminal():
        refusal = (
            f"--format {fmt}: a workbook cannot be shown on a terminal; "
            f"write it to a file with -o plan.{fmt}"
        )
        return [refusal]
    return []


def _write(data: str | bytes, output: str | None, force: bool) -> None:
    if output is None or output == "-":
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
        return
    from ldn_titrate.errors import shown  # noqa: PLC0415
    from ldn_titrate.files import OutputError, OutputExistsError, write_output  # noqa: PLC0415

    try:
        # The path as typed: Path('') would read as the current folder.
        write_output(output, data, force=force)
    except OutputExistsError as exc:
        fail([f"--output {shown(output)}: {exc.reason}; add --force to replace it"], EXIT_FAILURE)
    except OutputError as exc:
        fail([f"--output {shown(output)}: {exc.reason}"], EXIT_FAILURE)
    except OSError as exc:
        reason = exc.strerror or "an error from the system"
        fail([f"--output {shown(output)}: cannot be written ({reason})"], EXIT_FAILURE)


def _write_options(
    fmt: Format | None, texts: dict[str, str | None], problems: list[str]
) -> WriteOptions:
    """What the writer is told; an option of one format given with another adds a refusal."""
    from dataclasses import replace  # noqa: PLC0415

    from ldn_titrate.errors import InputError  # noqa: PLC0415
    from ldn_titrate.formats import Format, WriteOptions  # noqa: PLC0415

    intent, remind = texts["intent"], texts["remind"]
    options = WriteOptions(prescriber=texts["prescriber"], pharmacy=texts["pharmacy"])
    if intent is not None:
        from ldn_titrate.formats.fhir_format import INTENTS  # noqa: PLC0415 - light: no models

        if fmt is not Format.FHIR:
            problems.append(f"--intent: applies to --format fhir only, got {intent!r}")
        elif intent.strip().lower() not in INTENTS:
            problems.append(str(InputError("--intent", intent, "must be proposal, plan or order")))
        else:
            options = replace(options, intent=intent.strip().lower())
    if texts["paper"] is not None:
        options = _paper(fmt, texts["paper"], options, problems)
    if remind is not None:
        from ldn_titrate.formats.ics_format import parse_reminders  # noqa: PLC0415

        if fmt is not Format.ICS:
            problems.append(f"--remind: applies to --format ics only, got {remind!r}")
        else:
            try:
                options = replace(options, remind=parse_reminders(remind, "--remind"))
            except InputError as exc:
                problems.append(str(exc))
    return options


def _paper(
    fmt: Format | None, text: str, options: WriteOptions, problems: list[str]
) -> WriteOptions:
    """The paper a printed format is set up for; a refusal for another format or paper."""
    from dataclasses import replace  # noqa: PLC0415

    from ldn_titrate.cli.options import PAPERS  # noqa: PLC0415
    from ldn_titrate.errors import InputError  # noqa: PLC0415
    from ldn_titrate.formats import Format  # noqa: PLC0415

    if fmt not in {Format.XLSX, Format.HTML}:
        problems.append(f"--paper: applies to --format xlsx and html only, got {text!r}")
        return options
    paper = text.strip().lower()
    if paper not in PAPERS:
        problems.append(str(InputError("--paper", text, "must be a4 or letter")))
        return options
    return replace(options, paper=paper)


def _text_problems(output: str | None, prescriber: str | None, pharmacy: str | None) -> list[str]:
    """Refusals of the free-text options, found before anything is built."""
    from ldn_titrate.errors import InputError  # noqa: PLC0415
    from ldn_titrate.model import text_problem  # noqa: PLC0415

    # An empty output path is bad input, like any other refused option value.
    problems = ["--output '': is an empty path"] if output == "" else []
    for option, value in (("--prescriber", prescriber), ("--pharmacy", pharmacy)):
        if value is not None and (wrong := text_problem(value)) is not None:
            problems.append(str(InputError(option, value, wrong)))
    return problems


def emit(
    schedule: Schedule, fmt: Format, options: WriteOptions, output: str | None, *, force: bool
) -> None:
    """Print the plan as a table, or write it in its format to stdout or the output file."""
    from ldn_titrate.formats import Format, writer_of  # noqa: PLC0415

    if fmt is Format.ICS and options.remind:
        from ldn_titrate.formats.ics_format import reminder_problems  # noqa: PLC0415

        refused, warnings = reminder_problems(schedule, options.remind, "--remind")
        if refused:
            fail(refused, EXIT_INVALID)
        for warning in warnings:
            typer.echo(f"warning: {warning}", err=True)
    to_file = output is not None and output != STDIN
    if fmt is Format.TABLE:
        data: str | bytes | None = _render_table(schedule, to_file)
        if data is None:
            return
    else:
        data = writer_of(fmt)(schedule, options)
    if fmt is Format.SIG:
        _sig_length_warning(str(data))
    _write(data, output, force)


def _sig_length_warning(text: str) -> None:
    """Warn when directions are longer than an e-prescription's directions field holds."""
    from ldn_titrate.formats.sig_format import SIG_FIELD_CHARS  # noqa: PLC0415

    length = len(text.rstrip("\n"))
    if length > SIG_FIELD_CHARS:
        typer.echo(
            f"warning: --format sig: the directions are {length} characters, "
            f"{length - SIG_FIELD_CHARS} more than the {SIG_FIELD_CHARS} an e-prescription's "
            "directions field often holds",
            err=True,
        )
