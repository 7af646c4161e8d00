"""Every sentence about a step that a patient or pharmacist reads, in one place.

Instructions, how a dose is taken, the words for a liquid or capsules, quantities, titles
and captions. Pure text from finished values: the arithmetic stays in ``dispensing``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final, NamedTuple

from ldn_titrate.doses import (
    CapsuleCounts,
    Form,
    format_capsules,
    format_concentration,
    format_mg,
    format_ml,
    format_number,
)
from ldn_titrate.model import (
    Administration,
    DoseTime,
    Liquid,
    Quantity,
    Schedule,
    TitrationRequest,
    weight_target,
)


class Column(NamedTuple):
    """One column of a step: its key in CSV and JSON, its heading in the table."""

    key: str
    heading: str
    right: bool = False
    """Right-aligned in the table (numbers and amounts)."""
    form: Form | None = None
    """Shown only for this formulation; None: for every plan."""
    formulated: bool = False
    """Shown only when the plan has a formulation."""
    split: bool = False
    """Shown only when some step of the plan is split (morning and bedtime)."""
    noted: bool = False
    """Shown only when some step of the plan has a note."""


# The columns of a step, declared once for the table, the CSV and the JSON, in their order.
STEP_COLUMNS: Final = (
    Column("step", "Step", right=True),
    Column("start_date", "First day"),
    Column("end_date", "Last day"),
    Column("days", "Days", right=True),
    Column("dose_mg", "Dose", right=True),
    Column("volume_ml", "Volume", right=True, form=Form.LIQUID),
    Column("capsules", "Capsules", right=True, form=Form.CAPSULE),
    Column("quantity", "Quantity", right=True, formulated=True),
    Column("morning_mg", "Morning", right=True, split=True),
    Column("bedtime_mg", "Bedtime", right=True, split=True),
    Column("morning_ml", "Morning mL", right=True, form=Form.LIQUID, split=True),
    Column("bedtime_ml", "Bedtime mL", right=True, form=Form.LIQUID, split=True),
    Column("morning_capsules", "Morning capsules", right=True, form=Form.CAPSULE, split=True),
    Column("bedtime_capsules", "Bedtime capsules", right=True, form=Form.CAPSULE, split=True),
    Column("instructions", "Instructions"),
    Column("note", "Note", noted=True),
    Column("label", "Label"),
)


def step_columns(
    form: Form | None, *, split: bool = False, noted: bool = False
) -> tuple[Column, ...]:
    """The columns of a step for a plan made in ``form`` (None: no formulation).

    The morning and bedtime columns appear only in a plan with a split step (``split``), the
    note column only in a plan with a note (``noted``): plain plans keep their columns.
    """
    return tuple(
        c
        for c in STEP_COLUMNS
        if (c.form is None or c.form is form)
        and (not c.formulated or form is not None)
        and (split or not c.split)
        and (noted or not c.noted)
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
