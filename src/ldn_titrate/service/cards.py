"""The answer to a call: one CDS Hooks card per cause (https://cds-hooks.hl7.org/2.0/#card-attributes).

A cause is one medicine of the patient, or one kind of finding about one low-dose naltrexone
order (the steps it concerns named together). ``critical`` is for an opioid, a second
naltrexone product and a wrong dose; ``warning`` for the order's other problems and for an
order that could not be read; ``info`` where a pharmacist only needs to know.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from enum import StrEnum
from typing import Final

from ldn_titrate.check import MAX_PLAN_ROWS, CheckOptions, Finding, check_plan
from ldn_titrate.check.findings import Code, Severity
from ldn_titrate.check.meds import Hit
from ldn_titrate.doses import format_mg
from ldn_titrate.errors import PlanFormatError
from ldn_titrate.limits import STANDARD_DOSE_MG
from ldn_titrate.received.fhir_reader import read_fhir
from ldn_titrate.service.fixes import one_day_overlap_fix
from ldn_titrate.service.hook_request import HookCall, Resource
from ldn_titrate.service.orders import LdnOrder, Medicine, Orders, medicine_hits, sort_orders
from ldn_titrate.version import __version__

# Two low-dose naltrexone orders in one call are already a warning; past this many, the rest
# are not checked, so that one call cannot hold the service for long.
MAX_ORDERS: Final = 10
SOURCE_LABEL: Final = f"ldn-titrate {__version__}"
# A card's summary is shown in one line: CDS Hooks asks for fewer than 140 characters.
SUMMARY_MAX: Final = 139


class Indicator(StrEnum):
    """How urgent a card is, as CDS Hooks names it."""

    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


_RANK: Final = {Indicator.INFO: 0, Indicator.WARNING: 1, Indicator.CRITICAL: 2}
# Findings that mean the patient would take a wrong amount of naltrexone.
_CRITICAL: Final = frozenset(
    {
        Code.OPIOID,
        Code.DUPLICATE_NALTREXONE,
        Code.WRONG_MEDICINE,
        Code.STANDARD_DOSE,
        Code.DOSE_ABOVE_MAX,
        Code.DOSE_LOOKS_LIKE_MG,
        Code.DOSE_LOOKS_LIKE_MCG,
        Code.DOSE_NOT_POSITIVE,
        Code.CONCENTRATION_MISMATCH,
        Code.VOLUME_MISMATCH,
        Code.VOLUME_INCONSISTENT,
        Code.CAPSULES_MISMATCH,
        Code.CAPSULE_STRENGTH,
        Code.SPLIT_MISMATCH,
        Code.INSTRUCTIONS_MISMATCH,
        Code.LABEL_MISMATCH,
    }
)
# Wording that invites a misreading is one cause, wherever and however it is written.
_WORDING: Final = frozenset(
    {
        Code.ISMP_LEADING_ZERO,
        Code.ISMP_TRAILING_ZERO,
        Code.ISMP_MICROGRAM_SIGN,
        Code.ISMP_CC,
        Code.ISMP_BEDTIME_ABBREVIATION,
        Code.ISMP_DAILY_ABBREVIATION,
        Code.ISMP_UNIT_SPACING,
        Code.NAME_CONFUSION,
    }
)
# A short name of the cause for the summary line; other codes use their first message.
_TITLES: Final[dict[str, str]] = {
    Code.STANDARD_DOSE: "a standard naltrexone dose, not a low dose",
    Code.DOSE_ABOVE_MAX: "dose above the low-dose maximum",
    Code.DOSE_LOOKS_LIKE_MCG: "dose looks like micrograms written as mg",
    Code.DOSE_LOOKS_LIKE_MG: "dose looks like mg written as micrograms",
    Code.DOSE_NOT_POSITIVE: "no dose (zero or less)",
    Code.VOLUME_MISMATCH: "volume and dose disagree",
    Code.INSTRUCTIONS_MISMATCH: "instructions and dose disagree",
    Code.OVERLAP: "steps overlap, two doses on the same day",
    Code.GAP: "days without a dose between steps",
    Code.OUT_OF_ORDER: "steps out of order",
    Code.LARGE_STEP: "a large change of dose",
    Code.FAST_INTERVAL: "a dose held only briefly",
    Code.VERY_LOW_START: "a very low first dose",
    Code.DIRECTION_CHANGE: "the dose changes direction",
    Code.DATE_MISSING: "a step without dates",
    Code.DOSE_MISSING: "a step without a dose",
    Code.DOSE_UNREADABLE: "a dose that cannot be read",
    Code.NOT_READ: "part of the order was not read",
    Code.ISMP_LEADING_ZERO: "a dose written without its leading zero",
    Code.ISMP_TRAILING_ZERO: "a dose written with a trailing zero",
    Code.ISMP_MICROGRAM_SIGN: "µg written for micrograms",
    Code.ISMP_CC: "cc written for mL",
    Code.ISMP_BEDTIME_ABBREVIATION: "an error-prone abbreviation for bedtime",
    Code.ISMP_DAILY_ABBREVIATION: "an error-prone abbreviation for daily",
    Code.ISMP_UNIT_SPACING: "a dose run into its unit",
    Code.NAME_CONFUSION: "a medicine name easily confused with another",
}


def answer(call: HookCall, options: CheckOptions) -> dict[str, object]:
    """The cards for a call: none when no draft order is for naltrexone.

    A naltrexone order that is not low-dose (standard dose, an injection) gets the opioid
    screen alone: naltrexone at any dose brings on withdrawal in a patient taking opioids.
    """
    orders = sort_orders(call.draft_orders, call.prefetched, [call.bundle])
    if not orders.ldn and not orders.other_naltrexone:
        return {"cards": []}
    hits = medicine_hits(orders)
    if not orders.ldn:
        hits = [(medicine, hit) for medicine, hit in hits if hit.code is Code.OPIOID]
    cards = [_medicine_card(medicine, hit, bool(orders.ldn)) for medicine, hit in hits]
    if orders.ldn:
        cards.extend(_standard_dose_card(medicine) for medicine in orders.standard_dose)
    cards.extend(_list_cards(call, orders))
    several = len(orders.ldn) > 1
    for index, order in enumerate(orders.ldn[:MAX_ORDERS], start=1):
        label = f"Low-dose naltrexone order {index}" if several else "Low-dose naltrexone order"
        cards.extend(_order_cards(order, label, options))
    cards.sort(key=lambda card: -_RANK[Indicator(str(card["indicator"]))])
    return {"cards": cards}


def _card(summary: str, indicator: Indicator, detail: str) -> dict[str, object]:
    return {
        "uuid": str(uuid.uuid4()),
        "summary": short(summary),
        "indicator": indicator.value,
        "detail": detail,
        "source": {"label": SOURCE_LABEL},
    }


def short(text: str, most: int = SUMMARY_MAX) -> str:
    """Text cut at a word to at most ``most`` characters, ending in an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= most:
        return text
    cut = text[: most - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _medicine_card(medicine: Medicine, hit: Hit, low_dose: bool) -> dict[str, object]:
    clause = hit.message.split(";", 1)[0]
    what = "low-dose naltrexone" if low_dose else "naltrexone"
    return _card(
        f"{_capital(clause)}: do not start {what}",
        Indicator.CRITICAL,
        f"{_capital(hit.message)}.\n\nFound in {medicine.where}: {medicine.name}.",
    )


def _standard_dose_card(medicine: Medicine) -> dict[str, object]:
    return _card(
        f"Second naltrexone product: {medicine.name} at a standard dose",
        Indicator.CRITICAL,
        f"{medicine.name} is given at {format_mg(STANDARD_DOSE_MG)} or more, standard-dose "
        "naltrexone, a second "
        f"naltrexone product on top of the low dose; do not combine them.\n\n"
        f"Found in {medicine.where}.",
    )


def _list_cards(call: HookCall, orders: Orders) -> list[dict[str, object]]:
    cards = []
    if len(orders.ldn) > 1:
        cards.append(
            _card(
                f"{len(orders.ldn)} low-dose naltrexone orders are drafted together",
                Indicator.WARNING,
                "More than one draft order is for low-dose naltrexone; check that only one "
                "is meant, or the patient may take two doses a day."
                + (
                    f" Only the first {MAX_ORDERS} were checked."
                    if len(orders.ldn) > MAX_ORDERS
                    else ""
                ),
            )
        )
    if call.prefetched is None:
        cards.append(
            _card(
                "The patient's medicines were not sent: confirm no opioid is taken",
                Indicator.INFO,
                "The EHR sent no list of the patient's active medicines, so they were not "
                "screened for opioids or a second naltrexone product. Naltrexone can bring on "
                "withdrawal in a patient who takes opioids.",
            )
        )
    if orders.unnamed:
        cards.append(
            _card(
                f"{orders.unnamed} medicine(s) not screened: no readable name",
                Indicator.WARNING,
                "Some of the patient's medicines or draft orders name no medicine that could be "
                "read (no text or display); screen them for opioids by hand.",
            )
        )
    return cards


def _order_cards(order: LdnOrder, label: str, options: CheckOptions) -> list[dict[str, object]]:
    try:
        plan = read_fhir(order.read, "the order")
    except PlanFormatError as exc:
        return [
            _card(
                f"{label} could not be checked: {exc.reason}",
                Indicator.WARNING,
                f"The order could not be read as a titration: {exc.reason}. "
                "Check its doses and dates by hand.",
            )
        ]
    if len(plan.rows) > MAX_PLAN_ROWS:
        return [
            _card(
                f"{label} could not be checked: more than {MAX_PLAN_ROWS:,} steps",
                Indicator.WARNING,
                "The order has more steps than any titration; it was not checked.",
            )
        ]
    findings = [f for f in check_plan(plan, options) if f.code != Code.SUMMARY]
    causes: dict[str, list[Finding]] = {}
    for finding in findings:
        causes.setdefault(_cause(finding.code), []).append(finding)
    return [_finding_card(order.drafted, label, found) for found in causes.values()]


def _cause(code: str) -> str:
    """The cause a finding belongs to: a wrong dose, error-prone wording, or its own code."""
    if code in _CRITICAL:
        return "dose"
    return "wording" if code in _WORDING else code


def _indicator(code: str, severity: Severity) -> Indicator:
    if code in _CRITICAL:
        return Indicator.CRITICAL
    return Indicator.INFO if severity is Severity.INFO else Indicator.WARNING


def _steps(found: Sequence[Finding]) -> str:
    steps = sorted({f.step for f in found if f.step is not None})
    if not steps:
        return ""
    if len(steps) == 1:
        return f", step {steps[0]}"
    return ", steps " + ", ".join(map(str, steps))


def _finding_card(order: Resource, label: str, found: Sequence[Finding]) -> dict[str, object]:
    code = found[0].code
    title = _TITLES.get(code) or found[0].message.split(";", 1)[0]
    if code == Code.MED_MENTIONED:
        named = found[0].message.split(" is ", 1)[0].split(": ", 1)[-1]
        title = f"its text names {named}: ask whether the patient takes it"
    if code in _WORDING and len({f.code for f in found}) > 1:
        title = "error-prone wording (ISMP), several kinds"
    lines = [
        f"- {'step ' + str(f.step) + ': ' if f.step is not None else ''}{f.message} ({f.code})"
        for f in found
    ]
    card = _card(
        f"{label}{_steps(found)}: {title}",
        max((_indicator(f.code, f.severity) for f in found), key=_RANK.__getitem__),
        f"{label}:\n\n" + "\n".join(lines),
    )
    if code == Code.OVERLAP:
        fixed = one_day_overlap_fix(order, [f.step for f in found])
        if fixed is not None:
            resource, description = fixed
            card["selectionBehavior"] = "at-most-one"
            card["suggestions"] = [
                {
                    "label": short(description),
                    "uuid": str(uuid.uuid4()),
                    "isRecommended": True,
                    "actions": [
                        {"type": "update", "description": description, "resource": resource}
                    ],
                }
            ]
    return card
