"""The feed filter: every feed with its unread count; choosing one narrows the article list."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from newsroom_tui.store import FeedCounts
from newsroom_tui.ui.virtual_list import VirtualList

ALL_FEEDS_LABEL = "Alle Feeds"


class FeedList(VirtualList):
    """Row 0 is "all feeds", then one row per feed. Feed names are untrusted: shown as Text."""

    BINDINGS = [Binding("enter", "select", "Show feed")]
    DEFAULT_CSS = "FeedList { height: auto; }"

    class Selected(Message):
        def __init__(self, feed_id: int | None) -> None:
            super().__init__()
            self.feed_id = feed_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: dict[int, FeedCounts] = {}
        self._order: list[int] = []

    @property
    def row_count(self) -> int:
        return len(self._order) + 1

    @property
    def names(self) -> dict[int, str]:
        return {fid: c.feed.display_name for fid, c in self.counts.items()}

    @property
    def total_unread(self) -> int:
        return sum(c.unread for c in self.counts.values())

    @property
    def total(self) -> int:
        return sum(c.total for c in self.counts.values())

    def show_counts(self, counts: list[FeedCounts]) -> None:
        self.counts = {c.feed.id: c for c in counts}
        self._order = [c.feed.id for c in counts]
        self.border_title = f"Feeds ({len(counts)})"
        self.rows_changed()
        self.move_cursor(self.cursor_row)

    def adjust_unread(self, feed_id: int, delta: int) -> None:
        """Keep a count right after a single read/unread change, without a query."""
        current = self.counts.get(feed_id)
        if current is not None:
            unread = max(0, current.unread + delta)
            self.counts[feed_id] = FeedCounts(current.feed, current.total, unread)
            self.refresh()

    def feed_at(self, index: int) -> int | None:
        return self._order[index - 1] if 0 < index <= len(self._order) else None

    def selected(self) -> None:
        self.post_message(self.Selected(self.feed_at(self.cursor_row)))

    def row_is_strong(self, index: int) -> bool:
        return index == 0

    def render_row(self, index: int, width: int) -> Text | None:
        if index == 0:
            name, unread, error = ALL_FEEDS_LABEL, self.total_unread, False
        else:
            feed_id = self.feed_at(index)
            if feed_id is None:
                return None
            counts = self.counts[feed_id]
            name, unread, error = counts.feed.display_name, counts.unread, bool(counts.feed.error)
        text = Text(no_wrap=True, overflow="ellipsis")
        if error:
            text.append("✗ ", style="red")
        text.append(name, style="bold" if unread else "")
        if unread:
            text.append(f" ({unread})", style="dim")
        text.truncate(width, overflow="ellipsis")
        return text
