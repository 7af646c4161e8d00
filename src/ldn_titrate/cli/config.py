"""The ``config`` command: the config file in use and where each default comes from."""

from pathlib import Path
from typing import Annotated

import typer

from ldn_titrate.cli.command import OptionsOnce, app, examples
from ldn_titrate.cli.options import ConfigOption


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
    from ldn_titrate.app import inputs  # noqa: PLC0415
    from ldn_titrate.errors import as_option, spell, visible  # noqa: PLC0415

    path, chosen_by = inputs.config_path(config)
    why = spell((chosen_by,), as_option)
    if init:
        inputs.write_example(path)
        typer.echo(f"wrote {visible(str(path))}", err=True)
        return
    found = inputs.load_config(config)
    # A path or a value from the file is shown, never acted on by the terminal.
    path = None if path is None else Path(visible(str(path)))
    if path is None:
        typer.echo(f"config file: none ({why} says none)")
    elif found is None:
        typer.echo(f"config file: none ({path} does not exist)")
    else:
        typer.echo(f"config file: {path} (from {why})")
    for line in inputs.defaults_in_force(found):
        typer.echo(visible(line))
