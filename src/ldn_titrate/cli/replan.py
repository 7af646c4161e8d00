"""The ``replan`` command: a plan file re-planned after a side effect or a pause, then written."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ldn_titrate.cli import EXIT_INVALID, OptionsOnce, app, examples, fail
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
)

if TYPE_CHECKING:
    from datetime import date

    from ldn_titrate.model import Schedule, Step
    from ldn_titrate.replan import BackDown, Pause
    from ldn_titrate.request import Raw

# The JSON request names a few values by their model attribute; the request file by its key.
_JSON_KEYS = {
    "concentration_mg_per_ml": "concentration",
    "graduation_ml": "graduation",
    "overage_percent": "overage",
    "strengths_mg": "strengths",
    "bud_days": "bud",
}
# Recorded for the reader, or replaced by the steps: not part of the request to rebuild.
_NOT_REBUILT = frozenset(
    {"target_from_weight", "meds_reviewed", "preset", "overrides", "replan", "weight_kg"}
)
_LADDER = frozenset({"start", "target", "step", "every"})


def _split(recorded: dict[object, object]) -> bool:
    """Whether a recorded request takes its doses in the morning and at bedtime."""
    steps = recorded.get("steps")
    listed = steps if isinstance(steps, list) else [steps]
    return recorded.get("split") is True or any("+" in str(step) for step in listed if step)


def _recorded(data: dict[str, object]) -> dict[str, Raw]:
    """The request a JSON plan records, as request-file values by key."""
    recorded = data.get("request")
    assert isinstance(recorded, dict)  # noqa: S101 - the plan schema was checked
    values: dict[str, Raw] = {}
    for key, value in recorded.items():
        if value is None or key in _NOT_REBUILT or key == "mg_per_kg":
            continue
        if key in _LADDER and "steps" in recorded:
            continue
        # A split plan records its default time too, which a split request refuses.
        if key == "time" and _split(recorded):
            continue
        name = _JSON_KEYS.get(str(key), str(key))
        if isinstance(value, list):
            values[name] = ", ".join(str(v) for v in value)
        elif isinstance(value, bool):
            values[name] = "true" if value else "false"
        else:
            values[name] = str(value)
    return values


def _steps_text(steps: tuple[Step, ...]) -> str:
    """Steps read back from a CSV as the explicit steps of a request."""
    from ldn_titrate.settings.values import step_text  # noqa: PLC0415

    return ", ".join(
        step_text(
            [a.dose_mg for a in step.administrations]
            if len(step.administrations) > 1
            else [step.dose_mg],
            None if step.days is None else f"{step.days}d",
        )
        for step in steps
    )


def _read_plan(path: str) -> tuple[dict[str, Raw], tuple[Step, ...], bool]:
    """What a plan records: its request values (none for a CSV but its steps) and steps.

    And whether its medicine list was recorded as reviewed.
    """
    import json  # noqa: PLC0415

    from ldn_titrate.cli.plan import _read_text  # noqa: PLC0415 - one reader of files
    from ldn_titrate.errors import PlanFormatError, shown  # noqa: PLC0415
    from ldn_titrate.formats import csv_format, json_format  # noqa: PLC0415

    text = _read_text(path, "PLAN")
    try:
        if text.lstrip().startswith("{"):
            from ldn_titrate.loaders import load_json  # noqa: PLC0415
            from ldn_titrate.schemas import plan_shape_problems  # noqa: PLC0415

            data = load_json(text, path)
            problems = plan_shape_problems(data)
            if problems or not isinstance(data, dict):
                why = problems[0] if problems else "not a JSON object"
                fail([f"PLAN {shown(path)}: not a plan written by plan: {why}"], EXIT_INVALID)
            reviewed = data["request"].get("meds_reviewed") is True
            return _recorded(data), json_format.loads(text, path), reviewed
        steps = csv_format.loads(text, path)
    except json.JSONDecodeError as exc:
        fail([f"PLAN {shown(path)}: not JSON ({exc.msg}, line {exc.lineno})"], EXIT_INVALID)
    except PlanFormatError as exc:
        fail([f"PLAN {exc}"], EXIT_INVALID)
    if not steps:
        fail([f"PLAN {shown(path)}: has no steps"], EXIT_INVALID)
    return {"steps": _steps_text(steps), "from": steps[0].first_day.isoformat()}, steps, False


def _whole(text: str | None, option: str, low: int, high: int, problems: list[str]) -> int | None:
    from ldn_titrate.errors import InputError  # noqa: PLC0415

    if text is None:
        return None
    stripped = text.strip()
    # isdigit() alone takes '²' and other digits int() refuses; the bound comes before int().
    if (
        not (
            stripped.isascii()
            and stripped.isdigit()
            and len(stripped.lstrip("0")) <= len(str(high))
        )
        or not low <= int(stripped) <= high
    ):
        problems.append(
            str(InputError(option, text, f"must be a whole number of days from {low} to {high}"))
        )
        return None
    return int(stripped)


def _day(text: str | None, option: str, problems: list[str]) -> date | None:
    from ldn_titrate.bounded import LAST_DAY  # noqa: PLC0415
    from ldn_titrate.dates import NOT_SUPPORTED, NotADayError, iso_day  # noqa: PLC0415
    from ldn_titrate.errors import InputError  # noqa: PLC0415

    if text is None:
        return None
    try:
        return iso_day(text)
    except NotADayError as exc:
        wanted = (
            f"must be on or before {LAST_DAY.isoformat()}"
            if exc.reason == NOT_SUPPORTED
            else "write the day as YYYY-MM-DD"
        )
        problems.append(str(InputError(option, text, wanted)))
        return None


def _change(
    texts: dict[str, str | None], *, back_down: bool, problems: list[str]
) -> BackDown | Pause | None:
    """The change asked for: a back-down or a pause; a refused value adds its line."""
    from ldn_titrate.doses import parse_dose  # noqa: PLC0415
    from ldn_titrate.errors import InputError  # noqa: PLC0415
    from ldn_titrate.limits import (  # noqa: PLC0415
        HOLD_MAX_DAYS,
        PAUSE_CONTINUE_MAX_DAYS,
        PAUSE_STEP_DOWN_MAX_DAYS,
        PAUSE_THRESHOLD_MAX_DAYS,
    )
    from ldn_titrate.replan import BackDown, Pause  # noqa: PLC0415 - used at run time

    until = texts["pause_until"]
    if back_down == (until is not None):
        problems.append(
            "give one of --back-down and --pause-until, not both"
            if back_down
            else "give --back-down or --pause-until DATE"
        )
        return None
    if back_down:
        problems.extend(
            f"--{option.replace('_', '-')}: applies to --pause-until only"
            for option in ("continue_within", "step_down_within")
            if texts[option] is not None
        )
        hold = _whole(texts["hold"], "--hold", 1, HOLD_MAX_DAYS, problems)
        to = None
        if texts["to"] is not None:
            try:
                to = parse_dose(texts["to"], "--to")
            except InputError as exc:
                problems.append(str(exc))
        return BackDown(hold, to)
    problems.extend(
        f"--{option}: applies to --back-down only"
        for option in ("hold", "to")
        if texts[option] is not None
    )
    restart = _day(until, "--pause-until", problems)
    within = _whole(
        texts["continue_within"], "--continue-within", 0, PAUSE_THRESHOLD_MAX_DAYS, problems
    )
    lower = _whole(
        texts["step_down_within"], "--step-down-within", 0, PAUSE_THRESHOLD_MAX_DAYS, problems
    )
    within = PAUSE_CONTINUE_MAX_DAYS if within is None else within
    lower = PAUSE_STEP_DOWN_MAX_DAYS if lower is None else lower
    if lower < within:
        problems.append(
            f"--step-down-within: must be at least --continue-within ({within} days), got {lower}"
        )
    return None if restart is None else Pause(restart, within, lower)


def _screened(schedule: Schedule, name: str, *, reviewed: bool) -> Schedule:
    """The re-plan screened against the medicines as ``plan`` screens them, then announced."""
    from ldn_titrate.cli.plan import _screen_meds  # noqa: PLC0415
    from ldn_titrate.errors import visible  # noqa: PLC0415

    schedule = _screen_meds(schedule, name, reviewed=reviewed)
    record = schedule.replan
    assert record is not None  # noqa: S101 - a re-plan records its rule
    typer.echo(f"replan: {record.rule} ({record.source})", err=True)
    for notice in schedule.notices:
        if notice.field == "meds":
            typer.echo(visible(f"warning: {name}: {notice.message}"), err=True)
    return schedule


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
    form: FormOption = None,
    concentration: ConcentrationOption = None,
    graduation: GraduationOption = None,
    strengths: StrengthsOption = None,
    max_units: MaxUnitsOption = None,
    bud: BudOption = None,
    overage: OverageOption = None,
    time: TimeOption = None,
    label: LabelOption = None,
    output_format: PlanFormatOption = None,
    intent: IntentOption = None,
    remind: RemindOption = None,
    paper: PaperOption = None,
    prescriber: PrescriberOption = None,
    pharmacy: PharmacyOption = None,
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
    output: OutputOption = None,
    force: ForceOption = False,
    config: ConfigOption = None,
) -> None:
    """Re-plan a plan file after a side effect (back down, then retry) or a pause."""
    from dataclasses import replace  # noqa: PLC0415

    from ldn_titrate.cli.config import load_config  # noqa: PLC0415
    from ldn_titrate.cli.output import (  # noqa: PLC0415
        _terminal_problem,
        _terminal_problems,
        _text_problems,
        _write_options,
        choose_format,
        emit,
    )
    from ldn_titrate.cli.plan import _today  # noqa: PLC0415
    from ldn_titrate.errors import (  # noqa: PLC0415
        FormulationError,
        InputErrors,
        RequestError,
        shown,
        spell,
    )
    from ldn_titrate.replan import ReplanError  # noqa: PLC0415
    from ldn_titrate.replan import replan as replanned  # noqa: PLC0415
    from ldn_titrate.request import (  # noqa: PLC0415
        FIELDS,
        Layer,
        build_request,
        merge,
        option_name,
        options_layer,
        spelling,
    )

    problems: list[str] = []
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
    to_file = output is not None and output != "-"
    problems += _terminal_problem(fmt, to_file=to_file)
    problems += _terminal_problems(fmt, output)
    day = _day(on, "--on", problems)
    changes = {
        "hold": hold,
        "to": to,
        "pause_until": pause_until,
        "continue_within": continue_within,
        "step_down_within": step_down_within,
    }
    change = _change(changes, back_down=back_down, problems=problems)
    if problems or fmt is None or day is None or change is None:
        fail(problems, EXIT_INVALID)
    values, steps, was_reviewed = _read_plan(plan_file)
    formulation = {
        "form": form,
        "concentration": concentration,
        "graduation": graduation,
        "strengths": strengths,
        "max_units": max_units,
        "bud": bud,
        "overage": overage,
        "time": time,
        "label": label,
        "meds": meds,
    }
    # Lowest first: the config's defaults, what the plan recorded, then this command's options.
    found = load_config(config)
    recorded = Layer(values, {key: f"PLAN {shown(plan_file)}: {key}" for key in values})
    merged = merge([*([found.plan] if found else []), recorded, options_layer(formulation)])
    names = {field.key: field.option for field in FIELDS}
    names.update(merged.names)
    try:
        request = build_request(merged.values, names, today=_today())
    except InputErrors as exc:
        fail([str(e) for e in exc.errors], EXIT_INVALID)
    try:
        schedule = replanned(request, steps, day, change)
    except ReplanError as exc:
        fail([f"{option_name(exc.field)}: {spell(exc.message)}"], EXIT_INVALID)
    except FormulationError as exc:
        fail(list(exc.spelled(spelling(names), spelling(names, heading=True))), EXIT_INVALID)
    except RequestError as exc:
        # Steps read from the plan that break a limit of a plan (a file edited by hand).
        fail(
            [f"PLAN {shown(plan_file)}: {field}: {spell(m)}" for field, m in exc.problems],
            EXIT_INVALID,
        )
    # A list the plan recorded as reviewed stays reviewed; a new list is reviewed anew.
    schedule = _screened(
        schedule,
        names.get("meds", "--meds"),
        reviewed=meds_reviewed or (meds is None and was_reviewed),
    )
    # A calendar of the re-plan updates the original's events and cancels those it replaces.
    emit(schedule, fmt, replace(write_options, replaces=steps), output, force=force)
