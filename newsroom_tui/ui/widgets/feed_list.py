"""The feed filter: every feed with its unread count; choosing one narrows the article list."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from newsroom_tui.store import FeedCounts
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.widgets.virtual_list import FoldingList


class FeedList(FoldingList):
    """Row 0 is "all feeds", then one row per feed. Feed names are untrusted: shown as Text."""

    BINDINGS = [Binding("enter", "select", tr("Show feed"))]
    DEFAULT_CSS = "FeedList { height: auto; }"

    class Selected(Message):
        """A feed, a category (with its sub-categories), or both None for all feeds."""

        def __init__(self, feed_id: int | None, category: str | None = None) -> None:
            super().__init__()
            self.feed_id = feed_id
            self.category = category

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: dict[int, FeedCounts] = {}
        # rows after "all feeds": ("category", name) or ("feed", id)
        self._rows: list[tuple[str, str | int]] = []
        self.counted = False  # the counts came (the first frame has none yet)
        # a list of stories: its totals (stories, unread ones) and each category's unread
        # stories, counted apart (a story told by two feeds is one); None: sums of the feeds'
        self.story_totals: tuple[int, int] | None = None
        self.story_categories: dict[str, int] = {}

    @property
    def row_count(self) -> int:
        return len(self._rows) + 1

    @property
    def categories(self) -> list[str]:
        return [str(key) for kind, key in self._rows if kind == "category"]

    @property
    def names(self) -> dict[int, str]:
        return {fid: c.feed.display_name for fid, c in self.counts.items()}

    @property
    def total_unread(self) -> int:
        if self.story_totals is not None:
            return self.story_totals[1]
        return sum(c.unread for c in self.counts.values())

    @property
    def total(self) -> int:
        if self.story_totals is not None:
            return self.story_totals[0]
        return sum(c.total for c in self.counts.values())

    def count_stories(self, totals: tuple[int, int] | None, categories: dict[str, int]) -> None:
        """The totals and categories' unread counts of a list of stories (None: of articles,
        the feeds' sums)."""
        self.story_totals = totals
        self.story_categories = dict(categories)
        self.refresh()

    def show_counts(self, counts: list[FeedCounts]) -> None:
        self.counts = {c.feed.id: c for c in counts}
        self.counted = True
        by_category: dict[str, list[int]] = {}
        loose: list[int] = []
        for c in counts:
            if c.feed.category:
                by_category.setdefault(c.feed.category, []).append(c.feed.id)
            else:
                loose.append(c.feed.id)
        self._rows = []
        for category in sorted(by_category, key=str.casefold):
            self._rows.append(("category", category))
            self._rows += [("feed", fid) for fid in by_category[category]]
        self._rows += [("feed", fid) for fid in loose]
        self.border_title = f"{tr('Feeds')} ({len(counts)})"
        self.rows_changed()
        self.move_cursor(self.cursor_row)

    def update_counts(self, counts: list[FeedCounts]) -> bool:
        """Take new counts for some feeds (a poll's progress) without rebuilding the rows;
        False when one of them is new or changed category: then show_counts is needed."""
        for c in counts:
            known = self.counts.get(c.feed.id)
            if known is None or known.feed.category != c.feed.category:
                return False
        for c in counts:
            self.counts[c.feed.id] = c
        self.refresh()
        return True

    def adjust_unread(self, feed_id: int, delta: int) -> None:
        """Keep a count right after a single read/unread change, without a query."""
        current = self.counts.get(feed_id)
        if current is not None:
            unread = max(0, current.unread + delta)
            self.counts[feed_id] = FeedCounts(current.feed, current.total, unread)
            if self.story_totals is not None:
                total, left = self.story_totals
                self.story_totals = (total, max(0, left + delta))
            category = current.feed.category
            for name in list(self.story_categories):
                if category is not None and (category + "/").startswith(name + "/"):
                    self.story_categories[name] = max(0, self.story_categories[name] + delta)
            self.refresh()

    def move_cursor(self, row: int, *, force: bool = False) -> None:
        super().move_cursor(row, force=force)
        if self.closed:  # its one line shows the cursor's row, whichever rows were redrawn
            self.refresh()

    def render_line(self, y: int) -> Strip:
        if self.closed:  # the feed chosen, whatever the scrolling
            y += self.cursor_row - round(self.scroll_y)
        return super().render_line(y)

    def _row(self, index: int) -> tuple[str, str | int] | None:
        return self._rows[index - 1] if 0 < index <= len(self._rows) else None

    def feed_at(self, index: int) -> int | None:
        row = self._row(index)
        return int(row[1]) if row and row[0] == "feed" else None

    def selected(self) -> None:
        row = self._row(self.cursor_row)
        if row and row[0] == "category":
            self.post_message(self.Selected(None, str(row[1])))
        else:
            self.post_message(self.Selected(self.feed_at(self.cursor_row)))

    def category_unread(self, category: str) -> int:
        if self.story_totals is not None and category in self.story_categories:
            return self.story_categories[category]
        return sum(
            c.unread
            for c in self.counts.values()
            if c.feed.category == category or (c.feed.category or "").startswith(category + "/")
        )

    def row_is_strong(self, index: int) -> bool:
        row = self._row(index)
        return index == 0 or (row is not None and row[0] == "category")

    def render_row(self, index: int, width: int) -> Text | None:
        row = self._row(index)
        indent = ""
        if index == 0:
            name, unread, error = tr("All feeds"), self.total_unread, False
        elif row is None:
            return None
        elif row[0] == "category":
            name, unread, error = f"▾ {row[1]}", self.category_unread(str(row[1])), False
        else:
            counts = self.counts[int(row[1])]
            name, unread, error = counts.feed.display_name, counts.unread, bool(counts.feed.error)
            indent = "  " if counts.feed.category else ""
        text = Text(indent, no_wrap=True, overflow="ellipsis")
        if error:
            text.append("✗ ", style="red")
        text.append(name, style="bold" if unread else "")
        if unread:
            text.append(f" ({unread})", style="dim")
        text.truncate(width, overflow="ellipsis")
        return text
