"""Each setting declared once: a config refuses what the command line refuses, in its words."""

from __future__ import annotations

import importlib
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_titrate.check import options_from_text
from ldn_titrate.cli import app
from ldn_titrate.errors import InputError, InputErrors, as_flag
from ldn_titrate.request import build_request, options_layer
from ldn_titrate.request_files import CHECK_KEYS, CONFIG_KEYS, ConfigError, read_config
from ldn_titrate.schemas import PlanRequest
from ldn_titrate.settings.check import CHECK, CHECK_BY_KEY
from ldn_titrate.settings.plan import BY_KEY, FIELDS, KEY_OF_JSON, NEVER_IN_CONFIG

MONDAY = date(2026, 12, 7)
SOURCE = "pharmacy.toml"


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("config", "option", "key", "allowed"),
    [
        (
            "[check]\nmin_interval = 500\n",
            ["check", "--min-interval", "500", "examples/plan-0.5mg-fortnightly.csv"],
            "check.min_interval",
            "must be a whole number of days from 1 to 182, got '500'",
        ),
        (
            'overage = "500%"\n',
            [
                *("plan", "--start", "1", "--target", "1", "--form", "liquid"),
                "--concentration",
                "1",
                "--overage",
                "500%",
            ],
            "overage",
            "must be a percentage from 0 to 50, got '500%'",
        ),
        (
            '[check]\ngraduation = "0 mL"\n',
            ["check", "--graduation", "0 mL", "examples/plan-0.5mg-fortnightly.csv"],
            "check.graduation",
            "must be more than 0 mL, got '0 mL'",
        ),
    ],
)
def test_a_config_refuses_what_the_command_line_refuses_in_the_same_words(  # noqa: PLR0917 - a column each
    runner: CliRunner, tmp_path: Path, config: str, option: list[str], key: str, allowed: str
) -> None:
    path = write(tmp_path, config)
    shown = runner.invoke(app, ["config", "--config", path])
    assert (shown.exit_code, shown.stdout) == (2, "")
    assert shown.stderr == f"error: {path}: {key}: {allowed}\n"
    typed = runner.invoke(app, [*option, "--config", "none"])
    flag = as_flag(key.removeprefix("check."))
    assert (typed.exit_code, typed.stderr) == (2, f"error: {flag}: {allowed}\n")


def test_a_syringe_mark_of_0_ml_is_refused_as_a_plan_default_too(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = write(tmp_path, 'graduation = "0 mL"\n')
    result = runner.invoke(app, ["config", "--config", path])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {path}: graduation: must be a syringe mark from 0.01 mL to 1 mL, such as "
        "0.1 mL or 0.01 mL, got '0 mL'\n"
    )


def _toml_text(text: str) -> str:
    """Text as a TOML basic string (JSON's escapes are TOML's, but for DEL)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


# The other values a plan needs beside the one given, so that only that value can be refused.
_BESIDE = {
    "form": {},
    "concentration": {"form": "liquid"},
    "graduation": {"form": "liquid", "concentration": "1"},
    "overage": {"form": "liquid", "concentration": "1"},
    "bud": {"form": "liquid", "concentration": "1"},
    "strengths": {"form": "capsule"},
    "max_units": {"form": "capsule", "strengths": "1"},
}


def _typed_refusal(key: str, text: str) -> str | None:
    """How the command line refuses ``--KEY TEXT``, named by the key, or None."""
    if key.startswith("check."):
        try:
            options_from_text(**{key.removeprefix("check."): text})
        except InputErrors as exc:
            return str(InputError(key, exc.errors[0].value, exc.errors[0].allowed))
        return None
    layer = options_layer({"start": "1", "target": "1", **_BESIDE[key], key: text})
    try:
        build_request(layer.values, layer.names, MONDAY)
    except InputErrors as exc:
        mine = [e for e in exc.errors if e.field == as_flag(key)]
        return str(InputError(key, mine[0].value, mine[0].allowed)) if mine else None
    return None


def _config_refusal(key: str, text: str) -> str | None:
    """How a config file refuses ``KEY = "TEXT"``, without its file name, or None."""
    table, _, name = key.rpartition(".")
    toml = f"[{table}]\n" if table else ""
    try:
        read_config(f"{toml}{name} = {_toml_text(text)}\n", SOURCE)
    except ConfigError as exc:
        return exc.lines[0].removeprefix(f"{SOURCE}: ")
    return None


SETTINGS = [*CONFIG_KEYS, *(f"check.{key}" for key in CHECK_KEYS)]
TEXTS = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"[ 0-9.,%+-]{0,6}( ?(mg|mL|mg/mL|d|%)?)", fullmatch=True),
    st.sampled_from(["liquid", "Capsule ", "0", "4", "11", "366", "1.5", "50%", "0.01 mL"]),
)


@given(key=st.sampled_from(SETTINGS), text=TEXTS)
def test_the_command_line_refuses_a_value_if_and_only_if_a_config_does(key: str, text: str) -> None:
    assert _config_refusal(key, text) == _typed_refusal(key, text)


def test_every_setting_a_config_may_hold_is_declared_once() -> None:
    assert tuple(f.key for f in FIELDS if f.in_config == "yes") == CONFIG_KEYS
    assert tuple(s.key for s in CHECK if s.in_config) == CHECK_KEYS
    assert {
        "start", "target", "step", "every", "steps", "split", "weight", "from", "maintenance_days"
    } == NEVER_IN_CONFIG  # fmt: skip
    assert set(CHECK_BY_KEY) == {
        "max_step", "min_interval", "graduation", "form", "concentration", "strengths", "bud",
        "meds", "date_order", "columns",
    }  # fmt: skip


def test_the_json_plans_request_keys_are_the_settings_json_keys() -> None:
    written = {field.alias or name for name, field in PlanRequest.model_fields.items()}
    # What a plan records beside the request's values: how it was made, never read back.
    recorded = {"preset", "overrides", "target_from_weight", "meds_reviewed", "replan"}
    assert written == {f.json_key for f in FIELDS} | recorded


def test_replan_reads_a_json_plans_keys_back_by_the_settings() -> None:
    # The map lives with replan's workflow, in the command line or under it.
    for where in ("ldn_titrate.app.replan", "ldn_titrate.cli.replan"):
        try:
            keys = getattr(importlib.import_module(where), "_JSON_KEYS", None)
        except ImportError:
            continue
        if keys is not None:
            break
    assert keys == KEY_OF_JSON


def test_configs_table_shows_the_settings_defaults(runner: CliRunner) -> None:
    result = runner.invoke(app, ["config", "--config", "none"])
    assert result.exit_code == 0
    expected = [
        "none" if default is None else f"{default}  (built in)"
        for default in (
            *(BY_KEY[key].default for key in CONFIG_KEYS),
            *(CHECK_BY_KEY[key].default for key in CHECK_KEYS),
        )
    ]
    lines = result.stdout.splitlines()[1:]
    shown = ["none" if line.endswith(": not set") else line.split(" = ", 1)[1] for line in lines]
    assert shown == expected
    assert [line.split(" ", 1)[0].rstrip(":") for line in lines] == SETTINGS
