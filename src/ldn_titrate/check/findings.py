"""Findings: their severities, the catalogue of codes, tallies and the JSON shape."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Self

from ldn_titrate.errors import shown
from ldn_titrate.received.model import ReceivedRow


class Severity(StrEnum):
    """How much a finding matters: an error stops compounding, a warning needs a look."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Code(StrEnum):
    """Every finding code, each with its severity; the README lists them (a test holds it).

    The rule behind each severity is the README's: an error when dispensing as written could
    harm, a warning when a pharmacist must look, info otherwise; a part not read is never info.
    """

    _value_: str
    severity: Severity

    def __new__(cls, value: str, severity: Severity) -> Self:
        """A code as written in the output, and the severity it always has."""
        member = str.__new__(cls, value)
        member._value_ = value
        member.severity = severity
        return member

    # The file and what it records about itself.
    UNREADABLE = "unreadable", Severity.ERROR
    INTERNAL_ERROR = "internal-error", Severity.ERROR
    FORMULATION_UNREADABLE = "formulation-unreadable", Severity.ERROR
    FORMULATION_CONFLICT = "formulation-conflict", Severity.ERROR
    CONCENTRATION_CONFLICT = "concentration-conflict", Severity.ERROR
    NO_STEPS = "no-steps", Severity.ERROR
    UNDATED = "undated", Severity.WARNING
    ENCODING_GUESSED = "encoding-guessed", Severity.INFO
    DOUBLE_DECODED = "double-decoded", Severity.WARNING
    DATE_ORDER_UNKNOWN = "date-order-unknown", Severity.ERROR
    DATE_SERIALS = "date-serials", Severity.INFO
    DOSES_FROM_VOLUMES = "doses-from-volumes", Severity.INFO
    VOLUMES_WITHOUT_CONCENTRATION = "volumes-without-concentration", Severity.ERROR
    NOT_READ = "not-read", Severity.WARNING
    # Directions (check --sig) that are not read: each names the words reading stopped at.
    SIG_RANGE = "sig-range", Severity.ERROR
    SIG_CONDITIONAL = "sig-conditional", Severity.ERROR
    SIG_UNREADABLE = "sig-unreadable", Severity.ERROR
    WRONG_MEDICINE = "wrong-medicine", Severity.ERROR
    # Other medicines.
    OPIOID = "opioid", Severity.ERROR
    DUPLICATE_NALTREXONE = "duplicate-naltrexone", Severity.ERROR
    MEDS_REVIEWED = "meds-reviewed", Severity.WARNING
    MED_MENTIONED = "med-mentioned", Severity.WARNING
    ANTAGONIST = "antagonist", Severity.WARNING
    GUT_OPIOID = "gut-opioid", Severity.WARNING
    # Cells that cannot be read, by the part of the step they give.
    STEP_UNREADABLE = "step-unreadable", Severity.ERROR
    DATE_UNREADABLE = "date-unreadable", Severity.ERROR
    DAYS_UNREADABLE = "days-unreadable", Severity.ERROR
    DOSE_UNREADABLE = "dose-unreadable", Severity.ERROR
    VOLUME_UNREADABLE = "volume-unreadable", Severity.ERROR
    CAPSULES_UNREADABLE = "capsules-unreadable", Severity.ERROR
    QUANTITY_UNREADABLE = "quantity-unreadable", Severity.ERROR
    INSTRUCTIONS_UNREADABLE = "instructions-unreadable", Severity.ERROR
    LABEL_UNREADABLE = "label-unreadable", Severity.WARNING
    NOTE_UNREADABLE = "note-unreadable", Severity.WARNING
    DOSE_UNIT_CONFLICT = "dose-unit-conflict", Severity.ERROR
    COLUMNS_AGREE = "columns-agree", Severity.INFO
    COLUMNS_DISAGREE = "columns-disagree", Severity.ERROR
    # One step: its cells and days.
    STEP_NUMBER = "step-number", Severity.ERROR
    DATE_MISSING = "date-missing", Severity.ERROR
    DOSE_MISSING = "dose-missing", Severity.ERROR
    DATES_REVERSED = "dates-reversed", Severity.ERROR
    DAYS_MISMATCH = "days-mismatch", Severity.ERROR
    # One step: its dose.
    DOSE_LOOKS_LIKE_MG = "dose-looks-like-mg", Severity.ERROR
    DOSE_LOOKS_LIKE_MCG = "dose-looks-like-mcg", Severity.ERROR
    DOSE_NOT_POSITIVE = "dose-not-positive", Severity.ERROR
    STANDARD_DOSE = "standard-dose", Severity.ERROR
    DOSE_ABOVE_MAX = "dose-above-max", Severity.ERROR
    MICROGRAM_DOSE = "microgram-dose", Severity.WARNING
    TOO_PRECISE = "too-precise", Severity.ERROR
    # One step: a liquid.
    CONCENTRATION_MISMATCH = "concentration-mismatch", Severity.ERROR
    VOLUME_MISSING = "volume-missing", Severity.ERROR
    VOLUME_NOT_POSITIVE = "volume-not-positive", Severity.ERROR
    VOLUME_OFF_GRADUATION = "volume-off-graduation", Severity.ERROR
    VOLUME_MISMATCH = "volume-mismatch", Severity.ERROR
    VOLUME_INCONSISTENT = "volume-inconsistent", Severity.ERROR
    VOLUME_UNCHECKED = "volume-unchecked", Severity.WARNING
    # One step: capsules.
    CAPSULES_MISSING = "capsules-missing", Severity.ERROR
    CAPSULES_MISMATCH = "capsules-mismatch", Severity.ERROR
    CAPSULE_STRENGTH = "capsule-strength", Severity.ERROR
    CAPSULE_UNMAKEABLE = "capsule-unmakeable", Severity.ERROR
    # One step: its doses of the day.
    SPLIT_UNREADABLE = "split-unreadable", Severity.ERROR
    SPLIT_MISMATCH = "split-mismatch", Severity.ERROR
    FREQUENCY_MISMATCH = "frequency-mismatch", Severity.ERROR
    # One step: its instructions and quantity.
    INSTRUCTIONS_MISMATCH = "instructions-mismatch", Severity.ERROR
    QUANTITY_SHORT = "quantity-short", Severity.ERROR
    QUANTITY_DECIMAL_SLIP = "quantity-decimal-slip", Severity.ERROR
    QUANTITY_MISMATCH = "quantity-mismatch", Severity.WARNING
    LABEL_MISMATCH = "label-mismatch", Severity.ERROR
    QUANTITY_UNIT_ASSUMED = "quantity-unit-assumed", Severity.INFO
    # Wording, wherever it is written.
    ISMP_LEADING_ZERO = "ismp-leading-zero", Severity.WARNING
    ISMP_TRAILING_ZERO = "ismp-trailing-zero", Severity.WARNING
    ISMP_MICROGRAM_SIGN = "ismp-microgram-sign", Severity.WARNING
    ISMP_CC = "ismp-cc", Severity.WARNING
    ISMP_BEDTIME_ABBREVIATION = "ismp-bedtime-abbreviation", Severity.WARNING
    ISMP_DAILY_ABBREVIATION = "ismp-daily-abbreviation", Severity.WARNING
    ISMP_UNIT_SPACING = "ismp-unit-spacing", Severity.WARNING
    NAME_CONFUSION = "name-confusion", Severity.WARNING
    # The course: steps in sequence, the pace and turns of the dose, fills.
    OUT_OF_ORDER = "out-of-order", Severity.ERROR
    OVERLAP = "overlap", Severity.ERROR
    GAP = "gap", Severity.ERROR
    VERY_LOW_START = "very-low-start", Severity.WARNING
    LARGE_STEP = "large-step", Severity.WARNING
    DIRECTION_CHANGE = "direction-change", Severity.WARNING
    FAST_INTERVAL = "fast-interval", Severity.WARNING
    BUD_EXCEEDED = "bud-exceeded", Severity.WARNING
    NOTED_CHANGE = "noted-change", Severity.INFO
    SUMMARY = "summary", Severity.INFO


# Errors about a step's volume or capsules: with any of them, the plan's total is not stated.
AMOUNT_ERRORS: frozenset[str] = frozenset(
    {
        Code.VOLUME_NOT_POSITIVE,
        Code.VOLUME_OFF_GRADUATION,
        Code.VOLUME_MISMATCH,
        Code.VOLUME_INCONSISTENT,
        Code.CAPSULES_MISMATCH,
        Code.CAPSULE_UNMAKEABLE,
        # Two columns that disagree leave the step's amount (or its days) in doubt.
        Code.COLUMNS_DISAGREE,
    }
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the check found: ``line`` is the CSV line (header = 1), ``step`` counts from 1."""

    severity: Severity
    code: str  # a member of Code; tests and callers may compare it with its text
    file: str
    line: int | None
    step: int | None
    message: str

    @classmethod
    def of(cls, code: Code, file: str, line: int | None, step: int | None, message: str) -> Self:
        """A finding of this code, with the severity the catalogue gives it."""
        return cls(code.severity, code, file, line, step, message)

    def to_data(self) -> dict[str, object]:
        """The finding as plain JSON data, with exactly the documented keys."""
        return {
            "severity": self.severity.value,
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "step": self.step,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Tally:
    """How many findings of each severity a plan has."""

    errors: int = 0
    warnings: int = 0
    infos: int = 0

    @property
    def result(self) -> str:
        """``error``, ``warning`` or ``clean``: the worst severity found (info does not count)."""
        if self.errors:
            return "error"
        return "warning" if self.warnings else "clean"

    def to_data(self) -> dict[str, object]:
        """The tally as plain JSON data."""
        return {
            "result": self.result,
            "errors": self.errors,
            "warnings": self.warnings,
            "info": self.infos,
        }


def tally(findings: Iterable[Finding]) -> Tally:
    """Count the findings of each severity."""
    counts = dict.fromkeys(Severity, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return Tally(counts[Severity.ERROR], counts[Severity.WARNING], counts[Severity.INFO])


def report_data(file: str, findings: Sequence[Finding]) -> dict[str, object]:
    """One plan's result for pipelines: ``{file, findings, summary}``."""
    return {
        "file": file,
        "findings": [f.to_data() for f in findings],
        "summary": tally(findings).to_data(),
    }


@dataclass(slots=True)
class Report:
    """The findings of one plan as they are found, kept in the order they are shown."""

    file: str
    head: list[Finding] = field(default_factory=list)
    rows: dict[int, list[Finding]] = field(default_factory=dict)
    tail: list[Finding] = field(default_factory=list)
    said: set[tuple[str, str, str]] = field(default_factory=set)
    cells: dict[tuple[Code, str], list[tuple[ReceivedRow, str, str]]] = field(default_factory=dict)

    def row(self, code: Code, row: ReceivedRow, message: str) -> None:
        """A finding about one step, shown with that step."""
        finding = Finding.of(code, self.file, row.line, row.position, message)
        self.rows.setdefault(row.position, []).append(finding)

    def cell(self, code: Code, row: ReceivedRow, column: str, text: str, reason: str) -> None:
        """A cell that cannot be read; the cells of one column are one finding, on the first."""
        self.cells.setdefault((code, column), []).append((row, text, reason))

    def plan(self, code: Code, message: str, line: int | None = None) -> None:
        """A finding about the whole file, shown before the steps."""
        self.head.append(Finding.of(code, self.file, line, None, message))

    def has_any(self, codes: frozenset[str]) -> bool:
        """Whether any step has a finding of one of these codes."""
        return any(f.code in codes for found in self.rows.values() for f in found)

    def has_step_errors(self) -> bool:
        """Whether any step has an error, a cell that cannot be read included."""
        return any(code.severity is Severity.ERROR for code, _ in self.cells) or any(
            f.severity is Severity.ERROR for found in self.rows.values() for f in found
        )

    def findings(self) -> list[Finding]:
        """File-wide findings first, then step by step, then the course and the summary."""
        ordered = list(self.head)
        grouped: dict[int, list[Finding]] = {}
        for (code, column), cells in self.cells.items():
            first = cells[0][0]
            finding = Finding.of(code, self.file, first.line, first.position, _cells(column, cells))
            grouped.setdefault(first.position, []).append(finding)
        rows = _one_per_cause(self.rows)
        for index in sorted({*rows, *grouped}):
            ordered.extend(grouped.get(index, ()))
            ordered.extend(rows.get(index, ()))
        ordered.extend(self.tail)
        return ordered


def _one_per_cause(rows: dict[int, list[Finding]]) -> dict[int, list[Finding]]:
    """The step findings, one per cause: a message said of several steps is said once.

    It stays with the first of them and names them all (``steps 2–5: has no capsules``).
    """
    where: dict[tuple[str, str], list[Finding]] = {}
    for position in sorted(rows):
        for finding in rows[position]:
            found = where.setdefault((finding.code, finding.message), [])
            if not found or found[-1].step != finding.step:
                found.append(finding)
    if all(len(found) == 1 for found in where.values()):
        return rows
    kept: dict[int, list[Finding]] = {}
    for position in sorted(rows):
        for finding in rows[position]:
            found = where[(finding.code, finding.message)]
            if len(found) == 1:
                kept.setdefault(position, []).append(finding)
            elif found[0] is finding:
                places = [(f.line, f.step or 0) for f in found]
                message = f"{_places(places)}: {finding.message}"
                kept.setdefault(position, []).append(replace(finding, message=message))
    return kept


def _cells(column: str, cells: Sequence[tuple[ReceivedRow, str, str]]) -> str:
    """The unreadable cells of one column in one line: by reason, the lines (or steps) each."""
    if len(cells) == 1:
        _, text, reason = cells[0]
        return f"{column} {shown(text)}: {reason}"
    by_reason: dict[str, list[tuple[ReceivedRow, str]]] = {}
    for row, text, reason in cells:
        by_reason.setdefault(reason, []).append((row, text))
    parts = []
    for reason, found in by_reason.items():
        where = _places([(row.line, row.position) for row, _ in found])
        quoted = shown(found[0][1]) + (", …" if len(found) > 1 else "")
        parts.append(f"{where} ({quoted}): {reason}")
    return f"{column}: {len(cells)} cells cannot be read; " + "; ".join(parts)


def _places(places: Sequence[tuple[int | None, int]]) -> str:
    """``lines 2–5, 9`` (or ``steps ...`` for a file without lines), runs joined by a dash.

    Each place is a line (None in a file without lines) and a step.
    """
    lined = all(line is not None for line, _ in places)
    numbers = [line if lined and line is not None else step for line, step in places]
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    text = ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
    word = "line" if lined else "step"
    return f"{word}{'s' if len(numbers) > 1 else ''} {text}"
