"""Start-up time of ``ldn-titrate`` compared with a do-nothing typer app.

The floor is a throwaway typer app that declares the same ``plan`` options as the
real command and does nothing with them: that is the least any typer CLI with this
interface can cost. The two are run alternately, so that drift in machine load hits
both equally, and the script reports the median time of each and the median of the
per-run ratios (ours / floor). The goal is a ratio of at most 1.1.

A second pair compares ``ldn-titrate --version`` with ``python -c "import typer"``. Both use
the installed console script when there is one (as a user would), else ``python -m``.

Usage::

    python3 benchmarks/startup.py [--runs N]

The figures are for information: the script exits 0 whatever the ratios are, and
non-zero only when a command under test fails or the package is not installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 1.1
DEFAULT_RUNS = 21

PLAN_ARGS = (
    "plan",
    "--start",
    "0.5",
    "--target",
    "4.5",
    "--step",
    "0.5",
    "--every",
    "7d",
    "--from",
    "2026-12-07",
    "--format",
    "csv",
)

FLOOR_APP = '''\
"""The least a typer CLI with the options of `ldn-titrate plan` can cost."""

import typer

app = typer.Typer()


@app.callback()
def main() -> None:
    """Group callback, so that `plan` is a subcommand as in the real CLI."""


@app.command()
def plan(
    request: str | None = typer.Argument(None),
    start: str | None = typer.Option(None, "--start"),
    target: str | None = typer.Option(None, "--target"),
    step: str | None = typer.Option(None, "--step"),
    every: str | None = typer.Option(None, "--every"),
    from_: str | None = typer.Option(None, "--from"),
    maintenance_days: str | None = typer.Option(None, "--maintenance-days"),
    time: str | None = typer.Option(None, "--time"),
    label: str | None = typer.Option(None, "--label"),
    form: str | None = typer.Option(None, "--form"),
    concentration: str | None = typer.Option(None, "--concentration"),
    graduation: str | None = typer.Option(None, "--graduation"),
    strengths: str | None = typer.Option(None, "--strengths"),
    max_units: str | None = typer.Option(None, "--max-units"),
    bud: str | None = typer.Option(None, "--bud"),
    overage: str | None = typer.Option(None, "--overage"),
    protocol: str | None = typer.Option(None, "--protocol"),
    prescriber: str | None = typer.Option(None, "--prescriber"),
    pharmacy: str | None = typer.Option(None, "--pharmacy"),
    steps: str | None = typer.Option(None, "--steps"),
    sig: str | None = typer.Option(None, "--sig"),
    split: bool = typer.Option(False, "--split"),
    weight: str | None = typer.Option(None, "--weight"),
    mg_per_kg: str | None = typer.Option(None, "--mg-per-kg"),
    meds: str | None = typer.Option(None, "--meds"),
    meds_reviewed: bool = typer.Option(False, "--meds-reviewed"),
    format_: str | None = typer.Option(None, "--format"),
    intent: str | None = typer.Option(None, "--intent"),
    patient_id: str | None = typer.Option(None, "--patient-id"),
    prescriber_id: str | None = typer.Option(None, "--prescriber-id"),
    remind: str | None = typer.Option(None, "--remind"),
    paper: str | None = typer.Option(None, "--paper"),
    output: str | None = typer.Option(None, "-o", "--output"),
    force: bool = typer.Option(False, "--force"),
    config: str | None = typer.Option(None, "--config"),
) -> None:
    """Accept the options and do nothing."""


if __name__ == "__main__":
    app()
'''


def positive_int(text: str) -> int:
    """Parse a run count for argparse; at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        description="Compare ldn-titrate start-up time with a do-nothing typer app.",
    )
    parser.add_argument(
        "--runs",
        type=positive_int,
        default=DEFAULT_RUNS,
        help=f"timed runs of each command (default {DEFAULT_RUNS})",
    )
    return parser.parse_args(argv)


def missing_modules() -> list[str]:
    """Name the modules this benchmark needs that the current interpreter cannot find."""
    missing = [name for name in ("typer", "ldn_titrate") if importlib.util.find_spec(name) is None]
    if "ldn_titrate" not in missing and importlib.util.find_spec("ldn_titrate.__main__") is None:
        missing.append("ldn_titrate.__main__")
    return missing


def run_once(command: list[str]) -> float:
    """Run ``command`` once and return its wall-clock time in seconds; stop if it fails."""
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        stderr = result.stderr.decode(errors="replace").strip()
        raise SystemExit(
            f"benchmark: command failed with exit code {result.returncode}: "
            f"{' '.join(command)}\n{stderr}"
        )
    return elapsed


def compare(
    name: str,
    ours: tuple[str, list[str]],
    floor: tuple[str, list[str]],
    runs: int,
) -> None:
    """Time two (label, command) pairs alternately ``runs`` times each and print the figures."""
    ours_label, ours_command = ours
    floor_label, floor_command = floor
    # One untimed run of each warms the file cache and writes any bytecode caches.
    run_once(ours_command)
    run_once(floor_command)
    ours_times: list[float] = []
    floor_times: list[float] = []
    for _ in range(runs):
        ours_times.append(run_once(ours_command))
        floor_times.append(run_once(floor_command))
    ours_ms = statistics.median(ours_times) * 1000
    floor_ms = statistics.median(floor_times) * 1000
    ratio = statistics.median(a / b for a, b in zip(ours_times, floor_times, strict=True))
    verdict = "within goal" if ratio <= GOAL else "OVER GOAL"
    print(name)
    print(f"  ours   {ours_ms:8.1f} ms  (median)  {ours_label}")
    print(f"  floor  {floor_ms:8.1f} ms  (median)  {floor_label}")
    print(f"  ratio  {ratio:8.2f}     (median of ours/floor per run; goal <= {GOAL})  {verdict}")
    print(flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run both comparisons and print the results."""
    args = parse_args(argv)
    runs: int = args.runs
    missing = missing_modules()
    if missing == ["ldn_titrate.__main__"]:
        print(
            "benchmark: the installed ldn_titrate has no __main__ module, "
            "so `python -m ldn_titrate` cannot run.",
            file=sys.stderr,
        )
        return 2
    if missing:
        print(
            f"benchmark: cannot find {', '.join(missing)} for {sys.executable}.\n"
            "Install the project into this environment first: python3 -m pip install .",
            file=sys.stderr,
        )
        return 2

    python = sys.executable
    plan_args = " ".join(PLAN_ARGS)
    # What a user runs is the console script; without one, fall back to ``python -m``.
    script = Path(python).with_name("ldn-titrate")
    ours = [str(script)] if script.is_file() else [python, "-m", "ldn_titrate"]
    ours_name = "ldn-titrate" if script.is_file() else "python -m ldn_titrate"
    print(
        f"Start-up benchmark: {runs} timed runs of each command, "
        f"Python {platform.python_version()} ({python})\n",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="ldn-startup-") as tmp:
        app_file = Path(tmp) / "floor_app.py"
        app_file.write_text(FLOOR_APP, encoding="utf-8")
        compare(
            "plan, CSV to stdout",
            (f"{ours_name} {plan_args}", [*ours, *PLAN_ARGS]),
            (f"python floor_app.py {plan_args}", [python, str(app_file), *PLAN_ARGS]),
            runs,
        )
        compare(
            "--version",
            (f"{ours_name} --version", [*ours, "--version"]),
            ('python -c "import typer"', [python, "-c", "import typer"]),
            runs,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
