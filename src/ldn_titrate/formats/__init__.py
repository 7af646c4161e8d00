"""Output formats: a closed enum and one registry of writers and readers."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Protocol

from ldn_titrate.formats import csv_format, json_format

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


# The table is drawn by the terminal layer; every other format is text written here.
WRITERS: Final[Mapping[Format, Writer]] = MappingProxyType(
    {Format.CSV: csv_format.dumps, Format.JSON: json_format.dumps}
)
READERS: Final[Mapping[Format, Reader]] = MappingProxyType(
    {Format.CSV: csv_format.loads, Format.JSON: json_format.loads}
)
DRAWN: Final = frozenset({Format.TABLE})
