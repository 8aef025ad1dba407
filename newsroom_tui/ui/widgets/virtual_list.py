"""A one-line-per-row list that renders only the rows on screen (Textual's line API).

Subclasses say how many rows there are and how one row looks; this class owns the cursor,
scrolling, keys and mouse. Rows are ``Text``: untrusted strings are never parsed as markup.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class VirtualList(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
    ]
    COMPONENT_CLASSES = {"virtual-list--cursor", "virtual-list--strong"}
    DEFAULT_CSS = """
    VirtualList > .virtual-list--cursor { background: $block-cursor-blurred-background; }
    VirtualList:focus > .virtual-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    VirtualList > .virtual-list--strong { text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._cursor = 0
        self._empty_text = ""  # the first line while there are no rows
        self._pass_style: Style | None = None  # the base style, while lines are drawn

    # what subclasses provide -------------------------------------------------------------

    @property
    def row_count(self) -> int:
        raise NotImplementedError

    def render_row(self, index: int, width: int) -> Text | None:
        raise NotImplementedError

    def row_is_strong(self, index: int) -> bool:
        """Rows drawn in bold (unread ones)."""
        return False

    def cursor_moved(self) -> None:
        """Called after the cursor moved (or was reset)."""

    def cursor_on_row(self) -> bool:
        """Is the cursor drawn on its row (rather than waiting between two rows)?"""
        return True

    def viewport_changed(self) -> None:
        """Called when other rows may come on screen (scrolled, resized, rows changed),
        before they are drawn: the place to read them, since drawing only looks them up."""

    def selected(self) -> None:
        """Called on Enter or double click."""

    @property
    def empty_text(self) -> str:
        """What the list says while it has no rows (why, and what to do)."""
        return self._empty_text

    @empty_text.setter
    def empty_text(self, text: str) -> None:
        self._empty_text = text
        self.refresh()

    # cursor ------------------------------------------------------------------------------

    @property
    def cursor_row(self) -> int:
        return self._cursor

    def rows_changed(self) -> None:
        """Call after the number or content of rows changed."""
        self.virtual_size = Size(self.size.width, self.row_count)
        self.viewport_changed()
        self.refresh()

    def move_cursor(self, row: int, *, force: bool = False) -> None:
        count = self.row_count
        row = max(0, min(row, count - 1)) if count else 0
        old = self._cursor
        changed = row != old
        self._cursor = row
        top = round(self.scroll_y)
        self._scroll_to_cursor()
        if round(self.scroll_y) != top:
            self.refresh()  # scrolled: every line
        else:  # only the two lines the cursor left and reached are drawn again (j, k)
            self.refresh_line(old)
            self.refresh_line(row)
        if changed or force:
            self.cursor_moved()

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height or 1
        top = round(self.scroll_y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + height:
            self.scroll_to(y=self._cursor - height + 1, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self._cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.move_cursor(self._cursor - max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.row_count - 1)

    def action_select(self) -> None:
        if self.row_count:
            self.selected()

    def on_click(self, event: Click) -> None:
        row = round(self.scroll_y) + event.y
        if 0 <= row < self.row_count:
            self.move_cursor(row)
            if event.chain > 1:
                self.action_select()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.row_count)
        self._scroll_to_cursor()
        self.viewport_changed()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.viewport_changed()

    # rendering ---------------------------------------------------------------------------

    def rows_will_render(self, width: int) -> None:
        """Called before the lines of one drawing are rendered: the place to work out
        what all rows share (column widths)."""

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line shares is looked up once per drawing, not once per line: the
        # base style walks all ancestors' styles (a third of a row's cost).
        self._pass_style = self.rich_style
        self.rows_will_render(self.scrollable_content_region.width)
        try:
            return super().render_lines(crop)
        finally:
            self._pass_style = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        base = self._pass_style or self.rich_style
        text = self.render_row(index, width) if 0 <= index < self.row_count else None
        if text is None and index == 0 and not self.row_count and self._empty_text:
            text = Text(f" {self._empty_text}", style="dim", no_wrap=True, overflow="ellipsis")
            segments = Segment.apply_style(text.render(self.app.console), base)
            return Strip(list(segments)).crop_extend(0, width, base)
        if text is None:
            return Strip.blank(width, base)
        style: Style = base
        if self.row_is_strong(index):
            style += self.get_component_rich_style("virtual-list--strong", partial=True)
        if index == self._cursor and self.cursor_on_row():
            style += self.get_component_rich_style("virtual-list--cursor")
        segments = Segment.apply_style(text.render(self.app.console), style)
        return Strip(list(segments)).crop_extend(0, width, style)

    def get_line_plain(self, index: int) -> str:
        """A row as plain text (for tests and screen readers)."""
        text = self.render_row(index, self.scrollable_content_region.width)
        return text.plain if text is not None else ""


class FoldingList(VirtualList):
    """A sidebar list drawn as one line while it is one line high and not focused
    (``closed``); a click on that line opens it (gives it the focus)."""

    @property
    def closed(self) -> bool:
        """Drawn as one line (not focused)."""
        return self.size.height == 1 and not self.has_focus

    def on_click(self, event: Click) -> None:
        if self.closed:  # opens it
            event.stop()
            self.focus()
        else:
            super().on_click(event)
