"""Bounded reads of files and stdin, and the one place the config file is found and read."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ldn_titrate.errors import LdnTitrateError, Phrase, Setting, as_option, shown, spell

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ldn_titrate.check import CheckOptions
    from ldn_titrate.request_files import Config

STDIN = "-"
# A request file is a few hundred bytes; reading stops here, so /dev/zero ends at once.
MAX_REQUEST_BYTES = 1_000_000
CONFIG_VARIABLE = "LDN_TITRATE_CONFIG"
NONE = "none"
DEFAULT_PLACE = "the default location"
# The config file named on the command line, by its key.
GIVEN = Setting("config", "")
# Names the day taken as today, so that examples and tests never age.
TODAY_VARIABLE = "LDN_TITRATE_TODAY"

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


# A line of a refusal or a warning: text, or words naming settings by key (``Setting``),
# spelled by whoever shows it (the command line as options, ``--output plan.csv``).
Line = str | Phrase


def refusal(key: str, value: object, allowed: str | Phrase) -> Phrase:
    """A refused value named by its key: the words of ``InputError(key, value, allowed)``."""
    got = "" if value is None else f", got {shown(value)}"
    return (Setting(key, ""), ": ", *((allowed,) if isinstance(allowed, str) else allowed), got)


class Refused(LdnTitrateError, ValueError):  # noqa: N818 - a refusal, in lines
    """Input that cannot be used: one line per problem, each naming what was given.

    The lines keep their settings by key (``phrases``); ``lines`` spells them as options.
    """

    def __init__(self, lines: Iterable[Line], *, failure: bool = False) -> None:
        """Keep every line; ``failure``: the input was good but the work could not be done."""
        self.phrases = tuple(lines)
        self.lines = tuple(spell(line, as_option) for line in self.phrases)
        self.failure = failure
        super().__init__("\n".join(self.lines))


def read_text(path: str, what: str | Setting, kind: str = "a request file") -> str:
    """A request, plan or config file as text, at most 1 MB of it; '-' reads stdin."""
    name = shown("<stdin>" if path == STDIN else path)
    try:
        if path == STDIN:
            data = sys.stdin.buffer.read(MAX_REQUEST_BYTES + 1)
        else:
            with Path(path).open("rb") as file:
                data = file.read(MAX_REQUEST_BYTES + 1)
    except FileNotFoundError:
        raise Refused([(what, f" {name}: no such file")]) from None
    except IsADirectoryError:
        raise Refused([(what, f" {name}: is a folder, not a file")]) from None
    except OSError as exc:
        raise Refused([(what, f" {name}: cannot be read ({exc.strerror})")]) from None
    if len(data) > MAX_REQUEST_BYTES:
        raise Refused([(what, f" {name}: larger than 1 MB, not {kind}")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused([(what, f" {name}: not UTF-8 text")]) from None


def write(data: str | bytes, output: str, *, force: bool) -> None:
    """Write a plan to the file named ``output``, as typed (never over a file unless forced)."""
    from ldn_titrate.files import OutputError, OutputExistsError, write_output  # noqa: PLC0415

    name = Setting("output", shown(output))
    try:
        # The path as typed: Path('') would read as the current folder.
        write_output(output, data, force=force)
    except OutputExistsError as exc:
        add = Setting("force", "")
        raise Refused(
            [(name, f": {exc.reason}; add ", add, " to replace it")], failure=True
        ) from None
    except OutputError as exc:
        raise Refused([(name, f": {exc.reason}")], failure=True) from None
    except OSError as exc:
        reason = exc.strerror or "an error from the system"
        raise Refused([(name, f": cannot be written ({reason})")], failure=True) from None


def write_example(path: Path | None) -> None:
    """Write the commented example config file at ``path`` (never over a file)."""
    from ldn_titrate.files import OutputError, OutputExistsError, write_output  # noqa: PLC0415

    init = Setting("init", "")
    if path is None:
        no_file = ": no config file is in use ('none'); give "
        raise Refused([(init, no_file, Setting("config", "PATH"))])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_output(path, EXAMPLE, force=False)
    except OutputExistsError:
        raise Refused(
            [(init, f": {shown(str(path))} exists; it is left as it is")], failure=True
        ) from None
    except (OutputError, OSError) as exc:
        why = (init, f": cannot write {shown(str(path))} ({exc.strerror})")
        raise Refused([why], failure=True) from None


def settings_folder() -> Path:
    """The user's folder of settings for this tool, where each system keeps such files."""
    if sys.platform.startswith("win"):
        return Path(os.environ.get("APPDATA", os.path.expanduser("~")), "ldn-titrate")  # noqa: PTH111 - '~' as the system spells it
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "ldn-titrate"
    home = os.environ.get("XDG_CONFIG_HOME", os.path.expanduser("~/.config"))  # noqa: PTH111 - as above
    return Path(home, "ldn-titrate")


def config_path(option: str | None) -> tuple[Path | None, str | Setting]:
    """The config file to use and what chose it: the option, the variable or the default."""
    why: str | Setting
    if option is not None:
        chosen, why = option, GIVEN
    elif (variable := os.environ.get(CONFIG_VARIABLE)) is not None:
        chosen, why = variable, CONFIG_VARIABLE
    else:
        return settings_folder() / "config.toml", DEFAULT_PLACE
    if chosen.strip().lower() == NONE:
        return None, why
    return Path(chosen), why


def load_config(option: str | None) -> Config | None:
    """Read the config file in use; None when there is none (the default may be absent)."""
    path, why = config_path(option)
    if path is None or (why == DEFAULT_PLACE and not path.is_file()):
        return None
    text = read_text(str(path), why, "a config file")
    from ldn_titrate.request_files import ConfigError, read_config  # noqa: PLC0415

    try:
        return read_config(text, str(path))
    except ConfigError as exc:
        # A file not named on the command line would stop every command: say how to go on.
        none = Setting("config", NONE)
        hint = [] if why == GIVEN else [(f"{path}: found by {why}; ", none, " goes without it")]
        raise Refused([*exc.lines, *hint]) from None


def config_columns(
    options: CheckOptions, pairs: Sequence[tuple[str, str]], source: str
) -> CheckOptions:
    """The options with the config's ``[check.columns]``; a header given as an option wins."""
    from dataclasses import replace  # noqa: PLC0415

    from ldn_titrate.check import column_names  # noqa: PLC0415

    configured = column_names(pairs, f"{source}: check.columns")
    return replace(options, columns=(*options.columns, *configured))


def defaults_in_force(found: Config | None) -> list[str]:
    """Each config key with its value and where it comes from: the file, built in, or unset."""
    from ldn_titrate.request_files import CHECK_KEYS, CONFIG_KEYS  # noqa: PLC0415
    from ldn_titrate.settings.check import CHECK_BY_KEY  # noqa: PLC0415
    from ldn_titrate.settings.plan import BY_KEY  # noqa: PLC0415

    # The built-in values are the settings' own, as each declares it.
    defaults = (
        *((key, BY_KEY[key].default) for key in CONFIG_KEYS),
        *((f"check.{key}", CHECK_BY_KEY[key].default) for key in CHECK_KEYS),
    )
    built_in = {key: default for key, default in defaults if default is not None}
    given: dict[str, object] = {}
    if found is not None:
        given.update(found.plan.values)
        given.update({f"check.{key}": value for key, value in found.check.items()})
    lines = []
    for key in (*CONFIG_KEYS, *(f"check.{k}" for k in CHECK_KEYS)):
        if key in given:
            value = given[key]
            text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            lines.append(f"{key} = {text}  ({found.source if found else ''})")
        elif key in built_in:
            lines.append(f"{key} = {built_in[key]}  (built in)")
        else:
            lines.append(f"{key}: not set")
    return lines
