"""Inputs that must be bounded: file sizes, numbers of any length, overflowing days, nesting."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_titrate.check import CheckOptions, check_file
from ldn_titrate.cli import app

PLAN = 'start = "0.5"\ntarget = "1.5"\nstep = "0.5"\nevery = "7d"\nfrom = 2026-01-05\n'


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are named as given, so run beside them."""
    monkeypatch.chdir(tmp_path)


def plan(runner: CliRunner, request: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["plan", request, *args], env={"LDN_TITRATE_TODAY": "2026-01-05"})
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def test_a_request_file_larger_than_1_mb_ends_at_once_with_one_line(runner: CliRunner) -> None:
    with Path("zero.toml").open("wb") as file:
        file.truncate(2_000_000)  # two million NUL bytes, as /dev/zero gives
    assert plan(runner, "zero.toml") == (
        2,
        "",
        "error: REQUEST 'zero.toml': larger than 1 MB, not a request file\n",
    )


def test_a_5000_digit_days_value_gets_the_fields_own_message(runner: CliRunner) -> None:
    Path("r.toml").write_text(PLAN + "maintenance_days = " + "9" * 5000 + "\n")
    assert plan(runner, "r.toml") == (
        2,
        "",
        (
            "error: r.toml: maintenance_days: must be a whole number of days from 1 to 3660, got "
            f"'{'9' * 55}...'\n"
        ),
    )


def test_a_5000_digit_step_in_a_list_is_refused_in_one_line(runner: CliRunner) -> None:
    Path("r.toml").write_text(PLAN.replace('step = "0.5"', "step = [" + "9" * 5000 + "]"))
    assert plan(runner, "r.toml") == (2, "", "error: r.toml: a number has too many digits\n")


def test_a_deeply_nested_array_is_refused_in_one_line(runner: CliRunner) -> None:
    Path("r.toml").write_text("start = " + "[" * 5000 + "]" * 5000 + "\n")
    assert plan(runner, "r.toml") == (
        2,
        "",
        "error: r.toml: not a valid TOML request file: nested too deeply\n",
    )


@pytest.mark.parametrize("written", ["1e0", "1E+1", "inf", "1_0.5"])
def test_a_float_with_an_exponent_is_refused_as_on_the_command_line(
    runner: CliRunner, written: str
) -> None:
    Path("r.toml").write_text(PLAN.replace('start = "0.5"', f"start = {written}"))
    _, _, on_command_line = plan(runner, "r.toml", "--start", written)
    code, stdout, stderr = plan(runner, "r.toml")
    assert (code, stdout) == (2, "")
    assert stderr == on_command_line.replace("--start:", "r.toml: start:")


def test_a_plain_float_is_read_exactly(runner: CliRunner) -> None:
    Path("r.toml").write_text(PLAN.replace('start = "0.5"', "start = 0.5"))
    assert plan(runner, "r.toml", "--format", "csv")[0] == 0


def test_a_byte_order_mark_is_accepted(runner: CliRunner) -> None:
    Path("bom.toml").write_text("\ufeff" + PLAN, encoding="utf-8")
    Path("plain.toml").write_text(PLAN, encoding="utf-8")
    with_bom = plan(runner, "bom.toml", "--format", "json")
    assert with_bom == (0, plan(runner, "plain.toml", "--format", "json")[1], "")


def messages(data: str) -> list[str]:
    return [f"{f.code}: {f.message}" for f in check_file(data, "p", CheckOptions())]


def test_a_5000_digit_json_number_in_a_received_plan_is_a_finding() -> None:
    digits = "9" * 5000
    found = messages(f'[{{"step": {digits}, "dose_mg": {digits}, "days": 7}}]')
    assert found[1:3] == [
        f"step-unreadable: step '{digits[:55]}...': not a whole number",
        f"dose-unreadable: dose_mg '{digits[:55]}...': not a number",
    ]


def test_a_json_capsule_count_of_5000_digits_is_a_finding() -> None:
    found = messages('[{"dose_mg": 1, "days": 7, "capsules": {"1.5": ' + "9" * 5000 + "}}]")
    assert found[1].startswith('capsules-unreadable: capsules \'{"1.5": ')


@pytest.mark.parametrize(
    ("first", "days"), [("9999-12-31", "2"), ("2026-01-05", "999999999")], ids=["end", "long"]
)
def test_days_past_the_end_of_the_calendar_are_a_finding(first: str, days: str) -> None:
    found = messages(f"step,start date,days,dose mg\n1,{first},{days},1\n")
    assert found[0] == (
        f"days-unreadable: {days} days from {first} run past 9999-12-31, "
        "the last day of the calendar"
    )


def test_a_days_count_of_ten_to_the_forty_in_a_quantity_check_is_a_finding() -> None:
    found = messages(
        "step,start date,days,dose mg,capsules,quantity\n"
        f"1,2026-01-05,1{'0' * 40},1.5,1 x 1.5 mg,1 x 1.5 mg\n"
    )
    assert found[0] == f"days-unreadable: days '1{'0' * 40}': not a whole number"


def test_steps_ending_on_the_last_day_of_the_calendar_are_compared_without_overflow() -> None:
    found = messages("step,start date,days,dose mg\n1,9999-12-30,,1\n2,9999-12-31,1,1\n")
    assert found[-1] == "summary: 2 steps, 9999-12-30 to 9999-12-31 (2 days); 1 mg throughout"


def test_a_pipe_that_gives_its_bytes_in_pieces_is_read_to_its_end() -> None:
    import os  # noqa: PLC0415
    import threading  # noqa: PLC0415

    from ldn_titrate.app.files import read_at_most  # noqa: PLC0415

    read_end, write_end = os.pipe()

    def write() -> None:
        for piece in (b"step,dose_mg\n", b"1,0.5\n", b"2,1\n"):
            os.write(write_end, piece)
        os.close(write_end)

    writer = threading.Thread(target=write)
    writer.start()
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        assert read_at_most(pipe, 100) == b"step,dose_mg\n1,0.5\n2,1\n"
    writer.join()


@pytest.mark.parametrize(
    ("limit", "expected"), [(5, b"01234"), (10, b"0123456789"), (99, b"0123456789")]
)
def test_a_file_is_read_up_to_its_end_or_the_limit(
    tmp_path: Path, limit: int, expected: bytes
) -> None:
    from ldn_titrate.app.files import read_at_most  # noqa: PLC0415

    path = tmp_path / "plan.csv"
    path.write_bytes(b"0123456789")
    with path.open("rb", buffering=0) as file:
        assert read_at_most(file, limit) == expected
