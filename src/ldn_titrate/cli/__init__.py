"""The command line: the app, its one exit path and the version; one module per command."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from ldn_titrate.version import __version__

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

# Exit codes are part of the interface (README, "Exit codes").
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INVALID = 2


class OptionsOnce(TyperCommand):
    """A command that refuses an option given twice, instead of letting the last one win."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # noqa: ANN401 - click's own signature
        """Refuse a repeated option before the arguments are parsed."""
        single = {
            name: param.opts[-1] if param.opts[-1].startswith("--") else param.opts[0]
            for param in self.params
            if param.param_type_name == "option"
            and not getattr(param, "is_flag", False)
            and not getattr(param, "multiple", False)
            for name in param.opts
        }
        from ldn_titrate.errors import shown  # noqa: PLC0415

        seen: dict[str, list[str]] = {}
        for index, word in enumerate(args):
            if word == "--":
                break
            name, equals, value = word.partition("=")
            option = single.get(name)
            if option is None:
                continue
            if not equals:
                value = args[index + 1] if index + 1 < len(args) else ""
            seen.setdefault(option, []).append(value)
        repeated = [
            f"{option}: give it once, got {', '.join(shown(v) for v in values)}"
            for option, values in seen.items()
            if len(values) > 1
        ]
        if repeated:
            fail(repeated, EXIT_INVALID)
        with _one_line_usage_errors(ctx):
            return super().parse_args(ctx, args)

    def format_options(self, ctx: Any, formatter: Any) -> None:  # noqa: ANN401 - click's own
        """Arguments by their name alone (never a type such as ``<str>``), then the options."""
        params = [p for p in self.get_params(ctx) if not getattr(p, "hidden", False)]
        arguments = [
            (p.metavar + ("..." if p.nargs != 1 else ""), getattr(p, "help", None) or "")
            for p in params
            if p.param_type_name == "argument" and p.metavar
        ]
        options = [
            record
            for p in params
            if p.param_type_name == "option" and (record := p.get_help_record(ctx)) is not None
        ]
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:  # noqa: ANN401, ARG002 - click's own
        """The examples, each on its own line as written."""
        if self.epilog:
            with formatter.section("Examples"):
                for line in self.epilog.splitlines():
                    formatter.write(f"  {line}\n")


def examples(*lines: str) -> str:
    """A command's examples, shown at the end of its help."""
    return "\n".join(lines)


class OneLineGroup(TyperGroup):
    """The command group: a usage error (an unknown command or option) is one line too."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # noqa: ANN401 - click's own signature
        """Parse the group's own options."""
        with _one_line_usage_errors(ctx):
            return super().parse_args(ctx, args)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:  # noqa: ANN401 - click's own signature
        """Find the command, or refuse an unknown one in one line."""
        with _one_line_usage_errors(ctx):
            return super().resolve_command(ctx, args)


# typer's own click raises this for every usage error; it is not exported under its name.
_USAGE_ERROR: type[Exception] = typer.BadParameter.__mro__[1]


@contextmanager
def _one_line_usage_errors(ctx: Any) -> Iterator[None]:  # noqa: ANN401 - a click context
    """Turn a usage error into one line on stderr and exit 2 (help asked for stays help)."""
    try:
        yield
    except _USAGE_ERROR as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            raise
        format_message = getattr(exc, "format_message", None)
        message = format_message() if callable(format_message) else str(exc)
        fail([f"{message.rstrip('.')}; see '{ctx.command_path} --help'"], EXIT_INVALID)


app = typer.Typer(
    cls=OneLineGroup,
    name="ldn-titrate",
    help="Draft and check low-dose naltrexone (LDN) titration schedules.",
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def fail(lines: list[str], code: int) -> NoReturn:
    """Leave by the one exit for errors: each line on stderr, then the exit code."""
    from ldn_titrate.errors import visible  # noqa: PLC0415

    for line in lines:
        # Lines quote what the user or a file gave: nothing in them may act on the terminal.
        typer.echo(f"error: {visible(line)}", err=True)
    raise typer.Exit(code)


VERSION_LINE = f"ldn-titrate {__version__}"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(VERSION_LINE)
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_show_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Draft and check low-dose naltrexone (LDN) titration schedules."""


def main() -> None:
    """The console script: run the app; a closed, full or vanished stdout is one line, exit 1."""
    from ldn_titrate.cli.streams import StdoutError, guard_stdout, silence_stdout  # noqa: PLC0415

    guard_stdout()
    try:
        try:
            if sys.argv[1:] == ["--version"]:
                # Nothing but the version is asked for: answer without building the command line.
                sys.stdout.write(VERSION_LINE + "\n")
            else:
                app()
        finally:
            sys.stdout.flush()  # here, so that a full disk is reported, not lost at exit
    except StdoutError as exc:
        silence_stdout()
        if not exc.quiet:
            sys.stderr.write(f"error: cannot write to standard output: {exc.reason}\n")
        sys.exit(EXIT_FAILURE)


# Below this many columns (COLUMNS=0 included) the layout is plain lines, printed whole.
MIN_WIDTH = 20


def print_parts(console: Console, parts: Sequence[Table | str]) -> None:
    """Print a layout from render: tables as drawn, plain lines as literal text."""
    if console.width < MIN_WIDTH:
        # A width this small prints nothing at all; the terminal wraps the plain lines instead.
        console.width = 10_000
    for part in parts:
        if isinstance(part, str):
            console.print(part, markup=False, highlight=False, emoji=False)
        else:
            console.print(part)


# The commands register themselves on ``app``; imported last, as they use the names above.
from ldn_titrate.cli import check, config, plan, protocols, schema  # noqa: E402

__all__ = [
    "EXIT_FAILURE",
    "EXIT_INVALID",
    "EXIT_OK",
    "app",
    "check",
    "config",
    "fail",
    "main",
    "plan",
    "protocols",
    "schema",
]
