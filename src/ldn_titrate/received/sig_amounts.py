"""Amounts in directions: a dose in mg or mcg, a volume in mL, capsules, and their strengths.

An amount is read as written and resolved only once the whole sig is read, when the liquid's
strength or the capsules' strength may have been given in another step.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final, NamedTuple

from ldn_titrate.doses import CapsuleCounts, canonical, format_concentration, format_mg, format_ml
from ldn_titrate.received.sig_words import Kind, SigRefusedError

NUMBER_WORDS: Final = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
MG_WORDS: Final = frozenset({"mg", "milligram", "milligrams"})
MCG_WORDS: Final = frozenset({"mcg", "microgram", "micrograms"})
ML_WORDS: Final = frozenset({"ml", "millilitre", "millilitres", "milliliter", "milliliters"})
CAPSULE_WORDS: Final = frozenset({"capsule", "capsules", "cap", "caps"})
_MCG_PER_MG: Final = 3  # 1 mg = 1,000 mcg: a shift of three decimal places


def milligrams(number: Decimal, unit: str) -> Decimal:
    """A number in mg or mcg as mg, exactly."""
    return canonical(number.scaleb(-_MCG_PER_MG) if unit in MCG_WORDS else number)


class Group(NamedTuple):
    """Capsules of one strength: the count, and the strength in mg when the words give it."""

    units: int
    strength_mg: Decimal | None


class Amount(NamedTuple):
    """One dose as written: mg, or mL of a liquid, or capsules; ``stated_mg`` in brackets."""

    words: str
    mg: Decimal | None = None
    ml: Decimal | None = None
    groups: tuple[Group, ...] = ()
    stated_mg: Decimal | None = None
    concentration: Decimal | None = None
    mcg: bool = False
    """The dose was written in micrograms."""


class Resolved(NamedTuple):
    """An amount in mg, with the volume or the capsules it was written as."""

    mg: Decimal
    ml: Decimal | None = None
    capsules: CapsuleCounts | None = None


class Strengths(NamedTuple):
    """The liquid's strength in mg/mL and the capsule strengths in mg that the sig gives."""

    concentration: Decimal | None
    capsules: tuple[Decimal, ...]


def strengths(amounts: list[Amount], stated: list[Decimal], capsules: list[Decimal]) -> Strengths:
    """The one liquid strength of the sig (stated, or implied by mg beside mL) and capsules."""
    found = set(stated)
    for amount in amounts:
        if amount.concentration is not None:
            found.add(amount.concentration)
        if amount.ml is not None and amount.stated_mg is not None and amount.ml > 0:
            found.add(canonical(amount.stated_mg / amount.ml))
    if len(found) > 1:
        shown = " and ".join(format_concentration(c) for c in sorted(found))
        raise SigRefusedError(Kind.UNREADABLE, f"two liquid strengths, {shown}: give one")
    return Strengths(next(iter(found), None), tuple(sorted(set(capsules), reverse=True)))


def resolve(amount: Amount, known: Strengths) -> Resolved:
    """The amount in mg; refused when its strength is unknown or its own words disagree."""
    if amount.ml is not None:
        concentration = known.concentration
        if concentration is None:
            raise SigRefusedError(
                Kind.UNREADABLE,
                "a volume needs the liquid's strength, such as 'of the 1 mg/mL liquid'",
                amount.words,
            )
        mg = canonical(amount.ml * concentration)
        of = f"{format_ml(amount.ml)} of {format_concentration(concentration)}"
        _agrees(amount, mg, f"{of} is {format_mg(mg)}")
        return Resolved(mg, ml=canonical(amount.ml))
    if amount.groups:
        return _capsules(amount, known)
    assert amount.mg is not None  # noqa: S101 - an amount is mg, mL or capsules
    _agrees(amount, amount.mg, f"the dose is {format_mg(amount.mg)}")
    return Resolved(amount.mg)


def _agrees(amount: Amount, mg: Decimal, said: str) -> None:
    if amount.stated_mg is not None and amount.stated_mg != mg:
        raise SigRefusedError(
            Kind.UNREADABLE,
            f"{said}, but the words say {format_mg(amount.stated_mg)}",
            amount.words,
        )


def _capsules(amount: Amount, known: Strengths) -> Resolved:
    groups = list(amount.groups)
    unknown = [g for g in groups if g.strength_mg is None]
    if unknown:
        if len(groups) == 1 and amount.stated_mg is not None:
            strength = canonical(amount.stated_mg / groups[0].units)
        elif len(known.capsules) == 1:
            strength = known.capsules[0]
        else:
            raise SigRefusedError(
                Kind.UNREADABLE,
                "capsules need their strength, such as '1 capsule (1.5 mg)'",
                amount.words,
            )
        groups = [g if g.strength_mg is not None else Group(g.units, strength) for g in groups]
    total = canonical(sum((g.units * (g.strength_mg or Decimal(0)) for g in groups), Decimal(0)))
    counts: dict[Decimal, int] = {}
    for group in groups:
        assert group.strength_mg is not None  # noqa: S101 - filled in above
        counts[group.strength_mg] = counts.get(group.strength_mg, 0) + group.units
    _agrees(amount, total, f"the capsules add up to {format_mg(total)}")
    return Resolved(total, capsules=tuple(sorted(counts.items(), reverse=True)))
