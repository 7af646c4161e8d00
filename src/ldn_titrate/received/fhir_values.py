"""Small readers of FHIR JSON values: paths, lists, bounded numbers and the text of a part."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

# A number with more digits or a larger exponent than this is no dose, period or count: it is
# refused before any Decimal arithmetic, so that 1e30 or a 40,000-digit value cannot stall.
_MAX_DIGITS: Final = 30
_NUMBER_TEXT: Final = re.compile(r"[-+]?(?:[0-9]{1,30}(?:\.[0-9]{0,30})?|\.[0-9]{1,30})")
# The flattened text of a part not read is kept to this many characters: enough for the
# text screens to pass over every name a real note holds, bounded for a hostile file.
TEXT_LIMIT: Final = 4_000


def get(value: object, *path: str | int) -> object:
    """The value at a path of keys and list indexes, or None where the path stops."""
    for key in path:
        if isinstance(key, int):
            value = value[key] if isinstance(value, list) and len(value) > key else None
        else:
            value = value.get(key) if isinstance(value, dict) else None
    return value


def items(value: object) -> list[object]:
    """A JSON list, or no items for anything else."""
    return value if isinstance(value, list) else []


def text_of(value: object) -> str:
    """A JSON string stripped, or empty for anything else."""
    return value.strip() if isinstance(value, str) else ""


def number(value: object) -> Decimal | None:
    """A finite JSON number (or numeric text) of at most 30 digits each side, else None."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        return None
    if isinstance(value, int):
        return Decimal(value) if abs(value) < 10**_MAX_DIGITS else None
    if isinstance(value, Decimal):
        return value if _bounded(value) else None
    text = value.strip()
    return Decimal(text) if _NUMBER_TEXT.fullmatch(text) is not None else None


def _bounded(value: Decimal) -> bool:
    """A finite Decimal of at most 30 digits, with no positive or very negative exponent."""
    if not value.is_finite():
        return False
    _, digits, exponent = value.as_tuple()
    return (
        len(digits) <= _MAX_DIGITS and isinstance(exponent, int) and -_MAX_DIGITS <= exponent <= 0
    )


def flattened(value: object, limit: int = TEXT_LIMIT) -> str:
    """Every string and number a JSON value holds, in order, joined by ``; ``, bounded."""
    out: list[str] = []
    size = 0
    stack: list[object] = [value]
    while stack and size < limit:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, str) and item.strip():
            out.append(item.strip())
            size += len(item)
        elif isinstance(item, int | Decimal) and not isinstance(item, bool):
            shown = str(item)
            out.append(shown if len(shown) <= _MAX_DIGITS else shown[:_MAX_DIGITS] + "…")
            size += len(out[-1])
    return "; ".join(out)[:limit]


_CONCENTRATION: Final = re.compile(
    r"(?<![0-9.])([0-9]{1,6}(?:\.[0-9]{1,6})?)\s*mg\s*/\s*(?:1\s*)?ml\b", re.IGNORECASE
)
_MG: Final = r"[0-9]{1,6}(?:\.[0-9]{1,6})?\s*mg"
_UNIT_STRENGTHS: Final = re.compile(
    rf"(?<![0-9.])(?P<list>{_MG}(?:\s*(?:,|and|or|&|/)\s*{_MG}){{0,5}})\s+(?:oral\s+)?"
    r"(?P<unit>tablet|tab|capsule|cap)s?\b",
    re.IGNORECASE,
)
_NUMBERS: Final = re.compile(r"[0-9]{1,6}(?:\.[0-9]{1,6})?")
_UNIT_WORDS: Final = {"tablet": "tablet", "tab": "tablet", "capsule": "capsule", "cap": "capsule"}


def named_strengths(text: str) -> list[tuple[Decimal, str]]:
    """The strengths a text names, in mg per mL, capsule or tablet.

    ``5 mg/mL`` is (5, "mL"); ``1.5 mg and 0.5 mg capsules`` is (1.5, "capsule") and
    (0.5, "capsule"); ``50 mg tablet`` is (50, "tablet").
    """
    found = [(Decimal(m[1]), "mL") for m in _CONCENTRATION.finditer(text)]
    for match in _UNIT_STRENGTHS.finditer(text):
        unit = _UNIT_WORDS[match["unit"].lower()]
        found.extend((Decimal(n), unit) for n in _NUMBERS.findall(match["list"]))
    return found
