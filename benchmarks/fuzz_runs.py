"""A larger fuzz run than the test suite's, as a hostile user would: runs, tracebacks, hangs.

Each command gets N random runs in this process, beside files made for it: ``plan`` with random
options and a hostile config file, ``replan`` with random options on a plan ``plan`` wrote (JSON
or CSV), ``check`` on hostile workbooks (a written workbook with its sheet cut and spliced),
hostile FHIR and hostile CSV, and ``config`` and ``schema`` with random arguments and config
files. A run that raises anything but the exit is a traceback (counted with its last frame); a
run over 5 seconds is a hang; a ``check`` finding ``internal-error`` is counted too.

Usage::

    python3 benchmarks/fuzz_runs.py [--runs N] [--seed S]

Exits 1 when any run ended in a traceback, a hang or an internal-error, else 0.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from typer.testing import CliRunner

from ldn_titrate.cli import app

HANG_S = 5
DIGITS = "1" * 4301
VALUES = (
    "0.5", "1", "2.25", "4.5", "500 mcg", "7d", "2w", "1mo", "2026-12-07", "2999-12-31",
    "9999-12-31", "today", "tomorrow", "monday", "30", "liquid", "capsule", "1mg/mL", "0.01",
    "0.05", "1.5,0.5", "csv", "json", "fhir", "xlsx", "ics", "html", "table", ".5", "1,5",
    "1e0", "-1", "nan", "²", "١", "0x10", DIGITS, "9" * 30, "\x1b]0;x\x07", "\u202e", "",
    " ", "0.5\t" * 50 + "mg", "0.5 mg for 2w, 1 mg", "0.5 mg + 1 mg for 1w, 2 mg",
)  # fmt: skip
PLAN_OPTIONS = (
    "--start", "--target", "--step", "--every", "--from", "--maintenance-days", "--time",
    "--label", "--form", "--concentration", "--graduation", "--strengths", "--max-units",
    "--bud", "--overage", "--steps", "--split", "--format", "--intent", "--remind",
)  # fmt: skip
REPLAN_OPTIONS = (
    "--on", "--back-down", "--hold", "--to", "--pause-until", "--continue-within",
    "--step-down-within", "--form", "--concentration", "--graduation", "--format", "--time",
)  # fmt: skip
CONFIG_PIECES = (
    'form = "liquid"\n', 'concentration = "1 mg/mL"\n', "graduation = 0.05\n", "bud = 30\n",
    f"bud = {DIGITS}\n", "bud = 0x" + "f" * 4000 + "\n", "bud = 0o" + "7" * 5000 + "\n",
    "bud = 0.1e" + "9" * 30 + "\n", "max_units = -4\n", "strengths = [1.5, 0.5]\n",
    "[check]\n", "min_interval = 3\n", "a = " + "[" * 1000 + "]" * 1000 + "\n",
    "a = " + "{b = " * 300 + "1" + "}" * 300 + "\n", "start = 0.5\n", "\ufeff",
)  # fmt: skip
XML_PIECES = (
    b'<c r="A1"><v>abc</v></c>', b'<c r="A1" t="s"><v>99</v></c>',
    b'<c r="A1" t="d"><v>soon</v></c>', b'<c r="B2"><f>A1*2</f></c>', b'<c r="AAAA1"><v>1</v></c>',
    b'<c r="A1048576"><v>1</v></c>', b'<dimension ref="A1:XFD1048576"/>',
    b'<c r="A1"><v>' + DIGITS.encode() + b"</v></c>", b"<sheetData>", b"</row>", b"&x;", b"\x00",
)  # fmt: skip
FHIR_VALUES: tuple[object, ...] = (
    1e30, -1, 0, 10**30, "1e30", "0.5", "", None, True, [], {}, "2026-13-45", "9999-12-31",
    int(DIGITS[:4000]), 0.5, "twice daily", {"value": 1},
)  # fmt: skip
CSV_CELLS = (
    "0.5", "1,5", ".5", "3.0", "500", "2026-12-07", "2026-02-30", "", "=1+1", DIGITS,
    "Week " + DIGITS, "9" * 29 + " mL", "naltrexone " + "1" * 29 + " mg/mL", "\x1b[2J",
)  # fmt: skip


class Hang(Exception):  # noqa: N818 - the word the report uses
    """A run that did not end within HANG_S seconds."""


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise Hang


@contextlib.contextmanager
def deadline() -> Iterator[None]:
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_S)
    try:
        yield
    finally:
        signal.alarm(0)


class Tally:
    def __init__(self) -> None:
        self.runs = self.tracebacks = self.hangs = self.internal = 0
        self.frames: Counter[str] = Counter()

    def line(self, name: str) -> str:
        frames = ", ".join(f"{f} ({n})" for f, n in self.frames.most_common(5))
        return (
            f"{name:8} {self.runs:6} runs {self.tracebacks:5} tracebacks {self.hangs:4} hangs "
            f"{self.internal:4} internal-error" + (f"  [{frames}]" if frames else "")
        )


def written(args: list[str]) -> bytes:
    runner = CliRunner()
    result = runner.invoke(app, [*args, "-o", "out.bin"])
    if result.exit_code != 0:
        raise SystemExit(result.stderr)
    data = Path("out.bin").read_bytes()
    Path("out.bin").unlink()
    return data


PLAN = ["plan", "--start", "0.5", "--target", "2", "--step", "0.5", "--every", "7d"]


def edited_book(book: bytes, rng: random.Random) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(book)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                for _ in range(rng.randint(1, 3)):
                    at = rng.randint(0, len(data))
                    data = data[:at] + rng.choice(XML_PIECES) + data[at + rng.randint(0, 40) :]
            target.writestr(name, data)
    made = out.getvalue()
    return made[: rng.randint(0, len(made))] if rng.random() < 0.05 else made


def hostile_fhir(rng: random.Random) -> bytes:
    def value() -> object:
        return rng.choice(FHIR_VALUES)

    dosages = [
        {
            "sequence": rng.choice([1, 2, 3, *FHIR_VALUES]),
            "text": value(),
            "timing": {
                "repeat": {
                    "boundsPeriod": {"start": value(), "end": value()},
                    "frequency": value(),
                    "period": value(),
                    "periodUnit": value(),
                    "when": [value()],
                }
            },
            "doseAndRate": [{"doseQuantity": {"value": value(), "unit": value()}}],
        }
        for _ in range(rng.randint(0, 5))
    ]
    resource: dict[str, object] = {
        "resourceType": "MedicationRequest",
        "medicationCodeableConcept": {"text": rng.choice(["naltrexone 1 mg/mL", "x", 5])},
        "dosageInstruction": dosages * (2000 if rng.random() < 0.02 else 1),
    }
    if rng.random() < 0.3:
        resource = {"resourceType": "Bundle", "entry": [{"resource": resource}] * rng.randint(1, 3)}
    return json.dumps(resource, default=str).encode()


def hostile_csv(rng: random.Random) -> bytes:
    header = rng.choice(
        ["step,start_date,end_date,days,dose_mg,volume_ml,quantity,instructions", "week,dose_mg"]
    )
    rows = [",".join(rng.choice(CSV_CELLS) for _ in range(rng.randint(1, 8))) for _ in range(4)]
    return "\n".join([header, *rows]).encode()


def option_list(rng: random.Random, options: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for _ in range(rng.randint(0, 8)):
        out.append(rng.choice(options))
        if rng.random() < 0.9:
            out.append(rng.choice(VALUES))
    return out


def run(tally: Tally, args: list[str], env: dict[str, str] | None = None) -> str:
    runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "100", **(env or {})})
    tally.runs += 1
    try:
        with deadline():
            result = runner.invoke(app, args, catch_exceptions=True)
    except Hang:
        tally.hangs += 1
        return ""
    error = result.exception
    if isinstance(error, Hang):
        tally.hangs += 1
    elif error is not None and not isinstance(error, SystemExit):
        tally.tracebacks += 1
        frame = traceback.extract_tb(error.__traceback__)[-1]
        tally.frames[f"{type(error).__name__} {Path(frame.filename).name}:{frame.lineno}"] += 1
    return result.stdout


def fuzz(runs: int, seed: int) -> dict[str, Tally]:
    rng = random.Random(seed)
    tallies = {name: Tally() for name in ("plan", "replan", "check", "config", "schema")}
    plan_json = written([*PLAN, "--from", "2026-12-07", "--format", "json"])
    plan_csv = written([*PLAN, "--from", "2026-12-07", "--format", "csv"])
    book = written(
        [
            *PLAN,
            "--from",
            "2026-12-07",
            "--form",
            "liquid",
            "--concentration",
            "1",
            "--format",
            "xlsx",
        ]
    )
    Path("plan.json").write_bytes(plan_json)
    Path("plan.csv").write_bytes(plan_csv)
    for _ in range(runs):
        Path("c.toml").write_text(
            "".join(rng.choice(CONFIG_PIECES) for _ in range(rng.randint(0, 4))), encoding="utf-8"
        )
        config = ["--config", "c.toml"] if rng.random() < 0.5 else []
        env = {"LDN_TITRATE_TODAY": rng.choice(["2026-12-01", "2999-12-31", "9999-12-31"])}
        run(tallies["plan"], ["plan", *option_list(rng, PLAN_OPTIONS), *config], env)
        plan = rng.choice(["plan.json", "plan.csv"])
        run(tallies["replan"], ["replan", plan, *option_list(rng, REPLAN_OPTIONS)], env)
        Path("p.xlsx").write_bytes(edited_book(book, rng))
        Path("p.fhir.json").write_bytes(hostile_fhir(rng))
        Path("p.csv").write_bytes(hostile_csv(rng))
        check_args = rng.choice([[], ["--bud", rng.choice(VALUES)], ["--jobs", rng.choice(VALUES)]])
        out = run(
            tallies["check"],
            ["check", "p.xlsx", "p.fhir.json", "p.csv", "--format", "json", *check_args],
        )
        tallies["check"].internal += len(re.findall(r'"code": "internal-error"', out))
        run(tallies["config"], ["config", *rng.choice([config, ["--config", rng.choice(VALUES)]])])
        run(tallies["schema"], ["schema", *option_list(rng, ("--format", "plan", "config"))])
    return tallies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="runs per command")
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        os.environ["LDN_TITRATE_CONFIG"] = "none"
        tallies = fuzz(args.runs, args.seed)
    command = f"python3 benchmarks/fuzz_runs.py --runs {args.runs} --seed {args.seed}"
    print(command)
    for name, tally in tallies.items():
        print(tally.line(name))
    print(f"{time.perf_counter() - began:.0f} s")
    bad = sum(t.tracebacks + t.hangs + t.internal for t in tallies.values())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
