"""The ``replan`` workflow: a plan file -> its request values and steps -> a re-plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ldn_titrate.app.inputs import Line, Refused, load_config, read_text, refusal
from ldn_titrate.app.plan import named, screen_meds, today
from ldn_titrate.errors import (
    FormulationError,
    InputError,
    InputErrors,
    PlanFormatError,
    RequestError,
    Setting,
    shown,
)
from ldn_titrate.request import Layer, build_request, merge, options_layer, spelling
from ldn_titrate.settings.plan import KEY_OF_JSON, OPTION_NAMES

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from ldn_titrate.errors import Phrase
    from ldn_titrate.model import Schedule, Step
    from ldn_titrate.replan import BackDown, Pause
    from ldn_titrate.request import Raw

# The JSON request names a few values by their model attribute; the request file by its key.
_JSON_KEYS = KEY_OF_JSON  # a JSON plan names each value by its json_key
# Recorded for the reader, or replaced by the steps: not part of the request to rebuild.
_NOT_REBUILT = frozenset(
    {"target_from_weight", "meds_reviewed", "preset", "overrides", "replan", "weight_kg"}
)
_LADDER = frozenset({"start", "target", "step", "every"})


class Replanned(NamedTuple):
    """The re-plan, the steps of the plan it replaces, and its warnings (``name: message``)."""

    schedule: Schedule
    replaces: tuple[Step, ...]
    warnings: list[Line]


def _split(recorded: Mapping[object, object]) -> bool:
    """Whether a recorded request takes its doses in the morning and at bedtime."""
    steps = recorded.get("steps")
    listed = steps if isinstance(steps, list) else [steps]
    return recorded.get("split") is True or any("+" in str(step) for step in listed if step)


def _recorded(data: Mapping[str, object]) -> dict[str, Raw]:
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


def read_plan(path: str) -> tuple[dict[str, Raw], tuple[Step, ...], bool]:
    """What a plan records: its request values (none for a CSV but its steps) and steps.

    And whether its medicine list was recorded as reviewed.
    """
    import json  # noqa: PLC0415

    from ldn_titrate.formats import csv_format, json_format  # noqa: PLC0415

    text = read_text(path, "PLAN")
    try:
        if text.lstrip().startswith("{"):
            from ldn_titrate.loaders import load_json  # noqa: PLC0415
            from ldn_titrate.shapes import plan_shape_problems  # noqa: PLC0415

            data = load_json(text, path)
            problems = plan_shape_problems(data)
            if problems or not isinstance(data, dict):
                why = problems[0] if problems else "not a JSON object"
                raise Refused([f"PLAN {shown(path)}: not a plan written by plan: {why}"])
            reviewed = data["request"].get("meds_reviewed") is True
            return _recorded(data), json_format.loads(text, path), reviewed
        steps = csv_format.loads(text, path)
    except json.JSONDecodeError as exc:
        raise Refused([f"PLAN {shown(path)}: not JSON ({exc.msg}, line {exc.lineno})"]) from None
    except PlanFormatError as exc:
        raise Refused([f"PLAN {exc}"]) from None
    if not steps:
        raise Refused([f"PLAN {shown(path)}: has no steps"])
    return {"steps": _steps_text(steps), "from": steps[0].first_day.isoformat()}, steps, False


def _whole(text: str | None, key: str, high: int, problems: list[Line]) -> int | None:
    """A whole number of days from 0 (1 for ``hold``) to ``high``; a refusal adds its line."""
    if text is None:
        return None
    low = 1 if key == "hold" else 0
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
        allowed = f"must be a whole number of days from {low} to {high}"
        problems.append(refusal(key, text, allowed))
        return None
    return int(stripped)


def day(text: str | None, key: str, problems: list[Line]) -> date | None:
    """A day written YYYY-MM-DD; a refusal adds its line."""
    from ldn_titrate.bounded import LAST_DAY  # noqa: PLC0415
    from ldn_titrate.dates import NOT_SUPPORTED, NotADayError, iso_day  # noqa: PLC0415

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
        problems.append(refusal(key, text, wanted))
        return None


def change(
    texts: Mapping[str, str | None], *, back_down: bool, problems: list[Line]
) -> BackDown | Pause | None:
    """The change asked for: a back-down or a pause; a refused value adds its line."""
    from ldn_titrate.doses import parse_dose  # noqa: PLC0415
    from ldn_titrate.limits import (  # noqa: PLC0415
        HOLD_MAX_DAYS,
        PAUSE_CONTINUE_MAX_DAYS,
        PAUSE_STEP_DOWN_MAX_DAYS,
        PAUSE_THRESHOLD_MAX_DAYS,
    )
    from ldn_titrate.replan import BackDown, Pause  # noqa: PLC0415 - used at run time

    until = texts["pause_until"]
    down, pause = Setting("back_down", ""), Setting("pause_until", "")
    if back_down == (until is not None):
        problems.append(
            ("give one of ", down, " and ", pause, ", not both")
            if back_down
            else ("give ", down, " or ", pause._replace(value="DATE"))
        )
        return None
    if back_down:
        problems.extend(
            (Setting(key, ""), ": applies to ", pause, " only")
            for key in ("continue_within", "step_down_within")
            if texts[key] is not None
        )
        hold = _whole(texts["hold"], "hold", HOLD_MAX_DAYS, problems)
        to = None
        if texts["to"] is not None:
            try:
                to = parse_dose(texts["to"], "to")
            except InputError as exc:
                problems.append(refusal("to", exc.value, exc.words))
        return BackDown(hold, to)
    problems.extend(
        (Setting(key, ""), ": applies to ", down, " only")
        for key in ("hold", "to")
        if texts[key] is not None
    )
    restart = day(until, "pause_until", problems)
    within = _whole(texts["continue_within"], "continue_within", PAUSE_THRESHOLD_MAX_DAYS, problems)
    lower = _whole(
        texts["step_down_within"], "step_down_within", PAUSE_THRESHOLD_MAX_DAYS, problems
    )
    within = PAUSE_CONTINUE_MAX_DAYS if within is None else within
    lower = PAUSE_STEP_DOWN_MAX_DAYS if lower is None else lower
    if lower < within:
        lowest = (Setting("continue_within", ""), f" ({within} days), got {lower}")
        problems.append((Setting("step_down_within", ""), ": must be at least ", *lowest))
    return None if restart is None else Pause(restart, within, lower)


def replan(  # noqa: PLR0913 - the plan, the change and the command's own values
    plan_file: str,
    on: date,
    how: BackDown | Pause,
    options: Mapping[str, str | None],
    config: str | None,
    *,
    reviewed: bool,
) -> Replanned:
    """The plan file re-planned from ``on``, with the formulation ``options`` given.

    Lowest first: the config's defaults, what the plan recorded, then the options. A medicine
    list the plan recorded as reviewed stays reviewed; a new list is reviewed anew.
    """
    from ldn_titrate.replan import ReplanError  # noqa: PLC0415
    from ldn_titrate.replan import replan as replanned  # noqa: PLC0415

    values, steps, was_reviewed = read_plan(plan_file)
    found = load_config(config)
    recorded = Layer(values, {key: f"PLAN {shown(plan_file)}: {key}" for key in values})
    merged = merge([*([found.plan] if found else []), recorded, options_layer(options)])
    names = dict(OPTION_NAMES)
    names.update(merged.names)
    try:
        request = build_request(merged.values, names, today=today())
    except InputErrors as exc:
        raise Refused(str(e) for e in exc.errors) from None
    try:
        schedule = replanned(request, steps, on, how)
    except ReplanError as exc:
        raise Refused([(Setting(exc.field, ""), ": ", *_words(exc.message))]) from None
    except FormulationError as exc:
        raise Refused(exc.spelled(spelling(names), spelling(names, heading=True))) from None
    except RequestError as exc:
        # Steps read from the plan that break a limit of a plan (a file edited by hand).
        raise Refused(
            (f"PLAN {shown(plan_file)}: {field}: ", *_words(m)) for field, m in exc.problems
        ) from None
    name = named(names, "meds")
    reviewed = reviewed or (options.get("meds") is None and was_reviewed)
    schedule = screen_meds(schedule, name, reviewed=reviewed)
    warnings: list[Line] = [
        (name, f": {notice.message}") for notice in schedule.notices if notice.field == "meds"
    ]
    return Replanned(schedule, steps, warnings)


def _words(message: str | Phrase) -> Phrase:
    """A message as words, its settings kept by key."""
    return (message,) if isinstance(message, str) else message
