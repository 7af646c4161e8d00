"""Output formats: a closed enum and one registry of writers and readers."""

from __future__ import annotations

from collections.abc import Mapping
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


class Writer(Protocol):
    """Turns a schedule into the text of one format."""

    def __call__(self, schedule: Schedule) -> str:
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


_CSV: Final = "ldn_titrate.formats.csv_format"
_JSON: Final = "ldn_titrate.formats.json_format"

# The table is drawn by the terminal layer; every other format is text written here.
WRITERS: Final[Mapping[Format, Writer]] = MappingProxyType(
    {Format.CSV: _Lazy(_CSV, "dumps"), Format.JSON: _Lazy(_JSON, "dumps")}
)
READERS: Final[Mapping[Format, Reader]] = MappingProxyType(
    {Format.CSV: _Lazy(_CSV, "loads"), Format.JSON: _Lazy(_JSON, "loads")}
)
DRAWN: Final = frozenset({Format.TABLE})
