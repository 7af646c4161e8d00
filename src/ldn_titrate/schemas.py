"""Pydantic models of the files this tool writes and reads back: the plan and the report.

The only module that imports pydantic; it is loaded when a JSON is read or written, never at
start-up. The config file is read by the settings' own parsers (``request_files``).
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ldn_titrate.errors import LdnTitrateError


class SchemaError(LdnTitrateError, ValueError):
    """Data that does not fit its model: one line per problem, naming the source and the path."""

    def __init__(self, lines: list[str]) -> None:
        """Keep every line."""
        self.lines = lines
        super().__init__("; ".join(lines))


def problem_lines(exc: ValidationError, source: str) -> list[str]:
    """One line per problem: ``source: key.path: reason``."""
    lines = []
    for error in exc.errors():
        path = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"]
        ).removeprefix(".")
        kind = error["type"]
        if kind == "extra_forbidden":
            reason = "not a key this file may hold"
        elif kind == "value_error":
            reason = str(error["ctx"]["error"])
        elif kind == "literal_error":
            reason = f"must be {error['ctx']['expected']}"
        elif kind == "missing":
            reason = "is required"
        else:
            reason = error["msg"][0].lower() + error["msg"][1:]
        lines.append(f"{source}: {path}: {reason}")
    return lines


# ---- The plan JSON ----------------------------------------------------------------------

# The digits every number is written in: a leading zero, no trailing zero (ISMP).
Number = Annotated[str, StringConstraints(pattern=r"^(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$")]
Day = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
Count = Annotated[int, Field(ge=0)]


class _Written(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class PlanQuantity(_Written):
    """An amount to dispense: text, and a volume in mL or capsule counts by strength in mg."""

    text: str
    volume_ml: Number | None = None
    capsules: dict[Number, Count] | None = None


class PlanStepSupply(_Written):
    """What one step needs."""

    step: Annotated[int, Field(ge=1)]
    days: Count
    assumed: bool
    quantity: PlanQuantity


class PlanFill(_Written):
    """One dispensing and the days it covers, inclusive."""

    fill: Annotated[int, Field(ge=1)]
    first_day: Day
    last_day: Day
    quantity: PlanQuantity
    dispense_by: Day


class PlanDispense(_Written):
    """The dispensing summary of a plan with a formulation."""

    per_step: list[PlanStepSupply]
    titration_total: PlanQuantity
    maintenance_total: PlanQuantity
    assumed_maintenance_days: Count | None
    overage_percent: Number
    overage: PlanQuantity | None
    grand_total: PlanQuantity
    days_supply: Count
    fills: list[PlanFill]


class PlanReplan(_Written):
    """How a re-planned plan changed: the rule, its source, the day, the values it used."""

    change: Literal["back-down", "pause"]
    rule: str
    source: str
    on: Day
    to: str | None = None
    hold_days: str | None = None
    until: Day | None = None
    pause_days: str | None = None
    restart: str | None = None


class PlanRequest(_Written):
    """The request the plan was built from; doses in mg as exact decimal text."""

    start: Number
    target: Number
    step: Number | None
    every: str | None
    from_: Day = Field(alias="from")
    maintenance_days: Count | None
    time: Literal["bedtime", "morning"]
    label: str | None
    source: str | None
    form: Literal["liquid", "capsule"] | None
    concentration_mg_per_ml: Number | None = None
    graduation_ml: Number | None = None
    overage_percent: Number | None = None
    strengths_mg: list[Number] | None = None
    max_units: Count | None = None
    bud_days: Count | None = None
    preset: str | None = None
    overrides: list[str] | None = None
    steps: list[str] | None = None
    split: bool | None = None
    weight_kg: Number | None = None
    mg_per_kg: Number | None = None
    target_from_weight: str | None = None
    meds: str | None = None
    meds_reviewed: bool | None = None
    replan: PlanReplan | None = None


class PlanAdministration(_Written):
    """One dose of the day: when, the dose in mg, and its volume in mL or capsules."""

    time: Literal["bedtime", "morning"]
    dose_mg: Number
    volume_ml: Number | None = None
    capsules: dict[Number, Count] | None = None


class PlanStep(_Written):
    """One step: inclusive days, the dose in mg, and how to take it."""

    step: Annotated[int, Field(ge=1)]
    start_date: Day
    end_date: Day | None
    days: Count | None
    dose_mg: Number
    volume_ml: Number | None = None
    capsules: dict[Number, Count] | None = None
    quantity: str | None = None
    administrations: list[PlanAdministration] = []
    instructions: str
    label: str | None
    note: str | None = None


class PlanWarning(_Written):
    """A warning about an allowed but unusual request, naming the option."""

    code: str
    option: str
    message: str


class PlanDocument(_Written):
    """The JSON plan this tool writes (``formats.json_format``)."""

    schema_version: Literal[1]
    tool: Literal["ldn-titrate"]
    tool_version: str
    request: PlanRequest
    steps: list[PlanStep]
    warnings: list[PlanWarning]
    dispense: PlanDispense | None = None


# ---- The check report -------------------------------------------------------------------


class ReportFinding(_Written):
    """One finding: the CSV line (header = 1) and the step (from 1) where they apply."""

    severity: Literal["error", "warning", "info"]
    code: str
    file: str
    line: Annotated[int, Field(ge=1)] | None
    step: Annotated[int, Field(ge=1)] | None
    message: str


class ReportSummary(_Written):
    """How many findings of each severity, and the worst."""

    result: Literal["error", "warning", "clean"]
    errors: Count
    warnings: Count
    info: Count


class FileReport(_Written):
    """One plan's result: ``{file, findings, summary}``."""

    file: str
    findings: list[ReportFinding]
    summary: ReportSummary


def json_schema(name: Literal["plan", "findings"]) -> dict[str, Any]:
    """The JSON Schema of the plan or of the check report."""
    from pydantic import TypeAdapter  # noqa: PLC0415 - a sibling of the models above

    if name == "plan":
        schema = PlanDocument.model_json_schema(by_alias=True)
    else:
        schema = TypeAdapter(list[FileReport]).json_schema()
        schema["title"] = "Findings"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def validate_report(data: object) -> list[FileReport]:
    """Validate a check report; raises ValidationError."""
    from pydantic import TypeAdapter  # noqa: PLC0415

    return TypeAdapter(list[FileReport]).validate_python(data)


# Value problems (a dose or a day written wrongly) are the checker's findings, not the reader's.
_VALUE_KINDS: Final = frozenset({"string_pattern_mismatch", "greater_than_equal"})


def model_problems(data: object) -> list[str]:
    """Where data does not fit the plan model: ``path: reason`` lines, value problems left out.

    The model's own messages, for a plan whose shape ``shapes.plan_shape_problems`` found
    wrong; a value in the right place but written wrongly is the checker's finding.
    """
    try:
        PlanDocument.model_validate(data)
    except ValidationError as exc:
        return [
            line.removeprefix("plan: ")
            for line, error in zip(problem_lines(exc, "plan"), exc.errors(), strict=True)
            if error["type"] not in _VALUE_KINDS
        ]
    return []


def plan_shapes() -> dict[str, Any]:
    """The plan model's shapes as plain data, as ``shapes`` reads them from its copy.

    ``shape``: each model read as a plain dict, no pattern or bound (their problems are not
    the reader's), every type, key and nesting as strict as the model's, so that data that
    fits it gives the model none but value problems. ``written``: the same as the file writes
    it, keys by their names in the file and no defaults, for the direct decoder.
    """
    schema = PlanDocument.__pydantic_core_schema__
    return {"shape": _shape_only(schema), "written": _shape_only(schema, written=True)}


# The whole numbers the general reader's decoder reads as an int, of at most 30 characters
# (received/json_reader.py, _INT_DIGITS); a longer one it keeps as a Decimal.
_INT_BOUNDS: Final = {"gt": -(10**29), "lt": 10**30}


def _shape_only(node: Any, *, written: bool = False) -> Any:  # noqa: ANN401 - any part of a core schema
    """A copy of a core schema: models as typed dicts, strings without patterns, ints unbounded.

    ``written``: each key named as the file writes it (``from``), and a key left out stays out
    rather than taking its default, so that the data writes back as it was read.
    """
    if isinstance(node, list):
        return [_shape_only(item, written=written) for item in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("type")
    if kind == "model":
        fields = {}
        for name, field in node["schema"]["fields"].items():
            schema = field["schema"]
            # A field with a default holds its default in a "default" schema.
            required = schema["type"] != "default"
            alias = field.get("validation_alias", name)
            if written:
                fields[alias] = {
                    "type": "typed-dict-field",
                    "schema": _shape_only(schema if required else schema["schema"], written=True),
                    "required": required,
                }
            else:
                fields[name] = {
                    "type": "typed-dict-field",
                    "schema": _shape_only(schema),
                    "required": required,
                    "validation_alias": alias,
                }
        return {
            "type": "typed-dict",
            "ref": _named(node["ref"]),
            "config": node["config"],
            "extra_behavior": "forbid",
            "fields": fields,
        }
    dropped = {"str": "pattern", "int": "ge"}.get(str(kind))
    copy = {
        key: _named(value) if key in _REFS else _shape_only(value, written=written)
        for key, value in node.items()
        if key != dropped
    }
    return {**copy, **_INT_BOUNDS} if written and kind == "int" else copy


# A core schema's references: ``module.Model:<id of the class>``, whose number changes from one
# process to the next; the model's name alone is as unique within one schema.
_REFS: Final = frozenset({"ref", "schema_ref"})


def _named(ref: str) -> str:
    return ref.partition(":")[0]
