"""Start-up cost of ``ldn-titrate``: CPU time against ``import typer`` and a do-nothing app.

Each comparison runs two commands alternately, so that drift in machine load hits both
equally, and reports the median CPU time (user + system, from the operating system's account
of the finished child) and wall-clock time of each, and the median of the per-run CPU ratios
(ours / baseline). CPU time, not wall-clock time, is compared: on a busy machine a process
waits for a processor for longer than it runs, and the waiting is not the program's cost.

The pairs:

- ``plan --format csv`` against ``python -c "import typer"``: goal at most 1.5.
- ``check`` of one small clean plan (table output) against ``import typer``: goal at most 1.5.
- ``plan --format csv`` against a throwaway typer app that declares the same ``plan``
  options and does nothing with them (the least any typer CLI with this interface can cost):
  goal at most 1.1.
- ``--version`` against ``import typer``: goal at most 1.1.

All use the installed console script when there is one (as a user would), else ``python -m``.
The children run without ``PYTHONDONTWRITEBYTECODE`` and with ``LDN_TITRATE_CONFIG=none``: an
untimed first run writes the bytecode caches an installed package has, and no user config
changes the work.

Usage::

    python3 benchmarks/startup.py [--runs N]

The figures are for information: the script exits 0 whatever the ratios are, and
non-zero only when a command under test fails or the package is not installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR_GOAL = 1.1
TYPER_GOAL = 1.5
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
        description="Compare ldn-titrate start-up CPU time with import typer and a bare typer app.",
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


def child_env() -> dict[str, str]:
    """The environment of the timed commands: bytecode caches written, no user config."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["LDN_TITRATE_CONFIG"] = "none"
    return env


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run ``command`` once: its CPU time and its wall-clock time in seconds; stop if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, check=False, env=env)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        stderr = result.stderr.decode(errors="replace").strip()
        raise SystemExit(
            f"benchmark: command failed with exit code {result.returncode}: "
            f"{' '.join(command)}\n{stderr}"
        )
    return cpu, elapsed


def compare(
    name: str,
    ours: tuple[str, list[str]],
    base: tuple[str, list[str]],
    runs: int,
    goal: float,
) -> None:
    """Time two (label, command) pairs alternately ``runs`` times each and print the figures."""
    env = child_env()
    ours_label, ours_command = ours
    base_label, base_command = base
    # One untimed run of each warms the file cache and writes any bytecode caches.
    run_once(ours_command, env)
    run_once(base_command, env)
    ours_runs: list[tuple[float, float]] = []
    base_runs: list[tuple[float, float]] = []
    for _ in range(runs):
        ours_runs.append(run_once(ours_command, env))
        base_runs.append(run_once(base_command, env))
    ratio = statistics.median(a[0] / b[0] for a, b in zip(ours_runs, base_runs, strict=True))
    verdict = "within goal" if ratio <= goal else "OVER GOAL"
    print(name)
    for label, figures, who in (("ours", ours_runs, ours_label), ("base", base_runs, base_label)):
        cpu_ms = statistics.median(f[0] for f in figures) * 1000
        wall_ms = statistics.median(f[1] for f in figures) * 1000
        print(f"  {label}  {cpu_ms:7.1f} ms CPU  {wall_ms:7.1f} ms wall  (medians)  {who}")
    print(f"  ratio {ratio:6.2f}  (median of CPU ours/base per run; goal <= {goal})  {verdict}")
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
    typer_only = ('python -c "import typer"', [python, "-c", "import typer"])
    with tempfile.TemporaryDirectory(prefix="ldn-startup-") as tmp:
        app_file = Path(tmp) / "floor_app.py"
        app_file.write_text(FLOOR_APP, encoding="utf-8")
        plan_file = Path(tmp) / "plan.csv"
        # A small plan that checks clean: the one the plan pairs write, kept in a file.
        run_once([*ours, *PLAN_ARGS, "-o", str(plan_file)], child_env())
        compare(
            "plan, CSV to stdout, against import typer",
            (f"{ours_name} {plan_args}", [*ours, *PLAN_ARGS]),
            typer_only,
            runs,
            TYPER_GOAL,
        )
        compare(
            "check, one small clean plan (table), against import typer",
            (f"{ours_name} check plan.csv", [*ours, "check", str(plan_file)]),
            typer_only,
            runs,
            TYPER_GOAL,
        )
        compare(
            "plan, CSV to stdout, against a do-nothing typer app",
            (f"{ours_name} {plan_args}", [*ours, *PLAN_ARGS]),
            (f"python floor_app.py {plan_args}", [python, str(app_file), *PLAN_ARGS]),
            runs,
            FLOOR_GOAL,
        )
        compare(
            "--version, against import typer",
            (f"{ours_name} --version", [*ours, "--version"]),
            typer_only,
            runs,
            FLOOR_GOAL,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
