"""The total a plan says to dispense, set against its days: a FHIR order and this tool's JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_titrate.check import CheckOptions
from ldn_titrate.check import check_file as check_data
from ldn_titrate.formats import Format, WriteOptions, writer_of
from test_check_properties import Drawn, schedules

QUANTITY_CODES = {"quantity-short", "quantity-decimal-slip", "quantity-mismatch"}
# Factors of the total as written: within an overage, short, a slip, or more than an overage.
FACTORS = st.sampled_from(
    [
        *(Fraction(1), Fraction(5, 4), Fraction(3, 2)),
        *(Fraction(1, 2), Fraction(9, 10)),
        *(Fraction(1, 10), Fraction(1, 20), Fraction(10), Fraction(20)),
        *(Fraction(2), Fraction(9)),
    ]
)


def expected(factor: Fraction) -> str | None:
    """The finding a total ``factor`` times what the days need gives, if any."""
    if factor >= 10 or factor <= Fraction(1, 10):
        return "quantity-decimal-slip"
    if factor < 1:
        return "quantity-short"
    return None if factor <= Fraction(3, 2) else "quantity-mismatch"


def quantity_codes(data: bytes, name: str) -> list[str]:
    found = check_data(data, name, CheckOptions())
    return [f.code for f in found if f.code in QUANTITY_CODES and f.step is None]


def scaled(value: Decimal, factor: Fraction) -> Decimal:
    return value * factor.numerator / factor.denominator


@settings(max_examples=60, deadline=None)
@given(drawn=schedules("liquid"), factor=FACTORS)
def test_a_fhir_liquid_order_total_is_set_against_its_days(drawn: Drawn, factor: Fraction) -> None:
    text = writer_of(Format.FHIR)(drawn.schedule, WriteOptions())
    assert isinstance(text, str)
    data = json.loads(text, parse_float=Decimal)
    quantity = data["dispenseRequest"]["quantity"]
    # The plan's own total includes its overage: the days need the total without it.
    overage = 1 + drawn.schedule.request.overage_percent / 100
    need = Decimal(str(quantity["value"])) / overage
    quantity["value"] = float(scaled(need, factor))
    got = quantity_codes(json.dumps(data, default=float).encode(), "plan.json")
    want = expected(factor)
    assert got == ([] if want is None else [want])


@settings(max_examples=60, deadline=None)
@given(drawn=schedules("capsule"), factor=FACTORS)
def test_a_json_capsule_plan_grand_total_is_set_against_its_days(
    drawn: Drawn, factor: Fraction
) -> None:
    text = writer_of(Format.JSON)(drawn.schedule, WriteOptions())
    assert isinstance(text, str)
    data = json.loads(text)
    total = data["dispense"]["grand_total"]
    counts = {strength: int(n) for strength, n in total["capsules"].items()}
    need = sum(counts.values())
    written = scaled(Decimal(need), factor)
    if written != written.to_integral_value() or written == 0:
        return  # a count of capsules is whole
    first = next(iter(counts))
    counts[first] += int(written) - need
    if counts[first] < 0:
        return
    total["capsules"] = counts
    got = quantity_codes(json.dumps(data).encode(), "plan.json")
    want = expected(factor)
    assert got == ([] if want is None else [want])
