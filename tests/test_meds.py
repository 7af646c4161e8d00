"""The medicine screen: every name in its data is found however it is written."""

from __future__ import annotations

import time

import pytest

from ldn_titrate.check import Code
from ldn_titrate.check.meds import normalise, screen


def _codes(text: str) -> list[Code]:
    return [hit.code for hit in screen(text)]


@pytest.mark.parametrize(
    "text",
    [
        "\uff54\uff52\uff41\uff4d\uff41\uff44\uff4f\uff4c",  # full-width tramadol
        "tra\u00admadol",
        "tra\u200bma\u200ddol",
        "tra\u20ddmadol",  # an enclosing mark inside the name
        "\ufefftramadol",
        "Codéine",
        "méthadone",
        "codeïne",
        "OXYCODON",
        "Morphin",
        "morfine",
        "co codamol",
        "cocodamol",
        "co\u2010dydramol",
        "Tylenol No. 3",
        "Nurofen  Plus",
        "Targin 10/5",
        "Suboxone film",
        "Tilidin N",
    ],
)
def test_names_are_found_after_normalisation(text: str) -> None:
    assert len(screen(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "paracetamol",
        "ibuprofen",
        "Nurofen",
        "vitamin D",
        "levothyroxine",
        "metformin",
        "naproxen",
        "Tylenol",
        "naloxone",
        "naltrexone 4.5 mg",
        "morphinex",
        "premorphine",
        "codeinefree",
        "atramadol",
        "targinine",
        "norcodeine-free",
        "",
    ],
)
def test_non_opioids_and_words_that_only_contain_a_name_are_not_found(text: str) -> None:
    assert screen(text) == []


def test_the_message_shows_the_name_as_written_without_invisible_characters() -> None:
    (hit,) = screen("CO-CO\u00adDAMOL 30/500")
    assert hit.message.startswith("CO-CODAMOL (codeine) is an opioid;")


def test_mysimba_is_a_second_naltrexone_product() -> None:
    (hit,) = screen("Mysimba")
    assert hit.message == (
        "Mysimba is naltrexone and bupropion, a second naltrexone product on top of the low "
        "dose; do not combine them"
    )


def test_a_brand_and_its_generic_are_one_finding() -> None:
    assert _codes("Targin and oxycodone; OxyNorm") == [Code.OPIOID]


def test_normalise_keeps_an_index_into_the_text_as_written() -> None:
    text, where = normalise("Ａé\u00adb")
    assert text == "aeb"
    assert where == [0, 1, 3]


_LOW_DOSE = "a second naltrexone product on top of the low dose; do not combine them"
_CONTRA = "naltrexone is contraindicated with opioids and can bring on withdrawal"
_SHORT = "the patient must be opioid-free for at least 7–10 days before the first dose"


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        (
            "tramadol 50 mg",
            [f"tramadol is an opioid; {_CONTRA}: {_SHORT}"],
        ),
        (
            "Kratom tea",
            [f"Kratom is an opioid-like botanical; {_CONTRA}: {_SHORT}"],
        ),
        (
            "methadone 40 mg",
            [
                (
                    f"methadone is an opioid; {_CONTRA}: after methadone or buprenorphine "
                    "the patient must be opioid-free for 10–14 days before the first dose"
                )
            ],
        ),
        (
            "naltrexone 50 mg daily, Naltrexone HCl  100mg at night",
            [f"naltrexone 50 mg is standard-dose naltrexone, {_LOW_DOSE}"],
        ),
        (
            "naltrexone injection monthly; depot naltrexone",
            [
                (
                    f"naltrexone injection is extended-release naltrexone injection, {_LOW_DOSE}; "
                    "its effect lasts 28–30 days or more after an injection"
                )
            ],
        ),
    ],
)
def test_each_kind_of_medicine_gets_its_own_exact_message(text: str, messages: list[str]) -> None:
    assert [hit.message for hit in screen(text)] == messages


def test_each_product_is_named_once_and_the_screen_reads_on_past_a_repeat() -> None:
    hits = screen("Mysimba, Mysimba, tramadol; oxycodone, OxyNorm, codeine")
    assert [hit.message.split(" is ")[0] for hit in hits] == [
        "Mysimba",
        "tramadol",
        "oxycodone",
        "codeine",
    ]


def test_a_standard_dose_and_a_long_acting_naltrexone_are_each_found() -> None:
    hits = screen("Naltrexone 50 mg tablets, then Naltrexone XR")
    assert [hit.message.split(" is ")[0] for hit in hits] == ["Naltrexone 50 mg", "Naltrexone XR"]


def test_a_name_written_across_a_run_of_spaces_is_shown_with_one() -> None:
    (hit,) = screen("Nurofen \t Plus")
    assert hit.message.startswith("Nurofen Plus (codeine) is an opioid;")


def test_methylnaltrexone_is_another_antagonist_a_warning_not_a_refusal() -> None:
    (hit,) = screen("methylnaltrexone 150 mg")
    assert hit.code is Code.ANTAGONIST
    assert hit.code.severity == "warning"


def test_loperamide_is_a_warning_that_says_why_and_never_a_washout() -> None:
    (hit,) = screen("Imodium 2 mg after each loose stool")
    assert hit.code is Code.GUT_OPIOID
    assert hit.message == (
        "Imodium (loperamide) is an opioid antidiarrhoeal that acts in the gut and hardly "
        "reaches the brain at usual doses, so it needs no washout; naltrexone may weaken its "
        "effect: tell the pharmacist"
    )


def test_a_long_acting_product_gets_the_longer_washout() -> None:
    (hit,) = screen("Zomorph 10mg caps")
    assert hit.message == (
        f"Zomorph (morphine) is a long-acting opioid; {_CONTRA}: after a long-acting opioid the "
        "patient must be opioid-free for 10–14 days before the first dose"
    )


def test_a_later_long_acting_mention_of_the_same_opioid_sets_the_washout() -> None:
    (hit,) = screen("oxycodone 5 mg prn, OxyContin 10 mg bd")
    assert hit.message.startswith("OxyContin (oxycodone) is a long-acting opioid;")


@pytest.mark.parametrize(
    "text",
    [
        "MST Continus 30mg",
        "DF118 Forte",
        "DF 118 Forte",
        "M-Eslon 10",
        "Tylenol #3",
        "Tylenol#3",
        "TYLENOL NO. 3",
        "Co-codamol 30/500",
        "Zomorph 10mg caps",
        "Zomorph10mg",
        "OxyContin",
        "rxnorm:10689",
        "RxNorm 10689",
        "RXCUI#10689",
    ],
)
def test_brands_with_their_punctuation_digits_and_strengths_are_found(text: str) -> None:
    assert [hit.code for hit in screen(text)] == [Code.OPIOID]


@pytest.mark.parametrize(
    "text",
    ["Oxycontinental", "DHC", "MST", "Tylenol", "Nurofen", "Atasol", "rxnorm:1", "mst, continus"],
)
def test_a_name_inside_a_word_or_without_its_qualifier_is_not_found(text: str) -> None:
    assert screen(text) == []


def test_a_coded_medicine_the_data_does_not_know_says_nothing_by_itself() -> None:
    coding = "http://www.nlm.nih.gov/research/umls/rxnorm|6809"
    assert screen("metformin 500 mg", coded=(coding,)) == []
    assert screen("", coded=("http://snomed.info/sct|10689",)) == []


def test_a_code_and_the_name_of_the_same_medicine_are_one_finding() -> None:
    coding = "http://www.nlm.nih.gov/research/umls/rxnorm|10689"
    hits = screen("tramadol 50 mg", coded=(coding,))
    assert [hit.message.split(" is ")[0] for hit in hits] == ["tramadol"]


def test_the_screen_is_linear_in_the_length_of_the_text() -> None:
    text = "metformin 500 mg, Co-codamol 30/500; atorvastatin " * 4000
    assert len(text) == 200_000
    started = time.process_time()
    assert [hit.code for hit in screen(text)] == [Code.OPIOID]
    # A 1,000-character list takes under a millisecond; 200 times as much, well under a second
    # of CPU (process time: other processes on a busy machine do not count).
    assert time.process_time() - started < 1
