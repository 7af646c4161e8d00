"""Checking at the moment of prescribing: a CDS Hooks service around ``check``.

EHRs call it when a low-dose naltrexone order is selected or signed (hooks ``order-select``
and ``order-sign``) and show the cards it returns. Only this package imports FastAPI, uvicorn
and PyJWT (the ``service`` extra); the command line imports it inside ``serve`` alone. Its
names load with their module when first used, so that ``service.launch`` can refuse a start
without the extra installed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ldn_titrate.service.app import MAX_BODY_BYTES, SERVICES, Settings, discovery, logged
    from ldn_titrate.service.auth import TokenChecker
    from ldn_titrate.service.config import Clients, ServiceConfigError, read_clients
    from ldn_titrate.service.server import Tls, serve

_HOMES = {
    "MAX_BODY_BYTES": "app",
    "SERVICES": "app",
    "Settings": "app",
    "discovery": "app",
    "logged": "app",
    "TokenChecker": "auth",
    "Clients": "config",
    "ServiceConfigError": "config",
    "read_clients": "config",
    "Tls": "server",
    "serve": "server",
}


def __getattr__(name: str) -> Any:  # noqa: ANN401 - whichever name of the service is asked for
    """A name of the service, from the module that defines it."""
    if name not in _HOMES:
        raise AttributeError(name)
    return getattr(importlib.import_module(f"ldn_titrate.service.{_HOMES[name]}"), name)


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
