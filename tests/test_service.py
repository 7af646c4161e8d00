"""The CDS Hooks service over HTTP: discovery, the cards for each call, and the card rules.

A real ``ldn-titrate serve`` runs on a free loopback port; the tests talk to it with urllib.
"""

from __future__ import annotations

import copy
import json
import os
import re
import uuid
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest

_REASON = "the service extra is not installed: python3 -m pip install '.[service]'"
for _name in ("fastapi", "uvicorn", "jwt", "cryptography"):
    pytest.importorskip(_name, reason=_REASON)

from fhir.resources.R4B.medicationrequest import MedicationRequest  # noqa: E402

from service_support import (  # noqa: E402
    DATA,
    SELECT,
    SIGN,
    Keys,
    Server,
    fixture,
    fixtures,
    running,
    service_of,
    token,
    write_config,
)

EXPECTED = DATA / "expected.json"
INDICATORS = {"info", "warning", "critical"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("open")
    with running(folder, "--no-auth") as started:
        yield started


@pytest.fixture(scope="module")
def answers(server: Server) -> dict[str, list[dict[str, Any]]]:
    found = {}
    for name in fixtures():
        data = fixture(name)
        answer = server.call(data, service_of(data))
        assert answer.status == 200, (name, answer.body)
        found[name] = answer.json()["cards"]
    return found


def outline(cards: list[dict[str, Any]]) -> list[list[object]]:
    return [[c["indicator"], c["summary"], "suggestions" in c] for c in cards]


def test_discovery_lists_both_hooks_with_their_prefetch_and_needs_no_token(
    tmp_path: Path,
) -> None:
    keys = Keys()
    with running(tmp_path, "--config", str(write_config(tmp_path, keys))) as guarded:
        answer = guarded.request("GET", "/cds-services")
    assert answer.status == 200
    services = answer.json()["services"]
    assert [(s["id"], s["hook"]) for s in services] == [
        (SELECT, "order-select"),
        (SIGN, "order-sign"),
    ]
    for service in services:
        assert service["title"]
        assert service["description"]
        assert service["prefetch"] == {
            "medicationStatements": (
                "MedicationStatement?patient={{context.patientId}}&status=active"
            ),
            "medicationRequests": "MedicationRequest?patient={{context.patientId}}&status=active",
        }


def test_every_fixture_gets_the_cards_recorded_for_it(
    answers: dict[str, list[dict[str, Any]]],
) -> None:
    found = {name: outline(cards) for name, cards in answers.items()}
    if os.environ.get("LDN_TITRATE_REGENERATE"):
        EXPECTED.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert found == json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_a_clean_order_gets_no_card(answers: dict[str, list[dict[str, Any]]]) -> None:
    assert answers["clean"] == []
    assert answers["clean-order-select"] == []


def test_an_opioid_in_the_prefetched_medicines_is_a_critical_card_naming_it(
    answers: dict[str, list[dict[str, Any]]],
) -> None:
    [card] = answers["opioid-prefetch"]
    assert card["indicator"] == "critical"
    assert "Tramadol" in card["summary"]
    assert "Tramadol hydrochloride 50 mg tablets" in card["detail"]


def test_buprenorphine_with_naloxone_is_critical_and_naloxone_alone_is_no_card(
    answers: dict[str, list[dict[str, Any]]],
) -> None:
    [card] = answers["buprenorphine-naloxone"]
    assert card["indicator"] == "critical"
    assert "Buprenorphine" in card["summary"]
    assert answers["naloxone"] == []


def test_a_dose_error_in_a_draft_is_one_critical_card_naming_the_step(
    answers: dict[str, list[dict[str, Any]]],
) -> None:
    [card] = answers["dose-error"]
    assert card["indicator"] == "critical"
    assert "step 2" in card["summary"]
    assert "dose-looks-like-mcg" in card["detail"]
    assert "instructions-mismatch" in card["detail"]


def test_an_order_for_another_medicine_gets_no_card_even_beside_an_opioid(
    answers: dict[str, list[dict[str, Any]]],
) -> None:
    assert answers["other-medicine"] == []


def test_a_one_day_overlap_comes_with_the_corrected_order_and_a_longer_one_without(
    server: Server, answers: dict[str, list[dict[str, Any]]]
) -> None:
    [card] = answers["overlap"]
    [suggestion] = card["suggestions"]
    [action] = suggestion["actions"]
    assert action["type"] == "update"
    fixed = action["resource"]
    ends = [d["timing"]["repeat"]["boundsPeriod"]["end"] for d in fixed["dosageInstruction"]]
    assert ends[0] == "2026-12-20"
    # The corrected order is checked clean.
    again = copy.deepcopy(fixture("overlap"))
    again["context"]["draftOrders"]["entry"][0]["resource"] = fixed
    assert server.call(again).json()["cards"] == []
    [longer] = answers["overlap-three-days"]
    assert "suggestions" not in longer


def test_every_card_keeps_the_card_rules(answers: dict[str, list[dict[str, Any]]]) -> None:
    cards = [card for found in answers.values() for card in found]
    assert cards
    for card in cards:
        assert 0 < len(card["summary"]) < 140, card["summary"]
        assert card["indicator"] in INDICATORS
        assert card["source"]["label"] == "ldn-titrate 0.1.0"
        assert card["detail"]
        uuid.UUID(card["uuid"])
        for suggestion in card.get("suggestions", []):
            uuid.UUID(suggestion["uuid"])
            assert card["selectionBehavior"] == "at-most-one"
            for action in suggestion["actions"]:
                assert action["type"] == "update"
                MedicationRequest.model_validate(action["resource"])


def test_no_clean_fixture_gets_a_warning_or_critical_card(
    answers: dict[str, list[dict[str, Any]]],
) -> None:
    for name in ("clean", "clean-order-select", "naloxone", "other-medicine", "no-prefetch"):
        assert {c["indicator"] for c in answers[name]} <= {"info"}, name


def test_the_log_has_one_line_per_request_and_no_patient_data(
    server: Server, answers: dict[str, list[dict[str, Any]]]
) -> None:
    assert answers
    lines = server.stderr().splitlines()
    assert lines[0].startswith("warning: --no-auth: ")
    calls = [line for line in lines if " POST /cds-services/" in line]
    assert len(calls) >= len(fixtures())
    shape = re.compile(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ POST /cds-services/ldn-titrate-order-(sign|select) "
        r"200 \d+\.\d ms hookInstance=d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"
    )
    for line in calls:
        assert shape.fullmatch(line), line
    text = server.stderr().casefold()
    for word in ("tramadol", "naltrexone", "example", "buprenorphine", "mg"):
        assert word not in text.replace("low-dose naltrexone", ""), word


def test_the_readme_shows_the_card_the_service_gives(
    answers: dict[str, list[dict[str, Any]]],
) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### A request and its card", 1)[1]
    shown = json.loads(section.split("```json\n", 1)[1].split("```", 1)[0])["cards"]
    given = answers["opioid-prefetch"]
    assert [{**c, "uuid": ""} for c in shown] == [{**c, "uuid": ""} for c in given]
    assert "-d @tests/data/service/opioid-prefetch.json" in section


def test_a_guarded_server_answers_a_signed_call_with_cards(tmp_path: Path) -> None:
    keys = Keys()
    with running(tmp_path, "--config", str(write_config(tmp_path, keys))) as guarded:
        signed = token(keys.ec, guarded.url())
        answer = guarded.call(fixture("opioid-prefetch"), bearer=signed)
        stderr = guarded.stderr()
    assert answer.status == 200
    assert [c["indicator"] for c in answer.json()["cards"]] == ["critical"]
    assert "warning" not in stderr


# In-process properties of the cards: the same code the server runs, without HTTP.
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ldn_titrate.check import CheckOptions  # noqa: E402
from ldn_titrate.service.app import Logged  # noqa: E402
from ldn_titrate.service.cards import answer  # noqa: E402
from ldn_titrate.service.hook_request import parse_json, read_call  # noqa: E402

OPIOIDS = ["tramadol 50 mg", "Suboxone film", "methadone 10 mg/mL", "oxycodone", "kratom"]
OTHERS = ["levothyroxine", "naloxone 4 mg nasal spray", "", "ibuprofen 200 mg", "metformin"]
VALUES = st.one_of(
    st.decimals(min_value=-5, max_value=500, places=3, allow_nan=False),
    st.integers(-3, 1000),
    st.text(max_size=5),
    st.none(),
    st.booleans(),
)
DAYS = st.one_of(
    st.dates().map(lambda d: d.isoformat()), st.sampled_from(["", "2026-13-01", "soon"])
)


@st.composite
def calls(draw: st.DrawFn) -> dict[str, Any]:
    call = fixture("clean")
    order = call["context"]["draftOrders"]["entry"][0]["resource"]
    for dosage in order["dosageInstruction"]:
        quantity = dosage["doseAndRate"][0]["doseQuantity"]
        quantity["value"] = draw(VALUES)
        quantity["code"] = draw(st.sampled_from(["mg", "mL", "mcg", "", "tablet"]))
        bounds = dosage["timing"]["repeat"]["boundsPeriod"]
        bounds["start"], bounds["end"] = draw(DAYS), draw(DAYS)
        dosage["sequence"] = draw(st.one_of(st.integers(0, 4), st.none(), st.just("1")))
        dosage["text"] = draw(st.sampled_from([dosage["text"], "1.0 mL qhs", "", "take .5 mg"]))
    names = draw(st.lists(st.sampled_from(OPIOIDS + OTHERS), max_size=4))
    statements = call["prefetch"]["medicationStatements"]["entry"]
    statements[:] = [
        {
            "resource": {
                "resourceType": "MedicationStatement",
                "status": "active",
                "medicationCodeableConcept": {"text": name},
            }
        }
        for name in names
    ]
    return call


@given(calls())
def test_any_order_gets_cards_that_keep_the_rules_and_every_opioid_is_critical(
    call: dict[str, Any],
) -> None:
    body = json.dumps(call, default=float).encode()
    cards = answer(read_call(parse_json(body), "order-sign"), CheckOptions())["cards"]
    assert isinstance(cards, list)
    for card in cards:
        assert 0 < len(card["summary"]) < 140
        assert card["indicator"] in INDICATORS
        assert card["source"]["label"].startswith("ldn-titrate ")
        uuid.UUID(card["uuid"])
    names = [
        e["resource"]["medicationCodeableConcept"]["text"]
        for e in call["prefetch"]["medicationStatements"]["entry"]
    ]
    critical = " ".join(c["detail"] for c in cards if c["indicator"] == "critical")
    for name in names:
        if name in OPIOIDS:
            assert name in critical, name


def test_a_request_that_fails_unexpectedly_is_a_500_and_one_log_line() -> None:
    import asyncio  # noqa: PLC0415

    async def failing(_scope: Any, _receive: Any, _send: Any) -> None:
        raise RuntimeError("a bug, not the caller's fault")

    lines: list[str] = []
    sent: list[MutableMapping[str, Any]] = []

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "method": "POST", "path": "/cds-services/x"}
    asyncio.run(Logged(failing, lines.append)(scope, receive, send))
    assert sent[0]["status"] == 500
    assert sent[1]["body"] == b'{"error":"internal error"}'
    [line] = lines
    assert line.endswith(" POST /cds-services/x 500 " + line.split(" ")[4] + " ms")
