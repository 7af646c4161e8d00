"""Options shared by the commands, declared once: the formulation and the output file."""

# No postponed annotations in this module: typer reads the annotations of every completion
# function below each time it builds a command, and a string annotation is compiled anew at
# each reading where a value is only looked up.
from collections.abc import Callable
from typing import Annotated

import typer

# The choices shell completion offers; a test holds them equal to the Form, Format and DoseTime
# enums, which are not imported here to keep start-up light.
FORMS = ("liquid", "capsule")
PLAN_FORMATS = ("table", "csv", "json", "fhir", "ics", "xlsx", "html", "sig")
CHECK_FORMATS = ("table", "json", "csv")
TIMES = ("bedtime", "morning")
INTENTS = ("proposal", "plan", "order")
PAPERS = ("a4", "letter")
DATE_ORDERS = ("dmy", "mdy")


def completer(choices: tuple[str, ...]) -> Callable[[str], list[str]]:
    """Shell completion of a closed set of choices."""

    def complete(incomplete: str) -> list[str]:
        return [c for c in choices if c.startswith(incomplete.lower())]

    return complete


def complete_preset(incomplete: str) -> list[str]:
    """Shell completion of the shipped presets' names (read only when completing)."""
    from ldn_titrate.presets import names  # noqa: PLC0415

    return [name for name in names() if name.startswith(incomplete.lower())]


FormOption = Annotated[
    str | None,
    typer.Option(
        metavar="FORM",
        autocompletion=completer(FORMS),
        help="liquid or capsule: the formulation the doses are measured or made in.",
    ),
]
ConcentrationOption = Annotated[
    str | None,
    typer.Option(
        metavar="C", help="Liquid strength in mg/mL, such as 1mg/mL (with --form liquid)."
    ),
]
GraduationOption = Annotated[
    str | None,
    typer.Option(metavar="G", help="Smallest syringe mark in mL, such as 0.1mL or 0.01mL."),
]
StrengthsOption = Annotated[
    str | None,
    typer.Option(
        metavar="S", help="Capsule strengths in mg, such as 1.5,0.5 (with --form capsule)."
    ),
]
BudOption = Annotated[
    str | None,
    typer.Option(
        metavar="DAYS", help="Beyond-use days of the preparation: no fill may last longer."
    ),
]
OutputOption = Annotated[
    str | None,
    typer.Option("--output", "-o", metavar="PATH", help="Write to this file ('-' for stdout)."),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
ConfigOption = Annotated[
    str | None,
    typer.Option(
        "--config",
        metavar="PATH",
        help="The config file of defaults ('none' for none). Default: $LDN_TITRATE_CONFIG, "
        "else config.toml in the user's settings folder.",
        show_default=False,
    ),
]
TimeOption = Annotated[
    str | None,
    typer.Option(
        metavar="TIME", help="bedtime (default) or morning.", autocompletion=completer(TIMES)
    ),
]
LabelOption = Annotated[
    str | None,
    typer.Option(metavar="TEXT", help="Free text naming the plan (initials, Rx number)."),
]
PrescriberOption = Annotated[
    str | None,
    typer.Option(metavar="TEXT", help="The prescriber's name, for printed pages (free text)."),
]
PharmacyOption = Annotated[
    str | None,
    typer.Option(metavar="TEXT", help="The dispensing pharmacy, for printed pages (free text)."),
]
MaxUnitsOption = Annotated[
    str | None, typer.Option(metavar="N", help="Most capsules in one dose (default 4).")
]
OverageOption = Annotated[
    str | None,
    typer.Option(
        metavar="PERCENT", help="Extra liquid for loss in measuring, in percent (default 0)."
    ),
]
PlanFormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="FORMAT",
        help="table (default), csv, json, fhir, ics, xlsx or html.",
        autocompletion=completer(PLAN_FORMATS),
    ),
]
IntentOption = Annotated[
    str | None,
    typer.Option(
        metavar="INTENT",
        help="With --format fhir: proposal (default), plan or order.",
        autocompletion=completer(INTENTS),
    ),
]
PatientIdOption = Annotated[
    str | None,
    typer.Option(
        metavar="ID",
        help="With --format fhir: the patient's FHIR id, written as subject Patient/ID.",
    ),
]
PrescriberIdOption = Annotated[
    str | None,
    typer.Option(
        metavar="ID",
        help="With --format fhir: the prescriber's FHIR id, written as requester "
        "Practitioner/ID (or a reference such as PractitionerRole/ID, as given).",
    ),
]
PaperOption = Annotated[
    str | None,
    typer.Option(
        metavar="PAPER",
        help="With --format xlsx or html: the paper printed on, a4 (default) or letter.",
        autocompletion=completer(PAPERS),
    ),
]
RemindOption = Annotated[
    str | None,
    typer.Option(
        metavar="HH:MM",
        help="With --format ics: a reminder at that time each day; for morning and bedtime "
        "doses, one time each, morning first: 08:00,21:00.",
    ),
]
