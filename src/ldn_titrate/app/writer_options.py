"""What each plan format's writer is told: its own options by key, parsed and refused here."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Final

from ldn_titrate.app.inputs import Line, refusal
from ldn_titrate.errors import InputError, Setting

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import time

    from ldn_titrate.formats import Format, WriteOptions

# The paper a workbook or a handout is set up for.
PAPERS = ("a4", "letter")


def write_options(
    fmt: Format | None, texts: Mapping[str, str | None], problems: list[Line]
) -> WriteOptions:
    """What the writer is told; an option the format does not take adds a refusal.

    ``texts`` holds the writer's options by key (``intent``, ``paper``, ``remind``) and the
    free text every format takes (``prescriber``, ``pharmacy``).
    """
    from ldn_titrate.formats import OPTIONS, WriteOptions, taking  # noqa: PLC0415

    options = WriteOptions(prescriber=texts["prescriber"], pharmacy=texts["pharmacy"])
    taken = OPTIONS.get(fmt, ()) if fmt is not None else ()
    for key, parse in _PARSERS.items():
        text = texts.get(key)
        if text is None:
            continue
        if key not in taken:
            formats = Setting("format", " and ".join(taking(key)))
            problems.append((Setting(key, ""), ": applies to ", formats, f" only, got {text!r}"))
            continue
        try:
            options = replace(options, **{key: parse(text)})
        except InputError as exc:
            problems.append(refusal(key, exc.value, exc.words))
    return options


def _intent(text: str) -> str:
    from ldn_titrate.formats.fhir_format import INTENTS  # noqa: PLC0415 - light: no models

    if text.strip().lower() not in INTENTS:
        raise InputError("intent", text, "must be proposal, plan or order")
    return text.strip().lower()


def _patient_id(text: str, name: str | None = None) -> str:
    return _fhir_id(name or "patient_id", text)


def _prescriber_id(text: str, name: str | None = None) -> str:
    from ldn_titrate.formats.fhir_format import REQUESTERS  # noqa: PLC0415 - light: no models

    name = name or "prescriber_id"
    kind, slash, key = text.strip().rpartition("/")
    if slash and kind not in REQUESTERS:
        allowed = ", ".join(REQUESTERS)
        raise InputError(name, text, f"must be a FHIR id, or TYPE/id with TYPE {allowed}")
    return f"{kind}/{_fhir_id(name, key)}" if slash else _fhir_id(name, key)


def _fhir_id(name: str, text: str) -> str:
    """A FHIR id: 1 to 64 letters, digits, '-' and '.' (https://hl7.org/fhir/R4/datatypes.html#id)."""
    from ldn_titrate.formats.fhir_format import FHIR_ID  # noqa: PLC0415 - light: no models

    if FHIR_ID.fullmatch(text.strip()) is None:
        raise InputError(name, text, "must be a FHIR id: 1 to 64 letters, digits, '-' or '.'")
    return text.strip()


ID_PARSERS: Final[dict[str, Callable[[str, str], str]]] = {
    "patient_id": _patient_id,
    "prescriber_id": _prescriber_id,
}


def _paper(text: str) -> str:
    if text.strip().lower() not in PAPERS:
        raise InputError("paper", text, "must be a4 or letter")
    return text.strip().lower()


def _remind(text: str) -> tuple[time, ...]:
    from ldn_titrate.formats.ics_format import parse_reminders  # noqa: PLC0415

    return parse_reminders(text)


# Each writer's option by key, in the order refusals are listed, and its parser.
_PARSERS: dict[str, Callable[[str], Any]] = {
    "intent": _intent,
    "patient_id": _patient_id,
    "prescriber_id": _prescriber_id,
    "paper": _paper,
    "remind": _remind,
}
