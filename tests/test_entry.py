"""The entry points, the public API and atomic output files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ldn_titrate
from ldn_titrate.cli import app
from ldn_titrate.files import OutputExistsError, write_atomically

PLAN = ["plan", "--start", "0.5", "--target", "4.5", "--step", "0.5", "--every", "7d"]
PLAN += ["--from", "2026-12-07"]


def test_the_public_api_loads_on_first_use() -> None:
    assert set(ldn_titrate.__all__) >= {"build_schedule", "check_plan", "TitrationRequest"}
    for name in ldn_titrate.__all__:
        assert getattr(ldn_titrate, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = ldn_titrate.nothing


def test_python_dash_m_prints_the_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ldn_titrate", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "ldn-titrate 0.1.0\n", "")


def test_a_closed_pipe_ends_quietly() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "ldn_titrate", *PLAN, "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        code = proc.wait()
    assert "Traceback" not in stderr
    assert code in {0, 1}


@pytest.mark.parametrize(
    "args",
    [
        ["--start=0.5", "--start=1"],
        ["--start", "0.5", "--start=1"],
    ],
)
def test_an_option_given_twice_in_any_spelling_is_refused(args: list[str]) -> None:
    result = CliRunner().invoke(app, [*PLAN, *args])
    assert result.exit_code == 2
    assert result.stderr == "error: --start: give it once, got '0.5', '0.5', '1'\n"


def test_an_existing_file_that_appears_while_writing_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "plan.csv"

    def someone_else_writes(_src: str, dst: Path) -> None:
        Path(dst).write_text("theirs", encoding="utf-8")
        raise FileExistsError(dst)

    monkeypatch.setattr(os, "link", someone_else_writes)
    with pytest.raises(OutputExistsError):
        write_atomically(dest, "ours", force=False)
    assert dest.read_text(encoding="utf-8") == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.csv"]


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(tmp_path / "plan.csv", "ours", force=False)
    assert list(tmp_path.iterdir()) == []


def test_a_written_file_follows_the_umask(tmp_path: Path) -> None:
    dest = tmp_path / "plan.csv"
    write_atomically(dest, "ours", force=False)
    umask = os.umask(0)
    os.umask(umask)
    assert dest.stat().st_mode & 0o777 == 0o666 & ~umask
    write_atomically(dest, "new", force=True)
    assert dest.read_text(encoding="utf-8") == "new"
