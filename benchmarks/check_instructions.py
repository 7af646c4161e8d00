"""Instructions per plan for ``check``, counted by callgrind rather than timed.

Wall-clock figures on a busy machine swing from run to run; instruction counts do not. The
script writes 200 of ``check_speed.py``'s plans of one kind (this tool's JSON or CSV), then
runs itself under ``valgrind --tool=callgrind`` twice, checking them once and then twice in
one process: the difference, divided by 200, is what reading and checking one plan costs,
with start-up and first-call caches taken out.

Usage::

    python3 benchmarks/check_instructions.py [--plans 200]

It prints one line per kind. Without valgrind it says so and exits 0.

With ``--cli``, the command line is counted as well: ``ldn-titrate check --jobs 1`` over the
plans in each report format (table, json, csv; output to a file), once over the plans and
once over them twice, so that what the command adds to each plan (reading the file, the
report's text, writing it) shows beside the API's figure.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from check_speed import plan_text
from ldn_titrate.check import CheckOptions
from ldn_titrate.check import check_file as check_data

_TOTAL = re.compile(r"^summary:\s+(\d+)", re.MULTILINE)


def _inner(folder: Path, passes: int) -> None:
    paths = sorted(folder.iterdir())
    options = CheckOptions()
    for _ in range(passes):
        for path in paths:
            check_data(path.read_bytes(), path.name, options)


def _count(folder: Path, passes: int, out: Path, report: str | None = None) -> int:
    """Instructions of checking the plans ``passes`` times: by the API, or the command line."""
    if report is None:
        ours = [__file__, "--inner", str(folder), "--passes", str(passes)]
    else:
        names = sorted(path.name for path in folder.iterdir()) * passes
        listed = folder.parent / f"{folder.name}-{passes}.txt"
        listed.write_text("".join(f"{folder / name}\n" for name in names), encoding="utf-8")
        ours = ["-m", "ldn_titrate", "check", "--jobs", "1", "--format", report]
        ours += ["--files-from", str(listed)]
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable]
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    with (folder.parent / "output.txt").open("wb") as sink:
        subprocess.run([*command, *ours], check=False, stdout=sink, stderr=subprocess.PIPE, env=env)
    found = _TOTAL.search(out.read_text(encoding="utf-8"))
    if found is None:
        raise SystemExit(f"no total in {out.name}")
    return int(found.group(1))


def main() -> None:
    """Write the plans, count both runs and print instructions per plan."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--cli", action="store_true", help="count the command line as well")
    parser.add_argument("--inner", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--passes", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner is not None:
        _inner(args.inner, args.passes)
        return
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: no instruction counts")
        return
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for kind in ("json", "csv"):
            folder = root / kind
            folder.mkdir()
            number = 0
            written = 0
            while written < args.plans:
                name, data = plan_text(number, rng)
                number += 1
                if name.endswith(f".{kind}"):
                    (folder / name).write_bytes(data)
                    written += 1
            once = _count(folder, 1, root / f"{kind}-1.out")
            twice = _count(folder, 2, root / f"{kind}-2.out")
            per_plan = (twice - once) / args.plans
            print(f"{kind}: {per_plan / 1e6:.2f} million instructions per plan", flush=True)
            for report in ("table", "json", "csv") if args.cli else ():
                once = _count(folder, 1, root / f"{kind}-{report}-1.out", report)
                twice = _count(folder, 2, root / f"{kind}-{report}-2.out", report)
                per_plan = (twice - once) / args.plans
                print(
                    f"{kind}, check --jobs 1 --format {report}: "
                    f"{per_plan / 1e6:.2f} million instructions per plan",
                    flush=True,
                )


if __name__ == "__main__":
    main()
