"""Shared settings and fixtures for the test suite."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

# Reproducible runs: the same examples every time, no timing flakiness.
settings.register_profile("ci", derandomize=True, deadline=None, max_examples=200)
settings.load_profile("ci")

# Tests never read the user's own config file: none unless a test names one.
os.environ["LDN_TITRATE_CONFIG"] = "none"
# "Today" for every run, subprocesses included, so that no test depends on the day it runs.
TODAY = "2026-12-01"
os.environ["LDN_TITRATE_TODAY"] = TODAY

# Plain, wide, colourless output; variables that would force a terminal are removed.
CLI_ENV: dict[str, str | None] = {
    "NO_COLOR": "1",
    "LDN_TITRATE_TODAY": TODAY,
    "COLUMNS": "200",
    "FORCE_COLOR": None,
    "TTY_COMPATIBLE": None,
    "TTY_INTERACTIVE": None,
    "LDN_TITRATE_CONFIG": "none",
}


@pytest.fixture(scope="session")
def runner() -> CliRunner:
    """A runner that keeps stdout and stderr apart, with a fixed terminal environment."""
    return CliRunner(env=CLI_ENV)


@pytest.fixture(autouse=True)
def _fresh_checker_caches() -> None:
    """Each test starts with the checker's memo caches empty, so no test reads another's result.

    Mutation testing forks each run from a process that has already run the tests: a warm cache
    would hide a changed function behind the answers of the unchanged one.
    """
    for name, module in list(sys.modules.items()):
        if name.startswith("ldn_titrate.check"):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder that the test runs in, for output files named as a user names them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
