"""Medicine lists a plan records, by name and by code, and common medicines that are no opioid."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ldn_titrate.check import CheckOptions, Code, Finding, Severity, check_plan
from ldn_titrate.check.meds import screen
from ldn_titrate.cli import app
from ldn_titrate.received.model import MedList, ReceivedPlan

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
COMMON = Path(__file__).parent / "data" / "common-medicines.txt"
TRAMADOL = (
    "is an opioid; naltrexone is contraindicated with opioids and can bring on withdrawal: "
    "the patient must be opioid-free for at least 7–10 days before the first dose"
)


def _common() -> list[str]:
    lines = COMMON.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def _listed(*lists: MedList) -> list[Finding]:
    plan = ReceivedPlan("p.json", rows=(), columns=frozenset(), med_lists=lists)
    found = check_plan(plan, CheckOptions())
    return [f for f in found if f.code != Code.NO_STEPS]


def test_the_common_medicines_list_has_at_least_300_names() -> None:
    assert len(_common()) >= 300


@pytest.mark.parametrize("name", _common())
def test_a_common_medicine_is_never_an_error_nor_a_warning(name: str) -> None:
    assert screen(name) == []
    assert screen(f"{name.upper()} 20 mg daily") == []


def test_all_the_common_medicines_in_one_list_are_clean() -> None:
    assert screen(", ".join(_common())) == []
    assert screen("\n".join(_common())) == []


def test_among_common_medicines_only_the_antagonists_are_warnings() -> None:
    text = ", ".join([*_common(), "Relistor 150 mg", "nalmefene", "Lybalvi"])
    assert [hit.code for hit in screen(text)] == [Code.ANTAGONIST] * 3


def test_a_fhir_coding_with_the_rxnorm_system_is_matched_by_code() -> None:
    found = _listed(MedList("FHIR MedicationStatement", "", codes=(f"{RXNORM}|10689",)))
    assert [(f.code, f.message) for f in found] == [
        (
            Code.OPIOID,
            "the plan's medicine list (FHIR MedicationStatement): rxnorm:10689 (tramadol) "
            + TRAMADOL,
        )
    ]


def test_a_code_the_data_does_not_know_falls_back_to_its_display_text() -> None:
    found = _listed(MedList("FHIR MedicationStatement", "Ultram 50 mg", codes=(f"{RXNORM}|1",)))
    assert [f.message.split(": ", 1)[1] for f in found] == [f"Ultram (tramadol) {TRAMADOL}"]


def test_a_reviewed_list_turns_errors_into_warnings_but_keeps_the_antagonist_code() -> None:
    listed = MedList('JSON key "medications"', "tramadol; Relistor", reviewed=True)
    assert [(f.severity, f.code) for f in _listed(listed)] == [
        (Severity.WARNING, Code.MEDS_REVIEWED),
        (Severity.WARNING, Code.ANTAGONIST),
    ]


def test_loperamide_in_a_list_is_a_warning_that_says_why() -> None:
    found = _listed(MedList('column "Current medications"', "loperamide 2 mg prn"))
    assert [(f.severity, f.code) for f in found] == [(Severity.WARNING, Code.GUT_OPIOID)]
    assert "acts in the gut" in found[0].message
    assert "opioid-free" not in found[0].message


def _run(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


PLAN = ["plan", "--start", "0.5", "--target", "1", "--step", "0.5", "--every", "7d"]
PLAN += ["--from", "2026-12-07"]


def test_plan_meds_takes_an_rxnorm_code(runner: CliRunner) -> None:
    result = _run(runner, *PLAN, "--meds", "rxnorm:10689")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: --meds: rxnorm:10689 (tramadol) {TRAMADOL}\n"


def test_plan_meds_with_loperamide_plans_with_a_warning(runner: CliRunner) -> None:
    result = _run(runner, *PLAN, "--meds", "loperamide", "--format", "csv")
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: --meds: loperamide is an opioid antidiarrhoeal that acts in the gut and hardly "
        "reaches the brain at usual doses, so it needs no washout; naltrexone may weaken its "
        "effect: tell the pharmacist\n"
    )


def test_check_meds_takes_an_rxnorm_code(runner: CliRunner, tmp_path: Path) -> None:
    plan = tmp_path / "p.csv"
    plan.write_text("first_day,last_day,dose_mg\n2026-12-07,2026-12-13,0.5\n", encoding="utf-8")
    result = _run(runner, "check", str(plan), "--meds", "rxnorm:10689", "--format", "json")
    assert result.exit_code == 1
    assert f"rxnorm:10689 (tramadol) {TRAMADOL}" in result.stdout
