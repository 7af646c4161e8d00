"""A cursor over the tokens of directions, and the amounts it reads (mg, mL, capsules).

The grammar of steps (``sig_parse.py``) is built on it; every refusal quotes the words from
where reading stopped.
"""

from __future__ import annotations

from decimal import Decimal

from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.limits import MAINTENANCE_DAYS_MAX
from ldn_titrate.model import DoseTime
from ldn_titrate.received.sig_amounts import (
    CAPSULE_WORDS,
    MCG_WORDS,
    MG_WORDS,
    ML_WORDS,
    NUMBER_WORDS,
    Amount,
    Group,
    milligrams,
)
from ldn_titrate.received.sig_vocab import (
    CONDITIONAL,
    DAY_PARTS,
    FRACTION_UNITS,
    FREQUENCY,
    ISMP,
    LIQUID_WORDS,
    NOISE,
    TIMES,
    UNITS,
)
from ldn_titrate.received.sig_words import Kind, SigRefusedError, Token, quoted

# A calendar month is at most 31 days: a duration in months is bounded as that many days.
_LONGEST_MONTH = 31


class Cursor:
    """A cursor over the tokens of one sig, with the readers of amounts and phrases."""

    def __init__(self, text: str, pieces: list[Token]) -> None:
        """Read ``pieces``, the tokens of ``text`` (the normalised directions)."""
        self.text = text
        self.t = pieces
        self.i = 0
        self.concentrations: list[Decimal] = []
        self.capsule_strengths: list[Decimal] = []
        self.amounts: list[Amount] = []

    # The cursor.
    def word(self, ahead: int = 0) -> str:
        """The text of the token ``ahead`` of the cursor, or '' past the end."""
        at = self.i + ahead
        return self.t[at].text if at < len(self.t) else ""

    def kind(self, ahead: int = 0) -> str:
        """The kind of the token ``ahead`` of the cursor, or '' past the end."""
        at = self.i + ahead
        return self.t[at].kind if at < len(self.t) else ""

    def phrase(self, words: tuple[str, ...]) -> bool:
        """Step over ``words`` if they come next."""
        # The first word alone settles most tries: the whole phrase is compared only after it.
        if self.word() != words[0]:
            return False
        if all(self.word(k) == w for k, w in enumerate(words)):
            self.i += len(words)
            return True
        return False

    def any_phrase(self, *phrases: tuple[str, ...]) -> bool:
        """Step over the first of ``phrases`` that comes next."""
        return any(self.phrase(p) for p in phrases)

    def words_from(self, start: int) -> str:
        """The words as written from token ``start`` to the cursor."""
        if start >= len(self.t) or self.i <= start:
            return quoted(self.text, self.t, start, 1)
        return " ".join(self.text[self.t[start].start : self.t[self.i - 1].end].split())

    def refuse(
        self, kind: Kind, reason: str, at: int | None = None, count: int = 4
    ) -> SigRefusedError:
        """A refusal that quotes the words from ``at`` (default: the cursor)."""
        return SigRefusedError(
            kind, reason, quoted(self.text, self.t, self.i if at is None else at, count)
        )

    def _unknown_reason(self) -> str:
        """Why an unknown word is not read, when the word itself says more."""
        word = self.word()
        if word in ISMP:
            return ISMP[word]
        if word in {"µ", "μ"}:
            return "write micrograms as mcg, never µg"
        if word in DAY_PARTS or (word == "in" and self.word(2) in DAY_PARTS):
            return "a time of day is 'at bedtime' or 'in the morning'"
        if self.kind() == "num":
            return "a number without its unit (mg, mcg, mL or capsules)"
        return "not a word of the directions this tool reads"

    def unknown(self) -> SigRefusedError:
        """The refusal at a word the grammar does not know, with its kind when it is telling."""
        word = self.word()
        if word in CONDITIONAL:
            return self.refuse(
                Kind.CONDITIONAL,
                "a condition is not a schedule: give each dose and how long it lasts",
            )
        if (
            word in FREQUENCY
            or (word == "every" and self.kind(1) in {"num", "word"})
            or (word in {"a", "per", "each"} and self.word(1) in {"week", "fortnight", "month"})
        ):
            return self.refuse(
                Kind.FREQUENCY,
                "the directions give the dose other than once a day; LDN is one daily dose "
                "(or a morning and a bedtime dose that add up)",
            )
        return self.refuse(Kind.UNREADABLE, self._unknown_reason(), count=2)

    def _amount_ahead(self) -> bool:
        return (
            self.kind() == "num"
            or self.word() in NUMBER_WORDS
            or (self.word() in {"a", "an"} and self.word(1) in CAPSULE_WORDS)
        )

    def _noise(self) -> bool:
        if self.word() == "once" and any(self.word(1) == p[0][0] for p in TIMES if len(p[0]) == 1):
            self.i += 1
            return True
        return any(self.phrase(p) for p in NOISE)

    def _time(self) -> DoseTime | None:
        for words, time in TIMES:
            if self.phrase(words):
                return time
        return None

    def _fraction_ahead(self) -> bool:
        return (
            self.kind() == "num"
            and "." not in self.word()
            and self.word(1) == "/"
            and self.word(2) in FRACTION_UNITS
        )

    def interval(self, count: int, unit: IntervalUnit, start: int) -> Interval:
        """A duration as written, refused when it is none or longer than ten years."""
        every = Interval(count, unit)
        days = every.fixed_days if every.fixed_days is not None else count * _LONGEST_MONTH
        if not 1 <= days <= MAINTENANCE_DAYS_MAX:
            raise self.refuse(
                Kind.UNREADABLE,
                f"a duration is from 1 day to {MAINTENANCE_DAYS_MAX:,} days",
                start,
            )
        return every

    def _count(self) -> int | None:
        word = self.word()
        if word in NUMBER_WORDS:
            self.i += 1
            return NUMBER_WORDS[word]
        if word in {"a", "an"}:
            self.i += 1
            return 1
        if self.kind() == "num" and "." not in word:
            self.i += 1
            return int(word)
        return None

    def _range_check(self, first: int, what: str) -> None:
        """After a number: '7 to 14 days', '3-4 days', '1 or 2' is a range, refused."""
        joint = self.word()
        if joint not in {"-", "to", "or"} or (
            self.kind(1) != "num" and self.word(1) not in NUMBER_WORDS
        ):
            return
        low = self.t[first].text
        high = self.word(1)
        unit = self.word(2)
        if what == "duration":
            unit = unit if unit in UNITS else ""
        shown = f" {unit}" if unit else ""
        raise self.refuse(
            Kind.RANGE,
            f"a range: it can be read as {low}{shown} or as {high}{shown}; give one",
            first,
            count=4,
        )

    def _unit_range_check(self, first: int, unit: str, *, in_rule: bool) -> None:
        """'0.25 mg - 0.5 mg', '0.25 mg or 0.5 mg' (and '... to 0.5 mg' outside a rule)."""
        joints = {"-", "or"} if in_rule else {"-", "or", "to"}
        if self.word() in joints and self.kind(1) == "num" and self.word(2) == unit:
            raise self.refuse(
                Kind.RANGE,
                f"a range: it can be read as {self.t[first].text} {unit} or as "
                f"{self.word(1)} {unit}; give one",
                first,
                count=5,
            )

    def _amount(self, *, in_rule: bool = False) -> Amount:
        start = self.i
        if self.kind() != "num":
            count = self._count()
            self._range_check(start, "amount")
            return self._capsules(start, count)
        number = Decimal(self.word())
        if self.word(1) in {"x", "*"} and self.kind(2) == "num":
            self.i += 2
            return self._capsules(start, int(number), first_group_strength=True)
        self.i += 1
        self._range_check(start, "amount")
        unit = self.word()
        if unit in CAPSULE_WORDS and "." not in self.t[start].text:
            self.i -= 1
            return self._capsules(start, self._count())
        if unit in MG_WORDS or unit in MCG_WORDS:
            self.i += 1
            mg = milligrams(number, unit)
            self._unit_range_check(start, unit, in_rule=in_rule)
            if self.word() in {"/", "per"} and self.word(1) in ML_WORDS:
                raise self.refuse(Kind.UNREADABLE, "a strength where a dose belongs", start)
            ml = self._bracket_ml()
            amount = Amount(
                self.words_from(start),
                mg=mg,
                ml=ml,
                stated_mg=mg if ml else None,
                mcg=unit in MCG_WORDS,
            )
        elif unit in ML_WORDS:
            self.i += 1
            stated = self._bracket_mg()
            self._strength()
            amount = Amount(self.words_from(start), ml=number, stated_mg=stated)
        else:
            if unit in ISMP or unit in {"µ", "μ"}:
                raise self.unknown()
            self.i -= 1
            raise self.refuse(
                Kind.UNREADABLE, "a number without its unit (mg, mcg, mL or capsules)", count=2
            )
        self._strength()
        self.amounts.append(amount)
        return amount

    def _capsules(
        self, start: int, count: int | None, *, first_group_strength: bool = False
    ) -> Amount:
        groups: list[Group] = []
        while True:
            if first_group_strength:
                strength = self._mg()
                if self.word() not in CAPSULE_WORDS:
                    raise self.refuse(
                        Kind.UNREADABLE, "write capsules as '2 capsules of 1.5 mg'", start
                    )
                self.i += 1
                groups.append(Group(count or 0, strength))
            else:
                if count is None or self.word() not in CAPSULE_WORDS:
                    raise self.unknown()
                self.i += 1
                strength = None
                if self.word() == "of" and self.kind(1) == "num":
                    self.i += 1
                    strength = self._mg()
                groups.append(Group(count, strength))
            # "1 capsule of 1.5 mg and 2 capsules of 0.5 mg": more capsules in the same dose.
            if self.word() == "and" and (
                (self.word(2) in CAPSULE_WORDS and self.word(3) == "of")
                or self.word(2) in {"x", "*"}
            ):
                self.i += 1
                first_group_strength = self.word(1) in {"x", "*"}
                count = self._count()
                if first_group_strength:
                    self.i += 1
                continue
            break
        stated = self._bracket_mg()
        self._strength()
        amount = Amount(self.words_from(start), groups=tuple(groups), stated_mg=stated)
        self.amounts.append(amount)
        return amount

    def _mg(self) -> Decimal:
        if self.kind() != "num" or not (self.word(1) in MG_WORDS or self.word(1) in MCG_WORDS):
            raise self.refuse(Kind.UNREADABLE, "a strength in mg, such as 1.5 mg")
        mg = milligrams(Decimal(self.word()), self.word(1))
        self.i += 2
        return mg

    def _bracket_mg(self) -> Decimal | None:
        if self.word() == "(" and self.kind(1) == "num" and self.word(3) == ")":
            self.i += 1
            mg = self._mg()
            self.i += 1
            return mg
        return None

    def _bracket_ml(self) -> Decimal | None:
        if (
            self.word() == "("
            and self.kind(1) == "num"
            and self.word(2) in ML_WORDS
            and self.word(3) == ")"
        ):
            ml = Decimal(self.word(1))
            self.i += 4
            return ml
        return None

    def _strength(self) -> None:
        """'of the 1 mg/mL liquid', '(1 mg/mL)', 'of the 1.5 mg capsules': kept for the sig."""
        start = self.i
        bracket = self.phrase(("(",))
        if not bracket:
            self.phrase(("of",))
        self.phrase(("the",))
        self._noise()
        if self.kind() == "num" and self.word(1) in MG_WORDS:
            if self.word(2) in {"/", "per"} and self.word(3) in ML_WORDS:
                self.concentrations.append(Decimal(self.word()))
                self.i += 4
                while self._noise() or self.word() in LIQUID_WORDS:
                    if self.word() in LIQUID_WORDS:
                        self.i += 1
                if not bracket or self.phrase((")",)):
                    return
            elif self.word(2) in CAPSULE_WORDS:
                self.capsule_strengths.append(milligrams(Decimal(self.word()), "mg"))
                self.i += 3
                if not bracket or self.phrase((")",)):
                    return
        self.i = start
