"""The medicine screen's data: the policy and every market's names and codes, read from files.

The files live in ``check/data/``, one per market or source, each with its sources and date
at the top: ``policy.tsv`` says what each ingredient is and why; ``names-*.tsv`` give the
names a patient or prescriber writes (brands, combinations, spellings) with the ingredient
each contains and the page it came from; ``rxnorm-codes.tsv`` gives coded medicines. At run
time the screen reads ``policy.tsv`` and ``index.tsv``, which ``tools/build_index.py`` derives
from the market files (a test holds the two in step), once, on first use, with no parser
beyond ``str.split``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Final, NamedTuple

# The data files, installed beside this module (a plain path: importlib.resources would cost
# more to import than the files cost to read).
DATA: Final = Path(__file__).parent / "data"
_FOLDER: Final = str(DATA)
# A name's words: runs of letters or of digits, after the screen's normalisation. A letter
# next to a digit starts a new word, so "DF118" and "DF 118" are the same two words. Japanese
# and Chinese write no spaces: a run of katakana, of hiragana or of ideographs is a word of its
# own, so that "トラムセット配合錠" (Tramcet combination tablets) names トラムセット.
_CJK: Final = "\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
_ALL_WORDS: Final = (
    f"[\u30a0-\u30ff]+|[\u3040-\u309f]+|[\u3400-\u4dbf\u4e00-\u9fff]+|[^\\W\\d_{_CJK}]+|\\d+"
)
# In ASCII text the same words are runs of letters or of digits: \w there is [A-Za-z0-9_] and
# \d is [0-9]. The pattern for every script takes a one-file check milliseconds to compile.
_ASCII_WORDS: Final = "[A-Za-z]+|[0-9]+"


class _Words:
    """The words of a text by the rule above: ASCII text needs only the short pattern."""

    def findall(self, text: str) -> list[str]:
        """Each word of ``text``, in order."""
        return _words(text.isascii()).findall(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Each word of ``text`` as a match, in order."""
        return _words(text.isascii()).finditer(text)


@cache
def _words(ascii_only: bool) -> re.Pattern[str]:
    return re.compile(_ASCII_WORDS if ascii_only else _ALL_WORDS)


WORD: Final = _Words()
# Names shorter than this, written as one word, are too ambiguous to match alone ("DHC",
# "MST"): the data gives them with their qualifier ("DHC Continus"), and the loader holds it.
SHORTEST_SINGLE_WORD: Final = 4


class Kind(StrEnum):
    """What an ingredient is, which decides the finding, its severity and the words it uses."""

    OPIOID = "opioid"
    LONG_ACTING = "opioid-long"
    OPIOID_LIKE = "opioid-like"
    NALTREXONE = "naltrexone"
    ANTAGONIST = "antagonist"
    GUT_OPIOID = "gut-opioid"
    NONE = "none"


class Ingredient(NamedTuple):
    """One line of the policy: the ingredient, its kind, how a message names it, and why."""

    name: str
    kind: Kind
    what: str
    reason: str
    source: str


class Entry(NamedTuple):
    """One name from a market file: the ingredient it contains and whether it is long-acting."""

    name: str
    ingredient: str
    long_acting: bool
    source: str
    market: str
    words: tuple[str, ...]


class Code(NamedTuple):
    """One coded medicine (an RxNorm concept): its ingredient, release and display."""

    code: str
    ingredient: str
    long_acting: bool
    display: str


@dataclass(frozen=True, slots=True)
class Data:
    """What the screen needs at run time: the policy, and the names by their first word."""

    policy: dict[str, Ingredient]
    # First word -> the names starting with it, as (words, entry), longest first.
    index: dict[str, tuple[tuple[tuple[str, ...], Entry], ...]]


class DataError(ValueError):
    """A data file breaks its own rules (an unknown ingredient, a missing source)."""


def words(text: str) -> tuple[str, ...]:
    """A name as the screen matches it: its words, folded as the screen folds text.

    NFKC and case folding, then accents and invisible characters dropped, so that a name
    written with its accents ("codeïne") matches the text the screen has folded the same way.
    """
    if text.isascii():
        return tuple(WORD.findall(text.lower()))
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    plain = "".join(c for c in folded if unicodedata.category(c) not in {"Mn", "Me", "Cf"})
    return tuple(WORD.findall(plain))


def _rows(filename: str) -> list[list[str]]:
    """The data rows of one file: comments and the header line skipped, cells split by tabs."""
    # A plain join and open: pathlib's per-call overhead is a fair part of reading 28 files.
    with open(os.path.join(_FOLDER, filename), encoding="utf-8") as file:  # noqa: PTH118, PTH123
        text = file.read()
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return [line.split("\t") for line in lines[1:]]


def data_files() -> list[str]:
    """The names of the market files, in a fixed order."""
    # os.listdir: Path.iterdir or glob costs more than reading the files.
    names = os.listdir(_FOLDER)  # noqa: PTH208
    return sorted(n for n in names if n.startswith("names-") and n.endswith(".tsv"))


def read_policy() -> dict[str, Ingredient]:
    """The policy, by ingredient."""
    policy: dict[str, Ingredient] = {}
    for name, kind, what, reason, source in _rows("policy.tsv"):
        policy[name] = Ingredient(name, Kind(kind), what, reason, source)
    return policy


def read_entries(policy: dict[str, Ingredient]) -> tuple[Entry, ...]:
    """Every name of every market file, each checked against the policy."""
    entries: list[Entry] = []
    for filename in data_files():
        market = filename.removeprefix("names-").removesuffix(".tsv")
        for cells in _rows(filename):
            name, ingredient, release, source = cells
            if ingredient not in policy:
                raise DataError(f"{filename}: {name}: ingredient {ingredient} is not in the policy")
            if not source.startswith(("https://", "http://")):
                raise DataError(f"{filename}: {name}: no source")
            found = words(name)
            if len(found) == 1 and len(found[0]) < SHORTEST_SINGLE_WORD:
                raise DataError(f"{filename}: {name}: too short to match without a qualifier")
            entries.append(Entry(name, ingredient, release == "long", source, market, found))
    return tuple(entries)


def read_codes() -> dict[str, Code]:
    """Every coded medicine, by code (the screen looks codes up one by one: see ``code``)."""
    return {
        code: Code(code, ingredient, release == "long", display)
        for code, ingredient, release, display in _rows("rxnorm-codes.tsv")
    }


def all_entries(policy: dict[str, Ingredient]) -> tuple[Entry, ...]:
    """Every name the screen knows: the policy's ingredients, then every market file's names.

    Each ingredient of the policy is a name too, except the naltrexone products (the plan's
    own medicine: its doses and forms are read apart) and what is not an opioid.
    """
    ingredients = tuple(
        Entry(name, name, long_acting=False, source=item.source, market="policy", words=words(name))
        for name, item in policy.items()
        if item.kind not in {Kind.NALTREXONE, Kind.NONE}
    )
    return (*ingredients, *read_entries(policy))


def index_text(policy: dict[str, Ingredient]) -> str:
    """The derived index file: each name by its first word, longest first (``tools/``).

    A name of several words is also indexed run together ("cocodamol"); the first entry of
    a form wins. Reading this one file at run time spares the screen reading and folding
    every market file on each start.
    """
    grouped: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
    known: set[tuple[str, ...]] = set()
    dates: set[str] = set()
    for entry in all_entries(policy):
        forms = [entry.words]
        if len(entry.words) > 1:
            forms.append(("".join(entry.words),))
        for form in forms:
            if form not in known:
                known.add(form)
                grouped.setdefault(form[0], []).append((form, entry))
    for filename in data_files():
        with open(os.path.join(_FOLDER, filename), encoding="utf-8") as file:  # noqa: PTH118, PTH123
            dates.update(re.findall(r"Researched: (\d{4}-\d\d-\d\d)", file.read()))
    lines = [
        "# The medicine screen's index: every name of policy.tsv and names-*.tsv by its first",
        "# word, longest first, a name of several words also run together. Generated by",
        "# tools/build_index.py from the files beside it; do not edit by hand.",
        f"# Sources: those files, researched {max(dates, default='')}.",
        "first\twords\tname\tingredient\trelease",
    ]
    for first in sorted(grouped):
        for form, entry in sorted(grouped[first], key=lambda item: -len(item[0])):
            release = "long" if entry.long_acting else ""
            lines.append(f"{first}\t{' '.join(form)}\t{entry.name}\t{entry.ingredient}\t{release}")
    return "\n".join(lines) + "\n"


class _Loaded:
    """The data, read on first use and kept for the life of the process."""

    data: Data | None = None
    codes: str | None = None


def load() -> Data:
    """The screen's data, read once: the policy and the derived index, two files."""
    if _Loaded.data is None:
        grouped: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        for first, form, name, ingredient, release in _rows("index.tsv"):
            found = tuple(form.split(" "))
            entry = Entry(name, ingredient, release == "long", "", "", found)
            grouped.setdefault(first, []).append((found, entry))
        index = {first: tuple(names) for first, names in grouped.items()}
        _Loaded.data = Data(read_policy(), index)
    return _Loaded.data


def code(rxnorm: str) -> Code | None:
    """The coded medicine of one RxNorm code, or None; the file is read on the first code.

    A list names a few codes at most, so each is found in the file's text rather than by
    building a table of all of them.
    """
    if _Loaded.codes is None:
        _Loaded.codes = "\n" + (DATA / "rxnorm-codes.tsv").read_text(encoding="utf-8")
    start = _Loaded.codes.find(f"\n{rxnorm}\t")
    if start < 0 or not rxnorm.isdigit():
        return None
    end = _Loaded.codes.find("\n", start + 1)
    _, ingredient, release, display = _Loaded.codes[start + 1 : end].split("\t")
    return Code(rxnorm, ingredient, release == "long", display)
