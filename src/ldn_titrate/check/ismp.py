"""Wording rules: ISMP error-prone abbreviations and dose designations, and look-alike names."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from ldn_titrate.check.findings import Code, Report
from ldn_titrate.received.model import ReceivedRow

# Numbers are bounded to twelve digits each side (as in doses and stated), so that a cell of
# thousands of digits is no match to quote back.
# ISMP error-prone abbreviations and dose designations:
# https://www.empr.com/charts/error-prone-dose-designations/ ; spelled-out times and "mcg":
# http://bmjopen.bmj.com/highwire/markup/106413/expansion ; naltrexone and naloxone are
# easily confused: https://pmc.ncbi.nlm.nih.gov/articles/PMC6313374
_UNIT: Final = r"(?P<unit>mg|mcg|ml|µg|μg|ug|cc|g)"
_WORDING: Final = (
    (
        Code.ISMP_LEADING_ZERO,
        re.compile(
            r"(?<![\w.])(?P<num>\.[0-9]{1,12})(?![0-9])(?:\s*" + _UNIT + r"\b)?", re.IGNORECASE
        ),
        '"{m}" has no leading zero and can be read as ten times the dose; write "{fix}"',
    ),
    (
        Code.ISMP_TRAILING_ZERO,
        re.compile(
            r"(?<![\w.])(?P<num>[0-9]{1,12}\.[0-9]{0,11}0)(?![0-9])\s*" + _UNIT + r"\b",
            re.IGNORECASE,
        ),
        '"{m}" has a trailing zero, which can be misread as a larger dose; write "{fix}"',
    ),
    (
        Code.ISMP_MICROGRAM_SIGN,
        re.compile(r"[µμ]g|(?<![a-z])ug(?![a-z])", re.IGNORECASE),
        '"{m}" can be misread as mg; write mcg',
    ),
    (
        Code.ISMP_CC,
        re.compile(r"(?<![a-z])cc(?![a-z])", re.IGNORECASE),
        '"{m}" can be misread; write mL',
    ),
    (
        Code.ISMP_BEDTIME_ABBREVIATION,
        re.compile(r"(?<![a-z])q?\.?h\.?s\.?(?![a-z])", re.IGNORECASE),
        '"{m}" is an error-prone abbreviation; write "at bedtime"',
    ),
    (
        Code.ISMP_DAILY_ABBREVIATION,
        re.compile(r"(?<![a-z])q\.?o?\.?d\.?(?![a-z])", re.IGNORECASE),
        '"{m}" is an error-prone abbreviation; write "daily" or "every other day"',
    ),
    (
        Code.ISMP_UNIT_SPACING,
        re.compile(
            r"(?<![\w.])(?P<num>[0-9]{1,12}(?:\.[0-9]{1,12})?)" + _UNIT + r"\b", re.IGNORECASE
        ),
        '"{m}" runs the number into its unit; write "{fix}"',
    ),
    (
        Code.NAME_CONFUSION,
        re.compile(r"naloxone", re.IGNORECASE),
        'names "{m}" in a naltrexone plan; the two names are easily confused',
    ),
)
# A number cell may carry its problem without a unit: "3.0" or ".5" in a dose column.
_BARE_NUMBER: Final = re.compile(
    r"[-+]?(?P<num>[0-9]*\.[0-9]+)\s*(?:" + _UNIT + r")?", re.IGNORECASE
)
_UNIT_SPELLING: Final = {"ml": "mL", "cc": "mL", "µg": "mcg", "μg": "mcg", "ug": "mcg"}


def _fixed(number: str, unit: str | None) -> str:
    """A number and unit as ISMP wants them: ``0.5 mg``, ``3 mg``, ``1.5 mL``."""
    if number.startswith("."):
        number = "0" + number
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    if unit is None:
        return number
    return f"{number} {_UNIT_SPELLING.get(unit.lower(), unit.lower())}"


def wording_problems(text: str, number_cell: bool) -> tuple[tuple[Code, str], ...]:
    """(code, message) for each ISMP problem in a piece of text, first occurrence only."""
    found: list[tuple[Code, str]] = []
    for code, pattern, message in _WORDING:
        match = pattern.search(text)
        if match is not None:
            groups = match.groupdict()
            fix = _fixed(groups["num"], groups.get("unit")) if groups.get("num") else ""
            found.append((code, message.format(m=match[0].strip(), fix=fix)))
    bare = _BARE_NUMBER.fullmatch(text) if number_cell else None
    if bare is not None and bare["num"].endswith("0"):
        found.append(
            (
                Code.ISMP_TRAILING_ZERO,
                (
                    f'"{text}" has a trailing zero, which can be misread as a larger dose; '
                    f'write "{_fixed(bare["num"], bare["unit"])}"'
                ),
            )
        )
    return tuple(dict(found).items())


@lru_cache(maxsize=4096)
def text_problems(text: str) -> tuple[tuple[Code, str], ...]:
    """The wording problems of a text cell (the text alone is the cache's key: a quick look-up)."""
    return wording_problems(text, number_cell=False)


@lru_cache(maxsize=1024)
def number_problems(text: str) -> tuple[tuple[Code, str], ...]:
    """The wording problems of a number cell, such as a dose or a volume."""
    return wording_problems(text, number_cell=True)


def check_wording(
    report: Report,
    where: ReceivedRow | int | None,
    column: str,
    text: str,
    problems: tuple[tuple[Code, str], ...],
) -> None:
    """A warning for each of a text's wording problems, once per file for the same text."""
    for code, message in problems:
        key = (code, column, text)
        if key in report.said:
            continue
        report.said.add(key)
        said = f"{column}: {message}" if column else message
        if isinstance(where, ReceivedRow):
            report.row(code, where, said)
        else:
            report.plan(code, said, where)
