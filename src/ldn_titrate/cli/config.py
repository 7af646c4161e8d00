"""The ``config`` command and the one place the config file is found and read."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ldn_titrate.cli import EXIT_FAILURE, EXIT_INVALID, OptionsOnce, app, examples, fail
from ldn_titrate.cli.options import ConfigOption

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ldn_titrate.check import CheckOptions
    from ldn_titrate.request_files import Config

ENV: str = "LDN_TITRATE_CONFIG"
NONE: str = "none"

EXAMPLE = """\
# ldn-titrate config: a pharmacy's defaults. The layers are preset < config < request file <
# command line: a value here replaces a preset's, and a request file or an option replaces it.
# It never sets a dose, a step, an interval or a weight. Remove the '#' before a line to use it.

# The formulation most plans are made in: liquid or capsule. The keys of the other form are
# used only for a plan of that form.
# form = "liquid"

# Liquid: the strength, and the smallest mark of the oral syringe supplied.
# concentration = "1 mg/mL"
# graduation = "0.1 mL"
# overage = "5%"

# Capsules: the strengths in stock, and the most capsules in one dose.
# strengths = ["1.5 mg", "0.5 mg"]
# max_units = 4

# Beyond-use days of the preparation: no fill may last longer.
# bud = 30

[check]
# Warn about a larger change of dose, or a dose held fewer days.
# max_step = "1.5 mg"
# min_interval = 3
# The syringe mark to check volumes against when a plan records none.
# graduation = "0.1 mL"

# A vendor's column headers, each under this tool's CSV column name (as check --column).
# columns = { dose_mg = "Gabe", start_date = "Tag von" }
"""


def config_path(option: str | None) -> tuple[Path | None, str]:
    """The config file to use and what chose it: the option, the variable or the default."""
    if option is not None:
        chosen, why = option, "--config"
    elif (variable := os.environ.get(ENV)) is not None:
        chosen, why = variable, ENV
    else:
        return Path(typer.get_app_dir("ldn-titrate")) / "config.toml", "the default location"
    if chosen.strip().lower() == NONE:
        return None, why
    return Path(chosen), why


def load_config(option: str | None) -> Config | None:
    """Read the config file in use; None when there is none (the default may be absent)."""
    path, why = config_path(option)
    if path is None:
        return None
    if why == "the default location" and not path.is_file():
        return None
    from ldn_titrate.cli.plan import _read_text  # noqa: PLC0415 - one bounded reader of files

    text = _read_text(str(path), why, "a config file")
    from ldn_titrate.request_files import ConfigError, read_config  # noqa: PLC0415

    try:
        return read_config(text, str(path))
    except ConfigError as exc:
        fail(exc.lines, EXIT_INVALID)


def config_columns(
    options: CheckOptions, pairs: Sequence[tuple[str, str]], source: str
) -> CheckOptions:
    """The options with the config's ``[check.columns]``; a header given as --column wins."""
    from dataclasses import replace  # noqa: PLC0415

    from ldn_titrate.check import column_names  # noqa: PLC0415
    from ldn_titrate.errors import InputError  # noqa: PLC0415

    try:
        configured = column_names(pairs, f"{source}: check.columns")
    except InputError as exc:
        fail([str(exc)], EXIT_INVALID)
    return replace(options, columns=(*options.columns, *configured))


def _init(path: Path | None) -> None:
    from ldn_titrate.files import OutputError, OutputExistsError, write_output  # noqa: PLC0415

    if path is None:
        fail(["--init: no config file is in use ('none'); give --config PATH"], EXIT_INVALID)
    from ldn_titrate.errors import shown  # noqa: PLC0415

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_output(path, EXAMPLE, force=False)
    except OutputExistsError:
        fail([f"--init: {shown(str(path))} exists; it is left as it is"], EXIT_FAILURE)
    except (OutputError, OSError) as exc:
        fail([f"--init: cannot write {shown(str(path))} ({exc.strerror})"], EXIT_FAILURE)
    typer.echo(f"wrote {path}", err=True)


@app.command(
    "config",
    cls=OptionsOnce,
    short_help="Show the config file in use and where each default comes from.",
    epilog=examples(
        "ldn-titrate config",
        "ldn-titrate config --config examples/config/pharmacy-liquid.toml",
        "ldn-titrate config --init",
    ),
)
def config_command(
    config: ConfigOption = None,
    init: Annotated[
        bool, typer.Option("--init", help="Write a commented example file (never over one).")
    ] = False,
) -> None:
    """Show the config file in use and each default with where it comes from."""
    path, why = config_path(config)
    if init:
        _init(path)
        return
    from ldn_titrate.doses import format_mg, format_ml  # noqa: PLC0415
    from ldn_titrate.limits import (  # noqa: PLC0415
        DEFAULT_GRADUATION_ML,
        DEFAULT_MAX_UNITS,
        FAST_INTERVAL_BELOW_DAYS,
        LARGE_STEP_ABOVE_MG,
    )
    from ldn_titrate.request import Raw  # noqa: PLC0415
    from ldn_titrate.request_files import CHECK_KEYS, CONFIG_KEYS  # noqa: PLC0415

    found = load_config(config)
    if path is None:
        typer.echo(f"config file: none ({why} says none)")
    elif found is None:
        typer.echo(f"config file: none ({path} does not exist)")
    else:
        typer.echo(f"config file: {path} (from {why})")
    built_in: dict[str, str] = {
        "graduation": format_ml(DEFAULT_GRADUATION_ML),
        "max_units": str(DEFAULT_MAX_UNITS),
        "overage": "0%",
        "check.max_step": format_mg(LARGE_STEP_ABOVE_MG),
        "check.min_interval": f"{FAST_INTERVAL_BELOW_DAYS} days",
    }
    given: dict[str, Raw] = {}
    if found is not None:
        given.update(found.plan.values)
        given.update({f"check.{key}": value for key, value in found.check.items()})
    for key in (*CONFIG_KEYS, *(f"check.{k}" for k in CHECK_KEYS)):
        if key in given:
            value = given[key]
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            typer.echo(f"{key} = {shown}  ({found.source if found else ''})")
        elif key in built_in:
            typer.echo(f"{key} = {built_in[key]}  (built in)")
        else:
            typer.echo(f"{key}: not set")
