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

from ldn_titrate.check.findings import Finding, tally
from ldn_titrate.spreadsheet import neutralise

CSV_COLUMNS: Final = ("severity", "code", "file", "line", "step", "message")
JSON_OPEN: Final = "["
JSON_SEPARATOR: Final = ","
JSON_CLOSE: Final = "\n]\n"
JSON_EMPTY: Final = "[]\n"


def json_item(file: str, findings: Sequence[Finding]) -> str:
    """One plan's report as an item of the streamed JSON list, ``JSON_SEPARATOR`` between two.

    Written directly in the report's one shape, the same text as ``report_data`` dumped: a
    batch writes one per plan, so the general walk over the data is kept for the summary.
    """
    listed = _LIST_SEPARATOR.join(map(_finding_json, findings))
    return (
        '\n  {\n    "file": '
        + encode_basestring(file)
        + ',\n    "findings": '
        + ("[\n      " + listed + "\n    ]" if findings else "[]")
        + ',\n    "summary": '
        + _dump(tally(findings).to_data(), "\n    ")
        + "\n  }"
    )


_LIST_SEPARATOR: Final = ",\n      "


def _finding_json(finding: Finding) -> str:
    """One finding as ``json.dumps`` lays it out at its depth in the list of reports."""
    return (
        '{\n        "severity": '
        + encode_basestring(finding.severity.value)
        + ',\n        "code": '
        + encode_basestring(finding.code)
        + ',\n        "file": '
        + encode_basestring(finding.file)
        + ',\n        "line": '
        + ("null" if finding.line is None else str(finding.line))
        + ',\n        "step": '
        + ("null" if finding.step is None else str(finding.step))
        + ',\n        "message": '
        + encode_basestring(finding.message)
        + "\n      }"
    )


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
