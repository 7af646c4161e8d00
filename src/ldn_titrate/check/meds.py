"""The medicine screen: opioids, naltrexone products and other antagonists in a medicine list.

Names and RxNorm codes are looked up in the data files of ``check/data`` (``meddata``), in
text normalised as ``medmatch`` does (NFKC, case folded, accents and invisible characters
dropped, every dash a hyphen), whole words only; the policy file decides what each finding
is. ``plan`` calls ``screen`` too, from the command line, so that ``rules`` never imports
``check``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Final, NamedTuple

from ldn_titrate.check.findings import Code, Finding, Severity
from ldn_titrate.check.meddata import WORD, Kind, code, load
from ldn_titrate.check.medmatch import CODE_IN_TEXT, find_names, normalise, rxnorm_code
from ldn_titrate.errors import Setting, spell
from ldn_titrate.limits import STANDARD_DOSE_MG
from ldn_titrate.received.lines import file_name
from ldn_titrate.received.model import ReceivedPlan

__all__ = ["Hit", "med_findings", "normalise", "screen"]

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
# a long-acting product of another opioid is given the longer washout as well, since it keeps
# acting after the last dose (low authority:
# https://www.droracle.ai/articles/840644/how-long-must-a-patient-be-opioidfree-before-starting
# and the washout table of ../shared/reference/ldn-practice.md section 4.2).
# Extended-release naltrexone lasts 28-30+ days
# (https://biologyinsights.com/how-long-before-surgery-should-i-stop-naltrexone/).
_SHORT_WASHOUT: Final = (
    "the patient must be opioid-free for at least 7–10 days before the first dose"
)
_METHADONE_WASHOUT: Final = (
    "after methadone or buprenorphine the patient must be opioid-free "
    "for 10–14 days before the first dose"
)
_LONG_WASHOUT: Final = (
    "after a long-acting opioid the patient must be opioid-free "
    "for 10–14 days before the first dose"
)
_CONTRA: Final = "naltrexone is contraindicated with opioids and can bring on withdrawal"


class Hit(NamedTuple):
    """One medicine the screen found: its code and the message without the option's name."""

    code: Code
    message: str


@dataclass(slots=True)
class _Mention:
    """The first place an ingredient is named, and whether any mention of it is long-acting."""

    written: str
    name: str
    ingredient: str
    long_acting: bool


def _shown(text: str) -> str:
    """A name as written, without invisible characters and with runs of spaces made one."""
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return re.sub(r"\s+", " ", visible)


def screen(meds: str, *, generic_naltrexone: bool = True, coded: Sequence[str] = ()) -> list[Hit]:
    """Each opioid, naltrexone product, other antagonist and loperamide named, once each.

    ``coded`` are ``system|code`` pairs of coded medicines (FHIR codings); codes written in
    the text as ``rxnorm:10689`` are read too. A code the data does not know says nothing:
    the text beside it (its display) is screened by name. Without ``generic_naltrexone``,
    naltrexone named by its generic name with a standard dose or as an injection is not a
    hit: a plan's own text may name what it is made from.
    """
    text, where = normalise(meds)
    mentions: dict[str, _Mention] = {}
    for found in find_names(text):
        written = _shown(meds[where[found.start] : where[found.end - 1] + 1])
        entry = found.entry
        _mention(mentions, _Mention(written, entry.name, entry.ingredient, entry.long_acting))
    written_codes = [
        (m[1], _shown(meds[where[m.start()] : where[m.end() - 1] + 1]))
        for m in CODE_IN_TEXT.finditer(text)
    ]
    for coding in coded:
        number = rxnorm_code(coding)
        if number is not None:
            written_codes.append((number, f"rxnorm:{number}"))
    for number, written in written_codes:
        concept = code(number)
        if concept is not None:
            mention = _Mention(written, "", concept.ingredient, concept.long_acting)
            _mention(mentions, mention)
    hits = [hit for mention in mentions.values() if (hit := _hit(mention)) is not None]
    if generic_naltrexone:
        hits.extend(_generic_naltrexone(meds, text, where))
    return hits


def _mention(mentions: dict[str, _Mention], mention: _Mention) -> None:
    """Keep the first mention of each ingredient, or a later long-acting one in its place."""
    first = mentions.get(mention.ingredient)
    if first is None or (mention.long_acting and not first.long_acting):
        mentions[mention.ingredient] = mention


def _hit(mention: _Mention) -> Hit | None:
    """The finding for one ingredient named, by the policy's kind of it; None for no finding."""
    item = load().policy[mention.ingredient]
    if item.kind is Kind.NONE:
        return None
    if item.kind is Kind.NALTREXONE:
        return _naltrexone_hit(mention.written, item.name)
    named = mention.name == mention.ingredient
    shown = mention.written if named else f"{mention.written} ({mention.ingredient})"
    if item.kind is Kind.ANTAGONIST:
        return Hit(
            Code.ANTAGONIST,
            f"{shown} is {item.what}, a second opioid antagonist beside naltrexone; their "
            "effects add up: the prescriber and the pharmacist must know before dispensing",
        )
    if item.kind is Kind.GUT_OPIOID:
        return Hit(
            Code.GUT_OPIOID,
            f"{shown} is {item.what} that acts in the gut and hardly reaches the brain at usual "
            "doses, so it needs no washout; naltrexone may weaken its effect: tell the pharmacist",
        )
    if item.kind is Kind.LONG_ACTING:
        what, washout = item.what, _METHADONE_WASHOUT
    elif mention.long_acting:
        what, washout = "a long-acting opioid", _LONG_WASHOUT
    else:
        what, washout = item.what, _SHORT_WASHOUT
    return Hit(Code.OPIOID, f"{shown} is {what}; {_CONTRA}: {washout}")


def _generic_naltrexone(meds: str, text: str, where: list[int]) -> list[Hit]:
    """Naltrexone by its generic name at a standard dose, or as an injection: once each."""
    found: list[Hit] = []
    dose = next(
        (m for m in _NALTREXONE_DOSE.finditer(text) if Decimal(m["num"]) >= STANDARD_DOSE_MG),
        None,
    )
    if dose is not None:
        written = _shown(meds[where[dose.start()] : where[dose.end() - 1] + 1])
        found.append(_naltrexone_hit(written, "standard-dose naltrexone"))
    lasting = _NALTREXONE_LONG.search(text)
    if lasting is not None:
        written = _shown(meds[where[lasting.start()] : where[lasting.end() - 1] + 1])
        found.append(_naltrexone_hit(written, "extended-release naltrexone injection"))
    return found


def med_findings(
    meds: str, file: str, said: str | None = None, coded: tuple[str, ...] = ()
) -> list[Finding]:
    """A finding for each opioid, naltrexone product or antagonist named or coded in ``meds``.

    ``said`` names where the list comes from, at the start of each message; by default the
    ``meds`` setting, as the command line spells it.
    """
    said = spell((Setting("meds", ""),)) if said is None else said
    return [
        Finding.of(hit.code, file, None, None, f"{said}: {hit.message}")
        for hit in _hits(meds, coded)
    ]


def recorded_med_findings(
    meds: str | None,
    reviewed: bool,
    file: str,
    said: str = "the plan's medicine list",
    coded: tuple[str, ...] = (),
) -> list[Finding]:
    """The screen of the medicines a plan records (None: none), as the ``meds`` setting's.

    A list the prescriber marked reviewed turns its errors into warnings: the pharmacist
    still confirms that the patient is opioid-free before dispensing.
    """
    if meds is None:
        return []
    found = med_findings(meds, file, said, coded)
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
        if finding.severity is Severity.ERROR
        else finding
        for finding in found
    ]


def listed_med_findings(plan: ReceivedPlan) -> list[Finding]:
    """The screen of every medicine list found in the file, names and codes, by its place."""
    found: list[Finding] = []
    for listed in plan.med_lists:
        said = f"the plan's medicine list ({listed.where})"
        found.extend(
            recorded_med_findings(listed.text, listed.reviewed, plan.source, said, listed.codes)
        )
    return found


def mentioned_med_findings(plan: ReceivedPlan) -> list[Finding]:
    """A warning for each opioid, naltrexone product or antagonist the plan's own text names.

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
    # The file's own name last: "plan_meds-oxycodone-10mg.csv" names a medicine as a note does.
    if name := file_name(plan.source):
        yield None, "the file name", name.replace("_", " ")


@lru_cache(maxsize=4096)
def _may_name_a_medicine(text: str) -> bool:
    """False when the text is ASCII and none of its words starts a name or a code."""
    if not text.isascii():
        return True
    first = load().index
    return any(word in first or word in {"rxnorm", "rxcui"} for word in WORD.findall(text.lower()))


@lru_cache(maxsize=256)
def _mentioned(text: str) -> tuple[Hit, ...]:
    return tuple(screen(text, generic_naltrexone=False))


@lru_cache(maxsize=64)
def _hits(meds: str, coded: tuple[str, ...]) -> tuple[Hit, ...]:
    """The screen of one ``meds`` text: a batch gives the same text for every file."""
    return tuple(screen(meds, coded=coded)) if meds or coded else ()


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
