"""Output formats: a closed enum and one registry of writers and readers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import import_module
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Protocol

if TYPE_CHECKING:
    from ldn_titrate.model import Schedule, Step


class Format(StrEnum):
    """Every format ``plan`` can write."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    HTML = "html"


@dataclass(frozen=True, slots=True)
class WriteOptions:
    """What a writer may be told besides the schedule: free text for printed pages."""

    prescriber: str | None = None
    """Who prescribed the plan, as the prescriber wrote it (shown literally)."""
    pharmacy: str | None = None
    """The dispensing pharmacy, as written (shown literally)."""


DEFAULT_OPTIONS: Final = WriteOptions()


class Writer(Protocol):
    """Turns a schedule into the text of one format."""

    def __call__(self, schedule: Schedule, options: WriteOptions = DEFAULT_OPTIONS) -> str:
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


# The module of each written format: it declares ``FORMAT`` and ``write``, and ``loads`` if
# the format reads back. The table is drawn by the terminal layer (render).
MODULES: Final[Mapping[Format, str]] = MappingProxyType(
    {
        Format.CSV: "ldn_titrate.formats.csv_format",
        Format.JSON: "ldn_titrate.formats.json_format",
        Format.HTML: "ldn_titrate.formats.html_format",
    }
)
WRITERS: Final[Mapping[Format, Writer]] = MappingProxyType(
    {fmt: _Lazy(module, "write") for fmt, module in MODULES.items()}
)
READERS: Final[Mapping[Format, Reader]] = MappingProxyType(
    {fmt: _Lazy(module, "loads") for fmt, module in MODULES.items()}
)
DRAWN: Final = frozenset({Format.TABLE})
