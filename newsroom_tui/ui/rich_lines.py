"""Rich renderables drawn into lines (``Strip``s) of a given width, for line-API widgets.

One console, writing nowhere, renders them; a hyperlink in a style becomes the segment's
``meta`` (:data:`LINK_META`, read by a click), never a terminal hyperlink: nothing from the
network is written to the terminal but the text.
"""

from __future__ import annotations

import io
import threading

from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.theme import Theme
from textual.strip import Strip

LINK_META = "link"  # the key of a link's target in a segment's meta

# Rich's Markdown styles, as the article pane wants them: headings bold (no underline, no
# box), links underlined (no colour of their own: the theme's text colour stays readable)
MARKDOWN_STYLES = Theme(
    {
        "markdown.h1": "bold",
        "markdown.h2": "bold",
        "markdown.h3": "bold",
        "markdown.h4": "bold",
        "markdown.h5": "bold",
        "markdown.h6": "bold",
        "markdown.link_url": "underline",
        "markdown.link": "underline",
        "markdown.code": "cyan",
        "markdown.block_quote": "italic",
    }
)

_consoles = threading.local()  # one console a thread: lines are rendered ahead in a thread


def the_console() -> Console:
    """The console lines are rendered with (this thread's)."""
    console: Console | None = getattr(_consoles, "console", None)
    if console is None:
        console = _consoles.console = Console(
            file=io.StringIO(),
            force_terminal=True,
            color_system="truecolor",
            theme=MARKDOWN_STYLES,
            width=80,
            legacy_windows=False,
        )
    return console


def render_lines(renderable: RenderableType, width: int) -> list[Strip]:
    """``renderable`` as lines ``width`` cells wide."""
    console = the_console()
    options = console.options.update(width=max(1, width), highlight=False)
    return [
        Strip(_linkless(line))
        for line in console.render_lines(renderable, options, pad=False, new_lines=False)
    ]


def _linkless(line: list[Segment]) -> list[Segment]:
    """The line with each link's target moved from the style's hyperlink (an escape sequence
    to the terminal) to its meta (read by a click)."""
    out = []
    for text, style, control in line:
        if style is not None and style.link:
            style = style.update_link(None) + Style.from_meta({LINK_META: style.link})
        out.append(Segment(text, style, control))
    return out
