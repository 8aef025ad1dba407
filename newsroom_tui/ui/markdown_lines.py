"""An article body's Markdown rendered by Rich into lines (``Strip``s) of a given width.

Textual's Markdown widget builds a widget per block and lays each out: some 200 ms for a
press release, seconds for a long one. Here the body is parsed (markdown-it, as Rich parses
it) and rendered into plain lines that a line-API widget draws (``widgets/article_body.py``);
what was rendered is kept (:data:`CACHE_CHUNKS` chunks), so ``j``/``k`` back to an article
costs a dictionary look-up.

Headings are bold and left-aligned. Slow to import
(markdown-it, Pygments): the pane imports it in a thread after the first frame.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import Heading, ImageItem, Markdown
from rich.text import Text
from textual.strip import Strip

from newsroom_tui.ui.rich_lines import render_lines

CACHE_CHUNKS = 512  # rendered chunks kept (at some 6,000 characters each, a few MB at most)

# Whatever the stored body holds (old caches, a bug upstream): no control character nor
# escape reaches the terminal; tab and newline are the Markdown's own.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class _LeftHeading(Heading):
    """Every heading level left-aligned: an article, not a title page."""

    LEVEL_ALIGN = dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), "left")


class _Image(ImageItem):
    """An image inside the text: its description (the gallery below shows the picture)."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        title = self.text or Text(self.destination.strip("/").rsplit("/", 1)[-1])
        yield Text.assemble("▣ ", title, end="")


class _Body(Markdown):
    elements = {**Markdown.elements, "heading_open": _LeftHeading, "image": _Image}


_cache: OrderedDict[tuple[int, str], list[Strip]] = OrderedDict()
_cache_lock = threading.Lock()  # the pane renders on the event loop, the articles ahead not


def is_rendered(markdown: str, width: int) -> bool:
    """Are ``markdown``'s lines at ``width`` kept (a look-up away)?"""
    with _cache_lock:
        return (width, markdown) in _cache


def render_markdown(markdown: str, width: int) -> list[Strip]:
    """``markdown`` as lines ``width`` cells wide, kept: the same text at the same width
    again costs a look-up."""
    key = (width, markdown)
    with _cache_lock:
        lines = _cache.get(key)
        if lines is not None:
            _cache.move_to_end(key)
            return lines
    lines = render_lines(_Body(_CONTROL.sub("", markdown), hyperlinks=True), width)
    with _cache_lock:
        _cache[key] = lines
        if len(_cache) > CACHE_CHUNKS:
            _cache.popitem(last=False)
    return lines
