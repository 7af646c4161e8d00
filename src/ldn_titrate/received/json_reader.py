"""Read a plan written as JSON: this tool's own, or a bare list of steps with other key names."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Final

from ldn_titrate.errors import PlanFormatError
from ldn_titrate.received.cells import (
    Reader,
    Row,
    field_of,
    formulation_of,
    freeze,
    read_number,
    reader_for,
)
from ldn_titrate.received.fhir_reader import read_fhir_data
from ldn_titrate.received.json_keys import account, find_steps, med_list_key, text_place
from ldn_titrate.received.json_repeats import Repeated, pairs, repeat_notes, repeated_keys
from ldn_titrate.received.lines import stated_formulation
from ldn_titrate.received.model import (
    CapsuleCounts,
    CellProblem,
    Formulation,
    ReadNote,
    ReceivedPlan,
    ReceivedRow,
)
from ldn_titrate.received.recorded import (
    administration_cells,
    json_fills,
    json_formulation,
    json_whole,
    recorded_meds,
    with_top_concentration,
)
from ldn_titrate.received.shape_error import PlanShapeError
from ldn_titrate.received.twins import TWIN_PARTS, twin_reader

if TYPE_CHECKING:
    from ldn_titrate.received.model import Dispensed


@lru_cache(maxsize=256)
def _json_layout(keys: tuple[str, ...]) -> tuple[tuple[str, str, Reader, str | None], ...]:
    """For the keys of a step object: each key, the part it gives, its reader, its wording.

    The wording is what a JSON number of the key lacks (``dose_text`` of a dose), or None.
    """
    taken: dict[str, str] = {}
    layout = []
    # A dose in grams is only ever a twin: read after the keys it may be compared with.
    for key in sorted(keys, key=lambda k: field_of(k) == "dose_g"):
        field = field_of(key)
        # The first key for a part is read; a second one (a dose in the other unit too) is
        # kept as its twin, to be compared.
        part = TWIN_PARTS.get(field or "", field)
        read = reader_for(field or "other")
        twin = False
        if field is None:
            field = "other"
        elif part in taken or field == "dose_g":
            if field in TWIN_PARTS and part in taken:
                read, twin = twin_reader(read, taken[part]), True
            else:
                field, read = "other", reader_for("other")
        else:
            taken[part or field] = key
        layout.append((key, field, read, None if twin else _NUMBER_TEXTS.get(field)))
    return tuple(layout)


@lru_cache(maxsize=256)
def _json_fields(keys: tuple[str, ...]) -> frozenset[str]:
    """The parts of a step its keys give; steps repeat the same keys, so each set is made once."""
    return frozenset(field_of(str(key)) or "other" for key in keys)


def _json_row(item: object, index: int) -> ReceivedRow:
    row = Row()
    if not isinstance(item, dict):
        row.refuse("step", f"steps[{index}]", _short(item), "expected an object with the step")
        return freeze(row, index, None)
    for key, field, read, wording in _json_layout(tuple(item)):
        value = item[key]
        # json.loads gives exact types, so type() stands for isinstance() here, at a fraction
        # of its cost on every cell; a bool is not an int by its type.
        if type(value) is str:
            read(row, field, value.strip(), key)
        elif type(value) is int or type(value) is Decimal:
            read(row, field, str(value), key)
            if wording is not None:
                # A JSON number carries no wording to check.
                row.values.pop(wording, None)
        elif value is None or field == "other":
            continue
        elif field == "capsules" and isinstance(value, dict):
            counts = _json_counts(value)
            if counts is None:
                row.refuse("capsules", key, _short(value), 'map strengths to counts: {"1.5": 2}')
            else:
                row.values["capsules"] = counts
        else:
            row.refuse(_problem_field(field), key, _short(value), "not a single value")
    if type(item) is Repeated:
        repeated_keys(row, item)
    row.values.update(administration_cells(item.get("administrations")))
    return freeze(row, index, None)


_NUMBER_TEXTS: Final = {"dose_mg": "dose_text", "dose_mcg": "dose_text", "volume": "volume_text"}


def _problem_field(field: str) -> str:
    return {"dose_mg": "dose", "dose_mcg": "dose"}.get(field, field)


def _json_counts(value: dict[object, object]) -> CapsuleCounts | None:
    pairs: list[tuple[Decimal, int]] = []
    for strength, count in value.items():
        read = read_number(str(strength).strip())
        if isinstance(read, str) or not isinstance(count, int) or isinstance(count, bool):
            return None
        pairs.append((read[0], count))
    return tuple(pairs)


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _json_int(text: str) -> int | Decimal:
    """A JSON integer; a longer one than int() takes stays a Decimal, refused by its field."""
    return int(text) if len(text) <= _INT_DIGITS else Decimal(text)


_INT_DIGITS: Final = 30  # far beyond any count, step or day; int() refuses 4,300
_MAX_STEPS: Final = 1_001  # one past the check's bound of 1,000 steps


# How ``plan --format json`` starts every plan (formats/json_format.py).
_OWN_START: Final = '{\n  "schema_version": 1,\n  "tool": "ldn-titrate",\n'


class _Direct:
    """Whether a plan of this tool is decoded directly: from the second one a process reads.

    The direct decoder (``shapes.own_plan_data``) costs a validator and a serializer to build,
    which a check of one file would pay for nothing; over a batch it decodes a plan in
    about 70 % of the general reader's instructions (benchmarks/check_instructions.py).
    """

    def __init__(self) -> None:
        self.seen = False

    def read(self) -> bool:
        """One more plan of this tool read: whether to decode it directly."""
        seen, self.seen = self.seen, True
        return seen


_direct: Final = _Direct()


def expect_many() -> None:
    """Many plans are coming: decode each of this tool's directly, with a decoder built now.

    Worker processes started after this share the decoder rather than each building it.
    """
    from ldn_titrate.shapes import prepare_own_plans  # noqa: PLC0415

    prepare_own_plans()
    _direct.seen = True


def _states_no_strength(form: Formulation | None) -> bool:
    """Whether a formulation is missing or names neither a concentration nor capsule strengths."""
    return form is None or (form.concentration_mg_per_ml is None and not form.strengths_mg)


def _parsed(text: str, source: str) -> tuple[object, tuple[ReadNote, ...]]:
    """The JSON data, checked against the plan model when this tool wrote it, and its notes.

    Raises:
        PlanFormatError: not valid JSON, or a plan of this tool that does not fit the model.
    """
    if text.startswith(_OWN_START) and _direct.read():
        from ldn_titrate.shapes import own_plan_data  # noqa: PLC0415

        own = own_plan_data(text)
        if own is not None:
            # Exactly as this tool writes a plan: the model's shape is met and no key repeats.
            return own, ()
    repeats: list[Repeated] = []
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_int=_json_int,
            object_pairs_hook=partial(pairs, repeats),
        )
    except json.JSONDecodeError as exc:
        raise PlanFormatError(
            source, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise PlanFormatError(source, "not valid JSON: nested too deeply") from None
    if isinstance(data, dict) and data.get("tool") == "ldn-titrate":
        # A plan that says this tool wrote it is read through the plan model; hand-made JSON
        # (no "tool" key) keeps the lenient reading below.
        from ldn_titrate.shapes import plan_keys, plan_shape_problems  # noqa: PLC0415

        # The model reads the data already parsed: a plan of this tool writes its decimals as
        # strings, so a JSON number where the model wants text is refused either way. A list
        # of the patient's medicines added beside the plan ("current_medications") is not the
        # model's, and is read as such a list is in any JSON; the rest must fit the model.
        model_keys = plan_keys()
        fitted = {k: v for k, v in data.items() if k in model_keys or not med_list_key(k)}
        if shape := plan_shape_problems(fitted):
            raise PlanShapeError(source, shape)
    return data, repeat_notes(data, repeats)


def read_json(text: str, source: str) -> ReceivedPlan:
    """Read JSON text: an object with a list of steps, or a bare list of steps.

    Raises:
        PlanFormatError: not valid JSON, or no list of steps.
    """
    data, notes = _parsed(text, source)
    if isinstance(data, list):
        data = {"steps": data}
    plan = read_fhir_data(data, source) if isinstance(data, dict) else None
    if plan is not None:
        return replace(plan, notes=(*plan.notes, *notes))
    found = find_steps(data) if isinstance(data, dict) else None
    if not isinstance(data, dict) or found is None:
        raise PlanFormatError(source, "expected an object with a list of steps")
    # One step past the most a plan may have is enough for the check to refuse it: no more
    # are read.
    steps, path = found[0][:_MAX_STEPS], found[1]
    unread, med_lists, texts = account(data, path, steps)
    request = data.get("request")
    request = request if isinstance(request, dict) else {}
    problems: list[CellProblem] = []
    rows = tuple(_json_row(item, index) for index, item in enumerate(steps, start=1))
    # Steps repeat the same keys: each distinct set of them is looked at once.
    layouts = {tuple(item) for item in steps if isinstance(item, dict)}
    columns = frozenset().union(*map(_json_fields, layouts))
    label = request.get("label") or data.get("label")
    if not isinstance(label, str) or not label:
        label = next(
            (
                item["label"]
                for item in steps
                if isinstance(item, dict) and isinstance(item.get("label"), str) and item["label"]
            ),
            None,
        )
    formulation = json_formulation(request, problems)
    # Strengths the notes, title or medication name state: the plan's when nothing else states
    # one, and compared with the request's and the top concentration by the check.
    stated = [
        (f'JSON key "{key}"', form) for key, text in texts if (form := stated_formulation(text))
    ]
    if stated and formulation is not None:
        stated.insert(0, ('JSON key "request"', formulation))
    if formulation is None:
        formulation = formulation_of(columns, rows)
    formulation = with_top_concentration(formulation, data.get("concentration"), problems)
    if stated and _states_no_strength(formulation):
        formulation = formulation_of(columns, rows, (form for _, form in stated))
    if stated and (top := with_top_concentration(None, data.get("concentration"), [])):
        stated.insert(0, ('JSON key "concentration"', top))
    return ReceivedPlan(
        source=source,
        rows=rows,
        columns=columns,
        label=label,
        formulation=formulation,
        bud_days=json_whole(request.get("bud_days"), "bud_days", problems),
        fills=json_fills(data),
        texts=(
            *(((None, "label", label),) if label else ()),
            *((None, text_place(key), text) for key, text in texts),
        ),
        problems=tuple(problems),
        notes=notes,
        meds=recorded_meds(request.get("meds")),
        meds_reviewed=request.get("meds_reviewed") is True,
        med_lists=med_lists,
        unread=unread,
        stated=tuple(stated),
        dispensed=_dispensed(data),
    )


def _dispensed(data: dict[str, object]) -> tuple[Dispensed, ...]:
    """The grand total and fills a plan of this tool says to dispense (not another JSON's)."""
    dispense = data.get("dispense")
    if data.get("tool") != "ldn-titrate" or not isinstance(dispense, dict):
        return ()
    from ldn_titrate.received.dispensed import json_dispensed  # noqa: PLC0415

    return json_dispensed(dispense)
