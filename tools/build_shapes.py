"""Rebuild the copy of the JSON plan's shapes that a check reads, from the plan model.

Writes ``src/ldn_titrate/plan_shapes.json``: the shapes ``schemas.plan_shapes`` derives from
the plan model, as plain data, which ``shapes`` hands to pydantic-core without defining the
models (their definition costs a check of one JSON plan more than half of its instructions).
Run it after changing the plan model (a test fails until the copy matches). Usage::

    python tools/build_shapes.py
"""

from __future__ import annotations

import json
import sys

from ldn_titrate.schemas import plan_shapes
from ldn_titrate.shapes import SHAPES


def main() -> int:
    """Write the copy; print its size."""
    text = json.dumps(plan_shapes(), ensure_ascii=False, indent=1) + "\n"
    SHAPES.write_text(text, encoding="utf-8")
    print(f"{SHAPES.name}: {len(text):,} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
