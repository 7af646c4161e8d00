"""Draft and check low-dose naltrexone (LDN) titration schedules.

The public API is loaded lazily, so that ``ldn-titrate --version`` starts as fast as the
command-line framework itself.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from ldn_titrate.version import __version__

if TYPE_CHECKING:
    from ldn_titrate.check import CheckOptions, Finding, Severity, check_plan
    from ldn_titrate.errors import InputError, LdnTitrateError, PlanFormatError
    from ldn_titrate.model import Schedule, Step, TitrationRequest
    from ldn_titrate.rules import build_schedule

__all__ = [
    "CheckOptions",
    "Finding",
    "InputError",
    "LdnTitrateError",
    "PlanFormatError",
    "Schedule",
    "Severity",
    "Step",
    "TitrationRequest",
    "__version__",
    "build_schedule",
    "check_plan",
]

_HOMES = {
    "CheckOptions": "ldn_titrate.check",
    "Finding": "ldn_titrate.check",
    "Severity": "ldn_titrate.check",
    "check_plan": "ldn_titrate.check",
    "InputError": "ldn_titrate.errors",
    "LdnTitrateError": "ldn_titrate.errors",
    "PlanFormatError": "ldn_titrate.errors",
    "Schedule": "ldn_titrate.model",
    "Step": "ldn_titrate.model",
    "TitrationRequest": "ldn_titrate.model",
    "build_schedule": "ldn_titrate.rules",
}


def __getattr__(name: str) -> object:
    """Import a public name on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'ldn_titrate' has no attribute {name!r}")
    return getattr(import_module(home), name)
