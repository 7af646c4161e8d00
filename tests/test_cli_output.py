"""``-o`` at the command line: what each kind of destination gets, and the one line when refused.

Every destination is made by the test in a temporary folder: a FIFO, a symlink, a folder, a
read-only file. No test names a real device.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cli_support import run as invoke
from ldn_titrate.cli import app

PLAN = ["plan", "--start", "0.5", "--target", "1", "--step", "0.5", "--every", "7d"]
PLAN += ["--from", "2026-12-07", "--format", "csv"]
CSV_START = "step,start_date,end_date,days,dose_mg,instructions,label\r\n"


def run(runner: CliRunner, *args: str) -> Result:
    return invoke(runner, *PLAN, *args)


def outcome(result: Result) -> tuple[int, str, str]:
    return result.exit_code, result.stdout, result.stderr


def test_an_empty_path_is_bad_input(runner: CliRunner, here: Path) -> None:
    result = run(runner, "-o", "")
    assert outcome(result) == (2, "", "error: --output '': is an empty path\n")
    assert list(here.iterdir()) == []


def test_an_empty_path_is_reported_with_the_other_bad_values(runner: CliRunner, here: Path) -> None:
    result = run(runner, "-o", "", "--time", "noon")
    assert list(here.iterdir()) == []
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "error: --output '': is an empty path"
    assert len(result.stderr.splitlines()) == 2


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_folder_is_refused_without_inviting_force(
    runner: CliRunner, here: Path, force: list[str]
) -> None:
    (here / "plans").mkdir()
    result = run(runner, "-o", "plans", *force)
    assert outcome(result) == (1, "", "error: --output 'plans': is a folder\n")
    assert list((here / "plans").iterdir()) == []


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_read_only_file_is_never_replaced(
    runner: CliRunner, here: Path, force: list[str]
) -> None:
    kept = here / "plan.csv"
    kept.write_text("keep me\n", encoding="utf-8")
    kept.chmod(0o444)
    result = run(runner, "-o", "plan.csv", *force)
    assert outcome(result) == (1, "", "error: --output 'plan.csv': is read-only\n")
    assert kept.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in here.iterdir()) == ["plan.csv"]


def test_an_existing_file_invites_force(runner: CliRunner, here: Path) -> None:
    (here / "plan.csv").write_text("keep me\n", encoding="utf-8")
    result = run(runner, "-o", "plan.csv")
    assert outcome(result) == (
        1,
        "",
        "error: --output 'plan.csv': already exists; add --force to replace it\n",
    )


def test_a_symlink_is_followed_and_stays_a_link(runner: CliRunner, here: Path) -> None:
    (here / "real.csv").write_text("old\n", encoding="utf-8")
    (here / "link.csv").symlink_to("real.csv")
    result = run(runner, "-o", "link.csv", "--force")
    assert outcome(result) == (0, "", "")
    assert (here / "link.csv").is_symlink()
    assert (here / "link.csv").readlink() == Path("real.csv")
    assert (here / "real.csv").read_text(encoding="utf-8").startswith(CSV_START.rstrip("\r\n"))
    assert sorted(p.name for p in here.iterdir()) == ["link.csv", "real.csv"]


def test_a_link_to_an_existing_file_still_needs_force(runner: CliRunner, here: Path) -> None:
    (here / "real.csv").write_text("old\n", encoding="utf-8")
    (here / "link.csv").symlink_to("real.csv")
    result = run(runner, "-o", "link.csv")
    assert outcome(result) == (
        1,
        "",
        "error: --output 'link.csv': already exists; add --force to replace it\n",
    )
    assert (here / "real.csv").read_text(encoding="utf-8") == "old\n"


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_fifo_is_written_into_and_stays_a_fifo(
    runner: CliRunner, here: Path, force: list[str]
) -> None:
    fifo = here / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run(runner, "-o", "pipe", *force)
    reader.join(timeout=30)
    assert outcome(result) == (0, "", "")
    assert received[0].decode("utf-8").startswith(CSV_START)
    assert fifo.is_fifo()
    assert sorted(p.name for p in here.iterdir()) == ["pipe"]


# Today, injected at the edge, and a day 1 that is probably a slip in the year.

DAY_PLAN = ["plan", "--start", "0.5", "--target", "1", "--step", "0.5", "--every", "7d"]


@pytest.mark.parametrize(
    ("first_day", "warning"),
    [
        ("2026-09-02", ""),
        ("2026-09-01", "warning: --from: 2026-09-01 is 91 days ago; is this the right year?\n"),
        ("2027-12-01", ""),
        ("2027-12-02", "warning: --from: 2027-12-02 is 366 days ahead; is this the right year?\n"),
        (
            "2062-12-07",
            "warning: --from: 2062-12-07 is 13155 days ahead; is this the right year?\n",
        ),
    ],
)
def test_a_first_day_far_from_today_is_questioned(
    runner: CliRunner, first_day: str, warning: str
) -> None:
    result = runner.invoke(
        app,
        [*DAY_PLAN, "--from", first_day, "--format", "json"],
        env={"LDN_TITRATE_TODAY": "2026-12-01"},
    )
    assert (result.exit_code, result.stderr) == (0, warning)


def test_today_comes_from_the_environment(runner: CliRunner) -> None:
    env = {"LDN_TITRATE_TODAY": "2030-01-02"}
    result = runner.invoke(app, [*DAY_PLAN, "--from", "tomorrow", "--format", "csv"], env=env)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines()[1].startswith("1,2030-01-03,2030-01-09,7,0.5,")


def test_a_bad_today_is_refused(runner: CliRunner) -> None:
    env = {"LDN_TITRATE_TODAY": "01/02/2030"}
    result = runner.invoke(app, [*DAY_PLAN, "--format", "csv"], env=env)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "error: LDN_TITRATE_TODAY: write YYYY-MM-DD, got '01/02/2030'\n"


def test_a_request_file_is_named_by_its_key_in_the_warning(runner: CliRunner, here: Path) -> None:
    (here / "r.toml").write_text('from = "2020-01-06"\n', encoding="utf-8")
    result = runner.invoke(app, [*DAY_PLAN, "r.toml", "--format", "json"])
    assert result.exit_code == 0
    assert result.stderr.endswith("2020-01-06 is 2521 days ago; is this the right year?\n")
