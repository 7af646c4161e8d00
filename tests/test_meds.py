"""The medicine screen: every name in its data is found however it is written."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from ldn_titrate.check import Code
from ldn_titrate.check.meddata import GENERICS, GROUPS, NALTREXONE_PRODUCTS
from ldn_titrate.check.meds import normalise, screen

NAMES = sorted({*GENERICS, *(n for g in GROUPS for n in g.names), *NALTREXONE_PRODUCTS.names})
_ACCENTED = {"a": "á", "e": "é", "i": "ï", "o": "ô", "u": "ü"}


def _accented(name: str) -> str:
    """The name with its first vowel accented, as a French or Dutch label might write it."""
    return re.sub("[aeiou]", lambda m: _ACCENTED[m[0]], name, count=1)


def _soft_hyphenated(name: str) -> str:
    """The name with a soft hyphen in the middle, as text copied from a web page may have."""
    middle = len(name) // 2
    return name[:middle] + "\u00ad" + name[middle:]


def _codes(text: str) -> list[Code]:
    return [hit.code for hit in screen(text)]


def _expected(name: str) -> list[Code]:
    return [Code.DUPLICATE_NALTREXONE if name in NALTREXONE_PRODUCTS.names else Code.OPIOID]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "spelling",
    [str, str.upper, _accented, _soft_hyphenated, str.title],
    ids=["plain", "upper", "accented", "soft-hyphen", "title"],
)
def test_every_medicine_in_the_data_is_found_however_it_is_written(
    name: str, spelling: Callable[[str], str]
) -> None:
    assert _codes(f"takes {spelling(name)} daily") == _expected(name)


def test_every_group_names_its_sources_and_every_brand_a_known_generic() -> None:
    for group in GROUPS:
        assert group.sources
        assert all(source.startswith(("https://", "http://")) for source in group.sources)
        assert set(group.names.values()) <= set(GENERICS)
    assert NALTREXONE_PRODUCTS.sources


def test_no_two_names_collide_once_spaces_and_hyphens_are_ignored() -> None:
    keys = [re.sub(r"[-\s]+", "", name) for name in NAMES]
    assert len(keys) == len(set(keys))


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
        "methylnaltrexone 150 mg",
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
