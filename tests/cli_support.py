"""What the command-line tests share: a run that lets no exception pass, and the screen's words."""

from __future__ import annotations

from typing import Final

from typer.testing import CliRunner, Result

from ldn_titrate.cli import app

# What the medicine screen says of tramadol, on plan, replan and check alike.
TRAMADOL: Final = (
    "Tramal (tramadol) is an opioid; naltrexone is contraindicated with opioids and can bring "
    "on withdrawal: the patient must be opioid-free for at least 7–10 days before the first dose"
)


def run(runner: CliRunner, *args: str) -> Result:
    """The command line run with these words; anything but its own exit fails the test."""
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result
