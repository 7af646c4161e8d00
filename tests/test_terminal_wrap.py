"""Every line printed to a terminal fits its width and never cuts a dose or a date.

The commands run in a real pseudo-terminal of 120, 80, 66, 53 and 40 columns (no COLUMNS
variable: the width is the terminal's own), as people run them under tmux.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_titrate.render import NARROWEST, wrap_line

WIDTHS = (120, 80, 66, 53, 40)
# Bold headings on a terminal: escape codes take no columns.
ESCAPES = re.compile(r"\x1b\[[0-9;]*m")
SPLIT_CAPSULES = [
    "plan",
    "--steps",
    "0.5 mg for 7d, 0.5 mg + 1 mg for 7d, 1.5 mg + 1.5 mg",
    "--form",
    "capsule",
    "--strengths",
    "0.5,1.5",
    "--from",
    "2027-02-01",
]
LIQUID = ["plan", "--start", "0.1", "--target", "1.5", "--step", "0.1", "--every", "7d"]
LIQUID += ["--from", "2027-02-01", "--form", "liquid", "--concentration", "1mg/mL"]
# A dose with its unit, a count of capsules of a strength, a day: never broken across lines.
WHOLE = re.compile(
    r"[0-9]+ × [0-9.]+ mg|[0-9.]+ m[gL]\b"
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}(?: (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun))?"
)


def in_terminal(args: list[str], columns: int, cwd: Path, *, messages: bool = False) -> str:
    """What the command prints to a pseudo-terminal ``columns`` wide (and its messages)."""
    main, side = pty.openpty()
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"COLUMNS", "LINES", "FORCE_COLOR"}
    }
    environment.update({"NO_COLOR": "1", "TERM": "xterm", "LDN_TITRATE_CONFIG": "none"})
    process = subprocess.Popen(
        [sys.executable, "-m", "ldn_titrate", *args],
        stdout=side,
        stderr=side if messages else subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        env=environment,
    )
    os.close(side)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closes when the command ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    process.wait(timeout=60)
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return ESCAPES.sub("", text)


def assert_fits(text: str, columns: int) -> None:
    lines = text.splitlines()
    assert lines, "nothing was printed"
    too_long = [line for line in lines if len(line) > columns and "://" not in line]
    assert too_long == []


@pytest.fixture(scope="module")
def received(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("received")
    (folder / "gap.csv").write_text(
        "step,start_date,end_date,days,dose_mg\n"
        "1,2027-02-01,2027-02-14,14,0.5\n"
        "2,2027-02-20,2027-02-28,9,3.5\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize("columns", WIDTHS)
def test_plan_lines_fit_and_keep_doses_whole(columns: int, tmp_path: Path) -> None:
    for args in (SPLIT_CAPSULES, LIQUID):
        text = in_terminal(args, columns, tmp_path)
        assert_fits(text, columns)
        joined = text.replace("\n  ", " ")
        # Every dose and day found in the unwrapped text is also found on one printed line.
        for whole in set(WHOLE.findall(joined)):
            assert whole in text, whole


@pytest.mark.parametrize("columns", WIDTHS)
def test_replan_lines_fit_and_keep_the_caption(columns: int, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    made = subprocess.run(
        [sys.executable, "-m", "ldn_titrate", *LIQUID, "-o", str(plan)],
        check=False,
        capture_output=True,
        env={**os.environ, "LDN_TITRATE_CONFIG": "none"},
    )
    assert made.returncode == 0, made.stderr
    args = ["replan", str(plan), "--on", "2027-02-20", "--back-down"]
    text = in_terminal(args, columns, tmp_path)
    assert_fits(text, columns)
    assert "Re-planned on 2027-02-20: back down" in text.replace("\n  ", " ")


@pytest.mark.parametrize("columns", WIDTHS)
def test_check_lines_fit_and_keep_dates_whole(columns: int, received: Path) -> None:
    text = in_terminal(["check", "gap.csv", "--meds", "tramadol 50 mg"], columns, received)
    assert_fits(text, columns)
    for day in ("2027-02-20", "2027-02-14", "2027-02-01", "2027-02-28", "0.5 mg", "3.5 mg"):
        assert day in text


WORDS = st.sampled_from(
    ["Take", "naltrexone", "0.5 mg", "0.1 mL", "1 × 0.5 mg", "2026-12-07 Mon", "(4.5 mg", "at"]
)


@given(st.lists(WORDS, min_size=1, max_size=40), st.integers(min_value=0, max_value=130))
def test_wrapping_never_cuts_a_dose_and_never_overflows(words: list[str], width: int) -> None:
    line = " ".join(words)
    lines = wrap_line(line, width)
    assert all(len(piece) <= max(width, NARROWEST) for piece in lines)
    assert all(piece.startswith("  ") for piece in lines[1:])
    # Taking the hanging indents out gives back the line, every dose on one line.
    assert " ".join(piece.strip() for piece in lines) == line
    for word in words:
        assert any(word in piece for piece in lines)


def test_a_split_plan_caption_says_morning_and_bedtime(tmp_path: Path) -> None:
    args = ["plan", "--start", "1", "--target", "3", "--step", "1", "--every", "7d", "--split"]
    text = in_terminal([*args, "--from", "2027-02-01"], 120, tmp_path)
    assert (
        "Take each dose by mouth, the morning dose in the morning and the bedtime dose at "
        "bedtime." in text.replace("\n  ", " ")
    )
    assert "once daily" not in text


def test_a_partly_split_plan_caption_names_both(tmp_path: Path) -> None:
    args = ["plan", "--steps", "0.5 mg for 7d, 0.5 mg + 1 mg", "--from", "2027-02-01"]
    text = in_terminal(args, 120, tmp_path).replace("\n  ", " ")
    assert (
        "Take each dose by mouth once daily at bedtime; on a step with two doses, the morning "
        "dose in the morning and the bedtime dose at bedtime." in text
    )


@pytest.mark.parametrize("columns", [80, 53, 40])
def test_messages_on_a_terminal_are_wrapped_too(columns: int, tmp_path: Path) -> None:
    args = [*LIQUID, "--meds", "Tramal 50 mg", "--meds-reviewed"]
    text = in_terminal(args, columns, tmp_path, messages=True)
    assert_fits(text, columns)
    joined = text.replace("\n  ", " ")
    assert (
        "warning: --meds: Tramal (tramadol) is an opioid; naltrexone is contraindicated" in joined
    )
    assert "opioid-free for at least 7–10 days before the first dose" in joined
