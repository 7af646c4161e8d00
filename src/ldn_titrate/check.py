"""Check a plan received from anywhere: is it safe and consistent to compound?

Pure: no I/O, no clock, no printing. This module decides what a valid schedule is without
the code of ``rules`` (an import-linter contract keeps the two apart), so that each one
checks the other.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise
from math import gcd
from typing import Final

from ldn_titrate.doses import (
    decimal_places,
    format_capsules,
    format_concentration,
    format_mg,
    format_ml,
    format_number,
    parse_concentration,
    parse_dose,
    parse_volume,
)
from ldn_titrate.errors import InputError, InputErrors, PlanFormatError
from ldn_titrate.limits import (
    BUD_MAX_DAYS,
    FAST_INTERVAL_BELOW_DAYS,
    FINE_GRADUATION_ML,
    INTERVAL_MAX_DAYS,
    LARGE_STEP_ABOVE_MG,
    MAX_DECIMAL_PLACES,
    STANDARD_DOSE_MG,
    START_MIN_MG,
    TARGET_MAX_MG,
    VERY_LOW_DOSE_BELOW_MG,
)
from ldn_titrate.received import (
    CapsuleCounts,
    DoseUnit,
    Formulation,
    ReceivedForm,
    ReceivedPlan,
    ReceivedRow,
    read_plan,
)

_MCG_PER_MG: Final = 1000
# The same doses and volumes are written again and again in messages and summaries.
_mg: Final = lru_cache(maxsize=2048)(format_mg)
_ml: Final = lru_cache(maxsize=2048)(format_ml)
_ZERO: Final = Decimal(0)
_ONE_DAY: Final = timedelta(days=1)


class Severity(StrEnum):
    """How much a finding matters: an error stops compounding, a warning needs a look."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the check found: ``line`` is the CSV line (header = 1), ``step`` counts from 1."""

    severity: Severity
    code: str
    file: str
    line: int | None
    step: int | None
    message: str

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
class CheckOptions:
    """What the pharmacist adds to the plan: the formulation made, the BUD, other medicines."""

    formulation: Formulation | None = None
    bud_days: int | None = None
    meds: str = ""
    # No published protocol steps by more than 1.5 mg (https://ldnnaltrexone.com/how-to-use-ldn)
    # or moves faster than every 3 days (https://thecompounder.com/sleep-disturbances-with-ldn/).
    max_step_mg: Decimal = LARGE_STEP_ABOVE_MG
    min_interval_days: int = FAST_INTERVAL_BELOW_DAYS


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


def _whole_days(text: str, name: str, most: int) -> int:
    match = re.fullmatch(r"\s*([0-9]+)\s*d?\s*", text)
    if match is None or not 1 <= int(match[1]) <= most:
        raise InputError(name, text, f"must be a whole number of days from 1 to {most}")
    return int(match[1])


def _positive(value: Decimal, name: str, text: str, unit: str) -> Decimal:
    if value <= 0:
        raise InputError(name, text, f"must be more than 0 {unit}")
    return value


def _formulation_option(
    form: str | None, concentration: str | None, graduation: str | None, strengths: str | None
) -> Formulation | None:
    """The formulation given on the command line; each option belongs to one form."""
    kind: ReceivedForm | None = None
    if form is not None:
        try:
            kind = ReceivedForm(form.strip().lower())
        except ValueError:
            raise InputError("--form", form, "must be liquid or capsule") from None
    if kind is None and graduation is not None and concentration is None and strengths is None:
        # The syringe dispensed, alone: it applies to the liquid the plan records.
        grad = parse_volume(graduation, "--graduation")
        return Formulation(
            ReceivedForm.LIQUID,
            graduation_ml=_positive(grad, "--graduation", graduation, "mL"),
        )
    for name, text, needs in (
        ("--concentration", concentration, ReceivedForm.LIQUID),
        ("--graduation", graduation, ReceivedForm.LIQUID),
        ("--strengths", strengths, ReceivedForm.CAPSULE),
    ):
        if text is not None and kind is not needs:
            raise InputError(name, text, f"applies to --form {needs} only")
    if kind is ReceivedForm.LIQUID:
        return _liquid_option(concentration, graduation)
    if kind is ReceivedForm.CAPSULE:
        return _capsule_option(strengths)
    return None


def _liquid_option(concentration: str | None, graduation: str | None) -> Formulation:
    if concentration is None:
        raise InputError("--concentration", None, "is required with --form liquid")
    conc = parse_concentration(concentration, "--concentration")
    grad = None
    if graduation is not None:
        grad = parse_volume(graduation, "--graduation")
        _positive(grad, "--graduation", graduation, "mL")
    return Formulation(
        ReceivedForm.LIQUID,
        concentration_mg_per_ml=_positive(conc, "--concentration", concentration, "mg/mL"),
        graduation_ml=grad,
    )


def _capsule_option(strengths: str | None) -> Formulation:
    if strengths is None:
        raise InputError("--strengths", None, "is required with --form capsule")
    items = strengths.split(",")
    if any(not item.strip() for item in items):
        raise InputError(
            "--strengths", strengths, "list strengths separated by commas, such as 1.5,0.5"
        )
    parsed = tuple(parse_dose(item, "--strengths") for item in items)
    for value in parsed:
        _positive(value, "--strengths", strengths, "mg")
    return Formulation(ReceivedForm.CAPSULE, strengths_mg=parsed)


def options_from_text(  # noqa: PLR0913 - one parameter per command-line option
    *,
    form: str | None = None,
    concentration: str | None = None,
    graduation: str | None = None,
    strengths: str | None = None,
    bud: str | None = None,
    meds: str | None = None,
    max_step: str | None = None,
    min_interval: str | None = None,
) -> CheckOptions:
    """The options of ``check`` as typed on the command line, parsed and validated.

    Raises:
        InputErrors: one entry per refused option, each naming the option.
    """
    errors: list[InputError] = []
    values: dict[str, object] = {"meds": meds or ""}
    parsers = (
        ("formulation", lambda: _formulation_option(form, concentration, graduation, strengths)),
        ("bud_days", lambda: None if bud is None else _whole_days(bud, "--bud", BUD_MAX_DAYS)),
        (
            "max_step_mg",
            lambda: (
                LARGE_STEP_ABOVE_MG
                if max_step is None
                else _positive(parse_dose(max_step, "--max-step"), "--max-step", max_step, "mg")
            ),
        ),
        (
            "min_interval_days",
            lambda: (
                FAST_INTERVAL_BELOW_DAYS
                if min_interval is None
                else _whole_days(min_interval, "--min-interval", INTERVAL_MAX_DAYS)
            ),
        ),
    )
    for key, parse in parsers:
        try:
            values[key] = parse()
        except InputError as exc:
            errors.append(exc)
    if errors:
        raise InputErrors(errors)
    return CheckOptions(**values)  # type: ignore[arg-type]


# Medicines ---------------------------------------------------------------------------------


class _Med(StrEnum):
    OPIOID = "opioid"
    LONG_ACTING = "long-acting"
    OPIOID_LIKE = "opioid-like"


# Opioids named by the naltrexone label and interaction lists:
# https://drugcentral.org/label/adb7c4dc-221a-4d91-9687-0d78913a92ad/view ;
# https://www.goodrx.com/naltrexone/interactions ;
# https://drugmart.com/articles/what-to-avoid-when-taking-low-dose-naltrexone ;
# tramadol by name: https://prescriberpoint.com/therapies/naltrexone-hydrochloride-0f30f88 ;
# loperamide: https://pmc.ncbi.nlm.nih.gov/articles/PMC7504308 ;
# heroin: https://dailymed.nlm.nih.gov/dailymed/archives/fdaDrugInfo.cfm?archiveid=48058
_GENERICS: Final = {
    "alfentanil": _Med.OPIOID,
    "butorphanol": _Med.OPIOID,
    "codeine": _Med.OPIOID,
    "difenoxin": _Med.OPIOID,
    "dihydrocodeine": _Med.OPIOID,
    "diphenoxylate": _Med.OPIOID,
    "fentanyl": _Med.OPIOID,
    "heroin": _Med.OPIOID,
    "hydrocodone": _Med.OPIOID,
    "hydromorphone": _Med.OPIOID,
    "levorphanol": _Med.OPIOID,
    "loperamide": _Med.OPIOID,
    "meperidine": _Med.OPIOID,
    "morphine": _Med.OPIOID,
    "oxycodone": _Med.OPIOID,
    "oxymorphone": _Med.OPIOID,
    "pentazocine": _Med.OPIOID,
    "tapentadol": _Med.OPIOID,
    "tramadol": _Med.OPIOID,
    # Methadone and buprenorphine need the longer washout:
    # http://www.mipmpc.com/fajar-faq/when-is-naltrexone-therapy-not-suitable/
    "methadone": _Med.LONG_ACTING,
    "buprenorphine": _Med.LONG_ACTING,
    # https://link.springer.com/article/10.1007/s13181-018-0685-1
    "kratom": _Med.OPIOID_LIKE,
}
# Brand names and what they contain.
# Percocet, Percodan, OxyContin, Vicodin, Lortab, MS Contin, Kadian, Avinza, Oramorph,
# Dilaudid, Duragesic, Actiq, Methadose, Dolophine, Ultram, Ultracet, Subutex, Tylenol #3,
# Stadol: https://pmc.ncbi.nlm.nih.gov/articles/PMC2797112/table/t2-ascp-04-2-4
# Roxicodone, Xtampza, ConZip:
# https://minclinic.eu/drugs/drugs_eng/Drugs_A-Z/drugs-condition-1837.htm
# Norco, Zohydro, Hysingla, Exalgo, Roxicet, Tylox: https://worstpills.org/monographs/view/125
# Demerol, Fentora, Opana, Talwin, Levo-Dromoran:
# http://www.findrxinformation.org/Medication-Types/Medication/Narcotic-and-Opioid-Analgesics
# Suboxone, Subutex, Zubsolv, Butrans, Belbuca, Buprenex, Bunavail:
# https://pmc.ncbi.nlm.nih.gov/articles/PMC6585403/table/T1
# Sublocade, Brixadi: https://medx.it.com/what-medications-have-buprenorphine
# Nucynta:
# https://dailymed.nlm.nih.gov/dailymed/medguide.cfm?setid=ec2dd06c-0c6f-4e37-b75e-edc4f70646e2
# Lomotil:
# https://drugmart.com/articles/what-to-avoid-when-taking-low-dose-naltrexone
# Imodium: https://mediated.wiki/source/loperamide
_BRANDS: Final = {
    "percocet": "oxycodone",
    "percodan": "oxycodone",
    "oxycontin": "oxycodone",
    "roxicodone": "oxycodone",
    "roxicet": "oxycodone",
    "tylox": "oxycodone",
    "xtampza": "oxycodone",
    "vicodin": "hydrocodone",
    "lortab": "hydrocodone",
    "norco": "hydrocodone",
    "zohydro": "hydrocodone",
    "hysingla": "hydrocodone",
    "ms contin": "morphine",
    "kadian": "morphine",
    "avinza": "morphine",
    "oramorph": "morphine",
    "dilaudid": "hydromorphone",
    "exalgo": "hydromorphone",
    "duragesic": "fentanyl",
    "actiq": "fentanyl",
    "fentora": "fentanyl",
    "demerol": "meperidine",
    "opana": "oxymorphone",
    "talwin": "pentazocine",
    "levo-dromoran": "levorphanol",
    "stadol": "butorphanol",
    "ultram": "tramadol",
    "ultracet": "tramadol",
    "conzip": "tramadol",
    "nucynta": "tapentadol",
    "tylenol #3": "codeine",
    "tylenol #4": "codeine",
    "tylenol with codeine": "codeine",
    "lomotil": "diphenoxylate",
    "imodium": "loperamide",
    "methadose": "methadone",
    "dolophine": "methadone",
    "suboxone": "buprenorphine",
    "subutex": "buprenorphine",
    "zubsolv": "buprenorphine",
    "butrans": "buprenorphine",
    "belbuca": "buprenorphine",
    "buprenex": "buprenorphine",
    "bunavail": "buprenorphine",
    "sublocade": "buprenorphine",
    "brixadi": "buprenorphine",
}
# Second naltrexone products.
# Vivitrol: https://www.pdr.net/drug-summary/Vivitrol-naltrexone-1199
# ReVia and Depade, 50 mg tablets: https://psychmed.org/drugs/naltrexone/summary
# Contrave is naltrexone with bupropion:
# https://dailymed.nlm.nih.gov/dailymed/fda/fdaDrugXsl.cfm?setid=ed2da3a6-0614-4bea-8e82-962cbaae6428&type=display
_NALTREXONE_PRODUCTS: Final = {
    "vivitrol": "extended-release naltrexone injection",
    "revia": "naltrexone 50 mg tablets",
    "depade": "naltrexone 50 mg tablets",
    "contrave": "naltrexone and bupropion",
    "naltrexone/bupropion": "naltrexone and bupropion",
    "bupropion/naltrexone": "naltrexone and bupropion",
    "naltrexone-bupropion": "naltrexone and bupropion",
}
_ALL_MEDS: Final = sorted([*_GENERICS, *_BRANDS, *_NALTREXONE_PRODUCTS], key=len, reverse=True)
_MEDS: Final = re.compile(
    r"(?<![a-z0-9])("
    + "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in _ALL_MEDS)
    + r")(?![a-z0-9])",
    re.IGNORECASE,
)
# Standard-dose or long-acting naltrexone written by its generic name.
_NALTREXONE_DOSE: Final = re.compile(
    r"naltrexone(?:\s+(?:hcl|hydrochloride))?\s+(?P<num>[0-9]+(?:\.[0-9]+)?)\s*mg", re.IGNORECASE
)
_NALTREXONE_LONG: Final = re.compile(
    r"(?:extended[- ]release|injectable|depot|xr)\s+naltrexone"
    r"|naltrexone\s+(?:injection|implant|extended[- ]release|xr|er)(?![a-z])",
    re.IGNORECASE,
)
# Washout before naltrexone: 7-10 days after short-acting opioids
# (https://prescriberpoint.com/therapies/naltrexone-hydrochloride-0f30f88); 10-14 days after
# methadone or buprenorphine (http://www.mipmpc.com/fajar-faq/when-is-naltrexone-therapy-not-suitable/);
# extended-release naltrexone lasts 28-30+ days
# (https://biologyinsights.com/how-long-before-surgery-should-i-stop-naltrexone/).
_SHORT_WASHOUT: Final = (
    "the patient must be opioid-free for at least 7–10 days before the first dose"
)
_WASHOUT: Final = {
    _Med.OPIOID: _SHORT_WASHOUT,
    _Med.OPIOID_LIKE: _SHORT_WASHOUT,
    _Med.LONG_ACTING: "after methadone or buprenorphine the patient must be opioid-free "
    "for 10–14 days before the first dose",
}
_WHAT: Final = {
    _Med.OPIOID: "an opioid",
    _Med.OPIOID_LIKE: "an opioid-like botanical",
    _Med.LONG_ACTING: "an opioid",
}


def _med_findings(meds: str, file: str) -> list[Finding]:
    """An error for each opioid or second naltrexone product named in ``--meds``."""
    found: list[Finding] = []
    seen: set[str] = set()
    for match in _MEDS.finditer(meds):
        written = match[1]
        name = re.sub(r"\s+", " ", written.lower())
        if name in _NALTREXONE_PRODUCTS:
            if name not in seen:
                seen.add(name)
                found.append(_naltrexone_finding(file, written, _NALTREXONE_PRODUCTS[name]))
            continue
        generic = _BRANDS.get(name, name)
        if generic in seen:
            continue
        seen.add(generic)
        kind = _GENERICS[generic]
        shown = written if generic == name else f"{written} ({generic})"
        found.append(
            Finding(
                Severity.ERROR,
                "opioid",
                file,
                None,
                None,
                f"--meds: {shown} is {_WHAT[kind]}; naltrexone is contraindicated with opioids "
                f"and can bring on withdrawal: {_WASHOUT[kind]}",
            )
        )
    for match in _NALTREXONE_DOSE.finditer(meds):
        if Decimal(match["num"]) >= STANDARD_DOSE_MG and "naltrexone-dose" not in seen:
            seen.add("naltrexone-dose")
            found.append(_naltrexone_finding(file, match[0], "standard-dose naltrexone"))
    for match in _NALTREXONE_LONG.finditer(meds):
        if "naltrexone-long" not in seen:
            seen.add("naltrexone-long")
            found.append(
                _naltrexone_finding(file, match[0], "extended-release naltrexone injection")
            )
    return found


def _naltrexone_finding(file: str, written: str, what: str) -> Finding:
    lasting = (
        "; its effect lasts 28–30 days or more after an injection"
        if "extended-release" in what
        else ""
    )
    return Finding(
        Severity.ERROR,
        "duplicate-naltrexone",
        file,
        None,
        None,
        f"--meds: {written} is {what}, a second naltrexone product on top of the low dose; "
        f"do not combine them{lasting}",
    )


# Wording (ISMP) ----------------------------------------------------------------------------

# ISMP error-prone abbreviations and dose designations:
# https://www.empr.com/charts/error-prone-dose-designations/ ; spelled-out times and "mcg":
# http://bmjopen.bmj.com/highwire/markup/106413/expansion ; naltrexone and naloxone are
# easily confused: https://pmc.ncbi.nlm.nih.gov/articles/PMC6313374
_UNIT: Final = r"(?P<unit>mg|mcg|ml|µg|μg|ug|cc|g)"
_WORDING: Final = (
    (
        "ismp-leading-zero",
        re.compile(r"(?<![\w.])(?P<num>\.[0-9]+)(?:\s*" + _UNIT + r"\b)?", re.IGNORECASE),
        '"{m}" has no leading zero and can be read as ten times the dose; write "{fix}"',
    ),
    (
        "ismp-trailing-zero",
        re.compile(
            r"(?<![\w.])(?P<num>[0-9]+\.[0-9]*0)(?![0-9])\s*" + _UNIT + r"\b", re.IGNORECASE
        ),
        '"{m}" has a trailing zero, which can be misread as a larger dose; write "{fix}"',
    ),
    (
        "ismp-microgram-sign",
        re.compile(r"[µμ]g|(?<![a-z])ug(?![a-z])", re.IGNORECASE),
        '"{m}" can be misread as mg; write mcg',
    ),
    (
        "ismp-cc",
        re.compile(r"(?<![a-z])cc(?![a-z])", re.IGNORECASE),
        '"{m}" can be misread; write mL',
    ),
    (
        "ismp-bedtime-abbreviation",
        re.compile(r"(?<![a-z])q?\.?h\.?s\.?(?![a-z])", re.IGNORECASE),
        '"{m}" is an error-prone abbreviation; write "at bedtime"',
    ),
    (
        "ismp-daily-abbreviation",
        re.compile(r"(?<![a-z])q\.?o?\.?d\.?(?![a-z])", re.IGNORECASE),
        '"{m}" is an error-prone abbreviation; write "daily" or "every other day"',
    ),
    (
        "ismp-unit-spacing",
        re.compile(r"(?<![\w.])(?P<num>[0-9]+(?:\.[0-9]+)?)" + _UNIT + r"\b", re.IGNORECASE),
        '"{m}" runs the number into its unit; write "{fix}"',
    ),
    (
        "name-confusion",
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


@lru_cache(maxsize=4096)
def _wording(text: str, number_cell: bool) -> tuple[tuple[str, str], ...]:
    """(code, message) for each ISMP problem in a piece of text, first occurrence only."""
    found: list[tuple[str, str]] = []
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
                "ismp-trailing-zero",
                (
                    f'"{text}" has a trailing zero, which can be misread as a larger dose; '
                    f'write "{_fixed(bare["num"], bare["unit"])}"'
                ),
            )
        )
    return tuple(dict(found).items())


# Instructions ------------------------------------------------------------------------------

_AMOUNT: Final = r"(?P<num>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
_MG_IN_TEXT: Final = re.compile(
    r"(?P<times>[×x*]\s*)?" + _AMOUNT + r"\s*(?P<unit>mg|mcg)(?![a-z])(?!\s*/)", re.IGNORECASE
)
_ML_IN_TEXT: Final = re.compile(r"(?<![/\w])" + _AMOUNT + r"\s*ml(?![a-z])", re.IGNORECASE)
_COUNTED: Final = re.compile(
    r"(?P<count>[0-9]+)\s*(?:[×x*]|capsules?\s+of(?:\s+naltrexone)?)\s*" + _AMOUNT + r"\s*mg",
    re.IGNORECASE,
)


def _decimal(text: str) -> Decimal:
    return Decimal("0" + text if text.startswith(".") else text)


@lru_cache(maxsize=4096)
def _stated(text: str) -> tuple[frozenset[Decimal], frozenset[Decimal]]:
    """The daily doses in mg and the volumes in mL an instruction could be stating."""
    doses: set[Decimal] = set()
    for match in _MG_IN_TEXT.finditer(text):
        if match["times"]:
            continue
        value = _decimal(match["num"])
        doses.add(value.scaleb(-3) if match["unit"].lower() == "mcg" else value)
    counted = [int(m["count"]) * _decimal(m["num"]) for m in _COUNTED.finditer(text)]
    if counted:
        doses.add(sum(counted, _ZERO))
    volumes = {_decimal(m["num"]) for m in _ML_IN_TEXT.finditer(text)}
    return frozenset(doses), frozenset(volumes)


# Capsules ----------------------------------------------------------------------------------


def _thousandths(value: Decimal) -> int | None:
    """A dose in thousandths of a mg, or None when it is finer than that."""
    scaled = value.scaleb(3)
    return int(scaled) if scaled == scaled.to_integral_value() else None


def _fewest_units(target: int, units: Sequence[int]) -> list[int] | None:
    """The units (whole numbers) of the fewest-item sum to ``target``, or None if none sums."""
    fewest: list[int | None] = [0] + [None] * target
    last_unit = [0] * (target + 1)
    for amount in range(1, target + 1):
        best = None
        for unit in units:
            before = fewest[amount - unit] if unit <= amount else None
            if before is not None and (best is None or before + 1 < best):
                best = before + 1
                last_unit[amount] = unit
        fewest[amount] = best
    if fewest[target] is None:
        return None
    picked: list[int] = []
    amount = target
    while amount:
        picked.append(last_unit[amount])
        amount -= last_unit[amount]
    return picked


@lru_cache(maxsize=4096)
def fewest_capsules(dose_mg: Decimal, strengths_mg: tuple[Decimal, ...]) -> CapsuleCounts | None:
    """The fewest whole capsules of these strengths (mg) that make the dose exactly, or None."""
    dose = _thousandths(dose_mg)
    sizes = {
        size: strength
        for strength in strengths_mg
        if (size := _thousandths(strength)) is not None and size > 0
    }
    if dose is None or dose <= 0 or not sizes:
        return None
    common = 0
    for size in sizes:
        common = gcd(common, size)
    if dose % common:
        return None
    picked = _fewest_units(dose // common, sorted((s // common for s in sizes), reverse=True))
    if picked is None:
        return None
    counts = Counter(picked)
    return tuple((sizes[unit * common], counts[unit]) for unit in sorted(counts, reverse=True))


# The check ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Span:
    """A row with its days resolved: the last day may come from the days or the next row."""

    row: ReceivedRow
    first: date | None
    last: date | None
    dose_mg: Decimal | None = None
    written_mg: Decimal | None = None
    volume_ml: Decimal | None = None
    capsules: CapsuleCounts | None = None


@dataclass(slots=True)
class _Report:
    file: str
    head: list[Finding] = field(default_factory=list)
    rows: dict[int, list[Finding]] = field(default_factory=dict)
    tail: list[Finding] = field(default_factory=list)
    said: set[tuple[str, str, str]] = field(default_factory=set)

    def row(self, severity: Severity, code: str, row: ReceivedRow, message: str) -> None:
        finding = Finding(severity, code, self.file, row.line, row.position, message)
        self.rows.setdefault(row.position, []).append(finding)

    def plan(self, severity: Severity, code: str, message: str, line: int | None = None) -> None:
        self.head.append(Finding(severity, code, self.file, line, None, message))

    def findings(self) -> list[Finding]:
        ordered = list(self.head)
        for index in sorted(self.rows):
            ordered.extend(self.rows[index])
        ordered.extend(self.tail)
        return ordered


def unreadable(source: str, reason: str, line: int | None, options: CheckOptions) -> list[Finding]:
    """The findings for a file that cannot be read at all: one error with the reason."""
    return [
        *_med_findings(options.meds, source),
        Finding(Severity.ERROR, "unreadable", source, line, None, f"cannot be read: {reason}"),
    ]


def check_file(data: bytes | str, source: str, options: CheckOptions) -> list[Finding]:
    """Read and check one plan; a file that cannot be read is one error finding."""
    try:
        plan = read_plan(data, source)
    except PlanFormatError as exc:
        return unreadable(source, exc.reason, exc.line, options)
    return check_plan(plan, options)


def check_plan(plan: ReceivedPlan, options: CheckOptions) -> list[Finding]:
    """Every finding about one received plan, file-wide ones first, then row by row."""
    report = _Report(plan.source)
    report.head.extend(_med_findings(options.meds, plan.source))
    for problem in plan.problems:
        report.plan(
            Severity.ERROR,
            "formulation-unreadable",
            f"{problem.column} {problem.text!r}: {problem.reason}",
        )
    form = _formulation(report, plan, options.formulation)
    for line, column, text in plan.texts:
        if _wording(text, number_cell=False):
            _check_wording(report, line, column, text, number_cell=False)
    if not plan.rows:
        report.plan(Severity.ERROR, "no-steps", "the plan has no steps")
        return report.findings()
    if "first_day" not in plan.columns:
        report.plan(
            Severity.WARNING,
            "undated",
            "the plan gives no first day for its steps, so its dates cannot be checked",
        )
    spans = _spans(report, plan.rows)
    for span in spans:
        _check_row(report, span, form, plan)
    _check_sequence(report, spans)
    _check_course(report, spans, options)
    _check_bud(report, plan, spans, options.bud_days or plan.bud_days)
    report.tail.append(
        Finding(Severity.INFO, "summary", plan.source, None, None, _summary(spans, form))
    )
    return report.findings()


def _formulation(
    report: _Report, plan: ReceivedPlan, given: Formulation | None
) -> Formulation | None:
    """The formulation to check against: the one given, completed by the one recorded."""
    recorded = plan.formulation
    if given is None:
        return recorded
    if recorded is None:
        return given
    if recorded.form is not given.form:
        report.plan(
            Severity.ERROR,
            "formulation-conflict",
            f"the plan is written for {_form_words(recorded)}, but --form {given.form} was given",
        )
        return given
    if (
        given.concentration_mg_per_ml is not None
        and recorded.concentration_mg_per_ml is not None
        and given.concentration_mg_per_ml != recorded.concentration_mg_per_ml
    ):
        report.plan(
            Severity.ERROR,
            "formulation-conflict",
            f"the plan is written for {format_concentration(recorded.concentration_mg_per_ml)}, "
            f"but --concentration {format_concentration(given.concentration_mg_per_ml)} was given",
        )
    return Formulation(
        given.form,
        concentration_mg_per_ml=given.concentration_mg_per_ml or recorded.concentration_mg_per_ml,
        graduation_ml=given.graduation_ml or recorded.graduation_ml,
        strengths_mg=given.strengths_mg or recorded.strengths_mg,
        max_units=given.max_units or recorded.max_units,
    )


def _form_words(form: Formulation) -> str:
    if form.form is ReceivedForm.CAPSULE:
        return "capsules"
    if form.concentration_mg_per_ml is None:
        return "an oral liquid"
    return f"a {format_concentration(form.concentration_mg_per_ml)} oral liquid"


def _spans(report: _Report, rows: Sequence[ReceivedRow]) -> list[_Span]:
    """Resolve each row's last day: as written, else from its days, else the next first day."""
    spans: list[_Span] = []
    for position, row in enumerate(rows):
        first, last = row.first_day, row.last_day
        if first is not None and last is not None:
            if last < first:
                report.row(
                    Severity.ERROR,
                    "dates-reversed",
                    row,
                    f"ends {last.isoformat()}, before it starts ({first.isoformat()})",
                )
                last = None
            elif row.days is not None and (last - first).days + 1 != row.days:
                report.row(
                    Severity.ERROR,
                    "days-mismatch",
                    row,
                    f"says {row.days} days, but {first.isoformat()} to {last.isoformat()} "
                    f"is {(last - first).days + 1} days",
                )
        if first is not None and last is None and row.days is not None:
            last = first + timedelta(days=row.days - 1)
        if first is not None and last is None and position + 1 < len(rows):
            following = rows[position + 1].first_day
            if following is not None and following > first:
                last = following - _ONE_DAY
        spans.append(_Span(row, first, last))
    return spans


def _check_row(report: _Report, span: _Span, form: Formulation | None, plan: ReceivedPlan) -> None:
    row = span.row
    columns = plan.columns
    unread = _check_cells(report, row, columns)
    if row.dose is not None:
        span.written_mg = row.dose / _MCG_PER_MG if row.dose_unit is DoseUnit.MCG else row.dose
        span.dose_mg = _check_dose(report, row)
    if form is not None and form.form is ReceivedForm.LIQUID:
        recorded = plan.formulation.concentration_mg_per_ml if plan.formulation else None
        _check_volume(report, span, form, columns, recorded)
    if form is not None and form.form is ReceivedForm.CAPSULE:
        _check_capsules(report, span, form, columns, unread)
    _check_instructions(report, span)
    _check_quantity(report, span)
    for column, text in row.texts:
        if _wording(text, number_cell=False):  # most texts are clean: skip the call
            _check_wording(report, row, column, text, number_cell=False)
    for column, text in ((row.dose_column, row.dose_text), ("volume", row.volume_text)):
        if text and _wording(text, number_cell=True):
            _check_wording(report, row, column, text, number_cell=True)


_CELL_CODES: Final = {"first_day": "date", "last_day": "date"}


def _check_cells(report: _Report, row: ReceivedRow, columns: frozenset[str]) -> set[str]:
    """Errors for unreadable, missing and misnumbered cells; the parts that could not be read."""
    for problem in row.problems:
        report.row(
            Severity.ERROR,
            f"{_CELL_CODES.get(problem.field, problem.field)}-unreadable",
            row,
            f"{problem.column} {problem.text!r}: {problem.reason}",
        )
    unread = {problem.field for problem in row.problems}
    if row.number is not None and row.number != row.position:
        report.row(
            Severity.ERROR,
            "step-number",
            row,
            f"is numbered {row.number}, but it is step {row.position} of the plan",
        )
    if row.first_day is None and "first_day" in columns and "first_day" not in unread:
        report.row(Severity.ERROR, "date-missing", row, "has no first day")
    if row.dose is None and "dose" not in unread:
        report.row(Severity.ERROR, "dose-missing", row, "has no dose")
    return unread


def _check_dose(report: _Report, row: ReceivedRow) -> Decimal | None:
    """Errors for a dose that is not a low dose of naltrexone; the dose in mg when usable."""
    value = row.dose
    assert value is not None  # noqa: S101 - called only for a row with a dose
    column = row.dose_column
    # 1 mg = 1,000 mcg, and LDN doses are 0.1-4.5 mg (limits.py): a number in that band in a
    # mcg column, or 100-4,500 in a mg column, was written in the other unit. mg and mcg
    # mix-ups: https://www.empr.com/charts/error-prone-dose-designations/
    if row.dose_unit is DoseUnit.MCG:
        mg = value / _MCG_PER_MG
        if mg < START_MIN_MG <= value <= TARGET_MAX_MG:
            report.row(
                Severity.ERROR,
                "dose-looks-like-mg",
                row,
                f"{format_number(value)} in {column} looks like milligrams: "
                f"{format_number(value)} mcg is only {_mg(mg)}",
            )
            return None
    else:
        mg = value
    if mg <= 0:
        what = "zero" if mg == 0 else "negative"
        report.row(
            Severity.ERROR,
            "dose-not-positive",
            row,
            f"the dose is {what} ({format_number(value)} {row.dose_unit.value})",
        )
        return None
    if row.dose_unit is DoseUnit.MG and START_MIN_MG <= value / _MCG_PER_MG <= TARGET_MAX_MG:
        report.row(
            Severity.ERROR,
            "dose-looks-like-mcg",
            row,
            f"{format_number(value)} in {column} looks like micrograms "
            f"({format_number(value)} mcg = {_mg(value / _MCG_PER_MG)}); "
            f"as mg it is not a low dose",
        )
        return None
    # Standard-dose naltrexone is 50 mg, not LDN: https://www.pdr.net/drug-summary/Vivitrol-naltrexone-1199
    if mg >= STANDARD_DOSE_MG:
        report.row(
            Severity.ERROR,
            "standard-dose",
            row,
            f"{_mg(mg)} is standard-dose naltrexone "
            f"({_mg(STANDARD_DOSE_MG)} or more), not a low dose",
        )
        return None
    # The maximum LDN dose is 4.5 mg: https://e-med.co.uk/ldn_dosage.php
    if mg > TARGET_MAX_MG:
        report.row(
            Severity.ERROR,
            "dose-above-max",
            row,
            f"{_mg(mg)} is above the {_mg(TARGET_MAX_MG)} maximum of low-dose naltrexone",
        )
        return None
    # Below 0.1 mg is microgram (ULDN) practice: https://studylib.net/doc/27218742/dosing-info-2021
    if mg < START_MIN_MG:
        report.row(
            Severity.WARNING,
            "microgram-dose",
            row,
            f"{_mg(mg)} is below {_mg(START_MIN_MG)}: a microgram (ultra-low) dose, not LDN",
        )
    # A 3-decimal-place balance: https://www.medisca.com/blog/ldn-the-hidden-dangers-of-at-home-compounding
    # (The exponent rules out most doses before the costlier exact count.)
    exponent = mg.as_tuple().exponent
    too_fine = isinstance(exponent, int) and -exponent > MAX_DECIMAL_PLACES
    if too_fine and decimal_places(mg) > MAX_DECIMAL_PLACES:
        report.row(
            Severity.WARNING,
            "too-precise",
            row,
            f"{_mg(mg)} cannot be weighed on a {MAX_DECIMAL_PLACES}-decimal-place balance",
        )
    return mg


def _exact_volume(dose_mg: Decimal, concentration: Decimal) -> Decimal | None:
    """The volume in mL that holds the dose, or None when no finite decimal does."""
    try:
        volume = dose_mg / concentration
    except (InvalidOperation, ArithmeticError):
        return None
    return volume if volume * concentration == dose_mg else None


def _check_volume(
    report: _Report,
    span: _Span,
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
    # Without a declared syringe, the finest oral syringe (0.01 mL marks on 1 mL) is assumed:
    # https://www.coursehero.com/file/p1gb495/Important-point-For-liquid-dosages-1-mL-round-to-the-nearest-hundredth-Look-at/
    graduation = form.graduation_ml or FINE_GRADUATION_ML
    dose = span.dose_mg
    named = row.concentration_mg_per_ml
    expected = recorded or concentration
    if named is not None and expected is not None and named != expected:
        report.row(
            Severity.ERROR,
            "concentration-mismatch",
            row,
            f"the instructions name {format_concentration(named)}, "
            f"not {format_concentration(expected)}",
        )
    if row.volume_ml is None:
        if "volume" in columns:
            if not row.volume_text and row.dose is not None:
                report.row(Severity.ERROR, "volume-missing", row, "has no volume")
            return
        if dose is None or concentration is None:
            return
        volume = _exact_volume(dose, concentration)
        if volume is None or volume % graduation:
            shown = "no exact volume" if volume is None else _ml(volume)
            report.row(
                Severity.ERROR,
                "volume-off-graduation",
                row,
                f"{_mg(dose)} at {format_concentration(concentration)} needs {shown}, "
                f"which is not on a syringe marked every {_ml(graduation)}",
            )
        span.volume_ml = volume
        return
    volume = row.volume_ml
    span.volume_ml = volume
    if volume <= 0:
        report.row(
            Severity.ERROR, "volume-not-positive", row, f"the volume is {format_number(volume)} mL"
        )
        return
    if volume % graduation:
        report.row(
            Severity.ERROR,
            "volume-off-graduation",
            row,
            f"{_ml(volume)} falls between the marks of a syringe marked every {_ml(graduation)}",
        )
    if concentration is not None and dose is not None and volume * concentration != dose:
        expected = _exact_volume(dose, concentration)
        should = "" if expected is None else f" ({_ml(expected)})"
        report.row(
            Severity.ERROR,
            "volume-mismatch",
            row,
            f"{_ml(volume)} of {format_concentration(concentration)} holds "
            f"{_mg(volume * concentration)}, not the {_mg(dose)} dose{should}",
        )


def _check_capsules(
    report: _Report,
    span: _Span,
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
        report.row(Severity.ERROR, "capsules-missing", row, "has no capsules")
    if counts is not None:
        span.capsules = counts
        total = sum((s * n for s, n in counts), _ZERO)
        if dose is not None and total != dose:
            report.row(
                Severity.ERROR,
                "capsules-mismatch",
                row,
                f"{format_capsules(counts)} makes {_mg(total)}, not the {_mg(dose)} dose",
            )
        unknown = [s for s, _ in counts if strengths and s not in strengths]
        if unknown:
            report.row(
                Severity.ERROR,
                "capsule-strength",
                row,
                f"uses {_mg(unknown[0])} capsules, which are not among the strengths "
                f"{_strength_list(strengths)}",
            )
    if dose is None or not strengths:
        return
    made = fewest_capsules(dose, tuple(strengths))
    if made is None:
        report.row(
            Severity.ERROR,
            "capsule-unmakeable",
            row,
            f"{_mg(dose)} cannot be made from {_strength_list(strengths)} capsules",
        )
        return
    if span.capsules is None:
        span.capsules = made
    units = sum(n for _, n in made)
    if form.max_units is not None and units > form.max_units:
        report.row(
            Severity.ERROR,
            "capsule-unmakeable",
            row,
            f"{_mg(dose)} needs {units} capsules ({format_capsules(made)}), "
            f"more than the {form.max_units} a dose the plan allows",
        )


def _strength_list(strengths: Sequence[Decimal]) -> str:
    return " and ".join(_mg(s) for s in sorted(strengths, reverse=True))


def _check_instructions(report: _Report, span: _Span) -> None:
    """The dose and volume the instructions state must be the step's own."""
    row = span.row
    if not row.instructions:
        return
    doses, volumes = _stated(row.instructions)
    if doses and span.dose_mg is not None and span.dose_mg not in doses:
        said = " or ".join(_mg(d) for d in sorted(doses))
        report.row(
            Severity.ERROR,
            "instructions-mismatch",
            row,
            f"the instructions say {said}, but the dose is {_mg(span.dose_mg)}",
        )
    if volumes and span.volume_ml is not None and span.volume_ml not in volumes:
        said = " or ".join(_ml(v) for v in sorted(volumes))
        report.row(
            Severity.ERROR,
            "instructions-mismatch",
            row,
            f"the instructions say {said}, but the volume is {_ml(span.volume_ml)}",
        )
    counted = _capsule_quantity(row.instructions) if row.capsules is not None else None
    if counted is not None and row.capsules is not None and counted != _counts(row.capsules):
        said = format_capsules(tuple(sorted(counted.items(), reverse=True)))
        report.row(
            Severity.ERROR,
            "instructions-mismatch",
            row,
            f"the instructions say {said}, but the capsules are {format_capsules(row.capsules)}",
        )


def _counts(capsules: CapsuleCounts) -> dict[Decimal, int]:
    counts: dict[Decimal, int] = {}
    for strength, n in capsules:
        counts[strength] = counts.get(strength, 0) + n
    return counts


def _check_quantity(report: _Report, span: _Span) -> None:
    """A step's quantity must be its daily amount times its days (checked for dated steps)."""
    row = span.row
    if not row.quantity or row.days is None:
        return
    _, volumes = _stated(row.quantity)
    if span.volume_ml is not None and len(volumes) == 1:
        expected = span.volume_ml * row.days
        if expected not in volumes:
            report.row(
                Severity.WARNING,
                "quantity-mismatch",
                row,
                f"the quantity says {row.quantity}, but {row.days} days of "
                f"{_ml(span.volume_ml)} is {_ml(expected)}",
            )
        return
    if span.capsules is not None:
        stated = _capsule_quantity(row.quantity)
        expected_counts = {s: n * row.days for s, n in _counts(span.capsules).items()}
        if stated is not None and stated != expected_counts:
            shown = format_capsules(tuple(sorted(expected_counts.items(), reverse=True)))
            report.row(
                Severity.WARNING,
                "quantity-mismatch",
                row,
                f"the quantity says {row.quantity}, but {row.days} days of "
                f"{format_capsules(span.capsules)} is {shown}",
            )


def _capsule_quantity(text: str) -> dict[Decimal, int] | None:
    """Capsule counts by strength (mg) written in a text, or None if it names none."""
    counted = _counted(text)
    return dict(counted) if counted else None


@lru_cache(maxsize=4096)
def _counted(text: str) -> tuple[tuple[Decimal, int], ...]:
    counts: dict[Decimal, int] = {}
    for match in _COUNTED.finditer(text):
        strength = _decimal(match["num"])
        counts[strength] = counts.get(strength, 0) + int(match["count"])
    return tuple(counts.items())


def _check_wording(
    report: _Report, where: ReceivedRow | int | None, column: str, text: str, *, number_cell: bool
) -> None:
    """A warning for each ISMP wording problem, once per file for the same text."""
    for code, message in _wording(text, number_cell):
        key = (code, column, text)
        if key in report.said:
            continue
        report.said.add(key)
        said = f"{column}: {message}" if column else message
        if isinstance(where, ReceivedRow):
            report.row(Severity.WARNING, code, where, said)
        else:
            report.plan(Severity.WARNING, code, said, where)


def _check_sequence(report: _Report, spans: Sequence[_Span]) -> None:
    """Steps follow each other day after day: no overlap, no gap, in order."""
    for previous, span in pairwise(spans):
        # A step without a first day has its own error; its neighbours are not compared.
        if span.first is not None and previous.first is not None:
            _check_follows(report, previous, span)


def _check_follows(report: _Report, previous: _Span, span: _Span) -> None:
    row, first = span.row, span.first
    assert first is not None  # noqa: S101 - spans without a first day are skipped
    before = previous.first
    assert before is not None  # noqa: S101
    other = f"step {previous.row.position}"
    if first < before:
        report.row(
            Severity.ERROR,
            "out-of-order",
            row,
            f"starts {first.isoformat()}, before {other} ({before.isoformat()})",
        )
        return
    last = previous.last
    if first == before or (last is not None and first <= last):
        end = before if last is None or last < first else last
        overlap = (end - first).days + 1
        report.row(
            Severity.ERROR,
            "overlap",
            row,
            f"starts {first.isoformat()}, while {other} runs {before.isoformat()} to "
            f"{end.isoformat()}: {overlap} day{'s' if overlap > 1 else ''} with two doses",
        )
    elif last is not None and first > last + _ONE_DAY:
        missing = (first - last).days - 1
        report.row(
            Severity.ERROR,
            "gap",
            row,
            f"starts {first.isoformat()}, but {other} ends {last.isoformat()}: "
            f"{missing} day{'s' if missing > 1 else ''} with no dose",
        )


def _check_course(report: _Report, spans: Sequence[_Span], options: CheckOptions) -> None:
    """Warnings about the course of the doses: the start, the steps, the turns, the pace."""
    dosed = [s for s in spans if s.dose_mg is not None]
    if not dosed:
        return
    first = spans[0]
    # "Very low dose" is 0.1-0.5 mg: https://studylib.net/doc/27218742/dosing-info-2021
    if first.dose_mg is not None and first.dose_mg < VERY_LOW_DOSE_BELOW_MG:
        report.row(
            Severity.WARNING,
            "very-low-start",
            first.row,
            f"the plan starts at {_mg(first.dose_mg)}, a very low dose "
            f"(below {_mg(VERY_LOW_DOSE_BELOW_MG)})",
        )
    direction = 0
    # A turn is explained by a note on its row; turning back after an explained turn (the
    # retry after a back-down) needs no note of its own.
    explained = False
    for before, span in pairwise(dosed):
        assert before.dose_mg is not None  # noqa: S101 - only dosed spans
        assert span.dose_mg is not None  # noqa: S101
        change = span.dose_mg - before.dose_mg
        if not change:
            continue
        # No published protocol steps by more than 1.5 mg: https://ldnnaltrexone.com/how-to-use-ldn
        if abs(change) > options.max_step_mg:
            verb = "rises" if change > 0 else "falls"
            report.row(
                Severity.WARNING,
                "large-step",
                span.row,
                f"the dose {verb} by {_mg(abs(change))} (from {_mg(before.dose_mg)} "
                f"to {_mg(span.dose_mg)}), more than a step of "
                f"{_mg(options.max_step_mg)}",
            )
        turn = 1 if change > 0 else -1
        if direction and turn != direction:
            if not span.row.note and not explained:
                went, goes = ("up", "down") if turn < 0 else ("down", "up")
                report.row(
                    Severity.WARNING,
                    "direction-change",
                    span.row,
                    f"the dose goes {goes} (from {_mg(before.dose_mg)} to "
                    f"{_mg(span.dose_mg)}) after going {went}, and no note says why",
                )
            explained = bool(span.row.note)
        direction = turn
    _check_pace(report, dosed, options.min_interval_days)


def _check_pace(report: _Report, dosed: Sequence[_Span], min_days: int) -> None:
    """Each dose is held for at least ``min_days`` before the next change."""
    run_start = 0
    for index in range(1, len(dosed) + 1):
        if index < len(dosed) and dosed[index].dose_mg == dosed[run_start].dose_mg:
            continue
        if index < len(dosed):
            days = _run_days(dosed[run_start:index])
            # No published LDN protocol moves faster than every 3 days:
            # https://thecompounder.com/sleep-disturbances-with-ldn/
            if days is not None and days < min_days:
                start = dosed[run_start]
                assert start.dose_mg is not None  # noqa: S101 - only dosed spans
                report.row(
                    Severity.WARNING,
                    "fast-interval",
                    start.row,
                    f"{_mg(start.dose_mg)} is held for {days} day{'s' if days > 1 else ''} "
                    f"before the dose changes, less than the {min_days}-day minimum interval",
                )
        run_start = index


def _run_days(run: Sequence[_Span]) -> int | None:
    first, last = run[0].first, run[-1].last
    if first is not None and last is not None:
        return (last - first).days + 1
    days = [s.row.days for s in run]
    if all(d is not None for d in days):
        return sum(d for d in days if d is not None)
    return None


def _check_bud(
    report: _Report, plan: ReceivedPlan, spans: Sequence[_Span], bud_days: int | None
) -> None:
    """Each fill must be used up within the beyond-use date; without fills, the dated steps."""
    if bud_days is None:
        return
    # Compounded liquids keep 14-60 days, so a long schedule needs more than one fill:
    # https://fipa2exam2.passetra.com/question/what-is-the-beyond-use-4b1e0648c0d30be8 (14 days)
    # https://thecompounder.com/sleep-disturbances-with-ldn/ (60 days, refrigerated)
    if plan.fills:
        for fill in plan.fills:
            days = (fill.last_day - fill.first_day).days + 1
            if days > bud_days:
                report.tail.append(
                    Finding(
                        Severity.WARNING,
                        "bud-exceeded",
                        plan.source,
                        None,
                        None,
                        f"fill {fill.number} lasts {days} days ({fill.first_day.isoformat()} to "
                        f"{fill.last_day.isoformat()}), longer than the {bud_days}-day "
                        "beyond-use date",
                    )
                )
        return
    dated = _dated_days(spans)
    if dated is not None and dated > bud_days:
        report.tail.append(
            Finding(
                Severity.WARNING,
                "bud-exceeded",
                plan.source,
                None,
                None,
                f"as a single fill, the {dated} dated days of the plan outlast the "
                f"{bud_days}-day beyond-use date; dispense it in fills of at most {bud_days} days",
            )
        )


def _dated_days(spans: Sequence[_Span]) -> int | None:
    """Days from the first day to the last dated day (an ongoing last step is not counted)."""
    first = spans[0].first
    ends = [s.last for s in spans if s.last is not None]
    if first is None or not ends:
        return None
    return (max(ends) - first).days + 1


def _summary(spans: Sequence[_Span], form: Formulation | None) -> str:
    """The plan in one line: steps, days, doses as written and, with a form, the quantity."""
    count = len(spans)
    parts = [f"{count} step{'s' if count != 1 else ''}"]
    firsts = [s.first for s in spans if s.first is not None]
    lasts = [s.last for s in spans if s.last is not None]
    ongoing = spans[-1].last is None and spans[-1].first is not None
    if firsts:
        start = min(firsts)
        if ongoing and not lasts:
            parts[0] += f", ongoing from {max(firsts).isoformat()}"
        elif ongoing and lasts:
            parts[0] += (
                f", {start.isoformat()} to {max(lasts).isoformat()}, "
                f"then ongoing from {max(firsts).isoformat()}"
            )
        elif lasts:
            end = max(lasts)
            parts[0] += (
                f", {start.isoformat()} to {end.isoformat()} ({(end - start).days + 1} days)"
            )
    doses = [s.written_mg for s in spans]
    first_dose, target = doses[0], doses[-1]
    if first_dose is not None and target is not None:
        parts.append(
            f"{_mg(first_dose)} throughout"
            if all(d == first_dose for d in doses)
            else f"{_mg(first_dose)} to a target of {_mg(target)}"
        )
    if form is not None and all(s.dose_mg is not None for s in spans):
        parts.append(_total(spans, form))
    return "; ".join(p for p in parts if p)


def _days_of(span: _Span) -> int:
    assert span.first is not None  # noqa: S101 - only dated spans
    assert span.last is not None  # noqa: S101
    return (span.last - span.first).days + 1


def _total(spans: Sequence[_Span], form: Formulation) -> str:
    """The total quantity of the dated steps, and the daily amount of an ongoing last step."""
    dated = [s for s in spans if s.first is not None and s.last is not None]
    ongoing = spans[-1] if spans[-1].last is None else None
    days = sum((_days_of(s) for s in dated), 0)
    if form.form is ReceivedForm.LIQUID:
        volumes = [s.volume_ml for s in spans]
        if any(v is None for v in volumes):
            return ""
        total = sum(((s.volume_ml or _ZERO) * _days_of(s) for s in dated), _ZERO)
        made = (
            ""
            if form.concentration_mg_per_ml is None
            else f" of {format_concentration(form.concentration_mg_per_ml)} liquid"
        )
        text = f"{_ml(total)}{made} for the {days} dated days" if dated else ""
        if ongoing is not None and ongoing.volume_ml is not None:
            text += f"{', then ' if text else ''}{_ml(ongoing.volume_ml)} a day ongoing"
        return text
    if any(s.capsules is None for s in spans):
        return ""
    counts: dict[Decimal, int] = {}
    for span in dated:
        for strength, n in span.capsules or ():
            counts[strength] = counts.get(strength, 0) + n * _days_of(span)
    text = ""
    if counts:
        text = (
            f"{format_capsules(tuple(sorted(counts.items(), reverse=True)))} capsules "
            f"for the {days} dated days"
        )
    if ongoing is not None and ongoing.capsules is not None:
        text += f"{', then ' if text else ''}{format_capsules(ongoing.capsules)} a day ongoing"
    return text
