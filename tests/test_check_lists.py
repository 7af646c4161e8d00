"""``check --files-from``: a list of plans of any length, streamed; this tool's TOML left out."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ldn_titrate.app.check import WINDOW, batch, check_options, tasks
from ldn_titrate.app.files import MAX_PATH_BYTES, ListError, listed_paths
from ldn_titrate.check.output import ReportFormat
from ldn_titrate.cli import app
from ldn_titrate.errors import shown
from ldn_titrate.render.report import REPORTS

GOOD = "step,start_date,days,dose_mg\n1,2026-12-07,7,0.5\n2,2026-12-14,,1\n"
DANGER = "step,dose_mg\n1,45\n"
CLEAN = (
    "{}: clean, 2 steps, 2026-12-07 to 2026-12-13, then ongoing from 2026-12-14; "
    "0.5 mg to a target of 1 mg\n"
)


def run(runner: CliRunner, *args: str, stdin: str | bytes | None = None) -> Result:
    result = runner.invoke(app, ["check", *args], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


@pytest.fixture
def plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """a.csv and b.csv (clean) and danger.csv, in the working folder."""
    monkeypatch.chdir(tmp_path)
    for name in ("a.csv", "b.csv"):
        Path(name).write_text(GOOD, encoding="utf-8")
    Path("danger.csv").write_text(DANGER, encoding="utf-8")
    return tmp_path


@pytest.mark.usefixtures("plans")
def test_a_list_of_lines_is_checked_in_its_order(runner: CliRunner) -> None:
    Path("list.txt").write_text("b.csv\n\na.csv\r\n", encoding="utf-8")
    result = run(runner, "--files-from", "list.txt")
    assert (result.exit_code, result.stdout) == (0, CLEAN.format("b.csv") + CLEAN.format("a.csv"))
    assert result.stderr == "checked 2 plans: 0 with errors, 0 with warnings, 2 clean\n"


@pytest.mark.usefixtures("plans")
def test_a_nul_separated_list_from_stdin_follows_the_plan_arguments(runner: CliRunner) -> None:
    result = run(
        runner,
        "a.csv",
        "--files-from",
        "-",
        "--null",
        "--format",
        "json",
        stdin=b"danger.csv\0b.csv\0",
    )
    assert result.exit_code == 1
    assert [item["file"] for item in json.loads(result.stdout)] == ["a.csv", "danger.csv", "b.csv"]
    assert result.stderr == "checked 3 plans: 1 with errors, 0 with warnings, 2 clean\n"


@pytest.mark.usefixtures("plans")
def test_a_name_in_a_list_is_a_file_even_when_it_is_a_dash(runner: CliRunner) -> None:
    result = run(runner, "--files-from", "-", "--format", "csv", stdin="-\n")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == "error,unreadable,'-,,,cannot be read: no such file"


@pytest.mark.usefixtures("plans")
@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ("--files-from", "missing.txt"),
            None,
            "'missing.txt': cannot be read (No such file or directory)",
        ),
        (
            ("--files-from", "-"),
            "a.csv\nb\0.csv\n",
            "'-': line 2: holds a NUL byte; give --null for a NUL-separated list",
        ),
        (("--files-from", "-"), "\n\n", "'-': lists no plan files"),
        (
            ("--files-from", "-"),
            "a.csv\n" + "x" * MAX_PATH_BYTES + "\n",
            f"'-': line 2: longer than {MAX_PATH_BYTES - 1} bytes, the longest path a system takes",
        ),
        (
            ("--files-from", "-", "--null"),
            "x" * (MAX_PATH_BYTES * 20),
            f"'-': path 1: longer than {MAX_PATH_BYTES - 1} bytes, the longest path a system takes",
        ),
    ],
)
def test_a_list_that_cannot_be_read_is_one_line_and_exit_2(
    runner: CliRunner, args: tuple[str, ...], stdin: str | None, message: str
) -> None:
    result = run(runner, *args, stdin=stdin)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"error: --files-from: {message}\n",
    )


@pytest.mark.usefixtures("plans")
def test_stdin_is_read_once(runner: CliRunner) -> None:
    result = run(runner, "-", "--files-from", "-", stdin="a.csv\n")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "error: --files-from '-' and PLAN '-': given more than once; "
        "standard input can be read once\n"
    )


@pytest.mark.usefixtures("plans")
def test_a_list_longer_than_the_window_streams_in_order(runner: CliRunner) -> None:
    names = [("a.csv", "b.csv")[i % 2] for i in range(WINDOW * 2 + 3)]
    result = run(runner, "--files-from", "-", "--quiet", "--jobs", "2", stdin="\n".join(names))
    count = len(names)
    assert (result.exit_code, result.stdout) == (0, "")
    assert (
        result.stderr == f"checked {count} plans: 0 with errors, 0 with warnings, {count} clean\n"
    )


@pytest.mark.parametrize(("jobs", "held"), [(1, WINDOW), (2, 2 * WINDOW)])
def test_the_batch_holds_a_window_or_two_of_a_list_at_most(jobs: int, held: int) -> None:
    taken = 0

    def paths() -> Iterator[str]:
        nonlocal taken
        for _ in range(WINDOW * 4):
            taken += 1
            yield "missing.csv"

    options = check_options({}, (), None)
    with batch(tasks(paths()), options, REPORTS[ReportFormat.CSV](), jobs) as checked:
        assert checked.count is None
        next(checked.results)
        assert taken == held


def test_listed_paths_reads_pieces() -> None:
    stream = io.BytesIO(b"a\nb\n" * 40_000)
    assert sum(1 for _ in listed_paths(stream, "-", null=False)) == 80_000
    with pytest.raises(ListError):
        list(listed_paths(io.BytesIO(b"a\0b\n"), "-", null=False))


def test_every_report_format_is_registered() -> None:
    assert set(REPORTS) == set(ReportFormat)
    assert all(REPORTS[fmt].format is fmt for fmt in ReportFormat)


def test_a_folder_leaves_out_this_tools_own_toml_files(runner: CliRunner, plans: Path) -> None:
    folder = plans / "received"
    folder.mkdir()
    (folder / "a.csv").write_text(GOOD, encoding="utf-8")
    (folder / "request.toml").write_text('start = "0.5 mg"\ntarget = "4.5 mg"\n', encoding="utf-8")
    (folder / "config.TOML").write_text('[check]\nmax_step = "1 mg"\n', encoding="utf-8")
    # A file named .toml that is no TOML (a CSV misnamed) is still checked as a plan.
    (folder / "misnamed.toml").write_text(DANGER, encoding="utf-8")
    result = run(runner, str(folder), "--quiet")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"note: PLAN {shown(str(folder))}: not checked: 2 request or config files (.toml)\n"
        "checked 2 plans: 1 with errors, 0 with warnings, 1 clean\n"
    )


@pytest.mark.usefixtures("plans")
def test_nul_separators_without_a_list_are_refused_in_one_line(runner: CliRunner) -> None:
    result = run(runner, "--null", "a.csv")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "error: --null: applies to --files-from only\n",
    )
