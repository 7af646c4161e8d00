"""The command line: one module per command over ``cli.command``'s app, and the console script."""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import typer

from ldn_titrate.cli import command as frame
from ldn_titrate.cli.command import EXIT_FAILURE, VERSION_LINE

if TYPE_CHECKING:
    app: typer.Typer  # given by __getattr__ below, every command registered

__all__ = ["app", "main"]


def __getattr__(name: str) -> object:
    """``app``: the whole command line, every command registered on it."""
    if name == "app":
        frame.load_commands()
        return frame.app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def command_name(info: Any) -> str:  # noqa: ANN401 - typer's record of a registered command
    """The name a registered command is called by, as typer derives it."""
    return str(info.name or info.callback.__name__.lower().replace("_", "-"))


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app with only the command ``args`` name, or the whole app for anything else.

    typer builds every command's options before it runs one; a run of ``plan`` pays for
    ``check``, ``replan`` and the rest (a third of the CPU left above ``import typer``).
    The group's own help, its options, shell completion and an unknown command keep the
    whole app, so that everything listing the commands still lists them all.
    """
    name = args[0] if args else ""
    completing = any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ)
    # A command's module registers it as it is imported: the one named alone is imported.
    frame.load_commands(() if completing or name not in frame.COMMANDS else (name,))
    app = frame.app
    chosen = [info for info in app.registered_commands if command_name(info) == name]
    if completing or len(chosen) != 1:
        frame.load_commands()
        return app
    one = copy.copy(app)
    one.registered_commands = chosen
    return one


def main() -> None:
    """The console script: run the app; a closed, full or vanished stdout is one line, exit 1."""
    from ldn_titrate.cli.streams import (  # noqa: PLC0415
        StdoutError,
        guard_stderr,
        guard_stdout,
        silence_stdout,
        wrap_stderr,
    )

    guard_stderr()
    guard_stdout()
    wrap_stderr()
    try:
        try:
            if sys.argv[1:] == ["--version"]:
                # Nothing but the version is asked for: answer without building the command line.
                sys.stdout.write(VERSION_LINE + "\n")
            else:
                app_for(sys.argv[1:])()
        finally:
            sys.stdout.flush()  # here, so that a full disk is reported, not lost at exit
    except StdoutError as exc:
        silence_stdout()
        if not exc.quiet:
            sys.stderr.write(f"error: cannot write to standard output: {exc.reason}\n")
        sys.exit(EXIT_FAILURE)
    finally:
        sys.stderr.flush()
