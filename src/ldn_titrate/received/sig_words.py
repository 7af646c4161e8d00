"""The words of prescription directions (a sig): bounded, normalised and cut into tokens.

Reading is exact: this module only says what each piece of the text is (a number, a word, a
mark) and where it stands, so that a refusal can quote the words it stopped at. Nothing is
corrected; text that a terminal or a reader could show as something else is refused.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Final, NamedTuple

from ldn_titrate.patterns import lazy_pattern

# A sig field holds a few hundred characters at most (140 is a common e-prescribing limit);
# anything beyond this bound is not directions and is refused before it is read.
SIG_MAX_CHARS: Final = 4000

# Spaces that only look different: read as a space.
_SPACES: Final = frozenset("\t\u00a0\u2007\u202f\u3000")
# Dashes that can stand between the two ends of a range ("3–4 days"): read as a hyphen, so a
# range is always found as one.
_DASHES: Final = frozenset("\u2010\u2011\u2012\u2013\u2014\u2212")


# Characters that change how text is shown without being seen: zero-width characters, the
# bidirectional marks, embeddings, overrides and isolates (CVE-2021-42574), line separators.
_hidden = lazy_pattern("[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


_token = lazy_pattern(
    r"(?P<num>[0-9]+(?:\.[0-9]+)?)|(?P<word>[a-z]+)|(?P<space> +)|(?P<bare>\.[0-9]+)"
    r"|(?P<mark>[^a-z0-9 ])"
)


# Digits beyond any dose, day count or strength: refused rather than cut.
_MAX_DIGITS: Final = 12


class Kind(StrEnum):
    """Why directions were refused: each becomes its own finding code in ``check``."""

    RANGE = "range"
    CONDITIONAL = "conditional"
    FREQUENCY = "frequency"
    UNREADABLE = "unreadable"


class SigRefusedError(ValueError):
    """Directions that are not read: the kind, the reason and the words it stopped at."""

    def __init__(self, kind: Kind, reason: str, words: str = "") -> None:
        """Keep the kind of refusal, the reason in plain words and the words as written."""
        self.kind = kind
        self.reason = reason
        self.words = words
        at = f'stopped at "{words}": ' if words else ""
        super().__init__(f"{at}{reason}")


class Token(NamedTuple):
    """One piece of the text: ``num``, ``word`` or ``mark``, as lowercase text, and its span."""

    kind: str
    text: str
    start: int
    end: int


def _hidden_name(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'a control character')})"


def normalise(text: str) -> str:
    """The directions with one kind of space, line end and dash, or refused.

    Tabs and no-break spaces are spaces, CR LF is a new line and dashes are hyphens; a
    control character, an invisible or direction-changing mark, or a digit other than 0-9 is
    refused, since what is shown would not be what is read.
    """
    if len(text) > SIG_MAX_CHARS:
        raise SigRefusedError(
            Kind.UNREADABLE,
            f"directions are at most {SIG_MAX_CHARS:,} characters, got {len(text):,}",
        )
    hidden = _hidden().search(text)
    if hidden is not None:
        raise SigRefusedError(
            Kind.UNREADABLE,
            f"holds an invisible character, {_hidden_name(hidden[0])}; type it again",
        )
    out: list[str] = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        if char in _SPACES:
            out.append(" ")
        elif char in _DASHES:
            out.append("-")
        elif char != "\n" and unicodedata.category(char) == "Cc":
            raise SigRefusedError(
                Kind.UNREADABLE, f"holds a control character, {_hidden_name(char)}"
            )
        elif not char.isascii() and unicodedata.category(char) == "Nd":
            raise SigRefusedError(
                Kind.UNREADABLE, f"use the digits 0-9 only, got {char!r} ({_hidden_name(char)})"
            )
        else:
            out.append(char)
    return "".join(out)


def tokens(text: str) -> list[Token]:
    """The numbers, words and marks of normalised directions, spaces left out.

    One pass of a pattern without nested repeats: linear in the length of the text.
    """
    found: list[Token] = []
    # Only ASCII letters are lowered, so that every position stays that of the text as written.
    lowered = "".join(c.lower() if c.isascii() else c for c in text)
    for match in _token().finditer(lowered):
        kind = match.lastgroup
        if kind == "space" or kind is None:
            continue
        piece = match[0]
        if kind == "bare":
            raise SigRefusedError(
                Kind.UNREADABLE, f"write a leading zero (0{_cut(piece)})", _cut(piece)
            )
        if kind == "num" and any(len(part) > _MAX_DIGITS for part in piece.split(".")):
            raise SigRefusedError(Kind.UNREADABLE, "a number with too many digits", _cut(piece))
        found.append(Token(kind, piece, match.start(), match.end()))
    return found


def _cut(text: str, most: int = 40) -> str:
    return text if len(text) <= most else text[: most - 3] + "..."


def quoted(text: str, pieces: list[Token], first: int, count: int = 4) -> str:
    """The words as written from token ``first``, a few of them, for a refusal."""
    if not pieces:
        return ""
    first = min(first, len(pieces) - 1)
    last = min(len(pieces), first + count) - 1
    words = text[pieces[first].start : pieces[last].end]
    return _cut(" ".join(words.split()))
