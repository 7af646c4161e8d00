"""Column headers as people write them, in English and in seven other languages of Europe.

A header is compared after folding its case and accents and turning every run of punctuation
and spaces into one space: ``Dose (mg)`` is ``dose mg``, ``Début`` is ``debut``,
``start_date`` is ``start date``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Final

# The part of a step each header names, as this tool and English-speaking pharmacies write it.
ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "step": (
        "step", "step no", "step number", "no", "number", "#",
    ),
    "first_day": (
        "start date", "start", "date", "first day", "first date", "start day", "from",
        "from date", "date from", "begin", "begins", "starting",
    ),
    "last_day": (
        "end date", "end", "last day", "last date", "end day", "to", "to date", "date to",
        "until", "through", "stop", "stop date", "ends",
    ),
    "days": (
        "days", "duration", "duration days", "number of days", "no of days", "length days",
    ),
    "dose_mg": (
        "dose mg", "dose", "mg", "dose in mg", "daily dose", "daily dose mg", "dose mg day",
        "mg day", "ldn dose", "ldn dose mg", "naltrexone", "naltrexone mg", "naltrexone dose",
        "naltrexone dose mg", "ldn", "ldn mg", "total daily dose", "total daily dose mg",
        "daily total", "daily total mg",
    ),
    "dose_mcg": (
        "mcg", "dose mcg", "dose in mcg", "daily dose mcg", "dose mcg day", "mcg day",
        "micrograms", "dose micrograms", "µg", "dose µg", "μg", "dose μg", "ug", "dose ug",
        "naltrexone mcg", "ldn mcg",
    ),
    "dose_g": (
        "dose g", "g", "grams", "dose grams", "dose in g", "dose in grams",
    ),
    "weeks": (
        "week", "weeks", "week no", "week number", "weeks no",
    ),
    "volume": (
        "volume ml", "volume", "ml", "volume in ml", "dose ml", "vol", "vol ml",
    ),
    "capsules": (
        "capsules", "capsule", "caps",
    ),
    # Capsules in one dose, counted (3), with their strength in a column of its own.
    "capsule_count": (
        "capsules per night", "capsules per day", "capsules per dose", "capsules nightly",
        "caps per night", "caps per day", "caps per dose", "number of capsules",
        "no of capsules", "capsule count", "kapseln pro tag", "kapseln pro abend",
        "anzahl kapseln", "gelules par jour", "gelules par soir", "nombre de gelules",
        "capsulas por dia", "capsulas por noche", "numero de capsulas", "capsule al giorno",
        "capsule per sera", "numero di capsule", "capsules per dag", "aantal capsules",
    ),
    "capsule_strength": (
        "capsule strength", "capsule strength mg", "strength per capsule", "capsule mg",
        "kapselstarke", "dosage gelule", "dosage des gelules", "concentracion capsula",
        "dosis capsula", "dosaggio capsula", "sterkte capsule",
    ),
    # The smallest mark of the oral syringe, as this tool's CSV records it.
    "graduation": (
        "graduation ml", "graduation", "syringe graduation ml", "syringe mark ml",
    ),
    "concentration": (
        "concentration", "concentration mg per ml", "concentration mg ml", "conc", "strength",
        "strength mg ml", "strength mg per ml",
    ),
    "morning_mg": (
        "morning", "am", "morning mg", "morning dose", "morning dose mg", "am mg",
    ),
    "bedtime_mg": (
        "bedtime", "pm", "bedtime mg", "bedtime dose", "bedtime dose mg", "pm mg",
    ),
    "morning_ml": (
        "morning ml", "am ml", "morning volume ml",
    ),
    "bedtime_ml": (
        "bedtime ml", "pm ml", "bedtime volume ml",
    ),
    "morning_capsules": (
        "morning capsules", "am capsules",
    ),
    "bedtime_capsules": (
        "bedtime capsules", "pm capsules",
    ),
    "quantity": (
        "quantity", "qty", "quantity to dispense", "quantity ml",
    ),
    "instructions": (
        "instructions", "instruction", "sig", "directions",
    ),
    "frequency": (
        "frequency", "freq", "how often", "times per day", "times a day", "times daily",
        "doses per day", "doses a day", "dosing frequency", "daily frequency",
    ),
    "label": (
        "label",
    ),
    "note": (
        "note", "notes", "comment", "comments", "reason", "remarks",
    ),
}  # fmt: skip
# The same in German, French, Spanish, Italian, Dutch, Polish and Portuguese charts (Beginn,
# debut, inicio, inizio, begin, od; Tage, jours, dias, giorni, dagen, dni; ...), read in tables
# only: a JSON key such as "data" or "n" is not a header.
FOREIGN_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "step": (
        "schritt", "stufe", "etape", "paso", "passo", "fase", "stap", "nr", "n",
    ),
    "first_day": (
        "beginn", "startdatum", "anfang", "von", "ab", "datum", "ab datum", "debut",
        "date de debut", "du", "a partir du", "inicio", "fecha de inicio", "fecha inicio",
        "desde", "fecha", "inizio", "data inizio", "data di inizio", "dal", "da", "data",
        "begindatum", "vanaf", "van",
        "od", "data rozpoczecia", "data poczatku", "data de inicio",
    ),
    "last_day": (
        "ende", "enddatum", "bis", "bis datum", "fin", "date de fin", "au", "jusqu au",
        "fecha de fin", "fecha fin", "hasta", "fine", "data fine", "data di fine", "al",
        "fino al", "eind", "einddatum", "tot", "t m", "tot en met",
        "do", "data zakonczenia", "data konca", "fim", "data de fim", "data final", "ate",
    ),
    "days": (
        "tage", "anzahl tage", "dauer", "dauer tage", "jours", "nombre de jours", "duree",
        "duree jours", "dias", "numero de dias", "duracion", "duracion dias", "giorni",
        "numero di giorni", "durata", "durata giorni", "dagen", "aantal dagen", "duur",
        "duur dagen",
        "dni", "liczba dni", "czas trwania", "numero de dias", "duracao", "duracao dias",
    ),
    "dose_mg": (
        "dosis", "dosis mg", "dosierung mg", "tagesdosis", "tagesdosis mg",
        "dose journaliere", "dose journaliere mg", "posologie mg", "dosis diaria",
        "dosis diaria mg", "dose giornaliera", "dose giornaliera mg", "dosaggio", "dosaggio mg",
        "dagdosis", "dagdosis mg", "dosering mg", "tagesgesamtdosis", "tagesgesamtdosis mg",
        "dose totale", "dose totale mg", "totale giornaliero", "totale giornaliero mg",
        "dose journaliere totale", "dose journaliere totale mg", "dosis total", "dosis total mg",
        "dosis diaria total", "dosis diaria total mg", "totale dagdosis", "totale dagdosis mg",
        # Polish and Portuguese
        "dawka", "dawka mg", "dawka dobowa", "dawka dobowa mg", "dose diaria", "dose diaria mg",
    ),
    "dose_mcg": (
        "dosis µg", "dosis ug", "dosis mcg",
    ),
    "weeks": (
        "tydzien", "tygodnie",
        "woche", "wochen", "semaine", "semaines", "semana", "semanas", "settimana", "settimane",
        "weken",
    ),
    "volume": (
        "volumen", "volumen ml", "dosis ml", "volume dose ml",
    ),
    "capsules": (
        "kapseln", "kapsel", "gelules", "gelule", "capsulas", "capsula", "kapsulki",
    ),
    "concentration": (
        "konzentration", "konzentration mg ml", "starke", "concentracion", "concentrazione",
        "concentratie", "sterkte", "stezenie", "concentracao",
    ),
    "morning_mg": (
        "morgens", "morgens mg", "matin", "matin mg", "manana", "manana mg", "mattina",
        "mattina mg", "ochtend", "ochtend mg",
    ),
    "bedtime_mg": (
        "abends", "abends mg", "soir", "soir mg", "noche", "noche mg", "sera", "sera mg",
        "avond", "avond mg",
    ),
    "quantity": (
        "menge", "menge ml", "abgabemenge", "quantite", "cantidad", "quantita", "hoeveelheid",
        "ilosc", "quantidade",
    ),
    "instructions": (
        "anweisung", "anwendung", "einnahme", "einnahmehinweis", "consignes", "mode d emploi",
        "instrucciones", "indicaciones", "istruzioni", "indicazioni", "instructies", "instructie",
        "anweisungen", "istruzione", "instruccion",
        "gebruiksaanwijzing", "sposob uzycia", "instrucoes", "prise", "mode de prise",
        "moment de prise", "toma", "assunzione", "inname", "einnahmezeitpunkt",
    ),
    "frequency": (
        "haufigkeit", "frequence", "frecuencia", "frequenza", "frequentie",
    ),
    "note": (
        "bemerkung", "bemerkungen", "hinweis", "hinweise", "anmerkung", "remarque", "remarques",
        "commentaire", "commentaires", "observaciones", "nota", "notas", "opmerking",
        "opmerkingen", "uwagi", "observacoes", "anteckning", "anteckningar", "kommentar",
        "kommentarer", "bemaerkning", "bemaerkninger", "merknad", "merknader",
    ),
}  # fmt: skip

# A column of the dosage instructions (French posologie, Spanish posología, Italian and
# Portuguese posologia, Dutch dosering, German Dosierung): the instructions where another
# column gives the dose, the dose where none does.
POSOLOGY_HEADERS: Final = frozenset({"posologie", "posologia", "dosering", "dosierung"})

# Columns with no clinical meaning: a row's number in the spreadsheet and who the plan is for.
# Their cells are not read into a step and not reported, but they still pass the text screens.
NO_CLINICAL_MEANING: Final = frozenset(
    {
        "row", "row no", "line", "line no", "zeile", "ligne", "fila", "riga", "rij", "regel",
        "patient", "patient name", "name", "initials", "patient initials", "patient id", "id",
        "mrn", "rx", "rx no", "rx number", "prescription number", "nhs number",
        "patientin", "patient in", "nom", "paciente", "paziente",
        "prescriber", "pharmacist", "checked by", "signature", "sign",
    }
)  # fmt: skip

# A column or title that heads a list of the patient's medicines.
_MED_LIST_HEADINGS: Final = (
    "current medications", "current medication", "current medicines", "medication list",
    "medications", "medicines", "meds", "current meds", "other medications",
    "other medicines", "other meds", "regular medicines", "regular medications",
    "concomitant medications", "concomitant medicines", "supplements", "drug list",
    "medication history", "repeat medicines", "repeat medications",
    "med list", "meds list", "home medications", "home meds", "active medications",
    "concurrent medications", "concomitant meds",
    "aktuelle medikation", "dauermedikation", "medikamente",
    "andere medikamente", "begleitmedikation", "nahrungserganzungsmittel",
    "traitements en cours", "traitement en cours", "medicaments",
    "autres medicaments", "medicaments en cours", "complements alimentaires",
    "medicacion actual", "medicamentos", "otros medicamentos", "suplementos",
    "farmaci in uso", "farmaci", "terapia in corso", "altri farmaci", "integratori",
    "huidige medicatie", "medicijnen", "andere medicijnen", "supplementen",
    # Polish, Portuguese, Norwegian, Danish and Swedish
    "leki przyjmowane", "przyjmowane leki", "lista lekow", "leki stale", "inne leki",
    "medicacao atual", "medicamentos em uso", "outros medicamentos",
    "faste medisiner", "medisiner", "medisinliste", "andre medisiner", "faste laegemidler",
    "laegemidler", "medicinliste", "aktuell medicinering", "lakemedel", "lakemedelslista",
    "ovriga lakemedel", "ovrige laegemidler",
)  # fmt: skip
MED_LIST_HEADINGS: Final = frozenset(_MED_LIST_HEADINGS)

_PUNCTUATION: Final = re.compile(r"[^0-9a-zµμ#]+")
FIELD_OF_HEADER: Final = {alias: field for field, names in ALIASES.items() for alias in names}
TABLE_FIELD_OF_HEADER: Final = {
    **FIELD_OF_HEADER,
    **{alias: field for field, names in FOREIGN_ALIASES.items() for alias in names},
}


@lru_cache(maxsize=1024)
def header_key(header: str) -> str:
    """A header as compared: case and accents folded, punctuation and spaces one space."""
    # "ß", the Polish "ł" and the Danish and Norwegian "æ" and "ø" have no accent to fold away.
    folded = unicodedata.normalize(
        "NFKD",
        header.casefold().replace("ß", "ss").replace("ł", "l").replace("æ", "ae").replace("ø", "o"),
    )
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return _PUNCTUATION.sub(" ", plain).strip()


@lru_cache(maxsize=1024)
def med_list_heading(text: str) -> bool:
    """Whether a header or a title (before any ``:``) heads a list of the patient's medicines."""
    return header_key(text.split(":", 1)[0]) in MED_LIST_HEADINGS
