"""The options of ``check``, as the command line gives them, parsed and validated."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from ldn_titrate.doses import parse_concentration, parse_dose, parse_volume
from ldn_titrate.errors import InputError, InputErrors
from ldn_titrate.limits import (
    BUD_MAX_DAYS,
    FAST_INTERVAL_BELOW_DAYS,
    INTERVAL_MAX_DAYS,
    LARGE_STEP_ABOVE_MG,
)
from ldn_titrate.received.columns import CSV_FIELDS, ColumnNames, parse_column_names
from ldn_titrate.received.day_forms import DateOrder
from ldn_titrate.received.model import Form, Formulation


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """What the pharmacist adds to the plan: the formulation made, the BUD, other medicines."""

    formulation: Formulation | None = None
    bud_days: int | None = None
    meds: str = ""
    # No published protocol steps by more than 1.5 mg (https://ldnnaltrexone.com/how-to-use-ldn)
    # or moves faster than every 3 days (https://thecompounder.com/sleep-disturbances-with-ldn/).
    max_step_mg: Decimal = LARGE_STEP_ABOVE_MG
    min_interval_days: int = FAST_INTERVAL_BELOW_DAYS
    # The pharmacy's syringe mark, for a liquid plan that records none (a config default).
    default_graduation_ml: Decimal | None = None
    # Settles dates such as 07/12/2026; None reads them only when the file allows one order.
    date_order: DateOrder | None = None
    # A vendor's headers for this tool's CSV columns: (header as compared, field).
    columns: ColumnNames = ()


_COLUMN_ALLOWED: Final = f"must be FIELD=HEADER, FIELD one of {', '.join(CSV_FIELDS)}"


def column_names(pairs: Sequence[tuple[str, str]], key: str) -> ColumnNames:
    """Headers given for this tool's CSV columns, each refused under ``key`` if not one.

    Raises:
        InputError: a FIELD that is not one of this tool's CSV column names, or no HEADER.
    """
    for field, header in pairs:
        if field.strip() not in CSV_FIELDS or not header.strip():
            raise InputError(key, f"{field}={header}", _COLUMN_ALLOWED)
    return parse_column_names([(f.strip(), h.strip()) for f, h in pairs])


def _column_options(given: Sequence[str]) -> ColumnNames:
    pairs = []
    for text in given:
        field, equals, header = text.partition("=")
        if not equals:
            raise InputError("column", text, _COLUMN_ALLOWED)
        pairs.append((field, header))
    return column_names(pairs, "column")


def _whole_days(text: str, name: str, most: int) -> int:
    match = re.fullmatch(r"\s*([0-9]+)\s*d?\s*", text)
    if match is None or not 1 <= int(match[1]) <= most:
        raise InputError(name, text, f"must be a whole number of days from 1 to {most}")
    return int(match[1])


def _positive(value: Decimal, name: str, text: str, unit: str) -> Decimal:
    if value <= 0:
        raise InputError(name, text, f"must be more than 0 {unit}")
    return value


def _formulation_option(
    form: str | None, concentration: str | None, graduation: str | None, strengths: str | None
) -> Formulation | None:
    """The formulation given on the command line; each option belongs to one form."""
    kind: Form | None = None
    if form is not None:
        try:
            kind = Form(form.strip().lower())
        except ValueError:
            raise InputError("--form", form, "must be liquid or capsule") from None
    if kind is None and graduation is not None and concentration is None and strengths is None:
        # The syringe dispensed, alone: it applies to the liquid the plan records.
        grad = parse_volume(graduation, "--graduation")
        return Formulation(
            Form.LIQUID,
            graduation_ml=_positive(grad, "--graduation", graduation, "mL"),
        )
    for name, text, needs in (
        ("--concentration", concentration, Form.LIQUID),
        ("--graduation", graduation, Form.LIQUID),
        ("--strengths", strengths, Form.CAPSULE),
    ):
        if text is not None and kind is not needs:
            raise InputError(name, text, f"applies to --form {needs} only")
    if kind is Form.LIQUID:
        return _liquid_option(concentration, graduation)
    if kind is Form.CAPSULE:
        return _capsule_option(strengths)
    return None


def _liquid_option(concentration: str | None, graduation: str | None) -> Formulation:
    if concentration is None:
        raise InputError("--concentration", None, "is required with --form liquid")
    conc = parse_concentration(concentration, "--concentration")
    grad = None
    if graduation is not None:
        grad = parse_volume(graduation, "--graduation")
        _positive(grad, "--graduation", graduation, "mL")
    return Formulation(
        Form.LIQUID,
        concentration_mg_per_ml=_positive(conc, "--concentration", concentration, "mg/mL"),
        graduation_ml=grad,
    )


def _capsule_option(strengths: str | None) -> Formulation:
    if strengths is None:
        raise InputError("--strengths", None, "is required with --form capsule")
    items = strengths.split(",")
    if any(not item.strip() for item in items):
        raise InputError(
            "--strengths", strengths, "list strengths separated by commas, such as 1.5,0.5"
        )
    parsed = tuple(parse_dose(item, "--strengths") for item in items)
    for value in parsed:
        _positive(value, "--strengths", strengths, "mg")
    return Formulation(Form.CAPSULE, strengths_mg=parsed)


def _date_order(text: str | None) -> DateOrder | None:
    if text is None:
        return None
    try:
        return DateOrder(text.strip().lower())
    except ValueError:
        raise InputError("--date-order", text, "must be dmy or mdy") from None


def options_from_text(  # noqa: PLR0913 - one parameter per command-line option
    *,
    form: str | None = None,
    concentration: str | None = None,
    graduation: str | None = None,
    strengths: str | None = None,
    bud: str | None = None,
    meds: str | None = None,
    max_step: str | None = None,
    min_interval: str | None = None,
    date_order: str | None = None,
    columns: Sequence[str] = (),
) -> CheckOptions:
    """The options of ``check`` as typed on the command line, parsed and validated.

    Raises:
        InputErrors: one entry per refused option, each naming the option.
    """
    errors: list[InputError] = []
    values: dict[str, object] = {"meds": meds or ""}
    parsers = (
        ("formulation", lambda: _formulation_option(form, concentration, graduation, strengths)),
        ("bud_days", lambda: None if bud is None else _whole_days(bud, "--bud", BUD_MAX_DAYS)),
        (
            "max_step_mg",
            lambda: (
                LARGE_STEP_ABOVE_MG
                if max_step is None
                else _positive(parse_dose(max_step, "--max-step"), "--max-step", max_step, "mg")
            ),
        ),
        (
            "min_interval_days",
            lambda: (
                FAST_INTERVAL_BELOW_DAYS
                if min_interval is None
                else _whole_days(min_interval, "--min-interval", INTERVAL_MAX_DAYS)
            ),
        ),
        ("date_order", lambda: _date_order(date_order)),
        ("columns", lambda: _column_options(columns)),
    )
    for key, parse in parsers:
        try:
            values[key] = parse()
        except InputError as exc:
            errors.append(exc)
    if errors:
        raise InputErrors(errors)
    return CheckOptions(**values)  # type: ignore[arg-type]
