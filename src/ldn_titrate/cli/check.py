"""The ``check`` command: received plan files -> findings, a summary and an exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ldn_titrate.cli import (
    EXIT_FAILURE,
    EXIT_INVALID,
    OptionsOnce,
    app,
    examples,
    fail,
    print_parts,
)
from ldn_titrate.cli.options import (
    CHECK_FORMATS,
    BudOption,
    ConcentrationOption,
    FormOption,
    GraduationOption,
    StrengthsOption,
    completer,
)


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
            help="Plan files, CSV or JSON, told apart by their content; '-' reads stdin.",
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
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="table or json.",
            autocompletion=completer(CHECK_FORMATS),
        ),
    ] = "table",
) -> None:
    """Check received plans before compounding: safe doses, consistent days, measurable amounts."""
    from ldn_titrate.check import (  # noqa: PLC0415
        check_file,
        options_from_text,
        report_data,
        tally,
        unreadable,
    )
    from ldn_titrate.errors import InputErrors  # noqa: PLC0415

    fmt = output_format.strip().lower()
    if fmt not in {"table", "json"}:
        fail([f"--format: must be one of table, json, got {output_format!r}"], EXIT_INVALID)
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
        fail([str(e) for e in exc.errors], EXIT_INVALID)
    results = []
    for path in plans:
        name = "<stdin>" if path == "-" else path
        data, reason = _plan_bytes(path)
        findings = (
            unreadable(name, reason, None, options)
            if data is None
            else check_file(data, name, options)
        )
        results.append((name, findings))
    if fmt == "json":
        import json  # noqa: PLC0415

        reports = [report_data(name, findings) for name, findings in results]
        sys.stdout.write(json.dumps(reports, indent=2, ensure_ascii=False) + "\n")
    else:
        from rich.console import Console  # noqa: PLC0415

        from ldn_titrate.render import findings_layout  # noqa: PLC0415

        console = Console(highlight=False, emoji=False, soft_wrap=True)
        for name, findings in results:
            print_parts(console, findings_layout(name, findings, console.width))
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
