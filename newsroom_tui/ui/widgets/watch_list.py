"""The watchlists above the feeds, each with its unread matches; choosing one lists them."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from newsroom_tui.store import WatchCounts
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.widgets.virtual_list import FoldingList

WATCH_MARK = "◆"


class WatchList(FoldingList):
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

    def render_line(self, y: int) -> Strip:
        if not self.closed:
            return super().render_line(y)
        # closed: every watchlist on the one line, with its count
        width = self.scrollable_content_region.width
        base = self.rich_style
        line = Text(no_wrap=True, overflow="ellipsis")
        for index in range(len(self.counts)):
            row = self.render_row(index, width)
            if row is not None:
                line.append_text(Text("  ") if index else Text())
                if self.row_is_strong(index):
                    row.stylize("bold")
                line.append_text(row)
        line.truncate(width, overflow="ellipsis")
        segments = Segment.apply_style(line.render(self.app.console), base)
        return Strip(list(segments)).crop_extend(0, width, base)

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
