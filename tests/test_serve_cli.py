"""``ldn-titrate serve`` refuses what it must before it listens: one line on stderr, exit 2.

None of these starts a server; the service tests start real ones.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_titrate.cli import app
from ldn_titrate.errors import shown

EXTRA = all(importlib.util.find_spec(n) for n in ("fastapi", "uvicorn", "jwt", "cryptography"))
needs_extra = pytest.mark.skipif(
    not EXTRA, reason="the service extra is not installed: python3 -m pip install '.[service]'"
)


def serve(runner: CliRunner, *args: str) -> tuple[str, str, int]:
    result = runner.invoke(app, ["serve", *args])
    return result.stdout, result.stderr, result.exit_code


def test_without_the_extra_serve_says_which_command_installs_it(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    assert serve(runner, "--no-auth") == (
        "",
        (
            "error: serve needs the service extra; install it with: "
            "python3 -m pip install '.[service]'\n"
        ),
        2,
    )


@needs_extra
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--host", "0.0.0.0", "--no-auth"),  # noqa: S104 - the address refused
            (
                "--host 0.0.0.0: plain HTTP is served only on a loopback address; give --tls-cert "
                "and --tls-key, or --behind-proxy when a TLS proxy stands in front\n"
                "error: --no-auth: works only with --host 127.0.0.1, got '0.0.0.0'"
            ),
        ),
        (
            ("--host", "192.0.2.10", "--behind-proxy", "--no-auth"),
            "--no-auth: works only with --host 127.0.0.1, got '192.0.2.10'",
        ),
        (
            ("--host", "192.0.2.10", "--behind-proxy", "--config", "service.toml"),
            (
                "--public-url: needed with --behind-proxy or an --host of every address: a token's "
                "aud names the URL the EHR calls"
            ),
        ),
        (
            (),
            (
                "--config: give the service's config file, which lists the EHRs trusted to call it "
                "(or --no-auth to try it out on 127.0.0.1)"
            ),
        ),
        (("--port", "0", "--no-auth"), "--port: must be a whole number from 1 to 65535, got '0'"),
        (
            ("--port", "eighty", "--no-auth"),
            "--port: must be a whole number from 1 to 65535, got 'eighty'",
        ),
        (("--tls-cert", "cert.pem", "--no-auth"), "--tls-key: needed with --tls-cert"),
        (("--tls-key", "key.pem", "--no-auth"), "--tls-cert: needed with --tls-key"),
        (
            ("--no-auth", "--cors-origin", "sandbox.cds-hooks.org"),
            (
                "--cors-origin: must be a URL such as http(s)://host[:port], "
                "got 'sandbox.cds-hooks.org'"
            ),
        ),
        (
            ("--no-auth", "--public-url", "ftp://x"),
            "--public-url: must be a URL such as http(s)://host[:port][/path], got 'ftp://x'",
        ),
    ],
)
def test_serve_refuses_an_unsafe_or_incomplete_start(
    runner: CliRunner, args: tuple[str, ...], message: str
) -> None:
    assert serve(runner, *args) == ("", f"error: {message}\n", 2)


@needs_extra
def test_a_missing_tls_file_is_named(runner: CliRunner, tmp_path: Path) -> None:
    cert, key = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    out, err, code = serve(runner, "--no-auth", "--tls-cert", cert, "--tls-key", key)
    assert (out, code) == ("", 2)
    reason = "(No such file or directory)"
    said = f"cannot use {shown(cert)} with {shown(key)} {reason}"
    assert err == f"error: --tls-cert/--tls-key: {said}\n"


@needs_extra
def test_a_missing_config_file_is_named(runner: CliRunner, tmp_path: Path) -> None:
    path = str(tmp_path / "service.toml")
    assert serve(runner, "--config", path) == (
        "",
        "error: service.toml: cannot read 'service.toml' (No such file or directory)\n",
        2,
    )


def _config(folder: Path, text: str, jwks: object | None = None) -> str:
    if jwks is not None:
        (folder / "client-jwks.json").write_text(json.dumps(jwks), encoding="utf-8")
    path = folder / "service.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


CLIENT = '[service.clients."https://ehr.example.org"]\n'


@needs_extra
@pytest.mark.parametrize(
    ("text", "jwks", "message"),
    [
        (
            "[service]\nclient = 1\n",
            None,
            "service.toml: service.client: unknown key; allowed: clients",
        ),
        ("[other]\n", None, "service.toml: other: unknown key; allowed: service"),
        ("[service.clients]\n", None, "service.toml: service.clients: no trusted client is listed"),
        ("service = [", None, "service.toml: not valid TOML: "),
        (
            CLIENT,
            None,
            "service.toml: service.clients.'https://ehr.example.org'.jwks: must name a JWKS file",
        ),
        (
            CLIENT + 'jwks = "missing.json"\n',
            None,
            "service.toml: service.clients.'https://ehr.example.org'.jwks: cannot read ",
        ),
        (
            CLIENT + 'jwks = "client-jwks.json"\n',
            {"keys": []},
            (
                "service.toml: service.clients.'https://ehr.example.org'.jwks: 'client-jwks.json' "
                "holds no EC P-384 or RSA key with a kid"
            ),
        ),
        (
            CLIENT + 'jwks = "client-jwks.json"\n',
            [1],
            (
                "service.toml: service.clients.'https://ehr.example.org'.jwks: 'client-jwks.json' "
                "is not a JWKS (no keys list)"
            ),
        ),
        (
            CLIENT + 'jwks = "client-jwks.json"\nkeys = 1\n',
            None,
            (
                "service.toml: service.clients.'https://ehr.example.org': keys: unknown key; "
                "allowed: jwks"
            ),
        ),
    ],
)
def test_a_config_that_cannot_be_used_is_one_line_naming_the_key(
    runner: CliRunner, tmp_path: Path, text: str, jwks: object, message: str
) -> None:
    out, err, code = serve(runner, "--config", _config(tmp_path, text, jwks))
    assert (out, code) == ("", 2)
    assert err.startswith(f"error: {message}")
    assert err.count("\n") == 1
