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


TWELVE = ", ".join(
    f"{d} mg for 7d" for d in ["0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4", "4.5", "4", "3.5"]
)
TWELVE += ", 4 mg"
FORMS = {
    "plain": [],
    "liquid": ["--form", "liquid", "--concentration", "1mg/mL"],
    "capsule": ["--form", "capsule", "--strengths", "1.5,0.5"],
}


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize(
    ("form", "start"),
    [("plain", "2025-02-28"), ("liquid", "2025-01-31"), ("capsule", "2025-01-29")],
)
def test_twelve_steps_from_any_day_print_on_two_pages(
    tmp_path: Path, form: str, start: str, paper: str
) -> None:
    """Twelve weekly steps that cross two months' ends, in every once-daily formulation."""
    args = ["plan", "--steps", TWELVE, "--from", start, *FORMS[form], "--paper", paper]
    html = tmp_path / "twelve.html"
    result = CliRunner().invoke(app, [*args, "-o", str(html)])
    assert result.exit_code == 0, result.stderr
    pdf = tmp_path / "twelve.pdf"
    print_to_pdf(html, pdf, tmp_path / "profile")
    print(f"12 steps, {form}, from {start} on {paper}: {pages(pdf)} pages")  # noqa: T201
    assert pages(pdf) == 2
    assert "Tick each dose when you take it" in text(pdf)


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
