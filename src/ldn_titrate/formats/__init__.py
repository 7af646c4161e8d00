"""Output formats: a closed enum and one registry of writers and readers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import import_module
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, NamedTuple, Protocol

if TYPE_CHECKING:
    from datetime import time

    from ldn_titrate.model import Schedule, Step


class Format(StrEnum):
    """Every format ``plan`` can write."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    FHIR = "fhir"
    ICS = "ics"
    XLSX = "xlsx"
    HTML = "html"
    SIG = "sig"


@dataclass(frozen=True, slots=True)
class WriteOptions:
    """What a writer may be told besides the schedule: free text for printed pages."""

    prescriber: str | None = None
    """Who prescribed the plan, as the prescriber wrote it (shown literally)."""
    pharmacy: str | None = None
    """The dispensing pharmacy, as written (shown literally)."""
    intent: str | None = None
    """FHIR only: the MedicationRequest intent, proposal (default), plan or order."""
    patient_id: str | None = None
    """FHIR only: the patient's id, written as the reference ``Patient/<id>``."""
    prescriber_id: str | None = None
    """FHIR only: the prescriber's id, ``Practitioner/<id>``, or a reference that names its type."""
    remind: tuple[time, ...] = ()
    """iCalendar only: the local time of a daily reminder for each dose time, morning first."""
    replaces: tuple[Step, ...] = ()
    """iCalendar only: the steps of the plan a re-plan replaces, whose events it updates."""
    paper: str | None = None
    """Workbook and handout: the paper printed on, a4 or letter; None: a4 for a workbook,
    the printer's own for the handout."""


DEFAULT_OPTIONS: Final = WriteOptions()


class Writer(Protocol):
    """Turns a schedule into the text of one format."""

    def __call__(self, schedule: Schedule, options: WriteOptions = DEFAULT_OPTIONS) -> str:
        """Write the whole schedule."""
        ...


class BinaryWriter(Protocol):
    """Turns a schedule into the bytes of one binary format (a file, never a terminal)."""

    def __call__(self, schedule: Schedule, options: WriteOptions = DEFAULT_OPTIONS) -> bytes:
        """Write the whole schedule."""
        ...


class Reader(Protocol):
    """Reads the steps back from the text of one format."""

    def __call__(self, text: str, source: str) -> tuple[Step, ...]:
        """Read every step; raise PlanFormatError naming the source and line."""
        ...


class _Lazy:
    """A function of a format module, imported on first call so start-up loads one format only."""

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 - forwards to the real function
        return getattr(import_module(self.module), self.name)(*args, **kwargs)

    def __repr__(self) -> str:
        return f"{self.module}.{self.name}"


class _Module(NamedTuple):
    """Where a written format lives and what it can do."""

    name: str
    binary: bool = False
    """Written as bytes (a workbook), not text: never to a terminal."""
    reads: bool = True
    """The module also reads its own output back (``loads``)."""
    suffixes: tuple[str, ...] = ()
    """File name endings that choose this format when none is given (the first owner wins)."""
    options: tuple[str, ...] = ()
    """The keys of the writer's own options it takes (``WriteOptions``); others are refused."""


# The module of each written format: it declares ``FORMAT`` and ``write``, and ``loads`` if
# the format reads back. The table is drawn by the terminal layer (render). Whether a format
# is binary is said here and nowhere else.
_MODULES: Final = {
    Format.CSV: _Module("ldn_titrate.formats.csv_format", suffixes=(".csv",)),
    Format.JSON: _Module("ldn_titrate.formats.json_format", suffixes=(".json",)),
    # A FHIR resource is JSON too: written to a .json file when asked for by name.
    Format.FHIR: _Module(
        "ldn_titrate.formats.fhir_format",
        suffixes=(".json",),
        options=("intent", "patient_id", "prescriber_id"),
    ),
    Format.ICS: _Module("ldn_titrate.formats.ics_format", suffixes=(".ics",), options=("remind",)),
    Format.XLSX: _Module(
        "ldn_titrate.formats.xlsx_format",
        binary=True,
        reads=False,
        suffixes=(".xlsx",),
        options=("paper",),
    ),
    Format.HTML: _Module(
        "ldn_titrate.formats.html_format",
        reads=False,
        suffixes=(".html", ".htm"),
        options=("paper",),
    ),
    # Directions are read back by ldn_titrate.received.sig, which a writer may not import; as
    # plain text, they are written to a file only when asked for by name.
    Format.SIG: _Module("ldn_titrate.formats.sig_format", reads=False),
}
# Plain text: the table by default, or any text format asked for by name.
_TEXT_SUFFIXES: Final = ("", ".txt", ".text")
MODULES: Final[Mapping[Format, str]] = MappingProxyType(
    {fmt: module.name for fmt, module in _MODULES.items()}
)
BINARY: Final = frozenset(fmt for fmt, module in _MODULES.items() if module.binary)
WRITERS: Final[Mapping[Format, Writer]] = MappingProxyType(
    {fmt: _Lazy(m.name, "write") for fmt, m in _MODULES.items() if not m.binary}
)
BINARY_WRITERS: Final[Mapping[Format, BinaryWriter]] = MappingProxyType(
    {fmt: _Lazy(m.name, "write") for fmt, m in _MODULES.items() if m.binary}
)
READERS: Final[Mapping[Format, Reader]] = MappingProxyType(
    {fmt: _Lazy(m.name, "loads") for fmt, m in _MODULES.items() if m.reads}
)
DRAWN: Final = frozenset({Format.TABLE})
# The writer's options each format takes, by key; the drawn table takes none.
OPTIONS: Final[Mapping[Format, tuple[str, ...]]] = MappingProxyType(
    {fmt: _MODULES[fmt].options if fmt in _MODULES else () for fmt in Format}
)


def taking(key: str) -> tuple[str, ...]:
    """The names of the formats that take a writer's option, in the order of ``Format``."""
    return tuple(str(fmt) for fmt, keys in OPTIONS.items() if key in keys)


def writer_of(fmt: Format) -> Writer | BinaryWriter:
    """The writer of a written format, text or binary."""
    return WRITERS[fmt] if fmt in WRITERS else BINARY_WRITERS[fmt]


def _suffix(path: str) -> str:
    """A file name's ending, lower case, with its dot ('' when it has none)."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ending = name.rpartition(".")
    return f".{ending.lower()}" if dot and stem else ""


def formats_named_by(path: str) -> tuple[Format, ...] | None:
    """The formats a file name's ending names, the default first; None for an unknown ending.

    An empty tuple is no opinion: a name with no ending, or a plain-text one.
    """
    suffix = _suffix(path)
    if suffix in _TEXT_SUFFIXES:
        return ()
    named = tuple(fmt for fmt, module in _MODULES.items() if suffix in module.suffixes)
    return named or None
