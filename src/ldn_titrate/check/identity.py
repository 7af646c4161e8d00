"""The drug itself: a plan whose title, medication, label or instructions is for another medicine.

A plan is for low-dose naltrexone. One whose own words are for naloxone, nalmefene,
nalbuphine, methylnaltrexone, naldemedine or naloxegol, or for naltrexone 50 mg tablets as
taken for addiction, is ``wrong-medicine``: said once per file, naming what that medicine is
for. A plan that also names naltrexone is for naltrexone, and a look-alike name in it stays a
``name-confusion`` warning, unless the medication itself (a FHIR medication's text) is the
other medicine. Naloxone named only in the instructions ("Take 1 mg naloxone") is taken for
that look-alike slip too; named in a title, a label or the medication, with naltrexone named
nowhere, the plan is plainly for naloxone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Final, NamedTuple

from ldn_titrate.check.findings import Code, Report
from ldn_titrate.check.frequency import fold
from ldn_titrate.errors import shown
from ldn_titrate.patterns import lazy_pattern
from ldn_titrate.received.cells import field_of
from ldn_titrate.received.lines import SHEET_NAME, file_name
from ldn_titrate.received.model import ReceivedPlan


class _Other(NamedTuple):
    """Another medicine a plan may be written for, by the names it is written under.

    ``look_alike`` is a name so close to naltrexone's that a mention of it in the instructions
    is taken for a slip of the pen (``name-confusion``), not for the plan's medicine.
    """

    name: str
    names: tuple[str, ...]
    purpose: str
    look_alike: bool = False

    @property
    def pattern(self) -> re.Pattern[str]:
        """The names as whole words."""
        return _names(*self.names)


@cache
def _names(*names: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z])(?:" + "|".join(names) + r")(?![a-z])")


_OTHERS: Final = (
    # Naloxone (Narcan, Evzio) reverses an opioid overdose:
    # https://www.mass.gov/overdose-prevention-and-naloxone-access ;
    # https://hhs.gov/opioids/treatment/overdose-response/index.html ; German and Dutch
    # naloxon (https://pharmawiki.ch/wiki/index.php?wiki=Naloxon-Nasenspray), Spanish naloxona
    # (https://es.oncolink.org/tratamiento-del-cancer/quimioterapia/seguridad-de-los-medicamentos/naloxona-narcan-R-para-uso-de-emergencia)
    _Other(
        "naloxone",
        ("naloxone", "naloxon", "naloxona", "narcan", "evzio"),
        "it reverses an opioid overdose",
        look_alike=True,
    ),
    # Nalmefene (Selincro) reduces drinking in alcohol dependence:
    # https://www.nice.org.uk/guidance/ta325/chapter/2-The-technology ; German Nalmefen
    # (https://flexikon.doccheck.com/de/Nalmefen), Dutch nalmefeen
    # (https://www.farmacotherapeutischkompas.nl/bladeren/preparaatteksten/n/nalmefeen), French
    # nalméfène (https://www.prescrire.org/effets-indesirables/419-nalmefene-myalgies-ajoutees-dans-le-rcp)
    _Other(
        "nalmefene",
        ("nalmefene", "nalmefen", "nalmefeen", "nalmefeno", "selincro"),
        "it reduces drinking in alcohol dependence, or reverses an opioid overdose",
    ),
    # Nalbuphine (Nubain) is an opioid pain reliever given by injection:
    # https://www.drugs.com/monograph/nubain.html ; Spanish and Italian nalbufina
    # (http://www.iqb.es/cbasicas/farma/farma04/n038.htm), Dutch nalbufine (check/data/names-nl.tsv)
    _Other(
        "nalbuphine",
        ("nalbuphine", "nalbufina", "nalbufine", "nubain"),
        "it is an opioid pain reliever",
    ),
    # Three medicines treat constipation caused by opioids: methylnaltrexone (Relistor),
    # naldemedine (Symproic) and naloxegol (Movantik, Moventig):
    # https://fpnotebook.com/GI/Pharm/GstrntstnlOpdAntgnst.htm ; https://wikisum.wiki/wiki/Movantik
    _Other(
        "methylnaltrexone",
        # German Methylnaltrexon (https://navigator-medizin.de/medikamente/methylnaltrexon.html),
        # Spanish metilnaltrexona (http://doczz.es/doc/5833250/metilnaltrexona---methylnaltrexone)
        (
            "methylnaltrexone",
            "methyl-naltrexone",
            "methylnaltrexon",
            "metilnaltrexona",
            "metilnaltrexone",
            "relistor",
        ),
        "it treats constipation caused by opioids",
    ),
    _Other(
        "naldemedine",
        ("naldemedine", "symproic"),
        "it treats constipation caused by opioids",
    ),
    _Other(
        "naloxegol",
        ("naloxegol", "movantik", "moventig"),
        "it treats constipation caused by opioids",
    ),
)

# Naltrexone 50 mg tablets (Revia, Depade) are for alcohol and opioid dependence:
# https://psychmed.org/drugs/naltrexone/summary ; in the UK Adepend and Nalorex
# (check/data/names-uk.tsv, with their sources).
_TABLETS_PURPOSE: Final = "they are for alcohol or opioid dependence"
_NALTREXONE_50: Final = re.compile(
    r"(?<![a-z])(?:(?:naltrexone|revia|depade|adepend|nalorex)"
    r"(?:\s+(?:hcl|hydrochloride))?\s*50\s*mg"
    r"|(?:revia|depade|adepend|nalorex)(?![a-z])[^.;]{0,30}?(?:tab|tablet|1/4|1/2|quarter|half|¼|½))"
)


# Words that say 50 mg tablets are what the low dose is made from, not what is taken.
_source = lazy_pattern(
    r"(?<![a-z])(?:made|compounded|prepared|from|using|dissolv\w*|crush\w*|dilut\w*|mix\w*)"
    r"(?![a-z])"
)


# A name said not to be the medicine: "(not naloxone)", "never Narcan".
_denied = lazy_pattern(r"(?<![a-z])(?:not|never|no)\s+$")


# Words that name this plan's own medicine.
_NALTREXONE: Final = re.compile(r"(?<![a-z])(?:naltrexone|ldn)(?![a-z])")

# Where a text of the plan stands, by the column the reader gives it.
_PLACE: Final = {
    "": "a line outside the table",
    "label": "the label",
    "medication": "the medication",
    SHEET_NAME: "the sheet's name",
}
_TITLE_KEYS: Final = frozenset({"title", "heading", "titel", "titre", "titulo", "titolo"})
_PRODUCT_PLACES: Final = frozenset({_PLACE["medication"], _PLACE[SHEET_NAME]})


class _Text(NamedTuple):
    line: int | None
    where: str
    text: str
    # Whether the text names the plan's medicine itself (a title, a label, the medication),
    # rather than telling how to take it (the instructions).
    names_product: bool = True


def _texts(plan: ReceivedPlan) -> Iterator[_Text]:
    """The texts that name the plan's medicine: title lines, label, medication, instructions.

    The file's own name last (``naloxone-1mg-per-ml.csv``), as its strength is read there.
    """
    for line, column, text in plan.texts:
        if column in _PLACE:
            yield _Text(line, _PLACE[column], text)
        elif column.rsplit(".", 1)[-1].lower() in _TITLE_KEYS:
            # A JSON plan's own title ("title": "Nalmefene 1 mg/mL ...") names its product.
            yield _Text(line, f'JSON key "{column}"', text)
    for row in plan.rows:
        for column, text in row.texts:
            if field_of(column) == "label":
                yield _Text(row.line, column, text)
            elif text == row.instructions:
                yield _Text(row.line, column, text, names_product=False)
    name = file_name(plan.source)
    if name:
        yield _Text(None, "the file name", name)


def _tablets(folded: str) -> re.Match[str] | None:
    """Naltrexone 50 mg tablets named as what is taken, not as what the dose is made from."""
    for match in _NALTREXONE_50.finditer(folded):
        if _source().search(folded, 0, match.start()) is None:
            return match
    return None


class _Reading(NamedTuple):
    """What one text says of the medicine: 50 mg tablets, naltrexone, other medicines.

    ``low_dose`` are the other medicines it names as the low-dose product itself ("low dose
    naloxone", "naloxone (LDN)"): that names the plan's medicine, whatever else names naltrexone.
    ``with_strength`` are those it names with a strength ("Nalmefene 1mg-mL"): in a title, a
    label, a sheet's or the file's name, that is the product made.
    """

    tablets: bool
    naltrexone: bool
    others: tuple[_Other, ...]
    low_dose: tuple[_Other, ...] = ()
    with_strength: tuple[_Other, ...] = ()


# "Low dose" just before a name, or "(LDN)" just after it, in the languages the readers know.
_LOW_DOSE_BEFORE = lazy_pattern(
    r"(?:low[- ]?dose|niedrig[- ]?dosiert\w*|faibles? doses? (?:de )?|baja dosis (?:de )?"
    r"|dosis baja (?:de )?|basso dosaggio (?:di )?|laag[- ]?gedoseerde?|ldn)\s*[(:-]?\s*$"
)
_LDN_AFTER = lazy_pattern(r"\s*[(\[-]?\s*ldn(?![a-z])")
_STRENGTH_AFTER = lazy_pattern(r"[\s_:-]{0,3}[0-9]+(?:[.,][0-9]+)?\s*(?:mg|mcg|µg|μg)(?![a-z])")


def _with_strength(other: _Other, folded: str) -> bool:
    """Whether a text names this medicine with a strength just after it ("nalmefene 1mg-ml")."""
    return any(_STRENGTH_AFTER().match(folded, m.end()) for m in other.pattern.finditer(folded))


def _as_low_dose(other: _Other, folded: str) -> bool:
    """Whether a text names this medicine as the low-dose product ("low dose naloxone")."""
    return any(
        _LOW_DOSE_BEFORE().search(folded, max(0, m.start() - 24), m.start()) is not None
        or _LDN_AFTER().match(folded, m.end()) is not None
        for m in other.pattern.finditer(folded)
    )


# Plans repeat the same title and instructions file after file: each is read once.
@lru_cache(maxsize=4096)
def _read(text: str) -> _Reading:
    folded = fold(text)[0]
    tablets = _tablets(folded) is not None
    naltrexone = not tablets and _NALTREXONE.search(folded) is not None
    others = tuple(o for o in _OTHERS if _named(o, folded))
    low_dose = tuple(o for o in others if _as_low_dose(o, folded))
    with_strength = tuple(o for o in others if _with_strength(o, folded))
    return _Reading(tablets, naltrexone, others, low_dose, with_strength)


def check_identity(report: Report, plan: ReceivedPlan) -> None:
    """One ``wrong-medicine`` error if the plan's own words are for another medicine.

    Said once per file: not again when the medication's code has already said it.
    """
    if any(f.code == Code.WRONG_MEDICINE for f in report.head):
        return
    texts = [(t, _read(t.text)) for t in _texts(plan)]
    names_naltrexone = any(reading.naltrexone for _, reading in texts)
    for text, reading in texts:
        if reading.tablets:
            _say(report, text, "naltrexone 50 mg tablets", _TABLETS_PURPOSE)
            return
        for other in reading.others:
            slip = other.look_alike and not text.names_product
            named = (
                # The medication and the schedule sheet's own name are the product itself.
                text.where in _PRODUCT_PLACES
                or other in reading.low_dose
                or (text.names_product and other in reading.with_strength)
            )
            if named or not (names_naltrexone or slip):
                _say(report, text, other.name, other.purpose)
                return


def _named(other: _Other, folded: str) -> bool:
    """Whether a text names this medicine as what it is, not as what it is not."""
    if not any(name in folded for name in other.names):  # most texts name none of them
        return False
    return any(
        _denied().search(folded, max(0, m.start() - 8), m.start()) is None
        for m in other.pattern.finditer(folded)
    )


def _say(report: Report, text: _Text, what: str, purpose: str) -> None:
    report.plan(
        Code.WRONG_MEDICINE,
        f"the plan is for {what}, not low-dose naltrexone ({text.where}: {shown(text.text)}): "
        f"{purpose}",
        text.line,
    )
