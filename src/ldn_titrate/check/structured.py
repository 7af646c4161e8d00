"""What a structured (FHIR) plan says by its codes and structure, judged.

The medicine: a plan coded for another drug, or made of standard-dose naltrexone tablets, is
the wrong medicine; a second naltrexone order or statement in the same Bundle is a
duplicate. The timing of each Dosage: anything but one dose a day, a dose taken as needed,
and a text that contradicts the structure beside it are errors naming both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Final

from ldn_titrate.check.arithmetic import mg_text
from ldn_titrate.check.course import Span
from ldn_titrate.check.findings import Code, Report
from ldn_titrate.check.frequency import frequency_said
from ldn_titrate.check.meds import screen
from ldn_titrate.limits import STANDARD_DOSE_MG
from ldn_titrate.patterns import lazy_pattern
from ldn_titrate.received.model import ReceivedPlan

if TYPE_CHECKING:
    from ldn_titrate.received.extras import DoseTiming, Medicine

RXNORM: Final = "http://www.nlm.nih.gov/research/umls/rxnorm"
# https://mor.nlm.nih.gov/RxNav/search?searchBy=RXCUI&searchTerm=7243
NALTREXONE: Final = f"{RXNORM}|7243"
# Medicines that are not naltrexone but are mistaken for it, by their RxNorm ingredient codes:
# naloxone 7242 (https://mor.nlm.nih.gov/RxNav/search?searchBy=RXCUI&searchTerm=7242) and
# nalbuphine 7238 (VSAC 2.16.840.1.113762.1.4.1200.14 "Opioids", via
# smart-on-fhir/cumulus-library-opioid valueset_rx_opioid.json).
OTHER_CODES: Final = {f"{RXNORM}|7242": "naloxone", f"{RXNORM}|7238": "nalbuphine"}


# The same medicines and two more by name, as a coding's display writes them: nalmefene and
# methylnaltrexone (https://www.wellnece.com/drugs/Naltrexone, https://www.pdr.net/drug-summary/Vivitrol-naltrexone-1199).
_other_names = lazy_pattern(r"\b(methylnaltrexone|naloxone|nalmefene|nalbuphine)\b", re.IGNORECASE)


_naltrexone_word = lazy_pattern(r"(?<!methyl)naltrexone", re.IGNORECASE)


_for_days = lazy_pattern(
    r"\bfor\s+(?P<n>[0-9]{1,3}|one|two|three|four|five|six)\s*(?P<unit>days?|weeks?|wks?)\b",
    re.IGNORECASE,
)


_NUMBER_WORDS: Final = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_WEEK: Final = 7


def check_medicine(report: Report, plan: ReceivedPlan) -> None:
    """The medicine the plan is for, by its codes and strengths; second naltrexone orders."""
    if plan.medicine is not None and not _check_codes(report, plan.medicine):
        _check_strengths(report, plan.medicine)
    for listed in plan.med_lists:
        if not listed.where.startswith("FHIR"):
            continue
        coded = NALTREXONE in listed.codes
        if not (coded or _naltrexone_word().search(listed.text)):
            continue
        # A standard-dose or injected naltrexone the screen names is said there already.
        if any(hit.code is Code.DUPLICATE_NALTREXONE for hit in screen(listed.text)):
            continue
        name = listed.text.split("; ")[0] if listed.text else "RxNorm 7243"
        report.plan(
            Code.DUPLICATE_NALTREXONE,
            f"{listed.where} is for naltrexone ({name}): a second naltrexone order or "
            "statement beside the low-dose plan; do not combine them",
        )


def _check_codes(report: Report, medicine: Medicine) -> bool:
    """Whether the codes name another medicine than naltrexone (and say so)."""
    named: dict[str, str] = {}
    for code, display in medicine.codes:
        other = OTHER_CODES.get(code)
        if other is not None:
            named.setdefault(other, f"RxNorm {code.rpartition('|')[2]}")
        match = _other_names().search(display)
        if match is not None:
            named.setdefault(match[1].lower(), f'coded "{display}"')
    for name, how in named.items():
        report.plan(
            Code.WRONG_MEDICINE,
            f"{medicine.where} is {name} ({how}), not naltrexone: the plan is for another medicine",
        )
    if named:
        return True
    rxnorm = [(c, d) for c, d in medicine.codes if c.startswith(RXNORM + "|")]
    if rxnorm and not any(
        c == NALTREXONE or _naltrexone_word().search(d) for c, d in medicine.codes
    ):
        code, display = rxnorm[0]
        shown = f"RxNorm {code.rpartition('|')[2]}" + (f' "{display}"' if display else "")
        report.plan(
            Code.WRONG_MEDICINE,
            f"{medicine.where} is coded {shown}, not naltrexone (RxNorm 7243): the plan is "
            "for another medicine",
        )
        return True
    return False


def _check_strengths(report: Report, medicine: Medicine) -> None:
    """A Medication of naltrexone tablets or capsules of 50 mg or more is standard-dose."""
    for strength, unit in medicine.unit_strengths:
        if unit != "mL" and strength >= STANDARD_DOSE_MG:
            report.plan(
                Code.WRONG_MEDICINE,
                f"{medicine.where} is naltrexone {mg_text(strength)} {unit}s: standard-dose "
                "naltrexone (for opioid or alcohol dependence), not a low-dose preparation",
            )
            break


def check_timings(report: Report, spans: Sequence[Span]) -> None:
    """Each Dosage's timing gives one dose a day, on a schedule, as its text says."""
    for span in spans:
        for timing in span.row.timings:
            _check_timing(report, span, timing)


def _check_timing(report: Report, span: Span, timing: DoseTiming) -> None:
    row = span.row
    if timing.as_needed:
        report.row(
            Code.FREQUENCY_MISMATCH,
            row,
            f"{timing.where} is taken as needed (asNeeded), not once a day on a schedule",
        )
    rate = timing.per_day
    if rate is not None and rate != 1:
        amount = ""
        if span.dose_mg is not None and len(row.timings) == 1:
            daily = span.dose_mg * rate.numerator / rate.denominator
            amount = f" of {mg_text(span.dose_mg)}" + (
                f" ({mg_text(daily)} a day)" if rate.denominator == 1 else ""
            )
        report.row(
            Code.FREQUENCY_MISMATCH,
            row,
            f"{timing.where}: its timing ({timing.said}) gives {_rate_words(rate)}{amount}, "
            "not one dose a day",
        )
    # The text of a split day's Dosages names the day's doses together: only a Dosage alone
    # on its day is held to its own timing.
    alone = len(row.timings) == 1
    said = frequency_said(timing.text) if timing.text and alone else None
    if said is not None and rate == 1:
        structure = timing.said or "frequency 1 every 1 d"
        report.row(
            Code.FREQUENCY_MISMATCH,
            row,
            f'{timing.where}: the text says "{said}", but its timing ({structure}) gives one '
            "dose a day",
        )
    _check_days(report, span, timing)
    limit = timing.max_mg_per_day
    if limit is not None and span.dose_mg is not None and span.dose_mg > limit:
        report.row(
            Code.INSTRUCTIONS_MISMATCH,
            row,
            f"{timing.where}: the daily dose of {mg_text(span.dose_mg)} is more than its "
            f"maxDosePerPeriod allows ({mg_text(timing.max_mg_per_day)} a day)",
        )


def _check_days(report: Report, span: Span, timing: DoseTiming) -> None:
    """The days a Dosage's text names and its count agree with the days its bounds cover."""
    row = span.row
    days = timing.bound_days
    if days is None:
        return
    match = _for_days().search(timing.text)
    if match is not None:
        count = _NUMBER_WORDS.get(match["n"].lower()) or int(match["n"])
        said = count * _WEEK if match["unit"].lower().startswith("w") else count
        if said != days:
            report.row(
                Code.DAYS_MISMATCH,
                row,
                f'{timing.where}: the text says "{match[0]}" ({said} days), but its bounds '
                f"cover {days} days",
            )
    if timing.count is not None and timing.count != days:
        report.row(
            Code.DAYS_MISMATCH,
            row,
            f"{timing.where}: its timing counts {timing.count} doses, but its bounds cover "
            f"{days} days of one dose a day",
        )


def _rate_words(rate: Fraction) -> str:
    """Doses a day in words: ``2 doses a day``, ``one dose every 7 days``."""
    if rate.denominator == 1:
        return f"{rate.numerator} doses a day"
    if rate.numerator == 1:
        return f"one dose every {rate.denominator} days"
    weekly = rate * _WEEK
    if weekly.denominator == 1:
        return f"{weekly.numerator} doses a week"
    return f"{Decimal(rate.numerator) / Decimal(rate.denominator):.3g} doses a day"
