"""Every sentence about a step that a patient or pharmacist reads, in one place.

Instructions, how a dose is taken, the words for a liquid or capsules, quantities, titles
and captions. Pure text from finished values: the arithmetic stays in ``dispensing``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Final, NamedTuple

# The step columns are declared in ``columns``; their names stay importable here.
from ldn_titrate.columns import (
    STEP_COLUMNS,
    Column,
    Rule,
    Shape,
    columns_of,
    shape_of,
    step_columns,
)
from ldn_titrate.doses import (
    CapsuleCounts,
    format_capsules,
    format_concentration,
    format_mg,
    format_ml,
    format_number,
)
from ldn_titrate.model import (
    Administration,
    Dispense,
    DoseTime,
    Liquid,
    Quantity,
    Schedule,
    TitrationRequest,
    weight_target,
)

TITLE: Final = "Low-dose naltrexone titration plan"
_TIMES: Final = {DoseTime.BEDTIME: "at bedtime", DoseTime.MORNING: "in the morning"}
TIME_WORDS: Final = _TIMES


def how_taken(time: DoseTime) -> str:
    """The route and time shared by every step: ``by mouth once daily at bedtime``."""
    return f"by mouth once daily {_TIMES[time]}"


def capsule_words(counts: CapsuleCounts) -> str:
    """``2 capsules of naltrexone 1.5 mg and 1 capsule of naltrexone 0.5 mg``."""
    return " and ".join(
        f"{n} capsule{'s' if n > 1 else ''} of naltrexone {format_mg(s)}" for s, n in counts
    )


def liquid_words(volume: Decimal, dose_mg: Decimal, liquid: Liquid) -> str:
    """``1.5 mL (1.5 mg) of naltrexone 1 mg/mL oral liquid``."""
    return (
        f"{format_ml(volume)} ({format_mg(dose_mg)}) of naltrexone "
        f"{format_concentration(liquid.concentration_mg_per_ml)} oral liquid"
    )


def instructions(
    dose_mg: Decimal,
    time: DoseTime,
    *,
    liquid: Liquid | None = None,
    volume_ml: Decimal | None = None,
    capsules: CapsuleCounts | None = None,
) -> str:
    """The patient instruction for one step, with the drug named in full.

    A liquid step names its volume in mL (``volume_ml``, measured by the caller).
    """
    what = f"{format_mg(dose_mg)} naltrexone"
    if liquid is not None:
        if volume_ml is None:
            raise ValueError("a liquid step needs its volume")
        what = liquid_words(volume_ml, dose_mg, liquid)
    elif capsules is not None:
        what = capsule_words(capsules)
        if sum(n for _, n in capsules) > 1:
            what += f" ({format_mg(dose_mg)} in all)"
    return f"Take {what} {how_taken(time)}."


def _taken(administration: Administration, liquid: Liquid | None) -> str:
    """One administration of a split day: ``0.5 mL (0.5 mg) of ...`` or ``0.5 mg``."""
    dose = administration.dose_mg
    if liquid is not None and administration.volume_ml is not None:
        return f"{format_ml(administration.volume_ml)} ({format_mg(dose)})"
    if administration.capsules is not None:
        what = capsule_words(administration.capsules)
        more = sum(n for _, n in administration.capsules) > 1
        return f"{what} ({format_mg(dose)} in all)" if more else what
    return format_mg(dose)


def split_instructions(
    administrations: tuple[Administration, ...], dose_mg: Decimal, liquid: Liquid | None = None
) -> str:
    """The instruction for a split day, with both doses and the daily total in mg.

    ``Take 0.5 mg naltrexone by mouth in the morning and 1 mg at bedtime (1.5 mg a day).``
    """
    first, *rest = administrations
    drug = "naltrexone"
    if liquid is not None:
        drug = f"of naltrexone {format_concentration(liquid.concentration_mg_per_ml)} oral liquid"
    head = f"{_taken(first, liquid)} {drug}" if first.capsules is None else _taken(first, None)
    parts = [f"{head} by mouth {_TIMES[first.time]}"]
    parts.extend(f"{_taken(a, liquid)} {_TIMES[a.time]}" for a in rest)
    return f"Take {' and '.join(parts)} ({format_mg(dose_mg)} a day)."


def turn_note(before_mg: Decimal, dose_mg: Decimal, *, rising: bool) -> str:
    """The note on the step where the doses change direction."""
    was, now = ("up", "down") if rising else ("down", "up")
    return (
        f"The dose goes {now} here ({format_mg(before_mg)} to {format_mg(dose_mg)}) "
        f"after going {was}."
    )


def weight_words(request: TitrationRequest) -> str | None:
    """How a weight gave the target: ``target 3.2 mg: 32 kg × 0.1 mg/kg``; None without one."""
    weight, per_kg = request.weight_kg, request.mg_per_kg
    if weight is None or per_kg is None:
        return None
    product, target, capped = weight_target(weight, per_kg)
    text = f"target {format_mg(target)}: {format_number(weight)} kg × {format_number(per_kg)} mg/kg"
    if product > target:
        why = "capped at" if capped else "rounded down to"
        text += f" = {format_mg(product)}, {why} {format_mg(target)}"
    return text


def format_quantity(quantity: Quantity) -> str:
    """``3.5 mL`` or ``14 × 1.5 mg + 7 × 0.5 mg``."""
    if quantity.volume_ml is not None:
        return format_ml(quantity.volume_ml)
    return format_capsules(quantity.capsules) if quantity.capsules else "0 capsules"


GRAND_TOTAL: Final = "Grand total"


class SupplyRow(NamedTuple):
    """One row of the dispensing summary: what it counts, its days, its quantity."""

    item: str
    days: int | None
    quantity: Quantity
    assumed: bool = False
    """An ongoing step counted for a set number of days."""
    total: bool = False
    """A total over steps rather than one step."""


def supply_rows(summary: Dispense) -> list[SupplyRow]:
    """The steps, the totals and any overage of a dispensing summary, in the order shown."""
    rows = [SupplyRow(f"Step {s.step}", s.days, s.quantity, s.assumed) for s in summary.per_step]
    maintenance_days = summary.per_step[-1].days
    titration_days = summary.days_supply - maintenance_days
    rows.append(SupplyRow("Titration total", titration_days, summary.titration_total, total=True))
    rows.append(
        SupplyRow("Maintenance total", maintenance_days, summary.maintenance_total, total=True)
    )
    if summary.overage is not None and summary.overage_percent:
        overage = f"Overage ({format_number(summary.overage_percent)}%)"
        rows.append(SupplyRow(overage, None, summary.overage, total=True))
    rows.append(SupplyRow(GRAND_TOTAL, summary.days_supply, summary.grand_total, total=True))
    return rows


def title(schedule: Schedule) -> str:
    """The heading of a schedule, naming the label when there is one."""
    label = schedule.request.label
    return TITLE if label is None else f"{TITLE}: {label}"


def caption_of(schedule: Schedule) -> str:
    """How every dose is taken, for the caption of a table without instructions."""
    route = how_taken(schedule.request.time)
    split = [step.split for step in schedule.steps]
    both = (
        f"the morning dose {_TIMES[DoseTime.MORNING]} and the bedtime dose "
        f"{_TIMES[DoseTime.BEDTIME]}"
    )
    if all(split):
        route = f"by mouth, {both}"
    elif any(split):
        route += f"; on a step with two doses, {both}"
    form = schedule.request.formulation
    if isinstance(form, Liquid):
        return (
            f"Measure each dose of naltrexone {format_concentration(form.concentration_mg_per_ml)} "
            f"oral liquid and take it {route}."
        )
    return f"Take each dose {route}."


def preset_caption(request: TitrationRequest) -> str | None:
    """The preset a plan was filled from and the values that replaced the preset's."""
    if request.preset is None:
        return None
    replaced = f"; overridden: {', '.join(request.overrides)}" if request.overrides else ""
    return f"Preset {request.preset}{replaced}."


def replan_caption(schedule: Schedule) -> str | None:
    """The rule a re-planned schedule follows and its source, naming the day of the change."""
    record = schedule.replan
    if record is None:
        return None
    return f"Re-planned on {record.on.isoformat()}: {record.rule} ({record.source})."


def assumed_supply_caption(days: int) -> str:
    """The caption saying how an ongoing target step is counted in the quantities."""
    return f"The ongoing target step is counted as a {days}-day supply."


# The places a plan's captions stand: the terminal's table with its instructions column, the
# table without it, the plain lines of a narrow terminal, and the workbook's Schedule sheet.
TABLE: Final = "table"
BRIEF_TABLE: Final = "brief table"
LINES: Final = "lines"
WORKBOOK: Final = "workbook"
TERMINAL: Final = frozenset({TABLE, BRIEF_TABLE, LINES})


def _weight_sentence(schedule: Schedule) -> str | None:
    weighed = weight_words(schedule.request)
    return None if weighed is None else weighed[:1].upper() + weighed[1:] + "."


def _brief_caption(schedule: Schedule) -> str | None:
    return caption_of(schedule) if schedule.steps else None


def _time_note(schedule: Schedule) -> str | None:
    if shape_of(schedule).split:
        return None
    return f"Every dose is taken {how_taken(schedule.request.time)}."


def _supply_note(schedule: Schedule) -> str | None:
    days = schedule.dispense.assumed_maintenance_days if schedule.dispense else None
    return None if days is None else assumed_supply_caption(days)


class Caption(NamedTuple):
    """A sentence shown with a plan's steps, where it stands, and its words (None: not shown)."""

    key: str
    words: Callable[[Schedule], str | None]
    places: frozenset[str]
    head: bool = False
    """In plain lines, above the steps rather than below them."""


# Every caption of a plan, in the order each place shows them.
CAPTIONS: Final = (
    Caption("how_taken", _brief_caption, frozenset({BRIEF_TABLE})),
    Caption("dose_time", _time_note, frozenset({WORKBOOK})),
    Caption("weight", _weight_sentence, TERMINAL, head=True),
    Caption("preset", lambda schedule: preset_caption(schedule.request), TERMINAL),
    Caption("replan", replan_caption, TERMINAL),
    Caption("supply", _supply_note, frozenset({WORKBOOK})),
)


def captions(schedule: Schedule, place: str, *, head: bool | None = None) -> list[str]:
    """The captions shown at ``place``, in order; with ``head``, only those above or below."""
    return [
        words
        for caption in CAPTIONS
        if place in caption.places
        and (head is None or caption.head is head)
        and (words := caption.words(schedule)) is not None
    ]


__all__ = [
    "BRIEF_TABLE",
    "CAPTIONS",
    "GRAND_TOTAL",
    "LINES",
    "STEP_COLUMNS",
    "TABLE",
    "TERMINAL",
    "TIME_WORDS",
    "TITLE",
    "WORKBOOK",
    "Caption",
    "Column",
    "Rule",
    "Shape",
    "SupplyRow",
    "assumed_supply_caption",
    "capsule_words",
    "caption_of",
    "captions",
    "columns_of",
    "format_quantity",
    "how_taken",
    "instructions",
    "liquid_words",
    "preset_caption",
    "replan_caption",
    "shape_of",
    "split_instructions",
    "step_columns",
    "supply_rows",
    "title",
    "turn_note",
    "weight_words",
]
