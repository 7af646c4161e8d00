"""Pydantic models of the files this tool reads and writes: the config, the plan, the report.

The only module that imports pydantic; it is loaded when a JSON is read or written or a config
file exists, never at start-up.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic import field_validator as _field_validator
from pydantic_core import SchemaValidator

from ldn_titrate.doses import parse_concentration, parse_dose, parse_percent, parse_volume
from ldn_titrate.errors import InputError, LdnTitrateError

# ---- The config file ---------------------------------------------------------------------

ConfigValue = str | int | Decimal
"""A value as TOML gives it: text, a whole number or a decimal."""

NEVER_IN_CONFIG: Final = frozenset(
    {"start", "target", "step", "every", "steps", "split", "weight", "from", "maintenance_days"}
)
"""Keys a config file may not set: a dose, a step, an interval or a weight is always typed."""


def _text(value: ConfigValue) -> str:
    return str(value)


def _checked(parse: Any, value: ConfigValue | None) -> ConfigValue | None:  # noqa: ANN401 - a parser
    """Run a request parser over the value; its refusal becomes pydantic's value error."""
    if value is None:
        return None
    try:
        parse(_text(value), "value")
    except InputError as exc:
        raise ValueError(exc.allowed) from None
    return value


def _whole(value: ConfigValue | None, low: int, high: int) -> ConfigValue | None:
    if value is None:
        return None
    if not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"must be a whole number from {low} to {high}")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class CheckDefaults(_Strict):
    """The ``[check]`` table: defaults of the check options."""

    max_step: ConfigValue | None = None
    min_interval: ConfigValue | None = None
    graduation: ConfigValue | None = None
    # A vendor's headers for this tool's CSV columns: FIELD = "HEADER" (the command line
    # checks each FIELD, as it does --column's).
    columns: dict[str, str] | None = None

    @_field_validator("max_step")
    @classmethod
    def _max_step(cls, value: ConfigValue | None) -> ConfigValue | None:
        return _checked(parse_dose, value)

    @_field_validator("min_interval")
    @classmethod
    def _min_interval(cls, value: ConfigValue | None) -> ConfigValue | None:
        if value is not None and re.fullmatch(r"\s*[1-9][0-9]{0,2}\s*d?\s*", str(value)) is None:
            raise ValueError("must be a whole number of days, such as 3")
        return value

    @_field_validator("graduation")
    @classmethod
    def _graduation(cls, value: ConfigValue | None) -> ConfigValue | None:
        return _checked(parse_volume, value)


class ConfigFile(_Strict):
    """A pharmacy's defaults for the formulation and the checks; never a dose or a step."""

    form: Literal["liquid", "capsule"] | None = None
    concentration: ConfigValue | None = None
    graduation: ConfigValue | None = None
    strengths: ConfigValue | list[ConfigValue] | None = None
    max_units: ConfigValue | None = None
    bud: ConfigValue | None = None
    overage: ConfigValue | None = None
    check: CheckDefaults = CheckDefaults()

    @_field_validator("concentration")
    @classmethod
    def _concentration(cls, value: ConfigValue | None) -> ConfigValue | None:
        return _checked(parse_concentration, value)

    @_field_validator("graduation")
    @classmethod
    def _graduation(cls, value: ConfigValue | None) -> ConfigValue | None:
        return _checked(parse_volume, value)

    @_field_validator("strengths")
    @classmethod
    def _strengths(
        cls, value: ConfigValue | list[ConfigValue] | None
    ) -> ConfigValue | list[ConfigValue] | None:
        items = value if isinstance(value, list) else [] if value is None else str(value).split(",")
        if value is not None and not items:
            raise ValueError('list at least one strength, such as ["1.5 mg"]')
        for item in items:
            _checked(parse_dose, item)
        return value

    @_field_validator("max_units")
    @classmethod
    def _max_units(cls, value: ConfigValue | None) -> ConfigValue | None:
        return _whole(value, 1, 10)

    @_field_validator("bud")
    @classmethod
    def _bud(cls, value: ConfigValue | None) -> ConfigValue | None:
        return _whole(value, 1, 365)

    @_field_validator("overage")
    @classmethod
    def _overage(cls, value: ConfigValue | None) -> ConfigValue | None:
        return _checked(parse_percent, value)


class SchemaError(LdnTitrateError, ValueError):
    """Data that does not fit its model: one line per problem, naming the source and the path."""

    def __init__(self, lines: list[str]) -> None:
        """Keep every line."""
        self.lines = lines
        super().__init__("; ".join(lines))


def validate_config(data: dict[str, Any], source: str) -> ConfigFile:
    """The config file's values, validated.

    Raises:
        SchemaError: one line per refused key.
    """
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as exc:
        raise SchemaError(problem_lines(exc, source)) from None


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
    """The JSON that ``plan --format json`` writes."""

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


def plan_shape_problems(data: object) -> list[str]:
    """Where a JSON plan of this tool does not fit the plan model: ``path: reason`` lines.

    Only the shape is judged here (keys, types, nesting); a value in the right place but
    written wrongly is left to the checker, which reports it as a finding.
    """
    # Nearly every plan fits: the shape alone is judged first, at two thirds of the cost;
    # only a plan that does not fit is read by the model, for its exact messages.
    if _plan_shape().isinstance_python(data):
        return []
    try:
        PlanDocument.model_validate(data)
    except ValidationError as exc:
        return [
            line.removeprefix("plan: ")
            for line, error in zip(problem_lines(exc, "plan"), exc.errors(), strict=True)
            if error["type"] not in _VALUE_KINDS
        ]
    return []


@cache
def _plan_shape() -> SchemaValidator:
    """A validator of the plan model's shape alone: what ``plan_shape_problems`` reports.

    Built from the model's own core schema, with each model read as a plain dict (no model
    object is made) and no pattern or bound (their problems are not the reader's). Every
    type, key and nesting is as strict as the model's, so data that fits it gives the model
    none but value problems.
    """
    return SchemaValidator(_shape_only(PlanDocument.__pydantic_core_schema__))


def _shape_only(node: Any) -> Any:  # noqa: ANN401 - a part of a core schema, of any kind
    """A copy of a core schema: models as typed dicts, strings without patterns, ints unbounded."""
    if isinstance(node, list):
        return [_shape_only(item) for item in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("type")
    if kind == "model":
        fields = node["schema"]["fields"]
        return {
            "type": "typed-dict",
            "ref": node["ref"],
            "config": node["config"],
            "extra_behavior": "forbid",
            "fields": {
                name: {
                    "type": "typed-dict-field",
                    "schema": _shape_only(field["schema"]),
                    # A field with a default holds its default in a "default" schema.
                    "required": field["schema"]["type"] != "default",
                    "validation_alias": field.get("validation_alias", name),
                }
                for name, field in fields.items()
            },
        }
    dropped = {"str": "pattern", "int": "ge"}.get(str(kind))
    return {key: _shape_only(value) for key, value in node.items() if key != dropped}
