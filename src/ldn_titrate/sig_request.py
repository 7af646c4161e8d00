"""A prescriber's directions (``sig``) as the request values they give: steps, time, form.

The directions are read by ``received.sig``, exactly or not at all; what they give becomes the
raw values of explicit steps, so that the request is built and checked as any other. A value
given beside the directions that they contradict is refused, never silently replaced.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ldn_titrate.dispensing import fewest_capsules
from ldn_titrate.doses import CapsuleCounts, Form, format_number
from ldn_titrate.errors import InputError, InputErrors
from ldn_titrate.model import DoseTime
from ldn_titrate.received.sig import Sig, SigRefusedError, SigStep, read_sig
from ldn_titrate.settings.values import step_text

SIG_KEY = "sig"
# The ways of writing the plan that directions replace.
_REPLACED = ("start", "target", "step", "every", "steps", "split", "weight", "mg_per_kg")


def _name(names: Mapping[str, str], key: str) -> str:
    return names.get(key, "--" + key.replace("_", "-"))


def _mg(value: Decimal) -> str:
    return f"{format_number(value)} mg"


def _step_text(step: SigStep) -> str:
    assert step.dose_mg is not None  # noqa: S101 - a sig with a pause is refused before
    doses: tuple[Decimal, ...] = (step.dose_mg,)
    if step.morning is not None and step.bedtime is not None:
        doses = (step.morning.mg, step.bedtime.mg)
    return step_text(doses, step.every)


def read_directions(text: object, name: str) -> Sig:
    """The directions read, or one InputError naming where they came from."""
    if not isinstance(text, str):
        raise InputErrors([InputError(name, None, 'must be text, such as "Take 1.5 mg ..."')])
    try:
        return read_sig(text)
    except SigRefusedError as exc:
        raise InputErrors([InputError(name, None, str(exc))]) from None


def _time(sig: Sig, values: Mapping[str, object], names: Mapping[str, str]) -> str | None:
    """The time of day the directions give, checked against a time given beside them."""
    name = _name(names, SIG_KEY)
    split = any(step.split for step in sig.steps)
    whole = any(not step.split for step in sig.steps)
    given = values.get("time")
    if sig.time is None and whole and given is None:
        raise InputErrors(
            [
                InputError(
                    name,
                    None,
                    "the directions do not say when in the day; add 'at bedtime' or "
                    "'in the morning', or give a time",
                )
            ]
        )
    if split and sig.time is DoseTime.MORNING:
        raise InputErrors(
            [InputError(name, None, "split doses beside morning doses: write each day's doses")]
        )
    if sig.time is not None and given is not None:
        if str(given).strip(" ").lower() != sig.time.value:
            raise InputErrors(
                [
                    InputError(
                        f"{name} and {_name(names, 'time')}",
                        None,
                        f"the directions say {sig.time.value}, the time given says {given}",
                    )
                ]
            )
        return None
    return None if split or sig.time is None else sig.time.value


def _form(sig: Sig, values: Mapping[str, object], names: Mapping[str, str]) -> dict[str, str]:
    """The formulation the directions name, checked against one given beside them."""
    name = _name(names, SIG_KEY)
    liquid = any(
        s.volume_ml is not None or (s.morning is not None and s.morning.ml is not None)
        for s in sig.steps
    )
    capsules = any(
        s.capsules is not None or (s.morning is not None and s.morning.capsules is not None)
        for s in sig.steps
    )
    if not (liquid or capsules):
        return {}
    form = Form.LIQUID if liquid else Form.CAPSULE
    given_form = values.get("form")
    if liquid and capsules:
        raise InputErrors([InputError(name, None, "the directions name both mL and capsules")])
    if given_form is not None and str(given_form).strip(" ").lower() != form.value:
        raise InputErrors(
            [
                InputError(
                    f"{name} and {_name(names, 'form')}",
                    None,
                    f"the directions are written for {form.value}, the form given is {given_form}",
                )
            ]
        )
    if form is Form.LIQUID:
        assert sig.concentration_mg_per_ml is not None  # noqa: S101 - mL are read with one
        strength = format_number(sig.concentration_mg_per_ml)
        given = values.get("concentration")
        if given is not None and _number(given, "mg/ml") != sig.concentration_mg_per_ml:
            raise InputErrors(
                [
                    InputError(
                        f"{name} and {_name(names, 'concentration')}",
                        None,
                        f"the directions name {strength} mg/mL, the concentration given is {given}",
                    )
                ]
            )
        return {"form": "liquid", "concentration": strength}
    strengths = sig.capsule_strengths
    given_text = values.get("strengths")
    if given_text is not None:
        given_strengths = _strengths(given_text)
        if given_strengths is None or not set(strengths) <= set(given_strengths):
            raise InputErrors(
                [
                    InputError(
                        f"{name} and {_name(names, 'strengths')}",
                        None,
                        "the directions name capsules of "
                        + ", ".join(_mg(c) for c in strengths)
                        + f", the strengths given are {given_text}",
                    )
                ]
            )
        strengths = given_strengths
    _same_capsules(sig, strengths, name)
    return {"form": "capsule", "strengths": ",".join(format_number(s) for s in strengths)}


def _strengths(value: object) -> tuple[Decimal, ...] | None:
    """Strengths in mg given beside the directions, or None when one cannot be read."""
    items = value if isinstance(value, list) else str(value).split(",")
    found = [_number(item, "mg") for item in items]
    return None if any(s is None for s in found) else tuple(s for s in found if s is not None)


def _same_capsules(sig: Sig, strengths: tuple[Decimal, ...], name: str) -> None:
    """The plan makes each dose with the fewest capsules; the directions must name those."""
    for number, step in enumerate(sig.steps, start=1):
        parts = [(step.dose_mg, step.capsules)]
        if step.morning is not None and step.bedtime is not None:
            parts = [(p.mg, p.capsules) for p in (step.morning, step.bedtime)]
        for dose, written in parts:
            if written is None or dose is None:
                continue
            made = fewest_capsules(dose, strengths)
            if made != written:
                way = "cannot be made" if made is None else f"is made as {_counts(made)}"
                raise InputErrors(
                    [
                        InputError(
                            name,
                            None,
                            f"step {number}: the directions give {_counts(written)}; "
                            f"{_mg(dose)} {way} with the fewest capsules of these strengths",
                        )
                    ]
                )


def _counts(counts: CapsuleCounts) -> str:
    return " and ".join(
        f"{n} capsule{'' if n == 1 else 's'} of {_mg(strength)}" for strength, n in counts
    )


def _number(value: object, unit: str) -> Decimal | None:
    text = str(value).strip(" ").lower()
    text = text.removesuffix(unit).strip(" ")
    try:
        return Decimal(text).normalize()
    except ArithmeticError:
        return None


def expand_sig(
    values: Mapping[str, object], names: Mapping[str, str]
) -> tuple[dict[str, object], dict[str, str]]:
    """The values with the directions read into steps, time and form, each named as the sig.

    Raises:
        InputErrors: the directions are refused, or contradict a value given beside them.
    """
    name = _name(names, SIG_KEY)
    clashes = [
        InputError(
            f"{name} and {_name(names, key)}",
            None,
            "give one or the other; the directions give the steps",
        )
        for key in _REPLACED
        if key in values
    ]
    if clashes:
        raise InputErrors(clashes)
    sig = read_directions(values[SIG_KEY], name)
    if sig.pauses:
        raise InputErrors(
            [
                InputError(
                    name,
                    None,
                    "the directions stop and start again; plan the steps up to the pause, "
                    "then re-plan the pause",
                )
            ]
        )
    out = {key: value for key, value in values.items() if key != SIG_KEY}
    out_names = {key: value for key, value in names.items() if key != SIG_KEY}
    given: dict[str, object] = {"steps": [_step_text(step) for step in sig.steps]}
    time = _time(sig, values, names)
    if time is not None:
        given["time"] = time
    formulation = _form(sig, values, names)
    for key, value in {**given, **formulation}.items():
        out[key] = value
        out_names[key] = name
    return out, out_names
