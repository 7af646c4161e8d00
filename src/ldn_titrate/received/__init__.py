"""A plan as received from anywhere: this tool's CSV and JSON, and CSVs typed up by hand.

Reading is lenient: headers are matched without regard to case, spaces or punctuation, a
dose column in micrograms is recognised by its header, and a cell that cannot be read
becomes a problem of its row rather than an exception. Only a file that cannot be read at
all (not UTF-8, empty, not CSV or JSON, no dose column) raises ``PlanFormatError``.
This package reads; it never judges what it reads (that is ``ldn_titrate.check``).
"""

from __future__ import annotations

from ldn_titrate.errors import PlanFormatError
from ldn_titrate.received.cells import header_field, parse_capsules
from ldn_titrate.received.csv_reader import read_csv
from ldn_titrate.received.json_reader import read_json
from ldn_titrate.received.model import (
    CapsuleCounts,
    CellProblem,
    DoseUnit,
    Form,
    Formulation,
    ReceivedFill,
    ReceivedPlan,
    ReceivedRow,
)

__all__ = [
    "CapsuleCounts",
    "CellProblem",
    "DoseUnit",
    "Form",
    "Formulation",
    "ReceivedFill",
    "ReceivedPlan",
    "ReceivedRow",
    "decode",
    "header_field",
    "parse_capsules",
    "read_plan",
]


def decode(data: bytes | str, source: str) -> str:
    """The text of a file: UTF-8 with or without a byte-order mark."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanFormatError(source, f"not UTF-8 text (byte {exc.start + 1})") from None


def read_plan(data: bytes | str, source: str) -> ReceivedPlan:
    """Read a plan as CSV or JSON, told apart by its content.

    Raises:
        PlanFormatError: the file cannot be read at all.
    """
    text = decode(data, source)
    body = text.lstrip()
    if not body:
        raise PlanFormatError(source, "the file is empty")
    if "\0" in text:
        raise PlanFormatError(source, "not a text file (it holds NUL bytes)")
    if body[0] in "{[":
        return read_json(body, source)
    return read_csv(text, source)
