"""Instructions per plan for ``check``, counted by callgrind rather than timed.

Wall-clock figures on a busy machine swing from run to run; instruction counts do not. The
script writes 200 of ``check_speed.py``'s plans of one kind (this tool's JSON or CSV), then
runs itself under ``valgrind --tool=callgrind`` twice, checking them once and then twice in
one process: the difference, divided by 200, is what reading and checking one plan costs,
with start-up and first-call caches taken out.

Usage::

    python3 benchmarks/check_instructions.py [--plans 200]

It prints one line per kind. Without valgrind it says so and exits 0.
"""

from __future__ import annotations

import argparse
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


def _count(folder: Path, passes: int, out: Path) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={out}",
        sys.executable,
        __file__,
        "--inner",
        str(folder),
        "--passes",
        str(passes),
    ]
    subprocess.run(command, check=True, capture_output=True)
    found = _TOTAL.search(out.read_text(encoding="utf-8"))
    if found is None:
        raise SystemExit(f"no total in {out.name}")
    return int(found.group(1))


def main() -> None:
    """Write the plans, count both runs and print instructions per plan."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
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
            print(f"{kind}: {per_plan / 1e6:.2f} million instructions per plan")


if __name__ == "__main__":
    main()
