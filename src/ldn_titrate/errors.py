"""One small family of errors; each builds its own message in the user's words."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from ldn_titrate.patterns import lazy_pattern

_MAX_SHOWN = 60  # characters of a refused value echoed back


# What a terminal would act on instead of showing: C0 and C1 controls (ESC starts a screen
# command), the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069; CVE-2021-42574 "Trojan Source"), marks and line separators.
_hidden = lazy_pattern("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    r"""Text from a file or the command line, safe for a terminal: ``\x1b``, ``\u202e``."""
    if text.isascii() and text.isprintable():
        # Printable ASCII holds none of them; most text is, and is passed without the pattern.
        return str(text)
    return _hidden().sub(_escape, text)


# JSON escapes C0 controls itself; these others it leaves raw with ensure_ascii=False.
_json_hidden = lazy_pattern("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def json_visible(text: str) -> str:
    r"""JSON text with hidden characters written ``\uXXXX``: they stand only inside strings."""
    return _json_hidden().sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def shown(value: object) -> str:
    """A value quoted for a message: hidden characters escaped, at most 60 characters.

    The one rule for every message that echoes a value; a long value is cut between
    characters, never inside an escape, and ends in ``...``.
    """
    text = str(value)
    quoted = visible(repr(text))
    if len(quoted) <= _MAX_SHOWN:
        return quoted
    cut = text[:_MAX_SHOWN]
    while len(visible(repr(cut))) > _MAX_SHOWN - 3:
        cut = cut[:-1]
    return visible(repr(cut))[:-1] + "..." + quoted[-1]


class Setting(NamedTuple):
    """A value the user could set, by its request key (``graduation``, ``0.01``).

    The core suggests settings by key; whoever knows where the values came from (an option on
    the command line, a key in a request file) names them the way the user wrote them.
    """

    key: str
    value: str


# Words of a message: plain text and settings, spelled out only when shown.
Phrase = tuple[str | Setting, ...]
Spelling = Callable[[Setting], str]


def as_flag(key: str) -> str:
    """A key as the command-line option that gives it: ``max_units`` -> ``--max-units``."""
    return "--" + key.replace("_", "-")


def as_option(setting: Setting) -> str:
    """A setting as a command-line option: ``--max-units 5``; a bare key, ``--max-units``."""
    return f"{as_flag(setting.key)} {setting.value}" if setting.value else as_flag(setting.key)


def as_file_key(setting: Setting) -> str:
    """A setting as a request-file key: ``max_units = 5``; a bare key, ``max_units``."""
    return f"{setting.key} = {setting.value}" if setting.value else setting.key


def spell(words: str | Phrase, name: Spelling = as_option) -> str:
    """The text of a message whose settings are named by ``name``."""
    if isinstance(words, str):
        return words
    return "".join(w if isinstance(w, str) else name(w) for w in words)


class LdnTitrateError(Exception):
    """Base of every error this tool raises on purpose."""


class InputError(LdnTitrateError, ValueError):
    """A value given by the user is refused: names the field, the value and what is allowed."""

    def __init__(self, field: str, value: object, allowed: str | Phrase) -> None:
        """Record where the bad value came from and what would have been accepted.

        Settings named in ``allowed`` are kept by key in ``words``, and spelled as options in
        ``allowed`` and the message, as the command line shows them.
        """
        self.field = field
        self.value = value
        self.words = allowed
        self.allowed = spell(allowed)
        got = "" if value is None else f", got {shown(value)}"
        super().__init__(f"{field}: {self.allowed}{got}")


class InputErrors(LdnTitrateError, ValueError):  # noqa: N818 - a group of InputError
    """Several refused values at once, one line each."""

    def __init__(self, errors: list[InputError]) -> None:
        """Keep every problem, so the user can fix them all in one go."""
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in errors))


class RequestError(LdnTitrateError, ValueError):
    """A request that breaks the limits: one (field, message) pair per problem."""

    def __init__(self, problems: Sequence[tuple[str, str | Phrase]]) -> None:
        """Keep every problem, so the user can fix them all in one go."""
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{field}: {spell(message)}" for field, message in problems))


class PlanFormatError(LdnTitrateError, ValueError):
    """A plan file cannot be read at all."""

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        """Record the file, the line (when known) and why it cannot be read."""
        self.source = source
        self.reason = reason
        self.line = line
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {reason}")


class FormulationError(LdnTitrateError, ValueError):
    """Some doses of a plan cannot be measured or made in the chosen form; says what would work."""

    def __init__(
        self, form: Setting, problems: Sequence[str | Phrase], suggestion: str | Phrase
    ) -> None:
        """Keep the form, one problem per failing step and one piece of advice, as phrases."""
        self.form = form
        self.phrases = (*problems, suggestion)
        self.field = as_option(form)
        self.problems = tuple(spell(p) for p in problems)
        self.suggestion = spell(suggestion)
        super().__init__("\n".join(self.spelled()))

    def spelled(
        self, name: Spelling = as_option, heading: Spelling | None = None
    ) -> tuple[str, ...]:
        """The message, one line per failing step, then the advice, settings named by ``name``."""
        where = (heading or name)(self.form)
        return tuple(f"{where}: {spell(p, name)}" for p in self.phrases)

    @property
    def lines(self) -> tuple[str, ...]:
        """The message with settings named as command-line options."""
        return self.spelled()
