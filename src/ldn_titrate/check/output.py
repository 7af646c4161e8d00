"""Findings as machine-readable text, one plan at a time, so that a batch streams.

JSON: each plan's ``{file, findings, summary}`` object, laid out exactly as
``json.dumps(reports, indent=2, ensure_ascii=False)`` lays out the whole list, so the
command line can write the list piece by piece. CSV: one row per finding, the six keys as
columns, every text cell guarded against formula injection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from json.encoder import encode_basestring
from typing import Final

from ldn_titrate.check.findings import Finding, report_data
from ldn_titrate.spreadsheet import neutralise

CSV_COLUMNS: Final = ("severity", "code", "file", "line", "step", "message")
JSON_OPEN: Final = "["
JSON_CLOSE: Final = "\n]\n"
JSON_EMPTY: Final = "[]\n"


def json_item(file: str, findings: Sequence[Finding], *, first: bool) -> str:
    """One plan's report as an item of the streamed JSON list (its separator included)."""
    return ("\n  " if first else ",\n  ") + _dump(report_data(file, findings), "\n  ")


def _scalar(value: object) -> str:
    if isinstance(value, str):
        return str(encode_basestring(value))
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    raise TypeError(f"not in the JSON shape of a report: {type(value).__name__}")


def _dump(value: object, newline: str) -> str:
    """``value`` as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it, nested."""
    inner = newline + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (f"{encode_basestring(str(k))}: {_dump(v, inner)}" for k, v in value.items())
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(_dump(v, inner) for v in value) + newline + "]"
    return _scalar(value)


def csv_header() -> str:
    """The header row of the findings CSV."""
    return ",".join(CSV_COLUMNS) + "\r\n"


def csv_rows(findings: Sequence[Finding]) -> str:
    """One CSV row per finding; a text cell a spreadsheet would run as a formula is guarded."""
    out = io.StringIO()
    writer = csv.writer(out)
    for finding in findings:
        writer.writerow(
            (
                finding.severity.value,
                neutralise(str(finding.code)),
                neutralise(finding.file),
                "" if finding.line is None else finding.line,
                "" if finding.step is None else finding.step,
                neutralise(finding.message),
            )
        )
    return out.getvalue()
