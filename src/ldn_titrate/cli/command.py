"""The command line's frame: the app, its commands' class, the one exit path and the version.

Every command module registers itself here as it is imported. No module of the command line
postpones its annotations: typer reads each command's annotations when it builds the command,
and a string there would be compiled anew at every start where a value is only looked up.
"""

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from ldn_titrate.version import __version__

if TYPE_CHECKING:
    from ldn_titrate.errors import Phrase

# Exit codes are part of the interface (README, "Exit codes").
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INVALID = 2


class OptionsOnce(TyperCommand):
    """A command that refuses an option given twice, instead of letting the last one win."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # noqa: ANN401 - click's own signature
        """Refuse a repeated option, a forgotten value or another command's option, then parse."""
        options = [p for p in self.params if p.param_type_name == "option"]
        valued = {name: p for p in options if not getattr(p, "is_flag", False) for name in p.opts}
        known = {name for p in options for name in (*p.opts, *p.secondary_opts)}
        known.update(ctx.help_option_names)
        from ldn_titrate.errors import shown  # noqa: PLC0415

        seen: dict[str, list[str]] = {}
        problems: list[str] = []
        words = iter(enumerate(args))
        for index, word in words:
            if word == "--":
                break
            name, value = _option_word(word, valued)
            param = valued.get(name)
            if param is None:
                problems += self._unknown(ctx, name, known)
                continue
            if value is None:
                value = args[index + 1] if index + 1 < len(args) else ""
                if _looks_like_option(value, known):
                    fail([f"{name}: needs a value, got the option {shown(value)}"], EXIT_INVALID)
                next(words, None)  # the value is not an option, whatever it looks like
            if not getattr(param, "multiple", False):
                seen.setdefault(_long_name(param), []).append(value)
        problems += [
            f"{option}: give it once, got {', '.join(shown(v) for v in values)}"
            for option, values in seen.items()
            if len(values) > 1
        ]
        if problems:
            fail(problems, EXIT_INVALID)
        with _one_line_usage_errors(ctx):
            return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:  # noqa: ANN401 - click's own signature
        """Run the command; an error of the tool's own family leaves by the one exit (code 2)."""
        from ldn_titrate.app.inputs import Refused  # noqa: PLC0415
        from ldn_titrate.errors import InputErrors, LdnTitrateError  # noqa: PLC0415

        try:
            return super().invoke(ctx)
        except InputErrors as exc:
            fail([str(error) for error in exc.errors], EXIT_INVALID)
        except Refused as exc:
            # Its lines name settings by key: spelled here as options (``fail``).
            fail(exc.phrases, EXIT_FAILURE if exc.failure else EXIT_INVALID)
        except LdnTitrateError as exc:
            # A refusal of several lines keeps them (``lines``); any other error is one line.
            code = EXIT_FAILURE if getattr(exc, "failure", False) else EXIT_INVALID
            fail(list(getattr(exc, "lines", None) or [str(exc)]), code)

    def _unknown(self, ctx: Any, name: str, known: set[str]) -> list[str]:  # noqa: ANN401 - a click context
        """An option of another command given to this one, said so (others are click's)."""
        if not name.startswith("--") or name in known or ctx.parent is None:
            return []
        # The console script builds only the command it runs (see ``app_for``): the others are
        # built here, on this error's path alone, to say whose option this is.
        load_commands()
        commands = getattr(typer.main.get_command(app), "commands", {})
        owners = [
            command
            for command, other in commands.items()
            if other is not self
            and any(name in (*p.opts, *p.secondary_opts) for p in other.params if p.opts)
        ]
        if not owners:
            return []
        return [f"{name}: is an option of {' and '.join(owners)}, not of {self.name}"]

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


def _option_word(word: str, valued: dict[str, Any]) -> tuple[str, str | None]:
    """The option a word names and its attached value (None when the value is the next word).

    ``--output=a``, ``-oa`` and ``-o=a`` carry their value (click reads the last as ``=a``);
    a word that is no option gives its own text and an empty value.
    """
    if word.startswith("--"):
        name, equals, value = word.partition("=")
        return name, value if equals else None
    short = word[:2]
    if word.startswith("-") and short in valued and len(short) == 2:
        return short, word[2:] or None
    return word, ""


def _looks_like_option(word: str, known: set[str]) -> bool:
    """Whether a word given as a value is more likely an option whose value was forgotten."""
    return word.partition("=")[0] in known or re.match(r"--[a-z]", word) is not None


def _long_name(param: Any) -> str:  # noqa: ANN401 - a click option
    """An option's long name, ``--output`` rather than ``-o``."""
    names: list[str] = param.opts
    return next((name for name in names if name.startswith("--")), names[0])


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


def fail(lines: Sequence["str | Phrase"], code: int) -> NoReturn:
    """Leave by the one exit for errors: each line on stderr, then the exit code.

    A line's settings, named by key below the command line, are spelled as options here.
    """
    from ldn_titrate.errors import as_option, spell, visible  # noqa: PLC0415

    for line in lines:
        # Lines quote what the user or a file gave: nothing in them may act on the terminal.
        typer.echo(f"error: {visible(spell(line, as_option))}", err=True)
    raise typer.Exit(code)


VERSION_LINE = f"ldn-titrate {__version__}"


# The command modules, in the order the help lists their commands; each registers its command
# on ``app`` as it is imported, and a command is called by its module's name.
COMMANDS = ("check", "config", "plan", "protocols", "replan", "schema", "serve")


def load_commands(names: Sequence[str] = COMMANDS) -> None:
    """Register the commands named (all by default), keeping the help's order of commands."""
    for name in names:
        # By the import statement's own path, which ``python -X importtime`` reports.
        __import__(f"ldn_titrate.cli.{name}")
    order = {name: index for index, name in enumerate(COMMANDS)}
    app.registered_commands.sort(key=lambda info: order[info.callback.__module__.rsplit(".")[-1]])


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
