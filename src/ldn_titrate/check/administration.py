"""One dose of a day as a plan with split doses writes it (a morning and a bedtime dose)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decimal import Decimal

    from ldn_titrate.received.model import CapsuleCounts


@dataclass(frozen=True, slots=True)
class Administration:
    """One dose of a day as written: its time, and its dose, volume and capsules if read."""

    time: str
    where: str
    dose_mg: Decimal | None = None
    volume_ml: Decimal | None = None
    capsules: CapsuleCounts | None = None
