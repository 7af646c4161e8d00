"""Every key of a JSON plan accounted for: read by its meaning, known to carry none, or reported.

The steps may stand under another key (``schedule``, ``titration``, ``doses``, ``plan``,
``steps``, ``weeks``, ``phases``) at any depth. A key that names a list of the patient's
medicines (``medications``, ``current_medications``, ``supplements``, and the same in
German, French, Spanish, Italian and Dutch) is a medicine list wherever it stands. Any other
key that is neither read nor listed here as carrying no meaning is a part not read, its text
kept for the screens.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Final

from ldn_titrate.received.cells import field_of
from ldn_titrate.received.fhir_values import flattened
from ldn_titrate.received.model import MedList, Unread
from ldn_titrate.received.unread import Found, gather, unread_of

# Keys under which a plan keeps its list of steps, looked for breadth first.
STEP_CONTAINERS: Final = frozenset(
    {"steps", "schedule", "titration", "doses", "plan", "weeks", "phases"}
)
# Keys of a step read besides the step's own parts (``cells.field_of``), and of each of its
# doses of the day (``administrations``).
STEP_READ: Final = frozenset({"administrations", "label"})
ADMINISTRATION_READ: Final = frozenset({"time", "dose_mg", "volume_ml", "capsules"})
# Keys at the top of a plan this tool writes (``plan --format json``), read or of no meaning:
# the steps, the request (below), the concentration, the dispensing record (its fills are
# read; the rest is what to dispense, not what to take), and the writer's own bookkeeping.
TOP_READ: Final = frozenset({"request", "concentration", "dispense"})
WRITER_KEYS: Final = frozenset({"schema_version", "tool", "tool_version", "warnings"})
# Keys of the request: read by their meaning, or the writer's record of the options it was
# planned from, which the steps themselves state.
REQUEST_READ: Final = frozenset(
    {
        "form",
        "concentration_mg_per_ml",
        "graduation_ml",
        "strengths_mg",
        "max_units",
        "bud_days",
        "meds",
        "meds_reviewed",
        "label",
    }
)
REQUEST_WRITER: Final = frozenset(
    {
        "start",
        "target",
        "step",
        "every",
        "from",
        "maintenance_days",
        "time",
        "source",
        "overage_percent",
        "split",
        "steps",
        "weight_kg",
        "mg_per_kg",
        "target_from_weight",
        "preset",
        "overrides",
        "replan",
    }
)
# Keys with no clinical meaning wherever they stand: ids, versions, times of writing, and who
# the plan is for and from (names, not doses).
NO_MEANING: Final = frozenset(
    {
        "patient",
        "patient_name",
        "prescriber",
        "pharmacy",
        "clinic",
        "author",
        "id",
        "uuid",
        "version",
        "schema",
        "schema_version",
        "created",
        "created_at",
        "updated",
        "updated_at",
        "generated_at",
        "exported_at",
        "timestamp",
    }
)
# Keys that hold the patient's medicines, after folding (lower case, no accents, "_" between
# words). English, then German, French, Spanish, Italian and Dutch.
MED_LIST_KEYS: Final = frozenset(
    {
        "medications",
        "current_medications",
        "current_medication",
        "current_meds",
        "other_medicines",
        "other_medications",
        "other_meds",
        "meds",
        "medicines",
        "medication_list",
        "medicines_list",
        "regular_medicines",
        "regular_medications",
        "supplements",
        "medikamente",
        "aktuelle_medikamente",
        "andere_medikamente",
        "medikation",
        "dauermedikation",
        "nahrungserganzungsmittel",
        "medicaments",
        "traitement_en_cours",
        "traitements_en_cours",
        "autres_medicaments",
        "complements_alimentaires",
        "medicamentos",
        "medicacion",
        "medicacion_actual",
        "otros_medicamentos",
        "suplementos",
        "farmaci",
        "altri_farmaci",
        "terapia_in_corso",
        "integratori",
        "medicijnen",
        "medicatie",
        "geneesmiddelen",
        "andere_medicijnen",
        "supplementen",
        # Other ways of heading the list: a medication list, home medicines, medicines taken
        # alongside (a FHIR extension is named so by its url: ".../concurrent-medication").
        "med_list",
        "meds_list",
        "home_medications",
        "home_meds",
        "active_medications",
        "concurrent_medication",
        "concurrent_medications",
        "concomitant_medication",
        "concomitant_medications",
    }
)
# The same keys written in camel case or run together (``currentMedications``).
_MED_LIST_JOINED: Final = frozenset(key.replace("_", "") for key in MED_LIST_KEYS)
# Keys at the top of a plan read as its text: notes (screened, and a strength they name is the
# plan's formulation when none other is stated) and the medicine's name (screened).
NOTE_KEYS: Final = frozenset(
    {"note", "notes", "comment", "comments", "remarks", "title", "description"}
)
MEDICINE_KEYS: Final = frozenset(
    {"medication", "medicine", "drug", "product", "medication_name", "drug_name", "item"}
)
REVIEWED_KEYS: Final = frozenset(
    {"meds_reviewed", "medications_reviewed", "medication_reviewed", "reviewed"}
)
_NOT_WORD: Final = re.compile(r"[^a-z0-9]+")
# A plan is a few levels deep; the search for its steps stops at this many objects.
_MAX_NODES: Final = 10_000
# Medicine lists are looked for this many levels into a part not read.
_MAX_DEPTH: Final = 32


def text_place(where: str) -> str:
    """The place of a text read at a key: ``medication`` for the medicine's name, else the key."""
    return "medication" if folded(where.rsplit(".", 1)[-1]) in MEDICINE_KEYS else where


@lru_cache(maxsize=4096)
def folded(key: str) -> str:
    """A key as compared: lower case, accents dropped, runs of other characters one ``_``."""
    plain = unicodedata.normalize("NFKD", key.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return _NOT_WORD.sub("_", plain).strip("_")


def med_list_key(key: str) -> bool:
    """Whether a key (or the last part of a url) names a list of the patient's medicines."""
    name = folded(key)
    return name in MED_LIST_KEYS or name.replace("_", "") in _MED_LIST_JOINED


def find_steps(data: Mapping[str, object]) -> tuple[list[object], tuple[str, ...]] | None:
    """The list of steps and the keys that lead to it, breadth first; None if there is none.

    A list counts when it stands under a step key, at any depth, and holds an object; so do
    objects keyed by their numbers (``{"weeks": {"1": {...}, "2": {...}}}``), in their order.
    """
    queue: list[tuple[Mapping[str, object], tuple[str, ...]]] = [(data, ())]
    seen = 0
    while queue and seen < _MAX_NODES:
        node, path = queue.pop(0)
        seen += 1
        for key, value in node.items():
            if isinstance(value, dict) and folded(key) in STEP_CONTAINERS and _numbered(value):
                return list(value.values()), (*path, key)
            if isinstance(value, dict):
                queue.append((value, (*path, key)))
            elif (
                folded(key) in STEP_CONTAINERS
                and isinstance(value, list)
                and (any(isinstance(item, dict) for item in value) or (not value and not path))
            ):
                return value, (*path, key)
    return None


def _numbered(value: Mapping[str, object]) -> bool:
    """Whether an object holds only objects, each under a key with a number ("1", "week 2")."""
    numbered = (isinstance(v, dict) and re.search("[0-9]", k) for k, v in value.items())
    return bool(value) and all(numbered)


class Accounts:
    """The parts of a JSON plan not read, and the medicine lists found, as the walk finds them."""

    def __init__(self) -> None:
        """Nothing found yet."""
        self.unread: Found = {}
        self.med_lists: list[MedList] = []
        self.texts: list[tuple[str, str]] = []

    def result(self) -> tuple[tuple[Unread, ...], tuple[MedList, ...]]:
        """One part not read per place (texts joined), and the medicine lists."""
        return unread_of(self.unread), tuple(self.med_lists)

    def walk(
        self,
        node: Mapping[str, object],
        path: str,
        read: frozenset[str] = frozenset(),
    ) -> None:
        """Account for each key of an object: read, of no meaning, a medicine list or unread.

        ``read`` names the keys read elsewhere.
        """
        reviewed = any(folded(k) in REVIEWED_KEYS and v is True for k, v in node.items())
        self._quiet(node, path, read)
        kinds = _key_kinds(tuple(node), read)
        if not kinds:
            return
        for key, kind in kinds:
            value = node[key]
            where = f"{path}.{key}" if path else key
            if kind == "list":
                self.med_lists.append(
                    MedList(f'JSON key "{where}"', flattened(value), reviewed=reviewed)
                )
            elif kind == "text":
                if text := flattened(value):
                    self.texts.append((where, text))
            elif isinstance(value, dict) and kind == "container":
                self.walk(value, where)
            else:
                if isinstance(value, dict):
                    # An object not read may still name the medicine: {"rx": {"drug": ...}}.
                    self.texts.extend(
                        (f"{where}.{k}", text)
                        for k, v in value.items()
                        if folded(k) in MEDICINE_KEYS and (text := flattened(v))
                    )
                gather(self.unread, f'JSON key "{where}"', value)
                self._lists_within(value, where, reviewed=reviewed)

    def _quiet(self, node: Mapping[str, object], path: str, read: frozenset[str]) -> None:
        """Walk what stands under keys of no meaning: only their own scalar values are quiet.

        Their text still goes to the medicine-mention screen; objects and lists under them are
        walked as any other part is.
        """
        for key, value in node.items():
            if key in read or folded(key) not in NO_MEANING:
                continue
            where = f"{path}.{key}" if path else key
            items = value if isinstance(value, list) else [value]
            for item in items:
                at = f"{where}[]" if isinstance(value, list) else where
                if isinstance(item, dict):
                    walked = {
                        k: v
                        for k, v in item.items()
                        if isinstance(v, dict | list) or med_list_key(k)
                    }
                    for inner_key, inner in item.items():
                        if isinstance(inner, str) and inner and inner_key not in walked:
                            self.texts.append((f"{at}.{inner_key}", inner))
                    self.walk(walked, at)
                elif isinstance(item, str) and item:
                    self.texts.append((at, item))

    def _lists_within(self, value: object, path: str, *, reviewed: bool, depth: int = 0) -> None:
        """Find the medicine lists at any depth of a part not read."""
        if depth > _MAX_DEPTH:
            return
        items = value.items() if isinstance(value, dict) else ()
        for key, inner in items:
            where = f"{path}.{key}"
            if med_list_key(key):
                self.med_lists.append(
                    MedList(f'JSON key "{where}"', flattened(inner), reviewed=reviewed)
                )
            else:
                self._lists_within(inner, where, reviewed=reviewed, depth=depth + 1)
        for inner in value if isinstance(value, list) else ():
            self._lists_within(inner, f"{path}[]", reviewed=reviewed, depth=depth + 1)

    def steps(self, steps: list[object], path: str) -> None:
        """Account for the keys of each step: its parts, or a key of the steps not read."""
        for item in steps:
            if not isinstance(item, dict):
                continue
            for dose in _dicts(item.get("administrations")):
                for key in _unread_dose_keys(tuple(dose)):
                    gather(self.unread, f'JSON key "{path}[].administrations[].{key}"', dose[key])
            # Steps repeat the same keys: each distinct set of them is looked at once.
            for key, listed in _unread_step_keys(tuple(item)):
                where = f'JSON key "{path}[].{key}"'
                if listed:
                    self.med_lists.append(MedList(where, flattened(item[key])))
                else:
                    gather(self.unread, where, item[key])


@lru_cache(maxsize=256)
def _key_kinds(keys: tuple[str, ...], read: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """The keys of an object not read elsewhere, each with what it is.

    ``list`` (of medicines), ``text``, ``container`` (of steps) or ``other``; keys read
    elsewhere, of no meaning, or a reviewed flag are left out. Plans repeat the same objects:
    each distinct set of keys is sorted out once.
    """
    kinds = []
    for key in keys:
        name = folded(key)
        if key in read or name in NO_MEANING or name in REVIEWED_KEYS:
            continue
        if med_list_key(key):
            kinds.append((key, "list"))
        elif name in NOTE_KEYS or name in MEDICINE_KEYS:
            kinds.append((key, "text"))
        else:
            kinds.append((key, "container" if name in STEP_CONTAINERS else "other"))
    return tuple(kinds)


@lru_cache(maxsize=256)
def _unread_step_keys(keys: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    """The keys of a step not read as one of its parts, each with whether it lists medicines."""
    return tuple(
        (key, med_list_key(key))
        for key in keys
        if field_of(key) is None and key not in STEP_READ and folded(key) not in NO_MEANING
    )


@lru_cache(maxsize=256)
def _unread_dose_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(key for key in keys if key not in ADMINISTRATION_READ)


def account(
    data: Mapping[str, object], path: tuple[str, ...], steps: list[object]
) -> tuple[tuple[Unread, ...], tuple[MedList, ...], tuple[tuple[str, str], ...]]:
    """The parts of a JSON plan not read, its medicine lists, and its texts as (key, text).

    ``path`` is the keys that lead to ``steps``.
    """
    accounts = Accounts()
    read = {path[0], "label", *TOP_READ}
    if data.get("tool") == "ldn-titrate":
        read |= WRITER_KEYS
    accounts.walk(data, "", read=frozenset(read))
    node: object = data
    for depth, key in enumerate(path[:-1]):
        node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            accounts.walk(node, ".".join(path[: depth + 1]), read=frozenset({path[depth + 1]}))
    accounts.steps(steps, ".".join(path))
    request = data.get("request")
    if isinstance(request, dict):
        accounts.walk(request, "request", read=REQUEST_READ | REQUEST_WRITER)
    dispense = data.get("dispense")
    if isinstance(dispense, dict) and data.get("tool") != "ldn-titrate":
        # A plan of this tool records what to dispense; elsewhere only the fills are read.
        accounts.walk(dispense, "dispense", read=frozenset({"fills"}))
    unread, med_lists = accounts.result()
    return unread, med_lists, tuple(accounts.texts)


def _dicts(value: object) -> list[dict[str, object]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
