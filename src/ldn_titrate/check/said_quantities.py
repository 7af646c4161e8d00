"""Quantities to supply written in words the plan holds only as text: said, never passed over.

A quantity column, a FHIR ``dispenseRequest``, a JSON ``dispense`` section and a workbook's
Dispense sheet are read and set against the days they are for. The same amount written in a
note, a remark, a title line or the instructions ("3 flacons de 30 ml", "Dispense 2 x 30 mL
bottles", "Supply: 84 capsules") says what the patient is given, but not for which days: it is
a ``not-read`` warning naming it, so that a plan carrying one is never called clean.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from ldn_titrate.check.frequency import fold, written_span
from ldn_titrate.patterns import lazy_pattern

_NUMBER: Final = r"[0-9]+(?:[.,][0-9]+)?"
# Containers in the languages the readers know: English, German, French, Spanish, Italian,
# Dutch, the Nordic languages and Polish (accents are folded away before the match).
_CONTAINER: Final = (
    r"(?:bottles?|vials?|flacons?|flaschen?|frascos?|flaconi|flacone|flessen|fles|"
    r"flask(?:a|or|er|e)?|butel(?:ka|ki|ek)|pots?|tubs?|boxes|box|packs?|packungen?|"
    r"boites?|cajas?|scatol[ae]|doosjes?)"
)
_UNIT: Final = (
    r"(?:ml|milliliters?|millilitres?|capsules?|caps|gelules?|kapseln?|capsulas?|"
    r"capsule|kapsul(?:ek|ki|er|i)?|kapsels?)"
)
# Words that put a number to what is handed over ("dispense", "Menge", "quantité"...).
_SUPPLY: Final = (
    r"(?:dispense[ds]?|dispensing|supply|supplied|issue[ds]?|qty|quantity|quantities|"
    r"menge|abgabe|abzugeben|quantite|a delivrer|delivrer|cantidad|dispensar|quantita|"
    r"da dispensare|hoeveelheid|afleveren|udlever\w*|utlever\w*|expedier\w*|ilosc|"
    r"totale?(?!\s*(?:daily|per|dose|a day|tages|journ|giorn|diari)))"
)
# Up to three words of the same sentence between such a word and its amount.
_GAP: Final = r"[^\w.;\n]*(?:\w+[^\w.;\n]+){0,3}?"
_SAID = lazy_pattern(
    # "3 flacons de 30 ml", "bottle of 30 mL", "Flasche zu 50 ml"
    rf"{_CONTAINER}\s*(?:of|de|a|von|zu|je|da|di|van|with|mit|avec|con|met|med|z|po)?\s*"
    rf"(?<![\w.,]){_NUMBER}\s*{_UNIT}(?!\w)"
    # "30 mL bottle", "2 x 30 mL", "3 × 28 capsules"
    rf"|(?<![\w.,]){_NUMBER}\s*{_UNIT}\s*{_CONTAINER}(?!\w)"
    rf"|(?<![\w.,]){_NUMBER}\s*[x×*]\s*{_NUMBER}\s*{_UNIT}(?!\w)"
    # A count written out and in figures, as on a prescription: "twelve (12) capsules"
    rf"|\(\s*{_NUMBER}\s*\)\s*{_UNIT}(?!\w)"
    # A word of handing over, then its amount: "Dispense: 84 capsules", "Menge 60 ml"
    rf"|(?<!\w){_SUPPLY}(?!\w){_GAP}(?<![\w.,]){_NUMBER}\s*{_UNIT}(?!\w)"
)
# An amount a day is a dose, not a quantity to supply ("total 1.5 mL per day").
_PER_DAY = lazy_pattern(
    r"\s*(?:per|a|each|every|/|pro|par|al|por|al|il|om|i|na)?\s*"
    r"(?:day|daily|dag|tag|taglich|jour|dia|giorno|d|dzien|dobe)(?!\w)"
)
# A text that names no unit of supply is passed over at the cost of a look-up; so is one
# that names no container, no word of handing over, no "x" between numbers and no count in
# brackets (the instructions "Take 0.5 mL (0.5 mg) ..." of nearly every plan). A property test
# holds this shortcut equal to the whole pattern.
_UNIT_WORDS: Final = ("ml", "cap", "gel", "kaps", "kapsel", "kapsul")
_SUPPLY_CUES: Final = (
    *("bottle", "vial", "flacon", "flasch", "frasco", "flacone", "fles", "flask", "butel", "pot"),
    *("tub", "box", "pack", "boite", "caja", "scatol", "doosje", "dispens", "suppl", "issue"),
    *("qty", "quant", "menge", "abgabe", "abzugeben", "delivr", "cantidad", "hoeveel", "aflever"),
    *("udlever", "utlever", "expedi", "ilosc", "total"),
)
_COUNT_CUE = lazy_pattern(r"\(\s*[0-9]+\s*\)|[0-9]\s*[x×*]\s*[0-9]")


def _may_say_a_quantity(folded: str) -> bool:
    if not any(word in folded for word in _UNIT_WORDS) or not any(c.isdigit() for c in folded):
        return False
    if any(cue in folded for cue in _SUPPLY_CUES):
        return True
    return _COUNT_CUE().search(folded) is not None


@lru_cache(maxsize=4096)
def said_quantity(text: str) -> str | None:
    """The words of a text that give a quantity to supply, or None."""
    folded, where = fold(text)
    if not _may_say_a_quantity(folded):
        return None
    match = next(
        (m for m in _SAID().finditer(folded) if not _PER_DAY().match(folded, m.end())), None
    )
    return None if match is None else written_span(text, where, match.start(), match.end())
