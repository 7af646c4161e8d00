"""Formulations: liquid volumes on the syringe, capsule combinations, quantities and fills."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from itertools import combinations, combinations_with_replacement

import pytest

from ldn_titrate.dispensing import (
    check_capsules,
    check_liquid,
    fewest_capsules,
    on_mark,
    suggest_strengths,
    volume_ml,
)
from ldn_titrate.doses import CapsuleCounts, Form
from ldn_titrate.errors import FormulationError, InputErrors, PlanFormatError
from ldn_titrate.limits import CAPSULE_STRENGTHS_TO_SUGGEST_MG, MAX_UNITS_LIMIT
from ldn_titrate.model import Capsules, Dispense, Fill, Liquid, Quantity, Schedule
from ldn_titrate.request import Raw, build_request
from ldn_titrate.request_files import read_request_file
from ldn_titrate.rules import build_schedule
from ldn_titrate.wording import capsule_words, format_quantity, liquid_words

D = Decimal
MONDAY = date(2026, 12, 7)
BASE: dict[str, Raw] = {
    "start": "0.5",
    "target": "2",
    "step": "0.5",
    "every": "7d",
    "from": "2026-12-07",
}
NO_USUAL = "no usual concentration (0.5, 1, 2, 2.5 or 5 mg/mL) puts every step on a mark"


def decimals(*texts: str) -> list[Decimal]:
    return [D(t) for t in texts]


def liquid(concentration: str, graduation: str = "0.1") -> Liquid:
    return Liquid(concentration_mg_per_ml=D(concentration), graduation_ml=D(graduation))


def capsules(*strengths: str, max_units: int = 4) -> Capsules:
    return Capsules(strengths_mg=tuple(D(s) for s in strengths), max_units=max_units)


def plan(**changes: Raw | None) -> Schedule:
    """A schedule built from text, as the command line would build it; None drops a key."""
    values = {k: v for k, v in {**BASE, **changes}.items() if v is not None}
    return build_schedule(build_request(values, {}, MONDAY))


def summary(**changes: Raw | None) -> Dispense:
    found = plan(**changes).dispense
    assert found is not None
    return found


def refused(values: Mapping[str, Raw], names: Mapping[str, str] | None = None) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        build_request(values, names or {}, MONDAY)
    return [str(e) for e in caught.value.errors]


def refused_options(**changes: Raw | None) -> list[str]:
    return refused({k: v for k, v in {**BASE, **changes}.items() if v is not None})


def ml(volume: str) -> Quantity:
    return Quantity(volume_ml=D(volume))


def caps(*counts: tuple[str, int]) -> Quantity:
    return Quantity(capsules=tuple((D(s), n) for s, n in counts))


def counts(*pairs: tuple[str, int]) -> CapsuleCounts:
    return tuple((D(s), n) for s, n in pairs)


def brute_force(
    dose: Decimal, strengths: Sequence[Decimal], max_units: int
) -> tuple[Decimal, ...] | None:
    """Every combination of up to max_units capsules: the fewest, largest strengths first."""
    ordered = sorted(strengths, reverse=True)
    for units in range(1, max_units + 1):
        found = [c for c in combinations_with_replacement(ordered, units) if sum(c) == dose]
        if found:
            return max(found)
    return None


def expand(made: CapsuleCounts | None) -> tuple[Decimal, ...] | None:
    if made is None:
        return None
    return tuple(s for s, n in made for _ in range(n))


# Volumes


@pytest.mark.parametrize(
    ("dose", "concentration", "shown"),
    [
        ("0.5", "1", "0.5 mL"),
        ("1", "1", "1 mL"),
        ("0.25", "1", "0.25 mL"),
        ("1.5", "1", "1.5 mL"),
        ("0.5", "5", "0.1 mL"),
        ("4.5", "5", "0.9 mL"),
        ("1", "2.5", "0.4 mL"),
        ("0.5", "0.5", "1 mL"),
        ("1", "0.5", "2 mL"),
        ("3", "2", "1.5 mL"),
        ("2.0", "2.00", "1 mL"),
        ("0.125", "0.5", "0.25 mL"),
        ("4.5", "0.1", "45 mL"),
    ],
)
def test_volume_is_the_dose_over_the_concentration(
    dose: str, concentration: str, shown: str
) -> None:
    volume = volume_ml(D(dose), D(concentration))
    assert volume is not None
    assert Fraction(volume) * Fraction(concentration) == Fraction(dose)
    assert format_quantity(Quantity(volume_ml=volume)) == shown


@pytest.mark.parametrize(
    ("dose", "concentration"),
    [
        ("1", "3"),
        ("1", "9"),
        ("0.5", "3"),
        # The quotient rounded to 28 digits, times the concentration, rounds back to the dose:
        # these volumes are not exact and must not be given as if they were.
        ("1", "7"),
        ("1", "6"),
        ("2", "3"),
        ("0.5", "7"),
    ],
)
def test_volume_is_none_when_no_decimal_holds_the_dose(dose: str, concentration: str) -> None:
    assert volume_ml(D(dose), D(concentration)) is None


@pytest.mark.parametrize(
    ("volume", "graduation", "drawn"),
    [
        ("0.5", "0.1", True),
        ("1", "0.1", True),
        ("0.25", "0.1", False),
        ("0.25", "0.01", True),
        ("0.125", "0.01", False),
        ("1", "0.25", True),
        ("0.3", "0.25", False),
        ("0.9", "0.3", True),
        ("0", "0.1", False),
        (None, "0.1", False),
    ],
)
def test_on_mark(volume: str | None, graduation: str, drawn: bool) -> None:
    assert on_mark(None if volume is None else D(volume), D(graduation)) is drawn


def test_check_liquid_accepts_volumes_on_the_marks() -> None:
    check_liquid(decimals("0.5", "1", "1.5", "2"), liquid("1"))
    check_liquid(decimals("0.25", "0.75"), liquid("1", "0.01"))
    check_liquid(decimals("0.5", "4.5"), liquid("5"))


def refusal(doses: Sequence[Decimal], form: Liquid) -> FormulationError:
    with pytest.raises(FormulationError) as caught:
        check_liquid(doses, form)
    error = caught.value
    assert error.field == "--form liquid"
    assert error.lines == (
        *(f"--form liquid: {p}" for p in error.problems),
        f"--form liquid: {error.suggestion}",
    )
    return error


def test_check_liquid_names_each_step_and_both_remedies() -> None:
    error = refusal(decimals("0.25", "0.5", "0.75", "1"), liquid("1"))
    assert error.problems == (
        "step 1 (0.25 mg) needs 0.25 mL at 1 mg/mL, which is not on a 0.1 mL mark",
        "step 3 (0.75 mg) needs 0.75 mL at 1 mg/mL, which is not on a 0.1 mL mark",
    )
    assert error.suggestion == (
        "what works: a syringe marked every 0.01 mL (--graduation 0.01); "
        "or --concentration 0.5 mg/mL or 2.5 mg/mL with the 0.1 mL syringe"
    )


def test_check_liquid_suggests_only_the_finer_syringe_when_no_usual_strength_fits() -> None:
    error = refusal(decimals("0.51", "0.5"), liquid("1"))
    assert error.problems == (
        "step 1 (0.51 mg) needs 0.51 mL at 1 mg/mL, which is not on a 0.1 mL mark",
    )
    assert error.suggestion == "what works: a syringe marked every 0.01 mL (--graduation 0.01)"


def test_check_liquid_suggests_only_usual_concentrations_when_the_finer_syringe_fails() -> None:
    error = refusal(decimals("0.75"), liquid("2"))
    assert error.problems == (
        "step 1 (0.75 mg) needs 0.375 mL at 2 mg/mL, which is not on a 0.1 mL mark",
    )
    assert (
        error.suggestion
        == "what works: --concentration 0.5 mg/mL or 2.5 mg/mL with the 0.1 mL syringe"
    )


def test_check_liquid_on_the_fine_syringe_suggests_concentrations_only() -> None:
    error = refusal(decimals("0.125", "0.25"), liquid("1", "0.01"))
    assert error.problems == (
        "step 1 (0.125 mg) needs 0.125 mL at 1 mg/mL, which is not on a 0.01 mL mark",
    )
    assert error.suggestion == (
        "what works: --concentration 0.5 mg/mL or 2.5 mg/mL with the 0.01 mL syringe"
    )


def test_check_liquid_says_when_nothing_usual_works() -> None:
    error = refusal(decimals("0.501"), liquid("1"))
    assert error.problems == (
        "step 1 (0.501 mg) needs 0.501 mL at 1 mg/mL, which is not on a 0.1 mL mark",
    )
    assert error.suggestion == NO_USUAL


def test_check_liquid_advice_names_a_usual_concentration_for_the_finer_syringe() -> None:
    # 0.125, 0.25, 0.375 and 0.5 mg are 0.25, 0.5, 0.75 and 1 mL of 0.5 mg/mL: every step on a
    # 0.01 mL mark. The advice must say so rather than claim that nothing usual works.
    error = refusal(decimals("0.125", "0.25", "0.375", "0.5"), liquid("1"))
    assert [p.split(" ", 2)[1] for p in error.problems] == ["1", "2", "3"]
    assert error.suggestion != NO_USUAL
    assert "0.5 mg/mL" in error.suggestion


def test_check_liquid_says_when_no_exact_volume_exists() -> None:
    error = refusal(decimals("1"), liquid("3"))
    assert error.problems == (
        "step 1 (1 mg) needs no exact volume at 3 mg/mL, which is not on a 0.1 mL mark",
    )
    assert error.suggestion == (
        "what works: --concentration 0.5 mg/mL or 1 mg/mL or 2 mg/mL or 2.5 mg/mL or 5 mg/mL "
        "with the 0.1 mL syringe"
    )


@pytest.mark.parametrize("concentration", ["3", "6", "7", "9"])
def test_check_liquid_never_prints_a_rounded_volume(concentration: str) -> None:
    error = refusal(decimals("1"), liquid(concentration))
    assert error.problems == (
        (
            f"step 1 (1 mg) needs no exact volume at {concentration} mg/mL, "
            "which is not on a 0.1 mL mark"
        ),
    )


def test_liquid_words_name_volume_dose_and_strength() -> None:
    assert (
        liquid_words(D("1.5"), D("1.5"), liquid("1"))
        == "1.5 mL (1.5 mg) of naltrexone 1 mg/mL oral liquid"
    )


def test_liquid_instruction_is_the_one_in_the_issue() -> None:
    steps = plan(start="1.5", target="1.5", form="liquid", concentration="1mg/mL").steps
    assert [s.instructions for s in steps] == [
        "Take 1.5 mL (1.5 mg) of naltrexone 1 mg/mL oral liquid by mouth once daily at bedtime."
    ]
    assert steps[0].volume_ml == D("1.5")
    assert steps[0].capsules is None


def test_liquid_steps_carry_their_volumes() -> None:
    steps = plan(form="liquid", concentration="5 mg/mL", time="morning").steps
    assert [(s.dose_mg, s.volume_ml) for s in steps] == [
        (D("0.5"), D("0.1")),
        (D(1), D("0.2")),
        (D("1.5"), D("0.3")),
        (D(2), D("0.4")),
    ]
    assert steps[1].instructions == (
        "Take 0.2 mL (1 mg) of naltrexone 5 mg/mL oral liquid by mouth once daily in the morning."
    )


def test_no_volume_is_written_in_cc_teaspoons_or_drops() -> None:
    found = plan(form="liquid", concentration="1", maintenance_days="14", bud="10")
    assert found.dispense is not None
    texts = [s.instructions for s in found.steps]
    texts += [format_quantity(q.quantity) for q in found.dispense.per_step]
    texts += [format_quantity(f.quantity) for f in found.dispense.fills]
    for text in texts:
        lowered = text.lower()
        assert "cc" not in lowered.split()
        assert "teaspoon" not in lowered
        assert "tsp" not in lowered
        assert "drop" not in lowered
        assert " mL" in text


# Capsules


@pytest.mark.parametrize(
    ("dose", "strengths", "made"),
    [
        ("3", ("1.5", "0.5"), (("1.5", 2),)),
        ("3.5", ("1.5", "0.5"), (("1.5", 2), ("0.5", 1))),
        ("3.5", ("0.5", "1.5"), (("1.5", 2), ("0.5", 1))),
        ("0.5", ("1.5", "0.5"), (("0.5", 1),)),
        ("4.5", ("1.5",), (("1.5", 3),)),
        ("2.5", ("1.5", "0.5"), (("1.5", 1), ("0.5", 2))),
        ("0.375", ("0.25", "0.125"), (("0.25", 1), ("0.125", 1))),
        # Not greedy: 2 + 0.5 + 0.5 is three capsules, 1.5 + 1.5 is two.
        ("3", ("2", "1.5", "0.5"), (("1.5", 2),)),
        # Not greedy: 4 + 0.1 x 5 would be six; 3 + 1.5 is two.
        ("4.5", ("4", "3", "1.5", "0.1"), (("3", 1), ("1.5", 1))),
    ],
)
def test_fewest_capsules(
    dose: str, strengths: tuple[str, ...], made: tuple[tuple[str, int]]
) -> None:
    assert fewest_capsules(D(dose), decimals(*strengths)) == counts(*made)


@pytest.mark.parametrize(
    ("dose", "strengths", "made"),
    [
        # Two capsules either way: 2 + 1 or 1.5 + 1.5; the larger strength comes first.
        ("3", ("2", "1.5", "1"), (("2", 1), ("1", 1))),
        ("3", ("1", "1.5", "2"), (("2", 1), ("1", 1))),
        # 2 + 0.5 or 1.5 + 1.
        ("2.5", ("2", "1.5", "1", "0.5"), (("2", 1), ("0.5", 1))),
        # 3 + 1 + 0.5 or 2 + 1.5 + 1 (three each) against 1.5 x 3 (three): 3 first.
        ("4.5", ("3", "2", "1.5", "1", "0.5"), (("3", 1), ("1.5", 1))),
    ],
)
def test_fewest_capsules_tie_break_prefers_the_largest_strengths(
    dose: str, strengths: tuple[str, ...], made: tuple[tuple[str, int]]
) -> None:
    assert fewest_capsules(D(dose), decimals(*strengths)) == counts(*made)


@pytest.mark.parametrize(
    ("dose", "strengths"),
    [("0.5", ("1.5",)), ("1", ("1.5", "0.75")), ("0.501", ("0.5",)), ("4.45", ("0.7",))],
)
def test_fewest_capsules_none_when_the_dose_cannot_be_made(
    dose: str, strengths: tuple[str, ...]
) -> None:
    assert fewest_capsules(D(dose), decimals(*strengths)) is None


def test_fewest_capsules_matches_brute_force_on_a_grid() -> None:
    strength_sets = [
        decimals("1.5", "0.5"),
        decimals("2", "1.5", "0.5"),
        decimals("3", "2", "0.75"),
        decimals("4", "2.5", "1", "0.25"),
        decimals("1.2", "0.9", "0.3"),
    ]
    doses = [D(n) / 20 for n in range(2, 91)]  # 0.1 mg to 4.5 mg by 0.05 mg
    for strengths in strength_sets:
        for dose in doses:
            made = fewest_capsules(dose, strengths)
            best = brute_force(dose, strengths, MAX_UNITS_LIMIT)
            if best is not None:
                assert expand(made) == best, (dose, strengths)
            elif made is not None:
                assert sum(n for _, n in made) > MAX_UNITS_LIMIT
                assert sum(s * n for s, n in made) == dose


def test_suggest_strengths_a_single_strength() -> None:
    assert suggest_strengths(decimals("0.5", "1", "1.5", "2"), 4) == (D("0.5"),)
    assert suggest_strengths(decimals("4.5"), 4) == (D("4.5"),)


def test_suggest_strengths_the_smallest_set_that_works() -> None:
    doses = decimals("0.5", "1.5", "2.5", "3.5")
    chosen = suggest_strengths(doses, 2)
    assert chosen == (D("2.5"), D(1), D("0.5"))
    assert all(brute_force(d, chosen, 2) is not None for d in doses)
    for size in (1, 2):
        for smaller in combinations(CAPSULE_STRENGTHS_TO_SUGGEST_MG, size):
            assert not all(brute_force(d, smaller, 2) is not None for d in doses)


def test_suggest_strengths_none() -> None:
    assert suggest_strengths(decimals("0.501"), 4) is None
    assert suggest_strengths(decimals("0.5", "1", "1.5", "2", "2.5"), 1) is None


def test_check_capsules_makes_every_dose() -> None:
    made = check_capsules(decimals("0.5", "1.5", "2.5", "3.5"), capsules("1.5", "0.5"))
    assert made == [
        counts(("0.5", 1)),
        counts(("1.5", 1)),
        counts(("1.5", 1), ("0.5", 2)),
        counts(("1.5", 2), ("0.5", 1)),
    ]


def capsule_refusal(doses: Sequence[Decimal], form: Capsules) -> FormulationError:
    with pytest.raises(FormulationError) as caught:
        check_capsules(doses, form)
    error = caught.value
    assert error.field == "--form capsule"
    assert error.lines == (
        *(f"--form capsule: {p}" for p in error.problems),
        f"--form capsule: {error.suggestion}",
    )
    return error


def test_check_capsules_names_steps_that_cannot_be_made() -> None:
    error = capsule_refusal(decimals("0.5", "1", "1.5", "2"), capsules("1.5"))
    assert error.problems == (
        "step 1 (0.5 mg) cannot be made exactly from these strengths",
        "step 2 (1 mg) cannot be made exactly from these strengths",
        "step 4 (2 mg) cannot be made exactly from these strengths",
    )
    assert error.suggestion == "what works: --strengths 0.5"


def test_check_capsules_names_steps_with_too_many_capsules() -> None:
    error = capsule_refusal(decimals("4.5"), capsules("0.5"))
    assert error.problems == (
        "step 1 (4.5 mg) needs 9 capsules (9 × 0.5 mg), more than --max-units 4",
    )
    assert error.suggestion == "what works: --strengths 4.5"


def test_check_capsules_both_kinds_of_problem_and_a_set() -> None:
    error = capsule_refusal(decimals("0.5", "1.5", "2.5", "3.5"), capsules("1.5", "1", max_units=2))
    assert error.problems == (
        "step 1 (0.5 mg) cannot be made exactly from these strengths",
        "step 4 (3.5 mg) needs 3 capsules (1 × 1.5 mg + 2 × 1 mg), more than --max-units 2",
    )
    # No one or two usual strengths make all four doses in two capsules (see above).
    assert error.suggestion == "what works: --strengths 2.5,1,0.5"


def test_check_capsules_names_the_capsule_count_a_usual_set_needs() -> None:
    error = capsule_refusal(decimals("0.5", "1", "1.5", "2", "2.5"), capsules("0.5", max_units=1))
    assert error.problems[0] == (
        "step 2 (1 mg) needs 2 capsules (2 × 0.5 mg), more than --max-units 1"
    )
    assert error.suggestion == "what works: --strengths 2.5,1.5,0.5 --max-units 2"
    assert suggest_strengths(decimals("0.5", "1", "1.5", "2", "2.5"), 1) is None
    assert suggest_strengths(decimals("0.5", "1", "1.5", "2", "2.5"), 2) == tuple(
        decimals("2.5", "1.5", "0.5")
    )


def test_check_capsules_never_advises_more_capsules_when_more_cannot_help() -> None:
    # 4.45 mg is no sum of usual strengths (all multiples of 0.25 mg) at any count, so raising
    # --max-units, even to its limit, changes nothing: that advice does not work.
    doses = decimals("4.45")
    assert suggest_strengths(doses, MAX_UNITS_LIMIT) is None
    error = capsule_refusal(doses, capsules("0.7"))
    assert error.problems == ("step 1 (4.45 mg) cannot be made exactly from these strengths",)
    assert "--max-units" not in error.suggestion


def test_capsule_words_and_instructions() -> None:
    assert capsule_words(counts(("1.5", 1))) == "1 capsule of naltrexone 1.5 mg"
    assert capsule_words(counts(("1.5", 2), ("0.5", 1))) == (
        "2 capsules of naltrexone 1.5 mg and 1 capsule of naltrexone 0.5 mg"
    )
    steps = plan(start="0.5", target="3.5", step="1", form="capsule", strengths="1.5,0.5").steps
    assert [s.instructions for s in steps] == [
        "Take 1 capsule of naltrexone 0.5 mg by mouth once daily at bedtime.",
        "Take 1 capsule of naltrexone 1.5 mg by mouth once daily at bedtime.",
        (
            "Take 1 capsule of naltrexone 1.5 mg and 2 capsules of naltrexone 0.5 mg "
            "(2.5 mg in all) by mouth once daily at bedtime."
        ),
        (
            "Take 2 capsules of naltrexone 1.5 mg and 1 capsule of naltrexone 0.5 mg "
            "(3.5 mg in all) by mouth once daily at bedtime."
        ),
    ]
    assert [s.volume_ml for s in steps] == [None] * 4
    assert steps[3].capsules == counts(("1.5", 2), ("0.5", 1))


def test_format_quantity() -> None:
    assert format_quantity(ml("3.5")) == "3.5 mL"
    assert format_quantity(ml("60")) == "60 mL"
    assert format_quantity(caps(("1.5", 14), ("0.5", 7))) == "14 × 1.5 mg + 7 × 0.5 mg"
    assert format_quantity(caps()) == "0 capsules"


# Quantities and fills, worked by hand


def test_liquid_summary_worked_example() -> None:
    # 1 mg/mL: 0.5, 1, 1.5 mL a day for a week each, then 2 mL a day for 14 days.
    found = summary(
        form="liquid", concentration="1mg/mL", maintenance_days="14", overage="10", bud="14"
    )
    assert [(p.step, p.days, p.quantity, p.assumed) for p in found.per_step] == [
        (1, 7, ml("3.5"), False),
        (2, 7, ml("7"), False),
        (3, 7, ml("10.5"), False),
        (4, 14, ml("28"), False),
    ]
    assert found.titration_total == ml("21")  # 3.5 + 7 + 10.5
    assert found.maintenance_total == ml("28")
    assert found.assumed_maintenance_days is None
    assert found.overage_percent == D(10)
    assert found.overage == ml("4.9")  # 10 % of 49 mL
    assert found.grand_total == ml("53.9")
    assert found.days_supply == 35
    # 14-day fills: days 1-14 (steps 1 and 2), 15-28 (step 3, then 7 days of step 4), 29-35.
    assert found.fills == (
        Fill(
            number=1,
            first_day=date(2026, 12, 7),
            last_day=date(2026, 12, 20),
            quantity=ml("11.55"),  # (3.5 + 7) x 1.1
            dispense_by=date(2026, 12, 7),
        ),
        Fill(
            number=2,
            first_day=date(2026, 12, 21),
            last_day=date(2027, 1, 3),
            quantity=ml("26.95"),  # (10.5 + 14) x 1.1
            dispense_by=date(2026, 12, 21),
        ),
        Fill(
            number=3,
            first_day=date(2027, 1, 4),
            last_day=date(2027, 1, 10),
            quantity=ml("15.4"),  # 14 x 1.1
            dispense_by=date(2027, 1, 4),
        ),
    )
    assert sum((f.quantity.volume_ml or D(0) for f in found.fills), D(0)) == D("53.9")


def test_capsule_summary_worked_example() -> None:
    # 0.5 = 1 x 0.5; 1.5 = 1 x 1.5; 2.5 = 1 x 1.5 + 2 x 0.5; 3.5 = 2 x 1.5 + 1 x 0.5.
    found = summary(
        start="0.5",
        target="3.5",
        step="1",
        form="capsule",
        strengths="1.5,0.5",
        maintenance_days="14",
        bud="10",
    )
    assert [(p.step, p.days, p.quantity) for p in found.per_step] == [
        (1, 7, caps(("0.5", 7))),
        (2, 7, caps(("1.5", 7))),
        (3, 7, caps(("1.5", 7), ("0.5", 14))),
        (4, 14, caps(("1.5", 28), ("0.5", 14))),
    ]
    assert found.titration_total == caps(("1.5", 14), ("0.5", 21))
    assert found.maintenance_total == caps(("1.5", 28), ("0.5", 14))
    assert found.overage is None
    assert found.overage_percent == 0
    assert found.grand_total == caps(("1.5", 42), ("0.5", 35))
    assert format_quantity(found.grand_total) == "42 × 1.5 mg + 35 × 0.5 mg"
    assert found.days_supply == 35
    # 10-day fills: Dec 7-16 (7 days of step 1, 3 of step 2), Dec 17-26 (4 of step 2, 6 of
    # step 3), Dec 27-Jan 5 (1 of step 3, 9 of step 4), Jan 6-10 (5 of step 4).
    assert [(f.number, f.first_day, f.last_day, f.quantity) for f in found.fills] == [
        (1, date(2026, 12, 7), date(2026, 12, 16), caps(("1.5", 3), ("0.5", 7))),
        (2, date(2026, 12, 17), date(2026, 12, 26), caps(("1.5", 10), ("0.5", 12))),
        (3, date(2026, 12, 27), date(2027, 1, 5), caps(("1.5", 19), ("0.5", 11))),
        (4, date(2027, 1, 6), date(2027, 1, 10), caps(("1.5", 10), ("0.5", 5))),
    ]
    assert [f.dispense_by for f in found.fills] == [f.first_day for f in found.fills]


def test_ongoing_target_counts_as_thirty_days() -> None:
    found = summary(form="liquid", concentration="1")
    last = found.per_step[-1]
    assert (last.step, last.days, last.quantity, last.assumed) == (4, 30, ml("60"), True)
    assert [p.assumed for p in found.per_step[:-1]] == [False, False, False]
    assert found.assumed_maintenance_days == 30
    assert found.maintenance_total == ml("60")
    assert found.grand_total == ml("81")
    assert found.days_supply == 51
    # One fill, from day 1 to the 30th day of the target step (2026-12-28 + 29 days).
    assert [(f.first_day, f.last_day, f.quantity) for f in found.fills] == [
        (date(2026, 12, 7), date(2027, 1, 26), ml("81"))
    ]


def test_maintenance_days_replace_the_assumption() -> None:
    found = summary(form="capsule", strengths="0.5", maintenance_days="30")
    assert found.assumed_maintenance_days is None
    assert found.per_step[-1].assumed is False
    assert found.per_step[-1].quantity == caps(("0.5", 120))


def test_no_overage_by_default() -> None:
    found = summary(form="liquid", concentration="1", maintenance_days="14")
    assert found.overage_percent == 0
    assert found.grand_total == ml("49")
    assert [f.quantity for f in found.fills] == [ml("49")]


def test_overage_is_an_exact_percentage_shown_apart() -> None:
    found = summary(form="liquid", concentration="1", maintenance_days="14", overage="2.5%")
    assert found.overage_percent == D("2.5")
    assert found.overage == ml("1.225")  # 2.5 % of 49 mL
    assert found.grand_total == ml("50.225")
    assert found.titration_total == ml("21")
    assert found.maintenance_total == ml("28")


def test_without_bud_one_fill_covers_the_supply() -> None:
    found = summary(form="capsule", strengths="1,0.5", maintenance_days="10")
    assert len(found.fills) == 1
    fill = found.fills[0]
    assert (fill.number, fill.first_day, fill.last_day) == (1, MONDAY, date(2027, 1, 6))
    assert fill.quantity == found.grand_total
    assert fill.dispense_by == MONDAY


def test_bud_longer_than_the_supply_gives_one_fill() -> None:
    found = summary(form="liquid", concentration="1", maintenance_days="7", bud="365")
    assert [(f.first_day, f.last_day, f.quantity) for f in found.fills] == [
        (MONDAY, date(2027, 1, 3), ml("35"))
    ]


def test_one_day_bud_gives_a_fill_a_day() -> None:
    found = summary(form="liquid", concentration="1", maintenance_days="1", bud="1")
    assert len(found.fills) == 22
    assert all(f.first_day == f.last_day == f.dispense_by for f in found.fills)
    assert [f.quantity for f in found.fills[6:8]] == [ml("0.5"), ml("1")]
    assert found.fills[-1].quantity == ml("2")


def test_single_step_plan_has_no_titration() -> None:
    found = summary(start="1", target="1", step=None, every=None, form="liquid", concentration="1")
    assert found.titration_total == ml("0")
    assert found.maintenance_total == ml("30")
    assert found.grand_total == ml("30")
    assert found.days_supply == 30


def test_month_interval_plan_with_fills() -> None:
    # Dec 7-Jan 6 (31 days at 0.5 mL), Jan 7-Feb 6 (31 days at 1 mL), then 30 days at 1.5 mL
    # from Feb 7 to Mar 8 2027.
    found = summary(
        start="0.5",
        target="1.5",
        step="0.5",
        every="1mo",
        form="liquid",
        concentration="1",
        bud="28",
    )
    assert [(p.days, p.quantity) for p in found.per_step] == [
        (31, ml("15.5")),
        (31, ml("31")),
        (30, ml("45")),
    ]
    assert found.titration_total == ml("46.5")
    assert found.grand_total == ml("91.5")
    assert found.days_supply == 92
    assert [(f.first_day, f.last_day, f.quantity) for f in found.fills] == [
        (date(2026, 12, 7), date(2027, 1, 3), ml("14")),  # 28 days of 0.5 mL
        (date(2027, 1, 4), date(2027, 1, 31), ml("26.5")),  # 3 x 0.5 + 25 x 1
        (date(2027, 2, 1), date(2027, 2, 28), ml("39")),  # 6 x 1 + 22 x 1.5
        (date(2027, 3, 1), date(2027, 3, 8), ml("12")),  # 8 x 1.5
    ]


def test_month_interval_from_the_end_of_a_month() -> None:
    # Jan 31 + 1 month is Feb 28; + 2 months is Mar 31: steps of 28 and 31 days.
    found = summary(
        start="1",
        target="3",
        step="1",
        every="1mo",
        **{"from": "2027-01-31"},
        form="capsule",
        strengths="1",
        maintenance_days="10",
        bud="30",
    )
    assert [(p.days, p.quantity) for p in found.per_step] == [
        (28, caps(("1", 28))),
        (31, caps(("1", 62))),
        (10, caps(("1", 30))),
    ]
    assert found.grand_total == caps(("1", 120))
    assert [(f.first_day, f.last_day, f.quantity) for f in found.fills] == [
        (date(2027, 1, 31), date(2027, 3, 1), caps(("1", 32))),  # 28 x 1 + 2 x 2
        (date(2027, 3, 2), date(2027, 3, 31), caps(("1", 61))),  # 29 x 2 + 1 x 3
        (date(2027, 4, 1), date(2027, 4, 9), caps(("1", 27))),  # 9 x 3
    ]


def test_no_form_no_summary() -> None:
    assert plan().dispense is None
    assert [s.volume_ml for s in plan().steps] == [None] * 4


# Requests: the new options and keys


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1mg/mL", "1"),
        ("5 mg/mL", "5"),
        ("0.5mg/mL", "0.5"),
        ("2.5", "2.5"),
        ("1 MG/ML", "1"),
        ("10mg/ml", "10"),
    ],
)
def test_concentration_forms(text: str, value: str) -> None:
    request = build_request({**BASE, "form": "liquid", "concentration": text}, {}, MONDAY)
    assert request.formulation == Liquid(concentration_mg_per_ml=D(value), graduation_ml=D("0.1"))


@pytest.mark.parametrize(
    ("text", "value"), [("0.1mL", "0.1"), ("0.01 mL", "0.01"), ("0.05", "0.05"), ("1 ML", "1")]
)
def test_graduation_forms(text: str, value: str) -> None:
    values = {**BASE, "form": "liquid", "concentration": "1", "graduation": text}
    request = build_request(values, {}, MONDAY)
    assert isinstance(request.formulation, Liquid)
    assert request.formulation.graduation_ml == D(value)


@pytest.mark.parametrize(
    ("text", "value"), [("10", "10"), ("10%", "10"), ("2.5 %", "2.5"), ("0", "0")]
)
def test_overage_forms(text: str, value: str) -> None:
    values = {**BASE, "form": "liquid", "concentration": "1", "overage": text}
    assert build_request(values, {}, MONDAY).overage_percent == D(value)


@pytest.mark.parametrize("text", ["0.1cc", "0.1 cc", "0.1CC"])
def test_graduation_in_cc_is_refused(text: str) -> None:
    assert refused_options(form="liquid", concentration="1", graduation=text) == [
        f"--graduation: write volumes in mL, never cc, got {text!r}"
    ]


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("graduation", "1 tsp"),
        ("graduation", "1 teaspoon"),
        ("graduation", "2 drops"),
        ("concentration", "1mg/cc"),
        ("concentration", "5 mg/tsp"),
    ],
)
def test_volumes_other_than_ml_are_refused(key: str, text: str) -> None:
    values: dict[str, Raw] = {"form": "liquid", "concentration": "1", key: text}
    errors = refused_options(**values)
    assert len(errors) == 1
    assert errors[0].startswith(f"--{key}: ")
    assert errors[0].endswith(f", got {text!r}")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"concentration": "0.05"},
            "--concentration: must be from 0.1 mg/mL to 10 mg/mL, got '0.05'",
        ),
        (
            {"concentration": "20mg/mL"},
            "--concentration: must be from 0.1 mg/mL to 10 mg/mL, got '20mg/mL'",
        ),
        (
            {"concentration": "1", "graduation": "0.005"},
            (
                "--graduation: must be a syringe mark from 0.01 mL to 1 mL, "
                "such as 0.1 mL or 0.01 mL, got '0.005'"
            ),
        ),
        (
            {"concentration": "1", "graduation": "2 mL"},
            (
                "--graduation: must be a syringe mark from 0.01 mL to 1 mL, "
                "such as 0.1 mL or 0.01 mL, got '2 mL'"
            ),
        ),
        ({}, "--concentration: is required with --form liquid"),
        (
            {"concentration": "1", "overage": "51"},
            "--overage: must be a percentage from 0 to 50, got '51'",
        ),
        (
            {"concentration": "1", "overage": "1.005"},
            "--overage: must be a percentage from 0 to 50, got '1.005'",
        ),
        (
            {"concentration": "1", "bud": "0"},
            "--bud: must be a whole number of days from 1 to 365, got '0'",
        ),
        (
            {"concentration": "1", "bud": "366"},
            "--bud: must be a whole number of days from 1 to 365, got '366'",
        ),
        (
            {"concentration": "1", "bud": "2w"},
            "--bud: must be a whole number of days, such as 30, got '2w'",
        ),
    ],
)
def test_liquid_values_refused(changes: dict[str, Raw], message: str) -> None:
    assert refused_options(form="liquid", **changes) == [message]


@pytest.mark.parametrize(
    ("text", "strengths"),
    [
        ("1.5,0.5", ("1.5", "0.5")),
        ("0.5,1.5", ("1.5", "0.5")),
        ("1.5, 0.5", ("1.5", "0.5")),
        ("500mcg,1.5 mg", ("1.5", "0.5")),
        ("4.5", ("4.5",)),
    ],
)
def test_strengths_as_comma_text(text: str, strengths: tuple[str, ...]) -> None:
    request = build_request({**BASE, "form": "capsule", "strengths": text}, {}, MONDAY)
    assert request.formulation == capsules(*strengths)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"strengths": "1.5,,0.5"},
            "--strengths: list strengths separated by commas, such as 1.5,0.5, got '1.5,,0.5'",
        ),
        ({"strengths": "1.5,1.5"}, "--strengths: list 1 to 6 different strengths, got '1.5,1.5'"),
        (
            {"strengths": "0.5,1,1.5,2,2.5,3,3.5"},
            "--strengths: list 1 to 6 different strengths, got '0.5,1,1.5,2,2.5,3,3.5'",
        ),
        ({"strengths": "5"}, "--strengths: must be from 0.1 mg to 4.5 mg, got '5'"),
        ({}, "--strengths: is required with --form capsule"),
        (
            {"strengths": "1.5", "max_units": "0"},
            "--max-units: must be a whole number from 1 to 10, got '0'",
        ),
        (
            {"strengths": "1.5", "max_units": "11"},
            "--max-units: must be a whole number from 1 to 10, got '11'",
        ),
        (
            {"strengths": "1.5", "max_units": "four"},
            "--max-units: must be a whole number, such as 4, got 'four'",
        ),
    ],
)
def test_capsule_values_refused(changes: dict[str, Raw], message: str) -> None:
    assert refused_options(form="capsule", **changes) == [message]


def test_max_units_defaults_to_four() -> None:
    request = build_request({**BASE, "form": "capsule", "strengths": "1.5"}, {}, MONDAY)
    assert request.formulation == capsules("1.5", max_units=4)
    request = build_request(
        {**BASE, "form": "capsule", "strengths": "1.5", "max_units": "6"}, {}, MONDAY
    )
    assert request.formulation == capsules("1.5", max_units=6)


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        (
            {"form": "liquid", "concentration": "1", "strengths": "1.5", "max_units": "3"},
            [
                "--strengths: applies to --form capsule only, got '1.5'",
                "--max-units: applies to --form capsule only, got '3'",
            ],
        ),
        (
            {"form": "capsule", "strengths": "1.5", "concentration": "1mg/mL"},
            ["--concentration: applies to --form liquid only, got '1mg/mL'"],
        ),
        (
            {"form": "capsule", "strengths": "1.5", "graduation": "0.01"},
            ["--graduation: applies to --form liquid only, got '0.01'"],
        ),
        (
            {"concentration": "1mg/mL"},
            ["--concentration: applies to --form liquid only, got '1mg/mL'"],
        ),
        ({"strengths": "1.5"}, ["--strengths: applies to --form capsule only, got '1.5'"]),
        ({"bud": "14"}, ["--bud: needs --form liquid or capsule, got '14'"]),
        (
            {"form": "capsule", "strengths": "1.5", "overage": "10"},
            ["--overage: applies to --form liquid only, got '10'"],
        ),
        ({"overage": "10"}, ["--overage: applies to --form liquid only, got '10'"]),
        ({"form": "tablet"}, ["--form: must be liquid or capsule, got 'tablet'"]),
    ],
)
def test_keys_for_another_form_are_refused(changes: dict[str, Raw], messages: list[str]) -> None:
    assert refused_options(**changes) == messages


def test_form_is_read_in_any_case() -> None:
    request = build_request({**BASE, "form": " Liquid ", "concentration": "1"}, {}, MONDAY)
    assert isinstance(request.formulation, Liquid)
    assert request.formulation.form is Form.LIQUID


def test_request_file_takes_the_liquid_fields() -> None:
    text = (
        'start = "0.5 mg"\ntarget = "2 mg"\nstep = "0.5 mg"\nevery = "7d"\nfrom = 2026-12-07\n'
        'form = "liquid"\nconcentration = "5 mg/mL"\ngraduation = "0.01 mL"\nbud = 14\n'
        'overage = "2.5%"\nmaintenance_days = 28\n'
    )
    request = build_request(read_request_file(text, "request.toml"), {}, MONDAY)
    assert request.formulation == liquid("5", "0.01")
    assert (request.bud_days, request.overage_percent, request.maintenance_days) == (
        14,
        D("2.5"),
        28,
    )


def test_request_file_numbers_without_units() -> None:
    text = (
        'start = 0.5\ntarget = 2\nstep = 0.5\nevery = "7d"\nform = "liquid"\n'
        "concentration = 1.0\ngraduation = 0.1\noverage = 10\n"
    )
    request = build_request(read_request_file(text, "request.toml"), {}, MONDAY)
    assert request.formulation == liquid("1", "0.1")
    assert request.overage_percent == 10


@pytest.mark.parametrize(
    "line",
    [
        "strengths = [1.5, 0.5]",
        "strengths = [0.5, 1.5]",
        'strengths = ["1.5 mg", "500 mcg"]',
        'strengths = "1.5,0.5"',
    ],
)
def test_request_file_strengths_list_or_text(line: str) -> None:
    text = f'start = "0.5"\ntarget = "0.5"\nform = "capsule"\n{line}\nmax_units = 3\nbud = 90\n'
    request = build_request(read_request_file(text, "request.toml"), {}, MONDAY)
    assert request.formulation == capsules("1.5", "0.5", max_units=3)
    assert request.bud_days == 90


def test_request_file_strengths_must_be_doses() -> None:
    text = 'start = "0.5"\ntarget = "0.5"\nform = "capsule"\nstrengths = [1.5, true]\n'
    with pytest.raises(PlanFormatError) as caught:
        read_request_file(text, "request.toml")
    assert str(caught.value) == "request.toml: key 'strengths': must be a list of doses"


def test_request_file_empty_strengths_list_is_refused() -> None:
    values = read_request_file(
        'start = "0.5"\ntarget = "0.5"\nform = "capsule"\nstrengths = []\n', "request.toml"
    )
    names = {key: f"request.toml: {key}" for key in values}
    assert refused(values, names) == [
        "request.toml: strengths: list strengths separated by commas, such as 1.5,0.5, got '[]'"
    ]


def test_request_file_keys_for_another_form_are_named_by_the_file() -> None:
    values = read_request_file(
        'start = "0.5"\ntarget = "0.5"\nform = "capsule"\nstrengths = [1.5]\n'
        'concentration = "1mg/mL"\noverage = 5\n',
        "request.toml",
    )
    names = {key: f"request.toml: {key}" for key in values}
    assert refused(values, names) == [
        "request.toml: concentration: applies to form = liquid only, got '1mg/mL'",
        "request.toml: overage: applies to form = liquid only, got '5'",
    ]


def test_request_file_bud_without_form() -> None:
    values = read_request_file('start = "0.5"\ntarget = "0.5"\nbud = 30\n', "request.toml")
    names = {key: f"request.toml: {key}" for key in values}
    assert refused(values, names) == ["request.toml: bud: needs form = liquid or capsule, got '30'"]
