"""Output files: every kind of destination, file systems without links or renames, killed writes."""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldn_titrate import files
from ldn_titrate.errors import LdnTitrateError
from ldn_titrate.files import (
    TEMP_SUFFIX,
    EmptyPathError,
    OutputError,
    OutputExistsError,
    OutputIsFolderError,
    ReadOnlyOutputError,
    write_atomically,
    write_output,
)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def umasked(mode: int) -> int:
    umask = os.umask(0)
    os.umask(umask)
    return mode & ~umask


def read_fifo_in_background(fifo: Path) -> tuple[threading.Thread, list[bytes]]:
    received: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader, received


def no_hard_links(_src: object, _dst: object) -> None:
    raise OSError(errno.EPERM, "Operation not permitted")


def no_rename(_src: object, _dst: object) -> None:
    raise OSError(errno.EPERM, "Operation not permitted")


# Refusals


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (EmptyPathError, "is an empty path"),
        (OutputIsFolderError, "is a folder"),
        (ReadOnlyOutputError, "is read-only"),
        (OutputExistsError, "already exists"),
    ],
)
def test_each_refusal_carries_a_short_reason_and_the_path(
    error: type[OutputError], reason: str
) -> None:
    exc = error("plan.csv")
    assert exc.reason == reason
    assert exc.dest == "plan.csv"
    assert exc.strerror == reason  # so a generic OSError handler shows the reason too
    assert isinstance(exc, LdnTitrateError)
    assert isinstance(exc, OSError)


@pytest.mark.parametrize("force", [False, True])
def test_an_empty_path_is_refused(force: bool) -> None:
    with pytest.raises(EmptyPathError):
        write_output("", "ours", force=force)


@pytest.mark.parametrize("force", [False, True])
def test_a_folder_is_refused_and_left_alone(tmp_path: Path, force: bool) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    with pytest.raises(OutputIsFolderError):
        write_output(folder, "ours", force=force)
    assert folder.is_dir()
    assert names(tmp_path) == ["plans"]
    assert names(folder) == []


@pytest.mark.parametrize("force", [False, True])
def test_a_read_only_file_is_not_replaced_even_with_force(tmp_path: Path, force: bool) -> None:
    dest = tmp_path / "plan.csv"
    dest.write_text("theirs", encoding="utf-8")
    dest.chmod(0o444)
    with pytest.raises(ReadOnlyOutputError):
        write_output(dest, "ours", force=force)
    assert dest.read_text(encoding="utf-8") == "theirs"
    assert names(tmp_path) == ["plan.csv"]


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    dest = tmp_path / "plan.csv"
    dest.write_text("theirs", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        write_output(dest, "ours", force=False)
    assert dest.read_text(encoding="utf-8") == "theirs"
    write_output(dest, "ours", force=True)
    assert dest.read_text(encoding="utf-8") == "ours"
    assert names(tmp_path) == ["plan.csv"]


# Pipes, devices and descriptor names


@pytest.mark.parametrize("force", [False, True])
def test_a_fifo_is_written_into_and_stays_a_fifo(tmp_path: Path, force: bool) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader, received = read_fifo_in_background(fifo)
    write_output(fifo, "step 1\r\nstep 2\n", force=force)
    reader.join(timeout=10)
    assert received == [b"step 1\r\nstep 2\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert names(tmp_path) == ["pipe"]


def test_a_link_to_a_fifo_writes_into_the_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out"
    link.symlink_to(fifo)
    reader, received = read_fifo_in_background(fifo)
    write_output(link, b"bytes as given", force=False)
    reader.join(timeout=10)
    assert received == [b"bytes as given"]
    assert link.is_symlink()
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize(
    ("name", "is_descriptor"),
    [
        ("/dev/stdout", True),
        ("/dev/stderr", True),
        ("/dev/fd/3", True),
        ("/proc/self/fd/1", True),
        ("/proc/4242/fd/12", True),
        ("/dev/stdout2", False),
        ("/dev/fd/", False),
        ("/home/me/dev/stdout", False),
        ("/proc/self/fd/1/x", False),
    ],
)
def test_descriptor_names_are_recognised_by_their_text(name: str, is_descriptor: bool) -> None:
    assert bool(files._DESCRIPTOR_NAME.fullmatch(name)) is is_descriptor


def test_a_descriptor_name_for_a_regular_file_is_appended_to_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As "-o /dev/stdout >> log" would be: the shell's file is written into, never renamed over.
    log = tmp_path / "log"
    log.write_text("earlier\n", encoding="utf-8")
    inode = log.stat().st_ino
    link = tmp_path / "stdout"
    link.symlink_to(log)
    monkeypatch.setattr(files, "_DESCRIPTOR_NAME", re.compile(re.escape(str(link))))
    write_output(link, "plan\n", force=False)
    assert log.read_text(encoding="utf-8") == "earlier\nplan\n"
    assert log.stat().st_ino == inode
    assert names(tmp_path) == ["log", "stdout"]


# Symlinks


def test_a_symlink_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "plan.csv"
    target.write_text("theirs", encoding="utf-8")
    link = tmp_path / "plan.csv"
    link.symlink_to(target)
    with pytest.raises(OutputExistsError):
        write_output(link, "ours", force=False)
    assert target.read_text(encoding="utf-8") == "theirs"
    write_output(link, "ours", force=True)
    assert link.is_symlink()
    assert link.readlink() == target
    assert target.read_text(encoding="utf-8") == "ours"
    assert names(shared) == ["plan.csv"]
    assert names(tmp_path) == ["plan.csv", "shared"]


def test_a_dangling_symlink_gets_its_target_created(tmp_path: Path) -> None:
    target = tmp_path / "made.csv"
    link = tmp_path / "plan.csv"
    link.symlink_to(target)
    write_output(link, "ours", force=False)
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "ours"
    assert stat.S_IMODE(target.stat().st_mode) == umasked(0o666)
    assert names(tmp_path) == ["made.csv", "plan.csv"]


def test_a_link_to_a_read_only_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "locked.csv"
    target.write_text("theirs", encoding="utf-8")
    target.chmod(0o400)
    link = tmp_path / "plan.csv"
    link.symlink_to(target)
    with pytest.raises(ReadOnlyOutputError):
        write_output(link, "ours", force=True)
    assert target.read_text(encoding="utf-8") == "theirs"


# File systems without hard links or atomic rename


def test_without_hard_links_a_new_file_is_still_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "link", no_hard_links)
    dest = tmp_path / "plan.csv"
    write_output(dest, "ours\r\n", force=False)
    assert dest.read_bytes() == b"ours\r\n"
    assert stat.S_IMODE(dest.stat().st_mode) == umasked(0o666)
    assert names(tmp_path) == ["plan.csv"]


def test_without_hard_links_an_existing_file_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "plan.csv"

    def someone_else_writes(_src: object, _dst: object) -> None:
        dest.write_text("theirs", encoding="utf-8")
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", someone_else_writes)
    with pytest.raises(OutputExistsError):
        write_output(dest, "ours", force=False)
    assert dest.read_text(encoding="utf-8") == "theirs"
    assert names(tmp_path) == ["plan.csv"]


def test_without_hard_links_or_rename_the_bytes_are_copied_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "link", no_hard_links)
    monkeypatch.setattr(os, "replace", no_rename)
    dest = tmp_path / "plan.csv"
    write_output(dest, "ours\n", force=False)
    assert dest.read_bytes() == b"ours\n"
    assert stat.S_IMODE(dest.stat().st_mode) == umasked(0o666)
    assert names(tmp_path) == ["plan.csv"]


def test_a_failed_copy_leaves_the_name_free_and_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "link", no_hard_links)
    monkeypatch.setattr(os, "replace", no_rename)
    real_fsync = os.fsync
    calls: list[int] = []

    def second_fsync_fails(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:  # the first is the temporary file's, the second the copy's
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", second_fsync_fails)
    with pytest.raises(OSError, match="No space left"):
        write_output(tmp_path / "plan.csv", "ours", force=False)
    assert len(calls) == 2
    assert names(tmp_path) == []


def test_without_rename_over_a_file_force_swaps_the_old_one_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "replace", no_rename)
    dest = tmp_path / "plan.csv"
    dest.write_text("theirs", encoding="utf-8")
    write_output(dest, "ours", force=True)
    assert dest.read_text(encoding="utf-8") == "ours"
    assert names(tmp_path) == ["plan.csv"]


def test_without_any_rename_force_fails_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "replace", no_rename)
    monkeypatch.setattr(os, "rename", no_rename)
    dest = tmp_path / "plan.csv"
    dest.write_text("theirs", encoding="utf-8")
    with pytest.raises(OSError, match="Operation not permitted"):
        write_output(dest, "ours", force=True)
    assert dest.read_text(encoding="utf-8") == "theirs"
    assert names(tmp_path) == ["plan.csv"]


def test_a_swap_that_fails_halfway_puts_the_old_file_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "replace", no_rename)
    real_rename = os.rename
    dest = tmp_path / "plan.csv"
    dest.write_text("theirs", encoding="utf-8")
    calls: list[str] = []

    def new_file_will_not_go(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(Path(src).name)
        if len(calls) == 2:  # after the old file moved aside, the new one fails to take its name
            raise OSError(errno.EIO, "Input/output error")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", new_file_will_not_go)
    with pytest.raises(OSError, match="Input/output error"):
        write_output(dest, "ours", force=True)
    assert calls[0] == "plan.csv"
    assert len(calls) == 3
    assert dest.read_text(encoding="utf-8") == "theirs"
    assert names(tmp_path) == ["plan.csv"]


# Killed writes


def test_stale_temporary_files_of_the_same_output_are_removed(tmp_path: Path) -> None:
    an_hour_ago = time.time() - 3600
    stale = tmp_path / f".plan.csv.k1l2e3d4{TEMP_SUFFIX}"
    in_progress = tmp_path / f".plan.csv.w5r6i7t8{TEMP_SUFFIX}"
    other_output = tmp_path / f".plan.csv.bak.k1l2e3d4{TEMP_SUFFIX}"
    other_tool = tmp_path / ".plan.csv.k1l2e3d4.tmp"
    for path in (stale, in_progress, other_output, other_tool):
        path.write_text("partial", encoding="utf-8")
    for path in (stale, other_output, other_tool):
        os.utime(path, (an_hour_ago, an_hour_ago))
    write_output(tmp_path / "plan.csv", "ours", force=False)
    assert names(tmp_path) == sorted(
        ["plan.csv", in_progress.name, other_output.name, other_tool.name]
    )


def test_a_killed_write_is_cleaned_up_through_a_symlink(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    stale = shared / f".plan.csv.k1l2e3d4{TEMP_SUFFIX}"
    stale.write_text("partial", encoding="utf-8")
    os.utime(stale, (0, 0))
    link = tmp_path / "plan.csv"
    link.symlink_to(shared / "plan.csv")
    write_output(link, "ours", force=False)
    assert names(shared) == ["plan.csv"]


def test_temporary_files_are_named_recognisably(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_link = os.link
    seen: list[str] = []

    def watch_link(src: str, dst: Path) -> None:
        seen.append(Path(src).name)
        real_link(src, dst)

    monkeypatch.setattr(os, "link", watch_link)
    write_output(tmp_path / "plan.csv", "ours", force=False)
    assert len(seen) == 1
    assert re.fullmatch(r"\.plan\.csv\.[a-z0-9_]{8}\.ldn-titrate\.tmp", seen[0])


def test_a_long_file_name_still_gets_a_temporary_file(tmp_path: Path) -> None:
    dest = tmp_path / ("p" * 250)
    write_output(dest, "ours", force=False)
    assert dest.read_text(encoding="utf-8") == "ours"
    assert names(tmp_path) == [dest.name]


# Whole content


@given(st.text())
def test_any_text_reads_back_exactly_and_no_temporary_file_remains(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        dest = Path(folder) / "plan.csv"
        write_atomically(dest, text, force=False)
        assert dest.read_bytes() == text.encode("utf-8")
        write_output(dest, text[::-1], force=True)
        assert dest.read_bytes() == text[::-1].encode("utf-8")
        assert names(Path(folder)) == ["plan.csv"]
