"""The service's config file: the EHRs trusted to call it, each with the keys it signs with.

```toml
[service.clients."https://ehr.example.org"]
jwks = "client-jwks.json"   # relative to the config file
```

Only keys that can sign as CDS Hooks allows are kept: EC P-384 (ES384) and RSA (RS384).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import jwt

from ldn_titrate.errors import LdnTitrateError, shown

# A JWKS of a few keys is a few kilobytes; a config names a handful of clients.
_MAX_FILE_BYTES: Final = 1_000_000
# The algorithms CDS Hooks names for the EHR's token, by the key type and curve that sign them
# (https://cds-hooks.hl7.org/2.0/#trusting-cds-clients).
_ALGORITHMS: Final = {("EC", "P-384"): "ES384", ("RSA", None): "RS384"}


class ServiceConfigError(LdnTitrateError, ValueError):
    """The service's config file or a JWKS it names cannot be used: one line naming the key."""

    def __init__(self, where: str, reason: str) -> None:
        """``where`` names the file and key (``config.toml: service.clients``)."""
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class ClientKey:
    """One public key of a trusted client: the algorithm it signs with and the key itself."""

    algorithm: str
    key: Any  # a cryptography public key, as PyJWT takes it


@dataclass(frozen=True, slots=True)
class Clients:
    """The trusted issuers, each with its keys by ``kid``."""

    keys: dict[str, dict[str, ClientKey]]

    def key(self, issuer: object, kid: object) -> ClientKey | None:
        """The key an issuer signs with under this ``kid``, or None."""
        if not isinstance(issuer, str) or not isinstance(kid, str):
            return None
        return self.keys.get(issuer, {}).get(kid)


def _read(path: Path, where: str) -> str:
    try:
        with path.open("rb") as file:
            data = file.read(_MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ServiceConfigError(
            where, f"cannot read {shown(path.name)} ({exc.strerror})"
        ) from None
    if len(data) > _MAX_FILE_BYTES:
        raise ServiceConfigError(where, f"{shown(path.name)} is larger than 1 MB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ServiceConfigError(where, f"{shown(path.name)} is not UTF-8 text") from None


def read_clients(path: Path) -> Clients:
    """The trusted clients of a config file, each JWKS read relative to the file.

    Raises:
        ServiceConfigError: the file, a key of it or a JWKS it names cannot be used.
    """
    name = path.name
    try:
        data = tomllib.loads(_read(path, name))
    except tomllib.TOMLDecodeError as exc:
        raise ServiceConfigError(name, f"not valid TOML: {exc}") from None
    _only(data, {"service"}, name, "")
    service = data.get("service")
    if not isinstance(service, dict):
        raise ServiceConfigError(name, "service.clients: no trusted client is listed")
    _only(service, {"clients"}, name, "service.")
    clients = service.get("clients")
    if not isinstance(clients, dict) or not clients:
        raise ServiceConfigError(name, "service.clients: no trusted client is listed")
    keys: dict[str, dict[str, ClientKey]] = {}
    for issuer, table in clients.items():
        where = f"{name}: service.clients.{shown(issuer)}"
        if not isinstance(table, dict):
            raise ServiceConfigError(where, "must be a table with a jwks key")
        _only(table, {"jwks"}, where, "")
        jwks = table.get("jwks")
        if not isinstance(jwks, str) or not jwks.strip():
            raise ServiceConfigError(f"{where}.jwks", "must name a JWKS file")
        keys[issuer] = read_jwks(path.parent / jwks, f"{where}.jwks")
    return Clients(keys)


def _only(table: dict[str, object], allowed: set[str], where: str, prefix: str) -> None:
    for key in table:
        if key not in allowed:
            listed = ", ".join(sorted(allowed))
            raise ServiceConfigError(where, f"{prefix}{key}: unknown key; allowed: {listed}")


def read_jwks(path: Path, where: str) -> dict[str, ClientKey]:
    """The usable keys of a JWKS file by ``kid``: EC P-384 and RSA public keys.

    Raises:
        ServiceConfigError: the file is not a JWKS, or holds no usable key.
    """
    try:
        data = json.loads(_read(path, where))
    except json.JSONDecodeError as exc:
        raise ServiceConfigError(where, f"{shown(path.name)} is not JSON: {exc.msg}") from None
    entries = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ServiceConfigError(where, f"{shown(path.name)} is not a JWKS (no keys list)")
    found: dict[str, ClientKey] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("kid"), str):
            continue
        curve = entry.get("crv") if entry.get("kty") == "EC" else None
        algorithm = _ALGORITHMS.get((str(entry.get("kty")), curve))
        if algorithm is None or entry.get("alg", algorithm) != algorithm:
            continue
        try:
            key = jwt.PyJWK(entry, algorithm=algorithm).key
        except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError, TypeError):
            raise ServiceConfigError(
                where, f"{shown(path.name)}: key {shown(entry['kid'])} cannot be read"
            ) from None
        public = key.public_key() if hasattr(key, "public_key") else key
        found[entry["kid"]] = ClientKey(algorithm, public)
    if not found:
        raise ServiceConfigError(
            where, f"{shown(path.name)} holds no EC P-384 or RSA key with a kid"
        )
    return found
