"""Write output files atomically, never replacing an existing file unless asked."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class OutputExistsError(FileExistsError):
    """The output file exists and replacing it was not asked for."""


def write_atomically(dest: Path, text: str, *, force: bool) -> None:
    """Write text to dest through a temporary file in the same folder, then publish it whole.

    Without ``force`` the file is published with a hard link, which fails if dest exists, so
    an existing file is never touched; with ``force`` it is renamed over dest.
    """
    if not force and dest.exists():
        raise OutputExistsError(str(dest))
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        Path(tmp).chmod(0o666 & ~umask)
        if force:
            Path(tmp).replace(dest)
        else:
            try:
                os.link(tmp, dest)
            except FileExistsError:
                raise OutputExistsError(str(dest)) from None
            Path(tmp).unlink()
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()
        raise
