"""The service's door: who may call (401), what may be sent (4xx, never 5xx), CORS and TLS."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_REASON = "the service extra is not installed: python3 -m pip install '.[service]'"
for _name in ("fastapi", "uvicorn", "jwt", "cryptography"):
    pytest.importorskip(_name, reason=_REASON)

import jwt  # noqa: E402
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

from service_support import (  # noqa: E402
    ISSUER,
    SELECT,
    SIGN,
    Keys,
    Server,
    fixture,
    running,
    token,
    write_config,
)

UNAUTHORIZED = {"error": "unauthorized"}


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys()


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory, keys: Keys) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("guarded")
    with running(folder, "--config", str(write_config(folder, keys))) as started:
        yield started


def test_a_token_signed_by_a_listed_key_is_answered_with_es384_and_rs384(
    guarded: Server, keys: Keys
) -> None:
    call = fixture("clean")
    assert guarded.call(call, bearer=token(keys.ec, guarded.url())).status == 200
    signed = token(keys.rsa, guarded.url(), kid="rsa-1", algorithm="RS384")
    assert guarded.call(call, bearer=signed).status == 200


def _hmac_token(secret: bytes, url: str) -> str:
    """A token signed HS384 with the RSA public key as its secret (PyJWT refuses to make one)."""

    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    now = int(time.time())
    claims = {"iss": ISSUER, "aud": url, "exp": now + 300, "jti": "hmac"}
    signing = part({"alg": "HS384", "kid": "rsa-1", "typ": "JWT"}) + "." + part(claims)
    mac = hmac.new(secret, signing.encode(), hashlib.sha384).digest()
    return signing + "." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def _refused(keys: Keys, url: str) -> dict[str, str | None]:
    """Every kind of token or header that must be refused, by what is wrong with it."""
    other_ec = ec.generate_private_key(ec.SECP384R1())
    p256 = ec.generate_private_key(ec.SECP256R1())
    public_pem = keys.rsa.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    unsigned = jwt.encode({"iss": ISSUER, "aud": url, "jti": "x"}, "", "none")
    return {
        "no header": None,
        "basic scheme": "Basic dXNlcjpwYXNz",
        "empty bearer": "Bearer ",
        "not a JWT": "Bearer not.a.token",
        "expired": "Bearer " + token(keys.ec, url, lifetime=-10),
        "no exp": "Bearer " + token(keys.ec, url, drop=("exp",)),
        "no jti": "Bearer " + token(keys.ec, url, drop=("jti",)),
        "no aud": "Bearer " + token(keys.ec, url, drop=("aud",)),
        "aud of the other service": "Bearer " + token(keys.ec, url.replace(SIGN, SELECT)),
        "aud without the service": "Bearer " + token(keys.ec, url.rsplit("/", 1)[0]),
        "unknown issuer": "Bearer " + token(keys.ec, url, issuer="https://evil.example.org"),
        "unknown kid": "Bearer " + token(keys.ec, url, kid="ec-9"),
        "signed by another key": "Bearer " + token(other_ec, url),
        "ES256": "Bearer " + token(p256, url, algorithm="ES256"),
        "RS256 with the RSA key": "Bearer " + token(keys.rsa, url, kid="rsa-1", algorithm="RS256"),
        "RS384 under the EC kid": "Bearer " + token(keys.rsa, url, algorithm="RS384"),
        "HS384 with the public key": "Bearer " + _hmac_token(public_pem, url),
        "alg none": "Bearer " + unsigned,
        "lives two hours": "Bearer " + token(keys.ec, url, lifetime=7200),
    }


def test_every_refused_token_is_401_without_saying_why(guarded: Server, keys: Keys) -> None:
    call = json.dumps(fixture("clean")).encode()
    for what, header in _refused(keys, guarded.url()).items():
        headers = {} if header is None else {"Authorization": header}
        answer = guarded.request("POST", f"/cds-services/{SIGN}", call, headers)
        assert answer.status == 401, what
        assert answer.json() == UNAUTHORIZED, what
        assert answer.headers["www-authenticate"] == "Bearer"


def test_a_token_is_answered_once_and_refused_when_replayed(guarded: Server, keys: Keys) -> None:
    signed = token(keys.ec, guarded.url(), jti="once-only")
    assert guarded.call(fixture("clean"), bearer=signed).status == 200
    assert guarded.call(fixture("clean"), bearer=signed).status == 401
    again = token(keys.ec, guarded.url(), jti="once-only")
    assert guarded.call(fixture("clean"), bearer=again).status == 401


def test_the_token_is_checked_before_the_body_is_read(guarded: Server) -> None:
    assert guarded.call(b"[not json").status == 401
    connection = guarded.connection()
    connection.putrequest("POST", f"/cds-services/{SIGN}")
    connection.putheader("Content-Length", str(5_000_000))
    connection.endheaders()
    assert connection.getresponse().status == 401
    connection.close()


BAD_CALLS: dict[str, tuple[object, str]] = {
    "not JSON": (b"{", "the body is not valid JSON: Expecting property name enclosed in "),
    "not UTF-8": (b'{"hook": "\xff"}', "the body is not UTF-8 text"),
    "a list": ([], "the request must be a JSON object"),
    "NaN": (b'{"hook": NaN}', "the body is not valid JSON: NaN is not a JSON number"),
    "a number too long": (b"1" * 5000, "the body is not valid JSON: a number is too long"),
    "a string": ("order-sign", "the request must be a JSON object"),
    "wrong hook": ({"hook": "patient-view"}, "hook: this service answers order-sign, got "),
    "no hook": ({}, "hook: this service answers order-sign, got nothing"),
}


def _without(path: tuple[str, ...]) -> dict[str, Any]:
    call = fixture("clean")
    where = call
    for key in path[:-1]:
        where = where[key]
    del where[path[-1]]
    return call


def _with(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    call = fixture("clean")
    where: Any = call
    for key in path[:-1]:
        where = where[key]
    where[path[-1]] = value
    return call


def _bad_shapes() -> dict[str, tuple[object, str]]:
    entry = ("context", "draftOrders", "entry")
    return {
        "no hookInstance": (_without(("hookInstance",)), "hookInstance: must be a non-empty"),
        "no context": (_without(("context",)), "context: must be an object"),
        "no userId": (_without(("context", "userId")), "context.userId: must be a non-empty"),
        "no patientId": (_without(("context", "patientId")), "context.patientId: must be"),
        "no draftOrders": (_without(("context", "draftOrders")), "context.draftOrders: missing"),
        "draftOrders a list": (
            _with(("context", "draftOrders"), []),
            "context.draftOrders: must be a FHIR Bundle",
        ),
        "draftOrders not a Bundle": (
            _with(("context", "draftOrders", "resourceType"), "MedicationRequest"),
            "context.draftOrders: must be a FHIR Bundle",
        ),
        "entry not a list": (_with(entry, {}), "context.draftOrders.entry: must be a list"),
        "entry without resource": (
            _with(entry, [{"fullUrl": "x"}]),
            "context.draftOrders.entry[0]: must hold a resource object",
        ),
        "resource without type": (
            _with(entry, [{"resource": {"id": "x"}}]),
            "context.draftOrders.entry[0].resource: has no resourceType",
        ),
        "prefetch a list": (_with(("prefetch",), []), "prefetch: must be an object"),
        "prefetch not a Bundle": (
            _with(("prefetch", "medicationStatements"), {"resourceType": "Patient"}),
            "prefetch.medicationStatements: must be a FHIR Bundle",
        ),
    }


@pytest.fixture(scope="module")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("open")
    args = ("--no-auth", "--cors-origin", "https://sandbox.cds-hooks.org")
    with running(folder, *args) as started:
        yield started


def test_each_malformed_call_is_400_with_a_one_line_reason(open_server: Server) -> None:
    for what, (body, reason) in {**BAD_CALLS, **_bad_shapes()}.items():
        answer = open_server.call(body)
        assert answer.status == 400, (what, answer.body)
        error = answer.json()["error"]
        assert error.startswith(reason), (what, error)
        assert "\n" not in error
    assert (
        open_server.call(fixture("clean"), SELECT)
        .json()["error"]
        .startswith("hook: this service answers order-select, got 'order-sign'")
    )
    no_selections = _without(("context", "userId"))
    no_selections["hook"] = "order-select"
    assert open_server.call(no_selections, SELECT).status == 400


def test_an_unknown_service_is_404_and_a_get_of_a_service_is_405(open_server: Server) -> None:
    assert open_server.call(fixture("clean"), "patient-view").status == 404
    assert open_server.request("GET", f"/cds-services/{SIGN}").status == 405
    assert open_server.request("GET", "/docs").status == 404


def test_a_body_over_1_mb_is_413_without_being_read(open_server: Server) -> None:
    connection = open_server.connection()
    connection.putrequest("POST", f"/cds-services/{SIGN}")
    connection.putheader("Content-Length", str(1_000_001))
    connection.endheaders()
    connection.send(b"{")
    response = connection.getresponse()
    assert response.status == 413
    assert json.loads(response.read()) == {"error": "the body is larger than 1 MB"}
    connection.close()
    chunked = open_server.connection()
    chunked.putrequest("POST", f"/cds-services/{SIGN}")
    chunked.putheader("Transfer-Encoding", "chunked")
    chunked.endheaders()
    piece = b" " * 65_536
    for _ in range(16):
        chunked.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
    response = chunked.getresponse()
    assert response.status == 413
    chunked.close()
    exact = json.dumps(fixture("clean")).encode()
    assert open_server.call(exact + b" " * (1_000_000 - len(exact))).status == 200


def test_the_process_lives_on_after_every_bad_call(open_server: Server) -> None:
    for body, _ in BAD_CALLS.values():
        open_server.call(body)
    nested = b"[" * 100_000 + b"]" * 100_000
    assert open_server.call(nested).status in {400, 413}
    assert open_server.request("GET", "/cds-services").status == 200
    assert open_server.process.poll() is None
    statuses = [line.split(" ")[3] for line in open_server.stderr().splitlines()[2:]]
    assert statuses
    assert all(not status.startswith("5") for status in statuses)


def test_cors_is_off_by_default_and_on_for_each_origin_given(
    guarded: Server, open_server: Server
) -> None:
    preflight = {
        "Origin": "https://sandbox.cds-hooks.org",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    closed = guarded.request("OPTIONS", f"/cds-services/{SIGN}", headers=preflight)
    assert "access-control-allow-origin" not in {k.lower() for k in closed.headers}
    opened = open_server.request("OPTIONS", f"/cds-services/{SIGN}", headers=preflight)
    assert opened.status == 200
    allowed = {k.lower(): v for k, v in opened.headers.items()}
    assert allowed["access-control-allow-origin"] == "https://sandbox.cds-hooks.org"
    other = open_server.request(
        "GET", "/cds-services", headers={"Origin": "https://elsewhere.example.org"}
    )
    assert "access-control-allow-origin" not in {k.lower() for k in other.headers}


def _certificate(folder: Path) -> tuple[Path, Path, ssl.SSLContext]:
    key = ec.generate_private_key(ec.SECP384R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA384())
    )
    cert = folder / "cert.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private = folder / "key.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(cafile=str(cert))
    return cert, private, context


def test_tls_serves_https_with_a_certificate_made_here(tmp_path: Path, keys: Keys) -> None:
    cert, private, context = _certificate(tmp_path)
    config = write_config(tmp_path, keys)
    args = ("--config", str(config), "--tls-cert", str(cert), "--tls-key", str(private))
    with running(tmp_path, *args, https=context) as server:
        assert server.base.startswith("https://127.0.0.1:")
        assert server.request("GET", "/cds-services").status == 200
        signed = token(keys.ec, server.url())
        answer = server.call(fixture("opioid-prefetch"), bearer=signed)
        assert answer.status == 200
        assert answer.json()["cards"][0]["indicator"] == "critical"
        http_token = token(keys.ec, server.url().replace("https://", "http://"))
        assert server.call(fixture("clean"), bearer=http_token).status == 401
        stderr = server.stderr()
    assert f"serving CDS Hooks at {server.base}/cds-services" in stderr


def test_expired_tokens_are_forgotten_and_a_fresh_one_still_works(
    guarded: Server, keys: Keys
) -> None:
    short = token(keys.ec, guarded.url(), lifetime=1)
    assert guarded.call(fixture("clean"), bearer=short).status == 200
    time.sleep(2.1)
    assert guarded.call(fixture("clean"), bearer=short).status == 401
    assert guarded.call(fixture("clean"), bearer=token(keys.ec, guarded.url())).status == 200


def test_behind_a_proxy_the_aud_is_the_public_url(tmp_path: Path, keys: Keys) -> None:
    config = str(write_config(tmp_path, keys))
    public = "https://cds.example.org/ldn"
    args = ("--config", config, "--behind-proxy", "--public-url", public + "/")
    with running(tmp_path, *args) as server:
        outside = token(keys.ec, f"{public}/cds-services/{SIGN}")
        assert server.call(fixture("clean"), bearer=outside).status == 200
        inside = token(keys.ec, server.url())
        assert server.call(fixture("clean"), bearer=inside).status == 401
        stderr = server.stderr()
    listening = server.base
    assert (
        f"serving CDS Hooks at {public}/cds-services, listening on {listening} (Ctrl+C stops)"
        in stderr
    )
