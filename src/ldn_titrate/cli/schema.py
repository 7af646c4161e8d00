"""The ``schema`` command: print the JSON Schema of the plan JSON or of the check report."""

from typing import Annotated

import typer

from ldn_titrate.cli.command import EXIT_INVALID, OptionsOnce, app, examples, fail
from ldn_titrate.cli.options import completer

KINDS = ("plan", "findings")


@app.command(
    cls=OptionsOnce,
    short_help="Print the JSON Schema of a plan or of a check report.",
    epilog=examples(
        "ldn-titrate schema plan > plan.schema.json",
        "ldn-titrate schema findings",
    ),
)
def schema(
    kind: Annotated[
        str,
        typer.Argument(
            metavar="plan|findings",
            help="Which JSON to describe.",
            autocompletion=completer(KINDS),
        ),
    ],
) -> None:
    """Print the JSON Schema of 'plan --format json' or 'check --format json'."""
    import json  # noqa: PLC0415

    name = kind.strip().lower()
    if name not in KINDS:
        from ldn_titrate.errors import shown  # noqa: PLC0415

        fail([f"schema: must be plan or findings, got {shown(kind)}"], EXIT_INVALID)
    from ldn_titrate.schemas import json_schema  # noqa: PLC0415

    typer.echo(json.dumps(json_schema("plan" if name == "plan" else "findings"), indent=2))
