"""The plan files ``check`` is given: each read at most so many bytes, folders and lists of paths.

Nothing here judges a plan: a file that cannot be read comes back with the system's reason,
and the checker makes it a finding.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Final, NamedTuple

from ldn_titrate.errors import LdnTitrateError, Phrase, Setting, shown, spell

_PIECE: Final = 65_536
# The longest path Linux takes (PATH_MAX, with its ending NUL); a longer entry of a list is
# no path at all, and reading stops there rather than holding it.
MAX_PATH_BYTES: Final = 4096
# Enough of a .toml file to tell whether it is TOML; a request or config file is far smaller.
_TOML_BYTES: Final = 1_000_000


def read_at_most(file: BinaryIO, limit: int) -> bytes:
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


def plan_bytes(path: str | None, limit: int) -> tuple[bytes | None, str]:
    """At most ``limit`` bytes of one plan file (None reads stdin), or None and why not.

    Never more: a device or a huge file is cut short, and the checker refuses it by its size.
    """
    try:
        if path is None:
            return sys.stdin.buffer.read(limit), ""
        # The built-in open: a path object per plan costs more than the read in a large batch.
        with open(path, "rb", buffering=0) as file:  # noqa: PTH123
            return read_at_most(file, limit), ""
    except FileNotFoundError:
        return None, "no such file"
    except IsADirectoryError:
        return None, "a folder, not a file"
    except OSError as exc:
        return None, exc.strerror or "an error from the system"


class Left(NamedTuple):
    """What a folder holds that is not checked: hidden files, subfolders, this tool's TOML."""

    hidden: int = 0
    folders: int = 0
    toml: int = 0


def _own_toml(path: str) -> bool:
    """Whether a ``.toml`` file is TOML (a request or config file), not a plan misnamed."""
    import tomllib  # noqa: PLC0415 - only for a folder holding .toml files

    data, _ = plan_bytes(path, _TOML_BYTES)
    try:
        tomllib.loads((data or b"").decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return data is not None


def folder_plans(folder: str, *, recursive: bool) -> tuple[list[str], Left]:
    """The files in a folder, sorted by name (subfolders' too when recursive), and what is left.

    Hidden files (a name starting with '.'), subfolders when not recursive and this tool's
    own request and config files (``.toml`` that is TOML) are left out and counted. Links to
    folders are never followed, so a loop of links cannot run forever.
    """
    files: list[str] = []
    hidden = folders = toml = 0
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
            elif entry.is_dir():
                continue
            elif entry.name.lower().endswith(".toml") and _own_toml(entry.path):
                toml += 1
            else:
                files.append(entry.path)
        if recursive:
            pending.extend(reversed(inner))
        else:
            folders += len(inner)
    return sorted(files, key=lambda path: Path(path).parts), Left(hidden, folders, toml)


class ListError(LdnTitrateError, ValueError):
    """A list of paths that cannot be read: where, and why in words that name settings."""

    def __init__(self, source: str, reason: str | Phrase) -> None:
        """Record the list (as given) and the reason."""
        self.source = source
        self.reason = reason
        super().__init__(f"{shown(source)}: {spell(reason)}")


def _refuse(entry: bytes, source: str, where: str, *, null: bool) -> None:
    """Refuse an entry of a list that is no path: too long, or a NUL in a list of lines."""
    if len(entry) >= MAX_PATH_BYTES:
        longest = f"longer than {MAX_PATH_BYTES - 1} bytes, the longest path a system takes"
        raise ListError(source, f"{where}: {longest}")
    if not null and b"\0" in entry:
        give = ("holds a NUL byte; give ", Setting("null", ""), " for a NUL-separated list")
        raise ListError(source, (f"{where}: ", *give))


def listed(source: str, *, null: bool) -> Iterator[str]:
    """The paths of a list file ('-' is stdin), opened now and read as they are used.

    Raises:
        ListError: the list cannot be opened (now) or read (as it is used).
    """
    try:
        # The built-in open, as for the plans themselves.
        stream = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: PTH123, SIM115
    except OSError as exc:
        raise ListError(source, f"cannot be read ({exc.strerror})") from None
    return _closed_after(stream, listed_paths(stream, source, null=null))


def _closed_after(stream: BinaryIO, paths: Iterator[str]) -> Iterator[str]:
    try:
        yield from paths
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def listed_paths(stream: BinaryIO, source: str, *, null: bool) -> Iterator[str]:
    r"""Each path of a list, one a line (or NUL-separated), read a piece at a time.

    Empty entries are skipped; a line ending ``\r\n`` is taken without its ``\r``. Only the
    entry being read is held, so a list of any length takes the same memory.

    Raises:
        ListError: a NUL byte in a list of lines, an entry longer than any path, or the list
            cannot be read.
    """
    end = b"\0" if null else b"\n"
    kind = "path" if null else "line"
    number = 0
    pending = b""
    while True:
        try:
            piece = stream.read(_PIECE)
        except OSError as exc:
            raise ListError(source, f"cannot be read ({exc.strerror})") from None
        entries = (pending + piece).split(end)
        pending = entries.pop() if piece else b""
        for entry in entries:
            number += 1
            _refuse(entry, source, f"{kind} {number}", null=null)
            path = entry if null else entry.removesuffix(b"\r")
            if path:
                yield os.fsdecode(path)
        _refuse(pending, source, f"{kind} {number + 1}", null=True)
        if not piece:
            return
