"""The ``check`` command: received plan files -> findings, a summary and an exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Final, Literal

import typer

from ldn_titrate.cli import (
    EXIT_FAILURE,
    EXIT_INVALID,
    OptionsOnce,
    app,
    examples,
    fail,
    output_console,
    print_parts,
)
from ldn_titrate.cli.options import (
    CHECK_FORMATS,
    BudOption,
    ConcentrationOption,
    ConfigOption,
    FormOption,
    GraduationOption,
    StrengthsOption,
    completer,
)

if TYPE_CHECKING:
    from ldn_titrate.check import CheckOptions, Finding

FORMATS: Final = ("table", "json", "csv")
# A progress bar is worth drawing only for a batch that takes a noticeable while.
PROGRESS_OVER: Final = 50
Show = Literal["all", "problems", "none"]


def _check_one(name: str, data: bytes | None, reason: str, options: CheckOptions) -> list[Finding]:
    from ldn_titrate.check import check_file, unreadable  # noqa: PLC0415

    if data is None:
        return unreadable(name, reason, None, options)
    return check_file(data, name, options)


class _Writer:
    """Writes each plan's findings to stdout as soon as it is checked; keeps none of them."""

    def write(self, name: str, findings: Sequence[Finding]) -> str:
        """Write one plan's findings; return its result: error, warning or clean."""
        from ldn_titrate.check import tally  # noqa: PLC0415

        result = tally(findings).result
        self.emit(name, findings, result)
        sys.stdout.flush()
        return result

    def emit(self, name: str, findings: Sequence[Finding], result: str) -> None:
        """Write one plan's findings (nothing by default)."""

    def close(self) -> None:
        """End the output once every plan is written."""


class _TableWriter(_Writer):
    """A table for a plan with errors or warnings, one line for a clean one (as asked)."""

    def __init__(self, show: Show) -> None:
        self.show = show
        # One console for the whole batch: creating one per plan is slow.
        self.console = output_console()

    def emit(self, name: str, findings: Sequence[Finding], result: str) -> None:
        from ldn_titrate.render import clean_line, findings_layout  # noqa: PLC0415

        if self.show == "none":
            return
        if self.show == "problems" and result == "clean":
            sys.stdout.write(clean_line(name, findings) + "\n")
            return
        print_parts(self.console, findings_layout(name, findings, self.console.width))


class _JsonWriter(_Writer):
    """The list of ``{file, findings, summary}`` objects, written one object at a time."""

    def __init__(self) -> None:
        self.first = True

    def emit(self, name: str, findings: Sequence[Finding], result: str) -> None:  # noqa: ARG002 - one signature for every writer
        from ldn_titrate.check.output import JSON_OPEN, json_item  # noqa: PLC0415
        from ldn_titrate.errors import json_visible  # noqa: PLC0415

        item = json_item(name, findings, first=self.first)
        sys.stdout.write((JSON_OPEN if self.first else "") + json_visible(item))
        self.first = False

    def close(self) -> None:
        from ldn_titrate.check.output import JSON_CLOSE, JSON_EMPTY  # noqa: PLC0415

        sys.stdout.write(JSON_EMPTY if self.first else JSON_CLOSE)


class _CsvWriter(_Writer):
    """One row per finding under one header, for a review in a spreadsheet."""

    def __init__(self) -> None:
        from ldn_titrate.check.output import csv_header  # noqa: PLC0415

        sys.stdout.write(csv_header())

    def emit(self, name: str, findings: Sequence[Finding], result: str) -> None:  # noqa: ARG002 - one signature for every writer
        from ldn_titrate.check.output import csv_rows  # noqa: PLC0415

        sys.stdout.write(csv_rows(findings))


def _writer(fmt: str, show: Show) -> _Writer:
    if fmt == "json":
        return _JsonWriter()
    if fmt == "csv":
        return _CsvWriter()
    return _TableWriter(show)


def progress_wanted(count: int, stream: object) -> bool:
    """Whether to draw a progress bar: a batch of more than 50 plans, on a terminal."""
    isatty = getattr(stream, "isatty", None)
    return count > PROGRESS_OVER and callable(isatty) and bool(isatty())


@contextmanager
def _progress(count: int) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr for a long batch on a terminal; elsewhere nothing at all."""
    if not progress_wanted(count, sys.stderr):
        yield lambda: None
        return
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import Progress  # noqa: PLC0415

    # On one terminal, the plans' lines are printed above the bar rather than through it.
    shared = sys.stdout.isatty()
    with Progress(
        console=Console(stderr=True),
        transient=True,
        redirect_stdout=shared,
        redirect_stderr=False,
    ) as bar:
        task = bar.add_task("checking", total=count)
        yield lambda: bar.advance(task)


def _plan_bytes(path: str, limit: int) -> tuple[bytes | None, str]:
    """At most ``limit`` bytes of one plan file ('-' reads stdin), or None and why not.

    Never more: a device or a huge file is cut short, and the checker refuses it by its size.
    """
    try:
        if path == "-":
            return sys.stdin.buffer.read(limit), ""
        with Path(path).open("rb") as file:
            return file.read(limit), ""
    except FileNotFoundError:
        return None, "no such file"
    except IsADirectoryError:
        return None, "a folder, not a file"
    except OSError as exc:
        return None, exc.strerror or "an error from the system"


@app.command(
    cls=OptionsOnce,
    epilog=examples(
        "ldn-titrate check plan.csv",
        "ldn-titrate check plan.csv --form liquid --concentration 1mg/mL --meds 'sertraline 50 mg'",
        "ldn-titrate plan request.toml --format json | ldn-titrate check -",
    ),
)
def check(
    plans: Annotated[
        list[str],
        typer.Argument(
            metavar="PLAN",
            help="Plan files, CSV, JSON or .xlsx, told apart by their content; '-' reads stdin.",
            show_default=False,
        ),
    ],
    form: FormOption = None,
    concentration: ConcentrationOption = None,
    graduation: GraduationOption = None,
    strengths: StrengthsOption = None,
    bud: BudOption = None,
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
    date_order: Annotated[
        str | None,
        typer.Option(metavar="ORDER", help="Dates such as 07/12/2026: dmy or mdy."),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Show every plan's findings, clean ones too.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="Show the summary line only.")] = False,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="table, json or csv.",
            autocompletion=completer(CHECK_FORMATS),
        ),
    ] = "table",
    config: ConfigOption = None,
) -> None:
    """Check received plans before compounding: safe doses, consistent days, measurable amounts."""
    from ldn_titrate.check import MAX_PLAN_BYTES, options_from_text  # noqa: PLC0415
    from ldn_titrate.errors import InputErrors, shown  # noqa: PLC0415

    if plans.count("-") > 1:
        # The first '-' would take all of stdin and the second find it empty.
        fail(["PLAN '-': given more than once; standard input can be read once"], EXIT_INVALID)
    fmt = output_format.strip().lower()
    if fmt not in FORMATS:
        fail(
            [f"--format: must be one of {', '.join(FORMATS)}, got {shown(output_format)}"],
            EXIT_INVALID,
        )
    if verbose and quiet:
        fail(["--verbose and --quiet: give one of them"], EXIT_INVALID)
    if fmt != "table" and (verbose or quiet):
        flag = "--verbose" if verbose else "--quiet"
        fail([f"{flag}: applies to --format table only, got --format {fmt}"], EXIT_INVALID)
    from ldn_titrate.cli.config import load_config  # noqa: PLC0415
    from ldn_titrate.errors import InputError  # noqa: PLC0415

    found = load_config(config)
    defaults = {} if found is None else dict(found.check)
    # A value from the config is named as the config's key in any message about it.
    named = {
        option: f"{found.source}: check.{key}"
        for option, key, given in (
            ("--max-step", "max_step", max_step),
            ("--min-interval", "min_interval", min_interval),
        )
        if found is not None and given is None and key in defaults
    }
    try:
        options = options_from_text(
            form=form,
            concentration=concentration,
            graduation=graduation,
            strengths=strengths,
            bud=bud,
            meds=meds,
            max_step=max_step or defaults.get("max_step"),
            min_interval=min_interval or defaults.get("min_interval"),
            date_order=date_order,
        )
    except InputErrors as exc:
        fail(
            [str(InputError(named.get(e.field, e.field), e.value, e.allowed)) for e in exc.errors],
            EXIT_INVALID,
        )
    if "graduation" in defaults:
        from dataclasses import replace  # noqa: PLC0415

        from ldn_titrate.doses import parse_volume  # noqa: PLC0415

        grad = parse_volume(defaults["graduation"], "graduation")
        options = replace(options, default_graduation_ml=grad)
    show: Show = "all" if verbose else "none" if quiet else "problems"
    out = _writer(fmt, show)
    failed = warned = 0
    with _progress(len(plans)) as advance:
        for path in plans:
            name = "<stdin>" if path == "-" else path
            data, reason = _plan_bytes(path, MAX_PLAN_BYTES + 1)
            findings = _check_one(name, data, reason, options)
            result = out.write(name, findings)
            failed += result == "error"
            warned += result == "warning"
            advance()
    out.close()
    count = len(plans)
    typer.echo(
        f"checked {count} plan{'s' if count != 1 else ''}: {failed} with errors, "
        f"{warned} with warnings, {count - failed - warned} clean",
        err=True,
    )
    if failed or (strict and warned):
        raise typer.Exit(EXIT_FAILURE)
