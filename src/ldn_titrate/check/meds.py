"""The medicine screen: opioids and second naltrexone products named in ``--meds``.

The screen compares text after Unicode normalisation (NFKC, case folded, accents removed,
invisible characters dropped, every dash a hyphen), whole words only. ``plan`` calls
``screen`` too, from the command line, so that ``rules`` never imports ``check``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Final, NamedTuple

from ldn_titrate.check.findings import Code, Finding
from ldn_titrate.check.meddata import GENERICS, GROUPS, NALTREXONE_PRODUCTS, Kind
from ldn_titrate.limits import STANDARD_DOSE_MG
from ldn_titrate.received.model import ReceivedPlan

_BRANDS: Final = {name: generic for group in GROUPS for name, generic in group.names.items()}
_NALTREXONE: Final = NALTREXONE_PRODUCTS.names
_ALL_MEDS: Final = sorted([*GENERICS, *_BRANDS, *_NALTREXONE], key=len, reverse=True)


def _pattern(name: str) -> str:
    # A space or hyphen inside a name matches a space, a hyphen or nothing: "co codamol",
    # "cocodamol" and "ms-contin" are the same medicines.
    return "[-\\s]*".join(re.escape(part) for part in re.split(r"[-\s]+", name))


_MEDS: Final = re.compile(
    r"(?<![a-z0-9])(" + "|".join(_pattern(name) for name in _ALL_MEDS) + r")(?![a-z0-9])"
)
_KEY: Final = re.compile(r"[-\s]+")
_KEYS: Final = {_KEY.sub("", name): name for name in _ALL_MEDS}
# Standard-dose or long-acting naltrexone written by its generic name (not methylnaltrexone).
_NALTREXONE_DOSE: Final = re.compile(
    r"(?<![a-z0-9])naltrexone(?:\s+(?:hcl|hydrochloride))?\s+(?P<num>[0-9]+(?:\.[0-9]+)?)\s*mg"
)
_NALTREXONE_LONG: Final = re.compile(
    r"(?:extended[- ]release|injectable|depot|xr)\s+naltrexone"
    r"|(?<![a-z0-9])naltrexone\s+(?:injection|implant|extended[- ]release|xr|er)(?![a-z])"
)

# Washout before naltrexone: 7-10 days after short-acting opioids
# (https://prescriberpoint.com/therapies/naltrexone-hydrochloride-0f30f88); 10-14 days after
# methadone or buprenorphine (http://www.mipmpc.com/fajar-faq/when-is-naltrexone-therapy-not-suitable/);
# extended-release naltrexone lasts 28-30+ days
# (https://biologyinsights.com/how-long-before-surgery-should-i-stop-naltrexone/).
_SHORT_WASHOUT: Final = (
    "the patient must be opioid-free for at least 7–10 days before the first dose"
)
_WASHOUT: Final = {
    Kind.OPIOID: _SHORT_WASHOUT,
    Kind.OPIOID_LIKE: _SHORT_WASHOUT,
    Kind.LONG_ACTING: "after methadone or buprenorphine the patient must be opioid-free "
    "for 10–14 days before the first dose",
}
_WHAT: Final = {
    Kind.OPIOID: "an opioid",
    Kind.OPIOID_LIKE: "an opioid-like botanical",
    Kind.LONG_ACTING: "an opioid",
}


class Hit(NamedTuple):
    """One medicine the screen found: its code and the message without the option's name."""

    code: Code
    message: str


def normalise(text: str) -> tuple[str, list[int]]:
    """Text as the screen compares it, and for each of its characters the index it came from.

    NFKC folds full-width and compatibility letters, ``casefold`` the case; accents
    (combining marks) and invisible format characters (soft hyphen, zero-width space and
    joiners, the byte-order mark) are dropped; every dash becomes ``-``.
    """
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", char).casefold()):
            category = unicodedata.category(part)
            if category in {"Mn", "Me", "Cf"}:
                continue
            out.append("-" if category == "Pd" else part)
            where.append(index)
    return "".join(out), where


def _shown(text: str) -> str:
    """A name as written, without invisible characters and with runs of spaces made one."""
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return re.sub(r"\s+", " ", visible)


def screen(meds: str, *, generic_naltrexone: bool = True) -> list[Hit]:
    """Each opioid and second naltrexone product the text names, once each.

    Without ``generic_naltrexone``, naltrexone named by its generic name with a standard
    dose or as an injection is not a hit: a plan's own text may name what it is made from.
    """
    text, where = normalise(meds)
    found: list[Hit] = []
    seen: set[str] = set()
    for match in _MEDS.finditer(text):
        written = _shown(meds[where[match.start(1)] : where[match.end(1) - 1] + 1])
        name = _KEYS[_KEY.sub("", match[1])]
        if name in _NALTREXONE:
            if name not in seen:
                seen.add(name)
                found.append(_naltrexone_hit(written, _NALTREXONE[name]))
            continue
        generic = _BRANDS.get(name, name)
        if generic in seen:
            continue
        seen.add(generic)
        kind = GENERICS[generic]
        shown = written if generic == name else f"{written} ({generic})"
        found.append(
            Hit(
                Code.OPIOID,
                f"{shown} is {_WHAT[kind]}; naltrexone is contraindicated with opioids "
                f"and can bring on withdrawal: {_WASHOUT[kind]}",
            )
        )
    if not generic_naltrexone:
        return found
    for match in _NALTREXONE_DOSE.finditer(text):
        if Decimal(match["num"]) >= STANDARD_DOSE_MG and "naltrexone-dose" not in seen:
            seen.add("naltrexone-dose")
            written = _shown(meds[where[match.start()] : where[match.end() - 1] + 1])
            found.append(_naltrexone_hit(written, "standard-dose naltrexone"))
    for match in _NALTREXONE_LONG.finditer(text):
        if "naltrexone-long" not in seen:
            seen.add("naltrexone-long")
            written = _shown(meds[where[match.start()] : where[match.end() - 1] + 1])
            found.append(_naltrexone_hit(written, "extended-release naltrexone injection"))
    return found


def med_findings(meds: str, file: str, said: str = "--meds") -> list[Finding]:
    """An error for each opioid or second naltrexone product named in ``meds``.

    ``said`` names where the list comes from, at the start of each message.
    """
    return [Finding.of(hit.code, file, None, None, f"{said}: {hit.message}") for hit in _hits(meds)]


def recorded_med_findings(
    meds: str | None, reviewed: bool, file: str, said: str = "the plan's medicine list"
) -> list[Finding]:
    """The screen of the medicines a plan records (None: none): an error each, as ``--meds``.

    A list the prescriber marked reviewed gives warnings instead: the pharmacist still
    confirms that the patient is opioid-free before dispensing.
    """
    if meds is None:
        return []
    found = med_findings(meds, file, said)
    if not reviewed:
        return found
    return [
        Finding.of(
            Code.MEDS_REVIEWED,
            file,
            None,
            None,
            f"{finding.message} (the prescriber marked the list reviewed)",
        )
        for finding in found
    ]


def listed_med_findings(plan: ReceivedPlan) -> list[Finding]:
    """The screen of every medicine list found in the file, each named by where it stands."""
    found: list[Finding] = []
    for listed in plan.med_lists:
        said = f"the plan's medicine list ({listed.where})"
        found.extend(recorded_med_findings(listed.text, listed.reviewed, plan.source, said))
    return found


def mentioned_med_findings(plan: ReceivedPlan) -> list[Finding]:
    """A warning for each opioid or second naltrexone product the plan's own text names.

    A title line, a note or an instruction that names one ("stop tramadol a week before") is
    worth the pharmacist's question before dispensing; each medicine is said once, where it
    is first named.
    """
    found: list[Finding] = []
    seen: set[str] = set()
    for line, column, text in _texts(plan):
        if not _may_name_a_medicine(text):
            continue
        for hit in _mentioned(text):
            if hit.message.casefold() not in seen:
                seen.add(hit.message.casefold())
                where = f"{column}: " if column else ""
                said = f"{where}{hit.message} (the plan names it: ask whether the patient takes it)"
                found.append(Finding.of(Code.MED_MENTIONED, plan.source, line, None, said))
    return found


def _texts(plan: ReceivedPlan) -> Iterator[tuple[int | None, str, str]]:
    """Every text of a plan as (line, column, text): title lines, headers, then step cells."""
    yield from plan.texts
    for part in plan.unread:
        if part.text:
            yield part.line, part.where, part.text
    for row in plan.rows:
        for column, text in row.texts:
            yield row.line, column, text


# The first word of every name the screen knows, and each name run together ("cocodamol"):
# ASCII text with none of these words names no medicine, and the screen is spared.
_FIRST_WORDS: Final = frozenset(
    word for name in _ALL_MEDS for word in (_KEY.split(name)[0], _KEY.sub("", name))
)
_WORD: Final = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4096)
def _may_name_a_medicine(text: str) -> bool:
    return not text.isascii() or not _FIRST_WORDS.isdisjoint(_WORD.findall(text.lower()))


@lru_cache(maxsize=256)
def _mentioned(text: str) -> tuple[Hit, ...]:
    return tuple(screen(text, generic_naltrexone=False))


@lru_cache(maxsize=64)
def _hits(meds: str) -> tuple[Hit, ...]:
    """The screen of one ``--meds`` text: a batch gives the same text for every file."""
    return tuple(screen(meds)) if meds else ()


def _naltrexone_hit(written: str, what: str) -> Hit:
    lasting = (
        "; its effect lasts 28–30 days or more after an injection"
        if "extended-release" in what
        else ""
    )
    return Hit(
        Code.DUPLICATE_NALTREXONE,
        f"{written} is {what}, a second naltrexone product on top of the low dose; "
        f"do not combine them{lasting}",
    )
