"""The medicine screen: opioids and second naltrexone products named in ``--meds``."""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Final

from ldn_titrate.check.findings import Code, Finding
from ldn_titrate.limits import STANDARD_DOSE_MG


class _Med(StrEnum):
    OPIOID = "opioid"
    LONG_ACTING = "long-acting"
    OPIOID_LIKE = "opioid-like"


# Opioids named by the naltrexone label and interaction lists:
# https://drugcentral.org/label/adb7c4dc-221a-4d91-9687-0d78913a92ad/view ;
# https://www.goodrx.com/naltrexone/interactions ;
# https://drugmart.com/articles/what-to-avoid-when-taking-low-dose-naltrexone ;
# tramadol by name: https://prescriberpoint.com/therapies/naltrexone-hydrochloride-0f30f88 ;
# loperamide: https://pmc.ncbi.nlm.nih.gov/articles/PMC7504308 ;
# heroin: https://dailymed.nlm.nih.gov/dailymed/archives/fdaDrugInfo.cfm?archiveid=48058
_GENERICS: Final = {
    "alfentanil": _Med.OPIOID,
    "butorphanol": _Med.OPIOID,
    "codeine": _Med.OPIOID,
    "difenoxin": _Med.OPIOID,
    "dihydrocodeine": _Med.OPIOID,
    "diphenoxylate": _Med.OPIOID,
    "fentanyl": _Med.OPIOID,
    "heroin": _Med.OPIOID,
    "hydrocodone": _Med.OPIOID,
    "hydromorphone": _Med.OPIOID,
    "levorphanol": _Med.OPIOID,
    "loperamide": _Med.OPIOID,
    "meperidine": _Med.OPIOID,
    "morphine": _Med.OPIOID,
    "oxycodone": _Med.OPIOID,
    "oxymorphone": _Med.OPIOID,
    "pentazocine": _Med.OPIOID,
    "tapentadol": _Med.OPIOID,
    "tramadol": _Med.OPIOID,
    # Methadone and buprenorphine need the longer washout:
    # http://www.mipmpc.com/fajar-faq/when-is-naltrexone-therapy-not-suitable/
    "methadone": _Med.LONG_ACTING,
    "buprenorphine": _Med.LONG_ACTING,
    # https://link.springer.com/article/10.1007/s13181-018-0685-1
    "kratom": _Med.OPIOID_LIKE,
}
# Brand names and what they contain.
# Percocet, Percodan, OxyContin, Vicodin, Lortab, MS Contin, Kadian, Avinza, Oramorph,
# Dilaudid, Duragesic, Actiq, Methadose, Dolophine, Ultram, Ultracet, Subutex, Tylenol #3,
# Stadol: https://pmc.ncbi.nlm.nih.gov/articles/PMC2797112/table/t2-ascp-04-2-4
# Roxicodone, Xtampza, ConZip:
# https://minclinic.eu/drugs/drugs_eng/Drugs_A-Z/drugs-condition-1837.htm
# Norco, Zohydro, Hysingla, Exalgo, Roxicet, Tylox: https://worstpills.org/monographs/view/125
# Demerol, Fentora, Opana, Talwin, Levo-Dromoran:
# http://www.findrxinformation.org/Medication-Types/Medication/Narcotic-and-Opioid-Analgesics
# Suboxone, Subutex, Zubsolv, Butrans, Belbuca, Buprenex, Bunavail:
# https://pmc.ncbi.nlm.nih.gov/articles/PMC6585403/table/T1
# Sublocade, Brixadi: https://medx.it.com/what-medications-have-buprenorphine
# Nucynta:
# https://dailymed.nlm.nih.gov/dailymed/medguide.cfm?setid=ec2dd06c-0c6f-4e37-b75e-edc4f70646e2
# Lomotil:
# https://drugmart.com/articles/what-to-avoid-when-taking-low-dose-naltrexone
# Imodium: https://mediated.wiki/source/loperamide
_BRANDS: Final = {
    "percocet": "oxycodone",
    "percodan": "oxycodone",
    "oxycontin": "oxycodone",
    "roxicodone": "oxycodone",
    "roxicet": "oxycodone",
    "tylox": "oxycodone",
    "xtampza": "oxycodone",
    "vicodin": "hydrocodone",
    "lortab": "hydrocodone",
    "norco": "hydrocodone",
    "zohydro": "hydrocodone",
    "hysingla": "hydrocodone",
    "ms contin": "morphine",
    "kadian": "morphine",
    "avinza": "morphine",
    "oramorph": "morphine",
    "dilaudid": "hydromorphone",
    "exalgo": "hydromorphone",
    "duragesic": "fentanyl",
    "actiq": "fentanyl",
    "fentora": "fentanyl",
    "demerol": "meperidine",
    "opana": "oxymorphone",
    "talwin": "pentazocine",
    "levo-dromoran": "levorphanol",
    "stadol": "butorphanol",
    "ultram": "tramadol",
    "ultracet": "tramadol",
    "conzip": "tramadol",
    "nucynta": "tapentadol",
    "tylenol #3": "codeine",
    "tylenol #4": "codeine",
    "tylenol with codeine": "codeine",
    "lomotil": "diphenoxylate",
    "imodium": "loperamide",
    "methadose": "methadone",
    "dolophine": "methadone",
    "suboxone": "buprenorphine",
    "subutex": "buprenorphine",
    "zubsolv": "buprenorphine",
    "butrans": "buprenorphine",
    "belbuca": "buprenorphine",
    "buprenex": "buprenorphine",
    "bunavail": "buprenorphine",
    "sublocade": "buprenorphine",
    "brixadi": "buprenorphine",
}
# Second naltrexone products.
# Vivitrol: https://www.pdr.net/drug-summary/Vivitrol-naltrexone-1199
# ReVia and Depade, 50 mg tablets: https://psychmed.org/drugs/naltrexone/summary
# Contrave is naltrexone with bupropion:
# https://dailymed.nlm.nih.gov/dailymed/fda/fdaDrugXsl.cfm?setid=ed2da3a6-0614-4bea-8e82-962cbaae6428&type=display
_NALTREXONE_PRODUCTS: Final = {
    "vivitrol": "extended-release naltrexone injection",
    "revia": "naltrexone 50 mg tablets",
    "depade": "naltrexone 50 mg tablets",
    "contrave": "naltrexone and bupropion",
    "naltrexone/bupropion": "naltrexone and bupropion",
    "bupropion/naltrexone": "naltrexone and bupropion",
    "naltrexone-bupropion": "naltrexone and bupropion",
}
_ALL_MEDS: Final = sorted([*_GENERICS, *_BRANDS, *_NALTREXONE_PRODUCTS], key=len, reverse=True)
_MEDS: Final = re.compile(
    r"(?<![a-z0-9])("
    + "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in _ALL_MEDS)
    + r")(?![a-z0-9])",
    re.IGNORECASE,
)
# Standard-dose or long-acting naltrexone written by its generic name.
_NALTREXONE_DOSE: Final = re.compile(
    r"naltrexone(?:\s+(?:hcl|hydrochloride))?\s+(?P<num>[0-9]+(?:\.[0-9]+)?)\s*mg", re.IGNORECASE
)
_NALTREXONE_LONG: Final = re.compile(
    r"(?:extended[- ]release|injectable|depot|xr)\s+naltrexone"
    r"|naltrexone\s+(?:injection|implant|extended[- ]release|xr|er)(?![a-z])",
    re.IGNORECASE,
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
    _Med.OPIOID: _SHORT_WASHOUT,
    _Med.OPIOID_LIKE: _SHORT_WASHOUT,
    _Med.LONG_ACTING: "after methadone or buprenorphine the patient must be opioid-free "
    "for 10–14 days before the first dose",
}
_WHAT: Final = {
    _Med.OPIOID: "an opioid",
    _Med.OPIOID_LIKE: "an opioid-like botanical",
    _Med.LONG_ACTING: "an opioid",
}


def med_findings(meds: str, file: str) -> list[Finding]:
    """An error for each opioid or second naltrexone product named in ``--meds``."""
    found: list[Finding] = []
    seen: set[str] = set()
    for match in _MEDS.finditer(meds):
        written = match[1]
        name = re.sub(r"\s+", " ", written.lower())
        if name in _NALTREXONE_PRODUCTS:
            if name not in seen:
                seen.add(name)
                found.append(_naltrexone_finding(file, written, _NALTREXONE_PRODUCTS[name]))
            continue
        generic = _BRANDS.get(name, name)
        if generic in seen:
            continue
        seen.add(generic)
        kind = _GENERICS[generic]
        shown = written if generic == name else f"{written} ({generic})"
        found.append(
            Finding.of(
                Code.OPIOID,
                file,
                None,
                None,
                f"--meds: {shown} is {_WHAT[kind]}; naltrexone is contraindicated with opioids "
                f"and can bring on withdrawal: {_WASHOUT[kind]}",
            )
        )
    for match in _NALTREXONE_DOSE.finditer(meds):
        if Decimal(match["num"]) >= STANDARD_DOSE_MG and "naltrexone-dose" not in seen:
            seen.add("naltrexone-dose")
            found.append(_naltrexone_finding(file, match[0], "standard-dose naltrexone"))
    for match in _NALTREXONE_LONG.finditer(meds):
        if "naltrexone-long" not in seen:
            seen.add("naltrexone-long")
            found.append(
                _naltrexone_finding(file, match[0], "extended-release naltrexone injection")
            )
    return found


def _naltrexone_finding(file: str, written: str, what: str) -> Finding:
    lasting = (
        "; its effect lasts 28–30 days or more after an injection"
        if "extended-release" in what
        else ""
    )
    return Finding.of(
        Code.DUPLICATE_NALTREXONE,
        file,
        None,
        None,
        f"--meds: {written} is {what}, a second naltrexone product on top of the low dose; "
        f"do not combine them{lasting}",
    )
