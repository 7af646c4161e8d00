"""The refusal of a plan of this tool that does not fit its model, apart from the JSON reader.

The checker catches it for every file it reads, and so imports it without the reader.
"""

from __future__ import annotations

from ldn_titrate.errors import PlanFormatError


class PlanShapeError(PlanFormatError):
    """A plan of this tool that does not fit the plan model: one problem per line."""

    def __init__(self, source: str, problems: list[str]) -> None:
        """Keep each problem, ``path: reason``."""
        self.problems = problems
        super().__init__(source, "; ".join(problems))
