"""The ``serve`` command: the CDS Hooks service, in the foreground until interrupted.

The service and its libraries (the ``service`` extra) are imported inside the command alone,
so that no other command pays for them at start-up.
"""

from typing import Annotated, Final

import typer

from ldn_titrate.cli.command import EXIT_INVALID, OptionsOnce, app, examples, fail

NO_AUTH_WARNING: Final = (
    "warning: --no-auth: calls are answered without a token; for trying the service out "
    "on this computer only"
)


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
    from ldn_titrate.errors import as_option, spell  # noqa: PLC0415
    from ldn_titrate.service.launch import LaunchError, launch, trusted  # noqa: PLC0415

    try:
        start = launch(
            host,
            port,
            public_url=public_url,
            tls_files=(tls_cert, tls_key),
            behind_proxy=behind_proxy,
            no_auth=no_auth,
            cors_origins=tuple(cors_origin or ()),
        )
        tokens = trusted(config, no_auth=no_auth)
    except LaunchError as exc:
        fail([spell(p, lambda s: as_option(s).rstrip()) for p in exc.problems], EXIT_INVALID)
    from ldn_titrate.service import Settings, Tls, serve  # noqa: PLC0415

    if no_auth:
        typer.echo(NO_AUTH_WARNING, err=True)
    where = "" if start.listening == start.base_url else f", listening on {start.listening}"
    typer.echo(
        f"serving CDS Hooks at {start.base_url}/cds-services{where} (Ctrl+C stops)", err=True
    )
    serve(
        Settings(base_url=start.base_url, tokens=tokens, cors_origins=start.origins),
        host,
        start.port,
        None if start.tls is None else Tls(*start.tls),
        lambda line: typer.echo(line, err=True),
    )
