"""Every clinical and input limit, in one place, each with its source."""

from datetime import date
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

# Oral liquids. 1 mg/mL is "the most commonly used type" (https://ldnresearchtrust.org/types-of-ldn);
# 5 mg/mL, where 0.1 mL = 0.5 mg (https://ldnresearchtrust.org/how-do-you-increase-dose-low-dose-naltrexone-ldn);
# 0.5 mg/mL (https://ldnresearchtrust.org/types-of-ldn); 2 and 2.5 mg/mL are the usual
# in-between strengths a compounder offers.
USUAL_CONCENTRATIONS_MG_PER_ML: Final = tuple(Decimal(c) for c in ("0.5", "1", "2", "2.5", "5"))
CONCENTRATION_MIN_MG_PER_ML: Final = Decimal("0.1")
CONCENTRATION_MAX_MG_PER_ML: Final = Decimal(10)
# Oral syringes: 0.1 mL marks on a 3 mL syringe, 0.01 mL on a 1 mL syringe
# (https://www.coursehero.com/file/p1gb495/Important-point-For-liquid-dosages-1-mL-round-to-the-nearest-hundredth-Look-at/).
DEFAULT_GRADUATION_ML: Final = Decimal("0.1")
FINE_GRADUATION_ML: Final = Decimal("0.01")
GRADUATION_MAX_ML: Final = Decimal(1)

# Capsules are compounded in custom strengths: 0.5, 1, 1.5, 3, 3.5 and 4.5 mg are all sold
# (https://ldnnaltrexone.com/how-to-use-ldn ; https://clique2click.com/low-dose-naltrexone-ms/ ;
# https://medicalmojo.co.uk/product/low-dose-naltrexone-0-5mg-capsules/ ;
# https://trials.co/clinical-trials-details/-/NCT05430152).
CAPSULE_STRENGTHS_TO_SUGGEST_MG: Final = tuple(
    Decimal(s) for s in ("4.5", "4", "3.5", "3", "2.5", "2", "1.5", "1", "0.75", "0.5", "0.25")
)
DEFAULT_MAX_UNITS: Final = 4
MAX_UNITS_LIMIT: Final = 10
MAX_STRENGTHS: Final = 6

# Beyond-use dates: 14 days (USP <795> non-preserved aqueous) up to 1 year (capsules with
# stability data, https://ldnresearchtrust.org/use-and-utility-low-dose-naltrexone-capsules-patients-fibromyalgia-abstract).
BUD_MAX_DAYS: Final = 365
# An ongoing target step is counted as a 30-day supply in the dispensing summary.
ONGOING_SUPPLY_DAYS: Final = 30
OVERAGE_MAX_PERCENT: Final = Decimal(50)

# Day 1 of a plan: any plan in this range ends long before the calendar does (100 steps of
# 5 months plus 3,660 maintenance days is under 52 years).
FIRST_DAY_MIN: Final = date(1900, 1, 1)
FIRST_DAY_MAX: Final = date(2999, 12, 31)

# Split doses: a morning dose beside the bedtime dose. The LDN Research Trust adds a separate
# daytime dose (https://ldnresearchtrust.org/low-dose-naltrexone-ldn-titration) and defines low
# dose as a "daily dose (or split doses)" (https://studylib.net/doc/27218742/dosing-info-2021);
# the Norwegian guidance splits a dose in two, 12 hours apart
# (https://sites.google.com/view/ldnno/dosering). Every daily limit applies to the sum.
SPLIT_PARTS: Final = 2

# Weight-based targets: 0.1 mg/kg, not to exceed 4.5 mg, in the paediatric Crohn's trial
# (https://trials.co/clinical-trials-details/-/NCT00715117 ; review table,
# https://pmc.ncbi.nlm.nih.gov/articles/PMC8475793/table/i1551-6776-26-7-675-t11).
DEFAULT_MG_PER_KG: Final = Decimal("0.1")
# The ceiling of 0.2 mg/kg is a proposal, not a published figure: no LDN source gives more than
# 0.1 mg/kg, and higher mg/kg figures in circulation (a clinic blog's 0.1-0.5 mg/kg,
# https://www.directintegrativecare.com/post/optimizing-your-child-s-health-with-ldn) sit beside
# standard-dose naltrexone figures for autism (5 to 50 mg,
# https://ldnresearchtrust.org/low-dose-naltrexone-ldn-mood-regulation-and-immunomodulation-asd-news).
MG_PER_KG_MAX: Final = Decimal("0.2")
# Input bounds on a body weight, not clinical figures: they catch a slipped digit or a unit.
WEIGHT_MIN_KG: Final = Decimal(1)
WEIGHT_MAX_KG: Final = Decimal(200)
# The target from a weight is rounded down to 0.1 mg, so that it never exceeds weight x mg/kg
# and is drawn on a 0.1 mL mark of a 1 mg/mL liquid, "the most commonly used type"
# (https://ldnresearchtrust.org/types-of-ldn).
WEIGHT_TARGET_STEP_MG: Final = Decimal("0.1")

# Restarting after a pause (LDN Research Trust clinician): restart where the patient left off;
# after a pause of more than about 3-4 weeks, back down and work up again; after a long gap,
# start over: https://ldnresearchtrust.org/if-patient-stops-ldn-low-dose-naltrexone-ldn-do-they-have-re-titrate
# The page gives no figure for "a short pause"; 7 days without a dose is this tool's default for
# continuing at the last dose, and 28 days (4 weeks) the end of "back down one step".
PAUSE_CONTINUE_MAX_DAYS: Final = 7
PAUSE_STEP_DOWN_MAX_DAYS: Final = 28
# The thresholds an option may set: a pause is measured in whole days, at most a year or two
# ("after a gap of a year or two, start over", the page above).
PAUSE_THRESHOLD_MAX_DAYS: Final = 730
# The back-down hold in days: at most a whole interval of a slow protocol many times over.
HOLD_MAX_DAYS: Final = 365
