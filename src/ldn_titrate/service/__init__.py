"""Checking at the moment of prescribing: a CDS Hooks service around ``check``.

EHRs call it when a low-dose naltrexone order is selected or signed (hooks ``order-select``
and ``order-sign``) and show the cards it returns. Only this package imports FastAPI, uvicorn
and PyJWT (the ``service`` extra); the command line imports it inside ``serve`` alone.
"""

from __future__ import annotations

from ldn_titrate.service.app import MAX_BODY_BYTES, SERVICES, Settings, discovery, logged
from ldn_titrate.service.auth import TokenChecker
from ldn_titrate.service.config import Clients, ServiceConfigError, read_clients
from ldn_titrate.service.server import Tls, serve

__all__ = [
    "MAX_BODY_BYTES",
    "SERVICES",
    "Clients",
    "ServiceConfigError",
    "Settings",
    "Tls",
    "TokenChecker",
    "discovery",
    "logged",
    "read_clients",
    "serve",
]
