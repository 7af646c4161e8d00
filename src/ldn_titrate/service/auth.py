"""Who may call: the EHR's signed JWT, as CDS Hooks asks (https://cds-hooks.hl7.org/2.0/#trusting-cds-clients).

A token is accepted when a key of a listed issuer, chosen by ``kid``, signed it with ES384 or
RS384; its ``aud`` is the endpoint called; its ``exp`` has not passed; and its ``jti`` has not
been seen before within the token's lifetime. Why a token was refused is never said.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final

import jwt

from ldn_titrate.service.config import Clients

# CDS Hooks asks for tokens that live 5 minutes or less; one that claims to live longer than
# an hour is refused, which also bounds how long a jti must be remembered.
MAX_LIFETIME_SECONDS: Final = 3600
_MAX_JTI: Final = 256
_MAX_TOKEN: Final = 16_384


class TokenChecker:
    """Accepts each token once, while it lives; remembers the ``jti`` of those it accepted."""

    def __init__(self, clients: Clients, clock: Callable[[], float] = time.time) -> None:
        """``clock`` gives the time in seconds since the epoch."""
        self._clients = clients
        self._clock = clock
        self._seen: dict[tuple[str, str], float] = {}
        self._next_sweep = 0.0

    def accepts(self, authorization: str | None, audience: str) -> bool:
        """Whether an ``Authorization`` header carries a token good for this endpoint."""
        if authorization is None:
            return False
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > _MAX_TOKEN:
            return False
        try:
            return self._accepts(token, audience)
        except (jwt.PyJWTError, ValueError, TypeError, KeyError):
            return False

    def _accepts(self, token: str, audience: str) -> bool:
        header = jwt.get_unverified_header(token)
        issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
        key = self._clients.key(issuer, header.get("kid"))
        if key is None or header.get("alg") != key.algorithm:
            return False
        claims = jwt.decode(
            token,
            key.key,
            algorithms=[key.algorithm],
            audience=audience,
            issuer=issuer,
            options={"require": ["exp", "jti", "iss", "aud"], "strict_aud": False},
        )
        jti, expires = claims["jti"], claims["exp"]
        now = self._clock()
        if not isinstance(jti, str) or not 0 < len(jti) <= _MAX_JTI:
            return False
        if not isinstance(expires, int | float) or expires - now > MAX_LIFETIME_SECONDS:
            return False
        self._sweep(now)
        seen = (str(issuer), jti)
        if self._seen.get(seen, 0.0) >= now:
            return False
        self._seen[seen] = float(expires)  # float-ok: a token expiry in epoch seconds
        return True

    def _sweep(self, now: float) -> None:  # float-ok: a clock reading, not a dose
        """Forget the jti of tokens that have expired, at most once a minute."""
        if now < self._next_sweep:
            return
        self._next_sweep = now + 60
        self._seen = {seen: until for seen, until in self._seen.items() if until >= now}
