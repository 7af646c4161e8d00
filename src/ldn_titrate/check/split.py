"""Split doses read back (a morning and a bedtime dose), and the instructions that name them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from ldn_titrate.check.arithmetic import ZERO, exact_volume, fewest_capsules, mg_text, ml_text
from ldn_titrate.check.course import Span
from ldn_titrate.check.findings import Code, Report
from ldn_titrate.check.stated import capsule_quantity, stated, stated_doses
from ldn_titrate.doses import format_capsules, format_concentration
from ldn_titrate.errors import shown
from ldn_titrate.limits import DEFAULT_GRADUATION_ML
from ldn_titrate.patterns import lazy_pattern
from ldn_titrate.received import parse_capsules
from ldn_titrate.received.cells import read_number
from ldn_titrate.received.model import Form, Formulation, ReceivedRow

if TYPE_CHECKING:
    from ldn_titrate.check.administration import Administration


_UNITS: Final = {"mg": frozenset({"", "mg"}), "ml": frozenset({"", "ml"})}
_PART_FIELD: Final = {"mg": "dose_mg", "ml": "volume_ml", "capsules": "capsules"}


# Plans repeat the same split cells step after step and file after file: each is read once.
@lru_cache(maxsize=1024)
def _read_parts(
    cells: tuple[tuple[str, str, str, str], ...],
) -> tuple[tuple[Administration, ...], tuple[tuple[str, str, str], ...], Decimal | None]:
    """The doses of the day read from split cells, the (column, text, kind) not read, and the total.

    The total is None unless there are doses of the day and each has its dose in mg.
    """
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
    if not found:
        return (), (), None
    # Loaded for a plan with split doses only.
    from ldn_titrate.check.administration import Administration  # noqa: PLC0415

    parts = tuple(Administration(time, **values) for time, values in found.items())  # type: ignore[arg-type]
    doses = [p.dose_mg for p in parts if p.dose_mg is not None]
    total = sum(doses, ZERO) if parts and len(doses) == len(parts) else None
    return parts, tuple(unread), total


def check_split(report: Report, span: Span, form: Formulation | None) -> bool:
    """Check a step's split doses; whether it records two or more, each with its dose.

    Doses of the day that do not add up to the step's dose are said here (``split-mismatch``),
    so that the frequency screen does not say the same again.
    """
    row = span.row
    if not row.split_cells:
        return False
    parts, unread, total = _read_parts(row.split_cells)
    for column, text, kind in unread:
        report.row(Code.SPLIT_UNREADABLE, row, f"{column} {shown(text)}: not a {kind} amount")
    if total is None:
        return False
    adds_up = span.dose_mg is None or total == span.dose_mg
    if not adds_up:
        said = " + ".join(f"{p.time} {mg_text(p.dose_mg or ZERO)}" for p in parts)
        report.row(
            Code.SPLIT_MISMATCH,
            row,
            f"the doses of the day ({said}) make {mg_text(total)}, "
            f"not the {mg_text(span.dose_mg or ZERO)} daily dose",
        )
    volumes = {span.volume_ml} | {
        part.volume_ml
        if len(parts) == 1 and _repeats_step(part, span)
        else _check_part(report, row, part, form)
        for part in parts
    }
    unknown = sorted(stated(row.instructions)[1] - volumes)
    if unknown and span.volume_ml is not None:
        report.row(
            Code.INSTRUCTIONS_MISMATCH,
            row,
            f"the instructions say {' or '.join(ml_text(v) for v in unknown)}, which is not "
            "the volume of any dose of the day",
        )
    return len(parts) > 1


# Words that say when a dose is taken, as the times of split doses are named.
_TIME_WORDS: Final = (
    ("morning", re.compile(r"\b(?:morning|a\.?m\b\.?|breakfast)", re.IGNORECASE)),
    ("bedtime", re.compile(r"\b(?:bedtime|night|nightly|evening|q?h\.?s\b\.?)", re.IGNORECASE)),
)


_bracketed = lazy_pattern(r"\(([^()]*)\)")


_per_day = lazy_pattern(r"\b(?:a|per|each)\s+day\b|\bdaily\b|\btotal\b", re.IGNORECASE)


_AT: Final = {"morning": "in the morning", "bedtime": "at bedtime"}


# A clause of an instruction: one dose and when it is taken ("0.5 mg in the morning").
_clause_break = lazy_pattern(r"[,;]|\.(?![0-9])|\b(?:and|then|plus)\b", re.IGNORECASE)


def _time_of(words: str) -> str | None:
    """The time of day a text names (morning or bedtime), or None for none or both."""
    named = {time for time, pattern in _TIME_WORDS if pattern.search(words)}
    return named.pop() if len(named) == 1 else None


@lru_cache(maxsize=4096)
def named_doses(instructions: str) -> tuple[tuple[Decimal, str | None], ...]:
    """Each dose in mg an instruction names, the first of a clause with the clause's time.

    In "1 mL (1 mg) at bedtime (1.5 mg a day)" the time is the first dose's; a later one in
    the same clause is a total or a restatement, and carries no time.
    """
    found: list[tuple[Decimal, str | None]] = []
    for clause in _clause_break().split(instructions):
        # "(2 mg a day)" is the day's total wherever it stands: it belongs to no time.
        pieces = _bracketed().split(clause)  # outside, inside, outside...: inside at odd places
        totals = [p for i, p in enumerate(pieces) if i % 2 and _per_day().search(p)]
        kept = " ".join(p for p in pieces if p not in totals)
        doses = stated_doses(kept)
        if doses:
            found.append((doses[0], _time_of(kept)))
            found.extend((dose, None) for dose in doses[1:])
        found.extend((dose, None) for total in totals for dose in stated_doses(total))
    return tuple(found)


def check_named_doses(report: Report, span: Span) -> bool:
    """Instructions of a split step name each dose at its time, or the day's total.

    "0.5 mg in the morning and 1 mg at bedtime" is a 0.5 mg + 1 mg step's own wording; "1 mg
    in the morning and 1 mg at bedtime" is not, though it names only doses the step has.
    Whether the instructions were read dose by dose (else the day's dose is checked whole).
    """
    row = span.row
    if not _names_split_doses(row):
        return False
    parts = _read_parts(row.split_cells)[0]
    by_time = _by_time(parts)
    assert by_time is not None  # noqa: S101 - _names_split_doses says each has its own time
    named = named_doses(row.instructions)
    total = sum((p.dose_mg or ZERO for p in parts), ZERO)
    # The day's dose as the step states it; only a step that states none is its doses' sum.
    totals = {total if span.dose_mg is None else span.dose_mg}
    wrong: list[str] = []
    for dose, time in named:
        part = by_time.get(time)
        if time is None:
            # A restatement ("1 mL (1 mg)") or the day's total ("(1.5 mg a day)").
            if dose not in totals and dose not in {p.dose_mg for p in parts}:
                wrong.append(f"{mg_text(dose)}, which is not the {_daily(totals)} a day")
        elif part is None:
            wrong.append(f"{mg_text(dose)} {_AT[time]}, but the plan gives no {time} dose")
        elif part.dose_mg != dose:
            wrong.append(
                f"{mg_text(dose)} {_AT[time]}, but the {time} dose is "
                f"{mg_text(part.dose_mg or ZERO)}"
            )
    times = {time for _, time in named if time is not None}
    if not any(dose in totals for dose, time in named if time is None):
        wrong.extend(
            f"nothing {_AT[t]}, but the plan gives {mg_text(p.dose_mg or ZERO)} then"
            for t, p in by_time.items()
            if t is not None and t not in times
        )
    if wrong:
        report.row(Code.INSTRUCTIONS_MISMATCH, row, "the instructions say " + "; ".join(wrong))
    return True


def _by_time(parts: Sequence[Administration]) -> dict[str | None, Administration] | None:
    """The split doses by their time of day; None unless each has a time of its own."""
    by_time = {_time_of(p.time): p for p in parts}
    return None if None in by_time or len(by_time) != len(parts) else by_time


def _names_split_doses(row: ReceivedRow) -> bool:
    """Whether the doses a row's instructions name are checked against its split doses."""
    if not row.split_cells:
        return False
    parts = _read_parts(row.split_cells)[0]
    return (
        len(parts) > 1
        and all(p.dose_mg is not None for p in parts)
        and _by_time(parts) is not None
        and any(time is not None for _, time in named_doses(row.instructions))
        # Capsules counted out ("1 capsule of 1.5 mg and 1 capsule of 0.5 mg") name strengths,
        # not doses: such text is left to the check of the day's total.
        and capsule_quantity(row.instructions) is None
    )


def _daily(totals: set[Decimal]) -> str:
    return " or ".join(mg_text(t) for t in sorted(totals))


def _repeats_step(part: Administration, span: Span) -> bool:
    """Whether the one dose of a day records the step's own dose and amount.

    A once-daily step of this tool's JSON does: the step's checks are then its checks, so
    that one wrong volume is one finding, not two.
    """
    row = span.row
    return (
        (part.volume_ml is not None or part.capsules is not None)
        and part.dose_mg == span.dose_mg
        and part.volume_ml == span.volume_ml
        and part.capsules == row.capsules
    )


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
    _check_part_capsules(report, row, part, dose, form)
    return volume


def _check_part_capsules(
    report: Report, row: ReceivedRow, part: Administration, dose: Decimal, form: Formulation | None
) -> None:
    """The capsules of one dose of the day: they make its dose, within the plan's limit."""
    if part.capsules is not None:
        made = sum((s * n for s, n in part.capsules), ZERO)
        if made != dose:
            report.row(
                Code.CAPSULES_MISMATCH,
                row,
                f"the {part.time} capsules {format_capsules(part.capsules)} make "
                f"{mg_text(made)}, not the {mg_text(dose)} dose",
            )
        units = sum(n for _, n in part.capsules)
        if form is not None and form.max_units is not None and units > form.max_units:
            report.row(
                Code.CAPSULE_UNMAKEABLE,
                row,
                f"the {part.time} capsules {format_capsules(part.capsules)} are {units} "
                f"capsules, more than the {form.max_units} a dose the plan allows",
            )
    elif form is not None and form.form is Form.CAPSULE and form.strengths_mg:
        made_of = fewest_capsules(dose, tuple(form.strengths_mg))
        needed = None if made_of is None else sum(n for _, n in made_of)
        if needed is None:
            report.row(
                Code.CAPSULE_UNMAKEABLE,
                row,
                f"the {part.time} dose of {mg_text(dose)} cannot be made from the strengths",
            )
        elif form.max_units is not None and needed > form.max_units:
            report.row(
                Code.CAPSULE_UNMAKEABLE,
                row,
                f"the {part.time} dose of {mg_text(dose)} needs {needed} capsules, more than "
                f"the {form.max_units} a dose the plan allows",
            )
