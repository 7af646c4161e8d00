"""Check a plan received from anywhere: is it safe and consistent to compound?

Pure: no I/O, no clock, no printing. This package decides what a valid schedule is without
the code of ``rules`` (an import-linter contract keeps the two apart), so that each one
checks the other.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from ldn_titrate.check.arithmetic import fewest_capsules
from ldn_titrate.check.course import (
    check_bud,
    check_course,
    check_sequence,
    in_date_order,
    resolve_spans,
    summary,
)
from ldn_titrate.check.findings import (
    AMOUNT_ERRORS,
    Code,
    Finding,
    Report,
    Severity,
    Tally,
    report_data,
    tally,
)
from ldn_titrate.check.frequency_check import check_plan_frequency
from ldn_titrate.check.identity import check_identity
from ldn_titrate.check.ismp import check_wording, text_problems
from ldn_titrate.check.liquid import check_concentration_cells, check_volume_agreement
from ldn_titrate.check.meds import (
    listed_med_findings,
    med_findings,
    mentioned_med_findings,
    recorded_med_findings,
)
from ldn_titrate.check.options import CheckOptions, column_names, options_from_text
from ldn_titrate.check.read_notes import (
    NOTE_CODES,
    doses_from_volumes,
)
from ldn_titrate.check.read_notes import order_unknown as _order_unknown
from ldn_titrate.check.read_notes import volumes_only as _doses_from_volumes
from ldn_titrate.check.said import check_said
from ldn_titrate.check.stated_sig import check_stated_titrations, without_titration_lines
from ldn_titrate.check.steps import check_row
from ldn_titrate.check.strengths import check_stated_strengths
from ldn_titrate.check.structured import check_medicine, check_timings
from ldn_titrate.check.twins import check_both_forms, check_label_doses, check_twins
from ldn_titrate.doses import format_concentration
from ldn_titrate.errors import LdnTitrateError, PlanFormatError, Setting, shown, spell
from ldn_titrate.received import read_plan
from ldn_titrate.received.lines import SHEET_NAME
from ldn_titrate.received.model import Form, Formulation, ReceivedPlan
from ldn_titrate.received.shape_error import PlanShapeError

__all__ = [
    "MAX_PLAN_BYTES",
    "MAX_PLAN_ROWS",
    "CheckOptions",
    "Code",
    "Finding",
    "Severity",
    "Tally",
    "check_file",
    "check_plan",
    "column_names",
    "fewest_capsules",
    "internal_error",
    "options_from_text",
    "report_data",
    "tally",
    "unreadable",
]


# A titration plan has a few dozen rows, a few hundred at most; anything far larger is not
# one, and reading it whole would let one file stall a batch. The command line reads at most
# MAX_PLAN_BYTES + 1 bytes of a file, so the size bound never needs the whole file.
MAX_PLAN_BYTES: Final = 1_000_000
MAX_PLAN_ROWS: Final = 1_000


def unreadable(source: str, reason: str, line: int | None, options: CheckOptions) -> list[Finding]:
    """The findings for a file that cannot be read at all: one error with the reason."""
    return [
        *med_findings(options.meds, source),
        Finding.of(Code.UNREADABLE, source, line, None, f"cannot be read: {reason}"),
    ]


def check_file(data: bytes | str, source: str, options: CheckOptions) -> list[Finding]:
    """Read and check one plan; a file that cannot be read is one error finding.

    A file larger than ``MAX_PLAN_BYTES`` or with more than ``MAX_PLAN_ROWS`` steps is not
    a titration plan: one error finding, and its steps are not checked. Whatever else goes
    wrong with one file is that file's finding, never the end of a batch: a value refused
    while reading or checking makes it ``unreadable``, any other failure ``internal-error``.
    """
    try:
        return _check_file(data, source, options)
    except LdnTitrateError as exc:
        return unreadable(source, _reason(exc), None, options)
    except Exception as exc:  # noqa: BLE001 - one file's failure is that file's finding
        return internal_error(source, exc, options)


def internal_error(source: str, exc: BaseException, options: CheckOptions) -> list[Finding]:
    """The findings for a file whose reading or checking failed unexpectedly: one error."""
    return [
        *med_findings(options.meds, source),
        Finding.of(
            Code.INTERNAL_ERROR,
            source,
            None,
            None,
            f"not checked: the checker failed ({type(exc).__name__}); "
            "please report this with the file",
        ),
    ]


def _reason(exc: LdnTitrateError) -> str:
    if isinstance(exc, PlanFormatError):
        return exc.reason
    return str(exc)


def _check_file(data: bytes | str, source: str, options: CheckOptions) -> list[Finding]:
    if len(data) > MAX_PLAN_BYTES:
        return _not_a_plan(source, "larger than 1 MB", options)
    try:
        plan = read_plan(data, source, options.date_order, options.columns)
    except PlanShapeError as exc:
        findings = unreadable(source, exc.problems[0], None, options)
        findings.extend(
            Finding.of(Code.UNREADABLE, source, None, None, f"cannot be read: {problem}")
            for problem in exc.problems[1:]
        )
        return findings
    except PlanFormatError as exc:
        return unreadable(source, exc.reason, exc.line, options)
    if len(plan.rows) > MAX_PLAN_ROWS:
        return _not_a_plan(source, f"more than {MAX_PLAN_ROWS:,} rows", options)
    return check_plan(plan, options)


def _not_a_plan(source: str, reason: str, options: CheckOptions) -> list[Finding]:
    return [
        *med_findings(options.meds, source),
        Finding.of(Code.UNREADABLE, source, None, None, f"not a titration plan: {reason}"),
    ]


def check_plan(plan: ReceivedPlan, options: CheckOptions) -> list[Finding]:
    """Every finding about one received plan, file-wide ones first, then row by row."""
    report = Report(plan.source)
    plan = without_titration_lines(plan)
    _file_findings(report, plan, options)
    check_identity(report, plan)
    for problem in plan.problems:
        report.plan(
            Code.FORMULATION_UNREADABLE,
            f"{problem.column} {shown(problem.text)}: {problem.reason}",
        )
    for note in plan.notes:
        report.plan(NOTE_CODES[note.kind], note.message, note.line)
    # Two strengths stated in two places leave every amount of the plan in doubt.
    conflict = check_stated_strengths(report, plan)
    form = _default_graduation(_formulation_to_check(report, plan, options.formulation), options)
    if _doses_from_volumes(plan):
        derived = doses_from_volumes(report, plan, form)
        if derived is None:
            return report.findings()
        plan = derived
    for line, column, text in plan.texts:
        # A sheet's name is a name, not directions: its wording is not judged.
        problems = () if column == SHEET_NAME else text_problems(text)
        if problems:
            check_wording(report, line, column, text, problems)
    check_said(report, plan)
    if not plan.rows:
        report.plan(Code.NO_STEPS, "the plan has no steps")
        return report.findings()
    if "first_day" not in plan.columns and not _order_unknown(plan):
        report.plan(
            Code.UNDATED,
            "the plan gives no first day for its steps, so its dates cannot be checked",
        )
    spans = resolve_spans(report, in_date_order(report, plan.rows))
    split = [check_row(report, span, form, plan) for span in spans]
    check_plan_frequency(report, plan, all(split))
    check_stated_titrations(report, plan, spans)
    check_timings(report, spans)
    check_twins(report, plan)
    check_both_forms(report, plan)
    check_label_doses(report, plan)
    check_concentration_cells(report, plan, form)
    check_volume_agreement(report, plan, spans, form)
    check_sequence(report, spans)
    check_course(report, spans, options)
    check_bud(report, plan, spans, options.bud_days or plan.bud_days)
    # A total is set against the steps' amounts only when no step is in error: that error is
    # said already, and a total measured against an amount in doubt would say it again.
    if plan.dispensed and not report.has_step_errors():
        from ldn_titrate.check.dispensed import check_dispensed  # noqa: PLC0415 - rare

        check_dispensed(report, plan, spans)
    # A total made of volumes or capsules that were themselves errors is not stated as a fact.
    counted = None if conflict or report.has_any(AMOUNT_ERRORS) else form
    report.tail.append(Finding.of(Code.SUMMARY, plan.source, None, None, summary(spans, counted)))
    return report.findings()


def _file_findings(report: Report, plan: ReceivedPlan, options: CheckOptions) -> None:
    """The medicine screens, then each part of the file that was not read by its meaning."""
    report.head.extend(med_findings(options.meds, plan.source))
    report.head.extend(recorded_med_findings(plan.meds, plan.meds_reviewed, plan.source))
    report.head.extend(listed_med_findings(plan))
    report.head.extend(mentioned_med_findings(plan))
    check_medicine(report, plan)
    # Clean means accounted for: a part of the file not read by its meaning is said.
    for part in plan.unread:
        report.plan(Code.NOT_READ, f"{part.where} was not read", part.line)


def _default_graduation(form: Formulation | None, options: CheckOptions) -> Formulation | None:
    """A liquid that records no syringe mark is checked against the configured one."""
    if form is not None and form.graduation_ml is None and form.form is Form.LIQUID:
        return replace(form, graduation_ml=options.default_graduation_ml)
    return form


def _formulation_to_check(
    report: Report, plan: ReceivedPlan, given: Formulation | None
) -> Formulation | None:
    """The formulation to check against: the one given, completed by the one recorded."""
    recorded = plan.formulation
    if given is None:
        return recorded
    if recorded is None:
        return given
    if recorded.form is not given.form:
        report.plan(
            Code.FORMULATION_CONFLICT,
            spell(
                (
                    f"the plan is written for {_form_words(recorded)}, but ",
                    Setting("form", given.form),
                    " was given",
                )
            ),
        )
        return given
    if (
        given.concentration_mg_per_ml is not None
        and recorded.concentration_mg_per_ml is not None
        and given.concentration_mg_per_ml != recorded.concentration_mg_per_ml
    ):
        report.plan(
            Code.CONCENTRATION_CONFLICT,
            spell(
                (
                    (
                        "the plan is written for "
                        f"{format_concentration(recorded.concentration_mg_per_ml)}, but "
                    ),
                    Setting("concentration", format_concentration(given.concentration_mg_per_ml)),
                    " was given",
                )
            ),
        )
    return Formulation(
        given.form,
        concentration_mg_per_ml=given.concentration_mg_per_ml or recorded.concentration_mg_per_ml,
        graduation_ml=given.graduation_ml or recorded.graduation_ml,
        strengths_mg=given.strengths_mg or recorded.strengths_mg,
        max_units=given.max_units or recorded.max_units,
    )


def _form_words(form: Formulation) -> str:
    if form.form is Form.CAPSULE:
        return "capsules"
    if form.concentration_mg_per_ml is None:
        return "an oral liquid"
    return f"a {format_concentration(form.concentration_mg_per_ml)} oral liquid"
