"""Prescription directions (a sig) read exactly into steps, or refused with the reason.

``read_sig`` knows a closed grammar (the README's "Directions" section): steps joined by
"then", ";", "followed by" or new lines; doses in mg, mcg, mL of a stated strength or
capsules; durations; "increase by S every N to T"; a morning and a bedtime dose. Anything
else is refused, naming the words it stopped at: a range, a condition, another frequency,
an unknown word. A number is never corrected (``45 mg`` is read as 45 mg, for the checks to
judge).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from ldn_titrate.dates import Interval
from ldn_titrate.doses import CapsuleCounts, canonical, format_mg
from ldn_titrate.limits import MAX_STEPS
from ldn_titrate.model import DoseTime, step_count
from ldn_titrate.received.sig_amounts import Resolved, Strengths, resolve, strengths
from ldn_titrate.received.sig_parse import Dose, Item, Pause, Reader, Rule, Stop
from ldn_titrate.received.sig_words import SIG_MAX_CHARS, Kind, SigRefusedError, normalise, tokens

__all__ = ["SIG_MAX_CHARS", "Kind", "Sig", "SigRefusedError", "SigStep", "read_sig"]


class SigStep(NamedTuple):
    """One step as the directions give it: the daily dose in mg (None: a pause), how long.

    ``every`` None is the ongoing last step. A split step gives its morning and bedtime doses.
    ``volume_ml`` and ``capsules`` are the day's amount when the words give the dose so.
    """

    dose_mg: Decimal | None
    every: Interval | None
    words: str
    morning: Resolved | None = None
    bedtime: Resolved | None = None
    volume_ml: Decimal | None = None
    capsules: CapsuleCounts | None = None
    mcg: bool = False
    """The dose was written in micrograms, for the checks of a number in the wrong unit."""

    @property
    def split(self) -> bool:
        """Whether the day's dose is taken in the morning and at bedtime."""
        return self.morning is not None


@dataclass(frozen=True, slots=True)
class Sig:
    """Directions read: the steps, the time of day if said, and the strengths named."""

    steps: tuple[SigStep, ...]
    time: DoseTime | None
    concentration_mg_per_ml: Decimal | None
    capsule_strengths: tuple[Decimal, ...]

    @property
    def pauses(self) -> bool:
        """Whether the directions stop the doses for a while and start them again."""
        return any(step.dose_mg is None for step in self.steps)


def read_sig(text: str) -> Sig:
    """The steps that directions give, read exactly.

    Raises:
        SigRefusedError: the kind of refusal, the reason and the words it stopped at.
    """
    normal = normalise(text)
    parsed = Reader(normal, tokens(normal)).read()
    named_strengths = [
        g.strength_mg for a in parsed.amounts for g in a.groups if g.strength_mg is not None
    ]
    # "2 capsules (3 mg)": one kind of capsule, whose strength the total gives.
    named_strengths += [
        canonical(a.stated_mg / a.groups[0].units)
        for a in parsed.amounts
        if len(a.groups) == 1 and a.groups[0].strength_mg is None and a.stated_mg is not None
    ]
    known = strengths(
        list(parsed.amounts),
        list(parsed.concentrations),
        [*parsed.capsule_strengths, *named_strengths],
    )
    builder = _Builder(known)
    for item in parsed.items:
        builder.add(item)
    return builder.finish()


class _Builder:
    """The steps so far, each item added in turn; refusals name the item's words."""

    def __init__(self, known: Strengths) -> None:
        self.known = known
        self.steps: list[SigStep] = []
        self.times: set[DoseTime] = set()
        self.stopped: str | None = None
        # The target step of a rule, which the next item may restate with its duration.
        self.rule_target: int | None = None

    def add(self, item: Item) -> None:
        if self.stopped is not None:
            raise SigRefusedError(Kind.UNREADABLE, "directions after 'stop'", item.words)
        if isinstance(item, Stop):
            self._stop(item)
        elif isinstance(item, Pause):
            self._last(item.words, "a pause")
            self.steps.append(SigStep(None, item.every, item.words))
        elif isinstance(item, Rule):
            self._rule(item)
        else:
            self._dose(item)

    def _last(self, words: str, what: str) -> SigStep:
        """The step before ``what``, which must be a dose with a length."""
        if not self.steps or self.steps[-1].dose_mg is None:
            raise SigRefusedError(Kind.UNREADABLE, f"{what} needs a dose before it", words)
        last = self.steps[-1]
        if last.every is None:
            raise SigRefusedError(
                Kind.UNREADABLE,
                f"for how long is {format_mg(last.dose_mg or Decimal(0))} taken before {what}? "
                "add 'for N days'",
                last.words,
            )
        return last

    def _stop(self, item: Stop) -> None:
        self._last(item.words, "'stop'")
        self.stopped = item.words

    def _previous_dose(self, words: str) -> SigStep:
        doses = [s for s in self.steps if s.dose_mg is not None]
        if not doses:
            raise SigRefusedError(Kind.UNREADABLE, "a change needs a dose before it", words)
        return doses[-1]

    def _dose(self, item: Dose) -> None:
        if item.ongoing and item.every is not None:
            raise SigRefusedError(
                Kind.UNREADABLE, "both a duration and 'ongoing' for one step", item.words
            )
        if item.parts is None:
            before = self._previous_dose(item.words)
            step = before._replace(every=item.every, words=item.words)
            if item.by is not None:
                by = resolve(item.by, self.known)
                step = self._measured(
                    canonical(_dose(before) + item.change * by.mg), by, item.words
                )
        else:
            step = self._parts(item)
        if item.change:
            before = self._previous_dose(item.words)
            if (_dose(step) - _dose(before)) * item.change <= 0:
                way = "an increase" if item.change > 0 else "a decrease"
                raise SigRefusedError(
                    Kind.UNREADABLE,
                    f"{format_mg(_dose(step))} after {format_mg(_dose(before))} is not {way}",
                    item.words,
                )
        target = self.rule_target
        # "... to 4.5 mg; take 4.5 mg for 28 days": the rule's target, restated with its days.
        if (
            target is not None
            and target == len(self.steps) - 1
            and self.steps[target].every is None
            and self.steps[target].dose_mg == step.dose_mg
            and not step.split
        ):
            self.steps[target] = self.steps[target]._replace(every=step.every, words=step.words)
            self.rule_target = None
            return
        if self.steps and self.steps[-1].dose_mg is not None:
            self._last(item.words, format_mg(_dose(step)))
        self.rule_target = None
        self.steps.append(step)

    def _measured(self, mg: Decimal, like: Resolved, words: str) -> SigStep:
        """A dose in mg worked out from a change, in the form its change was written in."""
        volume = capsules = None
        if like.ml is not None and self.known.concentration is not None:
            volume = canonical(mg / self.known.concentration)
        elif like.capsules is not None and len(like.capsules) == 1:
            strength = like.capsules[0][0]
            count, rest = divmod(mg, strength)
            if rest or count < 1:
                raise SigRefusedError(
                    Kind.UNREADABLE,
                    f"{format_mg(mg)} is not a whole number of {format_mg(strength)} capsules",
                    words,
                )
            capsules = ((strength, int(count)),)
        return SigStep(mg, None, words, volume_ml=volume, capsules=capsules)

    def _parts(self, item: Dose) -> SigStep:
        assert item.parts is not None  # noqa: S101 - only a dose with parts comes here
        resolved = [(resolve(p.amount, self.known), p.time) for p in item.parts]
        if len(resolved) == 1:
            amount, time = resolved[0]
            if time is not None:
                self.times.add(time)
            return SigStep(
                amount.mg,
                item.every,
                item.words,
                volume_ml=amount.ml,
                capsules=amount.capsules,
                mcg=item.parts[0].amount.mcg,
            )
        by_time = {time: amount for amount, time in resolved}
        if len(resolved) > 2 or set(by_time) != {DoseTime.MORNING, DoseTime.BEDTIME}:
            raise SigRefusedError(
                Kind.FREQUENCY,
                "a day of two doses is 'A mg in the morning and B mg at bedtime'",
                item.words,
            )
        morning, bedtime = by_time[DoseTime.MORNING], by_time[DoseTime.BEDTIME]
        volume = None
        if morning.ml is not None and bedtime.ml is not None:
            volume = canonical(morning.ml + bedtime.ml)
        return SigStep(
            canonical(morning.mg + bedtime.mg),
            item.every,
            item.words,
            morning=morning,
            bedtime=bedtime,
            volume_ml=volume,
        )

    def _rule(self, rule: Rule) -> None:
        before = self._previous_dose(rule.words)
        if before.split or self.steps[-1] is not before:
            raise SigRefusedError(
                Kind.UNREADABLE, "a rule of change follows a single daily dose", rule.words
            )
        by = resolve(rule.by, self.known)
        to = resolve(rule.to, self.known)
        start = _dose(before)
        if by.mg <= 0 or (to.mg - start) * rule.sign <= 0:
            way = "up" if rule.sign > 0 else "down"
            raise SigRefusedError(
                Kind.UNREADABLE,
                f"from {format_mg(start)} by {format_mg(by.mg)} {way} to {format_mg(to.mg)} "
                "does not lead there",
                rule.words,
            )
        if step_count(start, to.mg, by.mg) > MAX_STEPS:
            raise SigRefusedError(
                Kind.UNREADABLE, f"the rule makes more than {MAX_STEPS} steps", rule.words
            )
        if rule.time is not None:
            self.times.add(rule.time)
        if before.every is None:
            self.steps[-1] = before._replace(every=rule.every)
        count = step_count(start, to.mg, by.mg)
        for k in range(1, count - 1):
            mg = canonical(start + rule.sign * by.mg * k)
            self.steps.append(self._measured(mg, by, rule.words)._replace(every=rule.every))
        target = self._measured(to.mg, to, rule.words)
        self.steps.append(target._replace(every=rule.last_every))
        self.rule_target = len(self.steps) - 1

    def finish(self) -> Sig:
        if not self.steps:
            raise SigRefusedError(Kind.UNREADABLE, "the directions give no dose")
        if self.steps[-1].dose_mg is None:
            raise SigRefusedError(
                Kind.UNREADABLE, "the directions end in a pause", self.steps[-1].words
            )
        if len(self.steps) > MAX_STEPS:
            raise SigRefusedError(Kind.UNREADABLE, f"more than {MAX_STEPS} steps")
        if len(self.times) > 1:
            raise SigRefusedError(
                Kind.UNREADABLE,
                "the time of day changes from step to step; give one time for every step",
            )
        time = next(iter(self.times), None)
        return Sig(tuple(self.steps), time, self.known.concentration, self.known.capsules)


def _dose(step: SigStep) -> Decimal:
    assert step.dose_mg is not None  # noqa: S101 - pauses are never the dose before a change
    return step.dose_mg
