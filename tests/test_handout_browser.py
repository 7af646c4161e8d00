"""The handout in a real browser: headless Chromium prints it on A4 and US Letter.

Skipped, with the reason printed, only where no Chromium or poppler is installed
(``.ci/run`` installs both on Debian).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_titrate.cli import app
from ldn_titrate.doses import format_mg
from ldn_titrate.formats.handout import day_text
from ldn_titrate.formats.json_format import loads

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
POPPLER = shutil.which("pdfinfo") and shutil.which("pdftotext")
MISSING = [
    name for name, found in (("chromium", CHROMIUM), ("poppler-utils", POPPLER)) if not found
]
if MISSING:
    print(f"test_handout_browser: skipped, {' and '.join(MISSING)} not installed")  # noqa: T201
pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"{' and '.join(MISSING)} not installed (apt-get install -y chromium poppler-utils)",
)

# Nine weekly steps, 0.5 mg to 4.5 mg, once as plain doses and once as a 5 mg/mL liquid;
# and a split plan.
PLANS = {
    "trust": ["examples/ldn-trust-0.5mg-weekly.toml"],
    "moser": ["examples/moser-5mg-per-ml-liquid.toml"],
    "split": ["examples/ldn-trust-split-daytime-dose.toml"],
}


def print_to_pdf(html: Path, pdf: Path, profile: Path) -> None:
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    (count,) = re.findall(r"^Pages:\s+(\d+)$", info.stdout, re.MULTILINE)
    return int(count)


def text(pdf: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    )
    return re.sub(r"\s+", " ", out.stdout)


@pytest.mark.parametrize("size", ["A4", "letter"])
@pytest.mark.parametrize("name", list(PLANS))
def test_printed_on_two_pages_with_every_step(tmp_path: Path, name: str, size: str) -> None:
    runner = CliRunner()
    args = ["plan", *(str(ROOT / a) for a in PLANS[name])]
    page = runner.invoke(app, [*args, "--format", "html"]).stdout
    steps = loads(runner.invoke(app, [*args, "--format", "json"]).stdout, name)
    # The paper size a printer would choose, set as a user's print dialog would.
    html = tmp_path / f"{name}.html"
    html.write_text(page.replace("</style>", f"@page {{ size: {size}; }}</style>"), "utf-8")
    pdf = tmp_path / f"{name}.pdf"
    print_to_pdf(html, pdf, tmp_path / "profile")
    assert pages(pdf) <= 2
    printed = text(pdf)
    for step in steps:
        assert day_text(step.first_day) in printed
        if step.last_day is not None:
            assert day_text(step.last_day) in printed
        assert format_mg(step.dose_mg) in printed
        for taken in step.administrations:
            assert format_mg(taken.dose_mg) in printed
    assert "Go back to the last dose and tell your prescriber." in printed


# Twelve doses of each kind: once daily, and split into a morning and a bedtime dose.
ONCE = ["0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4", "4.5", "4", "3.5", "4"]
SPLIT = ["0.5", "1", "1.5", "0.5 + 1.5", "0.5 + 2", "1 + 2", "1 + 2.5", "1.5 + 2.5", "1.5 + 3"]
SPLIT += ["1 + 3", "1 + 2.5", "1 + 3"]
FORMS = {
    "plain": (ONCE, []),
    "liquid": (ONCE, ["--form", "liquid", "--concentration", "5mg/mL"]),
    "two strengths": (ONCE, ["--form", "capsule", "--strengths", "1.5,0.5"]),
    "split": (SPLIT, []),
    "split liquid": (SPLIT, ["--form", "liquid", "--concentration", "1mg/mL"]),
    "split two strengths": (SPLIT, ["--form", "capsule", "--strengths", "1.5,0.5"]),
}
# A year's end on a Sunday, a Monday, two months' ends, a leap day's month.
STARTS = ["2024-12-29", "2025-01-06", "2025-01-31", "2025-02-28", "2024-02-26"]


def steps_text(doses: list[str], count: int, every: str = "7d") -> str:
    """The first ``count`` doses as --steps, each but the last lasting ``every``."""
    steps = [f"{d.replace(' + ', ' mg + ')} mg" for d in doses[:count]]
    return ", ".join([*(f"{s} for {every}" for s in steps[:-1]), steps[-1]])


def printed_pages(tmp_path: Path, args: list[str]) -> tuple[int, str]:
    html = tmp_path / "plan.html"
    result = CliRunner().invoke(app, ["plan", *args, "--format", "html", "-o", str(html)])
    assert result.exit_code == 0, result.stderr
    pdf = tmp_path / "plan.pdf"
    print_to_pdf(html, pdf, tmp_path / "profile")
    return pages(pdf), text(pdf)


@pytest.mark.parametrize("count", range(1, 13))
@pytest.mark.parametrize("form", list(FORMS))
def test_up_to_twelve_steps_print_on_two_pages(tmp_path: Path, form: str, count: int) -> None:
    """Every formulation, 1 to 12 weekly steps, on US Letter (the shorter page), from a start
    date that turns with the count, with a label long enough to take two lines."""
    doses, options = FORMS[form]
    start = STARTS[count % len(STARTS)]
    args = ["--steps", steps_text(doses, count), "--from", start, *options, "--paper", "letter"]
    args += ["--label", "Initials A.B., Rx 123456, " + "a long free-text label " * 5]
    count_pages, printed = printed_pages(tmp_path, args)
    print(f"{count} steps, {form}, from {start} on letter: {count_pages} pages")  # noqa: T201
    assert count_pages <= 2
    assert "Tick each dose when you take it" in printed


@pytest.mark.parametrize("every", ["3d", "8d", "10d", "2w", "1mo"])
def test_twelve_split_steps_of_any_length_print_on_two_pages(tmp_path: Path, every: str) -> None:
    """Steps that do not fill whole weeks split the calendar's weeks into short runs."""
    doses, options = FORMS["split two strengths"]
    args = ["--steps", steps_text(doses, 12, every), "--from", "2024-12-29", *options]
    count_pages, _ = printed_pages(tmp_path, [*args, "--paper", "letter"])
    print(f"12 split steps of {every}, two strengths, on letter: {count_pages} pages")  # noqa: T201
    assert count_pages <= 2


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_nine_steps_from_6_january_2025_print_on_two_pages(tmp_path: Path, paper: str) -> None:
    args = ["plan", "--start", "0.5", "--target", "4.5", "--step", "0.5", "--every", "7d"]
    args += ["--from", "2025-01-06", "--paper", paper, "--label", "A" * 150]
    html = tmp_path / "nine.html"
    assert CliRunner().invoke(app, [*args, "-o", str(html)]).exit_code == 0
    pdf = tmp_path / "nine.pdf"
    print_to_pdf(html, pdf, tmp_path / "profile")
    assert pages(pdf) == 2
    size = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert ("(A4)" if paper == "a4" else "612 x 792 pts (letter)") in size.stdout
    # The long label wraps: the page keeps its width and its text size.
    assert "A" * 40 in text(pdf)
