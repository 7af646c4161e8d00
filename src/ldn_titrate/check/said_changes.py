"""Dose changes written in words beside the steps: said, never passed over.

The steps give each dose. A note, a remark or a title line that multiplies it ("double the
dose from week 3", "Dosis verdoppeln", "doubler la dose") tells the patient to take what no
step shows; which of the two is meant is the prescriber's to say. It is a ``not-read`` warning
naming the words, so that a plan carrying one is never called clean. A change of pace ("increase
by 0.5 mg every 2 weeks") or a step back ("reduce to the last dose if sleep is disturbed")
describes the steps, and is not this.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from ldn_titrate.check.frequency import fold, written_span
from ldn_titrate.patterns import lazy_pattern

# Words that multiply a dose, in the languages the readers know (accents folded); they
# change the dose only when said of it ("double the dose", "Dosis verdoppeln", "halve to 1 mg").
_MULTIPLY: Final = (
    r"double[ds]?(?![- ]?check)|doubling|triple[ds]?|tripling|halve[ds]?|halving"
    r"|verdoppel\w*|verdreifach\w*|halbier\w*|doubler|doublez|tripler"
    r"|duplica\w*|triplica\w*|raddoppia\w*|dimezza\w*|verdubbel\w*|halveer\w*"
)
# The dose itself, by name.
_DOSE: Final = r"(?:dose[sn]?|dosis|dosage|dosierung|dosering|dosi|dosaggio|amount|volume|menge)"
# Phrases that name a multiplied dose whole ("twice the amount", "doppelte Dosis").
_DOUBLE_DOSE: Final = (
    rf"twice (?:the |your |this )?{_DOSE}|double dose|doppelte dosis|dose doppelt"
    r"|la dose double|deux fois la dose|doble de la dosis|dosis doble|dose doppia|doppia dose"
    r"|dubbele dosis"
)
_CHANGE = lazy_pattern(
    rf"(?<!\w)(?:{_MULTIPLY})\s+(?:(?:the|la|le|die|de|il|het|your|this)\s+)?{_DOSE}(?!\w)"
    rf"|(?<!\w){_DOSE}\s+(?:\w+\s+){{0,3}}?(?:{_MULTIPLY})(?!\w)"
    rf"|(?<!\w)(?:{_MULTIPLY})\s+(?:to|auf|a|naar|su)\s+[0-9]"
    rf"|(?<!\w)(?:{_DOUBLE_DOSE})(?!\w)"
    rf"|(?<!\w){_DOSE}\s*[x×]\s*[23](?!\w)"
)
# Said not to be done: "do not take a double dose to make up for a missed one".
_DENIED = lazy_pattern(
    r"(?<!\w)(?:not|never|n't|nicht|kein\w*|pas|ne|no|niet|geen|non|nunca|jamais|mai)"
    r"\s+(?:\w+\s+){0,3}$"
)
# How far back a "not" may stand: a word and three more; each match looks back no further,
# so a long text of many matches is read in linear time.
_DENIAL_REACH: Final = 60


def _denied(folded: str, start: int) -> bool:
    return _DENIED().search(folded, max(0, start - _DENIAL_REACH), start) is not None


# The words only a dose change holds; a text with none is passed over at a look-up's cost (a
# property test holds this shortcut equal to the whole pattern).
_CUES: Final = (
    *("doub", "trip", "halv", "twice", "doppel", "dreifach", "halbier", "dupli", "dobl"),
    *("doppi", "dimezz", "dubbel", "halveer", "deux fois", "x2", "x 2", "×", "x3", "x 3"),
)


@lru_cache(maxsize=4096)
def said_change(text: str) -> str | None:
    """The words of a text that multiply the dose, or None."""
    folded, where = fold(text)
    if not any(cue in folded for cue in _CUES):
        return None
    match = next(
        (m for m in _CHANGE().finditer(folded) if not _denied(folded, m.start())),
        None,
    )
    return None if match is None else written_span(text, where, match.start(), match.end())
