"""Directions as published: each is read to its hand-read steps or refused as recorded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ldn_titrate.received.sig import SigRefusedError, read_sig

CORPUS = Path(__file__).parent / "data" / "sigs" / "corpus.json"
ENTRIES: list[dict[str, Any]] = json.loads(CORPUS.read_text(encoding="utf-8"))


def test_the_corpus_has_fifty_directions_each_with_its_source() -> None:
    assert len(ENTRIES) >= 50
    assert all(entry["source"].startswith(("http://", "https://")) for entry in ENTRIES)
    assert all(("steps" in entry) != ("refused" in entry) for entry in ENTRIES)


def outcome(text: str) -> dict[str, Any]:
    """What reading gives, in the corpus's own terms."""
    try:
        sig = read_sig(text)
    except SigRefusedError as exc:
        return {"refused": exc.kind.value, "words": exc.words}
    steps = [
        [None if s.dose_mg is None else str(s.dose_mg), None if s.every is None else str(s.every)]
        for s in sig.steps
    ]
    return {"steps": steps, "time": None if sig.time is None else sig.time.value}


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["sig"][:40] for e in ENTRIES])
def test_each_published_direction_is_read_as_by_hand_or_refused(entry: dict[str, Any]) -> None:
    got = outcome(entry["sig"])
    assert ("steps" in got) == ("steps" in entry), f"misread or wrongly refused: {got}"
    assert got == {k: v for k, v in entry.items() if k not in {"source", "sig"}}


def test_the_closing_count_is_the_one_the_corpus_note_gives() -> None:
    read = sum("steps" in entry for entry in ENTRIES)
    note = (CORPUS.parent / "README.md").read_text(encoding="utf-8")
    assert f"**{read} read, {len(ENTRIES) - read} refused, 0 misread.**" in note
