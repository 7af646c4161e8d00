"""Finding the names and codes of the screen's data in a text, whole words, in linear time.

The text is normalised first (NFKC, case folded, accents and invisible characters dropped,
every dash a hyphen) and split into words, a word being a run of letters or of digits. A
name matches a run of words equal to its own words, with nothing between two of them but
spaces and the punctuation brand names carry (``-./#+&'()*``): a comma, a semicolon or a
line break ends a name. A name inside a longer word never matches ("Oxycontinental").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, NamedTuple

from ldn_titrate.check.meddata import WORD, Entry, load

# What may stand between two words of one name: "Tylenol #3", "Co-codamol", "Nurofen  Plus".
_JOINERS: Final = frozenset(" \t-./#+&'()*")
# A coded medicine written in a list: "rxnorm:10689", "RxNorm 10689", "RXCUI#10689".
CODE_IN_TEXT: Final = re.compile(r"(?<![a-z0-9])(?:rxnorm|rxcui)\s*[:#|=]?\s*([0-9]{1,9})(?![0-9])")
# The code systems of RxNorm as a FHIR coding or a list writes them.
RXNORM_SYSTEMS: Final = frozenset(
    {"http://www.nlm.nih.gov/research/umls/rxnorm", "rxnorm", "urn:oid:2.16.840.1.113883.6.88"}
)


class Found(NamedTuple):
    """One name found: its entry, where it starts and ends in the normalised text."""

    entry: Entry
    start: int
    end: int


def normalise(text: str) -> tuple[str, list[int]]:
    """Text as the screen compares it, and for each of its characters the index it came from.

    NFKC folds full-width and compatibility letters, ``casefold`` the case; accents
    (combining marks) and invisible format characters (soft hyphen, zero-width space and
    joiners, the byte-order mark) are dropped; every dash becomes ``-``.
    """
    if text.isascii():
        return text.lower(), list(range(len(text)))
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        if char < "\x80":
            out.append(char.lower())
            where.append(index)
            continue
        for part in unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", char).casefold()):
            category = unicodedata.category(part)
            if category in {"Mn", "Me", "Cf"}:
                continue
            out.append("-" if category == "Pd" else part)
            where.append(index)
    return "".join(out), where


def find_names(text: str) -> list[Found]:
    """Every name of the data in normalised text, left to right, the longest at each place."""
    index = load().index
    spans = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    found: list[Found] = []
    at = 0
    while at < len(spans):
        candidates = index.get(spans[at][2], ())
        matched = next((c for c in candidates if _matches(text, spans, at, c[0])), None)
        if matched is None:
            at += 1
            continue
        size = len(matched[0])
        found.append(Found(matched[1], spans[at][0], spans[at + size - 1][1]))
        at += size
    return found


def _matches(text: str, spans: list[tuple[int, int, str]], at: int, name: tuple[str, ...]) -> bool:
    """Whether the words from ``at`` on are the name's, joined by nothing but its joiners."""
    if at + len(name) > len(spans):
        return False
    for offset in range(1, len(name)):
        previous, current = spans[at + offset - 1], spans[at + offset]
        if current[2] != name[offset]:
            return False
        if not _JOINERS.issuperset(text[previous[1] : current[0]]):
            return False
    return True


def rxnorm_code(coding: str) -> str | None:
    """The RxNorm code of a ``system|code`` pair, or None for another system."""
    system, _, code = coding.rpartition("|")
    if system.strip().rstrip("/").casefold() in RXNORM_SYSTEMS and code.strip().isdigit():
        return code.strip()
    return None
