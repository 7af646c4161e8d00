"""Rebuild the screen's RxNorm tables from the published opioid value sets.

Reads the value-set TSV (RxNorm code, display, value set) and writes, deterministically:

- ``src/ldn_titrate/check/data/rxnorm-codes.tsv``: each code with the ingredient the policy
  judges it by (the most serious one of a combination) and whether the product is long-acting;
- ``src/ldn_titrate/check/data/names-us-rxnorm.tsv``: the brand names of the value sets (the
  names in square brackets, and brand concepts), each with its ingredient.

The ingredients are found in each display by the words of the policy's ingredient names, so a
display names what it contains ("acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral
Tablet"); a brand concept with no ingredient in its display takes the ingredient of its
bracketed products. Usage::

    python tools/build_rxnorm.py [../shared/reference/data/rxnorm-opioid-valueset.tsv]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ldn_titrate.check.meddata import Kind, read_policy, words

ROOT = Path(__file__).resolve().parent.parent
TABLE = Path("shared", "reference", "data", "rxnorm-opioid-valueset.tsv")
# The shared folder stands beside the repository (or beside the folder of its work trees).
DEFAULT = next((p / TABLE for p in ROOT.parents if (p / TABLE).exists()), ROOT.parent / TABLE)
DATA = ROOT / "src" / "ldn_titrate" / "check" / "data"
# The kinds, most serious first: a combination is judged by its most serious ingredient.
RANK = [
    Kind.LONG_ACTING,
    Kind.OPIOID,
    Kind.OPIOID_LIKE,
    Kind.NALTREXONE,
    Kind.ANTAGONIST,
    Kind.GUT_OPIOID,
    Kind.NONE,
]
# Words of a display that make a product long-acting (modified release, patch, implant).
LONG = re.compile(r"Extended Release|\b(?:12|24|72|168) HR\b|Transdermal|Implant", re.IGNORECASE)
# Words of a display that give a dose form: a display without one ("oxycodone 10 MG
# [Oxycontin]") says nothing about the release of its brand.
FORM = re.compile(
    r"Oral|Inject|Transdermal|Sublingual|Buccal|Rectal|Nasal|Implant|Pill|Product|Tablet|Capsule",
    re.IGNORECASE,
)
BRAND = re.compile(r"\[([^\]]+)\]")
VALUE_SET = re.compile(r"VSAC (\S+)")


def ingredient(display: str, policy_words: list[tuple[tuple[str, ...], str, int]]) -> str | None:
    """The most serious policy ingredient named in a display, or None."""
    found = words(BRAND.sub(" ", display))
    best: tuple[int, str] | None = None
    for name_words, name, rank in policy_words:
        size = len(name_words)
        if any(tuple(found[i : i + size]) == name_words for i in range(len(found) - size + 1)):
            best = min(best, (rank, name)) if best else (rank, name)
    return None if best is None else best[1]


def _long(products: list[tuple[str, bool | None, str]]) -> bool:
    """Whether every product of a brand that gives its dose form is long-acting."""
    releases = [release for _, release, _ in products if release is not None]
    return bool(releases) and all(releases)


Rows = list[tuple[str, str, str]]
Brands = dict[str, list[tuple[str, bool | None, str]]]
PolicyWords = list[tuple[tuple[str, ...], str, int]]


def _read(source: Path) -> tuple[list[str], Rows]:
    """The header comments and the (code, display, value set) rows of the value-set table."""
    header: list[str] = []
    rows: Rows = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            header.append(line)
        elif line and not line.startswith("rxcui"):
            code, display, value_set = line.split("\t")
            rows.append((code, display, value_set))
    return header, rows


def _brands(rows: Rows, policy_words: PolicyWords) -> Brands:
    """Each bracketed brand name with the ingredient, release and value set of its products."""
    brands: Brands = {}
    for _, display, value_set in rows:
        found = ingredient(display, policy_words)
        for brand in BRAND.findall(display):
            if found is not None:
                oid = VALUE_SET.search(value_set)
                url = f"https://cts.nlm.nih.gov/fhir/ValueSet/{oid[1] if oid else ''}"
                release = bool(LONG.search(display)) if FORM.search(display) else None
                name = brand.split(" Reformulated")[0]
                brands.setdefault(name, []).append((found, release, url))
    return brands


def _codes(rows: Rows, brands: Brands, policy_words: PolicyWords) -> tuple[list[str], list[str]]:
    """The lines of the code table, and the rows left out for naming no known ingredient."""
    codes: list[str] = []
    unknown: list[str] = []
    for code, display, _ in rows:
        found = ingredient(display, policy_words)
        long_acting = bool(LONG.search(display))
        # A brand concept ("Abstral", "Abstral Oral Product") takes its products' ingredient.
        brand = next((b for b in brands if display == b or display.startswith(f"{b} ")), None)
        if found is None and brand is not None:
            found = brands[brand][0][0]
            long_acting = long_acting or _long(brands[brand])
        if found is None:
            unknown.append(f"{code}\t{display}")
            continue
        codes.append(f"{code}\t{found}\t{'long' if long_acting else ''}\t{display}")
    return codes, unknown


def _write(path: Path, comments: list[str], columns: str, lines: list[str]) -> None:
    path.write_text("\n".join([*comments, columns, *lines]) + "\n", encoding="utf-8")


def main(source: Path, out: Path = DATA) -> int:
    """Write both tables; a row with no ingredient the policy knows is left out and said."""
    policy = read_policy()
    policy_words = sorted(
        (words(name), name, RANK.index(item.kind)) for name, item in policy.items()
    )
    header, rows = _read(source)
    brands = _brands(rows, policy_words)
    codes, unknown = _codes(rows, brands, policy_words)
    value_sets = sorted({value_set for _, _, value_set in rows})
    generated = [
        "# Generated by tools/build_rxnorm.py from the value-set table whose header follows;",
        "# do not edit by hand.",
        *header,
        *(f"# Value set: {value_set}" for value_set in value_sets),
    ]
    _write(
        out / "rxnorm-codes.tsv",
        [
            "# RxNorm codes of opioid medicines, with the ingredient the policy judges each by.",
            *generated,
        ],
        "code\tingredient\trelease\tdisplay",
        codes,
    )
    names = [
        f"{name}\t{brands[name][0][0]}\t{'long' if _long(brands[name]) else ''}\t"
        f"{brands[name][0][2]}"
        for name in sorted(brands, key=str.casefold)
    ]
    _write(
        out / "names-us-rxnorm.tsv",
        [
            "# Brand names of the RxNorm opioid value sets (the names in square brackets); each",
            "# line's source is its value set in the VSAC.",
            *generated,
        ],
        "name\tingredient\trelease\tsource",
        names,
    )
    for line in unknown:
        print(f"no ingredient the policy knows, left out: {line}", file=sys.stderr)
    print(f"{len(codes)} codes, {len(names)} brand names")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT))
