"""A liquid plan made for any syringe records the syringe, and checks clean from every file."""

from __future__ import annotations

from datetime import date

import pytest

from ldn_titrate.check import check_file, options_from_text
from ldn_titrate.formats import WRITERS, Format, WriteOptions
from ldn_titrate.request import build_request
from ldn_titrate.rules import build_schedule

LIQUID = {
    "start": "0.5",
    "target": "1.5",
    "step": "0.25",
    "every": "7d",
    "from": "2026-12-07",
    "form": "liquid",
    "concentration": "1",
}


def written(graduation: str, fmt: Format, step: str = "0.25") -> str | bytes:
    values = {**LIQUID, "graduation": graduation, "step": step}
    schedule = build_schedule(build_request(values, {}, date(2026, 12, 7)))
    return WRITERS[fmt](schedule, WriteOptions())


@pytest.mark.parametrize("fmt", [Format.CSV, Format.FHIR, Format.JSON])
@pytest.mark.parametrize("graduation", ["0.01", "0.05", "0.25"])
def test_a_plan_for_a_finer_or_coarser_syringe_checks_clean(graduation: str, fmt: Format) -> None:
    findings = check_file(written(graduation, fmt), f"plan.{fmt}", options_from_text())
    assert [(f.code, f.message) for f in findings if f.code != "summary"] == []


def test_the_csv_names_the_syringe_after_the_volume() -> None:
    text = written("0.05", Format.CSV)
    assert isinstance(text, str)
    header, first = text.splitlines()[:2]
    assert header == (
        "step,start_date,end_date,days,dose_mg,volume_ml,graduation_ml,quantity,instructions,label"
    )
    assert first.startswith("1,2026-12-07,2026-12-13,7,0.5,0.5,0.05,3.5 mL,")


def test_the_csv_of_the_usual_syringe_keeps_its_columns() -> None:
    text = written("0.1", Format.CSV, step="0.5")
    assert isinstance(text, str)
    assert text.splitlines()[0] == (
        "step,start_date,end_date,days,dose_mg,volume_ml,quantity,instructions,label"
    )


def test_a_volume_off_the_recorded_syringe_is_still_found() -> None:
    text = written("0.05", Format.CSV)
    assert isinstance(text, str)
    coarse = text.replace(",0.05,", ",0.5,")
    findings = check_file(coarse, "plan.csv", options_from_text())
    assert "volume-off-graduation" in [f.code for f in findings]


def test_the_fhir_note_names_the_syringe() -> None:
    text = written("0.05", Format.FHIR)
    assert isinstance(text, str)
    assert '"text": "Measure each dose on an oral syringe marked every 0.05 mL."' in text
