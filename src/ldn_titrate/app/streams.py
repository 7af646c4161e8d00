"""Standard output that fails in one line (closed, full or ASCII-only), stderr that never fails.

The process's own streams, made safe before anything is written; nothing here prints.
"""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Callable, Sequence
from typing import IO, Any

from ldn_titrate.spreadsheet import ASCII_EQUIVALENTS

ERRORS = "ldn-titrate-ascii"
# A line too long for the terminal -> its pieces, each at most so many columns.
Wrap = Callable[[str, int], list[str]]


def _to_ascii(error: UnicodeError) -> tuple[str, int]:
    r"""An ASCII equivalent for each character the tool writes; any other as a ``\uXXXX`` escape.

    The escape is JSON's own (a surrogate pair beyond the first plane), so JSON output stays
    exact and other output shows the character visibly instead of failing.
    """
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for char in error.object[error.start : error.end]:
        if char in ASCII_EQUIVALENTS:
            out.append(ASCII_EQUIVALENTS[char])
            continue
        units = char.encode("utf-16-be", "surrogatepass")
        out.extend(f"\\u{int.from_bytes(units[i : i + 2]):04x}" for i in range(0, len(units), 2))
    return "".join(out), error.end


codecs.register_error(ERRORS, _to_ascii)


class StdoutError(Exception):
    """Standard output cannot take what is written: closed, full or gone."""

    def __init__(self, error: OSError) -> None:
        """Keep the system's reason, such as 'No space left on device'."""
        self.reason = error.strerror or "an error from the system"
        # A reader that went away (``| head``) is not worth a message: the exit code says it.
        self.quiet = isinstance(error, BrokenPipeError)
        super().__init__(self.reason)


class Guarded:
    """A standard stream whose failures leave as :class:`StdoutError`, or are dropped (quiet).

    Standard output (and the bytes beneath it) fails loudly; standard error is quiet. Messages
    are for the user; when stderr is full or closed there is no one to tell, and the
    data on stdout and the exit code still say what happened.
    """

    def __init__(self, stream: IO[Any], *, quiet: bool = False) -> None:
        """Wrap the stream the interpreter gave."""
        self._stream = stream
        self._quiet = quiet

    def write(self, data: Any) -> int:  # noqa: ANN401 - text, or bytes beneath
        """Write, or fail as the stream does."""
        try:
            return self._stream.write(data)
        except (OSError, ValueError) as exc:
            self._failed(exc)
            return len(data)

    def flush(self) -> None:
        """Flush, or fail as the stream does."""
        try:
            self._stream.flush()
        except (OSError, ValueError) as exc:
            self._failed(exc)

    def _failed(self, exc: OSError | ValueError) -> None:
        if self._quiet:
            return
        if isinstance(exc, OSError):
            raise StdoutError(exc) from None
        raise exc

    @property
    def buffer(self) -> Guarded:
        """The binary stream beneath, for a workbook's bytes: guarded the same way."""
        return Guarded(self._stream.buffer, quiet=self._quiet)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401 - every other attribute of the stream
        """Everything else is the stream's own."""
        return getattr(self._stream, name)


def _hold(name: str, number: int, stand_in: Callable[[], Sequence[int]]) -> None:
    """When descriptor ``number`` is closed, hold it with the first of ``stand_in``'s descriptors.

    So no file opened later (an output file) takes its number; ``sys``'s stream ``name``
    is then opened on it.
    """
    try:
        os.fstat(number)
    except OSError:
        ends = stand_in()
        os.dup2(ends[0], number)
        for end in ends:
            if end != number:
                os.close(end)
        setattr(sys, name, open(number, "w", encoding="utf-8", closefd=False))  # noqa: SIM115 - the descriptor itself


def guard_stderr() -> None:
    """Make standard error safe to write to when it is full or closed."""
    # Closed (``2>&-``): held with the null device, so the messages go nowhere else.
    _hold("stderr", 2, lambda: [os.open(os.devnull, os.O_WRONLY)])
    stream = sys.stderr
    if stream is None or isinstance(stream, Guarded):
        return
    sys.stderr = Guarded(stream, quiet=True)


def guard_stdout() -> None:
    """Make every failure to write standard output a StdoutError, an ASCII one included."""
    # Closed (``>&-``): held with the read end of an empty pipe, so every write fails as it should.
    _hold("stdout", 1, os.pipe)
    stream = sys.stdout
    if stream is None or isinstance(stream, Guarded):
        return
    encoding = getattr(stream, "encoding", None) or "utf-8"
    reconfigure = getattr(stream, "reconfigure", None)
    if callable(reconfigure):
        try:
            "×–".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            reconfigure(errors=ERRORS)
    sys.stdout = Guarded(stream)


def silence_stdout() -> None:
    """After a failure, let the interpreter's last flush of standard output go nowhere."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


class WrappedStderr:
    """Standard error on a terminal: each line wrapped to the terminal's width.

    A line that fits is written as it is; a longer one is cut by ``wrap`` (the command line
    gives the plain layouts' own, so that the wrapping code loads only for a long line).
    """

    def __init__(self, stream: IO[str], width: int, wrap: Wrap) -> None:
        """Wrap the stream the interpreter gave, for a terminal this many columns wide."""
        self._stream = stream
        self._width = width
        self._wrap = wrap
        self._pending = ""

    def write(self, text: str) -> int:
        """Write each whole line wrapped; keep a line's start until its end comes."""
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            pieces = [line] if len(line) <= self._width else self._wrap(line, self._width)
            for piece in pieces:
                self._stream.write(piece + "\n")
        return len(text)

    def flush(self) -> None:
        """Write what is left of a line, then flush."""
        if self._pending:
            self._stream.write(self._pending)
            self._pending = ""
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401 - every other attribute of the stream
        """Everything else is the stream's own."""
        return getattr(self._stream, name)


def wrap_stderr(wrap: Wrap) -> None:
    """On a terminal, wrap every message to its width (COLUMNS, else the terminal's own)."""
    stream = sys.stderr
    if stream is None or isinstance(stream, WrappedStderr) or not stream.isatty():
        return
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        width = int(columns)
    else:
        try:
            width = os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError):
            return
    sys.stderr = WrappedStderr(stream, width, wrap)
