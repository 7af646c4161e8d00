"""Time of the medicine screen: loading its data files and screening a 1,000-character list.

Each run is a fresh Python process (so the data are read from the files, as on the first
``check`` of a batch); the modules are imported before the clock starts, and the clock stops
when the list has been screened. A second figure adds one RxNorm code to the list, which
reads the code table too. The script prints the median CPU time of the runs (the figure that
other processes on a shared machine do not disturb), its slowest, and the median wall time.

Usage::

    python3 benchmarks/meds_speed.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

GOAL_MS = 5.0
DEFAULT_RUNS = 21
# A medicine list as a pharmacist receives it: common medicines, one opioid brand, strengths.
LIST = (
    "Metformin 500 mg bd, atorvastatin 20 mg nocte, Zomorph 10mg caps, Co-codamol 30/500 prn, "
    "sertraline 50 mg, levothyroxine 75 mcg, omeprazole 20 mg, amlodipine 5 mg, ramipril 2.5 mg, "
)
ONE_RUN = """
import time
from ldn_titrate.check import meds
text = {text!r}
started, cpu = time.perf_counter(), time.process_time()
meds.screen(text)
print((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000)
"""


def run(text: str, runs: int) -> tuple[list[float], list[float]]:
    """Milliseconds of each run, load and screen together: wall-clock and CPU time."""
    wall, cpu = [], []
    for _ in range(runs):
        code = ONE_RUN.format(text=text)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
        wall_ms, cpu_ms = out.stdout.split()
        wall.append(float(wall_ms))
        cpu.append(float(cpu_ms))
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    runs = parser.parse_args().runs
    names = (LIST * 20)[:1000]
    coded = (LIST * 20)[:986] + " rxnorm:10689"
    for label, text in [("names", names), ("names and a code", coded)]:
        wall, cpu = run(text, runs)
        print(
            f"load and screen of a {len(text):,}-character list ({label}), {runs} runs: "
            f"CPU median {statistics.median(cpu):.2f} ms (slowest {max(cpu):.2f}), "
            f"wall median {statistics.median(wall):.2f} ms (goal under {GOAL_MS:g} ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
