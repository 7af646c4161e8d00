"""Lines of a table that are not steps: titles above it, notes in and below it, other sheets.

Each line is read by its meaning when it has one this reader knows (a title, who the plan is
for, its label, the formulation and strength, a list of the patient's medicines, a note this
tool writes under its own tables); any other line is kept as not read, for the check to report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Final, NamedTuple

from ldn_titrate.patterns import lazy_pattern
from ldn_titrate.received.headers import MED_LIST_HEADINGS, header_key, med_list_heading
from ldn_titrate.received.line_words import (
    FORMULATION_KEYS,
    FORMULATION_WORDS,
    IDENTITY_KEYS,
    LABEL_KEYS,
    TITLE_ROOTS,
    TITLE_WORDS,
)
from ldn_titrate.received.model import Form, Formulation

if TYPE_CHECKING:
    from ldn_titrate.received.extras import MedList, Unread

# The patterns below that most plans never need are compiled on first use.
# "for J. Doe", "für J. Doe", "pour", "para", "per", "voor", "dla": the rest names the patient.
_for_pattern = lazy_pattern(
    r"\s(?:for|für|fur|pour|para|per|voor|dla)\s|\s*[,–-]\s|:\s", re.IGNORECASE
)


# A patient's name as written on a chart: "J. Doe", "Mme Dupont", "dhr. Jansen".
_name_pattern = lazy_pattern(
    r"(?:(?i:mr|mrs|ms|miss|dr|mme|mlle|m|hr|fr|frau|herr|sr|sra|sig|dhr|mevr|mw)\.?\s+)?"
    r"[A-ZÀ-Þ][\w'.-]*(?:\s+[A-ZÀ-Þ][\w'.-]*){0,4}"
)


_IDENTITY_VALUE_LIMIT: Final = 12


_dose_unit_pattern = lazy_pattern(r"[0-9]\s*(?:mg|ml|mcg|µg|μg)(?![a-z])", re.IGNORECASE)


_NUMBER: Final = r"(?P<num>[0-9]{1,4}(?:[.,][0-9]{1,4})?)"
# 5 mg/mL, 5mg-per-ml, 5 mg per mL, 5 mg in 1 mL, 5 mg pro ml, 5 mg par ml, 5 mg por ml.
_CONCENTRATION: Final = re.compile(
    rf"(?<![0-9.,]){_NUMBER}\s*mg\s*(?:/|[-_\s]*(?:per|pro|par|por|in)[-_\s]*)(?:1\s*)?ml(?![a-z])",
    re.IGNORECASE,
)
_CAPSULE_WORD: Final = re.compile(r"caps|kapsel|g[eé]lule|c[aá]psula", re.IGNORECASE)


_mg_pattern = lazy_pattern(rf"(?<![0-9.,]){_NUMBER}\s*mg(?![a-z/])", re.IGNORECASE)


_at_most_pattern = lazy_pattern(r"at most (?P<n>[0-9]{1,2}) capsules", re.IGNORECASE)


_graduation_pattern = lazy_pattern(
    r"syringe marked every (?P<num>[0-9]{1,3}(?:\.[0-9]{1,4})?)\s*ml", re.IGNORECASE
)


# The notes this tool writes under its own tables (wording.how_taken, assumed_supply_caption).
@cache
def _tool_notes() -> tuple[re.Pattern[str], ...]:
    return (
        re.compile(r"Every dose is taken by mouth once daily (?:at bedtime|in the morning)\."),
        re.compile(r"The ongoing target step is counted as a [0-9]{1,4}-day supply\."),
    )


_words_pattern = lazy_pattern(r"[^\W\d_]+")


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value > 0 else None


@lru_cache(maxsize=1024)
def stated_formulation(text: str) -> Formulation | None:
    """The formulation a text states: a liquid's mg/mL, or capsules and their strengths in mg."""
    match = _CONCENTRATION.search(text)
    if match is not None:
        concentration = _decimal(match["num"])
        graduation = _graduation_pattern().search(text)
        if concentration is not None:
            return Formulation(
                Form.LIQUID,
                concentration_mg_per_ml=concentration,
                graduation_ml=None if graduation is None else _decimal(graduation["num"]),
            )
    if _CAPSULE_WORD.search(text) is None:
        return None
    strengths = tuple(
        dict.fromkeys(
            s for m in _mg_pattern().finditer(text) if (s := _decimal(m["num"])) is not None
        )
    )
    if not strengths:
        return None
    most = _at_most_pattern().search(text)
    return Formulation(
        Form.CAPSULE, strengths_mg=strengths, max_units=None if most is None else int(most["n"])
    )


def _words(text: str) -> list[str]:
    return header_key(" ".join(_words_pattern().findall(text))).split()


def _title_word(word: str) -> bool:
    # German and Dutch join words: "Aufdosierungsschema", "Titrationsplan", "opbouwschema".
    return word in TITLE_WORDS or any(root in word for root in TITLE_ROOTS)


def _formulation_words(text: str) -> bool:
    """Whether a line that states a formulation holds no word but a formulation's or a title's."""
    return all(word in FORMULATION_WORDS or _title_word(word) for word in _words(text))


def _split_name(text: str) -> tuple[str, str]:
    """A title and the name after it (empty when there is none)."""
    parts = _for_pattern().split(text, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else (text, "")


def _is_title(text: str) -> bool:
    """A title: words of a plan's title only, then perhaps the patient's name.

    The name follows ``for`` (``für``, ``pour``, ``para``, ``per``, ``voor``) or a comma or
    dash, and is written as names are: capitalised words, initials and titles only.
    """
    whole = _words(text)
    if whole and all(map(_title_word, whole)):
        return True
    head, name = _split_name(text)
    words = _words(head)
    if not words or not all(map(_title_word, words)):
        return False
    return not name or _name_pattern().fullmatch(name.strip()) is not None


def _key_value(cells: Sequence[str]) -> tuple[str, str] | None:
    """A line written as ``Key: value`` or as a key cell and a value cell."""
    key, colon, value = cells[0].partition(":")
    if colon and value.strip():
        return header_key(key).replace(" ", "_"), " ".join((value.strip(), *cells[1:]))
    # "Rx 12345": a key word, then the value.
    first, _, rest = cells[0].partition(" ")
    if header_key(first) in {"rx", "mrn", "nhs", "dob", "id"} and rest.strip():
        return header_key(first), " ".join((rest.strip(), *cells[1:]))
    if len(cells) >= 2:
        return header_key(cells[0]).replace(" ", "_"), " ".join(cells[1:])
    return None


class LineReading(NamedTuple):
    """What one line says, as far as it was read: a label, a formulation, a list of medicines."""

    understood: bool
    label: str | None = None
    formulation: Formulation | None = None
    med_list: str | None = None
    # A heading alone ("Current medications"): the lines under it are the list.
    med_heading: bool = False


@lru_cache(maxsize=1024)
def read_line(cells: tuple[str, ...]) -> LineReading:
    """One line of non-empty cells read by its meaning, or not understood.

    A line not understood whole may still be, cell by cell (``Patient: J. Doe`` | ``Rx 1``).
    """
    whole = _read_cells(cells)
    if whole.understood or len(cells) == 1:
        return whole
    parts = [_read_cells((cell,)) for cell in cells]
    if not all(part.understood for part in parts):
        return whole
    return LineReading(
        understood=True,
        label=next((p.label for p in parts if p.label is not None), None),
        formulation=next((p.formulation for p in parts if p.formulation is not None), None),
        med_list="; ".join(p.med_list for p in parts if p.med_list) or None,
    )


def line_text(cells: Sequence[str]) -> str:
    """A line's cells as one text: a decimal comma the delimiter split is a comma again.

    An unquoted "LDN 1,5 mg capsules" in a comma-separated file comes as ``LDN 1`` and ``5 mg
    capsules``; joined with a space it would state 5 mg.
    """
    text = cells[0] if cells else ""
    for cell in cells[1:]:
        text += ("," if text[-1:].isdigit() and cell[:1].isdigit() else " ") + cell
    return text


def _read_cells(cells: tuple[str, ...]) -> LineReading:  # noqa: PLR0911 - one per kind of line
    text = line_text(cells)
    if med_list_heading(cells[0]):
        listed = text.split(":", 1)[1] if ":" in cells[0] else " ".join(cells[1:])
        listed = listed.strip()
        return LineReading(understood=True, med_list=listed or None, med_heading=not listed)
    if any(pattern.fullmatch(text) for pattern in _tool_notes()):
        return LineReading(understood=True)
    pair = _key_value(cells)
    if pair is not None:
        key, value = pair
        if key in LABEL_KEYS:
            return LineReading(understood=True, label=value)
        if key in IDENTITY_KEYS:
            plain = (
                not _dose_unit_pattern().search(value)
                and len(value.split()) <= _IDENTITY_VALUE_LIMIT
            )
            return LineReading(understood=plain)
        if key in FORMULATION_KEYS:
            form = stated_formulation(value)
            return LineReading(understood=_formulation_words(value), formulation=form)
    form = stated_formulation(text)
    if form is not None:
        return LineReading(understood=_formulation_words(text), formulation=form)
    return LineReading(understood=_is_title(text))


@dataclass
class LinesRead:
    """What the lines of a table or a sheet said, gathered as they are read."""

    label: str | None = None
    stated: list[tuple[str, Formulation]] = field(default_factory=list)
    med_lists: list[MedList] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)
    texts: list[tuple[int | None, str, str]] = field(default_factory=list)


def read_lines(
    lines: Iterable[tuple[int, Sequence[str]]], read: LinesRead, where: str, place: str = ""
) -> None:
    """Read each line (its number and non-empty cells) into ``read``.

    ``where`` names a line (``line {line}`` is filled in), ``place`` is added after it
    (``above the table``). A heading of a medicine list alone takes the lines under it, up
    to the next line read by its meaning, as the list.
    """
    heading: tuple[str, int, list[str]] | None = None
    for line, cells in lines:
        named = where.format(line=line) + (f" {place}" if place else "")
        found = _line_reading(cells, named, line, read)
        if found is None:
            continue
        text, reading = found
        if heading is not None and not reading.understood:
            heading[2].append(text)
            continue
        _close_heading(heading, read)
        heading = None
        if reading.med_list is None and not reading.med_heading:
            # A medicine list is screened as a list, not again as a mention.
            read.texts.append((line, "", text))
        if reading.med_heading:
            heading = (named, line, [])
        elif reading.med_list is not None:
            from ldn_titrate.received.extras import MedList  # noqa: PLC0415 - only for a plan that has one

            read.med_lists.append(MedList(named, reading.med_list, line=line))
        if reading.label is not None and read.label is None:
            read.label = reading.label
        if reading.formulation is not None:
            read.stated.append((named, reading.formulation))
        if not reading.understood:
            from ldn_titrate.received.extras import Unread  # noqa: PLC0415 - only for a plan that has one

            read.unread.append(Unread(named, text, line))
    _close_heading(heading, read)


# "Label:" within a line: a word or three, the first capitalised, before a colon.
_label_in_line_pattern = lazy_pattern(
    r"(?:^|(?<=[\s,;|]))([^\W\d_][\w'’.-]*(?:\s[\w'’.-]+){0,3})\s*:"
)


@lru_cache(maxsize=1024)
def inner_med_list(text: str) -> tuple[str, str] | None:
    """A medicine list headed within a line, and the rest of the line; None if there is none.

    The list runs from its heading (``Medications:``) to the end of the line or to the next
    ``Label:``.
    """
    for match in _label_in_line_pattern().finditer(text):
        words = match.group(1).split()
        for first in range(len(words)):
            if header_key(" ".join(words[first:])) not in MED_LIST_HEADINGS:
                continue
            start = match.start(1) + match.group(1).index(words[first])
            rest = text[match.end() :]
            after = next(
                (m for m in _label_in_line_pattern().finditer(rest) if m.group(1)[0].isupper()),
                None,
            )
            listed = (rest[: after.start()] if after else rest).strip(" ,;|")
            remaining = text[:start] + (rest[after.start() :] if after else "")
            return (listed, " ".join(remaining.split())) if listed else None
    return None


def _line_reading(
    cells: Sequence[str], named: str, line: int, read: LinesRead
) -> tuple[str, LineReading] | None:
    """A line's text and reading; a medicine list headed within it is taken out first.

    ``Patient: R.T.   Medications: methadone 40 mg``: the list, and the rest read alone;
    None when nothing is left.
    """
    text = line_text(cells)
    reading = read_line(tuple(cells))
    if reading.med_list is not None or reading.med_heading:
        return text, reading
    if (inner := inner_med_list(text)) is None:
        return text, reading
    listed, rest = inner
    from ldn_titrate.received.extras import MedList  # noqa: PLC0415 - only for a plan that has one

    read.med_lists.append(MedList(named, listed, line=line))
    return (rest, read_line((rest,))) if rest else None


def _close_heading(heading: tuple[str, int, list[str]] | None, read: LinesRead) -> None:
    """A heading of a medicine list and the lines under it, as one list."""
    if heading is not None and heading[2]:
        named, line, items = heading
        from ldn_titrate.received.extras import MedList  # noqa: PLC0415 - only for a plan that has one

        read.med_lists.append(MedList(named, "; ".join(items), line=line))


# A concentration named in a column's header with the word that joins it: "Volume of 2 mg/mL".
_joined_concentration = lazy_pattern(
    r"\s*(?:of|at|in|de|a|à|von|zu|van|di|med|z)?\s*" + _CONCENTRATION.pattern, re.IGNORECASE
)


def without_concentration(header: str) -> str:
    """A header with the concentration it names taken out (``Volume (mL)`` of the above)."""
    return _joined_concentration().sub("", header, count=1).strip()


# Where a workbook's schedule sheet's own name stands among a plan's texts.
SHEET_NAME: Final = "sheet name"


def file_name(source: str) -> str:
    """The name of the file a plan came from, to be read as its text; empty for standard input."""
    # The last part of the path, as pathlib names it, by plain string work: it runs per plan.
    name = source.rstrip("/").rpartition("/")[2]
    return "" if name.startswith("<") else name


# A file name states a strength as "naltrexone-5mg-per-ml.csv", "LDN 1mg/ml.xlsx" or
# "ldn-1.5mg-capsules.csv"; a path's folders may name a strength too ("LDN 1mg/ml.xlsx").
def source_formulations(source: str) -> list[tuple[str, Formulation]]:
    """The formulation a file's name states, if any, named as where it was found."""
    form = stated_formulation(source.replace("_", " "))
    return [] if form is None else [(f"the file name {source!r}", form)]
