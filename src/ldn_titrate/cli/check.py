"""The ``check`` command: received plan files -> findings, a summary and an exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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
    terminal_width,
)
from ldn_titrate.cli.options import (
    CHECK_FORMATS,
    DATE_ORDERS,
    BudOption,
    ConcentrationOption,
    ConfigOption,
    FormOption,
    GraduationOption,
    StrengthsOption,
    completer,
)
from ldn_titrate.cli.plan_files import _expand, _plan_bytes

if TYPE_CHECKING:
    from rich.console import Console

    from ldn_titrate.check import CheckOptions, Finding

FORMATS: Final = ("table", "json", "csv")
# A progress bar is worth drawing only for a batch that takes a noticeable while.
PROGRESS_OVER: Final = 50
# Worker processes pay for themselves from a few hundred plans (benchmarks/check_speed.py);
# each takes at least this many plans, and there are never more than MAX_JOBS of them.
PARALLEL_OVER: Final = 100
MAX_JOBS: Final = 32
Show = Literal["all", "problems", "none"]


def _check_one(name: str, data: bytes | None, reason: str, options: CheckOptions) -> list[Finding]:
    from ldn_titrate.check import check_file, unreadable  # noqa: PLC0415

    if data is None:
        return unreadable(name, reason, None, options)
    return check_file(data, name, options)


def _text(
    fmt: str, show: Show, name: str, findings: Sequence[Finding], result: str, width: int = 80
) -> str | None:
    """One plan's output as text, or None for a table only the console can draw.

    Pure, so that a worker process can write it: JSON items come without the list's brackets
    and separators, CSV rows without the header (the writer adds them).
    """
    if fmt == "json":
        from ldn_titrate.check.output import json_item  # noqa: PLC0415
        from ldn_titrate.errors import json_visible  # noqa: PLC0415

        return json_visible(json_item(name, findings))
    if fmt == "csv":
        from ldn_titrate.check.output import csv_rows  # noqa: PLC0415

        return csv_rows(findings)
    if show == "none":
        return ""
    if show == "problems" and result == "clean":
        from ldn_titrate.render import clean_line  # noqa: PLC0415

        return clean_line(name, findings, width) + "\n"
    return None


# One plan to check: the name shown, the path to read, and what reading it gave when it has
# been read already (standard input: its bytes, or None and why not).
_Task = tuple[str, str, tuple[bytes | None, str] | None]
# What checking one plan gives: its result, its text, and the findings when the text is None.
_Checked = tuple[str, str | None, list["Finding"] | None]
# What every plan of a batch is checked with: the options, the format, what to show and the
# width of the terminal.
_Batch = tuple["CheckOptions", str, Show, int]


def _ignore_interrupts() -> None:
    """Set up a worker process: Ctrl-C is left to the main process, which ends the workers."""
    import signal  # noqa: PLC0415

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _checked(batch: _Batch, task: _Task) -> _Checked:
    """Read, check and write one plan as text: the same in a worker process as in this one."""
    from ldn_titrate.check import MAX_PLAN_BYTES, tally  # noqa: PLC0415

    options, fmt, show, width = batch
    name, path, given = task
    try:
        data, reason = given or _plan_bytes(path, MAX_PLAN_BYTES + 1)
        findings = _check_one(name, data, reason, options)
    except Exception as exc:  # noqa: BLE001 - one file's failure is that file's finding
        from ldn_titrate.check import internal_error  # noqa: PLC0415

        findings = internal_error(name, exc, options)
    result = tally(findings).result
    text = _text(fmt, show, name, findings, result, width)
    return result, text, findings if text is None else None


@contextmanager
def _checking(tasks: list[_Task], batch: _Batch, jobs: int) -> Iterator[Iterator[_Checked]]:
    """Each plan checked, in the order given; by ``jobs`` worker processes when more than one.

    Results come back in order as soon as each is ready, so the output still streams, and
    only the plans checked but not yet written are held. The workers start here, before any
    progress bar starts its thread.
    """
    from functools import partial  # noqa: PLC0415

    check_one = partial(_checked, batch)
    if jobs == 1:
        yield map(check_one, tasks)
        return
    import multiprocessing  # noqa: PLC0415

    # Small chunks keep the order's waiting short; large enough to make each hand-over cheap.
    chunk = max(1, min(32, len(tasks) // (jobs * 8)))
    with multiprocessing.get_context().Pool(jobs, _ignore_interrupts) as pool:
        yield pool.imap(check_one, tasks, chunk)


class _Writer:
    """Writes each plan's output to stdout as soon as it is checked; keeps none of it."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.first = True
        # One console for the whole batch, made only when a table is drawn: it is slow to make.
        self.console: Console | None = None
        if fmt == "csv":
            from ldn_titrate.check.output import csv_header  # noqa: PLC0415

            sys.stdout.write(csv_header())

    def write(self, name: str, text: str | None, findings: Sequence[Finding] | None) -> None:
        """Write one plan's text, or draw its findings table when it has no text."""
        if text is None:
            from ldn_titrate.render import findings_layout  # noqa: PLC0415

            if self.console is None:
                self.console = output_console()
            print_parts(self.console, findings_layout(name, findings or (), self.console.width))
        elif self.fmt == "json":
            from ldn_titrate.check.output import JSON_OPEN, JSON_SEPARATOR  # noqa: PLC0415

            sys.stdout.write((JSON_OPEN if self.first else JSON_SEPARATOR) + text)
        else:
            sys.stdout.write(text)
        self.first = False
        sys.stdout.flush()

    def close(self) -> None:
        """End the output once every plan is written."""
        if self.fmt == "json":
            from ldn_titrate.check.output import JSON_CLOSE, JSON_EMPTY  # noqa: PLC0415

            sys.stdout.write(JSON_EMPTY if self.first else JSON_CLOSE)


def _jobs_option(text: str) -> int:
    """The number given with ``--jobs``: a whole number from 1 to MAX_JOBS."""
    from ldn_titrate.errors import shown  # noqa: PLC0415

    stripped = text.strip()
    if not (
        stripped.isascii()
        and stripped.isdigit()
        and len(stripped.lstrip("0")) <= 2
        and 1 <= int(stripped) <= MAX_JOBS
    ):
        fail(
            [f"--jobs: must be a whole number from 1 to {MAX_JOBS}, got {shown(text)}"],
            EXIT_INVALID,
        )
    return int(stripped)


def jobs_for(count: int, given: int | None) -> int:
    """How many plans to check at a time: as given, else one per processor for a large batch."""
    if given is not None:
        return min(given, count) or 1
    if count <= PARALLEL_OVER:
        return 1
    try:
        processors = len(os.sched_getaffinity(0))
    except AttributeError:  # not every system can say which processors this process may use
        processors = os.cpu_count() or 1
    return max(1, min(processors, MAX_JOBS, count // PARALLEL_OVER))


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


@app.command(
    cls=OptionsOnce,
    short_help="Check received plans before compounding.",
    epilog=examples(
        "ldn-titrate check plan.csv",
        "ldn-titrate check plan.csv --form liquid --concentration 1mg/mL --meds 'sertraline 50 mg'",
        "ldn-titrate plan request.toml --format json | ldn-titrate check -",
        "ldn-titrate check received/ --recursive --quiet",
    ),
)
def check(
    plans: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PLAN",
            help="Plan files, CSV, JSON or .xlsx, told apart by their content, or folders of"
            " them; '-' reads stdin.",
            show_default=False,
        ),
    ] = None,
    recursive: Annotated[
        bool,
        typer.Option("--recursive", "-r", help="Check the plans in subfolders of a folder too."),
    ] = False,
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
        typer.Option(
            metavar="ORDER",
            help="Dates such as 07/12/2026: dmy or mdy.",
            autocompletion=completer(DATE_ORDERS),
        ),
    ] = None,
    column: Annotated[
        list[str] | None,
        typer.Option(
            metavar="FIELD=HEADER",
            help="Read the column HEADER as this tool's CSV column FIELD (repeatable).",
            show_default=False,
        ),
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
    jobs: Annotated[
        str | None,
        typer.Option(
            metavar="N",
            help="Check N plans at a time (default: one per processor for over 100 plans).",
            show_default=False,
        ),
    ] = None,
    config: ConfigOption = None,
    sig: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="Prescription directions to check as a plan."),
    ] = None,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="DATE", help="Day 1 of the directions (--sig). Default: today."
        ),
    ] = None,
) -> None:
    """Check received plans before compounding: safe doses, consistent days, measurable amounts."""
    from ldn_titrate.check import MAX_PLAN_BYTES, options_from_text  # noqa: PLC0415
    from ldn_titrate.cli.check_sig import sig_arguments, write_sig  # noqa: PLC0415
    from ldn_titrate.errors import InputErrors, shown  # noqa: PLC0415

    plans, sig_day = sig_arguments(plans, sig, from_)
    fmt = output_format.strip().lower()
    if fmt not in FORMATS:
        fail(
            [f"--format: must be one of {', '.join(FORMATS)}, got {shown(output_format)}"],
            EXIT_INVALID,
        )
    if verbose and quiet:
        fail(["--verbose and --quiet: give one of them"], EXIT_INVALID)
    jobs_given = None if jobs is None else _jobs_option(jobs)
    if fmt != "table" and (verbose or quiet):
        flag = "--verbose" if verbose else "--quiet"
        fail([f"{flag}: applies to --format table only, got --format {fmt}"], EXIT_INVALID)
    from ldn_titrate.app.inputs import load_config  # noqa: PLC0415
    from ldn_titrate.errors import InputError, as_flag  # noqa: PLC0415

    found = load_config(config)
    defaults = {} if found is None else dict(found.check)
    # A value from the config is named as the config's key in any message about it.
    named = {
        key: f"{found.source}: check.{key}"
        for key, given in (("max_step", max_step), ("min_interval", min_interval))
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
            columns=column or (),
        )
    except InputErrors as exc:
        named["columns"] = "--column"
        fail(
            [
                str(InputError(named.get(e.field, as_flag(e.field)), e.value, e.allowed))
                for e in exc.errors
            ],
            EXIT_INVALID,
        )
    if found is not None and found.columns:
        from ldn_titrate.app.inputs import config_columns  # noqa: PLC0415

        options = config_columns(options, found.columns, found.source)
    if "graduation" in defaults:
        from dataclasses import replace  # noqa: PLC0415

        from ldn_titrate.doses import parse_volume  # noqa: PLC0415

        grad = parse_volume(defaults["graduation"], "graduation")
        options = replace(options, default_graduation_ml=grad)
    show: Show = "all" if verbose else "none" if quiet else "problems"
    plans = _expand(plans, recursive=recursive)
    # Standard input is read here, once; worker processes read the files themselves.
    tasks: list[_Task] = [
        ("<stdin>", path, _plan_bytes(path, MAX_PLAN_BYTES + 1))
        if path == "-"
        else (path, path, None)
        for path in plans
    ]
    out = _Writer(fmt)
    failed, warned = write_sig(out.write, sig, sig_day, (options, fmt, show))
    jobs_used = jobs_for(len(tasks), jobs_given)
    batch: _Batch = (options, fmt, show, terminal_width())
    with _checking(tasks, batch, jobs_used) as results, _progress(len(plans)) as advance:
        for (name, _, _), (result, text, findings) in zip(tasks, results, strict=True):
            out.write(name, text, findings)
            failed += result == "error"
            warned += result == "warning"
            advance()
    out.close()
    count = len(plans) + (sig is not None)
    typer.echo(
        f"checked {count} plan{'s' if count != 1 else ''}: {failed} with errors, "
        f"{warned} with warnings, {count - failed - warned} clean",
        err=True,
    )
    if failed or (strict and warned):
        raise typer.Exit(EXIT_FAILURE)
