"""The ``replan`` command: a plan file re-planned after a side effect or a pause, then written."""

from typing import Annotated

import typer

from ldn_titrate.cli import options as opt
from ldn_titrate.cli.command import EXIT_INVALID, OptionsOnce, app, examples, fail


@app.command(
    cls=OptionsOnce,
    short_help="Re-plan a plan after a side effect or a pause.",
    epilog=examples(
        "ldn-titrate replan plan.json --on 2026-03-10 --back-down",
        "ldn-titrate replan plan.json --on 2026-03-10 --back-down --to 0.75 --hold 14",
        "ldn-titrate replan plan.csv --on 2026-03-10 --pause-until 2026-03-20 --format csv",
    ),
)
def replan(
    plan_file: Annotated[
        str,
        typer.Argument(metavar="PLAN", help="A plan written by 'plan': JSON or CSV."),
    ],
    on: Annotated[
        str,
        typer.Option(
            metavar="DATE",
            help="The last day of doses as planned (YYYY-MM-DD).",
            show_default=False,
        ),
    ],
    back_down: Annotated[
        bool,
        typer.Option("--back-down", help="Back down to the last tolerated dose, then retry."),
    ] = False,
    hold: Annotated[
        str | None,
        typer.Option(metavar="N", help="Days at the lower dose (default: one interval)."),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(metavar="DOSE", help="The dose to go back to (default: the previous step's)."),
    ] = None,
    pause_until: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="No dose after --on until this day, the restart."),
    ] = None,
    continue_within: Annotated[
        str | None,
        typer.Option(metavar="DAYS", help="A pause this short continues at the last dose (7)."),
    ] = None,
    step_down_within: Annotated[
        str | None,
        typer.Option(metavar="DAYS", help="A pause this short restarts one step lower (28)."),
    ] = None,
    form: opt.FormOption = None,
    concentration: opt.ConcentrationOption = None,
    graduation: opt.GraduationOption = None,
    strengths: opt.StrengthsOption = None,
    max_units: opt.MaxUnitsOption = None,
    bud: opt.BudOption = None,
    overage: opt.OverageOption = None,
    time: opt.TimeOption = None,
    label: opt.LabelOption = None,
    output_format: opt.PlanFormatOption = None,
    intent: opt.IntentOption = None,
    patient_id: opt.PatientIdOption = None,
    prescriber_id: opt.PrescriberIdOption = None,
    remind: opt.RemindOption = None,
    paper: opt.PaperOption = None,
    prescriber: opt.PrescriberOption = None,
    pharmacy: opt.PharmacyOption = None,
    meds: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT",
            help="Today's other medicines: an opioid or a second naltrexone refuses the re-plan.",
        ),
    ] = None,
    meds_reviewed: Annotated[
        bool,
        typer.Option(
            "--meds-reviewed", help="Re-plan anyway after reviewing what --meds found (a warning)."
        ),
    ] = False,
    output: opt.OutputOption = None,
    force: opt.ForceOption = False,
    config: opt.ConfigOption = None,
) -> None:
    """Re-plan a plan file after a side effect (back down, then retry) or a pause."""
    from dataclasses import replace  # noqa: PLC0415

    from ldn_titrate.app.replan import change, day, replan  # noqa: PLC0415
    from ldn_titrate.cli.output import emit, prepare, warn  # noqa: PLC0415

    texts = {"intent": intent, "remind": remind, "paper": paper}
    texts |= {"patient_id": patient_id, "prescriber_id": prescriber_id}
    fmt, write_options, problems = prepare(
        output_format, output, {**texts, "prescriber": prescriber, "pharmacy": pharmacy}
    )
    last = day(on, "on", problems)
    changes = {"hold": hold, "to": to, "pause_until": pause_until}
    changes |= {"continue_within": continue_within, "step_down_within": step_down_within}
    how = change(changes, back_down=back_down, problems=problems)
    if problems or fmt is None or last is None or how is None:
        fail(problems, EXIT_INVALID)
    formulation = {"form": form, "concentration": concentration, "graduation": graduation}
    formulation |= {"strengths": strengths, "max_units": max_units, "bud": bud}
    formulation |= {"overage": overage, "time": time, "label": label, "meds": meds}
    done = replan(plan_file, last, how, formulation, config, reviewed=meds_reviewed)
    record = done.schedule.replan
    assert record is not None  # noqa: S101 - a re-plan records its rule
    typer.echo(f"replan: {record.rule} ({record.source})", err=True)
    for line in done.warnings:
        warn(line)
    # A calendar of the re-plan updates the original's events and cancels those it replaces.
    emit(done.schedule, fmt, replace(write_options, replaces=done.replaces), output, force=force)
