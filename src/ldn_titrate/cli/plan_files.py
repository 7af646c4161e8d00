"""Reading the plans ``check`` is given: each file at most so many bytes, folders by name."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, Final

import typer

from ldn_titrate.cli import EXIT_INVALID, fail


def _read_at_most(file: BinaryIO, limit: int) -> bytes:
    """The bytes of an open file up to its end or ``limit``, whichever comes first.

    Read in pieces the size of the file (or 64 KiB for a pipe or a device, which give no
    size): one read of ``limit`` bytes would set aside a megabyte for each plan of a batch.
    A regular file that gives fewer bytes than asked for has ended; a pipe may give less
    before its end, so it is read until it gives nothing.
    """
    status = os.fstat(file.fileno())
    # A file of the system's (/proc) says it is empty: its size is not known either.
    regular = stat.S_ISREG(status.st_mode) and status.st_size > 0
    piece = min(limit, status.st_size + 1 if regular else _PIECE)
    parts: list[bytes] = []
    left = limit
    while left > 0:
        want = min(piece, left)
        part = file.read(want)
        if not part:
            break
        parts.append(part)
        left -= len(part)
        if regular and len(part) < want:
            break
    return parts[0] if len(parts) == 1 else b"".join(parts)


_PIECE: Final = 65_536


def _plan_bytes(path: str, limit: int) -> tuple[bytes | None, str]:
    """At most ``limit`` bytes of one plan file ('-' reads stdin), or None and why not.

    Never more: a device or a huge file is cut short, and the checker refuses it by its size.
    """
    try:
        if path == "-":
            return sys.stdin.buffer.read(limit), ""
        # The built-in open: a path object per plan costs more than the read in a large batch.
        with open(path, "rb", buffering=0) as file:  # noqa: PTH123
            return _read_at_most(file, limit), ""
    except FileNotFoundError:
        return None, "no such file"
    except IsADirectoryError:
        return None, "a folder, not a file"
    except OSError as exc:
        return None, exc.strerror or "an error from the system"


def _folder_plans(folder: str, *, recursive: bool) -> tuple[list[str], int, int]:
    """The files in a folder, sorted by name (subfolders' too when recursive).

    Also how many hidden files (a name starting with '.') and subfolders were left out.
    Links to folders are never followed, so a loop of links cannot run forever.
    """
    files: list[str] = []
    hidden = folders = 0
    pending = [folder]
    while pending:
        here = pending.pop()
        try:
            entries = sorted(os.scandir(here), key=lambda entry: entry.name)
        except OSError:
            files.append(here)  # read as a plan, it is reported with the system's reason
            continue
        inner: list[str] = []
        for entry in entries:
            if entry.name.startswith("."):
                hidden += 1
            elif entry.is_dir(follow_symlinks=False):
                inner.append(entry.path)
            elif not entry.is_dir():
                files.append(entry.path)
        if recursive:
            pending.extend(reversed(inner))
        else:
            folders += len(inner)
    return sorted(files, key=lambda path: Path(path).parts), hidden, folders


def _expand(plans: Sequence[str], *, recursive: bool) -> list[str]:
    """Each PLAN argument, a folder replaced by the plan files in it; notes what was left out."""
    from ldn_titrate.errors import shown  # noqa: PLC0415

    paths: list[str] = []
    for path in plans:
        if path == "-" or not os.path.isdir(path):  # noqa: PTH112 - a string path, as given
            paths.append(path)
            continue
        found, hidden, folders = _folder_plans(path, recursive=recursive)
        left = [f"{hidden} hidden file{'s' if hidden != 1 else ''}"] if hidden else []
        if folders:
            plural = "s" if folders != 1 else ""
            left.append(f"{folders} subfolder{plural} (--recursive checks them)")
        if left:
            typer.echo(f"note: PLAN {shown(path)}: not checked: {', '.join(left)}", err=True)
        if not found:
            fail([f"PLAN {shown(path)}: a folder with no plan files in it"], EXIT_INVALID)
        paths.extend(found)
    return paths
