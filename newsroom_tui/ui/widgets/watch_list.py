"""The watchlists above the feeds, each with its unread matches; choosing one lists them."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from newsroom_tui.store import WatchCounts
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.widgets.virtual_list import VirtualList

WATCH_MARK = "◆"


class WatchList(VirtualList):
    """One row per watchlist; hidden while there are none. Names are shown as Text."""

    BINDINGS = [Binding("enter", "select", tr("Show matches"))]
    DEFAULT_CSS = "WatchList { height: auto; }"

    class Selected(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: list[WatchCounts] = []

    @property
    def row_count(self) -> int:
        return len(self.counts)

    @property
    def names(self) -> list[str]:
        return [c.watchlist.name for c in self.counts]

    def show_counts(self, counts: list[WatchCounts]) -> None:
        self.counts = counts
        self.display = bool(counts)
        unread = sum(c.unread for c in counts)
        self.border_title = tr("Watchlists ({n} new)", n=unread) if unread else tr("Watchlists")
        self.rows_changed()
        self.move_cursor(self.cursor_row)

    def selected(self) -> None:
        if 0 <= self.cursor_row < len(self.counts):
            self.post_message(self.Selected(self.counts[self.cursor_row].watchlist.name))

    def row_is_strong(self, index: int) -> bool:
        return 0 <= index < len(self.counts) and self.counts[index].unread > 0

    def render_row(self, index: int, width: int) -> Text | None:
        if not 0 <= index < len(self.counts):
            return None
        counts = self.counts[index]
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{WATCH_MARK} ", style="bold yellow")
        text.append(counts.watchlist.name, style="bold" if counts.unread else "")
        if counts.unread:
            text.append(f" ({counts.unread})", style="dim")
        text.truncate(width, overflow="ellipsis")
        return text
