"""The article list: announcements newest first, loaded on demand from the store.

Only the rows on screen are read from SQLite (in pages), so a cache of 100,000 articles opens
as fast as one of ten.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from newsroom_tui.article_format import format_date
from newsroom_tui.models import ArticleSummary
from newsroom_tui.store import ALL_ARTICLES, ArticleFilter, Store, StoreError
from newsroom_tui.ui.virtual_list import VirtualList

UNREAD_MARK = "●"
FLAG_MARK = "⚑"
PAGE = 200


class ArticleList(VirtualList):
    BINDINGS = [
        Binding("enter", "select", "Read"),
        # As in mutt and newsboat: the list keeps the cursor, the article pages on.
        # The list itself pages with ctrl+f / ctrl+b.
        Binding("space,pagedown", "app.scroll_article(1)", "Scroll article", show=False),
        Binding("pageup", "app.scroll_article(-1)", "Scroll article back", show=False),
    ]
    FEED_WIDTH = 14

    class Highlighted(Message):
        def __init__(self, article_id: int | None) -> None:
            super().__init__()
            self.article_id = article_id

    class Selected(Message):
        def __init__(self, article_id: int) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._store: Store | None = None
        self._filter: ArticleFilter = ALL_ARTICLES
        self._count = 0
        self._pages: dict[int, list[ArticleSummary]] = {}

    @property
    def row_count(self) -> int:
        return self._count

    def row_at(self, index: int) -> ArticleSummary | None:
        if self._store is None or not 0 <= index < self._count:
            return None
        page = index // PAGE
        if page not in self._pages:
            try:
                self._pages[page] = self._store.articles(
                    self._filter, limit=PAGE, offset=page * PAGE
                )
            except StoreError:  # the server is out of reach: show what was loaded
                return None
        rows = self._pages[page]
        offset = index - page * PAGE
        return rows[offset] if offset < len(rows) else None

    @property
    def current_id(self) -> int | None:
        row = self.row_at(self.cursor_row)
        return row.id if row else None

    def show(self, store: Store, where: ArticleFilter) -> None:
        """Show ``articles(where)``, keeping the cursor on the same article where possible."""
        keep = self.current_id
        self._store, self._filter = store, where
        self._pages.clear()
        self._count = store.count_articles(where)
        position = store.article_position(where, keep) if keep is not None else None
        self.rows_changed()
        self.move_cursor(position if position is not None else 0, force=True)

    def mark(self, article_id: int, **state: object) -> None:
        """Show a changed state (read, flagged, claimed_by, done) without reloading."""
        for rows in self._pages.values():
            for row in rows:
                if row.id == article_id:
                    for name, value in state.items():
                        setattr(row, name, value)
        self.refresh()

    def next_unread_row(self) -> int | None:
        if self._store is None or not self._count:
            return None
        return self._store.next_unread_position(self._filter, self.cursor_row)

    def cursor_moved(self) -> None:
        self.post_message(self.Highlighted(self.current_id))

    def selected(self) -> None:
        current = self.current_id
        if current is not None:
            self.post_message(self.Selected(current))

    def row_is_strong(self, index: int) -> bool:
        row = self.row_at(index)
        return row is not None and not row.read

    def render_row(self, index: int, width: int) -> Text | None:
        row = self.row_at(index)
        if row is None:
            return None
        title_width = max(8, width - 2 - 1 - 10 - 2 - self.FEED_WIDTH - 2)
        mark = ("" if row.read else UNREAD_MARK) + (FLAG_MARK if row.flagged else "")
        feed = Text(row.feed, style="italic")
        feed.truncate(self.FEED_WIDTH, overflow="ellipsis", pad=True)
        title = Text()
        if row.claimed_by:
            title.append(f"[{initials(row.claimed_by)}] ", style="bold magenta")
        if row.done:
            title.append("✓ ", style="bold green")
        title.append(row.title)
        title.truncate(title_width, overflow="ellipsis", pad=True)
        line = Text(no_wrap=True)
        line.append(f"{mark:<2} ", style="bold red" if row.flagged else "bold")
        line.append(format_date(row.published, with_time=False).ljust(10), style="dim")
        line.append("  ")
        line.append_text(feed)
        line.append("  ")
        line.append_text(title)
        return line


def initials(name: str) -> str:
    """Two letters for a person: "anna.schmidt" -> "AS", "ben" -> "BE"."""
    parts = [p for p in re.split(r"[^\w]+|_", name) if p]
    if len(parts) >= 2:
        return (parts[0][0] + parts[1][0]).upper()
    return (parts[0][:2] if parts else "??").upper()
