"""The options of ``check``, as the command line gives them, parsed by ``settings.check``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from ldn_titrate.errors import InputError, InputErrors, Setting
from ldn_titrate.limits import FAST_INTERVAL_BELOW_DAYS, LARGE_STEP_ABOVE_MG
from ldn_titrate.received.columns import ColumnNames, parse_column_names
from ldn_titrate.received.day_forms import DateOrder
from ldn_titrate.received.model import Form, Formulation
from ldn_titrate.settings import check as settings


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


def column_names(pairs: Sequence[tuple[str, str]], key: str) -> ColumnNames:
    """Headers given for this tool's CSV columns, each refused under ``key`` if not one.

    Raises:
        InputError: a FIELD that is not one of this tool's CSV column names, or no HEADER.
    """
    return parse_column_names([settings.column(f"{f}={h}", key) for f, h in pairs])


def _column_options(given: Sequence[str]) -> ColumnNames:
    return parse_column_names([settings.column(text, "columns") for text in given])


def _formulation_option(
    form: str | None, concentration: str | None, graduation: str | None, strengths: str | None
) -> Formulation | None:
    """The formulation given on the command line; each option belongs to one form."""
    kind = None if form is None else settings.form(form, "form")
    if kind is None and graduation is not None and concentration is None and strengths is None:
        # The syringe dispensed, alone: it applies to the liquid the plan records.
        return Formulation(Form.LIQUID, graduation_ml=settings.graduation(graduation, "graduation"))
    for key, text, needs in (
        ("concentration", concentration, Form.LIQUID),
        ("graduation", graduation, Form.LIQUID),
        ("strengths", strengths, Form.CAPSULE),
    ):
        if text is not None and kind is not needs:
            raise InputError(key, text, ("applies to ", Setting("form", needs), " only"))
    if kind is Form.LIQUID:
        if concentration is None:
            raise InputError(
                "concentration", None, ("is required with ", Setting("form", "liquid"))
            )
        return Formulation(
            Form.LIQUID,
            concentration_mg_per_ml=settings.concentration(concentration, "concentration"),
            graduation_ml=None
            if graduation is None
            else settings.graduation(graduation, "graduation"),
        )
    if kind is Form.CAPSULE:
        if strengths is None:
            raise InputError("strengths", None, ("is required with ", Setting("form", "capsule")))
        return Formulation(Form.CAPSULE, strengths_mg=settings.strengths(strengths, "strengths"))
    return None


# The settings read alone, each by its own parser: the field of ``CheckOptions`` it fills and
# the value when it is not given. ``form``, ``concentration``, ``graduation`` and
# ``strengths`` are read together (``_formulation_option``), ``meds`` as written, ``columns``
# from the list given.
_READ_ALONE: Final = (
    ("bud", "bud_days", None),
    ("max_step", "max_step_mg", LARGE_STEP_ABOVE_MG),
    ("min_interval", "min_interval_days", FAST_INTERVAL_BELOW_DAYS),
    ("date_order", "date_order", None),
)


def options_from_text(*, columns: Sequence[str] = (), **given: str | None) -> CheckOptions:
    """The settings of ``check`` as text, by key (``max_step="2"``), parsed and validated.

    Each is read by its parser in ``settings.check``; ``columns`` holds ``FIELD=HEADER`` texts.

    Raises:
        InputErrors: one entry per refused setting, each naming its key (``max_step``).
        TypeError: a key that is not a setting of ``check``.
    """
    unknown = sorted(key for key in given if key not in settings.CHECK_BY_KEY or key == "columns")
    if unknown:
        raise TypeError(f"options_from_text: not a setting of check: {unknown[0]}")
    errors: list[InputError] = []
    values: dict[str, object] = {"meds": given.get("meds") or ""}
    formulation = [given.get(key) for key in ("form", "concentration", "graduation", "strengths")]
    try:
        values["formulation"] = _formulation_option(*formulation)
    except InputError as exc:
        errors.append(exc)
    for key, field, default in _READ_ALONE:
        text = given.get(key)
        try:
            values[field] = default if text is None else settings.CHECK_BY_KEY[key].parse(text, key)
        except InputError as exc:
            errors.append(exc)
    try:
        values["columns"] = _column_options(columns)
    except InputError as exc:
        errors.append(exc)
    if errors:
        raise InputErrors(errors)
    return CheckOptions(**values)  # type: ignore[arg-type]
