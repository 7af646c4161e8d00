"""How often a text says a dose is taken, read from the vocabulary in ``frequency.toml``.

The vocabulary (abbreviations, phrases in six languages, counts in words) is data, loaded
once, the first time a text is read, from ``frequency.json``: the TOML file's data as
``tools/build_frequency.py`` writes it (a test holds the two equal). Dose patterns
(``1-0-1``) and lists of weekdays (``Mon/Wed/Fri``) are read by their shape here.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, lru_cache
from pathlib import Path
from typing import Final, NamedTuple

from ldn_titrate.check.meds import normalise
from ldn_titrate.patterns import lazy_pattern

_ONE: Final = Fraction(1)
_WEEK: Final = 7
_HOURS_A_DAY: Final = 24


@dataclass(frozen=True, slots=True)
class Frequency:
    """How often a text says a dose is taken, and the words that say it.

    ``per_day`` is the number of doses a day (``Fraction(1, 2)``: every other day); it is
    None for a dose taken as needed, or one that may be repeated (``kind``).
    """

    words: str
    per_day: Fraction | None = None
    kind: str = "rate"

    @property
    def means(self) -> str:
        """``2 a day``, ``every 2 days``, ``3 every 7 days``, ``as needed``, ``may be repeated``."""
        if self.kind == "as-needed":
            return "as needed"
        if self.kind == "repeat":
            return "may be repeated"
        rate = self.per_day or _ONE
        if rate.denominator == 1:
            return f"{rate.numerator} a day"
        if rate.numerator == 1:
            return f"every {rate.denominator} days"
        return f"{rate.numerator} every {rate.denominator} days"

    @property
    def more_than_daily(self) -> bool:
        """Whether the text gives more than one dose on some day."""
        return self.kind == "repeat" or (self.per_day is not None and self.per_day > 1)

    @property
    def less_than_daily(self) -> bool:
        """Whether the text gives the dose on fewer days than every day, or only as needed."""
        return self.kind == "as-needed" or (self.per_day is not None and self.per_day < 1)


class _Word(NamedTuple):
    """One entry of the vocabulary: its pattern and anchors, and its meaning.

    In the meaning, ``n`` stands for the count the pattern matched (its groups ``n<k>``).
    The pattern is compiled the first time a text holds one of its anchors: most texts hold
    the anchors of a few words, and compiling all of them cost a one-file check a fifth of
    its start-up.
    """

    source: str
    anchors: tuple[str, ...]
    counts: tuple[str, ...]
    quoted: bool
    per_day: str | int | None
    every_hours: str | int | None
    every_days: str | int | None
    per_week: str | int | None
    kind: str

    @property
    def pattern(self) -> re.Pattern[str]:
        """The compiled pattern (compiled once, on first use)."""
        return _compiled(self.source)


@cache
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source)


# A named group of a pattern, as the vocabulary writes them: ``(?P<q>...)``, ``(?P<n0>...)``.
_GROUP_NAME: Final = re.compile(r"\(\?P<(\w+)>")


class Vocabulary(NamedTuple):
    """The vocabulary compiled: each word's pattern, the counts in words, days and daily words."""

    words: tuple[_Word, ...]
    anchors: frozenset[str]
    numbers: Mapping[str, int]
    daily: re.Pattern[str]
    days: Mapping[str, int]
    day_list_source: str
    entries: tuple[tuple[str, tuple[str, ...], Mapping[str, str]], ...]

    @property
    def day_list(self) -> re.Pattern[str]:
        """A list of two days or more (compiled once, for the first text naming two days)."""
        return _compiled(self.day_list_source)


def _expanded(pattern: str, number: str, day: str, gap: str) -> str:
    """A vocabulary pattern as a regular expression, each count in a group ``n<k>``."""
    pattern = pattern.replace(" ?", r"\s*").replace(" ", r"\s+")
    parts = pattern.split("{n}")
    counted = parts[0] + "".join(f"(?P<n{k}>{number}){part}" for k, part in enumerate(parts[1:]))
    return counted.replace("{day}", day).replace("{gap}", gap)


def _word(entry: Mapping[str, object], number: str, day: str, gap: str) -> _Word:
    expanded = _expanded(str(entry["pattern"]), number, day, gap)
    source = r"(?<![\w'])(?:" + expanded + r")(?!\w)"
    groups = _GROUP_NAME.findall(source)  # in the order of the compiled pattern's groupindex
    return _Word(
        source,
        tuple(entry["anchors"]),  # type: ignore[arg-type]
        tuple(g for g in groups if g.startswith("n")),
        "q" in groups,
        entry.get("per_day"),  # type: ignore[arg-type]
        entry.get("every_hours"),  # type: ignore[arg-type]
        entry.get("every_days"),  # type: ignore[arg-type]
        entry.get("per_week"),  # type: ignore[arg-type]
        str(entry.get("kind", "rate")),
    )


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary, read from the package's copy of ``frequency.toml`` when first needed."""
    # A plain path, as the medicine screen's data: importlib.resources would load zipfile.
    text = Path(__file__).with_name("frequency.json").read_text(encoding="utf-8")
    data = json.loads(text)
    numbers: dict[str, int] = data["numbers"]
    # A count in digits or one word, told a count by the table of numbers after the match:
    # one pattern for a word is far quicker to try at each place than forty words.
    number = "[0-9]{1,3}|[a-z]{2,12}"
    days = {name: i for i, names in enumerate(data["weekdays"].values()) for name in names}
    day = "(?:" + "|".join(sorted(days, key=len, reverse=True)) + r")s?\.?"
    # A few words of the same sentence: a point only inside a number ("0.5 mg").
    gap = r"(?:(?:[^.;]|\.[0-9]){0,60}?\s)?"
    separator = r"\s*(?:/|,|&|\+|-|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b)\s*"
    daily = [*data["daily"]["words"], *data["pace"]["words"]]
    words = tuple(_word(entry, number, day, gap) for entry in data["word"])
    return Vocabulary(
        words=words,
        anchors=frozenset(a for word in words for a in word.anchors),
        numbers=numbers,
        daily=re.compile(r"(?<!\w)(?:" + "|".join(daily) + r")(?!\w)"),
        days=days,
        day_list_source=rf"(?<!\w){day}(?!\w)(?:{separator}{day}(?!\w))+",
        entries=tuple((e["pattern"], tuple(e["anchors"]), e["examples"]) for e in data["word"]),
    )


# A dose pattern: the units taken morning-noon-evening(-night), "1-0-1", "½-0-1".
_dose_pattern = lazy_pattern(
    r"(?<![\w.,/-])(?P<parts>[0-9½](?:[.,]5)?(?:\s?-\s?[0-9½](?:[.,]5)?){2,3})"
    r"(?![\w,/½]|\.[0-9]|\s?-\s?[0-9½])"
)


_part = lazy_pattern(r"[0-9½](?:[.,]5)?")


_DAY_NAME: Final = re.compile(r"[a-z]+")


_range = lazy_pattern(r"[a-z]+s?\.?\s?-")


def fold(text: str) -> tuple[str, list[int] | None]:
    """Text as the vocabulary is written (lower case, no accents, ``'`` for ``’``).

    With it, for text that was not plain ASCII, the index in ``text`` of each character.
    """
    if text.isascii():
        return text.lower(), None
    folded, where = normalise(text)
    return folded.replace("\u2019", "'").replace("\u2018", "'"), where


def _count(written: str, numbers: Mapping[str, int]) -> int | None:
    """The count a pattern's ``{n}`` matched; None for a word that is no number."""
    return int(written) if written.isdigit() else numbers.get(written)


def _rate(word: _Word, count: int | None) -> Fraction | None:
    """Doses a day for one vocabulary word, its ``n`` being ``count``; None if it has none."""

    def value(field: str | int | None) -> int | None:
        return count if field == "n" else (field if isinstance(field, int) else None)

    per_day = value(word.per_day)
    if per_day is not None:
        return Fraction(per_day)
    hours = value(word.every_hours)
    if hours:
        return Fraction(_HOURS_A_DAY, hours)
    days = value(word.every_days)
    if days:
        return Fraction(1, days)
    per_week = value(word.per_week)
    if per_week:
        return Fraction(per_week, _WEEK)
    return None


class _Text(NamedTuple):
    """A text folded for reading, with the way back to the words as written."""

    folded: str
    written: str
    where: list[int] | None

    def said(self, start: int, end: int) -> str:
        """The words as written behind ``folded[start:end]``."""
        return written_span(self.written, self.where, start, end)


def written_span(written: str, where: list[int] | None, start: int, end: int) -> str:
    """The words of ``written`` behind ``start:end`` of its text as ``fold`` gave it."""
    if where is None:
        return written[start:end]
    return written[where[start] : where[end - 1] + 1]


# What a text is squeezed to for its anchors: letters, digits and halves only.
_NOT_ANCHORED: Final = re.compile(r"[^a-z0-9½]+")


def _vocabulary_words(text: _Text, vocab: Vocabulary) -> Iterator[tuple[int, Frequency]]:
    """Each vocabulary word of a text, with where it starts."""
    squeezed = _NOT_ANCHORED.sub("", text.folded)
    present = {a for a in vocab.anchors if a in squeezed}
    for word in vocab.words:
        if present.isdisjoint(word.anchors):
            continue
        for match in word.pattern.finditer(text.folded):
            counted = next((match[g] for g in word.counts if match[g] is not None), None)
            count = None if counted is None else _count(counted, vocab.numbers)
            if counted is not None and not count:  # "these times a day", "0 x daily"
                continue
            quote = "q" if word.quoted and match["q"] is not None else 0
            said = text.said(match.start(quote), match.end(quote))
            if word.kind != "rate":
                yield match.start(), Frequency(said, None, word.kind)
                continue
            rate = _rate(word, count)
            if rate is not None:
                yield match.start(), Frequency(said, rate)


def _dose_patterns(text: _Text) -> Iterator[tuple[int, Frequency]]:
    if "-" not in text.folded:
        return
    for match in _dose_pattern().finditer(text.folded):
        taken = sum(1 for part in _part().findall(match["parts"]) if part.strip("0.,"))
        if taken:
            yield match.start(), Frequency(text.said(match.start(), match.end()), Fraction(taken))


def _day(name: str, days: Mapping[str, int]) -> int | None:
    """The day (0 for Monday) a weekday name gives, singular or plural, or None."""
    found = days.get(name)
    return days.get(name[:-1]) if found is None and name.endswith("s") else found


def _day_lists(text: _Text, vocab: Vocabulary) -> Iterator[tuple[int, Frequency]]:
    # A list names two days or more: most texts name none, and are passed over.
    days_named = (_day(word, vocab.days) for word in _DAY_NAME.findall(text.folded))
    if sum(day is not None for day in days_named) < 2:
        return
    for match in vocab.day_list.finditer(text.folded):
        named = ((m.start(), _day(m[0], vocab.days)) for m in _DAY_NAME.finditer(match[0]))
        names = [(start, day) for start, day in named if day is not None]
        taken: set[int] = set()
        for (start, first), (_, last) in itertools.pairwise(names):
            taken.add(first)
            # "Mon-Fri" is a range of days; "Mon, Wed" and "Mon/Wed" are the days named.
            if _range().match(match[0], start):
                taken.update((first + k) % _WEEK for k in range((last - first) % _WEEK + 1))
        taken.add(names[-1][1])
        if len(names) > 1 and len(taken) < _WEEK:
            said = text.said(match.start(), match.end())
            yield match.start(), Frequency(said, Fraction(len(taken), _WEEK))


@lru_cache(maxsize=4096)
def frequencies(text: str) -> tuple[Frequency, ...]:
    """Every frequency a text names, in the order written."""
    folded, where = fold(text)
    read = _Text(folded, text, where)
    vocab = vocabulary()
    found = [*_vocabulary_words(read, vocab), *_dose_patterns(read), *_day_lists(read, vocab)]
    return tuple(frequency for _, frequency in sorted(found, key=lambda pair: pair[0]))


@lru_cache(maxsize=4096)
def says_daily(text: str) -> bool:
    """Whether a text says the dose is daily (``daily``, ``täglich``) or names the pace."""
    return vocabulary().daily.search(fold(text)[0]) is not None


# The same instructions come step after step and file after file: each is judged once.
@lru_cache(maxsize=4096)
def not_once_daily(text: str, split: bool) -> Frequency | None:
    """The first frequency a text names that is not the plan's one daily dose, or None.

    More than once a day is the plan's own when ``split`` (its doses of the day add up);
    less often than daily is not counted when the text also says the dose is daily ("daily
    for 2 weeks, then ...") or names the pace ("steps every 14 days").
    """
    for found in frequencies(text):
        if found.more_than_daily and not (split and found.kind == "rate"):
            return found
        if found.less_than_daily and (found.kind != "rate" or not says_daily(text)):
            return found
    return None


def frequency_said(text: str) -> str | None:
    """The words of a text that give a dose more or less often than once a day, or None.

    A count alone, as a frequency column gives it (``2``, ``3x``), is a number of doses a day.
    """
    count = _count_pattern().fullmatch(text)
    if count is not None:
        return text if int(count["n"]) > 1 else None
    found = not_once_daily(text, split=False)
    return None if found is None else found.words


# A number of doses a day written alone: "2", "2x", "2 times".
_count_pattern = lazy_pattern(r"(?P<n>[0-9]{1,2})\s*(?:x|times)?", re.IGNORECASE)
