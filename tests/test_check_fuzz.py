"""check never crashes: random files and random options end with exit 0, 1 or 2."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_titrate.cli import app

HEADERS = st.sampled_from(
    [
        "step,start_date,end_date,days,dose_mg,instructions,label",
        "Date,Dose (mg)",
        "Start,End,Dose (mcg)",
        "start,end,dose,volume,notes",
        "",
    ]
)
CELLS = st.one_of(
    st.sampled_from(["0.5", "1,5", ".5", "3.0", "500", "2026-12-07", "2026-02-30", "", "=1+1"]),
    st.text(max_size=12),
)
ROWS = st.lists(st.lists(CELLS, max_size=7).map(",".join), max_size=6)
OPTIONS = st.lists(
    st.sampled_from(
        [
            "--form",
            "liquid",
            "capsule",
            "--concentration",
            "1mg/mL",
            "--graduation",
            "0.1",
            "--strengths",
            "1.5,0.5",
            "--bud",
            "30",
            "--meds",
            "tramadol",
            "--max-step",
            "x",
            "--min-interval",
            "-1",
            "--strict",
            "--format",
            "json",
            "table",
            "nan",
        ]
    ),
    max_size=6,
)


def run_check(content: bytes, options: list[str]) -> None:
    runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "100"})
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "plan.csv"
        plan.write_bytes(content)
        result = runner.invoke(app, ["check", str(plan), *options])
    assert result.exit_code in {0, 1, 2}, (content, options, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output


@settings(max_examples=150, deadline=None)
@given(header=HEADERS, rows=ROWS, options=OPTIONS)
def test_check_of_random_csv_text_never_crashes(
    header: str, rows: list[str], options: list[str]
) -> None:
    run_check("\n".join([header, *rows]).encode(), options)


@settings(max_examples=100, deadline=None)
@given(content=st.binary(max_size=200), options=OPTIONS)
def test_check_of_random_bytes_never_crashes(content: bytes, options: list[str]) -> None:
    run_check(content, options)


@settings(max_examples=100, deadline=None)
@given(
    content=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=12,
    ).map(repr)
)
def test_check_of_random_json_like_text_never_crashes(content: str) -> None:
    run_check(content.replace("'", '"').replace("None", "null").encode(), [])
