"""The ``plan`` command: options and a request file -> a dated schedule, as a table or a file."""

from typing import Annotated

import typer

from ldn_titrate.cli import options as opt
from ldn_titrate.cli.command import EXIT_INVALID, OptionsOnce, app, examples, fail


@app.command(
    cls=OptionsOnce,
    short_help="Draft a dated titration schedule.",
    epilog=examples(
        "ldn-titrate plan --start 0.5 --target 4.5 --step 0.5 --every 7d --from monday",
        "ldn-titrate plan examples/ldn-trust-0.5mg-weekly.toml --format csv -o plan.csv",
        "ldn-titrate plan --start 1.5 --target 4.5 --step 1.5 --every 2w"
        " --form capsule --strengths 1.5",
    ),
)
def plan(
    ctx: typer.Context,
    request_file: Annotated[
        str | None,
        typer.Argument(
            metavar="REQUEST.toml",
            help="A request file ('-' reads stdin); options override its values.",
            show_default=False,
        ),
    ] = None,
    protocol: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="Fill the plan from a named preset ('ldn-titrate protocols' lists them).",
            autocompletion=opt.complete_preset,
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
    time: opt.TimeOption = None,
    label: opt.LabelOption = None,
    prescriber: opt.PrescriberOption = None,
    pharmacy: opt.PharmacyOption = None,
    form: opt.FormOption = None,
    concentration: opt.ConcentrationOption = None,
    graduation: opt.GraduationOption = None,
    strengths: opt.StrengthsOption = None,
    max_units: opt.MaxUnitsOption = None,
    bud: opt.BudOption = None,
    overage: opt.OverageOption = None,
    steps: Annotated[
        str | None,
        typer.Option(
            metavar="STEPS",
            help='Explicit steps instead of a ladder: "1.5 mg for 7d, 3 mg for 2w, 4.5 mg"; '
            "a dose A + B is A in the morning and B at bedtime.",
        ),
    ] = None,
    sig: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT",
            help='Prescription directions instead of a ladder or steps: "Take 0.5 mg by mouth '
            'at bedtime; increase by 0.5 mg every 7 days to 4.5 mg."',
        ),
    ] = None,
    split: Annotated[
        bool,
        typer.Option("--split", help="Take each ladder dose as two halves, morning and bedtime."),
    ] = False,
    weight: Annotated[
        str | None,
        typer.Option(metavar="KG", help="Body weight, such as 32kg: the target is weight × mg/kg."),
    ] = None,
    mg_per_kg: Annotated[
        str | None,
        typer.Option(metavar="MG", help="Dose per kg with --weight (default 0.1, at most 0.2)."),
    ] = None,
    meds: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT",
            help="Other medicines: an opioid or a second naltrexone refuses the plan.",
        ),
    ] = None,
    meds_reviewed: Annotated[
        bool,
        typer.Option(
            "--meds-reviewed", help="Plan anyway after reviewing what --meds found (a warning)."
        ),
    ] = False,
    output_format: opt.PlanFormatOption = None,
    intent: opt.IntentOption = None,
    patient_id: opt.PatientIdOption = None,
    prescriber_id: opt.PrescriberIdOption = None,
    remind: opt.RemindOption = None,
    paper: opt.PaperOption = None,
    output: opt.OutputOption = None,
    force: opt.ForceOption = False,
    config: opt.ConfigOption = None,
) -> None:
    """Draft a dated titration schedule from a start dose, a target, a step and an interval."""
    from ldn_titrate.app.plan import ask, draft, with_file_options  # noqa: PLC0415
    from ldn_titrate.cli.output import emit, prepare, warn  # noqa: PLC0415
    from ldn_titrate.request import FIELDS  # noqa: PLC0415

    texts = {"intent": intent, "remind": remind, "paper": paper}
    texts |= {"patient_id": patient_id, "prescriber_id": prescriber_id}
    fmt, write_options, problems = prepare(
        output_format, output, {**texts, "prescriber": prescriber, "pharmacy": pharmacy}
    )
    # Every request option by its key, read from the parsed command through the FIELDS table.
    given = {p.opts[0]: ctx.params[p.name] for p in ctx.command.params if p.name in ctx.params}
    options = {f.key: given.get(f.option) for f in FIELDS}
    # A flag left off leaves the request file's value.
    options["split"] = "true" if split else None
    options["sig"] = sig
    asked = ask(request_file, options, protocol, config, problems)
    write_options = with_file_options(fmt, write_options, asked, problems)
    if asked.preset is not None:
        typer.echo(asked.preset, err=True)
    if fmt is None or problems:
        fail(problems, EXIT_INVALID)
    schedule, warnings = draft(asked, reviewed=meds_reviewed)
    for line in warnings:
        warn(line)
    emit(schedule, fmt, write_options, output, force=force)
