"""The HTML format: a self-contained patient handout to print, rendered by Jinja2.

The page fetches nothing and runs nothing: inline CSS, an inline SVG chart, no scripts. Every
text goes through Jinja2's autoescaping, so a label such as ``<script>`` shows as text.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Final

from ldn_titrate.formats import DEFAULT_OPTIONS, Format, WriteOptions
from ldn_titrate.formats.handout import handout
from ldn_titrate.version import __version__

if TYPE_CHECKING:
    import jinja2

    from ldn_titrate.model import Schedule

FORMAT: Final = Format.HTML
TEMPLATE: Final = "handout.html.j2"


@cache
def _template() -> jinja2.Template:
    """The page template, shipped inside the package and read through importlib.resources."""
    import jinja2  # noqa: PLC0415 - only this format needs the template engine

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("ldn_titrate.formats", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template(TEMPLATE)


def write(schedule: Schedule, options: WriteOptions = DEFAULT_OPTIONS) -> str:
    """The schedule as a printable HTML page for the patient."""
    return _template().render(page=handout(schedule, options), version=__version__)


dumps: Final = write
