"""The check's own arithmetic of doses, volumes and capsules, apart from the planner's."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal, Inexact, InvalidOperation, localcontext
from functools import lru_cache
from math import gcd
from typing import Final

from ldn_titrate.doses import format_capsules, format_concentration, format_mg, format_ml
from ldn_titrate.received.model import CapsuleCounts

MCG_PER_MG: Final = 1000
# The same doses and volumes are written again and again in messages and summaries.
mg_text: Final = lru_cache(maxsize=2048)(format_mg)
ml_text: Final = lru_cache(maxsize=2048)(format_ml)
concentration_text: Final = lru_cache(maxsize=256)(format_concentration)
capsules_text: Final = lru_cache(maxsize=2048)(format_capsules)
ZERO: Final = Decimal(0)


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


def exact_volume(dose_mg: Decimal, concentration: Decimal) -> Decimal | None:
    """The volume in mL that holds the dose, or None when no finite decimal does.

    The quotient itself must be exact: 2 mg at 3 mg/mL rounds to 0.666…7 mL, and that rounded
    volume times 3 rounds back to 2, so checking the product alone would call it exact.
    """
    with localcontext() as context:
        context.traps[Inexact] = True
        try:
            return dose_mg / concentration
        except (Inexact, InvalidOperation, ArithmeticError):
            return None
