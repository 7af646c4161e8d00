"""What ``check`` is given to check: PLAN arguments, ``--files-from``, and ``--sig`` from a day."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import date
from itertools import chain
from typing import TYPE_CHECKING, BinaryIO

import typer

from ldn_titrate.cli import EXIT_INVALID, fail
from ldn_titrate.errors import LdnTitrateError, Setting, shown

if TYPE_CHECKING:
    from ldn_titrate.app.check import Task


def _flag(setting: Setting) -> str:
    return f"--{setting.key.replace('_', '-')}" + (f" {setting.value}" if setting.value else "")


def spelled(error: LdnTitrateError) -> list[str]:
    """An error of the workflow as lines of the command line: each key spelled as its option."""
    from ldn_titrate.app.files import ListError  # noqa: PLC0415
    from ldn_titrate.errors import InputError, InputErrors, spell  # noqa: PLC0415

    if isinstance(error, ListError):
        return [f"--files-from: {shown(error.source)}: {spell(error.reason, _flag)}"]
    errors = error.errors if isinstance(error, InputErrors) else (error,)
    return [
        str(InputError(e.field, e.value, e.allowed))
        if e.field.startswith("-") or ":" in e.field
        else str(InputError(_flag(Setting(e.field, "")), e.value, e.allowed))
        for e in errors
        if isinstance(e, InputError)
    ] or [str(error)]


def sig_day(
    plans: list[str] | None, sig: str | None, from_: str | None, files_from: str | None
) -> date | None:
    """Day 1 of the directions; refuses a check of nothing, or stdin read twice."""
    if not plans and sig is None and files_from is None:
        fail(["Missing argument 'PLAN'; see 'ldn-titrate check --help'"], EXIT_INVALID)
    if plans is not None and plans.count("-") + (files_from == "-") > 1:
        # The first '-' would take all of stdin and the second find it empty.
        which = "PLAN '-'" if files_from != "-" else "--files-from '-' and PLAN '-'"
        fail([f"{which}: given more than once; standard input can be read once"], EXIT_INVALID)
    if from_ is not None and sig is None:
        fail([f"--from: applies to --sig only, got {shown(from_)}"], EXIT_INVALID)
    if sig is None:
        return None
    from ldn_titrate.cli.plan import TODAY_VARIABLE  # noqa: PLC0415
    from ldn_titrate.dates import parse_day  # noqa: PLC0415
    from ldn_titrate.errors import InputError  # noqa: PLC0415

    today = date.today()
    fixed = os.environ.get(TODAY_VARIABLE)
    try:
        if fixed is not None:
            today = parse_day(fixed, TODAY_VARIABLE, today)
        return today if from_ is None else parse_day(from_, "--from", today)
    except InputError as exc:
        fail([str(exc)], EXIT_INVALID)


def plan_tasks(
    plans: list[str], files_from: str | None, *, recursive: bool, null: bool
) -> Iterator[Task]:
    """The PLAN arguments ('-' is stdin), each folder replaced by its files, then those listed.

    Folders are listed now, with a note of what was left out; the list is read as it is used,
    and a name in it is always a file's.
    """
    from ldn_titrate.app.check import tasks  # noqa: PLC0415
    from ldn_titrate.app.files import ListError, folder_plans  # noqa: PLC0415

    paths: list[str] = []
    for path in plans:
        if path == "-" or not os.path.isdir(path):  # noqa: PTH112 - a string path, as given
            paths.append(path)
            continue
        found, left = folder_plans(path, recursive=recursive)
        counts = (
            (left.hidden, "hidden file", ""),
            (left.toml, "request or config file", " (.toml)"),
            (left.folders, "subfolder", " (--recursive checks them)"),
        )
        notes = [f"{n} {what}{'s' if n != 1 else ''}{why}" for n, what, why in counts if n]
        if notes:
            typer.echo(f"note: PLAN {shown(path)}: not checked: {', '.join(notes)}", err=True)
        if not found:
            fail([f"PLAN {shown(path)}: a folder with no plan files in it"], EXIT_INVALID)
        paths.extend(found)
    if files_from is None:
        return tasks(paths)
    try:
        # The built-in open, as for the plans themselves.
        stream = sys.stdin.buffer if files_from == "-" else open(files_from, "rb")  # noqa: PTH123, SIM115
    except OSError as exc:
        raise ListError(files_from, f"cannot be read ({exc.strerror})") from None
    return chain(tasks(paths), _listed(stream, files_from, null=null))


def _listed(stream: BinaryIO, source: str, *, null: bool) -> Iterator[Task]:
    from ldn_titrate.app.check import tasks  # noqa: PLC0415
    from ldn_titrate.app.files import listed_paths  # noqa: PLC0415

    try:
        yield from tasks(listed_paths(stream, source, null=null), stdin=None)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
