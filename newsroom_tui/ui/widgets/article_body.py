"""The article's body as lines (Textual's line API): Markdown rendered by Rich, a chunk at a
time, drawn only where it is on screen.

Until the renderer is loaded (after the first frame: markdown-it and Rich's Markdown take a
while to import) the body is its plain preview (``body_preview``); then the same widget
shows the rendered Markdown. No widget per block, no layout per block: the pane's height
is the number of lines.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rich.style import Style
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widget import Widget

from newsroom_tui.text.markdown_links import TITLED_TARGET, markdown_links
from newsroom_tui.ui.body_preview import preview_text
from newsroom_tui.ui.rich_lines import LINK_META, render_lines

Render = Callable[[str, int], list[Strip]]  # Markdown and a width: the lines


class ArticleBody(Widget):
    """Chunks of Markdown, rendered at the widget's width as they are added."""

    DEFAULT_CSS = "ArticleBody { height: auto; }"
    # Its size is its lines' number, set by the layout that places it: no second layout
    # (and drawing) a frame later for that (see ArticleView.virtual_size)
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)

    class LinkClicked(Message):
        """A click on a link's text (``href``: its target, not yet checked)."""

        def __init__(self, href: str) -> None:
            super().__init__()
            self.href = href

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._chunks: list[str] = []  # Markdown, as shown (link numbers and search marks in)
        self._renderer: Render | None = None  # the Markdown renderer, once imported
        self._lines: list[Strip] = []
        self._width = 0  # what _lines were rendered for
        self._rendered = 0  # chunks in _lines
        self._pass_style: Style | None = None  # the base style, while lines are drawn

    @property
    def source(self) -> str:
        """The Markdown shown, chunks joined as one document."""
        return "\n\n".join(self._chunks)

    @property
    def renderer_loaded(self) -> bool:
        return self._renderer is not None

    @property
    def renderer(self) -> Render | None:
        """The Markdown renderer (None until it is imported); safe in a thread."""
        return self._renderer

    def use_renderer(self, renderer: Render) -> None:
        """The Markdown renderer is imported: draw the body with it from now on."""
        self._renderer = renderer
        self._invalidate()

    def show(self, chunks: list[str]) -> None:
        self._chunks = list(chunks)
        self._invalidate()

    def append(self, chunk: str) -> None:
        self._chunks.append(chunk)
        self.refresh(layout=True)

    def _invalidate(self) -> None:
        self._lines = []
        self._width = 0
        self._rendered = 0
        self.refresh(layout=True)

    def _render_to(self, width: int) -> list[Strip]:
        """The lines at ``width``: rendered chunks kept, new chunks added."""
        if width != self._width:
            self._lines, self._width, self._rendered = [], width, 0
        if self._rendered < len(self._chunks):
            render = self._renderer or _preview_lines
            for chunk in self._chunks[self._rendered :]:
                if self._lines:
                    self._lines.append(Strip.blank(width))
                self._lines.extend(render(chunk, width))
            self._rendered = len(self._chunks)
        return self._lines

    @property
    def lines(self) -> list[Strip]:
        """What is drawn (rendered at the current width)."""
        return self._render_to(max(1, self.size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._render_to(max(1, width)))

    def render_lines(self, crop: Region) -> list[Strip]:
        # the base style walks every ancestor's styles: looked up once a drawing, not a line
        self._pass_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._pass_style = None

    def render_line(self, y: int) -> Strip:
        lines = self._render_to(max(1, self.size.width))
        width = self.size.width
        style = self._pass_style or self.rich_style
        if not 0 <= y < len(lines):
            return Strip.blank(width, style)
        return lines[y].crop_extend(0, width, None).apply_style(style)

    def on_click(self, event: Click) -> None:
        href = event.style.meta.get(LINK_META) if event.style else None
        if isinstance(href, str):
            event.stop()
            self.post_message(self.LinkClicked(href))


def numbered_links(markdown: str, numbers: Mapping[str, int]) -> str:
    """``markdown`` with `` [n]`` after each link whose target has number ``n`` (the links
    dialog's numbering)."""
    if not numbers or "](" not in markdown:
        return markdown
    out: list[str] = []
    pos = 0
    for link in markdown_links(markdown, TITLED_TARGET):
        number = numbers.get(link.target.strip("<>"))
        if number is None:
            continue
        out.append(markdown[pos : link.end])
        out.append(f" \\[{number}\\]")
        pos = link.end
    out.append(markdown[pos:])
    return "".join(out)


def _preview_lines(markdown: str, width: int) -> list[Strip]:
    return render_lines(preview_text(markdown), width)
