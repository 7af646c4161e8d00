"""The ``check`` command: received plan files -> findings, a summary and an exit code."""

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ldn_titrate.cli.command import EXIT_FAILURE, EXIT_INVALID, OptionsOnce, app, examples, fail
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

if TYPE_CHECKING:
    from rich.console import Console

    from ldn_titrate.app.check import Checked, Written
    from ldn_titrate.app.files import Left
    from ldn_titrate.errors import LdnTitrateError

Text = str | None


def _option(metavar: str, text: str, *names: str, **more: Any) -> Any:  # noqa: ANN401 - typer's
    """An option that takes a value; its default is not shown unless asked."""
    return typer.Option(*names, metavar=metavar, help=text, **{"show_default": False, **more})


def _note(path: str, left: "Left") -> None:
    from ldn_titrate.errors import shown  # noqa: PLC0415

    counts = (
        (left.hidden, "hidden file", ""),
        (left.toml, "request or config file", " (.toml)"),
        (left.folders, "subfolder", " (--recursive checks them)"),
    )
    notes = [f"{n} {what}{'s' if n != 1 else ''}{why}" for n, what, why in counts if n]
    typer.echo(f"note: PLAN {shown(path)}: not checked: {', '.join(notes)}", err=True)


def _spelled(error: "LdnTitrateError") -> list[str]:
    """An error of the workflow in lines of the command line: each key spelled as its option."""
    from ldn_titrate.app.files import ListError  # noqa: PLC0415
    from ldn_titrate.errors import (  # noqa: PLC0415
        InputError,
        InputErrors,
        as_flag,
        as_option,
        shown,
        spell,
    )

    if isinstance(error, ListError):
        reason = spell(error.reason, lambda setting: as_option(setting).rstrip())
        return [f"--files-from: {shown(error.source)}: {reason}"]
    return [
        str(
            InputError("--column" if e.field == "columns" else as_flag(e.field), e.value, e.allowed)
        )
        if e.field.isidentifier() and e.field.islower()
        else str(e)
        for e in (error.errors if isinstance(error, InputErrors) else (error,))
        if isinstance(e, InputError)
    ] or list(getattr(error, "lines", None) or [str(error)])


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
    files_from: Annotated[
        Text, _option("FILE", "Check the plan files listed, one a line; '-' is stdin.")
    ] = None,
    null: Annotated[
        bool, typer.Option("--null", help="The list of --files-from is NUL-separated.")
    ] = False,
    form: FormOption = None,
    concentration: ConcentrationOption = None,
    graduation: GraduationOption = None,
    strengths: StrengthsOption = None,
    bud: BudOption = None,
    meds: Annotated[Text, _option("TEXT", "The patient's other medicines, as free text.")] = None,
    max_step: Annotated[
        Text, _option("DOSE", "Warn about a larger change of dose, in mg (default 1.5).")
    ] = None,
    min_interval: Annotated[
        Text, _option("DAYS", "Warn about a dose held fewer days (default 3).")
    ] = None,
    date_order: Annotated[
        Text,
        _option(
            "ORDER", "Dates such as 07/12/2026: dmy or mdy.", autocompletion=completer(DATE_ORDERS)
        ),
    ] = None,
    column: Annotated[
        list[str] | None,
        _option(
            "FIELD=HEADER", "Read the column HEADER as this tool's CSV column FIELD (repeatable)."
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Show every plan's findings, clean ones too.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="Show the summary line only.")] = False,
    output_format: Annotated[
        str,
        _option(
            "FORMAT",
            "table, json or csv.",
            "--format",
            autocompletion=completer(CHECK_FORMATS),
            show_default=True,
        ),
    ] = "table",
    jobs: Annotated[
        Text,
        _option("N", "Check N plans at a time (default: one per processor, over 100 plans)."),
    ] = None,
    config: ConfigOption = None,
    sig: Annotated[Text, _option("TEXT", "Prescription directions to check as a plan.")] = None,
    from_: Annotated[
        Text, _option("DATE", "Day 1 of the directions (--sig). Default: today.", "--from")
    ] = None,
) -> None:
    """Check received plans before compounding: safe doses, consistent days, measurable amounts."""
    from ldn_titrate.app import check as run  # noqa: PLC0415
    from ldn_titrate.app.inputs import load_config  # noqa: PLC0415
    from ldn_titrate.errors import LdnTitrateError  # noqa: PLC0415
    from ldn_titrate.render.console import terminal_width  # noqa: PLC0415
    from ldn_titrate.render.progress import progress  # noqa: PLC0415
    from ldn_titrate.render.report import REPORTS  # noqa: PLC0415
    from ldn_titrate.settings.check import CHECK_BY_KEY  # noqa: PLC0415

    # Each setting's parameter is named by its key, as the settings declare it.
    settings = {key: value for key, value in locals().items() if key in CHECK_BY_KEY}
    if not plans and sig is None and files_from is None:
        fail(["Missing argument 'PLAN'; see 'ldn-titrate check --help'"], EXIT_INVALID)
    plans = plans or []
    try:
        run.refuse_inputs(plans, sig, from_, files_from, null=null)
        day = None if sig is None else run.sig_day(from_, run.today())
        report, given_jobs = run.report_asked(
            output_format, terminal_width(), REPORTS, verbose=verbose, quiet=quiet, jobs=jobs
        )
        options = run.check_options(
            settings,
            column or (),
            load_config(config),
        )
        given = run.plan_tasks(plans, files_from, recursive=recursive, null=null, note=_note)
        with run.batch(given, options, report, given_jobs) as batch:
            if batch.count == 0 and sig is None:
                fail([f"--files-from: {files_from!r}: lists no plan files"], EXIT_INVALID)
            out = run.Written(report)
            consoles: list[Console] = []
            sys.stdout.write(report.opening)
            if sig is not None and day is not None:
                _write(out, run.check_sig(sig, day, options, report), consoles)
            with progress(batch.count) as advance:
                for checked in batch.results:
                    _write(out, checked, consoles)
                    advance()
    except LdnTitrateError as exc:
        fail(_spelled(exc), EXIT_INVALID)
    sys.stdout.write(out.closing())
    typer.echo(out.summary(), err=True)
    if out.counts["error"] or (strict and out.counts["warning"]):
        raise typer.Exit(EXIT_FAILURE)


def _write(out: "Written", checked: "Checked", consoles: "list[Console]") -> None:
    """Write one plan's text, or draw its findings table when it has no text."""
    text = out.text(checked)
    if text is None:
        from ldn_titrate.render.console import draw_findings  # noqa: PLC0415

        name, _, _, findings = checked
        draw_findings(name, findings or (), consoles)
    else:
        sys.stdout.write(text)
    sys.stdout.flush()
