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
from ldn_titrate.errors import visible
from ldn_titrate.spreadsheet import neutralise

CSV_COLUMNS: Final = ("severity", "code", "file", "line", "step", "message")
JSON_OPEN: Final = "["
JSON_SEPARATOR: Final = ","
JSON_CLOSE: Final = "\n]\n"
JSON_EMPTY: Final = "[]\n"


def json_item(file: str, findings: Sequence[Finding]) -> str:
    """One plan's report as an item of the streamed JSON list, ``JSON_SEPARATOR`` between two.

    Written directly in the report's one shape (``Tally.to_data`` names the summary's keys),
    the same text as ``report_data`` dumped: a batch writes one per plan.
    """
    listed = _LIST_SEPARATOR.join(map(_finding_json, findings))
    counts = tally(findings)
    return (
        '\n  {\n    "file": '
        + encode_basestring(file)
        + ',\n    "findings": '
        + ("[\n      " + listed + "\n    ]" if findings else "[]")
        + ',\n    "summary": {\n      "result": '
        + encode_basestring(counts.result)
        + ',\n      "errors": '
        + str(counts.errors)
        + ',\n      "warnings": '
        + str(counts.warnings)
        + ',\n      "info": '
        + str(counts.infos)
        + "\n    }\n  }"
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


def csv_header() -> str:
    """The header row of the findings CSV."""
    return ",".join(CSV_COLUMNS) + "\r\n"


def csv_rows(findings: Sequence[Finding]) -> str:
    r"""One CSV row per finding; a text cell a spreadsheet would run as a formula is guarded.

    Every text cell passes the rule of the table too: a control, an escape sequence or a
    bidirectional override from a received file is written as ``\x1b``, never raw.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    for finding in findings:
        writer.writerow(
            (
                finding.severity.value,
                neutralise(visible(str(finding.code))),
                neutralise(visible(finding.file)),
                "" if finding.line is None else finding.line,
                "" if finding.step is None else finding.step,
                neutralise(visible(finding.message)),
            )
        )
    return out.getvalue()
