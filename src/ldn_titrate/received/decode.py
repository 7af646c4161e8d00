"""The text of a received file: the encodings spreadsheets and practice systems save in.

UTF-16 with a byte-order mark (Excel's "Unicode text"), UTF-8 with or without one; anything
else is read as Windows-1252, the encoding of Excel's plain "CSV" on Windows, and said so.
A file that is none of these, or not text at all, is refused with what to ask for instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ldn_titrate.errors import PlanFormatError
from ldn_titrate.patterns import lazy_pattern
from ldn_titrate.received.model import NoteKind

# The first bytes of a ZIP archive, which an .xlsx workbook is.
ZIP_MAGIC: Final = b"PK\x03\x04"
_ASK_FOR: Final = "ask for the plan as CSV UTF-8 or .xlsx"
# Magic numbers of files that are not plans, so the refusal can say what the file is.
_NOT_TEXT: Final = (
    (b"\xd0\xcf\x11\xe0", f"an old Excel .xls workbook, which cannot be read: {_ASK_FOR}"),
    (b"%PDF", f"a PDF document, not a plan file: {_ASK_FOR}"),
    (ZIP_MAGIC, f"a ZIP archive (not an .xlsx workbook): {_ASK_FOR}"),
    (b"{\\rtf", f"a Word (RTF) document, not a plan file: {_ASK_FOR}"),
)

if TYPE_CHECKING:
    from ldn_titrate.received.extras import ReadNote


# UTF-8 text decoded once too often as Windows-1252 shows these pairs: "×" becomes "Ã—",
# "é" becomes "Ã©", a no-break space becomes "Â ". https://en.wikipedia.org/wiki/Mojibake
_double_decoded_pattern = lazy_pattern(
    "[ÂÃ][\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def decode_text(data: bytes | str, source: str) -> tuple[str, tuple[ReadNote, ...]]:
    """The text of a file and what was noticed in reading it.

    Raises:
        PlanFormatError: not text in an encoding a pharmacy system writes.
    """
    if isinstance(data, str):
        text = data.removeprefix("\ufeff")
    else:
        text, guessed = _bytes_text(data, source)
        if guessed:
            from ldn_titrate.received.extras import ReadNote  # noqa: PLC0415 - only for a plan that has one

            notes = (
                ReadNote(
                    NoteKind.ENCODING_GUESSED,
                    "the file is not UTF-8: it was read as Windows-1252 (Excel's plain CSV); "
                    "check any accented letters and symbols",
                ),
            )
            return text, notes + _double_decoded(text)
    return text, _double_decoded(text)


def _bytes_text(data: bytes, source: str) -> tuple[str, bool]:
    """The text and whether its encoding was guessed as Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), False
        except UnicodeDecodeError:
            raise PlanFormatError(
                source, f"the file says it is UTF-16 text but is damaged: {_ASK_FOR}"
            ) from None
    for magic, reason in _NOT_TEXT:
        if data.startswith(magic):
            raise PlanFormatError(source, reason)
    if _looks_like_utf16(data):
        raise PlanFormatError(
            source,
            f"UTF-16 text without its byte-order mark, which cannot be told apart: {_ASK_FOR}",
        )
    try:
        # As "utf-8-sig" reads it, in half the time.
        return data.decode("utf-8").removeprefix("\ufeff"), False
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), True
    except UnicodeDecodeError:
        raise PlanFormatError(
            source,
            f"not text a spreadsheet saves (UTF-8, UTF-16, Windows-1252): {_ASK_FOR}",
        ) from None


def _looks_like_utf16(data: bytes) -> bool:
    """Text in UTF-16 has a NUL in every other byte of its first characters."""
    head = data[:64]
    return len(head) >= 4 and (
        head[1::2].count(0) * 2 > len(head) // 2 or head[0::2].count(0) * 2 > len(head) // 2
    )


def _double_decoded(text: str) -> tuple[ReadNote, ...]:
    # Every sign of double decoding starts with "Â" or "Ã": text without either (plain ASCII
    # text, and nearly every other) is not searched, as a search costs far more than two finds.
    suspect = not text.isascii() and ("Ã" in text or "Â" in text)
    match = _double_decoded_pattern().search(text) if suspect else None
    if match is None:
        return ()
    from ldn_titrate.received.extras import ReadNote  # noqa: PLC0415 - only for a plan that has one

    return (
        ReadNote(
            NoteKind.DOUBLE_DECODED,
            f"the text shows signs of double decoding ({match[0]!r}): the file was saved as "
            "UTF-8, then opened as Windows-1252 and saved again, so symbols and accented "
            "letters are garbled; ask for the original file",
        ),
    )
