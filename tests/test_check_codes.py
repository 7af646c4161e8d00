"""The catalogue of finding codes: the README lists exactly the codes and severities of Code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ldn_titrate.check import Code, Severity
from ldn_titrate.check.steps import UNREADABLE_CELL
from ldn_titrate.received.headers import ALIASES as _ALIASES

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
ROW = re.compile(
    r"\| `(?P<code>[^`]+)` \| (?P<severity>\w+) \| (?P<meaning>[^|]+?) \| (?P<why>[^|]*?) \|"
)
# The one table of the rule behind every severity, above the codes.
RULE = re.compile(
    r"\| (?P<severity>error|warning|info) \| (?P<when>[^|]+?) \| (?P<example>[^|]+?) \|"
)


def readme_rows() -> list[re.Match[str]]:
    """Each row of the README's table of finding codes, in order."""
    section = README.split("### Finding codes\n", 1)[1].split("\n#", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("| `")]
    rows = [ROW.fullmatch(line) for line in table]
    assert all(rows), [line for line, row in zip(table, rows, strict=True) if row is None]
    return [row for row in rows if row is not None]


def readme_codes() -> list[tuple[str, str]]:
    """(code, severity) for each row of the README's table of finding codes, in order."""
    return [(row["code"], row["severity"]) for row in readme_rows()]


def test_the_readme_states_the_rule_of_each_severity_once() -> None:
    section = README.split("### Finding codes\n", 1)[1].split("\n#", 1)[0]
    rules = [RULE.fullmatch(line) for line in section.splitlines()]
    assert sorted(r["severity"] for r in rules if r is not None) == ["error", "info", "warning"]
    assert "| code | severity | meaning | why this severity |" in section


@pytest.mark.parametrize("code", list(Code))
def test_every_code_says_why_it_has_its_severity(code: Code) -> None:
    row = next(row for row in readme_rows() if row["code"] == code.value)
    assert row["severity"] == code.severity.value
    why = row["why"].strip()
    # One line of its own, not the meaning again.
    assert why
    assert why != row["meaning"].strip()


def test_an_unread_part_is_never_info() -> None:
    unread = [c for c in Code if c.value == "not-read" or c.value.endswith("-unreadable")]
    assert unread
    assert all(c.severity is not Severity.INFO for c in unread)


def test_the_readme_lists_each_code_once() -> None:
    codes = [code for code, _ in readme_codes()]
    assert len(codes) == len(set(codes))


def test_every_code_of_the_catalogue_is_in_the_readme_with_its_severity() -> None:
    listed = dict(readme_codes())
    assert {code.value: code.severity.value for code in Code} == listed


def test_every_code_in_the_readme_is_in_the_catalogue() -> None:
    known = {code.value for code in Code}
    assert [code for code, _ in readme_codes() if code not in known] == []


def test_the_readme_lists_the_codes_in_the_catalogues_order() -> None:
    assert [code for code, _ in readme_codes()] == [code.value for code in Code]


@pytest.mark.parametrize("code", list(Code))
def test_each_code_has_one_of_the_three_severities(code: Code) -> None:
    assert code.severity in set(Severity)
    assert code == code.value


def test_every_part_of_a_step_the_reader_can_refuse_has_a_code() -> None:
    # The reader names a refused cell by the part of the step it gives; both dose columns
    # are refused as "dose", and columns it does not know are never refused. A dose cell whose
    # unit contradicts its column is refused as "dose_unit".
    parts = {"dose" if field.startswith("dose_") else field for field in _ALIASES}
    parts.add("dose_unit")
    # Morning and bedtime cells are kept as written and read by the check (split-unreadable).
    parts -= {f"{t}_{k}" for t in ("morning", "bedtime") for k in ("mg", "ml", "capsules")}
    # Capsules counted beside their strength are refused as capsules.
    parts -= {"capsule_count", "capsule_strength"}
    assert UNREADABLE_CELL["concentration"] == "formulation-unreadable"
    assert parts == set(UNREADABLE_CELL)
