"""The ``check`` command: received plan files -> findings, a summary and an exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ldn_titrate.cli import EXIT_FAILURE, EXIT_INVALID, OptionsOnce, app, fail, print_parts
from ldn_titrate.cli.options import (
    BudOption,
    ConcentrationOption,
    ConfigOption,
    FormOption,
    GraduationOption,
    StrengthsOption,
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
        str, typer.Option("--format", metavar="FORMAT", help="table or json.")
    ] = "table",
    config: ConfigOption = None,
) -> None:
    """Check received plans before compounding: safe doses, consistent days, measurable amounts."""
    from ldn_titrate.check import (  # noqa: PLC0415
        check_file,
        options_from_text,
        report_data,
        tally,
        unreadable,
    )
    from ldn_titrate.errors import InputError, InputErrors  # noqa: PLC0415

    fmt = output_format.strip().lower()
    if fmt not in {"table", "json"}:
        fail([f"--format: must be one of table, json, got {output_format!r}"], EXIT_INVALID)
    from ldn_titrate.cli.config import load_config  # noqa: PLC0415

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
