"""Findings as machine-readable text, one plan at a time, so that a batch streams.

Each report format is one class in ``REPORTS`` under its ``ReportFormat`` member (the table,
drawn by the terminal, is the one format registered above this package).

JSON: each plan's ``{file, findings, summary}`` object, laid out exactly as
``json.dumps(reports, indent=2, ensure_ascii=False)`` lays out the whole list, so the
command line can write the list piece by piece. CSV: one row per finding, the six keys as
columns, every text cell guarded against formula injection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from enum import StrEnum
from json.encoder import encode_basestring
from typing import ClassVar, Final, Literal

from ldn_titrate.check.findings import Finding, tally
from ldn_titrate.errors import json_visible, visible
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


# Which plans a table shows: every plan's findings, the problems (a clean plan in one line),
# or none (the summary line alone).
Show = Literal["all", "problems", "none"]


class ReportFormat(StrEnum):
    """The report formats of ``check``: a new one is a member here and a class in a registry."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


class Report:
    """A report format: each plan's text, made apart (in a worker process too), then joined."""

    format: ClassVar[ReportFormat]
    # Whether the format takes what to show (``all``, ``problems``, ``none``): the table only.
    shows: ClassVar[bool] = False
    opening: ClassVar[str] = ""

    def __init__(self, show: Show = "problems", width: int = 80) -> None:
        """What to show, and the width of the terminal, for the formats that draw on it."""
        self.show = show
        self.width = width

    def text(self, file: str, findings: Sequence[Finding], result: str) -> str | None:
        """One plan's text; None when only a terminal can draw it."""
        raise NotImplementedError

    def joined(self, text: str, *, first: bool) -> str:  # noqa: ARG002 - for lists with separators
        """One plan's text as written after the plans before it."""
        return text

    def closing(self, *, empty: bool) -> str:  # noqa: ARG002 - for lists with a closing
        """What ends the report once every plan is written."""
        return ""


class JsonReport(Report):
    """One JSON list of ``{file, findings, summary}``, laid out as ``json.dumps`` would."""

    format = ReportFormat.JSON

    def text(self, file: str, findings: Sequence[Finding], result: str) -> str:  # noqa: ARG002
        """The plan's item of the list, hidden characters escaped."""
        return json_visible(json_item(file, findings))

    def joined(self, text: str, *, first: bool) -> str:
        """The item after the list's opening or a separator."""
        return (JSON_OPEN if first else JSON_SEPARATOR) + text

    def closing(self, *, empty: bool) -> str:
        """The end of the list, or an empty list."""
        return JSON_EMPTY if empty else JSON_CLOSE


class CsvReport(Report):
    """One CSV table of findings under one header row."""

    format = ReportFormat.CSV
    opening = csv_header()

    def text(self, file: str, findings: Sequence[Finding], result: str) -> str:  # noqa: ARG002
        """The plan's rows."""
        return csv_rows(findings)


# Every format this package writes; the table joins them above, where it is drawn.
REPORTS: Final[dict[ReportFormat, type[Report]]] = {
    report.format: report for report in (JsonReport, CsvReport)
}
