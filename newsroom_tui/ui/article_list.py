"""The sidebar: announcements newest first, one line each, loaded on demand from the store.

Only the rows on screen are read from SQLite (in pages), so a cache of 100,000 articles opens
as fast as one of ten. Untrusted text is rendered as ``Text``, never parsed as markup.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newsroom_tui.article_format import format_date
from newsroom_tui.models import ArticleSummary
from newsroom_tui.store import ALL_ARTICLES, ArticleFilter, Store

UNREAD_MARK = "●"
FLAG_MARK = "⚑"
PAGE = 200


class ArticleList(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Read"),
    ]
    COMPONENT_CLASSES = {"article-list--cursor", "article-list--unread"}
    DEFAULT_CSS = """
    ArticleList > .article-list--cursor { background: $block-cursor-blurred-background; }
    ArticleList:focus > .article-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    ArticleList > .article-list--unread { text-style: bold; }
    """
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
        self._cursor = 0

    # data --------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return self._count

    @property
    def cursor_row(self) -> int:
        return self._cursor

    def row_at(self, index: int) -> ArticleSummary | None:
        if self._store is None or not 0 <= index < self._count:
            return None
        page = index // PAGE
        if page not in self._pages:
            self._pages[page] = self._store.articles(self._filter, limit=PAGE, offset=page * PAGE)
        rows = self._pages[page]
        offset = index - page * PAGE
        return rows[offset] if offset < len(rows) else None

    @property
    def current_id(self) -> int | None:
        row = self.row_at(self._cursor)
        return row.id if row else None

    def show(self, store: Store, where: ArticleFilter) -> None:
        """Show ``articles(where)``, keeping the cursor on the same article where possible."""
        keep = self.current_id
        self._store, self._filter = store, where
        self._pages.clear()
        self._count = store.count_articles(where)
        position = store.article_position(where, keep) if keep is not None else None
        self.virtual_size = Size(self.size.width, self._count)
        self.move_cursor(position if position is not None else 0, force=True)
        self.refresh()

    def mark(
        self, article_id: int, *, read: bool | None = None, flagged: bool | None = None
    ) -> None:
        """Show a changed read or flag state without reloading the list."""
        for rows in self._pages.values():
            for row in rows:
                if row.id == article_id:
                    if read is not None:
                        row.read = read
                    if flagged is not None:
                        row.flagged = flagged
        self.refresh()

    def next_unread_row(self) -> int | None:
        if self._store is None or not self._count:
            return None
        return self._store.next_unread_position(self._filter, self._cursor)

    # cursor ------------------------------------------------------------------------------

    def move_cursor(self, row: int, *, force: bool = False) -> None:
        row = max(0, min(row, self._count - 1)) if self._count else 0
        changed = row != self._cursor
        self._cursor = row
        self._scroll_to_cursor()
        self.refresh()
        if changed or force:
            self.post_message(self.Highlighted(self.current_id))

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
        self.move_cursor(self._count - 1)

    def action_select(self) -> None:
        current = self.current_id
        if current is not None:
            self.post_message(self.Selected(current))

    def on_click(self, event: Click) -> None:
        row = round(self.scroll_y) + event.y
        if 0 <= row < self._count:
            self.move_cursor(row)
            if event.chain > 1:
                self.action_select()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self._count)
        self._scroll_to_cursor()

    # rendering ---------------------------------------------------------------------------

    def row_text(self, row: ArticleSummary, width: int) -> Text:
        title_width = max(8, width - 2 - 1 - 10 - 2 - self.FEED_WIDTH - 2)
        mark = ("" if row.read else UNREAD_MARK) + (FLAG_MARK if row.flagged else "")
        feed = Text(row.feed, style="italic")
        feed.truncate(self.FEED_WIDTH, overflow="ellipsis", pad=True)
        title = Text(row.title)
        title.truncate(title_width, overflow="ellipsis", pad=True)
        line = Text(no_wrap=True)
        line.append(f"{mark:<2} ", style="bold red" if row.flagged else "bold")
        line.append(format_date(row.published, with_time=False).ljust(10), style="dim")
        line.append("  ")
        line.append_text(feed)
        line.append("  ")
        line.append_text(title)
        return line

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        base = self.rich_style
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, base)
        style = base
        if not row.read:
            style += self.get_component_rich_style("article-list--unread", partial=True)
        if index == self._cursor:
            style += self.get_component_rich_style("article-list--cursor")
        text = self.row_text(row, width)
        segments = Segment.apply_style(text.render(self.app.console), style)
        return Strip(list(segments)).crop_extend(0, width, style)

    def get_line_plain(self, index: int) -> str:
        """The row as plain text (for tests and screen readers)."""
        row = self.row_at(index)
        return self.row_text(row, self.scrollable_content_region.width).plain if row else ""


__all__ = ["FLAG_MARK", "UNREAD_MARK", "ArticleList"]
