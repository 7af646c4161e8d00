"""Read a plan written as JSON: this tool's own, or a bare list of steps with other key names."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache, partial
from typing import Final

from ldn_titrate.errors import PlanFormatError, shown
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
from ldn_titrate.received.json_keys import account, find_steps, text_place
from ldn_titrate.received.lines import stated_formulation
from ldn_titrate.received.model import (
    CapsuleCounts,
    CellProblem,
    Formulation,
    NoteKind,
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
from ldn_titrate.received.twins import TWIN_PARTS, twin_reader


def _json_text(value: object) -> tuple[str, bool] | None:
    """A JSON value as cell text, and whether it was written as text; None if not scalar."""
    if isinstance(value, str):
        return value.strip(), True
    if value is None:
        return "", True
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return str(value), False
    return None


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


class _Repeated(dict[str, object]):
    """A JSON object whose keys repeat: the first value of each key, the later ones kept."""

    again: list[tuple[str, object]]


def _pairs(repeats: list[_Repeated], pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object that keeps the first value of a repeated key and remembers the others.

    Each object with a repeated key is also added to ``repeats``, so that a plan without
    one (nearly all) is never walked looking for them.
    """
    found = dict(pairs)
    if len(found) == len(pairs):
        # No key repeats (nearly always): built in one call, not key by key.
        return found
    found = {}
    again: list[tuple[str, object]] = []
    for key, value in pairs:
        if key in found:
            again.append((key, value))
        else:
            found[key] = value
    if not again:
        return found
    repeated = _Repeated(found)
    repeated.again = again
    repeats.append(repeated)
    return repeated


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
    if type(item) is _Repeated:
        _repeated_keys(row, item)
    row.values.update(administration_cells(item.get("administrations")))
    return freeze(row, index, None)


def _repeated_keys(row: Row, item: _Repeated) -> None:
    """A key written twice in one step: its later values are twins of the first."""
    for key, value in item.again:
        field = field_of(key)
        cell = _json_text(value)
        if field is not None and field in TWIN_PARTS and cell is not None:
            twin_reader(reader_for(field), key)(row, field, cell[0], f"{key} (repeated)")


def _kept_as_twin(key: str, value: object) -> bool:
    """Whether a repeated key of a step is compared as a twin (see ``_repeated_keys``)."""
    field = field_of(key)
    return field is not None and field in TWIN_PARTS and _json_text(value) is not None


def _repeat_notes(data: object, repeats: list[_Repeated]) -> tuple[ReadNote, ...]:
    """A note for each key written twice in one object, wherever it is, in document order.

    A reader that keeps the last value and a viewer that shows the first would disagree on
    what the plan says, so a repeat is never resolved in silence. The dose, volume and days
    of a step are compared as twins instead, step by step.
    """
    if not repeats:
        return ()
    steps = data if isinstance(data, list) else data.get("steps") if isinstance(data, dict) else ()
    step_ids = {id(item) for item in steps} if isinstance(steps, list) else set()
    notes: list[ReadNote] = []
    # Depth first without recursion: a deeply nested file must not end in a RecursionError.
    stack: list[tuple[object, str]] = [(data, "")]
    while stack:
        value, path = stack.pop()
        children: list[tuple[object, str]] = []
        if isinstance(value, dict):
            if isinstance(value, _Repeated):
                in_step = id(value) in step_ids
                notes.extend(
                    _repeat_note(_joined(path, key), value[key], again)
                    for key, again in value.again
                    if not (in_step and _kept_as_twin(key, again))
                )
            children = [(item, _joined(path, str(key))) for key, item in value.items()]
        elif isinstance(value, list):
            children = [
                (item, f"step {index + 1}:" if value is steps else f"{path}[{index}]")
                for index, item in enumerate(value)
            ]
        stack.extend(reversed(children))
    return tuple(notes)


def _joined(path: str, key: str) -> str:
    if not path:
        return key
    return f"{path} {key}" if path.endswith(":") else f"{path}.{key}"


def _repeat_note(path: str, first: object, again: object) -> ReadNote:
    if _same(first, again):
        said = {_value_words(first): None, _value_words(again): None}
        return ReadNote(
            NoteKind.KEY_REPEATED_SAME,
            f"{path} is written twice with the same value: {' and '.join(said)}",
        )
    return ReadNote(
        NoteKind.KEY_REPEATED,
        f"{path} is written twice and differs: {_value_words(first)}, then "
        f"{_value_words(again)}; only the first was read",
    )


def _same(one: object, other: object) -> bool:
    """Equal JSON values: 1, 1.0 and "1.0" are one number, "5 mg/ml" is "5 mg/mL".

    But true is not 1, and other text is compared as written.
    """
    number = _number(one)
    if number is not None:
        return number == _number(other)
    if isinstance(one, bool) or isinstance(other, bool) or isinstance(one, str):
        return type(one) is type(other) and one == other
    if isinstance(one, list) and isinstance(other, list):
        return len(one) == len(other) and all(map(_same, one, other))
    if isinstance(one, dict) and isinstance(other, dict):
        return one.keys() == other.keys() and all(_same(one[k], other[k]) for k in one)
    if one is None or other is None:
        return one is other
    return isinstance(one, _NUMBERS) and isinstance(other, _NUMBERS) and one == other


_NUMBERS: Final = (int, Decimal)


def _number(value: object) -> tuple[Decimal, str] | None:
    """A JSON number, or text that reads as a number and its unit; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, _NUMBERS):
        return Decimal(value), ""
    read = read_number(value.strip()) if isinstance(value, str) else None
    return None if read is None or isinstance(read, str) else read


def _value_words(value: object) -> str:
    """A JSON value for a message: text quoted, a number as written, an object described."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return f"an object of {len(value)} keys"
    return str(value)


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


def _states_no_strength(form: Formulation | None) -> bool:
    """Whether a formulation is missing or names neither a concentration nor capsule strengths."""
    return form is None or (form.concentration_mg_per_ml is None and not form.strengths_mg)


class PlanShapeError(PlanFormatError):
    """A plan of this tool that does not fit the plan model: one problem per line."""

    def __init__(self, source: str, problems: list[str]) -> None:
        """Keep each problem, ``path: reason``."""
        self.problems = problems
        super().__init__(source, "; ".join(problems))


def _parsed(text: str, source: str) -> tuple[object, tuple[ReadNote, ...]]:
    """The JSON data, checked against the plan model when this tool wrote it, and its notes.

    Raises:
        PlanFormatError: not valid JSON, or a plan of this tool that does not fit the model.
    """
    repeats: list[_Repeated] = []
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_int=_json_int,
            object_pairs_hook=partial(_pairs, repeats),
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
        from ldn_titrate.schemas import plan_shape_problems  # noqa: PLC0415

        # The model reads the data already parsed: a plan of this tool writes its decimals as
        # strings, so a JSON number where the model wants text is refused either way.
        if shape := plan_shape_problems(data):
            raise PlanShapeError(source, shape)
    return data, _repeat_notes(data, repeats)


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
    )
