"""Rebuild the medicine screen's index from its policy and market files.

Writes ``src/ldn_titrate/check/data/index.tsv``: every name of ``policy.tsv`` and of the
``names-*.tsv`` files by its first word, longest first, as the screen reads it at run time.
Run it after editing a market file (a test fails until the index matches). Usage::

    python tools/build_index.py
"""

from __future__ import annotations

import sys

from ldn_titrate.check.meddata import DATA, index_text, read_policy


def main() -> int:
    """Write the index; print how many names it holds."""
    text = index_text(read_policy())
    (DATA / "index.tsv").write_text(text, encoding="utf-8")
    rows = [line for line in text.splitlines()[1:] if not line.startswith("#")]
    print(f"{len(rows) - 1} names and run-together forms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
