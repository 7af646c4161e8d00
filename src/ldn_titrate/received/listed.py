"""Medicine lists written inside a text: a note, a cell, an element or the value of a key.

A text that heads a list of the patient's medicines (``Medications:``, ``Current
medications:``, ``Patient medication list:``, the headings a title line is read by) holds a
list wherever it stands: a FHIR note or element, a JSON value, a CSV or workbook cell, a line
of text. Every reader's plan passes through ``with_listed_meds`` once, so that the list is
read as ``meds`` is, whatever the reader; the rest of the text stays where it was, still
screened for mentions, and the list is not screened again as one.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from ldn_titrate.received import model
from ldn_titrate.received.headers import MED_LIST_HEADINGS, header_key
from ldn_titrate.received.lines import inner_med_list
from ldn_titrate.received.model import ReceivedPlan, ReceivedRow

if TYPE_CHECKING:
    from ldn_titrate.received.model import MedList, Unread

# A text holds a list or two ("Medications: ... Supplements: ..."); the search stops here.
_MAX_LISTS: Final = 8


def lists_in(text: str) -> tuple[list[str], str]:
    """The medicine lists headed within a text, and the text without them.

    Within a line a list runs from its heading (``Medications:``) to the end of the line or
    the next ``Label:``. A heading alone on its line (``Current medications``) takes the lines
    under it, bullets dropped, up to a blank line or a ``Label:`` line.
    """
    if "\n" not in text:
        return _inline_lists(text)
    found: list[str] = []
    kept: list[str] = []
    items: list[str] | None = None
    for line in text.splitlines():
        item = line.strip().lstrip("-•*·–").strip()
        if items is not None:
            if item and _LABEL.match(item) is None:
                items.append(item)
                continue
            if items:
                found.append("; ".join(items))
            items = None
        if item and _heading_alone(item):
            items = []
            continue
        lists, rest = _inline_lists(line)
        found.extend(lists)
        if rest.strip():
            kept.append(rest)
    if items:
        found.append("; ".join(items))
    if not found:
        return [], text
    return found[:_MAX_LISTS], "\n".join(kept)


# A line that starts with a label of its own ("Allergies:", "Plan: ..."): the end of a list.
_LABEL: Final = re.compile(r"[^\W\d_][\w'’.-]*(?:\s[\w'’.-]+){0,3}\s*:")
# Words of a heading alone, at most ("Patient's current medication list").
_HEADING_WORDS: Final = 4


@lru_cache(maxsize=1024)
def _heading_alone(line: str) -> bool:
    """Whether a line is a heading of a medicine list and nothing else (a colon may end it)."""
    head, colon, rest = line.partition(":")
    words = header_key(head).split()
    if (colon and rest.strip()) or not words or len(words) > _HEADING_WORDS:
        return False
    return any(" ".join(words[first:]) in MED_LIST_HEADINGS for first in range(len(words)))


def _inline_lists(text: str) -> tuple[list[str], str]:
    """The lists headed within one line (``Medications: ...``), and the line without them."""
    found: list[str] = []
    rest = text
    # Every heading ends with a colon: a text without one is passed over at once.
    while ":" in rest and len(found) < _MAX_LISTS:
        inner = inner_med_list(rest)
        if inner is None:
            break
        listed, rest = inner
        found.append(listed)
    return found, rest


def lists_of(where: str, text: str, line: int | None = None) -> list[MedList]:
    """The medicine lists headed within a text found at ``where``, the rest of it left aside."""
    return [model.MedList(where, listed, line=line) for listed in lists_in(text)[0]]


def with_listed_meds(plan: ReceivedPlan) -> ReceivedPlan:
    """The plan with each medicine list headed within its texts taken out as a list of its own.

    Its title lines and notes, the parts of the file not read and the cells of its steps are
    looked at; a text that held only a list is left out of the texts.
    """
    if not _any_colon(plan):
        return plan
    lists: list[MedList] = []
    texts = _texts(plan, lists)
    unread = _unread(plan, lists)
    rows = _rows(plan, lists)
    if not lists:
        return plan
    return replace(plan, texts=texts, unread=unread, rows=rows, med_lists=(*plan.med_lists, *lists))


def _any_colon(plan: ReceivedPlan) -> bool:
    """Whether any text of the plan has a colon or a line break, which every heading ends with.

    Most plans have none: this is the whole cost of the pass for them, so it is plain loops.
    """
    for _, _, text in plan.texts:
        if ":" in text or "\n" in text:
            return True
    for part in plan.unread:
        if ":" in part.text or "\n" in part.text:
            return True
    for row in plan.rows:
        for _, text in row.texts:
            if ":" in text or "\n" in text:
                return True
    return False


def _texts(plan: ReceivedPlan, lists: list[MedList]) -> tuple[tuple[int | None, str, str], ...]:
    kept: list[tuple[int | None, str, str]] = []
    for line, column, text in plan.texts:
        found, rest = lists_in(text)
        where = column or (f"line {line}" if line is not None else "the plan's text")
        lists.extend(model.MedList(where, listed, line=line) for listed in found)
        if rest:
            kept.append((line, column, rest))
    return tuple(kept)


def _unread(plan: ReceivedPlan, lists: list[MedList]) -> tuple[Unread, ...]:
    """Parts not read stay reported; a list within their text is read and taken out of it."""
    kept: list[Unread] = []
    for part in plan.unread:
        found, rest = lists_in(part.text)
        lists.extend(model.MedList(part.where, listed, line=part.line) for listed in found)
        kept.append(model.Unread(part.where, rest, part.line) if found else part)
    return tuple(kept)


def _rows(plan: ReceivedPlan, lists: list[MedList]) -> tuple[ReceivedRow, ...]:
    rows: list[ReceivedRow] = []
    for row in plan.rows:
        if not any(":" in text or "\n" in text for _, text in row.texts):
            rows.append(row)
            continue
        kept: list[tuple[str, str]] = []
        for column, text in row.texts:
            found, rest = lists_in(text)
            place = f"line {row.line}" if row.line is not None else f"step {row.position}"
            lists.extend(
                model.MedList(f"{column}, {place}", listed, line=row.line) for listed in found
            )
            if rest:
                kept.append((column, rest))
        rows.append(row._replace(texts=tuple(kept)))
    return tuple(rows)
