"""Run the service on uvicorn in the foreground, until interrupted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import uvicorn

from ldn_titrate.service.app import Settings, logged


@dataclass(frozen=True, slots=True)
class Tls:
    """The certificate chain and private key to serve HTTPS with (PEM files)."""

    cert: str
    key: str


def serve(
    settings: Settings, host: str, port: int, tls: Tls | None, log: Callable[[str], None]
) -> None:
    """Serve until interrupted; each request is one line given to ``log``."""
    uvicorn.run(
        logged(settings, log),
        host=host,
        port=port,
        ssl_certfile=tls.cert if tls else None,
        ssl_keyfile=tls.key if tls else None,
        # The service logs each request itself, without patient data; uvicorn says only what
        # goes wrong with the server.
        access_log=False,
        log_level="warning",
        lifespan="off",
        server_header=False,
        proxy_headers=False,
    )
