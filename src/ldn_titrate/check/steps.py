"""Checks of one step: its cells, its dose, its volume or capsules, its texts."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Final

from ldn_titrate.check.arithmetic import (
    MCG_PER_MG,
    ZERO,
    exact_volume,
    fewest_capsules,
    mg_text,
    ml_text,
)
from ldn_titrate.check.course import Span
from ldn_titrate.check.findings import Code, Report
from ldn_titrate.check.frequency_check import check_frequency
from ldn_titrate.check.ismp import check_wording, number_problems, text_problems
from ldn_titrate.check.quantity import check_quantity, counts_by_strength
from ldn_titrate.check.split import check_named_doses, check_split
from ldn_titrate.check.stated import capsule_quantity, overlong, stated
from ldn_titrate.doses import decimal_places, format_capsules, format_concentration, format_number
from ldn_titrate.errors import shown
from ldn_titrate.limits import (
    DEFAULT_GRADUATION_ML,
    MAX_DECIMAL_PLACES,
    STANDARD_DOSE_MG,
    START_MIN_MG,
    TARGET_MAX_MG,
)
from ldn_titrate.received.model import (
    DoseUnit,
    Form,
    Formulation,
    ReceivedPlan,
    ReceivedRow,
)


def check_row(report: Report, span: Span, form: Formulation | None, plan: ReceivedPlan) -> bool:
    """Every check of one step; fills in the span's dose, volume and capsules as found.

    Whether the step's doses of the day are split into two or more that add up to its dose.
    """
    row = span.row
    columns = plan.columns
    unread = _check_cells(report, row, columns)
    if row.dose is not None:
        span.written_mg = row.dose / MCG_PER_MG if row.dose_unit is DoseUnit.MCG else row.dose
        span.dose_mg = _check_dose(report, row, span.written_mg)
    if form is not None and form.form is Form.LIQUID:
        recorded = plan.formulation.concentration_mg_per_ml if plan.formulation else None
        _check_volume(report, span, form, columns, recorded)
    if form is not None and form.form is Form.CAPSULE:
        _check_capsules(report, span, form, columns, unread)
    elif row.capsules is not None:
        # Capsules in a plan read as a liquid (it has volumes too): their sum is still checked.
        _check_capsules(report, span, Formulation(Form.CAPSULE), columns, unread)
    split = check_split(report, span, form)
    check_frequency(report, span, split)
    _check_instructions(report, span)
    check_quantity(report, span)
    for column, text in row.texts:
        problems = text_problems(text)
        if problems:  # most texts are clean: skip the call
            check_wording(report, row, column, text, problems)
    for column, text in ((row.dose_column, row.dose_text), ("volume", row.volume_text)):
        problems = number_problems(text)
        if problems:
            check_wording(report, row, column, text, problems)
    return split


# The code for a cell that cannot be read, by the part of the step the reader says it gives.
UNREADABLE_CELL: Final = {
    "step": Code.STEP_UNREADABLE,
    "first_day": Code.DATE_UNREADABLE,
    "last_day": Code.DATE_UNREADABLE,
    "days": Code.DAYS_UNREADABLE,
    "weeks": Code.DAYS_UNREADABLE,
    "dose": Code.DOSE_UNREADABLE,
    "volume": Code.VOLUME_UNREADABLE,
    "capsules": Code.CAPSULES_UNREADABLE,
    "quantity": Code.QUANTITY_UNREADABLE,
    "instructions": Code.INSTRUCTIONS_UNREADABLE,
    "frequency": Code.INSTRUCTIONS_UNREADABLE,
    "label": Code.LABEL_UNREADABLE,
    "note": Code.NOTE_UNREADABLE,
    "dose_unit": Code.DOSE_UNIT_CONFLICT,
    "concentration": Code.FORMULATION_UNREADABLE,
    "graduation": Code.FORMULATION_UNREADABLE,
}


def _check_cells(report: Report, row: ReceivedRow, columns: frozenset[str]) -> set[str]:
    """Errors for unreadable, missing and misnumbered cells; the parts that could not be read."""
    unread: set[str] = set()
    for problem in row.problems:
        report.cell(
            UNREADABLE_CELL[problem.field], row, problem.column, problem.text, problem.reason
        )
        unread.add(problem.field)
    if "dose_unit" in unread:
        unread.add("dose")
    if row.number is not None and row.number != row.position:
        report.row(
            Code.STEP_NUMBER,
            row,
            f"is numbered {row.number}, but it is step {row.position} of the plan",
        )
    if row.first_day is None and "first_day" in columns and "first_day" not in unread:
        report.row(Code.DATE_MISSING, row, "has no first day")
    if row.dose is None and "dose" not in unread:
        report.row(Code.DOSE_MISSING, row, "has no dose")
    return unread


def _check_dose(report: Report, row: ReceivedRow, mg: Decimal) -> Decimal | None:
    """Errors for a dose that is not a low dose of naltrexone; the dose in mg when usable."""
    value = row.dose
    assert value is not None  # noqa: S101 - called only for a row with a dose
    if value <= 0:
        # Before the cached checks: -0 equals 0 as a key, but is written "-0".
        what = "zero" if value == 0 else "negative"
        report.row(
            Code.DOSE_NOT_POSITIVE,
            row,
            f"the dose is {what} ({format_number(value)} {row.dose_unit.value})",
        )
        return None
    usable, problems = _dose_problems(value, row.dose_unit is DoseUnit.MCG, row.dose_column)
    for code, message in problems:
        report.row(code, row, message)
    return mg if usable else None


# Plans give the same few doses step after step and file after file: each is judged once.
# Positive doses only, whose messages depend on their value alone (1.50 is written 1.5).
@lru_cache(maxsize=2048)
def _dose_problems(
    value: Decimal, mcg: bool, column: str
) -> tuple[bool, tuple[tuple[Code, str], ...]]:
    """Whether a positive dose is usable as a low dose, and the (code, message) found."""
    # 1 mg = 1,000 mcg, and LDN doses are 0.1-4.5 mg (limits.py): a number in that band in a
    # mcg column, or 100-4,500 in a mg column, was written in the other unit. mg and mcg
    # mix-ups: https://www.empr.com/charts/error-prone-dose-designations/
    if mcg:
        mg = value / MCG_PER_MG
        if mg < START_MIN_MG <= value <= TARGET_MAX_MG:
            said = (
                f"{format_number(value)} in {column} looks like milligrams: "
                f"{format_number(value)} mcg is only {mg_text(mg)}"
            )
            return False, ((Code.DOSE_LOOKS_LIKE_MG, said),)
    else:
        mg = value
        if START_MIN_MG <= value / MCG_PER_MG <= TARGET_MAX_MG:
            said = (
                f"{format_number(value)} in {column} looks like micrograms "
                f"({format_number(value)} mcg = {mg_text(value / MCG_PER_MG)}); "
                "as mg it is not a low dose"
            )
            return False, ((Code.DOSE_LOOKS_LIKE_MCG, said),)
    # Standard-dose naltrexone is 50 mg, not LDN: https://www.pdr.net/drug-summary/Vivitrol-naltrexone-1199
    if mg >= STANDARD_DOSE_MG:
        said = (
            f"{mg_text(mg)} is standard-dose naltrexone "
            f"({mg_text(STANDARD_DOSE_MG)} or more), not a low dose"
        )
        return False, ((Code.STANDARD_DOSE, said),)
    # The maximum LDN dose is 4.5 mg: https://e-med.co.uk/ldn_dosage.php
    if mg > TARGET_MAX_MG:
        said = f"{mg_text(mg)} is above the {mg_text(TARGET_MAX_MG)} maximum of low-dose naltrexone"
        return False, ((Code.DOSE_ABOVE_MAX, said),)
    found: list[tuple[Code, str]] = []
    # Below 0.1 mg is microgram (ULDN) practice: https://studylib.net/doc/27218742/dosing-info-2021
    if mg < START_MIN_MG:
        said = (
            f"{mg_text(mg)} is below {mg_text(START_MIN_MG)}: a microgram (ultra-low) dose, not LDN"
        )
        found.append((Code.MICROGRAM_DOSE, said))
    # A 3-decimal-place balance: https://www.medisca.com/blog/ldn-the-hidden-dangers-of-at-home-compounding
    if decimal_places(mg) > MAX_DECIMAL_PLACES:
        said = f"{mg_text(mg)} cannot be weighed on a {MAX_DECIMAL_PLACES}-decimal-place balance"
        found.append((Code.TOO_PRECISE, said))
    return True, tuple(found)


def _check_volume(
    report: Report,
    span: Span,
    form: Formulation,
    columns: frozenset[str],
    recorded: Decimal | None,
) -> None:
    """A liquid volume must sit on the syringe's marks and hold the dose.

    Each step's instructions must name the concentration the plan records (a conflict with
    the one given on the command line is reported once for the file).
    """
    row = span.row
    concentration = form.concentration_mg_per_ml
    # Without a declared syringe, the one `plan` assumes (0.1 mL marks on a 3 mL syringe), so
    # that check never passes a volume plan would refuse:
    # https://www.coursehero.com/file/p1gb495/Important-point-For-liquid-dosages-1-mL-round-to-the-nearest-hundredth-Look-at/
    graduation = form.graduation_ml or DEFAULT_GRADUATION_ML
    dose = span.dose_mg
    named = row.concentration_mg_per_ml
    expected = recorded or concentration
    if named is not None and expected is not None and named != expected:
        report.row(
            Code.CONCENTRATION_MISMATCH,
            row,
            f"the instructions name {format_concentration(named)}, "
            f"not {format_concentration(expected)}",
        )
    if row.volume_ml is None:
        if "volume" in columns:
            if not row.volume_text and row.dose is not None:
                report.row(Code.VOLUME_MISSING, row, "has no volume")
            return
        if dose is None or concentration is None:
            return
        volume = exact_volume(dose, concentration)
        if volume is None or volume % graduation:
            shown = "no exact volume" if volume is None else ml_text(volume)
            report.row(
                Code.VOLUME_OFF_GRADUATION,
                row,
                f"{mg_text(dose)} at {format_concentration(concentration)} needs {shown}, "
                f"which is not on a syringe marked every {ml_text(graduation)}",
            )
        span.volume_ml = volume
        return
    volume = row.volume_ml
    span.volume_ml = volume
    if volume <= 0:
        report.row(Code.VOLUME_NOT_POSITIVE, row, f"the volume is {format_number(volume)} mL")
        return
    if volume % graduation:
        report.row(
            Code.VOLUME_OFF_GRADUATION,
            row,
            f"{ml_text(volume)} falls between the marks of a syringe marked every "
            f"{ml_text(graduation)}",
        )
    if concentration is not None and dose is not None and volume * concentration != dose:
        expected = exact_volume(dose, concentration)
        should = "" if expected is None else f" ({ml_text(expected)})"
        report.row(
            Code.VOLUME_MISMATCH,
            row,
            f"{ml_text(volume)} of {format_concentration(concentration)} holds "
            f"{mg_text(volume * concentration)}, not the {mg_text(dose)} dose{should}",
        )


def _check_capsules(
    report: Report,
    span: Span,
    form: Formulation,
    columns: frozenset[str],
    unread: set[str],
) -> None:
    """A capsule step must add up to the dose and be made from the strengths in stock."""
    row = span.row
    dose = span.dose_mg
    counts = row.capsules
    strengths = form.strengths_mg
    if counts is None and "capsules" in columns and "capsules" not in unread:
        report.row(Code.CAPSULES_MISSING, row, "has no capsules")
    if counts is not None:
        span.capsules = counts
        total = sum((s * n for s, n in counts), ZERO)
        if dose is not None and total != dose:
            report.row(
                Code.CAPSULES_MISMATCH,
                row,
                f"{format_capsules(counts)} makes {mg_text(total)}, not the {mg_text(dose)} dose",
            )
        unknown = [s for s, _ in counts if strengths and s not in strengths]
        if unknown:
            report.row(
                Code.CAPSULE_STRENGTH,
                row,
                f"uses {mg_text(unknown[0])} capsules, which are not among the strengths "
                f"{_strength_list(strengths)}",
            )
    if dose is None or not strengths:
        return
    made = fewest_capsules(dose, tuple(strengths))
    if made is None:
        report.row(
            Code.CAPSULE_UNMAKEABLE,
            row,
            f"{mg_text(dose)} cannot be made from {_strength_list(strengths)} capsules",
        )
        return
    if span.capsules is None:
        span.capsules = made
    # The capsules the step records are the ones taken; without them, the fewest that make it.
    units = sum(n for _, n in counts or made)
    # A split day's limit is per administration: the split check counts each one.
    if form.max_units is None or units <= form.max_units or _split_day(row):
        return
    if counts is None:
        said = f"{mg_text(dose)} needs {units} capsules ({format_capsules(made)})"
    else:
        said = f"{format_capsules(counts)} is {units} capsules"
    report.row(
        Code.CAPSULE_UNMAKEABLE,
        row,
        f"{said}, more than the {form.max_units} a dose the plan allows",
    )


def _split_day(row: ReceivedRow) -> bool:
    """Whether a step's day is split into doses at two or more times."""
    return len({time for time, _, _, _ in row.split_cells}) > 1


def _strength_list(strengths: Sequence[Decimal]) -> str:
    return " and ".join(mg_text(s) for s in sorted(strengths, reverse=True))


def _check_instructions(report: Report, span: Span) -> None:
    """The dose and volume the instructions state must be the step's own."""
    row = span.row
    if not row.instructions:
        return
    doses, volumes = stated(row.instructions)
    too_long = overlong(row.instructions)
    if too_long is not None:
        dose = "" if span.dose_mg is None else f", but the dose is {mg_text(span.dose_mg)}"
        report.row(
            Code.INSTRUCTIONS_MISMATCH,
            row,
            f"the instructions say {shown(too_long)}, a number with more digits than any "
            f"dose or volume{dose}",
        )
    # A split step's instructions may name each dose at its time and not the day's total:
    # they are read dose by dose.
    by_dose = check_named_doses(report, span)
    if doses and span.dose_mg is not None and span.dose_mg not in doses and not by_dose:
        said = " or ".join(mg_text(d) for d in sorted(doses))
        report.row(
            Code.INSTRUCTIONS_MISMATCH,
            row,
            f"the instructions say {said}, but the dose is {mg_text(span.dose_mg)}",
        )
    # A split step's instructions give each dose's volume: the split check reads them.
    if (
        volumes
        and span.volume_ml is not None
        and span.volume_ml not in volumes
        and not row.split_cells
    ):
        said = " or ".join(ml_text(v) for v in sorted(volumes))
        report.row(
            Code.INSTRUCTIONS_MISMATCH,
            row,
            f"the instructions say {said}, but the volume is {ml_text(span.volume_ml)}",
        )
    counted = capsule_quantity(row.instructions) if row.capsules is not None else None
    if (
        counted is not None
        and row.capsules is not None
        and counted != counts_by_strength(row.capsules)
    ):
        said = format_capsules(tuple(sorted(counted.items(), reverse=True)))
        report.row(
            Code.INSTRUCTIONS_MISMATCH,
            row,
            f"the instructions say {said}, but the capsules are {format_capsules(row.capsules)}",
        )
