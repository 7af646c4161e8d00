"""Build the .xlsx plans of tests/data/check: written by ``plan`` and ``replan``, or by hand.

Run from the repository's root: ``python tests/data/make_check_workbooks.py``. Each workbook
is committed; its exact findings are in tests/data/check/expected.json.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl

CHECK = Path(__file__).parent / "check"
PLAN = ("--start", "0.5", "--target", "4.5", "--step", "0.5", "--every", "7d")
FROM = ("--from", "2026-12-07")
LIQUID = ("--form", "liquid", "--concentration", "1mg/mL")
DETAILS = ("--label", "J.D. Rx 123", "--prescriber", "Dr A. Smith", "--pharmacy", "High St")


def tool(*args: str) -> None:
    """Run ldn-titrate with no config file."""
    env = {**os.environ, "LDN_TITRATE_CONFIG": "none"}
    subprocess.run([sys.executable, "-m", "ldn_titrate", *args], check=True, env=env)


def written() -> None:
    """Workbooks this tool writes: each must check with no finding beyond the summary."""
    out = ("--format", "xlsx", "--force", "-o")
    tool("plan", *PLAN, *FROM, *LIQUID, *DETAILS, *out, str(CHECK / "written-liquid.xlsx"))
    capsules = ("--form", "capsule", "--strengths", "1.5,0.5")
    tool("plan", *PLAN, *FROM, *capsules, *out, str(CHECK / "written-capsule.xlsx"))
    split = ("--start", "1", "--target", "4", "--step", "1", "--every", "7d", "--split")
    tool("plan", *split, *FROM, *LIQUID, *out, str(CHECK / "written-split.xlsx"))
    base = CHECK.parent / "replan-base.json"
    tool("plan", *PLAN, *FROM, *LIQUID, "--format", "json", "--force", "-o", str(base))
    tool(
        "replan", str(base), "--on", "2026-12-23", "--back-down", *LIQUID, *out,
        str(CHECK / "written-replanned.xlsx"),
    )  # fmt: skip
    base.unlink()


def book(*sheets: tuple[str, str, list[list[object]]]) -> openpyxl.Workbook:
    """A workbook of (title, state, rows) sheets."""
    made = openpyxl.Workbook()
    first = made.active
    assert first is not None
    made.remove(first)
    for title, state, rows in sheets:
        sheet = made.create_sheet(title)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    return made


STEPS: list[list[object]] = [
    ["Start date", "Dose (mg)"],
    [date(2026, 12, 7), 0.5],
    [date(2026, 12, 14), 1],
    [date(2026, 12, 21), 1.5],
]


def by_hand() -> None:
    """Workbooks as other people make them: sheets, names and lines that must be accounted for."""
    meds: list[list[object]] = [
        ["Current medications"],
        ["Sertraline 50 mg"],
        ["Tramadol 50 mg twice daily"],
    ]
    book(
        ("Schedule", "visible", STEPS),
        ("Meds", "hidden", meds),
        ("Sheet3", "visible", []),
    ).save(CHECK / "sheets-hidden-meds.xlsx")
    notes: list[list[object]] = [["Increase to 3 mg twice daily if tolerated"], ["Call on day 3"]]
    book(("Schedule", "visible", STEPS), ("Notes", "veryHidden", notes)).save(
        CHECK / "sheets-very-hidden-notes.xlsx"
    )
    old: list[list[object]] = [
        ["Date", "Dose (mg)"],
        [date(2026, 11, 1), 50],
        [date(2026, 11, 8), 50],
    ]
    book(("Schedule", "visible", STEPS), ("Old plan", "hidden", old)).save(
        CHECK / "sheets-second-schedule.xlsx"
    )
    liquid: list[list[object]] = [
        ["Date", "Dose (mg)", "Volume (mL)"],
        [date(2026, 12, 7), 0.5, 0.5],
        [date(2026, 12, 14), 1, 1],
    ]
    book(("LDN 5 mg per mL", "visible", liquid)).save(CHECK / "strength-sheet-name.xlsx")
    lines: list[list[object]] = [
        ["LDN titration for J. Doe"],
        [],
        *STEPS,
        ["Every dose is taken by mouth once daily at bedtime."],
        ["Hold at 1 mg if vivid dreams persist"],
        ["Medications: oxycodone 5 mg, paracetamol 1 g"],
    ]
    book(("Plan", "visible", lines)).save(CHECK / "workbook-lines-below.xlsx")
    commas: list[list[object]] = [
        ["Beginn", "Ende", "Dosis (mg)"],
        [date(2026, 12, 7), date(2026, 12, 13), "0,5"],
        [date(2026, 12, 14), date(2026, 12, 20), "1,25"],
        [date(2026, 12, 21), None, "1,500"],
    ]
    book(("Plan", "visible", commas)).save(CHECK / "workbook-decimal-commas.xlsx")


if __name__ == "__main__":
    written()
    by_hand()
