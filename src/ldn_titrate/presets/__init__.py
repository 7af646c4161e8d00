"""Named protocol presets: request files shipped inside the package, each citing its source."""

from __future__ import annotations

import difflib
from functools import cache
from importlib import resources
from typing import Final, NamedTuple

from ldn_titrate.doses import format_concentration, format_mg, parse_concentration, parse_dose
from ldn_titrate.errors import LdnTitrateError, Phrase, Setting, spell
from ldn_titrate.request import Layer, Raw
from ldn_titrate.request_files import read_request_file

SUFFIX: Final = ".toml"


class Preset(NamedTuple):
    """One published protocol: its name and the request values it fills."""

    name: str
    values: dict[str, Raw]

    @property
    def source(self) -> str:
        """The URL the protocol is taken from."""
        return str(self.values["source"])


class PresetRow(NamedTuple):
    """A preset as one row of the listing: every cell is text, doses in ISMP form."""

    name: str
    start: str
    step: str
    every: str
    target: str
    form: str
    source: str
    steps: str = ""
    """Explicit steps as the preset writes them, in place of start, step and interval."""


class UnknownPresetError(LdnTitrateError, ValueError):
    """A preset name that is not shipped; the message lists the close names."""

    def __init__(self, name: str, close: list[str]) -> None:
        """Keep the name and the names that are close to it."""
        self.name = name
        self.close = close
        hint = (
            f"did you mean {', '.join(close)}?" if close else "'ldn-titrate protocols' lists them"
        )
        self.words: Phrase = (Setting("protocol", ""), f": no preset named {name!r}; {hint}")
        super().__init__(spell(self.words))


def names() -> tuple[str, ...]:
    """The names of every shipped preset, sorted."""
    return tuple(sorted(_all()))


@cache
def _all() -> dict[str, Preset]:
    folder = resources.files(__name__)
    found: dict[str, Preset] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(SUFFIX):
            name = entry.name.removesuffix(SUFFIX)
            text = entry.read_text(encoding="utf-8")
            found[name] = Preset(name, read_request_file(text, f"preset {name}"))
    return found


def load(name: str) -> Preset:
    """The preset of this name.

    Raises:
        UnknownPresetError: no such preset; it names the close ones.
    """
    preset = _all().get(name.strip().lower())
    if preset is None:
        close = difflib.get_close_matches(name.strip().lower(), names(), n=3, cutoff=0.5)
        raise UnknownPresetError(name, close)
    return preset


def preset_layer(preset: Preset) -> Layer:
    """The preset's values, named ``preset NAME: key`` in messages; lowest of the layers."""
    return Layer(
        dict(preset.values), {key: f"preset {preset.name}: {key}" for key in preset.values}
    )


def _dose(value: Raw | None) -> str:
    return "" if value is None else format_mg(parse_dose(str(value), "dose"))


def row(preset: Preset) -> PresetRow:
    """The preset as listed by ``ldn-titrate protocols``."""
    values = preset.values
    form = str(values.get("form", ""))
    if "concentration" in values:
        strength = parse_concentration(str(values["concentration"]), "concentration")
        form = f"{form} {format_concentration(strength)}"
    if "strengths" in values:
        listed = values["strengths"]
        items = listed if isinstance(listed, list) else str(listed).split(",")
        form = f"{form} {', '.join(_dose(item) for item in items)}"
    listed_steps = values.get("steps")
    steps = ", ".join(str(item) for item in listed_steps) if isinstance(listed_steps, list) else ""
    return PresetRow(
        steps=steps,
        name=preset.name,
        start=_dose(values.get("start")),
        step=_dose(values.get("step")),
        every=str(values.get("every", "")),
        target=_dose(values.get("target")),
        form=form,
        source=preset.source,
    )


def rows() -> list[PresetRow]:
    """Every preset as a listing row, by name."""
    return [row(_all()[name]) for name in names()]
