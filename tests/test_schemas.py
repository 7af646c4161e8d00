"""JSON schemas: every JSON the tool writes fits its model, and check reads plans through it."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from typer.testing import CliRunner

from ldn_titrate.cli import app
from ldn_titrate.presets import names
from ldn_titrate.schemas import (
    PlanDocument,
    json_schema,
    problem_lines,
    validate_report,
)
from ldn_titrate.shapes import plan_shape_problems

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
CHECK_DATA = sorted((ROOT / "tests" / "data" / "check").glob("*.*"))


def plan_json(runner: CliRunner, *args: str) -> object:
    result = runner.invoke(app, ["plan", *args, "--from", "2026-12-07", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_every_example_plan_fits_the_plan_schema(runner: CliRunner, example: Path) -> None:
    PlanDocument.model_validate(plan_json(runner, str(example)))


@pytest.mark.parametrize("name", names())
def test_every_preset_plan_fits_the_plan_schema(runner: CliRunner, name: str) -> None:
    PlanDocument.model_validate(plan_json(runner, "--protocol", name))


@given(
    start=st.sampled_from(["0.25", "0.5", "1", "1.5", "3"]),
    target=st.sampled_from(["0.5", "2", "3", "4.5"]),
    step=st.sampled_from(["0.25", "0.5", "1.5"]),
    every=st.sampled_from(["3d", "7d", "2w", "1mo"]),
    form=st.sampled_from(
        [
            [],
            ["--form", "liquid", "--concentration", "1"],
            ["--form", "capsule", "--strengths", "1.5,0.5"],
        ]
    ),
    days=st.integers(0, 400),
)
def test_sampled_plans_fit_the_plan_schema(
    *, start: str, target: str, step: str, every: str, form: list[str], days: int
) -> None:
    runner = CliRunner(env={"LDN_TITRATE_CONFIG": "none"})
    first = (date(2026, 1, 1) + timedelta(days=days)).isoformat()
    args = ["plan", "--start", start, "--target", target, "--step", step, "--every", every]
    result = runner.invoke(app, [*args, *form, "--from", first, "--format", "json"])
    if result.exit_code == 0:
        PlanDocument.model_validate(json.loads(result.stdout))
    else:
        assert result.exit_code == 2


def test_every_check_report_fits_the_findings_schema(runner: CliRunner) -> None:
    files = [str(p) for p in CHECK_DATA if p.suffix in {".csv", ".json"}]
    result = runner.invoke(app, ["check", "--format", "json", *files])
    assert result.exit_code in {0, 1}
    reports = validate_report(json.loads(result.stdout))
    assert len(reports) == len(files)


@pytest.mark.parametrize("kind", ["plan", "findings"])
def test_schema_prints_the_json_schema(runner: CliRunner, kind: str) -> None:
    result = runner.invoke(app, ["schema", kind])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json_schema(kind)  # type: ignore[arg-type]
    assert json.loads(result.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_refuses_another_name(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema", "fhir"])
    assert result.exit_code == 2
    assert result.stderr == "error: schema: must be plan or findings, got 'fhir'\n"


def test_check_reads_this_tools_plans_through_the_model(runner: CliRunner, tmp_path: Path) -> None:
    data = plan_json(runner, "--protocol", "hdrx-hashimoto")
    assert isinstance(data, dict)
    data["steps"][0]["dose_mg"] = 1
    data["steps"][1]["bogus"] = "x"
    del data["steps"][2]["instructions"]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["check", "--format", "json", str(path)])
    assert result.exit_code == 1
    messages = [f["message"] for f in json.loads(result.stdout)[0]["findings"]]
    assert messages == [
        "cannot be read: steps[0].dose_mg: input should be a valid string",
        "cannot be read: steps[1].bogus: not a key this file may hold",
        "cannot be read: steps[2].instructions: is required",
    ]


def test_a_wrongly_written_value_is_left_to_the_checker(runner: CliRunner, tmp_path: Path) -> None:
    data = plan_json(runner, "--protocol", "hdrx-hashimoto")
    assert isinstance(data, dict)
    data["steps"][0]["dose_mg"] = ".25"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["check", "--format", "json", str(path)])
    codes = [f["code"] for f in json.loads(result.stdout)[0]["findings"]]
    assert "unreadable" not in codes


@pytest.mark.parametrize(
    "args",
    [
        ("--weight", "32kg", "--start", "0.5", "--step", "0.5", "--every", "7d"),
        (
            "--steps",
            "0.5 mg + 1 mg for 2w, 2 mg for 1w, 1.5 mg",
            "--form",
            "liquid",
            "--concentration",
            "1",
        ),
        ("--start", "1", "--target", "1", "--meds", "vitamin D", "--split"),
    ],
)
def test_weight_split_and_screened_plans_fit_the_plan_schema(
    runner: CliRunner, args: tuple[str, ...]
) -> None:
    data = plan_json(runner, *args)
    document = PlanDocument.model_validate(data)
    assert document.steps[0].administrations


@cache
def _shape_plans() -> tuple[object, ...]:
    """Plans with every part the model knows: dispensing, capsules, split doses, a weight."""
    runner = CliRunner(env={"LDN_TITRATE_CONFIG": "none"})
    base = ["plan", "--from", "2026-12-07", "--format", "json"]
    cases = [
        ["--protocol", "hdrx-hashimoto", "--form", "liquid", "--concentration", "0.5"],
        ["--start", "1", "--target", "4", "--step", "1", "--every", "7d", "--split"],
        ["--steps", "1 mg for 7d, 2 mg", "--form", "capsule", "--strengths", "1", "--bud", "30"],
        ["--weight", "32kg", "--start", "0.5", "--step", "0.5", "--every", "7d", "--meds", "x"],
    ]
    plans = []
    for args in cases:
        result = runner.invoke(app, [*base, *args])
        assert result.exit_code == 0, result.stderr
        plans.append(json.loads(result.stdout, parse_float=Decimal))
    return tuple(plans)


def _places(value: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The path of every value in a JSON document, the document itself first."""
    yield path
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        yield from _places(item, (*path, key))


_SHAPE_VALUES: list[object] = [
    None, True, 0, -1, 2, Decimal("1.5"), Decimal(10**40), "", "x", "0.50", "1.5", "bedtime",
    "capsule", "2027-01-01", "back-down", [], ["1.5"], [{}], {}, {"1.5": 2}, {"1.5": True},
    {"x": "y"}, float("nan"),
]  # fmt: skip


@given(st.data())
def test_the_shape_check_gives_the_models_own_problems(data: st.DataObject) -> None:
    """Judging the shape first never hides a problem the model finds, nor changes its words."""
    plan = copy.deepcopy(data.draw(st.sampled_from(_shape_plans())))
    for _ in range(data.draw(st.integers(1, 3))):
        *parents, last = data.draw(st.sampled_from(list(_places(plan))[1:]))
        parent = plan
        for key in parents:
            parent = parent[key]  # type: ignore[index]
        change = data.draw(st.sampled_from(["delete", "add", "replace"]))
        if change == "delete" and isinstance(parent, dict):
            del parent[last]
        elif change == "add" and isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["bogus", "note", "split", "from_"]))] = None
        else:
            parent[last] = copy.deepcopy(data.draw(st.sampled_from(_SHAPE_VALUES)))  # type: ignore[index]
    try:
        PlanDocument.model_validate(plan)
        expected = []
    except ValidationError as exc:
        value_kinds = {"string_pattern_mismatch", "greater_than_equal"}
        expected = [
            line.removeprefix("plan: ")
            for line, error in zip(problem_lines(exc, "plan"), exc.errors(), strict=True)
            if error["type"] not in value_kinds
        ]
    assert plan_shape_problems(plan) == expected


def test_the_shapes_a_check_reads_are_the_plan_models() -> None:
    # A check reads the copy; the plan model is the definition.
    from ldn_titrate.schemas import plan_shapes  # noqa: PLC0415
    from ldn_titrate.shapes import SHAPES  # noqa: PLC0415

    read = json.loads(SHAPES.read_text(encoding="utf-8"))
    assert read == plan_shapes(), "the plan model changed: run python tools/build_shapes.py"
