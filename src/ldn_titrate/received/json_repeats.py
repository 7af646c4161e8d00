"""Keys written twice in one JSON object: kept, compared, and never resolved in silence.

The decoder keeps the first value of a repeated key and remembers the later ones; a step's
dose, volume or days written twice are compared as twins, and every other repeat is a note.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Final

from ldn_titrate.errors import shown
from ldn_titrate.received.cells import Row, field_of, read_number, reader_for
from ldn_titrate.received.model import NoteKind, ReadNote
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


class Repeated(dict[str, object]):
    """A JSON object whose keys repeat: the first value of each key, the later ones kept."""

    again: list[tuple[str, object]]


def pairs(repeats: list[Repeated], pairs: list[tuple[str, object]]) -> dict[str, object]:
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
    repeated = Repeated(found)
    repeated.again = again
    repeats.append(repeated)
    return repeated


def repeated_keys(row: Row, item: Repeated) -> None:
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


def repeat_notes(data: object, repeats: list[Repeated]) -> tuple[ReadNote, ...]:
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
            if isinstance(value, Repeated):
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
