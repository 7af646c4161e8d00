"""Split doses read back (a morning and a bedtime dose), and instructions that name a frequency."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Final

from ldn_titrate.check.arithmetic import ZERO, exact_volume, fewest_capsules, mg_text, ml_text
from ldn_titrate.check.course import Span
from ldn_titrate.check.findings import Code, Report
from ldn_titrate.check.stated import stated
from ldn_titrate.doses import format_capsules, format_concentration
from ldn_titrate.errors import shown
from ldn_titrate.limits import DEFAULT_GRADUATION_ML
from ldn_titrate.received import parse_capsules
from ldn_titrate.received.cells import read_number
from ldn_titrate.received.model import CapsuleCounts, Form, Formulation, ReceivedRow

# Words that give a dose more than once a day: the patient would take a different daily
# amount than a single daily-dose column states.
_MORE_THAN_ONCE: Final = re.compile(
    r"\b(?:twice|two\s+times|three\s+times|2\s*x|3\s*x)\s+(?:a\s+|per\s+|each\s+)?(?:day|daily)\b"
    r"|\bb\.?\s?i\.?\s?d\b\.?|\bt\.?\s?i\.?\s?d\b\.?"
    r"|\bq\s*(?:8|12)\s*h(?:ours?|rs?)?\b|\bevery\s+(?:8|12)\s+hours?\b"
    r"|\bmorning\s+and\s+(?:[^.]*?\s)?(?:at\s+)?(?:bedtime|night|evening)\b"
    r"|\b(?:bedtime|night|evening)\s+and\s+(?:[^.]*?\s)?(?:in\s+the\s+)?morning\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Administration:
    """One dose of a day as written: its time, and its dose, volume and capsules if read."""

    time: str
    where: str
    dose_mg: Decimal | None = None
    volume_ml: Decimal | None = None
    capsules: CapsuleCounts | None = None


def administrations(report: Report, row: ReceivedRow) -> list[Administration]:
    """The split doses of a row, each cell read; a cell that cannot be read is an error."""
    parts, unread = _read_parts(row.split_cells)
    for column, text, kind in unread:
        report.row(Code.SPLIT_UNREADABLE, row, f"{column} {shown(text)}: not a {kind} amount")
    return list(parts)


_UNITS: Final = {"mg": frozenset({"", "mg"}), "ml": frozenset({"", "ml"})}
_PART_FIELD: Final = {"mg": "dose_mg", "ml": "volume_ml", "capsules": "capsules"}


# Plans repeat the same split cells step after step and file after file: each is read once.
@lru_cache(maxsize=1024)
def _read_parts(
    cells: tuple[tuple[str, str, str, str], ...],
) -> tuple[tuple[Administration, ...], tuple[tuple[str, str, str], ...]]:
    """The doses of the day read from split cells, and the (column, text, kind) not read."""
    found: dict[str, dict[str, object]] = {}
    unread: list[tuple[str, str, str]] = []
    for time, kind, column, text in cells:
        entry = found.setdefault(time, {"where": column})
        value: object
        if kind == "capsules":
            value = parse_capsules(text)
        else:
            read = read_number(text)
            value = read[0] if not isinstance(read, str) and read[1] in _UNITS[kind] else None
        if value is None:
            unread.append((column, text, kind))
            continue
        entry[_PART_FIELD[kind]] = value
    parts = tuple(Administration(time, **values) for time, values in found.items())  # type: ignore[arg-type]
    return parts, tuple(unread)


def check_split(report: Report, span: Span, form: Formulation | None) -> bool:
    """Check a step's split doses; whether it records two or more that add up to its dose."""
    row = span.row
    if not row.split_cells:
        return False
    parts = administrations(report, row)
    doses = [p.dose_mg for p in parts]
    if not parts or any(d is None for d in doses):
        return False
    total = sum((d for d in doses if d is not None), ZERO)
    adds_up = span.dose_mg is None or total == span.dose_mg
    if not adds_up:
        said = " + ".join(f"{p.time} {mg_text(p.dose_mg or ZERO)}" for p in parts)
        report.row(
            Code.SPLIT_MISMATCH,
            row,
            f"the doses of the day ({said}) make {mg_text(total)}, "
            f"not the {mg_text(span.dose_mg or ZERO)} daily dose",
        )
    volumes = {span.volume_ml} | {_check_part(report, row, part, form) for part in parts}
    _, stated_volumes = stated(row.instructions)
    unknown = sorted(v for v in stated_volumes if v not in volumes)
    if unknown and span.volume_ml is not None:
        report.row(
            Code.INSTRUCTIONS_MISMATCH,
            row,
            f"the instructions say {' or '.join(ml_text(v) for v in unknown)}, which is not "
            "the volume of any dose of the day",
        )
    return adds_up and len(parts) > 1


def _check_part(
    report: Report, row: ReceivedRow, part: Administration, form: Formulation | None
) -> Decimal | None:
    """Check one dose of the day; its volume in mL, as written or as the dose needs."""
    volume = part.volume_ml
    dose = part.dose_mg
    assert dose is not None  # noqa: S101 - only parts with a dose
    if form is not None and form.form is Form.LIQUID:
        concentration = form.concentration_mg_per_ml
        graduation = form.graduation_ml or DEFAULT_GRADUATION_ML
        if volume is None and concentration is not None:
            volume = exact_volume(dose, concentration)
        if volume is None or volume % graduation:
            shown = "no exact volume" if volume is None else ml_text(volume)
            report.row(
                Code.VOLUME_OFF_GRADUATION,
                row,
                f"the {part.time} dose of {mg_text(dose)} needs {shown}, which is not on a "
                f"syringe marked every {ml_text(graduation)}",
            )
        elif concentration is not None and volume * concentration != dose:
            report.row(
                Code.VOLUME_MISMATCH,
                row,
                f"the {part.time} volume {ml_text(volume)} of {format_concentration(concentration)}"
                f" holds {mg_text(volume * concentration)}, not the {mg_text(dose)} dose",
            )
    if part.capsules is not None:
        made = sum((s * n for s, n in part.capsules), ZERO)
        if made != dose:
            report.row(
                Code.CAPSULES_MISMATCH,
                row,
                f"the {part.time} capsules {format_capsules(part.capsules)} make "
                f"{mg_text(made)}, not the {mg_text(dose)} dose",
            )
    elif form is not None and form.form is Form.CAPSULE and form.strengths_mg:
        made_of = fewest_capsules(dose, tuple(form.strengths_mg))
        units = None if made_of is None else sum(n for _, n in made_of)
        if units is None:
            report.row(
                Code.CAPSULE_UNMAKEABLE,
                row,
                f"the {part.time} dose of {mg_text(dose)} cannot be made from the strengths",
            )
        elif form.max_units is not None and units > form.max_units:
            report.row(
                Code.CAPSULE_UNMAKEABLE,
                row,
                f"the {part.time} dose of {mg_text(dose)} needs {units} capsules, more than "
                f"the {form.max_units} a dose the plan allows",
            )
    return volume


def check_frequency(report: Report, span: Span, split: bool) -> None:
    """Instructions that give the dose more than once a day need split doses that add up."""
    row = span.row
    if split or not row.instructions:
        return
    said = _more_than_once(row.instructions)
    if said is None:
        return
    dose = "" if span.dose_mg is None else f" of {mg_text(span.dose_mg)}"
    report.row(
        Code.FREQUENCY_MISMATCH,
        row,
        f'the instructions give more than one dose a day ("{said}"), but the plan gives one '
        f"daily dose{dose} and no split doses that add up to it",
    )


@lru_cache(maxsize=4096)
def _more_than_once(instructions: str) -> str | None:
    """The words that give a dose more than once a day, read once per distinct text."""
    match = _MORE_THAN_ONCE.search(instructions)
    return None if match is None else match[0]
