"""Rebuild the frequency screen's vocabulary as a check reads it, from ``frequency.toml``.

Writes ``src/ldn_titrate/check/frequency.json``: the data of the TOML file, which stays the
one people edit, in the format a check reads at no cost (its reader is loaded already; the
TOML reader and its parsing cost a one-file check a tenth of its start-up). Run it after
editing the vocabulary (a test fails until the copy matches). Usage::

    python tools/build_frequency.py
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

FOLDER = Path(__file__).parent.parent / "src" / "ldn_titrate" / "check"


def main() -> int:
    """Write the copy; print how many words it holds."""
    data = tomllib.loads((FOLDER / "frequency.toml").read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    (FOLDER / "frequency.json").write_text(text, encoding="utf-8")
    print(f"{len(data['word'])} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
