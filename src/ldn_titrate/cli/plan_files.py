"""Reading the plans ``check`` is given moved to ``ldn_titrate.app.files``; the old name stays."""

from ldn_titrate.app.files import read_at_most as _read_at_most

__all__ = ["_read_at_most"]
