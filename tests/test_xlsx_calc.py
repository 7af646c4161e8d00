"""A real client: LibreOffice Calc opens the workbook headless and prints it to PDF.

The printed size of the text is measured in the PDF: the height of each word's box, against
the height of the same font printed at full size (11 points) from a one-cell workbook in the
same run, so that the figure does not depend on which font the machine substitutes.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import Counter
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
if MISSING:
    print(f"test_xlsx_calc: skipped, {', '.join(MISSING)} not installed")  # noqa: T201
pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"{', '.join(MISSING)} not installed (Debian: libreoffice-calc-nogui poppler-utils)",
)
PAPERS = ("a4", "letter")
# Landscape page sizes in points, as pdfinfo reports them.
PAGE_SIZES = {"a4": r"841\.89 x 595\.[0-9]+ pts \(A4\)", "letter": r"792 x 612 pts \(letter\)"}
SMALLEST_POINTS = 10
WORD = re.compile(r'<word xMin="[0-9.]+" yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">')
# Up to 4.5 mg, then down and up again: the turns add the Note column.
TWELVE = (
    ", ".join(
        f"{dose} mg for 7d"
        for dose in ["0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4", "4.5", "4", "3.5"]
    )
    + ", 4 mg"
)
TWELVE_SPLIT = (
    "0.5 mg for 7d, 0.5 mg + 0.5 mg for 7d, 0.5 mg + 1 mg for 7d, 1 mg + 1 mg for 7d, "
    "1 mg + 1.5 mg for 7d, 1.5 mg + 1.5 mg for 7d, 1.5 mg + 2 mg for 7d, 2 mg + 2 mg for 7d, "
    "2 mg + 2.5 mg for 7d, 1.5 mg + 2.5 mg for 7d, 1 mg + 3 mg for 7d, 1.5 mg + 3 mg"
)
# Twelve steps in every formulation, the widest tables the writer makes (split, with notes).
TWELVE_STEP_PLANS: dict[str, dict[str, Raw]] = {
    "none": {"steps": TWELVE},
    "liquid": {"steps": TWELVE, "form": "liquid", "concentration": "1", "graduation": "0.1"},
    "capsule": {"steps": TWELVE, "form": "capsule", "strengths": "1.5,0.5"},
    "split-capsule": {"steps": TWELVE_SPLIT, "form": "capsule", "strengths": "1.5,0.5"},
    "split-liquid": {
        "steps": TWELVE_SPLIT,
        "form": "liquid",
        "concentration": "1",
        "graduation": "0.1",
    },
}


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


def twelve_steps(**values: Raw) -> Schedule:
    return build_schedule(build_request({"from": "2025-01-06", **values}, {}, date(2025, 1, 6)))


def to_pdf(books: dict[str, bytes], folder: Path) -> dict[str, Path]:
    """Each workbook printed to PDF by Calc in one run, with a calibration sheet beside them."""
    calibration = openpyxl.Workbook()
    sheet = calibration.active
    assert sheet is not None
    sheet["A1"] = "Calibration 0.5 mg"  # the default font, 11 points, printed at full size
    out = io.BytesIO()
    calibration.save(out)
    sources = []
    for name, data in {**books, "calibration": out.getvalue()}.items():
        (folder / f"{name}.xlsx").write_bytes(data)
        sources.append(str(folder / f"{name}.xlsx"))
    profile = folder / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *sources,
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return {name: folder / f"{name}.pdf" for name in [*books, "calibration"]}


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


def word_heights(pdf: Path) -> list[float]:
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    return [float(bottom) - float(top) for top, bottom in WORD.findall(boxes)]


def printed_points(pdf: Path, calibration: Path) -> Counter[float]:
    """How many words print at each size, in points, to a tenth."""
    full = max(word_heights(calibration))
    return Counter(round(11 * height / full, 1) for height in word_heights(pdf))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    liquid = nine_steps(form="liquid", concentration="5", graduation="0.1", bud="60")
    books = {
        f"nine-{paper}": xlsx_format.write(
            liquid, WriteOptions(prescriber="Dr Ö. Smith", pharmacy="=Rx", paper=paper)
        )
        for paper in PAPERS
    }
    books["capsules"] = xlsx_format.write(
        nine_steps(start="1.5", target="4.5", step="1.5", form="capsule", strengths="1.5,0.5")
    )
    for name, values in TWELVE_STEP_PLANS.items():
        for paper in PAPERS:
            books[f"twelve-{name}-{paper}"] = xlsx_format.write(
                twelve_steps(**values), WriteOptions(paper=paper)
            )
    # A pharmacist corrects a dose by hand: 0.5 becomes 0.75.
    book = openpyxl.load_workbook(io.BytesIO(books["nine-a4"]))
    sheet = book["Schedule"]
    row = next(r for r in range(1, 20) if sheet.cell(row=r, column=1).value == "Step") + 1
    sheet.cell(row=row, column=5).value = 0.75
    edited = io.BytesIO()
    book.save(edited)
    books["edited"] = edited.getvalue()
    return to_pdf(books, tmp_path_factory.mktemp("calc"))


@pytest.mark.parametrize("paper", PAPERS)
def test_a_nine_step_plan_prints_on_one_page_per_sheet(pdfs: dict[str, Path], paper: str) -> None:
    details = info(pdfs[f"nine-{paper}"])
    assert details["Pages"] == "2"  # the Schedule, then the Dispense sheet
    assert re.fullmatch(PAGE_SIZES[paper], details["Page size"])


@pytest.mark.parametrize("paper", PAPERS)
def test_the_printed_schedule_holds_every_step(pdfs: dict[str, Path], paper: str) -> None:
    schedule = nine_steps(form="liquid", concentration="5", graduation="0.1", bud="60")
    text = page_text(pdfs[f"nine-{paper}"], 1)
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
        row = rf"^ *{step.number} +{first} +{last} +{step.days} +{dose} +{volume} +Take"
        assert re.search(row, text, re.MULTILINE), (row, text)
    # The footer prints whole, below the table: the page of the whole printout.
    assert re.search(r"Schedule, page 1 of 2\n", text)


def test_the_printed_dispense_sheet_holds_the_totals_and_fills(pdfs: dict[str, Path]) -> None:
    text = page_text(pdfs["nine-a4"], 2)
    assert re.search(r"Titration total +56 +25\.2\n", text)
    assert re.search(r"Maintenance total +28 +25\.2\n", text)
    assert re.search(r"Grand total +84 +50\.4\n", text)
    assert re.search(r" 1 +2026-12-07 Mon +2027-02-04 Thu +2026-12-07 Mon +28\.8\n", text)
    assert re.search(r" 2 +2027-02-05 Fri +2027-02-28 Sun +2027-02-05 Fri +21\.6\n", text)
    assert re.search(r"Dispense, page 2 of 2\n", text)


def test_capsule_counts_print_with_their_times_sign(pdfs: dict[str, Path]) -> None:
    text = page_text(pdfs["capsules"], 1)
    assert "Ã" not in text
    # The capsule cell never touches the dose before it.
    assert re.search(
        r"^ *3 +2026-12-21 Mon +2027-01-17 Sun +28 +4\.5 +3 × 1\.5 mg +Take", text, re.MULTILINE
    )


def test_a_corrected_dose_prints_as_typed(pdfs: dict[str, Path]) -> None:
    text = page_text(pdfs["edited"], 1)
    assert re.search(
        r"^ *1 +2026-12-07 Mon +2026-12-13 Sun +7 +0\.75 +0\.1 +Take", text, re.MULTILINE
    )


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("name", list(TWELVE_STEP_PLANS))
def test_twelve_steps_print_at_ten_points_or_more(
    pdfs: dict[str, Path], name: str, paper: str
) -> None:
    pdf = pdfs[f"twelve-{name}-{paper}"]
    sizes = printed_points(pdf, pdfs["calibration"])
    body = sizes.most_common(1)[0][0]
    print(f"{name} on {paper}: body text {body} pt, smallest {min(sizes)} pt")  # noqa: T201
    assert min(sizes) >= SMALLEST_POINTS, sizes
    assert re.fullmatch(PAGE_SIZES[paper], info(pdf)["Page size"])
    pages = int(info(pdf)["Pages"])
    texts = [page_text(pdf, n) for n in range(1, pages + 1)]
    # Every step is printed, and every page's footer whole.
    assert all(re.search(rf"^ *{n} +2025-", "".join(texts), re.MULTILINE) for n in range(1, 13))
    assert all(re.search(r"(Schedule|Dispense), page [0-9]+ of [0-9]+\n", t) for t in texts)
