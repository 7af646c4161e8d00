"""Every clinical and input limit, in one place, each with its source."""

from decimal import Decimal
from typing import Final

# The target band of low-dose naltrexone: 0.5 mg to 4.5 mg.
# Ceiling: "The maximum dose is 4.5 mg" https://e-med.co.uk/ldn_dosage.php ; trial cap
# "not to exceed 4.5 mg" https://trials.co/clinical-trials-details/-/NCT00715117
TARGET_MIN_MG: Final = Decimal("0.5")
TARGET_MAX_MG: Final = Decimal("4.5")

# Starts below 0.5 mg are published (0.25 mg Hashimoto start, HDRx, https://www.hdrx.com/ldn-dosing);
# the LDN Research Trust guide calls 0.1-0.5 mg "very low dose"
# https://studylib.net/doc/27218742/dosing-info-2021 . Below 0.1 mg is microgram (ULDN) practice.
START_MIN_MG: Final = Decimal("0.1")
START_MAX_MG: Final = Decimal("4.5")
VERY_LOW_DOSE_BELOW_MG: Final = Decimal("0.5")

# A step may not exceed the whole LDN band; no published protocol steps by more than 1.5 mg
# (P2, P5, P6, P9: +1.5 mg, https://ldnnaltrexone.com/how-to-use-ldn).
STEP_MAX_MG: Final = Decimal("4.5")
LARGE_STEP_ABOVE_MG: Final = Decimal("1.5")

# Doses are prepared on a 3-decimal-place balance
# (https://www.medisca.com/blog/ldn-the-hidden-dangers-of-at-home-compounding).
MAX_DECIMAL_PLACES: Final = 3
MAX_STEPS: Final = 100

# Intervals: 1 day to 26 weeks. No published LDN protocol moves faster than every 3 days
# (P10, https://thecompounder.com/sleep-disturbances-with-ldn/).
INTERVAL_MIN_DAYS: Final = 1
INTERVAL_MAX_DAYS: Final = 182
INTERVAL_MAX_WEEKS: Final = 26
# Five calendar months is the longest month interval that never exceeds 26 weeks (153 days).
INTERVAL_MAX_MONTHS: Final = 5
FAST_INTERVAL_BELOW_DAYS: Final = 3

# Standard-dose naltrexone tablets are 50 mg, not LDN
# (https://www.pdr.net/drug-summary/Vivitrol-naltrexone-1199).
STANDARD_DOSE_MG: Final = Decimal(50)

MAINTENANCE_DAYS_MAX: Final = 3660
LABEL_MAX_CHARS: Final = 200
