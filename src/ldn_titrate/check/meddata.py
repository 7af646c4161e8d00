"""The medicine screen's data: every name it knows, in groups, each group with its sources.

Names are written as the screen compares them: lower case, accents removed, ``-`` and single
spaces between words (a space or hyphen in a name also matches the other, or nothing).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, NamedTuple


class Kind(StrEnum):
    """What a medicine is, which decides the finding and the washout it names."""

    OPIOID = "opioid"
    LONG_ACTING = "long-acting"
    OPIOID_LIKE = "opioid-like"
    NALTREXONE = "naltrexone"


class Group(NamedTuple):
    """Names from one set of sources: each name maps to the medicine it is or contains."""

    sources: tuple[str, ...]
    names: dict[str, str]


# Generic opioids, by their kind. The naltrexone label and the interaction lists:
# https://drugcentral.org/label/adb7c4dc-221a-4d91-9687-0d78913a92ad/view ;
# https://www.goodrx.com/naltrexone/interactions ;
# https://drugmart.com/articles/what-to-avoid-when-taking-low-dose-naltrexone
GENERICS: Final = {
    "alfentanil": Kind.OPIOID,
    "butorphanol": Kind.OPIOID,
    "codeine": Kind.OPIOID,
    "difenoxin": Kind.OPIOID,
    "dihydrocodeine": Kind.OPIOID,
    "diphenoxylate": Kind.OPIOID,
    "fentanyl": Kind.OPIOID,
    # https://dailymed.nlm.nih.gov/dailymed/archives/fdaDrugInfo.cfm?archiveid=48058
    "heroin": Kind.OPIOID,
    "hydrocodone": Kind.OPIOID,
    "hydromorphone": Kind.OPIOID,
    "levorphanol": Kind.OPIOID,
    # https://pmc.ncbi.nlm.nih.gov/articles/PMC7504308
    "loperamide": Kind.OPIOID,
    "meperidine": Kind.OPIOID,
    "morphine": Kind.OPIOID,
    "oxycodone": Kind.OPIOID,
    "oxymorphone": Kind.OPIOID,
    "pentazocine": Kind.OPIOID,
    "tapentadol": Kind.OPIOID,
    # https://prescriberpoint.com/therapies/naltrexone-hydrochloride-0f30f88
    "tramadol": Kind.OPIOID,
    # Tilidine, sold with naloxone in Germany:
    # https://www.drugcom.de/wissenstests/opiate/weitere-informationen-zu-opiaten/tilidin/
    "tilidine": Kind.OPIOID,
    # Methadone and buprenorphine need the longer washout:
    # http://www.mipmpc.com/fajar-faq/when-is-naltrexone-therapy-not-suitable/
    "methadone": Kind.LONG_ACTING,
    "buprenorphine": Kind.LONG_ACTING,
    # https://link.springer.com/article/10.1007/s13181-018-0685-1
    "kratom": Kind.OPIOID_LIKE,
}

# Each group maps a name to the generic it is or contains (a key of GENERICS), or, for a
# second naltrexone product, to the words that say what it is.
GROUPS: Final = (
    Group(
        (
            "https://pmc.ncbi.nlm.nih.gov/articles/PMC2797112/table/t2-ascp-04-2-4",
            "https://minclinic.eu/drugs/drugs_eng/Drugs_A-Z/drugs-condition-1837.htm",
            "https://worstpills.org/monographs/view/125",
            "http://www.findrxinformation.org/Medication-Types/Medication/Narcotic-and-Opioid-Analgesics",
            "https://pmc.ncbi.nlm.nih.gov/articles/PMC6585403/table/T1",
            "https://medx.it.com/what-medications-have-buprenorphine",
            "https://dailymed.nlm.nih.gov/dailymed/medguide.cfm?setid=ec2dd06c-0c6f-4e37-b75e-edc4f70646e2",
            "https://drugmart.com/articles/what-to-avoid-when-taking-low-dose-naltrexone",
            "https://mediated.wiki/source/loperamide",
        ),
        {
            # United States brands.
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
        },
    ),
    # UK combination products: co-codamol is paracetamol with codeine, co-dydramol paracetamol
    # with dihydrocodeine.
    Group(
        (
            "https://www.nhsfife.org/services/all-services/patient-advice/paracetamol-combinations",
            "https://dxline.info/drugs/co-codamol",
        ),
        {
            "co-codamol": "codeine",
            "co-dydramol": "dihydrocodeine",
            "co-codaprin": "codeine",
            "kapake": "codeine",
            "solpadol": "codeine",
            "zapain": "codeine",
        },
    ),
    Group(
        (
            "https://www.medscape.co.uk/drug/paracetamol-with-codeine-and-caffeine-oral-25547-25547",
            "http://www.medicines.ie/medicine/6825/SPC/Solpadeine+Capsules/",
        ),
        {"solpadeine": "codeine", "codasolve": "codeine", "ultramol": "codeine"},
    ),
    Group(
        (
            "https://medicines.org.uk/emc/product/5627/smpc",
            "https://www.nps.org.au/medicine-finder/nurofen-plus-tablets",
        ),
        {"nurofen plus": "codeine"},
    ),
    # Canada: Tylenol No. 1 to No. 4 contain codeine.
    Group(
        (
            "https://studylib.net/doc/8184850/prescribing-information-tylenol-%C2%AE-no.-1-acetaminophen",
        ),
        {
            "tylenol no. 1": "codeine",
            "tylenol no. 2": "codeine",
            "tylenol no. 3": "codeine",
            "tylenol no. 4": "codeine",
            "tylenol no 3": "codeine",
            "tylenol 3": "codeine",
        },
    ),
    # Tramadol brands in Europe and Australia, and tramadol with paracetamol.
    Group(
        (
            "https://wagem.org/drug/tramadol/",
            "https://oladoctor.com/en/medicines/spain/zaldiar-375-mg325-mg-comprimidos-recubiertos-con-pelicula",
            "https://www.mydr.com.au/medicines/zaldiar-tablets",
        ),
        {
            "tramal": "tramadol",
            "contramal": "tramadol",
            "zydol": "tramadol",
            "zamadol": "tramadol",
            "topalgic": "tramadol",
            "zaldiar": "tramadol",
            "tramacet": "tramadol",
        },
    ),
    # Oxycodone with naloxone (Targin), and oxycodone alone (OxyNorm, Endone).
    Group(
        (
            "https://www.nps.org.au/medicine-finder/targin-10-5-mg-modified-release-tablets",
            "https://en.wikipedia.org/wiki/Oxycodone/naloxone",
            "https://austablet.com/product/oxynorm-10mg-20mg-x-20-capsules/",
        ),
        {
            "targin": "oxycodone",
            "targinact": "oxycodone",
            "oxynorm": "oxycodone",
            "endone": "oxycodone",
        },
    ),
    Group(
        (
            "https://www.medicines.org.uk/emc/product/8046/pil",
            "https://www.nps.org.au/medicine-finder/palexia-ir-immediate-release-tablets",
        ),
        {"palexia": "tapentadol"},
    ),
    Group(
        (
            "https://www.nps.org.au/medical-info/medicine-finder/temgesic-sublingual-tablets",
            "https://www.buppractice.com/node/12161",
        ),
        {"temgesic": "buprenorphine"},
    ),
    Group(
        ("https://www.nps.org.au/medicine-finder/durogesic-patches",),
        {"durogesic": "fentanyl"},
    ),
    Group(
        (
            "https://www.nps.org.au/medical-info/medicine-finder/kapanol-capsules",
            "https://www.nps.org.au/medical-info/medicine-finder/ms-mono-modified-release-capsules",
            "https://www.nps.org.au/medical-info/medicine-finder/anamorph-tablets",
        ),
        {"kapanol": "morphine", "ms mono": "morphine", "anamorph": "morphine"},
    ),
    Group(
        (
            "https://www.nps.org.au/medicine-finder/panadeine-forte-tablets",
            "https://www.nps.org.au/medicine-finder/panadeine-extra-caplets",
            "https://www.nps.org.au/medical-info/medicine-finder/panamax-co-tablets",
            "https://www.nps.org.au/medicine-finder/codapane-forte-tablets",
        ),
        {"panadeine": "codeine", "panamax co": "codeine", "codapane": "codeine"},
    ),
    # Tilidine with naloxone in Germany (Valoron N).
    Group(
        (
            "https://onmeda.de/therapie/medikamente/valoron-n-retard-50-4mg-100-8mg-150-12mg-200-16mg-retardtabletten-id208206/?print=1",
            "https://www.drugcom.de/wissenstests/opiate/weitere-informationen-zu-opiaten/tilidin/",
        ),
        {"tilidin": "tilidine", "valoron": "tilidine"},
    ),
    # Hydrocodone cough medicines.
    Group(
        (
            "https://www.goodrx.com/tussicaps/what-is",
            "http://www.medicinenet.com/hydrocodone_with_homatropine-oral/article.htm",
        ),
        {
            "tussionex": "hydrocodone",
            "tussicaps": "hydrocodone",
            "hycodan": "hydrocodone",
            "tussigon": "hydrocodone",
        },
    ),
    # Spellings in other languages: German Morphin, Oxycodon, Methadon, Buprenorphin, Codein;
    # Dutch morfine, codeïne (the screen removes the accent); pethidine is the UK name of
    # meperidine.
    Group(
        (
            "https://www.pille-palle.net/themen/opioid-analgetika/",
            "https://www.oxycodonepharm.com/de/post/oxycodon-ist-ein-starkes-verschreibungspflichtiges-schmerzmittel-opioid-das-zur-behandlung-von-mi",
            "https://millionsofpeachesblog.com/%e2%9a%a1-opioide-medikamente-fuer-akute-und-chronische-schmerzen-und-andere-verwendungen",
            "http://www.netdoctor.co.uk/medicines/aches-and-pains/a7629/temgesic-sublingual-tablets-buprenorphine/",
        ),
        {
            "morphin": "morphine",
            "morfine": "morphine",
            "morfin": "morphine",
            "oxycodon": "oxycodone",
            "methadon": "methadone",
            "buprenorphin": "buprenorphine",
            "codein": "codeine",
            "kodein": "codeine",
            "fentanil": "fentanyl",
            "pethidine": "meperidine",
        },
    ),
)

# Second naltrexone products, by what they are.
NALTREXONE_PRODUCTS: Final = Group(
    (
        "https://www.pdr.net/drug-summary/Vivitrol-naltrexone-1199",
        "https://psychmed.org/drugs/naltrexone/summary",
        "https://dailymed.nlm.nih.gov/dailymed/fda/fdaDrugXsl.cfm?setid=ed2da3a6-0614-4bea-8e82-962cbaae6428&type=display",
        # Mysimba, the EU brand of naltrexone with bupropion:
        "https://www.ema.europa.eu/en/medicines/human/EPAR/mysimba",
    ),
    {
        "vivitrol": "extended-release naltrexone injection",
        "revia": "naltrexone 50 mg tablets",
        "depade": "naltrexone 50 mg tablets",
        "contrave": "naltrexone and bupropion",
        "mysimba": "naltrexone and bupropion",
        "naltrexone/bupropion": "naltrexone and bupropion",
        "bupropion/naltrexone": "naltrexone and bupropion",
        "naltrexone-bupropion": "naltrexone and bupropion",
    },
)
