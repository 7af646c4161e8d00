"""Start-up: ``--version`` loads the command line only, not the core or its heavy libraries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("rich", "pydantic", "dateutil")  # and every module whose name starts so
ALLOWED_OWN = {
    "ldn_titrate",
    "ldn_titrate.version",
    "ldn_titrate.cli",
    "ldn_titrate.cli.plan",
    "ldn_titrate.cli.options",
    "ldn_titrate.cli.check",
    "ldn_titrate.__main__",
}


def imported_modules(stderr: str) -> list[str]:
    """Module names from ``-X importtime`` lines: ``import time: self | cumulative | name``."""
    names = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or line.rstrip().endswith("imported package"):
            continue
        names.append(line.rsplit("|", 1)[-1].strip())
    return names


def test_version_starts_light(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ldn_titrate", "--version"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ldn-titrate 0.1.0\n"
    modules = imported_modules(result.stderr)
    assert "ldn_titrate.cli" in modules
    heavy = [m for m in modules if m.startswith(HEAVY)]
    assert heavy == []
    own = {m for m in modules if m.split(".")[0] == "ldn_titrate"}
    assert own <= ALLOWED_OWN, sorted(own - ALLOWED_OWN)


def test_plan_csv_loads_no_fhir_or_calendar_library(tmp_path: Path) -> None:
    args = ["plan", "--start", "1", "--target", "2", "--step", "1", "--every", "7d"]
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ldn_titrate", *args, "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("step,")
    modules = imported_modules(result.stderr)
    assert [m for m in modules if m.startswith(("fhir", "icalendar"))] == []
