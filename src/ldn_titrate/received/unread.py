"""The parts of a received plan not read, by place: one walk for JSON keys and FHIR elements.

A key that stands in each of 50 steps or Dosages is one part not read, not 50: each place
keeps the text of every such part, joined once at the end and still screened.
"""

from __future__ import annotations

from collections.abc import Mapping

from ldn_titrate.received.fhir_values import TEXT_LIMIT, flattened
from ldn_titrate.received.model import Unread

Found = dict[str, list[str]]
"""For each place (``FHIR Dosage.method``, ``JSON key "plan.rx"``), the texts of its parts."""


def gather(found: Found, place: str, value: object) -> None:
    """Keep the text of a part not read at its place."""
    found.setdefault(place, []).append(flattened(value))


def unread_keys(value: object, where: str, known: frozenset[str], found: Found) -> None:
    """Each key of an object that is neither read nor known to carry no meaning, by its place.

    The place of a key is ``where`` and the key joined by a point (``FHIR Dosage.method``).
    """
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if key not in known:
            gather(found, f"{where}.{key}", item)


def unread_of(found: Mapping[str, list[str]]) -> tuple[Unread, ...]:
    """One part not read per place, its texts joined (each said once), bounded."""
    return tuple(
        Unread(where, "; ".join(dict.fromkeys(t for t in texts if t))[:TEXT_LIMIT])
        for where, texts in found.items()
    )
