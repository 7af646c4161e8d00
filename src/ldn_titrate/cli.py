"""The command line: parse options, call the core, render, exit. No business logic here."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from ldn_titrate.version import __version__

if TYPE_CHECKING:
    from ldn_titrate.formats import Format
    from ldn_titrate.model import Schedule
    from ldn_titrate.request import Layer

# Exit codes are part of the interface (README, "Exit codes").
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INVALID = 2


class OptionsOnce(TyperCommand):
    """A command that refuses an option given twice, instead of letting the last one win."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # noqa: ANN401 - click's own signature
        """Refuse a repeated option before the arguments are parsed."""
        single = {
            name: param.opts[-1] if param.opts[-1].startswith("--") else param.opts[0]
            for param in self.params
            if param.param_type_name == "option"
            and not getattr(param, "is_flag", False)
            and not getattr(param, "multiple", False)
            for name in param.opts
        }
        seen: dict[str, list[str]] = {}
        for index, word in enumerate(args):
            if word == "--":
                break
            name, equals, value = word.partition("=")
            option = single.get(name)
            if option is None:
                continue
            if not equals:
                value = args[index + 1] if index + 1 < len(args) else ""
            seen.setdefault(option, []).append(value)
        repeated = [
            f"{option}: give it once, got {', '.join(repr(v) for v in values)}"
            for option, values in seen.items()
            if len(values) > 1
        ]
        if repeated:
            _fail(repeated, EXIT_INVALID)
        with _one_line_usage_errors(ctx):
            return super().parse_args(ctx, args)


class OneLineGroup(TyperGroup):
    """The command group: a usage error (an unknown command or option) is one line too."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # noqa: ANN401 - click's own signature
        """Parse the group's own options."""
        with _one_line_usage_errors(ctx):
            return super().parse_args(ctx, args)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:  # noqa: ANN401 - click's own signature
        """Find the command, or refuse an unknown one in one line."""
        with _one_line_usage_errors(ctx):
            return super().resolve_command(ctx, args)


# typer's own click raises this for every usage error; it is not exported under its name.
_USAGE_ERROR: type[Exception] = typer.BadParameter.__mro__[1]


@contextmanager
def _one_line_usage_errors(ctx: Any) -> Iterator[None]:  # noqa: ANN401 - a click context
    """Turn a usage error into one line on stderr and exit 2 (help asked for stays help)."""
    try:
        yield
    except _USAGE_ERROR as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            raise
        format_message = getattr(exc, "format_message", None)
        message = format_message() if callable(format_message) else str(exc)
        _fail([f"{message.rstrip('.')}; see '{ctx.command_path} --help'"], EXIT_INVALID)


app = typer.Typer(
    cls=OneLineGroup,
    name="ldn-titrate",
    help="Draft and check low-dose naltrexone (LDN) titration schedules.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _fail(lines: list[str], code: int) -> NoReturn:
    """Leave by the one exit for errors: each line on stderr, then the exit code."""
    for line in lines:
        typer.echo(f"error: {line}", err=True)
    raise typer.Exit(code)


VERSION_LINE = f"ldn-titrate {__version__}"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(VERSION_LINE)
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_show_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Draft and check low-dose naltrexone (LDN) titration schedules."""


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        _fail([f"{what} {str(path)!r}: no such file"], EXIT_INVALID)
    except UnicodeDecodeError:
        _fail([f"{what} {str(path)!r}: not UTF-8 text"], EXIT_INVALID)
    except OSError as exc:
        _fail([f"{what} {str(path)!r}: cannot be read ({exc.strerror})"], EXIT_INVALID)


def _parse_format(text: str, problems: list[str]) -> Format | None:
    """The output format; a refused one adds its line to ``problems``."""
    from ldn_titrate.formats import Format  # noqa: PLC0415 - keeps --version light

    try:
        return Format(text.strip().lower())
    except ValueError:
        allowed = ", ".join(f.value for f in Format)
        problems.append(f"--format: must be one of {allowed}, got {text!r}")
        return None


def _gather(request_file: str | None, options: dict[str, str | None]) -> Layer:
    """The raw request values by key (options over the file) and how to name each one."""
    from ldn_titrate.errors import PlanFormatError  # noqa: PLC0415
    from ldn_titrate.request import (  # noqa: PLC0415
        file_layer,
        merge,
        options_layer,
        read_request_file,
    )

    layers = []
    if request_file is not None:
        try:
            from_file = read_request_file(_read_text(Path(request_file), "REQUEST"), request_file)
        except PlanFormatError as exc:
            _fail([str(exc)], EXIT_INVALID)
        layers.append(file_layer(from_file, request_file))
    layers.append(options_layer(options))
    return merge(layers)


def _render_table(schedule: Schedule, to_file: bool) -> str | None:
    """Print the table (or plain lines when it would not fit) or return it as text for a file."""
    import io  # noqa: PLC0415

    from rich.console import Console  # noqa: PLC0415

    from ldn_titrate.render import (  # noqa: PLC0415
        dispense_tables,
        natural_width,
        plain_lines,
        schedule_table,
    )

    buffer = io.StringIO() if to_file else None
    console = Console(
        file=buffer, highlight=False, emoji=False, soft_wrap=True, no_color=to_file or None
    )
    # A dose or a date is never cut: the widest form that fits whole, else plain lines.
    extra = dispense_tables(schedule)
    fits_extra = all(natural_width(t) <= console.width for t in extra)
    for table in (schedule_table(schedule), schedule_table(schedule, with_instructions=False)):
        if fits_extra and natural_width(table) <= console.width:
            for part in (table, *extra):
                console.print(part)
            break
    else:
        for line in plain_lines(schedule):
            console.print(line, markup=False, highlight=False, emoji=False)
    return None if buffer is None else buffer.getvalue()


def _write(text: str, output: str | None, force: bool) -> None:
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ldn_titrate.files import OutputExistsError, write_atomically  # noqa: PLC0415

    dest = Path(output)
    try:
        write_atomically(dest, text, force=force)
    except OutputExistsError:
        _fail([f"--output {output!r}: the file exists; add --force to replace it"], EXIT_FAILURE)
    except OSError as exc:
        _fail([f"--output {output!r}: cannot write the file ({exc.strerror})"], EXIT_FAILURE)


@app.command(cls=OptionsOnce)
def plan(
    ctx: typer.Context,
    request_file: Annotated[
        str | None,
        typer.Argument(
            metavar="REQUEST.toml",
            help="A request file; options override its values.",
            show_default=False,
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(metavar="DOSE", help="First dose: 0.5, 0.5mg or 500mcg (mg if no unit)."),
    ] = None,
    target: Annotated[
        str | None, typer.Option(metavar="DOSE", help="Target dose, 0.5 mg to 4.5 mg.")
    ] = None,
    step: Annotated[
        str | None,
        typer.Option(metavar="DOSE", help="Change per step (may be left out if start = target)."),
    ] = None,
    every: Annotated[
        str | None, typer.Option(metavar="INTERVAL", help="Step length: 7, 7d, 2w or 1mo.")
    ] = None,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="DATE",
            help="Day 1: YYYY-MM-DD, today, tomorrow or a weekday name. Default: today.",
        ),
    ] = None,
    maintenance_days: Annotated[
        str | None,
        typer.Option(metavar="N", help="Days at the target dose (default: ongoing)."),
    ] = None,
    time: Annotated[
        str | None, typer.Option(metavar="TIME", help="bedtime (default) or morning.")
    ] = None,
    label: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="Free text naming the plan (initials, Rx number)."),
    ] = None,
    form: Annotated[
        str | None,
        typer.Option(
            metavar="FORM", help="liquid or capsule: adds volumes or capsules and quantities."
        ),
    ] = None,
    concentration: Annotated[
        str | None,
        typer.Option(metavar="C", help="Liquid strength: 1mg/mL (with --form liquid)."),
    ] = None,
    graduation: Annotated[
        str | None,
        typer.Option(metavar="G", help="Smallest syringe mark: 0.1mL (default) or 0.01mL."),
    ] = None,
    strengths: Annotated[
        str | None,
        typer.Option(metavar="S", help="Capsule strengths in mg: 1.5,0.5 (with --form capsule)."),
    ] = None,
    max_units: Annotated[
        str | None, typer.Option(metavar="N", help="Most capsules in one dose (default 4).")
    ] = None,
    bud: Annotated[
        str | None,
        typer.Option(
            metavar="DAYS", help="Beyond-use days of the preparation: splits the supply into fills."
        ),
    ] = None,
    overage: Annotated[
        str | None,
        typer.Option(
            metavar="PERCENT", help="Extra liquid for loss in measuring, in percent (default 0)."
        ),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option("--format", metavar="FORMAT", help="table (default), csv or json."),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="PATH", help="Write to this file ('-' for stdout)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing output file.")
    ] = False,
) -> None:
    """Draft a dated titration schedule from a start dose, a target, a step and an interval."""
    from ldn_titrate.errors import FormulationError, InputErrors  # noqa: PLC0415
    from ldn_titrate.formats import WRITERS, Format  # noqa: PLC0415
    from ldn_titrate.request import FIELDS, build_request, option_name  # noqa: PLC0415
    from ldn_titrate.rules import build_schedule  # noqa: PLC0415

    problems: list[str] = []
    fmt = _parse_format(output_format or "table", problems)
    output_path = output
    # Every request option by its key, read from the parsed command through the FIELDS table.
    given = {p.opts[0]: ctx.params[p.name] for p in ctx.command.params if p.name in ctx.params}
    options = {f.key: given.get(f.option) for f in FIELDS}
    values, names = _gather(request_file, options)
    try:
        request = build_request(values, names, today=date.today())
    except InputErrors as exc:
        _fail([*problems, *(str(e) for e in exc.errors)], EXIT_INVALID)
    if fmt is None:
        _fail(problems, EXIT_INVALID)
    try:
        schedule = build_schedule(request)
    except FormulationError as exc:
        _fail(list(exc.lines), EXIT_INVALID)
    for notice in schedule.notices:
        typer.echo(
            f"warning: {names.get(notice.field, option_name(notice.field))}: {notice.message}",
            err=True,
        )
    to_file = output_path is not None and output_path != "-"
    if fmt is Format.TABLE:
        text = _render_table(schedule, to_file)
        if text is None:
            return
    else:
        text = WRITERS[fmt](schedule)
    _write(text, output_path, force)


def main() -> None:
    """The console script: run the app; a closed pipe ends quietly."""
    if sys.argv[1:] == ["--version"]:
        # Nothing but the version is asked for: answer without building the command line.
        sys.stdout.write(VERSION_LINE + "\n")
        return
    try:
        app()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_FAILURE)


def _plan_bytes(path: str) -> tuple[bytes | None, str]:
    """The bytes of one plan file ('-' reads stdin), or None and why it cannot be read."""
    try:
        if path == "-":
            return sys.stdin.buffer.read(), ""
        return Path(path).read_bytes(), ""
    except FileNotFoundError:
        return None, "no such file"
    except IsADirectoryError:
        return None, "a folder, not a file"
    except OSError as exc:
        return None, exc.strerror or "an error from the system"


@app.command(cls=OptionsOnce)
def check(
    plans: Annotated[
        list[str],
        typer.Argument(
            metavar="PLAN",
            help="Plan files, CSV or JSON, told apart by their content; '-' reads stdin.",
            show_default=False,
        ),
    ],
    form: Annotated[
        str | None, typer.Option(metavar="FORM", help="The formulation made: liquid or capsule.")
    ] = None,
    concentration: Annotated[
        str | None,
        typer.Option(metavar="C", help="Liquid strength in mg/mL, such as 1 (with --form liquid)."),
    ] = None,
    graduation: Annotated[
        str | None,
        typer.Option(
            metavar="G",
            help="Smallest syringe mark in mL, such as 0.1 (default: as recorded, else 0.01).",
        ),
    ] = None,
    strengths: Annotated[
        str | None,
        typer.Option(metavar="S", help="Capsule strengths in stock, in mg, such as 1.5,0.5."),
    ] = None,
    bud: Annotated[
        str | None,
        typer.Option(metavar="DAYS", help="Beyond-use days: warn when one fill lasts longer."),
    ] = None,
    meds: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="The patient's other medicines, as free text."),
    ] = None,
    max_step: Annotated[
        str | None,
        typer.Option(
            metavar="DOSE", help="Warn about a larger change of dose, in mg (default 1.5)."
        ),
    ] = None,
    min_interval: Annotated[
        str | None,
        typer.Option(metavar="DAYS", help="Warn about a dose held fewer days (default 3)."),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    output_format: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help="table or json.")
    ] = "table",
) -> None:
    """Check received plans before compounding: safe doses, consistent days, measurable amounts."""
    from ldn_titrate.check import options_from_text, report_data, tally, unreadable  # noqa: PLC0415
    from ldn_titrate.errors import InputErrors  # noqa: PLC0415
    from ldn_titrate.formats.received import check_data  # noqa: PLC0415

    fmt = output_format.strip().lower()
    if fmt not in {"table", "json"}:
        _fail([f"--format: must be one of table, json, got {output_format!r}"], EXIT_INVALID)
    try:
        options = options_from_text(
            form=form,
            concentration=concentration,
            graduation=graduation,
            strengths=strengths,
            bud=bud,
            meds=meds,
            max_step=max_step,
            min_interval=min_interval,
        )
    except InputErrors as exc:
        _fail([str(e) for e in exc.errors], EXIT_INVALID)
    results = []
    for path in plans:
        name = "<stdin>" if path == "-" else path
        data, reason = _plan_bytes(path)
        findings = (
            unreadable(name, reason, None, options)
            if data is None
            else check_data(data, name, options)
        )
        results.append((name, findings))
    if fmt == "json":
        import json  # noqa: PLC0415

        reports = [report_data(name, findings) for name, findings in results]
        sys.stdout.write(json.dumps(reports, indent=2, ensure_ascii=False) + "\n")
    else:
        from rich.console import Console  # noqa: PLC0415

        from ldn_titrate.render import finding_lines, findings_table, table_width  # noqa: PLC0415

        console = Console(highlight=False, emoji=False, soft_wrap=True)
        for name, findings in results:
            # Nothing is cut: the table when it fits whole, else plain lines.
            table = findings_table(name, findings, width=console.width)
            if len(name) <= console.width and table_width(table) <= console.width:
                console.print(table)
                continue
            for line in finding_lines(name, findings):
                console.print(line, markup=False, highlight=False, emoji=False)
    tallies = [tally(findings) for _, findings in results]
    failed = sum(1 for t in tallies if t.errors)
    warned = sum(1 for t in tallies if t.warnings and not t.errors)
    count = len(tallies)
    typer.echo(
        f"checked {count} plan{'s' if count != 1 else ''}: {failed} with errors, "
        f"{warned} with warnings, {count - failed - warned} clean",
        err=True,
    )
    if failed or (strict and warned):
        raise typer.Exit(EXIT_FAILURE)
