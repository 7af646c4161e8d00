"""The shape of a JSON plan of this tool, judged without building the plan model.

The plan model (``schemas.PlanDocument``) is the one definition of a JSON plan. Reading one
needs only its shape, which ``schemas.plan_shapes`` derives from the model's core schema as
plain data; ``plan_shapes.json`` beside this module is that data, written by
``tools/build_shapes.py`` (a test fails until the copy matches the model). The validators are
built from the copy by pydantic-core alone: defining the models costs a check of one JSON plan
more than half of its instructions, and they are built only when a plan does not fit, for
their exact messages.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from pydantic_core import SchemaSerializer, SchemaValidator

SHAPES: Final = Path(__file__).with_name("plan_shapes.json")


@cache
def _shapes() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SHAPES.read_text(encoding="utf-8"))
    return data


@cache
def _plan_shape() -> SchemaValidator:
    """The plan's shape alone: models read as plain dicts, no pattern, no bound."""
    from pydantic_core import SchemaValidator  # noqa: PLC0415

    return SchemaValidator(_shapes()["shape"])


@cache
def _own_plan() -> tuple[SchemaValidator, SchemaSerializer]:
    """The plan's shape as it is written: keys by their names in the file, no defaults."""
    from pydantic_core import SchemaSerializer, SchemaValidator  # noqa: PLC0415

    written = _shapes()["written"]
    return SchemaValidator(written), SchemaSerializer(written)


def plan_keys() -> frozenset[str]:
    """The keys a plan of this tool holds at its top level, by the model's shape."""
    fields: dict[str, object] = _shapes()["written"]["schema"]["fields"]
    return frozenset(fields)


def plan_shape_problems(data: object) -> list[str]:
    """Where a JSON plan of this tool does not fit the plan model: ``path: reason`` lines.

    Only the shape is judged here (keys, types, nesting); a value in the right place but
    written wrongly is left to the checker, which reports it as a finding.
    """
    # Nearly every plan fits: the shape alone is judged first, at two thirds of the cost;
    # only a plan that does not fit is read by the model, for its exact messages.
    if _plan_shape().isinstance_python(data):
        return []
    from ldn_titrate.schemas import model_problems  # noqa: PLC0415

    return model_problems(data)


def own_plan_data(text: str) -> dict[str, Any] | None:
    """The data of a plan exactly as this tool writes it (``formats.json_format``), else None.

    Decoded by the plan model's shape in one pass, then written back the way the tool writes
    it: only when that gives the very same text is the data taken. A key written twice, put
    in another order or not the model's, a number where text belongs, other spacing or an
    escaped letter each write back differently, so such a file is left to the general
    reader (and its notes). The data is then what that reader's decoder would give: the
    same keys in the same order, and only text, whole numbers, booleans and nulls (the
    model holds no fractional number, and a whole number longer than the general reader
    reads as an int sends the file there too).
    """
    if not text.endswith("}\n"):
        return None
    from pydantic_core import ValidationError  # noqa: PLC0415

    validator, serializer = _own_plan()
    try:
        data = validator.validate_json(text)
    except ValidationError:
        return None
    if serializer.to_json(data, indent=2).decode() != text[:-1]:
        return None
    return data  # type: ignore[no-any-return]


def prepare_own_plans() -> None:
    """Build the direct decoder of ``own_plan_data`` now, before the plans come."""
    _own_plan()
