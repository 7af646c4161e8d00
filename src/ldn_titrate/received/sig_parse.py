"""The closed grammar of directions: the text -> items (a dose, a rule, a pause, a stop).

Every word is either one the grammar knows or the place where reading stops; nothing is
skipped, guessed or corrected. ``sig.py`` turns the items into steps.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.model import DoseTime
from ldn_titrate.received.sig_amounts import (
    Amount,
)
from ldn_titrate.received.sig_cursor import Cursor
from ldn_titrate.received.sig_vocab import (
    ADVERBS,
    CHANGE,
    CONDITIONAL,
    CONTINUE,
    FRACTION_UNITS,
    FREQUENCY,
    ONGOING,
    TWO_TIMES,
    UNITS,
)
from ldn_titrate.received.sig_words import Kind, SigRefusedError


class Part(NamedTuple):
    """One dose of a day as written: its amount and its time of day, if the words give one."""

    amount: Amount
    time: DoseTime | None


class Dose(NamedTuple):
    """A step: one or two doses a day (None: the dose before it), how long, whether ongoing.

    ``change`` is +1 for "increase to", -1 for "decrease to", 0 otherwise; ``by`` a change
    of one step ("increase by 0.5 mg").
    """

    words: str
    parts: tuple[Part, ...] | None
    every: Interval | None
    ongoing: bool
    change: int = 0
    by: Amount | None = None


class Rule(NamedTuple):
    """A change each interval up or down to a target: 'increase by S every N to T'."""

    words: str
    sign: int
    by: Amount
    every: Interval
    to: Amount
    last_every: Interval | None
    time: DoseTime | None


class Pause(NamedTuple):
    """No dose for a while: "stop for 5 days"."""

    words: str
    every: Interval


class Stop(NamedTuple):
    """The end of the directions: "then stop"."""

    words: str


Item = Dose | Rule | Pause | Stop


class Parsed(NamedTuple):
    """The items of a sig, and the liquid and capsule strengths it names on their own."""

    items: tuple[Item, ...]
    concentrations: tuple[Decimal, ...]
    capsule_strengths: tuple[Decimal, ...]
    amounts: tuple[Amount, ...]


class _Modifiers:
    """What the words after (or before) an amount say about a step, each at most once."""

    def __init__(self) -> None:
        self.time: DoseTime | None = None
        self.every: Interval | None = None
        self.ongoing = False


class Reader(Cursor):
    """The items of one sig, each method one part of the grammar of steps."""

    def read(self) -> Parsed:
        """Every item, separated by 'then', ';', 'followed by', a full stop, a comma or a line."""
        items: list[Item] = []
        while True:
            self._separators()
            if self.i >= len(self.t):
                break
            items.append(self._item())
            if self.i < len(self.t) and not self._at_separator():
                raise self.unknown()
        if not items:
            raise SigRefusedError(Kind.UNREADABLE, "the directions give no dose")
        return Parsed(
            tuple(items),
            tuple(self.concentrations),
            tuple(self.capsule_strengths),
            tuple(self.amounts),
        )

    def _at_separator(self) -> bool:
        word = self.word()
        return (
            word in {"then", ";", ".", ",", "\n"}
            or (word == "followed" and self.word(1) == "by")
            or (word == "and" and self.word(1) in {"then", *CHANGE, *CONTINUE, "stop"})
        )

    def _separators(self) -> None:
        while self._at_separator():
            self.i += 2 if self.word() == "followed" else 1

    def _item(self) -> Item:
        start = self.i
        word = self.word()
        if word in CHANGE or word == "titrate":
            return self._change(start)
        if word in {"stop", "discontinue", "hold", "pause"}:
            self.i += 1
            self.phrase(("taking",))
            self._noise()
            if self.word() in {"for", "x"}:
                every = self._duration()
                return Pause(self.words_from(start), every)
            if word in {"hold", "pause"}:
                raise self.refuse(
                    Kind.UNREADABLE, "a pause needs its length, such as 'for 5 days'", start
                )
            return Stop(self.words_from(start))
        if word in CONTINUE:
            self.i += 1
            self.any_phrase(("taking",), ("at",), ("on",), ("with",))
            if not self._amount_ahead():
                mods = self._modifiers()
                return Dose(self.words_from(start), None, mods.every, mods.ongoing)
        elif word in {"take", "give", "start", "begin"}:
            self.i += 1
            self.any_phrase(("with",), ("at",), ("on",), ("taking",))
        return self._dose(start)

    def _dose(self, start: int, change: int = 0) -> Dose:
        """One or two amounts ("A mg in the morning and B mg at bedtime") and their words."""
        lead = self._modifiers()
        every, ongoing = lead.every, lead.ongoing
        parts: list[Part] = []
        while True:
            if self.word() == "at" and self.kind(1) == "num":  # "start at 1 mg"
                self.i += 1
            if not self._amount_ahead():
                if self.i < len(self.t):
                    raise self.unknown()
                raise self.refuse(Kind.UNREADABLE, "a step without a dose", start)
            amount = self._amount()
            after = self._modifiers()
            if every is not None and after.every is not None:
                raise self.refuse(Kind.UNREADABLE, "two durations for one step", start)
            every = every or after.every
            ongoing = ongoing or after.ongoing
            parts.append(Part(amount, after.time))
            if self.word() == "and" and self._amount_after_and():
                self.i += 1
                continue
            break
        if lead.time is not None:
            if len(parts) > 1 or parts[0].time not in {None, lead.time}:
                raise self.refuse(Kind.FREQUENCY, TWO_TIMES, start)
            parts[0] = Part(parts[0].amount, lead.time)
        return Dose(self.words_from(start), tuple(parts), every, ongoing, change)

    def _amount_after_and(self) -> bool:
        self.i += 1
        ahead = self._amount_ahead()
        self.i -= 1
        return ahead

    def _modifiers(self) -> _Modifiers:
        mods = _Modifiers()
        while True:
            if self._noise():
                continue
            at = self.i
            time = self._time()
            if time is not None:
                if mods.time is not None and mods.time is not time:
                    raise self.refuse(Kind.FREQUENCY, TWO_TIMES, at)
                mods.time = time
                continue
            if self.word() in {"for", "x"} or self._fraction_ahead():
                if mods.every is not None:
                    raise self.refuse(Kind.UNREADABLE, "two durations for one step")
                mods.every = self._duration()
                continue
            if any(self.phrase(p) for p in ONGOING):
                mods.ongoing = True
                continue
            return mods

    def _duration(self) -> Interval:
        """``for N days``, ``x 2 weeks``, ``x2 weeks``, ``for a month``, ``1/52``."""
        start = self.i
        if self.word() in {"for", "x"}:
            self.i += 1
        self.any_phrase(("another",), ("the", "next"))
        if self._fraction_ahead():
            weeks = int(self.word())
            fraction = FRACTION_UNITS[self.word(2)]
            self.i += 3
            return self.interval(weeks, fraction, start)
        first = self.i
        count = self._count()
        if count is None:
            raise (
                self.unknown()
                if self.word() in CONDITIONAL | FREQUENCY
                else self.refuse(
                    Kind.UNREADABLE,
                    "a duration is 'for N days', 'for N weeks' or 'for N months'",
                    start,
                )
            )
        self._range_check(first, "duration")
        unit = UNITS.get(self.word())
        if unit is None:
            raise self.refuse(
                Kind.UNREADABLE,
                "a duration is 'for N days', 'for N weeks' or 'for N months'",
                start,
            )
        self.i += 1
        return self.interval(count, unit, start)

    def _sign(self) -> int:
        """+1 for 'increase' or 'titrate up', -1 for 'decrease', 'reduce' or 'titrate down'."""
        sign = CHANGE.get(self.word(), 0)
        self.i += 1
        if sign == 0:  # "titrate up", "titrate down"
            sign = {"up": 1, "down": -1}.get(self.word(), 0)
            if sign == 0:
                raise self.unknown()
            self.i += 1
        return sign

    def _rule_parts(self) -> tuple[Interval | None, Amount | None]:
        """'every N days' and 'to T', in either order."""
        every = to = None
        for _ in range(2):
            if self.word() in {"every", "each"}:
                every = self._every()
            elif self.word() in ADVERBS:
                every = ADVERBS[self.word()]
                self.i += 1
            elif self.any_phrase(("to",), ("up", "to"), ("until",)):
                self._noise()
                to = self._amount(in_rule=True)
        return every, to

    def _change(self, start: int) -> Item:
        sign = self._sign()
        self.any_phrase(("the", "dose"), ("dose",))
        if self.phrase(("to",)):
            return self._dose(start, change=sign)
        if not self.phrase(("by",)):
            if self.word() in CONDITIONAL | FREQUENCY:
                raise self.unknown()
            raise self.refuse(
                Kind.UNREADABLE,
                "write 'increase by 0.5 mg every 7 days to 4.5 mg' or 'increase to 1 mg'",
                start,
            )
        by = self._amount(in_rule=True)
        every, to = self._rule_parts()
        mods = self._modifiers()
        if every is None and to is None:
            return Dose(self.words_from(start), None, mods.every, mods.ongoing, sign, by)
        if every is None or to is None:
            missing = (
                "how often ('every 7 days')" if every is None else "to what dose ('to 4.5 mg')"
            )
            raise self.refuse(Kind.UNREADABLE, f"a change needs {missing}", start)
        last = None if mods.ongoing else mods.every
        return Rule(self.words_from(start), sign, by, every, to, last, mods.time)

    def _every(self) -> Interval:
        start = self.i
        self.i += 1
        if self.word() in {"week", "day", "month", "fortnight"}:
            unit = self.word()
            self.i += 1
            if unit == "fortnight":
                return Interval(2, IntervalUnit.WEEKS)
            return self.interval(1, UNITS[unit], start)
        first = self.i
        count = self._count()
        if count is None or self.word() not in UNITS:
            raise self.refuse(
                Kind.UNREADABLE, "write 'every 7 days', 'every 2 weeks' or 'every month'", start
            )
        self._range_check(first, "duration")
        unit = UNITS[self.word()]
        self.i += 1
        return self.interval(count, unit, start)
