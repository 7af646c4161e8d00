"""Formulations: liquid volumes on the syringe, capsule combinations, quantities and fills.

Pure: no clock, no I/O. Facts: oral syringes, concentrations, capsule strengths and
beyond-use dates as cited in limits.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Context, Decimal, Inexact
from functools import cache
from itertools import combinations
from typing import Final

from ldn_titrate.doses import (
    CapsuleCounts,
    canonical,
    format_capsules,
    format_concentration,
    format_mg,
    format_ml,
    format_number,
)
from ldn_titrate.errors import FormulationError, Phrase, Setting
from ldn_titrate.limits import (
    CAPSULE_STRENGTHS_TO_SUGGEST_MG,
    FINE_GRADUATION_ML,
    MAX_UNITS_LIMIT,
    ONGOING_SUPPLY_DAYS,
    USUAL_CONCENTRATIONS_MG_PER_ML,
)
from ldn_titrate.model import (
    Capsules,
    Dispense,
    Fill,
    Liquid,
    Quantity,
    Step,
    StepSupply,
)

_HUNDRED: Final = Decimal(100)


# Division that signals instead of rounding: a volume is exact or it is not a volume.
_EXACT: Final = Context(prec=40, traps=[Inexact])


def volume_ml(dose_mg: Decimal, concentration_mg_per_ml: Decimal) -> Decimal | None:
    """The exact volume in mL that holds the dose, or None when no finite decimal does."""
    try:
        return canonical(_EXACT.divide(dose_mg, concentration_mg_per_ml))
    except Inexact:
        return None


def on_mark(volume: Decimal | None, graduation_ml: Decimal) -> bool:
    """Whether a volume can be drawn exactly on a syringe marked every ``graduation_ml``."""
    return volume is not None and volume > 0 and volume % graduation_ml == 0


def _measurable(doses: Sequence[Decimal], concentration: Decimal, graduation: Decimal) -> bool:
    return all(on_mark(volume_ml(d, concentration), graduation) for d in doses)


def check_liquid(doses: Sequence[Decimal], liquid: Liquid) -> None:
    """Refuse a plan whose volumes fall between the syringe's marks; say what works instead."""
    conc, grad = liquid.concentration_mg_per_ml, liquid.graduation_ml
    problems: list[str | Phrase] = []
    for number, dose in enumerate(doses, start=1):
        volume = volume_ml(dose, conc)
        if not on_mark(volume, grad):
            shown = "no exact volume" if volume is None else format_ml(volume)
            problems.append(
                f"step {number} ({format_mg(dose)}) needs {shown} at {format_concentration(conc)}, "
                f"which is not on a {format_ml(grad)} mark"
            )
    if not problems:
        return
    works: list[Phrase] = []
    if grad > FINE_GRADUATION_ML and _measurable(doses, conc, FINE_GRADUATION_ML):
        fine = format_number(FINE_GRADUATION_ML)
        works.append(
            (
                f"a syringe marked every {format_ml(FINE_GRADUATION_ML)} (",
                Setting("graduation", fine),
                ")",
            )
        )
    # Usual concentrations with this syringe; with the finer one only if nothing else works.
    for syringe in (grad, FINE_GRADUATION_ML):
        usual = [c for c in USUAL_CONCENTRATIONS_MG_PER_ML if _measurable(doses, c, syringe)]
        if usual and (syringe == grad or not works):
            names = " or ".join(format_concentration(c) for c in usual)
            works.append(
                (Setting("concentration", names), f" with the {format_ml(syringe)} syringe")
            )
            break
    advice: Phrase = (
        ("what works: ", *_joined(works, "; or "))
        if works
        else ("no usual concentration (0.5, 1, 2, 2.5 or 5 mg/mL) puts every step on a mark",)
    )
    raise FormulationError(Setting("form", "liquid"), problems, advice)


def _joined(parts: Sequence[Phrase], between: str) -> Phrase:
    """Phrases one after another with ``between`` in between."""
    out: list[str | Setting] = []
    for k, part in enumerate(parts):
        if k:
            out.append(between)
        out.extend(part)
    return tuple(out)


def _units(value: Decimal) -> int:
    """A dose in thousandths of a mg (doses have at most 3 decimal places)."""
    return int(value.scaleb(3))


@cache
def _fewest(dose_units: int, strengths_units: tuple[int, ...]) -> tuple[int, ...] | None:
    """Fewest capsules making the dose exactly, largest strengths first on a tie; None if none."""
    best: list[tuple[int, ...] | None] = [()] + [None] * dose_units
    for amount in range(1, dose_units + 1):
        for strength in strengths_units:
            if strength <= amount and (prev := best[amount - strength]) is not None:
                candidate = tuple(sorted((*prev, strength), reverse=True))
                current = best[amount]
                if current is None or (len(candidate), [-c for c in candidate]) < (
                    len(current),
                    [-c for c in current],
                ):
                    best[amount] = candidate
    return best[dose_units]


def fewest_capsules(dose_mg: Decimal, strengths_mg: Sequence[Decimal]) -> CapsuleCounts | None:
    """The combination with the fewest capsules that makes the dose exactly, no splitting."""
    strengths = tuple(sorted((_units(s) for s in strengths_mg), reverse=True))
    picked = _fewest(_units(dose_mg), strengths)
    if picked is None:
        return None
    counts: dict[Decimal, int] = {}
    for strength in strengths_mg:
        if n := picked.count(_units(strength)):
            counts[strength] = n
    return tuple(sorted(counts.items(), reverse=True))


def _makes_all(doses: Sequence[Decimal], strengths: Sequence[Decimal], max_units: int) -> bool:
    for dose in doses:
        counts = fewest_capsules(dose, strengths)
        if counts is None or sum(n for _, n in counts) > max_units:
            return False
    return True


def suggest_strengths(doses: Sequence[Decimal], max_units: int) -> tuple[Decimal, ...] | None:
    """The smallest set of usual strengths that makes every dose within ``max_units`` capsules."""
    for size in (1, 2, 3):
        for chosen in combinations(CAPSULE_STRENGTHS_TO_SUGGEST_MG, size):
            if _makes_all(doses, chosen, max_units):
                return chosen
    return None


def _capsule_advice(doses: Sequence[Decimal], max_units: int) -> Phrase:
    """A set of usual strengths that makes every step, with more capsules a dose if need be."""
    for units in range(max_units, MAX_UNITS_LIMIT + 1):
        suggestion = suggest_strengths(doses, units)
        if suggestion:
            strengths = Setting("strengths", ",".join(format_number(s) for s in suggestion))
            more: Phrase = () if units == max_units else (" ", Setting("max_units", str(units)))
            return ("what works: ", strengths, *more)
    return (
        "no set of up to three usual strengths makes every step; a liquid (",
        Setting("form", "liquid"),
        ") measures any of these doses more finely",
    )


def check_capsules(doses: Sequence[Decimal], capsules: Capsules) -> list[CapsuleCounts]:
    """Make every dose from the strengths, or refuse naming each step that cannot be made."""
    made: list[CapsuleCounts] = []
    problems: list[str | Phrase] = []
    for number, dose in enumerate(doses, start=1):
        counts = fewest_capsules(dose, capsules.strengths_mg)
        if counts is None:
            problems.append(
                f"step {number} ({format_mg(dose)}) cannot be made exactly from these strengths"
            )
            continue
        units = sum(n for _, n in counts)
        if units > capsules.max_units:
            problems.append(
                (
                    f"step {number} ({format_mg(dose)}) needs {units} capsules ("
                    + format_capsules(counts)
                    + "), more than ",
                    Setting("max_units", str(capsules.max_units)),
                )
            )
            continue
        made.append(counts)
    if problems:
        raise FormulationError(
            Setting("form", "capsule"), problems, _capsule_advice(doses, capsules.max_units)
        )
    return made


def daily(step: Step) -> Quantity:
    """What one day of a step takes."""
    if step.volume_ml is not None:
        return Quantity(volume_ml=step.volume_ml)
    return Quantity(capsules=step.capsules or ())


def times(quantity: Quantity, days: int) -> Quantity:
    """A daily quantity over a number of days."""
    return Quantity(
        volume_ml=None if quantity.volume_ml is None else canonical(quantity.volume_ml * days),
        capsules=tuple((s, n * days) for s, n in quantity.capsules),
    )


def add(quantities: Sequence[Quantity], liquid: bool) -> Quantity:
    """The sum of quantities; per strength for capsules, largest strength first."""
    if liquid:
        total = sum((q.volume_ml or Decimal(0) for q in quantities), Decimal(0))
        return Quantity(volume_ml=canonical(total))
    counts: dict[Decimal, int] = {}
    for quantity in quantities:
        for strength, n in quantity.capsules:
            counts[strength] = counts.get(strength, 0) + n
    return Quantity(capsules=tuple(sorted(((s, n) for s, n in counts.items() if n), reverse=True)))


def scale(quantity: Quantity, percent: Decimal) -> Quantity:
    """A percentage of a liquid quantity, exact."""
    volume = quantity.volume_ml or Decimal(0)
    return Quantity(volume_ml=canonical(volume * percent / _HUNDRED))


def _spans(steps: Sequence[Step], supply_end: date) -> list[tuple[date, date, Quantity]]:
    """Each step's days within the supply, with its daily quantity."""
    return [(s.first_day, s.last_day or supply_end, daily(s)) for s in steps]


def _fills(
    spans: list[tuple[date, date, Quantity]],
    bud_days: int | None,
    liquid: bool,
    overage_percent: Decimal,
) -> tuple[Fill, ...]:
    first, last = spans[0][0], spans[-1][1]
    length = (last - first).days + 1 if bud_days is None else bud_days
    fills: list[Fill] = []
    start = first
    while start <= last:
        end = min(start + timedelta(days=length - 1), last)
        parts = []
        for span_first, span_last, per_day in spans:
            overlap = (min(end, span_last) - max(start, span_first)).days + 1
            if overlap > 0:
                parts.append(times(per_day, overlap))
        quantity = add(parts, liquid)
        if liquid and overage_percent:
            quantity = add([quantity, scale(quantity, overage_percent)], liquid=True)
        fills.append(
            Fill(
                number=len(fills) + 1,
                first_day=start,
                last_day=end,
                quantity=quantity,
                dispense_by=start,
            )
        )
        start = end + timedelta(days=1)
    return tuple(fills)


def dispense(
    steps: Sequence[Step],
    *,
    liquid: bool,
    bud_days: int | None,
    overage_percent: Decimal,
) -> Dispense:
    """Quantities per step, the totals, the days supply and the fills within the BUD."""
    target = steps[-1]
    assumed = ONGOING_SUPPLY_DAYS if target.last_day is None else None
    supply_end = target.last_day or target.first_day + timedelta(days=ONGOING_SUPPLY_DAYS - 1)
    per_step = tuple(
        StepSupply(
            step=s.number,
            days=s.days if s.days is not None else ONGOING_SUPPLY_DAYS,
            quantity=times(daily(s), s.days if s.days is not None else ONGOING_SUPPLY_DAYS),
            assumed=s.days is None,
        )
        for s in steps
    )
    titration = add([p.quantity for p in per_step[:-1]], liquid)
    maintenance = per_step[-1].quantity
    subtotal = add([titration, maintenance], liquid)
    overage = scale(subtotal, overage_percent) if liquid else None
    grand = add([subtotal, overage], liquid) if overage is not None else subtotal
    return Dispense(
        per_step=per_step,
        titration_total=titration,
        maintenance_total=maintenance,
        assumed_maintenance_days=assumed,
        overage_percent=overage_percent,
        overage=overage,
        grand_total=grand,
        days_supply=sum(p.days for p in per_step),
        fills=_fills(_spans(steps, supply_end), bud_days, liquid, overage_percent),
    )


def measure_each(
    named: Sequence[tuple[str, Decimal]], form: Liquid | Capsules
) -> list[tuple[Decimal | None, CapsuleCounts | None]]:
    """The volume in mL or the capsules of each dose, named ``step 2 in the morning``.

    For plans with split doses, where every administration must be measurable by itself;
    refuses naming each dose that falls between the syringe's marks or cannot be made.
    """
    doses = [dose for _, dose in named]
    problems: list[str | Phrase] = []
    made: list[tuple[Decimal | None, CapsuleCounts | None]] = []
    for name, dose in named:
        if isinstance(form, Liquid):
            conc, grad = form.concentration_mg_per_ml, form.graduation_ml
            volume = volume_ml(dose, conc)
            if not on_mark(volume, grad):
                shown = "no exact volume" if volume is None else format_ml(volume)
                problems.append(
                    f"{name} ({format_mg(dose)}) needs {shown} at {format_concentration(conc)}, "
                    f"which is not on a {format_ml(grad)} mark"
                )
            made.append((volume, None))
            continue
        counts = fewest_capsules(dose, form.strengths_mg)
        if counts is None:
            problems.append(
                f"{name} ({format_mg(dose)}) cannot be made exactly from these strengths"
            )
        elif (units := sum(n for _, n in counts)) > form.max_units:
            problems.append(
                (
                    (
                        f"{name} ({format_mg(dose)}) needs {units} capsules "
                        f"({format_capsules(counts)}), more than "
                    ),
                    Setting("max_units", str(form.max_units)),
                )
            )
        made.append((None, counts))
    if problems:
        # The advice for the whole set of doses is the one the unsplit checks give.
        try:
            if isinstance(form, Liquid):
                check_liquid(doses, form)
            else:
                check_capsules(doses, form)
        except FormulationError as exc:
            raise FormulationError(exc.form, problems, exc.phrases[-1]) from None
    return made
