"""The article list: announcements newest first, read from the store a page at a time.

Only the pages on screen are read, before they are drawn, and the next one ahead of the
viewport in a thread worker: a cache of 100,000 articles opens as fast as one of ten, and
drawing a row never waits for the store.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message

from newsroom_tui.models import ArticleSummary
from newsroom_tui.store import ALL_ARTICLES, ArticleFilter, Store, StoreError
from newsroom_tui.text.article_format import format_date, format_list_date
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.widgets.virtual_list import VirtualList
from newsroom_tui.ui.widgets.watch_list import WATCH_MARK

UNREAD_MARK = "●"
FLAG_MARK = "⚑"
PAGE = 200


class ArticleList(VirtualList):
    BINDINGS = [
        Binding("enter", "select", tr("Read")),
        # As in mutt and newsboat: the list keeps the cursor, the article pages on.
        # The list itself pages with ctrl+f / ctrl+b.
        Binding("space,pagedown", "screen.scroll_article(1)", "Scroll article", show=False),
        Binding("pageup", "screen.scroll_article(-1)", "Scroll article back", show=False),
    ]
    FEED_MIN, FEED_MAX = 10, 32  # the feed column: a fifth of the row, within these

    class Highlighted(Message):
        """The cursor moved: ``chosen`` when the user moved it (a key, a click), not when
        a reload put it somewhere (start, a filter, a search being typed)."""

        def __init__(self, article_id: int | None, *, chosen: bool = True) -> None:
            super().__init__()
            self.article_id = article_id
            self.chosen = chosen

        def can_replace(self, message: Message) -> bool:
            # j held down: only where the cursor ends up is shown in the pane
            return isinstance(message, ArticleList.Highlighted)

    class PageLoaded(Message, bubble=False):
        """A page read ahead by a worker, for the list as it was at ``generation``."""

        def __init__(self, generation: int, page: int, rows: list[ArticleSummary]) -> None:
            super().__init__()
            self.generation, self.page, self.rows = generation, page, rows

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
        self._generation = 0  # one more at every show(): pages read for an older list go
        self._ahead: set[int] = set()  # pages a worker is reading
        self._reloading = False  # the cursor is being put back by show(), not by the user

    @property
    def row_count(self) -> int:
        return self._count

    def row_at(self, index: int) -> ArticleSummary | None:
        """The row at ``index``, read from the store if its page is not loaded yet."""
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
        return self._loaded(index)

    def _loaded(self, index: int) -> ArticleSummary | None:
        rows = self._pages.get(index // PAGE)
        offset = index % PAGE
        return rows[offset] if rows is not None and offset < len(rows) else None

    def viewport_changed(self) -> None:
        """The pages on screen are read now; the next one in a worker once the viewport is
        within a screen of it."""
        if self._store is None or not self._count:
            return
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        bottom = min(self._count - 1, top + height)
        for index in range(top - top % PAGE, bottom + 1, PAGE):
            self.row_at(index)
        ahead = min(self._count - 1, bottom + height) // PAGE
        if ahead not in self._pages and ahead not in self._ahead:
            self._ahead.add(ahead)
            self._read_ahead(self._store, self._filter, self._generation, ahead)

    @work(thread=True, group="read-ahead", exit_on_error=False)
    def _read_ahead(self, store: Store, where: ArticleFilter, generation: int, page: int) -> None:
        try:
            rows = store.articles(where, limit=PAGE, offset=page * PAGE)
        except StoreError:
            rows = None
        if rows is not None:
            self.post_message(self.PageLoaded(generation, page, rows))

    def on_article_list_page_loaded(self, message: PageLoaded) -> None:
        self._ahead.discard(message.page)
        if message.generation == self._generation:
            self._pages.setdefault(message.page, message.rows)
            self.refresh()

    @property
    def current_id(self) -> int | None:
        row = self.row_at(self.cursor_row)
        return row.id if row else None

    def show(self, store: Store, where: ArticleFilter, *, fallback_row: int = 0) -> None:
        """Show ``articles(where)``, keeping the cursor on the same article where possible,
        else on ``fallback_row`` (the row an article that left the list had: the next one)."""
        keep = self.current_id
        self._store, self._filter = store, where
        self._pages.clear()
        self._ahead.clear()
        self._generation += 1
        self._count = store.count_articles(where)
        position = store.article_position(where, keep) if keep is not None else None
        self.rows_changed()
        self._reloading = True
        try:
            self.move_cursor(position if position is not None else fallback_row, force=True)
        finally:
            self._reloading = False

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

    def previous_unread_row(self) -> int | None:
        """The nearest unread row above the cursor (the rows on screen and above, read a
        page at a time), wrapping around to the bottom; None when there is none."""
        if self._store is None or not self._count:
            return None
        for index in [*range(self.cursor_row - 1, -1, -1), *range(self._count - 1, -1, -1)]:
            row = self.row_at(index)
            if row is not None and not row.read and index != self.cursor_row:
                return index
        return None

    def cursor_moved(self) -> None:
        self.post_message(self.Highlighted(self.current_id, chosen=not self._reloading))

    def selected(self) -> None:
        current = self.current_id
        if current is not None:
            self.post_message(self.Selected(current))

    def row_is_strong(self, index: int) -> bool:
        row = self._loaded(index)
        return row is not None and not row.read

    def render_row(self, index: int, width: int) -> Text | None:
        row = self._loaded(index)
        if row is None:
            return None
        date_width, feed_width, title_width = column_widths(width)
        mark = ("" if row.read else UNREAD_MARK) + (FLAG_MARK if row.flagged else "")
        feed = Text(row.feed, style="italic")
        feed.truncate(feed_width, overflow="ellipsis", pad=True)
        title = Text()
        if row.claimed_by:
            title.append(f"[{initials(row.claimed_by)}] ", style="bold magenta")
        if row.done:
            title.append("✓ ", style="bold green")
        if row.watched:
            title.append(f"{WATCH_MARK} ", style="bold yellow")
        title.append(row.title)
        title.truncate(title_width, overflow="ellipsis", pad=True)
        line = Text(no_wrap=True)
        line.append(f"{mark:<2} ", style="bold red" if row.flagged else "bold")
        line.append(format_list_date(row.published).ljust(date_width)[:date_width], style="dim")
        line.append("  ")
        line.append_text(feed)
        line.append("  ")
        line.append_text(title)
        return line


def column_widths(width: int) -> tuple[int, int, int]:
    """Date, feed and title columns of a row ``width`` wide: the date as long as the
    configured format makes it, the feed a fifth of the row (10 to 32), the title the rest.
    At 80 columns a title keeps 40 characters; wider rows give most of their width to it."""
    date_width = len(format_date(_SAMPLE_DATE))
    fixed = 3 + date_width + 2 + 2
    feed_width = max(ArticleList.FEED_MIN, min(ArticleList.FEED_MAX, width // 5))
    return date_width, feed_width, max(8, width - fixed - feed_width)


_SAMPLE_DATE = datetime(2026, 12, 31, 23, 59, tzinfo=UTC)  # the widest day and time


def initials(name: str) -> str:
    """Two letters for a person: "anna.schmidt" -> "AS", "ben" -> "BE"."""
    parts = [p for p in re.split(r"[^\w]+|_", name) if p]
    if len(parts) >= 2:
        return (parts[0][0] + parts[1][0]).upper()
    return (parts[0][:2] if parts else "??").upper()
