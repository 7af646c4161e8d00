"""``check`` as a workflow: options and config -> plans -> findings and their text, in order.

Plans are checked one after the other, or by worker processes for a large batch; either way
each plan's result comes back in the order given as soon as it is ready, and only a bounded
window of plans is ever held, so a list of any length streams in flat memory.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from itertools import chain, islice
from typing import TYPE_CHECKING, Final

from ldn_titrate.check.output import Report, ReportFormat, Show
from ldn_titrate.errors import (
    InputError,
    InputErrors,
    LdnTitrateError,
    Phrase,
    Setting,
    shown,
    spell,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import date

    from ldn_titrate.app.files import Left
    from ldn_titrate.check import CheckOptions, Finding
    from ldn_titrate.request_files import Config

# Worker processes pay for themselves from a few hundred plans (benchmarks/check_speed.py);
# each takes at least this many plans, and there are never more than MAX_JOBS of them.
PARALLEL_OVER: Final = 100
MAX_JOBS: Final = 32
# Plans read ahead of the one being written: bounds the memory of a batch of any length.
WINDOW: Final = 2048
# How the findings of directions given as text name what they are about, as "<stdin>" does.
SIG_SOURCE: Final = "<sig>"
STDIN: Final = "<stdin>"


class SettingsError(LdnTitrateError, ValueError):
    """Settings of a check that cannot be used so, in words that name them by key."""

    def __init__(self, words: Phrase) -> None:
        """Keep the words; whoever shows them spells the settings."""
        self.words = words
        super().__init__(spell(words))


def _bare(key: str) -> Setting:
    return Setting(key, "")


def today() -> date:
    """Today, or the day LDN_TITRATE_TODAY names."""
    from datetime import date  # noqa: PLC0415

    from ldn_titrate.app.inputs import TODAY_VARIABLE  # noqa: PLC0415
    from ldn_titrate.dates import parse_day  # noqa: PLC0415

    now = date.today()  # noqa: DTZ011 - the user's own calendar day
    fixed = os.environ.get(TODAY_VARIABLE)
    return now if fixed is None else parse_day(fixed, TODAY_VARIABLE, now)


def refuse_inputs(
    plans: Sequence[str],
    sig: str | None,
    from_: str | None,
    files_from: str | None,
    *,
    null: bool = False,
) -> None:
    """Refuse standard input named twice, and a setting given without the one it qualifies.

    A day 1 (``from``) needs directions (``sig``); NUL separators (``null``) need a list
    (``files_from``).

    Raises:
        SettingsError: standard input named twice, or ``null`` without a list.
        InputError: a day 1 without directions.
    """
    if plans.count("-") + (files_from == "-") > 1:
        # The first '-' would take all of stdin and the second find it empty.
        which: Phrase = ("PLAN '-'",)
        if files_from == "-":
            which = (Setting("files_from", "'-'"), " and PLAN '-'")
        raise SettingsError((*which, ": given more than once; standard input can be read once"))
    if from_ is not None and sig is None:
        raise InputError("from", from_, ("applies to ", _bare("sig"), " only"))
    if null and files_from is None:
        raise SettingsError((_bare("null"), ": applies to ", _bare("files_from"), " only"))


def report_asked(  # noqa: PLR0913 - the registry, the width and one per setting
    text: str,
    width: int,
    reports: Mapping[ReportFormat, type[Report]],
    *,
    verbose: bool,
    quiet: bool,
    jobs: str | None,
) -> tuple[Report, int | None]:
    """The report asked for (``format``, ``verbose``, ``quiet``) and the plans checked at a time.

    Raises:
        InputError: no such format, or a count of jobs that is not 1 to 32.
        SettingsError: ``verbose`` with ``quiet``, or either with a format that shows every plan.
    """
    from ldn_titrate.bounded import whole_number  # noqa: PLC0415

    show: Show = "all" if verbose else "none" if quiet else "problems"
    report = report_for(text, show, width, reports)
    if verbose and quiet:
        raise SettingsError((_bare("verbose"), " and ", _bare("quiet"), ": give one of them"))
    given_jobs = None if jobs is None else whole_number(jobs, "jobs", 1, MAX_JOBS)
    if not report.shows and (verbose or quiet):
        table, got = Setting("format", "table"), Setting("format", report.format)
        said = (": applies to ", table, " only, got ", got)
        raise SettingsError((_bare("verbose" if verbose else "quiet"), *said))
    return report, given_jobs


def report_for(
    text: str, show: Show, width: int, reports: Mapping[ReportFormat, type[Report]]
) -> Report:
    """The report format named (any case, spaces around), for what to show at this width.

    ``reports`` is the registry: the machine formats of ``check.output`` and whatever the face
    adds (the terminal's table is drawn by ``render``, which this layer does not import).

    Raises:
        InputError: no such format.
    """
    try:
        fmt = ReportFormat(text.strip().lower())
    except ValueError:
        raise InputError("format", text, f"must be one of {', '.join(reports)}") from None
    if fmt not in reports:
        raise InputError("format", text, f"must be one of {', '.join(reports)}")
    return reports[fmt](show, width)


def check_options(
    given: dict[str, str | None], columns: Sequence[str], found: Config | None
) -> CheckOptions:
    """The options of a check: as given, else the config's ``[check]`` defaults.

    Raises:
        InputErrors: one per refused value; a value from the config is named by its file and
            key (``config.toml: check.max_step``).
    """
    from dataclasses import replace  # noqa: PLC0415

    from ldn_titrate.check import column_names, options_from_text  # noqa: PLC0415
    from ldn_titrate.settings.check import CHECK  # noqa: PLC0415

    defaults = {} if found is None else dict(found.check)
    source = "" if found is None else found.source
    # A config's [check] value stands in for the option not given; its graduation is another
    # thing (the mark for a liquid plan that records none), read below.
    in_config = [s.key for s in CHECK if s.in_config and s.key != "graduation"]
    from_config = {key for key in in_config if given.get(key) is None and key in defaults}
    values = {key: given.get(key) or defaults.get(key) for key in in_config}
    try:
        options = options_from_text(**{**given, **values}, columns=columns)
    except InputErrors as exc:

        def named(error: InputError) -> InputError:
            key = error.field.lstrip("-").replace("-", "_")
            if key not in from_config:
                return error
            return InputError(f"{source}: check.{key}", error.value, error.allowed)

        raise InputErrors([named(e) for e in exc.errors]) from None
    if found is not None and found.columns:
        configured = column_names(found.columns, f"{found.source}: check.columns")
        options = replace(options, columns=(*options.columns, *configured))
    if "graduation" in defaults:
        from ldn_titrate.doses import parse_volume  # noqa: PLC0415

        grad = parse_volume(defaults["graduation"], f"{source}: check.graduation")
        options = replace(options, default_graduation_ml=grad)
    return options


# One plan to check: the name shown, the path to read, and what reading it gave when it has
# been read already (standard input: its bytes, or None and why not).
Task = tuple[str, str, tuple[bytes | None, str] | None]
# What checking one plan gives: its name, its result, its text, and the findings when the
# text is None.
Checked = tuple[str, str, str | None, "list[Finding] | None"]


def checked(options: CheckOptions, report: Report, task: Task) -> Checked:
    """Read, check and write one plan as text: the same in a worker process as in this one."""
    from ldn_titrate.app.files import plan_bytes  # noqa: PLC0415
    from ldn_titrate.check import MAX_PLAN_BYTES, check_file, tally, unreadable  # noqa: PLC0415

    name, path, given = task
    try:
        data, reason = given or plan_bytes(path, MAX_PLAN_BYTES + 1)
        if data is None:
            findings = unreadable(name, reason, None, options)
        else:
            findings = check_file(data, name, options)
    except Exception as exc:  # noqa: BLE001 - one file's failure is that file's finding
        from ldn_titrate.check import internal_error  # noqa: PLC0415

        findings = internal_error(name, exc, options)
    result = tally(findings).result
    text = report.text(name, findings, result)
    return name, result, text, findings if text is None else None


def sig_day(text: str | None, today: date) -> date:
    """Day 1 of directions given as text: as given (``from``), else today."""
    from ldn_titrate.dates import parse_day  # noqa: PLC0415

    return today if text is None else parse_day(text, "from", today)


def check_sig(sig: str, day: date, options: CheckOptions, report: Report) -> Checked:
    """Directions given as text, checked from ``day`` as a plan named ``<sig>``."""
    from ldn_titrate.check import tally  # noqa: PLC0415
    from ldn_titrate.check.sig import check_sig as check_directions  # noqa: PLC0415

    findings = check_directions(sig, day, options, SIG_SOURCE)
    result = tally(findings).result
    text = report.text(SIG_SOURCE, findings, result)
    return SIG_SOURCE, result, text, findings if text is None else None


def tasks(paths: Iterable[str], *, stdin: str | None = "-") -> Iterator[Task]:
    """A task per path; the path ``stdin`` is standard input, read here, once (None: no path)."""
    from ldn_titrate.app.files import plan_bytes  # noqa: PLC0415
    from ldn_titrate.check import MAX_PLAN_BYTES  # noqa: PLC0415

    for path in paths:
        if path == stdin:
            yield STDIN, path, plan_bytes(None, MAX_PLAN_BYTES + 1)
        else:
            yield path, path, None


def plan_tasks(
    plans: Sequence[str],
    files_from: str | None,
    *,
    recursive: bool,
    null: bool,
    note: Callable[[str, Left], None],
) -> Iterator[Task]:
    """The plans given ('-' is stdin), each folder replaced by its files, then those listed.

    Folders are listed now, and ``note`` told what each left out; the list is read as it is
    used, and a name in it is always a file's.

    Raises:
        InputError: a folder with no plan files in it.
        ListError: a list that cannot be opened (now) or read (as it is used).
    """
    from ldn_titrate.app.files import folder_plans, listed  # noqa: PLC0415

    paths: list[str] = []
    for path in plans:
        if path == "-" or not os.path.isdir(path):  # noqa: PTH112 - a string path, as given
            paths.append(path)
            continue
        found, left = folder_plans(path, recursive=recursive)
        if any(left):
            note(path, left)
        if not found:
            raise InputError(f"PLAN {shown(path)}", None, "a folder with no plan files in it")
        paths.extend(found)
    if files_from is None:
        return tasks(paths)
    return chain(tasks(paths), tasks(listed(files_from, null=null), stdin=None))


class Written:
    """What to write for each plan checked, in the report's joins; counts each result."""

    def __init__(self, report: Report) -> None:
        """Start the report."""
        self.report = report
        self.counts: Counter[str] = Counter()

    def text(self, checked: Checked) -> str | None:
        """The plan's text as written after those before it; None for a table to draw."""
        _, result, text, _ = checked
        first = not self.counts.total()
        self.counts[result] += 1
        return None if text is None else self.report.joined(text, first=first)

    def closing(self) -> str:
        """What ends the report."""
        return self.report.closing(empty=not self.counts.total())

    def summary(self) -> str:
        """The one line that counts the plans by result."""
        count, failed, warned = self.counts.total(), self.counts["error"], self.counts["warning"]
        return (
            f"checked {count} plan{'s' if count != 1 else ''}: {failed} with errors, "
            f"{warned} with warnings, {count - failed - warned} clean"
        )


def jobs_for(count: int, given: int | None) -> int:
    """How many plans to check at a time: as given, else one per processor (big batch).

    Workers fork once the first plan is checked and the readers are loaded, so each adds
    little (about 2 % more instructions a plan, counted over the command and its workers by
    callgrind). Measured on two processors over 200, 400 and 6,000 JSON plans, idle and with
    both processors kept busy by other work, two workers were faster than one every time
    (6,000 plans busy: 7.1-8.2 s against 9.9-11.3 s), so the load of the machine does not
    lower the default.
    """
    if given is not None:
        return min(given, count) or 1
    if count <= PARALLEL_OVER:
        return 1
    try:
        processors = len(os.sched_getaffinity(0))
    except AttributeError:  # not every system can say which processors this process may use
        processors = os.cpu_count() or 1
    return max(1, min(processors, MAX_JOBS, count // PARALLEL_OVER))


def _ignore_interrupts() -> None:
    """Set up a worker process: Ctrl-C is left to the main process, which ends the workers."""
    import signal  # noqa: PLC0415

    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Batch:
    """A batch under way: its count of plans (None while a list is read) and its results."""

    def __init__(self, count: int | None, results: Iterator[Checked]) -> None:
        """Keep the count and the results."""
        self.count = count
        self.results = results


@contextmanager
def batch(
    given: Iterable[Task], options: CheckOptions, report: Report, jobs: int | None
) -> Iterator[Batch]:
    """Each plan checked, in the order given; by worker processes when more than one job.

    The first window of tasks is taken here, so the count of a short batch is known and a
    list that cannot be read fails before anything is written. The workers start here too,
    before any progress bar starts its thread. Results come back as soon as each is ready;
    only two windows of tasks are held (the one written and the one the workers start on).
    """
    pending = iter(given)
    first = list(islice(pending, WINDOW))
    count = len(first) if len(first) < WINDOW else None
    used = jobs_for(count if count is not None else WINDOW, jobs)
    work = partial(checked, options, report)
    if used == 1:
        yield Batch(count, map(work, chain(first, pending)))
        return
    import multiprocessing  # noqa: PLC0415

    # The first plan is checked here, before the workers start: each then inherits the readers,
    # patterns and caches it loaded instead of loading them again (the JSON reader, pydantic
    # and the direct decoder of this tool's JSON plans take tenths of a second to load).
    if any(path[-5:].lower() == ".json" for _, path, _ in first):
        from ldn_titrate.received.json_reader import expect_many  # noqa: PLC0415

        expect_many()
    head = work(first[0])
    # Small chunks keep the order's waiting short; large enough to make each hand-over cheap.
    chunk = max(1, min(32, len(first) // (used * 8)))
    with multiprocessing.get_context().Pool(used, _ignore_interrupts) as pool:

        def windows() -> Iterator[Checked]:
            window = first
            results: Iterator[Checked] = chain((head,), pool.imap(work, first[1:], chunk))
            while window:
                # The next window is handed out before this one is written: no worker waits.
                window = list(islice(pending, WINDOW))
                following = pool.imap(work, window, chunk) if window else iter(())
                yield from results
                results = following

        yield Batch(count, windows())
