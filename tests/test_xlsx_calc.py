"""A real client: LibreOffice Calc opens the workbook headless and prints it to PDF."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from ldn_titrate.doses import format_number
from ldn_titrate.formats import WriteOptions, xlsx_format
from ldn_titrate.model import Schedule
from ldn_titrate.request import Raw, build_request
from ldn_titrate.rules import build_schedule

TOOLS = ("soffice", "pdftotext", "pdfinfo")
MISSING = [tool for tool in TOOLS if shutil.which(tool) is None]
pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"{', '.join(MISSING)} not installed (Debian: libreoffice-calc-nogui poppler-utils)",
)
# openpyxl's paper sizes: 1 is US Letter, 9 is A4; None leaves it to the printing machine.
PAPERS = {"default": None, "a4": 9, "letter": 1}
# Landscape page sizes in points, as pdfinfo reports them.
PAGE_SIZES = {"a4": r"841\.89 x 595\.[0-9]+ pts \(A4\)", "letter": r"792 x 612 pts \(letter\)"}


def nine_steps(**changes: Raw) -> Schedule:
    values: dict[str, Raw] = {
        "start": "0.5",
        "target": "4.5",
        "step": "0.5",
        "every": "7d",
        "from": "2026-12-07",
        "maintenance_days": "28",
        "label": "Zoë 0012345",
        **changes,
    }
    return build_schedule(build_request(values, {}, date(2026, 12, 7)))


def printed(schedule: Schedule, tmp_path: Path) -> dict[str, Path]:
    """The workbook on each paper, converted to PDF by Calc; the PDFs by paper."""
    data = xlsx_format.write(schedule, WriteOptions(prescriber="Dr Ö. Smith", pharmacy="=Rx"))
    sources = []
    for paper, size in PAPERS.items():
        book = openpyxl.load_workbook(io.BytesIO(data))
        for sheet in book.worksheets:
            sheet.page_setup.paperSize = size
        source = tmp_path / f"{paper}.xlsx"
        if size is None:
            source.write_bytes(data)
        else:
            book.save(source)
        sources.append(str(source))
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *sources,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {paper: tmp_path / f"{paper}.pdf" for paper in PAPERS}


def info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(
        ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout


@pytest.fixture(scope="module")
def liquid_pdfs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Schedule, dict[str, Path]]:
    schedule = nine_steps(form="liquid", concentration="5", graduation="0.1", bud="60")
    return schedule, printed(schedule, tmp_path_factory.mktemp("calc"))


@pytest.mark.parametrize("paper", list(PAPERS))
def test_a_nine_step_plan_prints_on_one_page_per_sheet(
    liquid_pdfs: tuple[Schedule, dict[str, Path]], paper: str
) -> None:
    _, pdfs = liquid_pdfs
    details = info(pdfs[paper])
    assert details["Pages"] == "2"  # the Schedule, then the Dispense sheet
    if paper in PAGE_SIZES:
        assert re.fullmatch(PAGE_SIZES[paper], details["Page size"])


@pytest.mark.parametrize("paper", list(PAPERS))
def test_the_printed_schedule_holds_every_step(
    liquid_pdfs: tuple[Schedule, dict[str, Path]], paper: str
) -> None:
    schedule, pdfs = liquid_pdfs
    text = page_text(pdfs[paper], 1)
    assert "Ã" not in text
    assert "Zoë 0012345" in text
    assert "Dr Ö. Smith" in text
    assert re.search(r"Pharmacy +=Rx\n", text)
    assert "Naltrexone 5 mg/mL oral liquid (5 mg in 1 mL)" in text
    for step in schedule.steps:
        assert step.last_day is not None
        assert step.volume_ml is not None
        first, last = (f"{d.isoformat()} {d:%a}" for d in (step.first_day, step.last_day))
        dose, volume = (re.escape(format_number(n)) for n in (step.dose_mg, step.volume_ml))
        row = rf"^ *{step.number} +{first} +{last} +{step.days} +{dose} +{volume} "
        assert re.search(row, text, re.MULTILINE), (row, text)


def test_the_printed_dispense_sheet_holds_the_totals_and_fills(
    liquid_pdfs: tuple[Schedule, dict[str, Path]],
) -> None:
    _, pdfs = liquid_pdfs
    text = page_text(pdfs["default"], 2)
    assert re.search(r"Titration total +56 +25\.2\n", text)
    assert re.search(r"Maintenance total +28 +25\.2\n", text)
    assert re.search(r"Grand total +84 +50\.4\n", text)
    assert re.search(r" 1 +2026-12-07 Mon +2027-02-04 Thu +2026-12-07 Mon +28\.8\n", text)
    assert re.search(r" 2 +2027-02-05 Fri +2027-02-28 Sun +2027-02-05 Fri +21\.6\n", text)


def test_capsule_counts_print_with_their_times_sign(tmp_path: Path) -> None:
    schedule = nine_steps(
        start="1.5", target="4.5", step="1.5", form="capsule", strengths="1.5,0.5"
    )
    text = page_text(printed(schedule, tmp_path)["default"], 1)
    assert "Ã" not in text
    assert "3 × 1.5 mg" in text
    assert re.search(
        r"^ *3 +2026-12-21 Mon +2027-01-17 Sun +28 +4\.5 +3 × 1\.5 mg +84 +0 ", text, re.MULTILINE
    )
