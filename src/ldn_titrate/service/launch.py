"""Where and how the service listens, refused before it starts when unsafe or incomplete.

Needs none of the service extra, so that a start without it can be refused in words. Each
problem names the settings by key (``host``, ``tls_cert``); whoever started the service spells
them as the user gave them.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import ssl
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple
from urllib.parse import urlsplit

from ldn_titrate.errors import InputError, LdnTitrateError, Phrase, Setting, shown, spell

if TYPE_CHECKING:
    from ldn_titrate.service.auth import TokenChecker

EXTRA = ("fastapi", "uvicorn", "jwt", "cryptography")
INSTALL: Final = "python3 -m pip install '.[service]'"


class LaunchError(LdnTitrateError, ValueError):
    """The service cannot start so: one phrase per problem."""

    def __init__(self, problems: list[Phrase]) -> None:
        """Keep every problem, so the user can fix them all in one go."""
        self.problems = problems
        super().__init__("; ".join(spell(problem) for problem in problems))


class Launch(NamedTuple):
    """Where the service listens, the URL EHRs call, the origins allowed and the TLS files."""

    port: int
    base_url: str
    listening: str
    origins: tuple[str, ...]
    tls: tuple[str, str] | None


def extra_installed() -> bool:
    """Whether the libraries of the service extra can be found (without importing them)."""
    for name in EXTRA:
        try:
            if importlib.util.find_spec(name) is None:
                return False
        except (ImportError, ValueError):
            return False
    return True


def _flag(key: str) -> Setting:
    return Setting(key, "")


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _url(key: str, text: str, *, path: bool) -> str:
    parts = urlsplit(text.strip())
    if (
        parts.scheme not in {"http", "https"}
        or not parts.netloc
        or parts.query
        or parts.fragment
        or (not path and parts.path not in {"", "/"})
    ):
        shape = "http(s)://host[:port][/path]" if path else "http(s)://host[:port]"
        raise LaunchError([(_flag(key), f": must be a URL such as {shape}, got {shown(text)}")])
    return text.strip().rstrip("/")


def _base_url(host: str, port: int, tls: bool, public_url: str | None) -> str:
    if public_url is not None:
        return _url("public_url", public_url, path=True)
    shown_host = f"[{host}]" if ":" in host else host
    return f"{'https' if tls else 'http'}://{shown_host}:{port}"


def _check_tls(cert: str, key: str) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(cert, key)
    except ssl.SSLError as exc:
        reason = exc.reason or str(exc)
    except OSError as exc:
        reason = exc.strerror or str(exc)
    else:
        return
    said = f": cannot use {shown(cert)} with {shown(key)} ({reason})"
    raise LaunchError([(_flag("tls_cert"), "/", _flag("tls_key"), said)])


def _refusals(
    host: str, tls: bool, behind_proxy: bool, no_auth: bool, public_url: str | None
) -> list[Phrase]:
    problems: list[Phrase] = []
    if not tls and not behind_proxy and not _loopback(host):
        problems.append(
            (
                Setting("host", host),
                ": plain HTTP is served only on a loopback address; give ",
                _flag("tls_cert"),
                " and ",
                _flag("tls_key"),
                ", or ",
                _flag("behind_proxy"),
                " when a TLS proxy stands in front",
            )
        )
    if no_auth and not _loopback(host):
        got = f", got {shown(host)}"
        problems.append((_flag("no_auth"), ": works only with ", Setting("host", "127.0.0.1"), got))
    if not no_auth and public_url is None and (behind_proxy or _unspecified(host)):
        problems.append(
            (
                _flag("public_url"),
                ": needed with ",
                _flag("behind_proxy"),
                " or an ",
                _flag("host"),
                " of every address: a token's aud names the URL the EHR calls",
            )
        )
    return problems


def launch(  # noqa: PLR0913 - one parameter per setting of a start
    host: str,
    port: str,
    *,
    public_url: str | None,
    tls_files: tuple[str | None, str | None],
    behind_proxy: bool,
    no_auth: bool,
    cors_origins: tuple[str, ...],
) -> Launch:
    """The start asked for, checked in the order a user fixes it.

    Raises:
        LaunchError: no service extra, a bad port, one TLS file without the other, an unsafe
            address, TLS files that cannot be used, or a URL that is not one.
    """
    from ldn_titrate.bounded import whole_number  # noqa: PLC0415

    if not extra_installed():
        raise LaunchError([(f"serve needs the service extra; install it with: {INSTALL}",)])
    try:
        number = whole_number(port, "port", 1, 65535)
    except InputError as exc:
        raise LaunchError([(_flag("port"), f": {exc.allowed}, got {shown(port)}")]) from None
    cert, key = tls_files
    if (cert is None) != (key is None):
        given, missing = ("tls_cert", "tls_key") if key is None else ("tls_key", "tls_cert")
        raise LaunchError([(_flag(missing), ": needed with ", _flag(given))])
    tls = cert is not None
    problems = _refusals(host, tls, behind_proxy, no_auth, public_url)
    if problems:
        raise LaunchError(problems)
    if cert is not None and key is not None:
        _check_tls(cert, key)
    origins = tuple(_url("cors_origin", origin, path=False) for origin in cors_origins)
    base = _base_url(host, number, tls, public_url)
    pair = (cert, key) if cert is not None and key is not None else None
    return Launch(number, base, _base_url(host, number, tls, None), origins, pair)


def trusted(config: str | None, *, no_auth: bool) -> TokenChecker | None:
    """Who may call the service: the EHRs its config file lists, or anyone (``no_auth``).

    Loads the service extra, so that one installed but broken is refused here in words.

    Raises:
        LaunchError: the extra cannot be loaded, no config file (without ``no_auth``), or a
            config file that is refused.
    """
    try:
        # Every part the start needs, in the order the service's names are taken from them.
        for part in ("config", "app", "server", "auth"):
            importlib.import_module(f"ldn_titrate.service.{part}")
    except ImportError as exc:
        why = f"serve cannot load the service extra ({exc}); reinstall it with: {INSTALL}"
        raise LaunchError([(why,)]) from None
    from ldn_titrate.service import ServiceConfigError, TokenChecker, read_clients  # noqa: PLC0415

    if no_auth:
        return None
    if config is None:
        give = ": give the service's config file, which lists the EHRs trusted to call it (or "
        raise LaunchError(
            [(_flag("config"), give, _flag("no_auth"), " to try it out on 127.0.0.1)")]
        )
    try:
        return TokenChecker(read_clients(Path(config)))
    except ServiceConfigError as exc:
        raise LaunchError([(str(exc),)]) from None
