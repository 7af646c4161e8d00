"""Text cells that a spreadsheet would run as a formula, the guard that stops it, and ASCII text.

Low in the layers so that every CSV this tool writes, a plan or a list of findings, can use
the one guard without importing a writer of another kind; the command line's ASCII-only
standard output uses the same equivalents.
"""

from __future__ import annotations

from typing import Final

# Cells a spreadsheet would run as a formula (OWASP CSV injection,
# https://owasp.org/www-community/attacks/CSV_Injection; ASVS 1.2.10 adds NUL).
FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def formula_guarded(text: str) -> bool:
    """Whether a cell, after any leading quotes, starts with a formula trigger."""
    return text.lstrip("'").startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """Prefix a ``'`` to a text cell that a spreadsheet would read as a formula.

    A cell that already starts with quotes before a trigger gets one more, so that dropping
    one leading quote gives back exactly the text that was written.
    """
    return "'" + text if formula_guarded(text) else text


def restore(text: str) -> str:
    """Undo ``neutralise``: drop one leading ``'`` that guards a formula trigger."""
    return text[1:] if text.startswith("'") and formula_guarded(text) else text


# What the tool itself writes outside ASCII, and its ASCII equivalent: a CSV opened with the
# wrong encoding, or an ASCII-only terminal, then never shows a garbled dose.
ASCII_EQUIVALENTS: Final = {
    "×": "x",
    "–": "-",
    "−": "-",
    "±": "+/-",
    "÷": "/",
    "µ": "mc",
    "…": "...",
    "’": "'",
    "“": '"',
    "”": '"',
}
_ASCII_TABLE: Final = str.maketrans(ASCII_EQUIVALENTS)


def ascii_text(text: str) -> str:
    """Text the tool generated, in ASCII: ``2 x 1.5 mg`` for ``2 × 1.5 mg`` (others unchanged)."""
    return text.translate(_ASCII_TABLE)
