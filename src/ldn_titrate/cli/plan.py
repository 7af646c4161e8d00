"""The ``plan`` command: options and a request file -> a dated schedule, as a table or a file."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ldn_titrate.cli import (
    EXIT_INVALID,
    OptionsOnce,
    app,
    examples,
    fail,
)
from ldn_titrate.cli.options import (
    BudOption,
    ConcentrationOption,
    ConfigOption,
    ForceOption,
    FormOption,
    GraduationOption,
    IntentOption,
    LabelOption,
    MaxUnitsOption,
    OutputOption,
    OverageOption,
    PaperOption,
    PharmacyOption,
    PlanFormatOption,
    PrescriberOption,
    RemindOption,
    StrengthsOption,
    TimeOption,
    complete_preset,
)

if TYPE_CHECKING:
    from ldn_titrate.model import Schedule
    from ldn_titrate.request import Layer


# A request file is a few hundred bytes; reading stops here, so /dev/zero ends at once.
_MAX_REQUEST_BYTES = 1_000_000
STDIN = "-"


def _read_text(path: str, what: str, kind: str = "a request file") -> str:
    """A request (or config) file as text, at most 1 MB of it; '-' reads stdin."""
    from ldn_titrate.errors import shown  # noqa: PLC0415

    name = shown("<stdin>" if path == STDIN else path)
    try:
        if path == STDIN:
            data = sys.stdin.buffer.read(_MAX_REQUEST_BYTES + 1)
        else:
            with Path(path).open("rb") as file:
                data = file.read(_MAX_REQUEST_BYTES + 1)
    except FileNotFoundError:
        fail([f"{what} {name}: no such file"], EXIT_INVALID)
    except IsADirectoryError:
        fail([f"{what} {name}: is a folder, not a file"], EXIT_INVALID)
    except OSError as exc:
        fail([f"{what} {name}: cannot be read ({exc.strerror})"], EXIT_INVALID)
    if len(data) > _MAX_REQUEST_BYTES:
        fail([f"{what} {name}: larger than 1 MB, not {kind}"], EXIT_INVALID)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        fail([f"{what} {name}: not UTF-8 text"], EXIT_INVALID)


def _gather(
    request_file: str | None,
    options: dict[str, str | None],
    protocol: str | None,
    config: str | None,
) -> tuple[Layer, tuple[str, ...]]:
    """The raw request values by key and how to name each one, and the preset values replaced.

    Lowest first: the preset, the config file, the request file, then the options.
    """
    from ldn_titrate.cli.config import load_config  # noqa: PLC0415
    from ldn_titrate.errors import PlanFormatError  # noqa: PLC0415
    from ldn_titrate.request import (  # noqa: PLC0415
        file_layer,
        merge,
        options_layer,
        overridden,
    )

    layers = []
    found = load_config(config)
    if found is not None:
        layers.append(found.plan)
    if request_file is not None:
        source = "<stdin>" if request_file == STDIN else request_file
        try:
            from ldn_titrate.request_files import read_request_file  # noqa: PLC0415

            from_file = read_request_file(_read_text(request_file, "REQUEST"), source)
        except PlanFormatError as exc:
            fail([str(exc)], EXIT_INVALID)
        layers.append(file_layer(from_file, source))
    layers.append(options_layer(options))
    if protocol is None:
        return merge(layers), ()
    from ldn_titrate.presets import UnknownPresetError, load, preset_layer  # noqa: PLC0415

    try:
        preset = preset_layer(load(protocol))
    except UnknownPresetError as exc:
        fail([str(exc)], EXIT_INVALID)
    return merge([preset, *layers]), overridden(preset, layers)


TODAY_VARIABLE = "LDN_TITRATE_TODAY"
# Day 1 this far from today is more likely a typing slip in the year than a plan.
PAST_DAYS_WARNED = 90
AHEAD_DAYS_WARNED = 365


def _today() -> date:
    """Today, or the day LDN_TITRATE_TODAY names, so that examples and tests never age."""
    import os  # noqa: PLC0415

    text = os.environ.get(TODAY_VARIABLE)
    if text is None:
        return date.today()
    from ldn_titrate.dates import NotADayError, iso_day  # noqa: PLC0415

    try:
        return iso_day(text)
    except NotADayError:
        from ldn_titrate.errors import shown  # noqa: PLC0415

        fail([f"{TODAY_VARIABLE}: write YYYY-MM-DD, got {shown(text)}"], EXIT_INVALID)


def _far_from_today(first_day: date, today: date) -> str | None:
    """A warning for a day 1 far in the past or ahead, or None."""
    days = (first_day - today).days
    if days < -PAST_DAYS_WARNED:
        return f"{first_day.isoformat()} is {-days} days ago; is this the right year?"
    if days > AHEAD_DAYS_WARNED:
        return f"{first_day.isoformat()} is {days} days ahead; is this the right year?"
    return None


def _screen_meds(schedule: Schedule, name: str, *, reviewed: bool) -> Schedule:
    """Refuse a plan beside an opioid or a second naltrexone, or, once reviewed, warn.

    The screen is the checker's own (``check`` may not be imported by ``rules``); what it
    finds after review is kept as warnings of the schedule, so the JSON records it.
    """
    if schedule.request.meds is None:
        return schedule
    from dataclasses import replace  # noqa: PLC0415

    from ldn_titrate.check.meds import screen  # noqa: PLC0415
    from ldn_titrate.model import Notice  # noqa: PLC0415

    hits = screen(schedule.request.meds)
    if hits and not reviewed:
        fail([f"{name}: {hit.message}" for hit in hits], EXIT_INVALID)
    request = replace(schedule.request, meds_reviewed=reviewed)
    notices = tuple(Notice(hit.code, "meds", hit.message) for hit in hits)
    return schedule._replace(request=request, notices=(*schedule.notices, *notices))


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
            autocompletion=complete_preset,
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
    time: TimeOption = None,
    label: LabelOption = None,
    prescriber: PrescriberOption = None,
    pharmacy: PharmacyOption = None,
    form: FormOption = None,
    concentration: ConcentrationOption = None,
    graduation: GraduationOption = None,
    strengths: StrengthsOption = None,
    max_units: MaxUnitsOption = None,
    bud: BudOption = None,
    overage: OverageOption = None,
    steps: Annotated[
        str | None,
        typer.Option(
            metavar="STEPS",
            help='Explicit steps instead of a ladder: "1.5 mg for 7d, 3 mg for 2w, 4.5 mg"; '
            "a dose A + B is A in the morning and B at bedtime.",
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
    output_format: PlanFormatOption = None,
    intent: IntentOption = None,
    remind: RemindOption = None,
    paper: PaperOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    config: ConfigOption = None,
) -> None:
    """Draft a dated titration schedule from a start dose, a target, a step and an interval."""
    from ldn_titrate.errors import FormulationError, InputErrors, visible  # noqa: PLC0415
    from ldn_titrate.request import (  # noqa: PLC0415
        FIELDS,
        build_request,
        option_name,
        spelling,
    )
    from ldn_titrate.rules import build_schedule  # noqa: PLC0415

    problems: list[str] = []
    from ldn_titrate.cli.output import (  # noqa: PLC0415
        _terminal_problem,
        _terminal_problems,
        _text_problems,
        _write_options,
        choose_format,
        emit,
    )

    fmt = choose_format(output_format, output, problems)
    problems += _text_problems(output, prescriber, pharmacy)
    texts = {
        "intent": intent,
        "remind": remind,
        "paper": paper,
        "prescriber": prescriber,
        "pharmacy": pharmacy,
    }
    write_options = _write_options(fmt, texts, problems)
    output_path = output
    to_file = output_path is not None and output_path != "-"
    problems += _terminal_problem(fmt, to_file=to_file)
    problems.extend(_terminal_problems(fmt, output))
    # Every request option by its key, read from the parsed command through the FIELDS table.
    given = {p.opts[0]: ctx.params[p.name] for p in ctx.command.params if p.name in ctx.params}
    options = {f.key: given.get(f.option) for f in FIELDS}
    # A flag left off leaves the request file's value.
    options["split"] = "true" if split else None
    merged, overrides = _gather(request_file, options, protocol, config)
    values, names = merged.values, merged.names
    today = _today()
    try:
        request = build_request(values, names, today=today)
    except InputErrors as exc:
        fail([*problems, *(str(e) for e in exc.errors)], EXIT_INVALID)
    if protocol is not None:
        from dataclasses import replace  # noqa: PLC0415

        request = replace(request, preset=protocol.strip().lower(), overrides=overrides)
        replaced = f"; overridden: {', '.join(overrides)}" if overrides else ""
        typer.echo(f"preset: {request.preset}{replaced}", err=True)
    if fmt is None or problems:
        fail(problems, EXIT_INVALID)
    try:
        schedule = build_schedule(request)
    except FormulationError as exc:
        fail(list(exc.spelled(spelling(names), spelling(names, heading=True))), EXIT_INVALID)
    schedule = _screen_meds(schedule, names.get("meds", "--meds"), reviewed=meds_reviewed)
    for notice in schedule.notices:
        typer.echo(
            visible(
                f"warning: {names.get(notice.field, option_name(notice.field))}: {notice.message}"
            ),
            err=True,
        )
    far = _far_from_today(request.first_day, today)
    if far is not None:
        typer.echo(visible(f"warning: {names.get('from', option_name('from'))}: {far}"), err=True)
    emit(schedule, fmt, write_options, output_path, force=force)
