"""``check --sig``: prescription directions checked as a plan, beside any plan files."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Final

from ldn_titrate.cli import EXIT_INVALID, fail

if TYPE_CHECKING:
    from ldn_titrate.check import CheckOptions, Finding
    from ldn_titrate.cli.check import Show

# How the findings of --sig name what they are about, as "<stdin>" names standard input.
SIG_SOURCE: Final = "<sig>"

Write = Callable[[str, "str | None", "Sequence[Finding] | None"], None]


def sig_arguments(
    plans: list[str] | None, sig: str | None, from_: str | None
) -> tuple[list[str], date | None]:
    """The plan files and day 1 of the directions; refuses a check with neither, or stdin twice."""
    from ldn_titrate.errors import shown  # noqa: PLC0415

    if not plans and sig is None:
        fail(["Missing argument 'PLAN'; see 'ldn-titrate check --help'"], EXIT_INVALID)
    if plans is not None and plans.count("-") > 1:
        # The first '-' would take all of stdin and the second find it empty.
        fail(["PLAN '-': given more than once; standard input can be read once"], EXIT_INVALID)
    if from_ is not None and sig is None:
        fail([f"--from: applies to --sig only, got {shown(from_)}"], EXIT_INVALID)
    return plans or [], None if sig is None else _sig_day(from_)


def write_sig(
    write: Write, sig: str | None, day: date | None, batch: tuple[CheckOptions, str, Show]
) -> tuple[int, int]:
    """Check the directions from ``day`` and write their findings: (errors, warnings) as 0 or 1."""
    if sig is None or day is None:
        return 0, 0
    from ldn_titrate.check import tally  # noqa: PLC0415
    from ldn_titrate.check.sig import check_sig  # noqa: PLC0415
    from ldn_titrate.cli.check import _text  # noqa: PLC0415 - the one writer of a plan's text

    options, fmt, show = batch
    findings = check_sig(sig, day, options, SIG_SOURCE)
    result = tally(findings).result
    write(SIG_SOURCE, _text(fmt, show, SIG_SOURCE, findings, result), findings)
    return int(result == "error"), int(result == "warning")


def _sig_day(text: str | None) -> date:
    """Day 1 of the directions: as given, else today (or the day LDN_TITRATE_TODAY names)."""
    from ldn_titrate.app.inputs import TODAY_VARIABLE  # noqa: PLC0415
    from ldn_titrate.dates import parse_day  # noqa: PLC0415
    from ldn_titrate.errors import InputError  # noqa: PLC0415

    today = date.today()
    fixed = os.environ.get(TODAY_VARIABLE)
    try:
        if fixed is not None:
            today = parse_day(fixed, TODAY_VARIABLE, today)
        return today if text is None else parse_day(text, "--from", today)
    except InputError as exc:
        fail([str(exc)], EXIT_INVALID)
