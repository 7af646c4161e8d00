"""The words of the directions grammar: units, times of day, and the words that refuse.

Each table is what the grammar knows; a word in none of them stops the reading.
"""

from __future__ import annotations

from typing import Final

from ldn_titrate.dates import Interval, IntervalUnit
from ldn_titrate.model import DoseTime

UNITS: Final = {
    **dict.fromkeys(("day", "days", "d", "night", "nights"), IntervalUnit.DAYS),
    **dict.fromkeys(("week", "weeks", "wk", "wks", "w"), IntervalUnit.WEEKS),
    **dict.fromkeys(("month", "months", "mo", "mos"), IntervalUnit.MONTHS),
}
# "1/52" is a week and "2/7" two days in British prescriptions; "1/12" a month.
FRACTION_UNITS: Final = {
    "7": IntervalUnit.DAYS,
    "52": IntervalUnit.WEEKS,
    "12": IntervalUnit.MONTHS,
}
ADVERBS: Final = {
    "weekly": Interval(1, IntervalUnit.WEEKS),
    "fortnightly": Interval(2, IntervalUnit.WEEKS),
    "monthly": Interval(1, IntervalUnit.MONTHS),
}
# Phrases by their words: what each says about the step. Longest first where they share words.
TIMES: Final = (
    (("in", "the", "morning"), DoseTime.MORNING),
    (("every", "morning"), DoseTime.MORNING),
    (("each", "morning"), DoseTime.MORNING),
    (("mane",), DoseTime.MORNING),
    (("at", "bed", "time"), DoseTime.BEDTIME),
    (("at", "bedtime"), DoseTime.BEDTIME),
    (("before", "bedtime"), DoseTime.BEDTIME),
    (("before", "bed"), DoseTime.BEDTIME),
    (("at", "night"), DoseTime.BEDTIME),
    (("every", "night"), DoseTime.BEDTIME),
    (("each", "night"), DoseTime.BEDTIME),
    (("nightly",), DoseTime.BEDTIME),
    (("nocte",), DoseTime.BEDTIME),
    (("qhs",), DoseTime.BEDTIME),
)
NOISE: Final = (
    ("once", "daily"),
    ("once", "a", "day"),
    ("once", "per", "day"),
    ("every", "day"),
    ("each", "day"),
    ("a", "day"),
    ("per", "day"),
    ("daily",),
    ("by", "mouth"),
    ("taken",),
    ("orally",),
    ("po",),
    ("of", "low", "-", "dose", "naltrexone"),
    ("of", "low", "dose", "naltrexone"),
    ("of", "naltrexone"),
    ("of", "ldn"),
    ("low", "-", "dose", "naltrexone"),
    ("low", "dose", "naltrexone"),
    ("naltrexone",),
    ("ldn",),
)
ONGOING: Final = (
    ("until", "further", "notice"),
    ("thereafter",),
    ("ongoing",),
    ("indefinitely",),
    ("onwards",),
)
CONDITIONAL: Final = frozenset(
    {
        "as", "tolerated", "tolerate", "tolerance", "if", "needed", "prn", "directed", "unless",
        "until", "side", "effects", "symptoms", "may", "can", "could", "when", "depending",
        "gradually", "slowly", "response", "improve", "improves", "benefit", "maximum", "max",
        "sleep", "dreams", "up",
    }
)  # fmt: skip
FREQUENCY: Final = frozenset(
    {
        "twice", "thrice", "bid", "bd", "bds", "tid", "tds", "qid", "qds", "times", "hourly",
        "hours", "hrs", "hr", "h", "alternate", "other", "qod", "am", "pm", "weekly",
        "fortnightly", "monthly", "q", "once",
    }
)  # fmt: skip
ISMP: Final = {
    "qd": "QD is an error-prone abbreviation (ISMP): write 'daily'",
    "od": "OD is an error-prone abbreviation (ISMP): write 'daily'",
    "hs": "HS is an error-prone abbreviation (ISMP): write 'at bedtime'",
    "ug": "write micrograms as mcg, never ug",
    "cc": "write volumes in mL, never cc",
}
LIQUID_WORDS: Final = frozenset({"liquid", "suspension", "solution", "oral"})
TWO_TIMES: Final = "two times of day for one dose: write 'A mg in the morning and B mg at bedtime'"
DAY_PARTS: Final = frozenset({"evening", "afternoon", "noon", "lunchtime", "dinner", "supper"})
CHANGE: Final = {"increase": 1, "decrease": -1, "reduce": -1, "taper": -1}
CONTINUE: Final = frozenset({"continue", "stay", "remain", "resume", "restart"})
