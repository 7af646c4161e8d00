"""The ``serve`` command: the CDS Hooks service, in the foreground until interrupted.

The service and its libraries (the ``service`` extra) are imported inside the command alone,
so that no other command pays for them at start-up.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Annotated, Final
from urllib.parse import urlsplit

import typer

from ldn_titrate.cli import EXIT_INVALID, OptionsOnce, app, examples, fail

INSTALL: Final = "python3 -m pip install '.[service]'"
NO_CONFIG: Final = (
    "--config: give the service's config file, which lists the EHRs trusted to call it "
    "(or --no-auth to try it out on 127.0.0.1)"
)
NO_AUTH_WARNING: Final = (
    "warning: --no-auth: calls are answered without a token; for trying the service out "
    "on this computer only"
)


def _extra_installed() -> bool:
    """Whether the libraries of the service extra can be found (without importing them)."""
    for name in ("fastapi", "uvicorn", "jwt", "cryptography"):
        try:
            if importlib.util.find_spec(name) is None:
                return False
        except (ImportError, ValueError):
            return False
    return True


def _shown(value: str) -> str:
    from ldn_titrate.errors import shown  # noqa: PLC0415 - the core loads only when needed

    return shown(value)


def _loopback(host: str) -> bool:
    import ipaddress  # noqa: PLC0415 - loaded by this command alone, not at every start

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _unspecified(host: str) -> bool:
    import ipaddress  # noqa: PLC0415 - loaded by this command alone, not at every start

    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _url(option: str, text: str, *, path: bool) -> str:
    parts = urlsplit(text.strip())
    if (
        parts.scheme not in {"http", "https"}
        or not parts.netloc
        or parts.query
        or parts.fragment
        or (not path and parts.path not in {"", "/"})
    ):
        shape = "http(s)://host[:port][/path]" if path else "http(s)://host[:port]"
        fail([f"{option}: must be a URL such as {shape}, got {_shown(text)}"], EXIT_INVALID)
    return text.strip().rstrip("/")


def _port(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        fail([f"--port: must be a whole number from 1 to 65535, got {_shown(text)}"], EXIT_INVALID)
    return int(text)


def _base_url(host: str, port: int, tls: bool, public_url: str | None) -> str:
    if public_url is not None:
        return _url("--public-url", public_url, path=True)
    shown = f"[{host}]" if ":" in host else host
    return f"{'https' if tls else 'http'}://{shown}:{port}"


def _check_tls(cert: str, key: str) -> None:
    import ssl  # noqa: PLC0415 - 15 % of typer's own import, paid only by serve

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(cert, key)
    except ssl.SSLError as exc:
        reason = exc.reason or str(exc)
        fail(
            [f"--tls-cert/--tls-key: cannot use {_shown(cert)} with {_shown(key)} ({reason})"],
            EXIT_INVALID,
        )
    except OSError as exc:
        reason = exc.strerror or str(exc)
        fail(
            [f"--tls-cert/--tls-key: cannot use {_shown(cert)} with {_shown(key)} ({reason})"],
            EXIT_INVALID,
        )


def _refusals(
    host: str, tls: bool, behind_proxy: bool, no_auth: bool, public_url: str | None
) -> list[str]:
    problems = []
    if not tls and not behind_proxy and not _loopback(host):
        problems.append(
            f"--host {host}: plain HTTP is served only on a loopback address; give --tls-cert "
            "and --tls-key, or --behind-proxy when a TLS proxy stands in front"
        )
    if no_auth and not _loopback(host):
        problems.append(f"--no-auth: works only with --host 127.0.0.1, got {_shown(host)}")
    if not no_auth and public_url is None and (behind_proxy or _unspecified(host)):
        problems.append(
            "--public-url: needed with --behind-proxy or an --host of every address: a token's "
            "aud names the URL the EHR calls"
        )
    return problems


@app.command(
    "serve",
    cls=OptionsOnce,
    short_help="Answer CDS Hooks calls that check naltrexone orders.",
    epilog=examples(
        "ldn-titrate serve --config service.toml",
        "ldn-titrate serve --no-auth --cors-origin https://sandbox.cds-hooks.org",
    ),
)
def serve_command(
    host: Annotated[
        str,
        typer.Option(
            metavar="ADDRESS", help="Address to listen on (default 127.0.0.1).", show_default=False
        ),
    ] = "127.0.0.1",
    port: Annotated[
        str, typer.Option(metavar="N", help="Port (default 8080).", show_default=False)
    ] = "8080",
    config: Annotated[
        str | None,
        typer.Option(
            metavar="PATH", help="The service's config file: the EHRs trusted to call it."
        ),
    ] = None,
    public_url: Annotated[
        str | None,
        typer.Option(metavar="URL", help="The base URL EHRs call, when it is not the address."),
    ] = None,
    tls_cert: Annotated[
        str | None, typer.Option(metavar="PATH", help="Certificate chain (PEM) to serve HTTPS.")
    ] = None,
    tls_key: Annotated[
        str | None, typer.Option(metavar="PATH", help="Private key (PEM) of --tls-cert.")
    ] = None,
    behind_proxy: Annotated[
        bool, typer.Option("--behind-proxy", help="A TLS proxy stands in front: plain HTTP.")
    ] = False,
    no_auth: Annotated[
        bool,
        typer.Option("--no-auth", help="Answer calls without a token (127.0.0.1 only)."),
    ] = False,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(metavar="URL", help="Allow a browser-based EHR at this origin (repeatable)."),
    ] = None,
) -> None:
    """Answer CDS Hooks calls: check low-dose naltrexone orders as they are selected or signed."""
    if not _extra_installed():
        fail([f"serve needs the service extra; install it with: {INSTALL}"], EXIT_INVALID)
    number = _port(port)
    if (tls_cert is None) != (tls_key is None):
        given, missing = (
            ("--tls-cert", "--tls-key") if tls_key is None else ("--tls-key", "--tls-cert")
        )
        fail([f"{missing}: needed with {given}"], EXIT_INVALID)
    tls = tls_cert is not None
    problems = _refusals(host, tls, behind_proxy, no_auth, public_url)
    if problems:
        fail(problems, EXIT_INVALID)
    if tls_cert is not None and tls_key is not None:
        _check_tls(tls_cert, tls_key)
    origins = tuple(_url("--cors-origin", origin, path=False) for origin in cors_origin or ())
    base = _base_url(host, number, tls, public_url)
    try:
        from ldn_titrate.service import (  # noqa: PLC0415
            ServiceConfigError,
            Settings,
            Tls,
            TokenChecker,
            read_clients,
            serve,
        )
    except ImportError as exc:
        fail(
            [f"serve cannot load the service extra ({exc}); reinstall it with: {INSTALL}"],
            EXIT_INVALID,
        )

    tokens = None
    if not no_auth:
        if config is None:
            fail([NO_CONFIG], EXIT_INVALID)
        try:
            tokens = TokenChecker(read_clients(Path(config)))
        except ServiceConfigError as exc:
            fail([str(exc)], EXIT_INVALID)
    else:
        typer.echo(NO_AUTH_WARNING, err=True)
    listening = _base_url(host, number, tls, None)
    where = "" if listening == base else f", listening on {listening}"
    typer.echo(f"serving CDS Hooks at {base}/cds-services{where} (Ctrl+C stops)", err=True)
    serve(
        Settings(base_url=base, tokens=tokens, cors_origins=origins),
        host,
        number,
        Tls(tls_cert, tls_key) if tls_cert is not None and tls_key is not None else None,
        lambda line: typer.echo(line, err=True),
    )
