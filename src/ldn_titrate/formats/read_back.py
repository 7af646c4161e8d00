"""A step read back from a file this tool wrote, from the doses of its day, for the round trips."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ldn_titrate.doses import CapsuleCounts
from ldn_titrate.model import Administration, Step


def step_of(  # noqa: PLR0913 - a step's own parts, as its file gives them
    number: int,
    first: date,
    last: date | None,
    administrations: tuple[Administration, ...],
    *,
    instructions: str,
    note: str | None,
    capsules: CapsuleCounts | None = None,
) -> Step:
    """The step its doses of the day make: their mg and mL added up, its days counted.

    A step taken once a day keeps no administrations; the volume is None when one dose has none.
    """
    volumes = [a.volume_ml for a in administrations]
    return Step(
        number=number,
        first_day=first,
        last_day=last,
        days=None if last is None else (last - first).days + 1,
        dose_mg=sum((a.dose_mg for a in administrations), Decimal(0)),
        instructions=instructions,
        volume_ml=None if None in volumes else sum((v or Decimal(0) for v in volumes), Decimal(0)),
        capsules=capsules,
        administrations=administrations if len(administrations) > 1 else (),
        note=note,
    )
