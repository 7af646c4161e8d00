"""Throughput of ``ldn-titrate check``: plans per second, and whether the cost grows linearly.

The script writes N plan files (CSV and JSON; plain, liquid and capsule; different dates,
doses and labels) into a temporary folder, then times one check over all of them through
the Python API in the same process: read the bytes, read the plan, check it. N = 1 gives
the baseline cost of one plan (the mean of 500 one-plan runs over different plans); the cost
per plan at N = 2,000 and N = 10,000 is printed as a ratio to it, which stays near 1 when the
cost grows linearly. Each figure is the best of a few runs, on one core.

Then the command line is run over 1,000, 2,000 and 10,000 files in each output format, with
the output written to a file, as a user runs it: over 100 files it checks them in one worker
process per processor. Its start-up (a run over one file) is subtracted, and each rate is
printed with its ratio to the one-core in-process rate measured in the same run (above 1 when
the workers gain more than the command line's own output costs). Each run's peak memory (the
largest resident set of the command and its workers) is printed too, with the ratio of the
10,000-file run to the 1,000-file run: results stream, so it stays near 1.

With ``--jobs-compare``, each format is also run with ``--jobs 1`` beside the default (and
``--jobs 2``), the list given by ``--files-from``, so that the default can be chosen by what
the machine does. With ``--memory``, the peak memory of ``check --files-from`` is measured
over 1,000, 10,000 and 100,000 small files (copies of a thousand plans), each a
``--format json`` run.

Usage::

    python3 benchmarks/check_speed.py [--runs N] [--sizes 1,2000,10000] [--no-cli]
        [--cli-sizes 1000,10000] [--jobs-compare] [--memory]

The goals are 5,000 plans a second in the default format, 10,000 in JSON, and a memory ratio
of at most 1.2. The figures are for information: the script exits 0 whatever they are, and
non-zero only when a check fails or finds an error in a valid plan.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ldn_titrate.check import CheckOptions, tally
from ldn_titrate.check import check_file as check_data
from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.formats import csv_format, json_format
from ldn_titrate.model import Capsules, Liquid, TitrationRequest
from ldn_titrate.rules import build_schedule

GOAL = 5_000
GOALS = {"table": 5_000, "json": 10_000, "csv": 10_000}
MEMORY_GOAL = 1.2
DEFAULT_SIZES = (1, 2_000, 10_000)
DEFAULT_RUNS = 3
CLI_SIZES = (1_000, 2_000, 10_000)
# Runs the command line as the console script does, then reports its peak memory on its last
# line of stderr: the maximum resident set (KiB) of the command or of its largest worker
# process, whichever is larger. The command's own is its VmHWM where Linux gives it: its
# ru_maxrss starts at the peak of the process that started it (Linux carries the high-water
# mark across exec), here this script, which holds every plan's name and text, so it grew
# with the batch (44, 48 and 96 MiB at 1,000, 10,000 and 100,000 files) while the command
# stayed flat. ``-P`` keeps the current folder, which holds every plan of the batch, off the
# import path, as the console script does: each import would list it (about 15 MiB at 100,000).
MEASURED = (
    "import resource, sys\n"
    "from ldn_titrate.cli import main\n"
    "sys.argv[0] = 'ldn-titrate'\n"
    "try:\n"
    "    main()\n"
    "finally:\n"
    "    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "    try:\n"
    "        with open('/proc/self/status', encoding='ascii') as status:\n"
    "            own = next(int(l.split()[1]) for l in status if l.startswith('VmHWM:'))\n"
    "    except (OSError, StopIteration):\n"
    "        pass\n"
    "    peak = max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "    sys.stderr.write(f'\\npeak {peak}\\n')\n"
)
# The one-plan baseline: this many different plans, each checked in a run of its own.
BASELINE_SAMPLE = 500

FORMULATIONS: tuple[Liquid | Capsules | None, ...] = (
    None,
    Liquid(concentration_mg_per_ml=Decimal(1), graduation_ml=Decimal("0.1")),
    Capsules(strengths_mg=(Decimal("1.5"), Decimal("0.5")), max_units=4),
)
TARGETS = tuple(Decimal(t) for t in ("2", "3", "3.5", "4.5"))


def positive_int(text: str) -> int:
    """Parse a count for argparse; at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def sizes(text: str) -> tuple[int, ...]:
    """Parse ``1,1000,10000`` for argparse."""
    return tuple(positive_int(part) for part in text.split(","))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description="Time `ldn-titrate check` over many plans.")
    parser.add_argument("--runs", type=positive_int, default=DEFAULT_RUNS, help="best of N runs")
    parser.add_argument(
        "--sizes", type=sizes, default=DEFAULT_SIZES, help="numbers of plans, such as 1,1000"
    )
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line run")
    parser.add_argument(
        "--cli-sizes", type=sizes, default=CLI_SIZES, help="numbers of files for the command line"
    )
    parser.add_argument(
        "--jobs-compare", action="store_true", help="run each format with --jobs 1, 2 and default"
    )
    parser.add_argument(
        "--memory", action="store_true", help="peak memory of --files-from over 100,000 files"
    )
    return parser.parse_args(argv)


def plan_text(number: int, rng: random.Random) -> tuple[str, bytes]:
    """The file name and bytes of one valid plan, varied by its number."""
    request = TitrationRequest(
        start_mg=Decimal("0.5"),
        target_mg=rng.choice(TARGETS),
        step_mg=Decimal("0.5"),
        every=Interval(rng.choice((7, 14)), IntervalUnit.DAYS),
        first_day=date(2026, 1, 1) + timedelta(days=rng.randrange(1_000)),
        label=f"Rx {number:06d}",
        formulation=FORMULATIONS[number % len(FORMULATIONS)],
    )
    schedule = build_schedule(request)
    if number % 2:
        return f"plan-{number:05d}.json", json_format.dumps(schedule).encode()
    return f"plan-{number:05d}.csv", csv_format.dumps(schedule).encode()


def check_all(paths: list[Path], options: CheckOptions) -> float:
    """Check every file once, as the command does; return the seconds taken."""
    started = time.perf_counter()
    for path in paths:
        findings = check_data(path.read_bytes(), path.name, options)
        if tally(findings).errors:
            raise SystemExit(f"benchmark: a valid plan was found in error: {path.name}")
    return time.perf_counter() - started


def best_seconds_per_plan(paths: list[Path], runs: int) -> float:
    """One run over all the files: the best of ``runs`` timings, per plan checked."""
    options = CheckOptions()
    check_all(paths, options)  # warm the file cache
    return min(check_all(paths, options) for _ in range(runs)) / len(paths)


def one_plan_seconds(paths: list[Path], runs: int) -> float:
    """The cost of a one-plan run: each file checked in a run of its own; best mean of ``runs``."""
    options = CheckOptions()
    check_all(paths, options)
    return min(sum(check_all([path], options) for path in paths) for _ in range(runs)) / len(paths)


def cli_run(
    paths: list[Path], output_format: str, out: Path, extra: tuple[str, ...] = ()
) -> tuple[float, int]:
    """Seconds and peak memory (KiB) of one ``ldn-titrate check`` process over the files.

    With ``--files-from`` in ``extra``, the names are given in a list file instead of as
    arguments.
    """
    command = [sys.executable, "-P", "-c", MEASURED, "check", "--format", output_format, *extra]
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    names: list[str] = [p.name for p in paths]
    if "--files-from" in extra:
        listed = paths[0].parent / extra[extra.index("--files-from") + 1]
        listed.write_text("".join(f"{name}\n" for name in names), encoding="utf-8")
        names = []
    with out.open("wb") as sink:
        started = time.perf_counter()
        # Names relative to the folder, as `check *.csv` gives them.
        result = subprocess.run(
            [*command, *names],
            stdout=sink,
            stderr=subprocess.PIPE,
            check=False,
            env=env,
            cwd=paths[0].parent,
        )
        elapsed = time.perf_counter() - started
    stderr = result.stderr.decode(errors="replace")
    if result.returncode != 0:
        raise SystemExit(
            f"benchmark: the command failed with exit code {result.returncode}\n" + stderr[-2000:]
        )
    return elapsed, int(stderr.rsplit("peak ", 1)[1])


def jobs_figures(written: list[Path], folder: Path, runs: int, cli_sizes: tuple[int, ...]) -> None:
    """Each format over each batch with --jobs 1, --jobs 2 and the default, from a list file."""
    print(f"\n--jobs compared ({os.cpu_count()} processors, load {os.getloadavg()[0]:.1f}):")
    print(f"  {'files':>7}  {'format':<6}  {'jobs':>7}  {'plans/s':>8}  {'peak MiB':>8}")
    out = folder / "output.txt"
    for output_format in GOALS:
        listing = ("--files-from", "list.txt")
        start_up = min(cli_run(written[:1], output_format, out, listing)[0] for _ in range(runs))
        for size in cli_sizes:
            for jobs in ("1", "2", "default"):
                extra = listing if jobs == "default" else (*listing, "--jobs", jobs)
                timings = [cli_run(written[:size], output_format, out, extra) for _ in range(runs)]
                rate = size / max(min(t for t, _ in timings) - start_up, 1e-9)
                peak = max(p for _, p in timings) / 1024
                print(
                    f"  {size:>7,}  {output_format:<6}  {jobs:>7}  {rate:>8,.0f}  {peak:>8.1f}",
                    flush=True,
                )


def memory_figures(written: list[Path], folder: Path) -> None:
    """Peak memory of ``check --files-from`` over 1,000, 10,000 and 100,000 small files."""
    copies = folder / "copies"
    copies.mkdir(exist_ok=True)
    sources = [path.read_bytes() for path in written[:1_000]]
    made: list[Path] = []
    print("\npeak memory of check --files-from (--format json, output to a file):")
    for size in (1_000, 10_000, 100_000):
        for number in range(len(made), size):
            path = copies / f"{number:06d}-{written[number % 1_000].name}"
            path.write_bytes(sources[number % 1_000])
            made.append(path)
        elapsed, peak = cli_run(made, "json", folder / "output.txt", ("--files-from", "list.txt"))
        print(
            f"  {size:>7,} files: peak {peak / 1024:>6.1f} MiB, {size / elapsed:>6,.0f} plans/s",
            flush=True,
        )


def cli_figures(
    written: list[Path], folder: Path, runs: int, in_process: float, cli_sizes: tuple[int, ...]
) -> None:
    """Time the command line over each batch in each format; print rates and peak memory."""
    print(
        f"\ncommand line over all the files ({os.cpu_count()} processors), output to a file, "
        "start-up subtracted:"
    )
    print(f"  {'files':>7}  {'format':<6}  {'plans/s':>8}  {'vs API':>6}  {'peak MiB':>8}")
    out = folder / "output.txt"
    for output_format, goal in GOALS.items():
        start_up = min(cli_run(written[:1], output_format, out)[0] for _ in range(runs))
        peaks: dict[int, int] = {}
        for size in cli_sizes:
            timings = [cli_run(written[:size], output_format, out) for _ in range(runs)]
            elapsed = min(t for t, _ in timings)
            peaks[size] = max(p for _, p in timings)
            rate = size / max(elapsed - start_up, 1e-9)
            verdict = "" if rate >= goal else "  below goal"
            print(
                f"  {size:>7,}  {output_format:<6}  {rate:>8,.0f}  {rate / in_process:>6.2f}  "
                f"{peaks[size] / 1024:>8.1f}{verdict}",
                flush=True,
            )
        ratio = peaks[cli_sizes[-1]] / peaks[cli_sizes[0]]
        verdict = "" if ratio <= MEMORY_GOAL else "  above goal"
        print(
            f"  peak memory, {cli_sizes[-1]:,} files vs {cli_sizes[0]:,}: {ratio:.3f} x"
            f"{verdict}; start-up {start_up * 1000:.0f} ms\n",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    """Write the plans, time the checks and print the figures."""
    args = parse_args(argv)
    runs: int = args.runs
    print(
        f"check benchmark: best of {runs} runs, Python {platform.python_version()}, "
        f"one process on one core ({platform.machine()})\n",
        flush=True,
    )
    print(f"{'plans':>8}  {'plans/s':>10}  {'µs/plan':>9}  {'cost vs 1 plan':>14}")
    with tempfile.TemporaryDirectory(prefix="ldn-check-") as tmp:
        folder = Path(tmp)
        written = write_plans_from(folder, 0, BASELINE_SAMPLE)
        baseline = one_plan_seconds(written, runs)
        for size in sorted(args.sizes):
            if len(written) < size:
                written += write_plans_from(folder, len(written), size)
            per_plan = baseline if size == 1 else best_seconds_per_plan(written[:size], runs)
            verdict = "" if 1 / per_plan >= GOAL else "  BELOW GOAL"
            print(
                f"{size:>8,}  {1 / per_plan:>10,.0f}  {per_plan * 1e6:>9.1f}  "
                f"{per_plan / baseline:>14.2f}{verdict}",
                flush=True,
            )
        cli_sizes: tuple[int, ...] = tuple(sorted(args.cli_sizes))
        want = max(*cli_sizes, 1_000 if args.memory else 0)
        if len(written) < want:
            written += write_plans_from(folder, len(written), want)
        if not args.no_cli:
            in_process = 1 / best_seconds_per_plan(written[:want], runs)
            print(f"\nin process over {want:,} plans: {in_process:,.0f} plans/s (the API rate)")
            cli_figures(written, folder, runs, in_process, cli_sizes)
        if args.jobs_compare:
            jobs_figures(written, folder, runs, cli_sizes)
        if args.memory:
            memory_figures(written, folder)
    print(
        f"goals: in process and --format table at least {GOAL:,} plans a second, "
        f"--format json {GOALS['json']:,}; cost per plan ~1 x; peak memory ratio at most "
        f"{MEMORY_GOAL} x"
    )
    return 0


def write_plans_from(folder: Path, have: int, want: int) -> list[Path]:
    """Write the plans numbered ``have`` to ``want - 1`` (none if there are enough)."""
    rng = random.Random(want)
    paths = []
    for number in range(have, want):
        name, data = plan_text(number, rng)
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


if __name__ == "__main__":
    sys.exit(main())
