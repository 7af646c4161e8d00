"""Doses: the only place where text becomes a Decimal, and back."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ldn_titrate.doses import format_mg, format_number, parse_dose, parse_number
from ldn_titrate.errors import InputError

# Plain decimals, with at most 12 digits each side of the point (so every one is exact).
PLAIN_NUMBER = re.compile(r"[0-9]{1,12}(\.[0-9]{1,12})?")
ANY_DIGITS = re.compile(r"[0-9]+(\.[0-9]+)?")
EXAMPLE = "0.5 or 2.25"
WRITE_DIGITS = "write digits with an optional decimal point, such as 0.5 or 2.25"


def refusal(text: str, field: str = "--start") -> str:
    """The message parse_dose gives for text, which must be refused."""
    with pytest.raises(InputError) as caught:
        parse_dose(text, field)
    assert caught.value.field == field
    assert caught.value.value == text
    return str(caught.value)


# Accepted forms


@pytest.mark.parametrize(
    ("text", "mg"),
    [
        ("0.5", "0.5"),
        ("1", "1"),
        ("2.25", "2.25"),
        ("4.5", "4.5"),
        ("0.5mg", "0.5"),
        ("0.5 mg", "0.5"),
        ("0.5MG", "0.5"),
        ("3 Mg", "3"),
        (" 1.5 ", "1.5"),
        ("1.250", "1.25"),
        ("0.125", "0.125"),
        ("007", "7"),
    ],
)
def test_accepted_mg_forms(text: str, mg: str) -> None:
    value = parse_dose(text, "--start")
    assert value == Decimal(mg)
    assert str(value) == mg


@pytest.mark.parametrize(
    ("text", "mg"),
    [
        ("500 mcg", "0.5"),
        ("500mcg", "0.5"),
        ("500 MCG", "0.5"),
        ("1000 mcg", "1"),
        ("1500mcg", "1.5"),
        ("4500 mcg", "4.5"),
        ("250 mcg", "0.25"),
        ("125 mcg", "0.125"),
        ("50 mcg", "0.05"),
        ("100 mcg", "0.1"),
    ],
)
def test_micrograms_convert_to_mg(text: str, mg: str) -> None:
    value = parse_dose(text, "--target")
    assert value == Decimal(mg)
    assert str(value) == mg


def test_decimal_places_up_to_three_are_accepted() -> None:
    assert parse_dose("1.125", "--step") == Decimal("1.125")
    assert parse_dose("0.001", "--step") == Decimal("0.001")


def test_trailing_zeros_do_not_count_as_places() -> None:
    assert parse_dose("1.2500", "--step") == Decimal("1.25")


# Refusals, each with its hint


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (".5", "--start: write a leading zero (0.5), got '.5'"),
        (".5 mg", "--start: write a leading zero (0.5), got '.5 mg'"),
        ("1,5", "--start: use a point for decimals (1.5), got '1,5'"),
        ("1,5 mg", "--start: use a point for decimals (1.5), got '1,5 mg'"),
        ("5.", "--start: drop the trailing point (5), got '5.'"),
        ("1e0", f"--start: {WRITE_DIGITS}, got '1e0'"),
        ("1E0", f"--start: {WRITE_DIGITS}, got '1E0'"),
        ("1_0", f"--start: {WRITE_DIGITS}, got '1_0'"),
        ("0x1", f"--start: {WRITE_DIGITS}, got '0x1'"),
        ("", f"--start: {WRITE_DIGITS}, got ''"),
        ("one", f"--start: {WRITE_DIGITS}, got 'one'"),
        ("١", "--start: use the digits 0-9 only, got '١'"),
        ("١.٥", "--start: use the digits 0-9 only, got '١.٥'"),
        ("１", "--start: use the digits 0-9 only, got '１'"),
        ("²", "--start: use the digits 0-9 only, got '²'"),
        ("-1", "--start: a dose has no sign, got '-1'"),
        ("+1", "--start: a dose has no sign, got '+1'"),
        ("-0.5 mg", "--start: a dose has no sign, got '-0.5 mg'"),
        ("nan", "--start: must be a number, got 'nan'"),
        ("NaN", "--start: must be a number, got 'NaN'"),
        ("inf", "--start: must be a number, got 'inf'"),
        ("Infinity", "--start: must be a number, got 'Infinity'"),
        ("500 µg", "--start: write micrograms as mcg, never µg or ug, got '500 µg'"),
        ("500µg", "--start: write micrograms as mcg, never µg or ug, got '500µg'"),
        ("500 μg", "--start: write micrograms as mcg, never µg or ug, got '500 μg'"),
        ("500ug", "--start: write micrograms as mcg, never µg or ug, got '500ug'"),
        ("500 UG", "--start: write micrograms as mcg, never µg or ug, got '500 UG'"),
        ("0.5  mg", "--start: the unit must be mg or mcg, such as 0.5 mg, got '0.5  mg'"),
        ("1.2345", "--start: use at most 3 decimal places in mg, got '1.2345'"),
        ("0.0005 mg", "--start: use at most 3 decimal places in mg, got '0.0005 mg'"),
        ("0.05 mcg", "--start: use at most 3 decimal places in mg, got '0.05 mcg'"),
    ],
)
def test_refusals_name_the_problem(text: str, message: str) -> None:
    assert refusal(text) == message


@pytest.mark.parametrize("number", ["4.5", "1", "0.5", "0.1", "2.25"])
def test_microgram_slip_suggests_milligrams(number: str) -> None:
    text = f"{number}mcg"
    assert refusal(text) == (
        f"--start: did you mean {number} mg? {number} mcg is a microgram dose, "
        f"below the 0.1 mg floor, got '{text}'"
    )


def test_microgram_slip_with_space() -> None:
    assert refusal("4.5 mcg", "--target") == (
        "--target: did you mean 4.5 mg? 4.5 mcg is a microgram dose, "
        "below the 0.1 mg floor, got '4.5 mcg'"
    )


def test_comma_hint_suggests_an_accepted_form() -> None:
    """A hint that proposes a correction must propose one that is itself accepted."""
    message = refusal(",5")
    suggestion = re.search(r"\(([^)]*)\)", message)
    assert suggestion is not None, message
    assert parse_dose(suggestion.group(1), "--start") == Decimal("0.5"), message


@pytest.mark.parametrize("text", [".5", "1,5", "1,25 mg", "5.", ".25 mg"])
def test_hint_suggestions_are_accepted(text: str) -> None:
    message = refusal(text)
    suggestion = re.search(r"\(([^)]*)\)", message)
    assert suggestion is not None, message
    parse_dose(suggestion.group(1), "--start")


def test_message_names_the_field() -> None:
    with pytest.raises(InputError) as caught:
        parse_dose(".5", "ramp.toml: step")
    assert str(caught.value) == "ramp.toml: step: write a leading zero (0.5), got '.5'"
    assert caught.value.allowed == "write a leading zero (0.5)"


# Long numbers: exact or refused, never rounded and never a crash


@pytest.mark.parametrize(
    "text",
    [
        "1.0000000000000000000000000001",
        "0.50000000000000000000000000001",
        "0.5000000000000",
        "9" * 13,
        "9" * 40,
        "1" * 5000,
    ],
)
def test_too_many_digits_are_refused_not_rounded(text: str) -> None:
    assert refusal(text) == str(
        InputError("--start", text, f"too many digits; write a number such as {EXAMPLE}")
    )


def test_twelve_digits_each_side_are_exact() -> None:
    text = "999999999999.999999999999"
    assert parse_number(text, "dose_mg") == Decimal(text)
    assert parse_dose("0.500000000000", "--start") == Decimal("0.5")
    assert parse_dose("999999999999", "--start") == Decimal(999999999999)


# parse_number


@pytest.mark.parametrize(
    ("text", "value"), [("0", "0"), ("0.5", "0.5"), ("12", "12"), ("1.50", "1.5"), ("10", "10")]
)
def test_parse_number_accepts_plain_decimals(text: str, value: str) -> None:
    parsed = parse_number(text, "dose_mg")
    assert parsed == Decimal(value)
    assert str(parsed) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0.5 mg", f"dose_mg: {WRITE_DIGITS}, got '0.5 mg'"),
        (".5", "dose_mg: write a leading zero (0.5), got '.5'"),
        ("1,5", "dose_mg: use a point for decimals (1.5), got '1,5'"),
        ("-1", "dose_mg: a dose has no sign, got '-1'"),
        ("nan", "dose_mg: must be a number, got 'nan'"),
        ("1e3", f"dose_mg: {WRITE_DIGITS}, got '1e3'"),
        ("٣", "dose_mg: use the digits 0-9 only, got '٣'"),
    ],
)
def test_parse_number_refusals(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_number(text, "dose_mg")
    assert str(caught.value) == message


def test_parse_number_ignores_surrounding_spaces() -> None:
    assert parse_number("  2.5 ", "x") == Decimal("2.5")


@given(st.text())
def test_parse_number_accepts_exactly_plain_decimals(text: str) -> None:
    assume(text == text.strip(" "))
    try:
        value = parse_number(text, "x")
    except InputError:
        assert PLAIN_NUMBER.fullmatch(text) is None
    else:
        assert PLAIN_NUMBER.fullmatch(text) is not None
        assert value == Decimal(text)


@given(st.from_regex(PLAIN_NUMBER, fullmatch=True))
def test_parse_number_accepts_every_plain_decimal(text: str) -> None:
    assert parse_number(text, "x") == Decimal(text)


@given(st.from_regex(ANY_DIGITS, fullmatch=True))
def test_parse_number_is_exact_or_refuses(text: str) -> None:
    """Digits and a point are read exactly, or refused as too long; never rounded."""
    if PLAIN_NUMBER.fullmatch(text) is not None:
        assert parse_number(text, "x") == Decimal(text)
    else:
        with pytest.raises(InputError) as caught:
            parse_number(text, "x")
        assert caught.value.allowed == f"too many digits; write a number such as {EXAMPLE}"


@given(st.text(), st.text(alphabet=" ", max_size=3), st.text(alphabet=" ", max_size=3))
def test_parse_number_surrounding_spaces_change_nothing(text: str, left: str, right: str) -> None:
    def outcome(candidate: str) -> Decimal | None:
        try:
            return parse_number(candidate, "x")
        except InputError:
            return None

    assert outcome(left + text + right) == outcome(text.strip(" "))


# format_number and format_mg


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0.5", "0.5"),
        ("0.50", "0.5"),
        ("3", "3"),
        ("3.0", "3"),
        ("3.000", "3"),
        ("1.25", "1.25"),
        ("1E+1", "10"),
        ("4.5E+0", "4.5"),
        ("0.001", "0.001"),
        ("100", "100"),
        ("0", "0"),
        ("0.000", "0"),
    ],
)
def test_format_number(value: str, text: str) -> None:
    assert format_number(Decimal(value)) == text


def test_format_mg() -> None:
    assert format_mg(Decimal("0.5")) == "0.5 mg"
    assert format_mg(Decimal("3.00")) == "3 mg"
    assert format_mg(Decimal("1.250")) == "1.25 mg"


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_format_number_refuses_what_is_not_a_number(value: str) -> None:
    with pytest.raises(ValueError, match="not a finite number"):
        format_number(Decimal(value))


doses = st.decimals(
    min_value=0, max_value=10**6, allow_nan=False, allow_infinity=False, places=6
) | st.integers(min_value=0, max_value=10**9).map(Decimal)


@given(doses)
def test_format_number_is_ismp_clean_and_round_trips(value: Decimal) -> None:
    text = format_number(value)
    assert not text.startswith(".")
    assert "e" not in text.lower()
    if "." in text:
        assert not text.endswith("0")
        assert not text.endswith(".")
    assert PLAIN_NUMBER.fullmatch(text) is not None
    assert parse_number(text, "x") == value
    assert format_mg(value) == f"{text} mg"


@given(st.integers(min_value=0, max_value=4500), st.integers(min_value=0, max_value=3))
def test_dose_text_round_trips(milligrams_x1000: int, trailing_zeros: int) -> None:
    value = Decimal(milligrams_x1000).scaleb(-3)
    text = format_number(value) + ("0" * trailing_zeros if "." in format_number(value) else "")
    assert parse_dose(text, "--start") == value
    assert parse_dose(f"{format_number(value)} mg", "--start") == value
    if not 1 <= milligrams_x1000 <= 4:  # 1-4 mcg are refused as a likely mg slip
        assert parse_dose(f"{milligrams_x1000} mcg", "--start") == value
