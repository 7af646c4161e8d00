"""Run ``ldn-titrate serve`` on a free loopback port and talk to it over HTTP, for the tests."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

DATA = Path(__file__).parent / "data" / "service"
ISSUER = "https://ehr.example.org"
SIGN = "ldn-titrate-order-sign"
SELECT = "ldn-titrate-order-select"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Keys:
    """The test EHR's signing keys, made fresh for each run."""

    ec: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP384R1())
    )
    rsa: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    def jwks(self) -> dict[str, object]:
        ec_key = json.loads(ECAlgorithm.to_jwk(self.ec.public_key()))
        rsa_key = json.loads(RSAAlgorithm.to_jwk(self.rsa.public_key()))
        return {"keys": [{**ec_key, "kid": "ec-1"}, {**rsa_key, "kid": "rsa-1"}]}


def write_config(folder: Path, keys: Keys) -> Path:
    (folder / "client-jwks.json").write_text(json.dumps(keys.jwks()), encoding="utf-8")
    config = folder / "service.toml"
    config.write_text(
        f'[service.clients."{ISSUER}"]\njwks = "client-jwks.json"\n', encoding="utf-8"
    )
    return config


def token(
    key: Any,
    audience: str,
    *,
    kid: str = "ec-1",
    algorithm: str = "ES384",
    issuer: str = ISSUER,
    lifetime: int = 300,
    drop: tuple[str, ...] = (),
    jti: str | None = None,
) -> str:
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": issuer,
        "sub": "client-id",
        "aud": audience,
        "iat": now,
        "exp": now + lifetime,
        "jti": jti or str(uuid.uuid4()),
    }
    for name in drop:
        claims.pop(name)
    return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": kid})


@dataclass
class Answer:
    status: int
    body: bytes
    headers: Mapping[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Server:
    """A running ``ldn-titrate serve`` and the file its stderr goes to."""

    base: str
    process: subprocess.Popen[bytes]
    log: Path
    context: ssl.SSLContext | None = None

    def url(self, service: str = SIGN) -> str:
        return f"{self.base}/cds-services/{service}"

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        request = urllib.request.Request(  # noqa: S310 - the tests' own server
            self.base + path, data=body, method=method, headers=dict(headers or {})
        )
        try:
            with urllib.request.urlopen(request, timeout=30, context=self.context) as response:  # noqa: S310
                return Answer(response.status, response.read(), dict(response.headers))
        except urllib.error.HTTPError as exc:
            return Answer(exc.code, exc.read(), dict(exc.headers))

    def call(self, data: object, service: str = SIGN, bearer: str | None = None) -> Answer:
        headers = {"Content-Type": "application/json"}
        if bearer is not None:
            headers["Authorization"] = f"Bearer {bearer}"
        body = data if isinstance(data, bytes) else json.dumps(data).encode()
        return self.request("POST", f"/cds-services/{service}", body, headers)

    def connection(self) -> http.client.HTTPConnection:
        host, port = self.base.removeprefix("http://").split(":")
        return http.client.HTTPConnection(host, int(port), timeout=30)

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8")


@contextmanager
def running(folder: Path, *args: str, https: ssl.SSLContext | None = None) -> Iterator[Server]:
    """``ldn-titrate serve`` with these options on a free port, stopped with Ctrl+C after."""
    port = free_port()
    log = folder / f"serve-{port}.log"
    command = [sys.executable, "-m", "ldn_titrate", "serve", "--port", str(port), *args]
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, cwd=folder)
    scheme = "https" if https is not None else "http"
    server = Server(f"{scheme}://127.0.0.1:{port}", process, log, https)
    try:
        _wait_until_up(server)
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            message = f"serve exited with {server.process.returncode}: {server.stderr()}"
            raise RuntimeError(message)
        try:
            if server.request("GET", "/cds-services").status == 200:
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    raise RuntimeError("serve did not answer within 60 s")


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return data


def fixtures() -> list[str]:
    return sorted(path.stem for path in DATA.glob("*.json") if path.stem != "expected")


def service_of(data: Mapping[str, Any]) -> str:
    return SELECT if data["hook"] == "order-select" else SIGN


# Keep the environment of the server as the test's: no config file of the user is read.
os.environ.setdefault("LDN_TITRATE_CONFIG", "none")
