"""The terminal's report of ``check``: a clean plan is one line, a plan with problems a table.

It joins the machine formats of ``check.output`` in ``REPORTS``, the registry the command line
hands to the workflow; it lives here because only ``render`` draws with the terminal library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ldn_titrate.check.output import REPORTS as MACHINE_REPORTS
from ldn_titrate.check.output import Report, ReportFormat
from ldn_titrate.errors import visible

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ldn_titrate.check import Finding


class TableReport(Report):
    """The terminal's table: a clean plan is one line; a plan with problems, a table drawn."""

    format = ReportFormat.TABLE
    shows = True

    def text(self, file: str, findings: Sequence[Finding], result: str) -> str | None:
        """The plan's line, or None for a table only the console can draw."""
        if self.show == "none":
            return ""
        if self.show == "all" or result != "clean":
            return None
        summaries = [f.message for f in findings if f.code == "summary"]
        line = f"{visible(file)}: clean" + (f", {summaries[0]}" if summaries else "")
        # A line that fits as it is needs no wrapping code (nor the terminal library under it).
        if line.isascii() and len(line) <= max(self.width, 20):
            return line + "\n"
        from ldn_titrate.render.findings import clean_line  # noqa: PLC0415

        return clean_line(file, findings, self.width) + "\n"


REPORTS: Final[dict[ReportFormat, type[Report]]] = {
    ReportFormat.TABLE: TableReport,
    **MACHINE_REPORTS,
}
