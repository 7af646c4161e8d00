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
)
from ldn_titrate.model import DoseTime, Liquid, Quantity, Schedule, TitrationRequest


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
    Column("instructions", "Instructions"),
    Column("label", "Label"),
)


def step_columns(form: Form | None) -> tuple[Column, ...]:
    """The columns of a step for a plan made in ``form`` (None: no formulation)."""
    return tuple(
        c
        for c in STEP_COLUMNS
        if (c.form is None or c.form is form) and (not c.formulated or form is not None)
    )


TITLE: Final = "Low-dose naltrexone titration plan"
_TIMES: Final = {DoseTime.BEDTIME: "at bedtime", DoseTime.MORNING: "in the morning"}


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


def assumed_supply_caption(days: int) -> str:
    """The caption saying how an ongoing target step is counted in the quantities."""
    return f"The ongoing target step is counted as a {days}-day supply."
