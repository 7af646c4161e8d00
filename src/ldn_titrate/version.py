"""The version of ldn-titrate, read by the packaging, the command line and the writers."""

from __future__ import annotations

__version__ = "0.1.0"
