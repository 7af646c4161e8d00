"""The ``protocols`` command: list the protocol presets shipped with the tool."""

from ldn_titrate.cli.command import OptionsOnce, app, examples


@app.command(
    cls=OptionsOnce,
    short_help="List the protocol presets and their sources.",
    epilog=examples(
        "ldn-titrate protocols",
        "ldn-titrate plan --protocol ldn-trust-weekly --from monday",
    ),
)
def protocols() -> None:
    """List the protocol presets for 'plan --protocol NAME', each with its source."""
    from ldn_titrate.presets import rows  # noqa: PLC0415
    from ldn_titrate.render import presets_layout  # noqa: PLC0415
    from ldn_titrate.render.console import output_console, print_parts  # noqa: PLC0415

    console = output_console()
    print_parts(console, presets_layout(rows(), console.width))
