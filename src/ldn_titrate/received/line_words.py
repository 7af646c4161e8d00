"""The words a line outside a plan's table is read by: a title's, a formulation's, its keys.

Words are folded as header keys are (lower case, no accents), in the eight languages read.
"""

from __future__ import annotations

from typing import Final

# Words of a plan's title in the eight languages read (the drug, its dose and the kind of chart).
TITLE_WORDS: Final = frozenset(
    {
        "ldn", "low", "dose", "naltrexone", "titration", "titrating", "schedule", "plan", "chart",
        "dosing", "regimen", "protocol", "taper", "calendar", "the", "a", "an", "of", "to",
        "patient", "quantities", "dispense", "and", "sheet", "table", "oral", "liquid", "capsules",
        "capsule", "suspension", "solution", "compounded", "dosage",
        "titrationsplan", "aufdosierung", "einschleichschema", "dosierungsplan", "dosierschema",
        "schema", "naltrexon", "niedrig", "dosiert", "niedrigdosiert", "niedrigdosiertes", "der",
        "die", "das", "fur", "von", "de", "la", "le", "du", "faible", "calendrier", "posologie",
        "des", "pauta", "esquema", "titulacion", "naltrexona", "dosis", "baja", "bajas", "el",
        "del", "faibles", "doses", "dosi", "basse", "bassa", "bassi", "gelules", "gelule",
        "calendario", "piano", "titolazione", "di", "basso", "dosaggio", "il", "opbouwschema",
        "titratieschema", "doseerschema", "lage", "het", "harmonogram", "schemat", "zwiekszania",
        "dawki", "dawkowania", "naltreksonu", "naltrekson", "niskiej", "dawce", "titulacao",
        "baixa", "posologia", "da", "do", "losung", "trinklosung", "zum", "einnehmen",
        "hartkapseln", "kapseln", "soluzione", "orale", "solucion", "losning",
        "opplosning", "upptrappning", "opptrapping", "optrapning", "doseringsschema",
        "doseringsplan", "doseringsskema", "mikstur",
    }
)  # fmt: skip
TITLE_ROOTS: Final = ("titra", "titul", "titol", "dosier", "schema", "plan", "naltrex")


# Keys of a line that say who or what the plan is for, with no clinical meaning.
IDENTITY_KEYS: Final = frozenset(
    {
        "patient", "name", "patient_name", "dob", "date_of_birth", "born", "rx", "rx_no",
        "rx_number", "mrn", "nhs", "nhs_number", "id", "patient_id", "prescriber", "doctor", "dr",
        "physician", "pharmacy", "pharmacist", "address", "phone", "tel", "date", "printed",
        "prepared_by", "written_by", "signed", "geburtsdatum", "patientin", "arzt", "arztin",
        "apotheke", "datum", "nom", "date_de_naissance", "medecin", "pharmacie", "nombre",
        "fecha_de_nacimiento", "medico", "farmacia", "fecha", "nome", "data_di_nascita", "naam",
        "geboortedatum", "arts", "apotheek",
        # The head of an e-mail or a fax that carries the plan.
        "from", "to", "sent", "subject", "re", "fax", "betreff", "gesendet", "objet", "envoye",
        "asunto", "enviado", "oggetto", "inviato", "onderwerp", "verzonden", "temat"
    }
)  # fmt: skip
LABEL_KEYS: Final = frozenset({"label", "etikett", "etiquette", "etiqueta", "etichetta"})
# Keys whose value states the plan's medicine and its formulation.
FORMULATION_KEYS: Final = frozenset(
    {
        "formulation", "strength", "concentration", "product", "drug", "medicine", "medication",
        "preparation", "zubereitung", "starke", "konzentration", "arzneimittel", "medikament",
        "forme", "dosage_form", "medicament", "formulacion", "concentracion", "medicamento",
        "formulazione", "concentrazione", "farmaco", "sterkte", "concentratie", "geneesmiddel",
        "bereiding"
    }
)  # fmt: skip
# Words of a line that states a formulation (besides its numbers and units).
FORMULATION_WORDS: Final = TITLE_WORDS | frozenset(
    {
        "mg", "ml", "mcg", "per", "in", "at", "most", "one", "measured", "on", "syringe", "marked",
        "every", "each", "graduation", "oral", "suspension", "solution", "liquid", "capsules",
        "capsule", "of", "hydrochloride", "hcl", "strength", "concentration", "kapseln", "kapsel",
        "gelules", "gelule", "capsulas", "capsula", "lösung", "losung", "saft", "sirup", "solucion",
        "soluzione", "oplossing", "drank", "pro", "par", "por", "mit", "avec", "con", "met",
        "formulation"
    }
)  # fmt: skip
