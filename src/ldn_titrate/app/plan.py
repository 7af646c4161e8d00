"""The ``plan`` workflow: layers of values -> request -> schedule -> medicine screen -> warnings."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from ldn_titrate.app.inputs import (
    STDIN,
    TODAY_VARIABLE,
    Line,
    Refused,
    load_config,
    read_text,
    refusal,
)
from ldn_titrate.app.writer_options import ID_PARSERS, write_options
from ldn_titrate.errors import (
    FormulationError,
    InputError,
    InputErrors,
    PlanFormatError,
    Setting,
    shown,
)
from ldn_titrate.request import (
    build_request,
    file_layer,
    merge,
    options_layer,
    overridden,
    sig_names,
    spelling,
)
from ldn_titrate.settings.plan import WRITE_KEYS

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ldn_titrate.formats import Format, WriteOptions
    from ldn_titrate.model import Schedule, TitrationRequest
    from ldn_titrate.request import Layer

# Day 1 this far from today is more likely a typing slip in the year than a plan.
PAST_DAYS_WARNED = 90
AHEAD_DAYS_WARNED = 365


class Asked(NamedTuple):
    """A request built from every layer, how each value is named, and the preset line."""

    request: TitrationRequest
    names: dict[str, str]
    today: date
    preset: str | None
    """``preset: NAME; overridden: ...`` when a preset was used, for stderr."""
    writes: Mapping[str, tuple[str, str]] = MappingProxyType({})
    """The writer's options the request file gave, by key: (the text, how to name it)."""


def today() -> date:
    """Today, or the day LDN_TITRATE_TODAY names, so that examples and tests never age."""
    text = os.environ.get(TODAY_VARIABLE)
    if text is None:
        return date.today()  # noqa: DTZ011 - the user's own calendar day
    from ldn_titrate.dates import NOT_SUPPORTED, NotADayError, iso_day  # noqa: PLC0415

    try:
        return iso_day(text)
    except NotADayError as exc:
        from ldn_titrate.bounded import LAST_DAY  # noqa: PLC0415

        wanted = (
            f"must be on or before {LAST_DAY.isoformat()}"
            if exc.reason == NOT_SUPPORTED
            else "write YYYY-MM-DD"
        )
        raise Refused([f"{TODAY_VARIABLE}: {wanted}, got {shown(text)}"]) from None


def far_from_today(first_day: date, on: date) -> str | None:
    """A warning for a day 1 far in the past or ahead, or None."""
    days = (first_day - on).days
    if days < -PAST_DAYS_WARNED:
        return f"{first_day.isoformat()} is {-days} days ago; is this the right year?"
    if days > AHEAD_DAYS_WARNED:
        return f"{first_day.isoformat()} is {days} days ahead; is this the right year?"
    return None


def gather(
    request_file: str | None,
    options: Mapping[str, str | None],
    protocol: str | None,
    config: str | None,
) -> tuple[Layer, tuple[str, ...]]:
    """The raw request values by key and how to name each one, and the preset values replaced.

    Lowest first: the preset, the config file, the request file, then the options.
    """
    layers = []
    found = load_config(config)
    if found is not None:
        layers.append(found.plan)
    if request_file is not None:
        source = "<stdin>" if request_file == STDIN else request_file
        from ldn_titrate.request_files import read_request_file  # noqa: PLC0415

        try:
            from_file = read_request_file(read_text(request_file, "REQUEST"), source)
        except PlanFormatError as exc:
            raise Refused([str(exc)]) from None
        layers.append(file_layer(from_file, source))
    layers.append(options_layer(options))
    if protocol is None:
        return merge(layers), ()
    from ldn_titrate.presets import UnknownPresetError, load, preset_layer  # noqa: PLC0415

    try:
        preset = preset_layer(load(protocol))
    except UnknownPresetError as exc:
        raise Refused([str(exc)]) from None
    return merge([preset, *layers]), overridden(preset, layers)


def ask(
    request_file: str | None,
    options: Mapping[str, str | None],
    protocol: str | None,
    config: str | None,
    problems: Sequence[Line] = (),
) -> Asked:
    """The request the layers make; a refusal carries ``problems`` found before it first."""
    merged, overrides = gather(request_file, options, protocol, config)
    values = {k: v for k, v in merged.values.items() if k not in WRITE_KEYS}
    writes = {
        k: (str(v), merged.names.get(k, k)) for k, v in merged.values.items() if k in WRITE_KEYS
    }
    # Warnings about the steps that directions gave name the directions.
    names = sig_names(merged.names)
    on = today()
    try:
        request = build_request(values, names, today=on)
    except InputErrors as exc:
        raise Refused([*problems, *(str(e) for e in exc.errors)]) from None
    if protocol is None:
        return Asked(request, names, on, None, writes)
    request = replace(request, preset=protocol.strip().lower(), overrides=overrides)
    replaced = f"; overridden: {', '.join(overrides)}" if overrides else ""
    return Asked(request, names, on, f"preset: {request.preset}{replaced}", writes)


def with_file_options(
    fmt: Format | None, options: WriteOptions, asked: Asked, problems: list[Line]
) -> WriteOptions:
    """The writer's options a request file gave, below those typed.

    A format that takes none leaves them unused: a request file is the patient's for every
    format.
    """
    from ldn_titrate.formats import OPTIONS  # noqa: PLC0415

    taken = OPTIONS.get(fmt, ()) if fmt is not None else ()
    for key, (text, name) in asked.writes.items():
        if key not in taken or getattr(options, key) is not None:
            continue
        try:
            value: Any = ID_PARSERS[key](text, name)
            options = replace(options, **{key: value})
        except InputError as exc:
            problems.append(str(exc))
    return options


def named(names: Mapping[str, str], key: str) -> str | Setting:
    """A value as the user named it (an option, a file's key), else its key to spell."""
    return names.get(key) or Setting(key, "")


def draft(asked: Asked, *, reviewed: bool) -> tuple[Schedule, list[Line]]:
    """The schedule, screened against the medicines, and its warnings (``name: message``)."""
    from ldn_titrate.rules import build_schedule  # noqa: PLC0415

    names = asked.names
    try:
        schedule = build_schedule(asked.request)
    except FormulationError as exc:
        raise Refused(exc.spelled(spelling(names), spelling(names, heading=True))) from None
    schedule = screen_meds(schedule, named(names, "meds"), reviewed=reviewed)
    warnings: list[Line] = [
        (named(names, notice.field), f": {notice.message}") for notice in schedule.notices
    ]
    far = far_from_today(asked.request.first_day, asked.today)
    if far is not None:
        warnings.append((named(names, "from"), f": {far}"))
    return schedule, warnings


def screen_meds(schedule: Schedule, name: str | Setting, *, reviewed: bool) -> Schedule:
    """Refuse a plan beside an opioid or a second naltrexone, or, once reviewed, warn.

    Another opioid antagonist or loperamide is a warning whether reviewed or not. The screen is
    the checker's own (``check`` may not be imported by ``rules``); what it finds after review
    is kept as warnings of the schedule, so the JSON records it.
    """
    if schedule.request.meds is None:
        return schedule
    from ldn_titrate.check.meds import screen  # noqa: PLC0415
    from ldn_titrate.model import Notice  # noqa: PLC0415

    hits = screen(schedule.request.meds)
    refused = [hit for hit in hits if hit.code.severity == "error"]
    if refused and not reviewed:
        raise Refused((name, f": {hit.message}") for hit in refused)
    request = replace(schedule.request, meds_reviewed=reviewed)
    notices = tuple(Notice(hit.code, "meds", hit.message) for hit in hits)
    return schedule._replace(request=request, notices=(*schedule.notices, *notices))


def output_choice(
    output_format: str | None,
    output: str | None,
    texts: Mapping[str, str | None],
) -> tuple[Format | None, WriteOptions, list[Line], list[Line]]:
    """The format, what its writer is told, the refusals and the warnings of the output options.

    The format asked for, else the one the output file's name ends in, else the table; a
    format that contradicts the file name is refused; an unknown ending keeps the table with a
    warning. ``texts`` holds the writer's options by key. Whether the output may go to a
    terminal is the face's to say: this layer knows none.
    """
    from ldn_titrate.formats import Format, formats_named_by  # noqa: PLC0415
    from ldn_titrate.model import text_problem  # noqa: PLC0415

    name, to = Setting("format", ""), Setting("output", shown(output or ""))
    problems: list[Line] = []
    warnings: list[Line] = []
    named = () if output is None or output in {"", STDIN} else formats_named_by(output)
    fmt: Format | None = named[0] if named else Format.TABLE
    if output_format is not None:
        try:
            fmt = Format(output_format.strip().lower())
        except ValueError:
            allowed = ", ".join(f.value for f in Format)
            problems.append((name, f": must be one of {allowed}, got {shown(output_format)}"))
            fmt = None
        if fmt is not None and named and fmt not in named:
            contradicts = (Setting("format", fmt), ": contradicts ", to)
            leave = (f", a {named[0]} file name; leave ", name, " out or change the name")
            problems.append((*contradicts, *leave))
    elif named is None:
        unknown = ": the name ends in no known format; writing the table ("
        warnings.append((to, unknown, name, " chooses another)"))
    # An empty output path is bad input, like any other refused option value.
    problems += [(to, ": is an empty path")] if output == "" else []
    for key in ("prescriber", "pharmacy"):
        value = texts[key]
        if value is not None and (wrong := text_problem(value)) is not None:
            problems.append(refusal(key, value, wrong))
    options = write_options(fmt, texts, problems)
    return fmt, options, problems, warnings


def written(
    schedule: Schedule, fmt: Format, options: WriteOptions
) -> tuple[str | bytes, list[Line]]:
    """The plan in a written format (not the drawn table), and the warnings about it."""
    from ldn_titrate.formats import Format, writer_of  # noqa: PLC0415

    warnings: list[Line] = []
    if fmt is Format.ICS and options.remind:
        from ldn_titrate.formats.ics_format import reminder_problems  # noqa: PLC0415

        refused, said = reminder_problems(schedule, options.remind, Setting("remind", ""))
        warnings += said
        if refused:
            raise Refused(refused)
    data = writer_of(fmt)(schedule, options)
    if fmt is Format.SIG:
        from ldn_titrate.formats.sig_format import SIG_FIELD_CHARS  # noqa: PLC0415

        length = len(str(data).rstrip("\n"))
        if length > SIG_FIELD_CHARS:
            warnings.append(
                (
                    Setting("format", fmt),
                    (
                        f": the directions are {length} characters, "
                        f"{length - SIG_FIELD_CHARS} more than the {SIG_FIELD_CHARS} an "
                        "e-prescription's directions field often holds"
                    ),
                )
            )
    return data, warnings
