"""The HTTP service: discovery, the two hook services, and one log line per request.

Bad input is a 4xx with a one-line reason, never a 5xx; an unexpected failure of one request
is a 500 for that request alone, and the process goes on.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ldn_titrate.check import CheckOptions
from ldn_titrate.service.auth import TokenChecker
from ldn_titrate.service.cards import answer
from ldn_titrate.service.hook_request import PREFETCH, BadCallError, parse_json, read_call
from ldn_titrate.version import __version__

# A CDS Hooks call with a few draft orders and the patient's medicines is tens of kilobytes.
MAX_BODY_BYTES: Final = 1_000_000
# A typical call (one order, a few medicines) is a few kilobytes and checked in well under a
# millisecond: it is answered at once; a larger one goes to a worker thread.
INLINE_BODY_BYTES: Final = 64_000
SERVICES: Final = {
    "ldn-titrate-order-select": "order-select",
    "ldn-titrate-order-sign": "order-sign",
}
_WHEN: Final = {
    "order-select": "when a low-dose naltrexone order is selected",
    "order-sign": "when a low-dose naltrexone order is signed",
}
_LOG_KEY: Final = "ldn_titrate.log"
_SAFE: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._:/")


@dataclass(frozen=True, slots=True)
class Settings:
    """How the service runs: the base URL its endpoints are called at, who may call, CORS.

    ``tokens`` is None when calls are answered without a token (``no_auth``).
    """

    base_url: str
    tokens: TokenChecker | None
    cors_origins: tuple[str, ...] = ()
    options: CheckOptions = field(default_factory=CheckOptions)


def discovery() -> dict[str, object]:
    """The discovery document: both services, no patient data."""
    return {
        "services": [
            {
                "hook": hook,
                "id": service_id,
                "title": f"Low-dose naltrexone titration check ({hook})",
                "description": (
                    f"Checks a low-dose naltrexone titration {_WHEN[hook]}: its doses, steps and "
                    "dates, and the patient's other medicines for opioids and a second "
                    f"naltrexone product (ldn-titrate {__version__})."
                ),
                "prefetch": dict(PREFETCH),
            }
            for service_id, hook in SERVICES.items()
        ]
    }


def _json(data: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, default=_number, separators=(",", ":"))
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def _number(value: object) -> object:
    """A decimal of the request as a JSON number again (doses have a few digits at most)."""
    if isinstance(value, Decimal):
        # The JSON number of a card; _plain_numbers holds it exact before it is written.
        return int(value) if value == value.to_integral_value() else float(value)  # float-ok
    raise TypeError(type(value).__name__)


def _error(status: int, reason: str) -> Response:
    return _json({"error": reason}, status)


def create_app(settings: Settings) -> FastAPI:
    """The FastAPI app of the service (wrap it with ``logged`` to serve it)."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )

    @app.get("/cds-services")
    async def _discovery() -> Response:
        return _json(discovery())

    @app.post("/cds-services/{service_id}")
    async def _call(service_id: str, request: Request) -> Response:
        hook = SERVICES.get(service_id)
        if hook is None:
            return _error(404, "no such service")
        audience = f"{settings.base_url}/cds-services/{service_id}"
        if settings.tokens is not None and not settings.tokens.accepts(
            request.headers.get("authorization"), audience
        ):
            return _json({"error": "unauthorized"}, 401, {"WWW-Authenticate": "Bearer"})
        body = await _body(request)
        if body is None:
            return _error(413, "the body is larger than 1 MB")
        try:
            call = read_call(parse_json(body), hook)
        except BadCallError as exc:
            return _error(400, str(exc))
        log = request.scope.get(_LOG_KEY)
        if isinstance(log, dict):
            log["hookInstance"] = call.hook_instance
        if len(body) <= INLINE_BODY_BYTES:
            return _json(answer(call, settings.options))
        # A large call is checked in a worker thread, so that it never stalls the others.
        return _json(await run_in_threadpool(answer, call, settings.options))

    return app


async def _body(request: Request) -> bytes | None:
    """The body, or None as soon as it is known to be larger than ``MAX_BODY_BYTES``."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _safe(text: str, most: int = 80) -> str:
    """Text from a client for the log: only plain characters, cut to ``most``."""
    kept = "".join(c if c in _SAFE else "?" for c in text[:most])
    return kept + ("..." if len(text) > most else "")


class Logged:
    """The app with one log line per request, and a 500 for a request that fails unexpectedly.

    The line holds the method, path, status, time and hookInstance, never patient data.
    """

    def __init__(self, app: ASGIApp, log: Callable[[str], None]) -> None:
        """``log`` takes one line without its newline."""
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request (other scopes pass through)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state: dict[str, Any] = {"status": 500, "sent": False}
        scope[_LOG_KEY] = state

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                state["sent"] = True
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception:  # noqa: BLE001 - one request fails, never the process
            state["status"] = 500
            if not state["sent"]:
                await _internal_error(send)
        millis = (time.perf_counter() - started) * 1000
        hook = state.get("hookInstance")
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        line = f"{stamp} {scope['method']} {_safe(scope['path'])} {state['status']} {millis:.1f} ms"
        self.log(line + (f" hookInstance={_safe(hook)}" if isinstance(hook, str) else ""))


async def _internal_error(send: Send) -> None:
    body = b'{"error":"internal error"}'
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"26")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def logged(settings: Settings, log: Callable[[str], None]) -> Logged:
    """The service as served: the app of ``settings``, each request logged by ``log``."""
    return Logged(create_app(settings), log)
