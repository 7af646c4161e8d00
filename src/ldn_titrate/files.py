"""Write output files safely: whole or not at all, never destroying what was not asked for.

What a destination gets, by what it is:

- an empty path is refused (:class:`EmptyPathError`), a folder is refused
  (:class:`OutputIsFolderError`);
- something that is not a regular file (a FIFO, a terminal or other device, a descriptor name
  such as ``/dev/stdout``) is written into directly, with or without ``force``: writing there
  is the point of naming it, and replacing it would break it for everyone else. It is opened
  for appending and never created, truncated or renamed over;
- a symlink is followed to its final target, and that file is the one replaced, so the link
  stays a link; a dangling link gets its target created, as a shell's ``>`` would;
- a regular file without write permission is refused even with ``force``
  (:class:`ReadOnlyOutputError`), checked from its mode bits because root may write anything;
- any other existing regular file is replaced only with ``force`` (:class:`OutputExistsError`).

A new or replaced file is first written whole to a temporary file in the same folder, named
``.NAME.<random>.ldn-titrate.tmp``, flushed to disk, then published: with a hard link (fails if
the name was taken meanwhile) or, with ``force``, a rename. Where the file system has neither
(FAT, some network shares) publishing falls back to claiming the name exclusively or swapping
the old file aside; the temporary file is removed on every failure, and one left by a killed
write is removed by the next write of the same file once it is a minute old.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import tempfile
import time
from pathlib import Path

from ldn_titrate.errors import LdnTitrateError

TEMP_SUFFIX = ".ldn-titrate.tmp"
# A writer in progress refreshes nothing, but no write of a plan takes a minute; an older
# temporary file was left by a killed or crashed write.
STALE_AFTER_SECONDS = 60
# Room left in a 255-byte file name for the dot, the random part and the suffix.
_NAME_BYTES_IN_TEMP = 200
# Names that stand for an open descriptor of this process: opening them again would start at
# the beginning of a file the shell redirected with >>, and renaming over them is meaningless.
_DESCRIPTOR_NAME = re.compile(r"/dev/(?:stdout|stderr|fd/\d+)|/proc/(?:self|\d+)/fd/\d+")
_MAX_LINK_HOPS = 40  # as the Linux kernel's limit on nested symlinks


class OutputError(LdnTitrateError, OSError):
    """An output destination is refused; ``reason`` says why in a few words."""

    reason = "cannot be written"
    code = errno.EIO

    def __init__(self, dest: str | os.PathLike[str]) -> None:
        """Record the destination as given; the message is the reason."""
        self.dest = os.fspath(dest)
        super().__init__(self.code, self.reason, self.dest)


class EmptyPathError(OutputError):
    """The destination was given as an empty path."""

    reason = "is an empty path"
    code = errno.ENOENT


class OutputIsFolderError(OutputError, IsADirectoryError):
    """The destination is a folder."""

    reason = "is a folder"
    code = errno.EISDIR


class ReadOnlyOutputError(OutputError, PermissionError):
    """The destination is a read-only file, which is not replaced even when asked."""

    reason = "is read-only"
    code = errno.EACCES


class OutputExistsError(OutputError, FileExistsError):
    """The destination is an existing file and replacing it was not asked for."""

    reason = "already exists"
    code = errno.EEXIST


def write_output(dest: str | os.PathLike[str], data: str | bytes, *, force: bool) -> None:
    """Write data (text as UTF-8, newlines as given) to dest, by the rules of this module.

    Pass the path as the user typed it: ``Path("")`` already reads as the current folder.
    """
    if os.fspath(dest) == "":
        raise EmptyPathError(dest)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    target, descriptor = _resolve(os.fspath(dest))
    try:
        status = Path(target).stat()
    except FileNotFoundError:
        status = None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise OutputIsFolderError(dest)
    if descriptor or (status is not None and not stat.S_ISREG(status.st_mode)):
        if _write_into(target, raw, descriptor=descriptor):
            return
        status = Path(target).stat()  # it became a regular file while we looked
    if status is not None:
        if status.st_mode & 0o222 == 0 or not os.access(target, os.W_OK):
            raise ReadOnlyOutputError(dest)
        if not force:
            raise OutputExistsError(dest)
    _replace_whole(dest, Path(target), raw, force=force)


def write_atomically(dest: Path, text: str, *, force: bool) -> None:
    """Write text to dest whole or not at all; the same as :func:`write_output`."""
    write_output(dest, text, force=force)


def _resolve(path: str) -> tuple[str, bool]:
    """The file a path finally names, and whether it stands for an open descriptor."""
    hop = Path(os.path.normpath(Path(path).absolute()))
    for _ in range(_MAX_LINK_HOPS):
        if _DESCRIPTOR_NAME.fullmatch(str(hop)):
            return path, True
        try:
            link = hop.readlink()
        except OSError:  # not a link, or nothing there
            break
        hop = Path(os.path.normpath(hop.parent / link))
    # realpath also resolves linked folders on the way, which the walk above only approximates.
    return os.path.realpath(path), False


def _write_into(path: str, raw: bytes, *, descriptor: bool) -> bool:
    """Write into a pipe or device as it is; False if it turned out to be a regular file."""
    flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode) and not descriptor:
            return False
        view = memoryview(raw)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
    return True


def _temp_prefix(name: str) -> str:
    short = os.fsdecode(os.fsencode(name)[:_NAME_BYTES_IN_TEMP])
    return f".{short}."


def _remove_stale_temps(target: Path) -> None:
    """Remove temporary files of this destination left by writes that were killed."""
    prefix = _temp_prefix(target.name)
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            if not (entry.name.startswith(prefix) and entry.name.endswith(TEMP_SUFFIX)):
                continue
            middle = entry.name.removeprefix(prefix).removesuffix(TEMP_SUFFIX)
            if "." in middle or not middle:  # another file's temporary, such as NAME.bak's
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_AFTER_SECONDS:
                    Path(entry.path).unlink()


def _replace_whole(dest: str | os.PathLike[str], target: Path, raw: bytes, *, force: bool) -> None:
    """Write a temporary file in the target's folder, then publish it under the target's name."""
    _remove_stale_temps(target)
    fd, tmp_name = tempfile.mkstemp(
        dir=target.parent, prefix=_temp_prefix(target.name), suffix=TEMP_SUFFIX
    )
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)
        if force:
            _publish_over(tmp, target)
        else:
            _publish_new(dest, tmp, target, raw)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _publish_over(tmp: Path, target: Path) -> None:
    """Rename tmp over target; where that fails, move target aside, and back if tmp will not go.

    A crash between the two renames leaves both files under temporary names, which the next
    write removes: the user asked for the old file to go, and the new one was never published.
    """
    try:
        tmp.replace(target)
    except OSError as replace_error:
        aside = target.with_name(f"{_temp_prefix(target.name)}{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            target.rename(aside)
        except FileNotFoundError:
            tmp.rename(target)  # the old file is already gone: nothing to keep
            return
        except OSError:
            raise replace_error from None
        try:
            tmp.rename(target)
        except BaseException:
            aside.rename(target)
            raise
        aside.unlink()


def _publish_new(dest: str | os.PathLike[str], tmp: Path, target: Path, raw: bytes) -> None:
    """Give tmp the target's name only if the name is free, even on file systems without links."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise OutputExistsError(dest) from None
    except OSError:
        pass  # no hard links here: claim the name exclusively instead
    else:
        return
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    try:
        claimed = os.open(target, flags, 0o666)
    except FileExistsError:
        raise OutputExistsError(dest) from None
    try:
        try:
            os.close(claimed)
            tmp.replace(target)  # over the empty file we just made, so readers see it whole
        except OSError:
            # No rename over a file here either: copy the finished bytes into our claimed file.
            with target.open("wb") as handle:
                handle.write(raw)
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()  # the name was free and the file is ours: leave the name free
        raise
