"""The medicine screen's data files: their rules, and every entry found however it is written."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ldn_titrate.check import Code
from ldn_titrate.check.meddata import (
    DATA,
    SHORTEST_SINGLE_WORD,
    Entry,
    Kind,
    all_entries,
    code,
    data_files,
    index_text,
    read_codes,
    read_policy,
    words,
)
from ldn_titrate.check.meds import screen

POLICY = read_policy()
ENTRIES = all_entries(POLICY)
CODES = read_codes()
_ACCENTED = {"a": "á", "e": "é", "i": "ï", "o": "ô", "u": "ü"}
_FINDING = {
    Kind.OPIOID: [Code.OPIOID],
    Kind.LONG_ACTING: [Code.OPIOID],
    Kind.OPIOID_LIKE: [Code.OPIOID],
    Kind.NALTREXONE: [Code.DUPLICATE_NALTREXONE],
    Kind.ANTAGONIST: [Code.ANTAGONIST],
    Kind.GUT_OPIOID: [Code.GUT_OPIOID],
    Kind.NONE: [],
}


def _accented(name: str) -> str:
    """The name with its first vowel accented, as a French or Dutch label might write it."""
    return re.sub("[aeiou]", lambda m: _ACCENTED[m[0]], name, count=1)


def _soft_hyphenated(name: str) -> str:
    """The name with a soft hyphen in the middle, as text copied from a web page may have."""
    middle = len(name) // 2
    return name[:middle] + "\u00ad" + name[middle:]


def _zero_width_spaced(name: str) -> str:
    """The name with a zero-width space after its first letter and before its last."""
    return name[0] + "\u200b" + name[1:-1] + "\u200b" + name[-1]


def _entry_id(entry: Entry) -> str:
    return f"{entry.market}:{entry.name}"


@pytest.mark.parametrize("entry", ENTRIES, ids=_entry_id)
@pytest.mark.parametrize(
    "spelling",
    [str, str.upper, _accented, _soft_hyphenated, _zero_width_spaced],
    ids=["plain", "upper", "accented", "soft-hyphen", "zero-width"],
)
def test_every_entry_of_every_file_is_found_however_it_is_written(
    entry: Entry, spelling: Callable[[str], str]
) -> None:
    hits = screen(f"takes {spelling(entry.name)} 10 mg daily")
    assert [hit.code for hit in hits] == _FINDING[POLICY[entry.ingredient].kind]


def test_every_file_says_its_sources_and_date_at_the_top() -> None:
    for name in [*data_files(), "policy.tsv", "rxnorm-codes.tsv", "index.tsv"]:
        head = (DATA / name).read_text(encoding="utf-8").splitlines()[:16]
        comments = [line for line in head if line.startswith("#")]
        assert comments, name
        assert any(re.search(r"20\d\d-\d\d-\d\d|version \d{8}", line) for line in comments), name


def test_every_entry_has_a_source_page_and_an_ingredient_of_the_policy() -> None:
    for entry in ENTRIES:
        assert entry.source.startswith(("https://", "http://")), entry
        assert entry.ingredient in POLICY, entry
    for item in POLICY.values():
        assert item.source.startswith(("https://", "http://")), item
        assert item.reason, item


def test_the_index_the_screen_reads_is_rebuilt_from_the_files_it_comes_from() -> None:
    # After editing a market file, run tools/build_index.py.
    assert (DATA / "index.tsv").read_text(encoding="utf-8") == index_text(POLICY)


def test_a_short_name_is_never_matched_without_its_qualifier() -> None:
    for entry in ENTRIES:
        found = words(entry.name)
        assert len(found) > 1 or len(found[0]) >= SHORTEST_SINGLE_WORD, entry
    assert screen("DHC 60 mg bd") == []
    assert screen("MST 30 mg") == []
    assert [hit.code for hit in screen("DHC Continus 60 mg bd")] == [Code.OPIOID]


def test_the_same_words_always_mean_the_same_ingredient() -> None:
    meaning: dict[tuple[str, ...], str] = {}
    for entry in ENTRIES:
        assert meaning.setdefault(words(entry.name), entry.ingredient) == entry.ingredient, entry


def test_every_market_has_names_and_the_policy_has_every_kind() -> None:
    markets = {entry.market for entry in ENTRIES}
    expected = {"policy", "us", "us-rxnorm", "uk", "ie", "de", "fr", "nl", "es", "it"}
    assert markets >= expected | {"nordic", "ca", "au", "nz"}
    assert {item.kind for item in POLICY.values()} == set(Kind)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("buprenorphine", Kind.LONG_ACTING),
        ("methadone", Kind.LONG_ACTING),
        ("tramadol", Kind.OPIOID),
        ("tapentadol", Kind.OPIOID),
        ("meperidine", Kind.OPIOID),
        ("piritramide", Kind.OPIOID),
        ("meptazinol", Kind.OPIOID),
        ("nalbuphine", Kind.OPIOID),
        ("butorphanol", Kind.OPIOID),
        ("pentazocine", Kind.OPIOID),
        ("opium", Kind.OPIOID),
        ("paregoric", Kind.OPIOID),
        ("kratom", Kind.OPIOID_LIKE),
        ("mitragynine", Kind.OPIOID_LIKE),
        ("7-hydroxymitragynine", Kind.OPIOID_LIKE),
        ("tianeptine", Kind.OPIOID_LIKE),
        ("methylnaltrexone", Kind.ANTAGONIST),
        ("naloxegol", Kind.ANTAGONIST),
        ("naldemedine", Kind.ANTAGONIST),
        ("alvimopan", Kind.ANTAGONIST),
        ("samidorphan", Kind.ANTAGONIST),
        ("nalmefene", Kind.ANTAGONIST),
        ("loperamide", Kind.GUT_OPIOID),
        ("naloxone", Kind.NONE),
        ("dextromethorphan", Kind.NONE),
        ("oxybutynin", Kind.NONE),
        ("hydroxyzine", Kind.NONE),
        ("hydrocortisone", Kind.NONE),
        ("oxcarbazepine", Kind.NONE),
    ],
)
def test_the_policy_says_what_each_ingredient_is(name: str, kind: Kind) -> None:
    assert POLICY[name].kind is kind


# Brands named in the issue that the screen once let through, and where they are sold.
ISSUE_BRANDS = [
    "Zomorph",
    "MST Continus",
    "Longtec",
    "Transtec",
    "Physeptone",
    "Palladon",
    "Oxygesic",
    "Skenan",
    "Topalgic",
    "Statex",
    "M-Eslon",
    "Endone",
    "Endocet",
    "Vicoprofen",
    "nalbuphine",
    "sufentanil",
    "tianeptine",
]


@pytest.mark.parametrize("name", ISSUE_BRANDS)
def test_each_opioid_of_the_issue_is_an_error(name: str) -> None:
    assert [hit.code for hit in screen(f"{name} 10 mg")] == [Code.OPIOID]


@pytest.mark.parametrize("name", ["Nalorex", "Adepend", "Revia", "Vivitrol", "Contrave"])
def test_each_naltrexone_brand_of_the_issue_is_a_second_naltrexone_product(name: str) -> None:
    assert [hit.code for hit in screen(name)] == [Code.DUPLICATE_NALTREXONE]


@pytest.mark.parametrize("rxnorm", sorted(CODES))
def test_every_code_is_found_written_and_as_a_fhir_coding(rxnorm: str) -> None:
    expected = _FINDING[POLICY[CODES[rxnorm].ingredient].kind]
    assert [hit.code for hit in screen(f"rxnorm:{rxnorm}")] == expected
    coding = f"http://www.nlm.nih.gov/research/umls/rxnorm|{rxnorm}"
    assert [hit.code for hit in screen("", coded=(coding,))] == expected


def test_a_code_is_read_alone_from_the_file_as_the_table_has_it() -> None:
    assert code("10689") == CODES["10689"]
    assert code("999999999") is None
    assert code("10689x") is None


def test_the_codes_of_the_value_set_are_all_there_except_what_no_policy_line_covers() -> None:
    # 1,048 concepts; Sublimaze (a brand concept with no products in the value sets) and a
    # bark extract that is no opioid are left out by the build script, which says so.
    assert len(CODES) == 1046
    assert CODES["10689"].ingredient == "tramadol"
    assert CODES["6468"].ingredient == "loperamide"


SHARED_TABLE = next(
    (
        p / "shared/reference/data/rxnorm-opioid-valueset.tsv"
        for p in Path(__file__).resolve().parents
        if (p / "shared/reference/data/rxnorm-opioid-valueset.tsv").exists()
    ),
    None,
)


@pytest.mark.skipif(
    SHARED_TABLE is None, reason="the shared value-set table is not beside the repo"
)
def test_the_build_script_rebuilds_the_derived_tables_exactly(tmp_path: Path) -> None:
    assert SHARED_TABLE is not None
    script = Path(__file__).resolve().parent.parent / "tools" / "build_rxnorm.py"
    spec = importlib.util.spec_from_file_location("build_rxnorm", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_rxnorm"] = module
    spec.loader.exec_module(module)
    assert module.main(SHARED_TABLE, tmp_path) == 0
    for name in ["rxnorm-codes.tsv", "names-us-rxnorm.tsv"]:
        built = (tmp_path / name).read_text(encoding="utf-8")
        assert built == (DATA / name).read_text(encoding="utf-8"), name
