"""Cells written with words: ``1.5 mg at night``, ``1.5 mg (1.5 mL)``, ``2 weeks``, ``Weeks 1-2``.

Only words about the time of the one daily dose are passed over; a cell with any other word
or a second amount ("1 mg morning and 1 mg night", "twice daily") is not read, so that a
dose is never read smaller than the cell says.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Final

from ldn_titrate.bounded import TOO_LONG, is_too_long
from ldn_titrate.patterns import lazy_pattern

# The patterns are compiled on first use: most plans write doses and days as plain numbers.
_dose_words = lazy_pattern(
    r"(?P<amount>[-+−–]?\s*[0-9]*\.?[0-9]+\s*[a-zµμ/]*)"
    r"(?:\s*\(\s*(?P<volume>[0-9]*\.?[0-9]+)\s*(?:ml|mls)\s*\))?"
    r"(?P<rest>(?:\s+[a-z]+)*)\s*\.?",
    re.IGNORECASE,
)


# Words that only say when the one daily dose is taken.
_TIME_WORDS: Final = frozenset(
    {
        "at", "night", "nightly", "bedtime", "once", "daily", "a", "day", "per", "in", "the",
        "evening", "morning", "every", "each", "by", "mouth", "orally", "take", "of",
        "naltrexone", "ldn", "before", "bed",
    }
)  # fmt: skip
# Days and weeks in English, German, French, Spanish, Italian, Dutch, Polish and Portuguese.
_DAY_WORDS: Final = r"d|days?|tage?n?|jours?|d[ií]as?|giorn[oi]|dag(?:en)?|dni|dzie[nń]"
_WEEK_WORDS: Final = (
    r"w|wks?|weeks?|wochen?|semaines?|sem|semanas?|settiman[ae]|sett|weken|tygodni[e]?|tydzie[nń]"
)


_duration = lazy_pattern(rf"(?P<n>[0-9]+)\s*(?P<unit>{_WEEK_WORDS}|{_DAY_WORDS})\.?", re.IGNORECASE)


_weeks = lazy_pattern(
    rf"(?:{_WEEK_WORDS})?\.?\s*(?P<a>[0-9]+)"
    r"(?:\s*(?:-|–|to|through|bis|à|a|al|tot)\s*(?P<b>[0-9]+))?",
    re.IGNORECASE,
)


# The last row of a week chart, held from that week on: "Week 6 onwards", "Week 6+",
# "ab Woche 6", "Semaine 6 et suivantes", "à partir de la semaine 6", "Semana 6 en adelante",
# "desde la semana 6", "da semana 6 em diante", "dalla settimana 6 in poi",
# "Settimana 6 e seguenti", "vanaf week 6", "Week 6 en verder".
_FROM: Final = (
    r"from|starting|ab|[àa]\s+partir\s+d[ae](?:\s+la)?|desde(?:\s+la)?|dalla|dal|da|vanaf"
)
_ON: Final = (
    r"onwards?|\+|and\s+after|and\s+later|on|ff\.?|en\s+adelante|y\s+siguientes|em\s+diante"
    r"|e\s+seguintes|in\s+poi|e\s+seguenti|en\s+verder|et\s+suivantes|und\s+folgende"
)


_onwards = lazy_pattern(
    rf"(?:(?:{_FROM})\s+)?(?:{_WEEK_WORDS})\.?\s*[0-9]+\s*(?:{_ON})"
    rf"|(?:{_FROM})\s+(?:{_WEEK_WORDS})\.?\s*[0-9]+",
    re.IGNORECASE,
)


DAYS_PER_WEEK: Final = 7
ONE_DOSE: Final = "write the one daily dose alone, such as 1.5 mg"


@lru_cache(maxsize=4096)
def dose_in_words(text: str) -> tuple[str, Decimal | None] | str | None:
    """The amount written before time words (``1.5 mg``) and a volume in brackets; or why not.

    None when the cell does not start with an amount at all.
    """
    match = _dose_words().fullmatch(text.strip())
    if match is None:
        if _dose_words().match(text.strip()) is not None:
            return ONE_DOSE
        return None
    words = match["rest"].lower().split()
    if any(word not in _TIME_WORDS for word in words):
        return ONE_DOSE
    volume = match["volume"]
    return match["amount"].strip(), None if volume is None else Decimal(volume)


@lru_cache(maxsize=1024)
def duration_days(text: str) -> int | None:
    """Days in a duration written as ``14 days`` or ``2 weeks``, or None."""
    match = _duration().fullmatch(text.strip())
    if match is None or is_too_long(match["n"]):
        return None
    count = int(match["n"])
    weeks = re.fullmatch(_WEEK_WORDS, match["unit"], re.IGNORECASE) is not None
    return count * DAYS_PER_WEEK if weeks else count


@lru_cache(maxsize=1024)
def weeks_days(text: str) -> int | str | None:
    """Days in a cell of a weeks column (``Week 3`` is 7 days, ``Weeks 1-2`` 14), or why not.

    None for the last row of a chart held from a week on (``Week 6 onwards``): ongoing.
    """
    if _onwards().fullmatch(text.strip()) is not None:
        return None
    match = _weeks().fullmatch(text.strip())
    if match is None:
        return "write weeks as Week 1 or Weeks 1-2"
    if is_too_long(match["a"]) or is_too_long(match["b"] or ""):
        return TOO_LONG
    first = int(match["a"])
    last = first if match["b"] is None else int(match["b"])
    if last < first:
        return "the weeks run backwards"
    return (last - first + 1) * DAYS_PER_WEEK
