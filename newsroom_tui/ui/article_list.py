"""The sidebar: announcements newest first, one row each."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from newsroom_tui.article_format import format_date
from newsroom_tui.models import ArticleSummary

UNREAD_MARK = "●"
FLAG_MARK = "⚑"


class ArticleList(DataTable[Text]):
    """Rows keyed by article ID. Untrusted text goes in as ``Text``, never as markup."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("enter", "select_cursor", "Read"),
    ]
    FIXED_WIDTHS = {"mark": 2, "date": 10, "feed": 14}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, show_header=False)
        self._rows: dict[int, ArticleSummary] = {}
        self._title_width = 0

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        for key, width in self.FIXED_WIDTHS.items():
            self.add_column("", key=key, width=width)
        self.add_column("", key="title", width=self._title_width or None)

    def on_resize(self) -> None:
        """Give the title whatever the fixed columns leave (each column has 2 cells padding)."""
        fixed = sum(self.FIXED_WIDTHS.values()) + 2 * self.cell_padding * 4
        width = max(10, self.scrollable_content_region.width - fixed)
        if width != self._title_width:
            self._title_width = width
            keep = self.current_id
            self.clear(columns=True)
            self._add_columns()
            self._fill(keep)

    @property
    def current_id(self) -> int | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return int(key.value) if key.value is not None else None

    def show_articles(self, articles: list[ArticleSummary]) -> None:
        """Replace the rows, keeping the highlight on the same article where it still exists."""
        keep = self.current_id
        self.clear()
        self._rows = {a.id: a for a in articles}
        self._fill(keep)

    def _fill(self, keep: int | None) -> None:
        for a in self._rows.values():
            self.add_row(*self._cells(a), key=str(a.id))
        if keep is not None and keep in self._rows:
            self.move_cursor(row=self.get_row_index(str(keep)), animate=False)

    def _cells(self, a: ArticleSummary) -> list[Text]:
        mark = Text("" if a.read else UNREAD_MARK, style="bold")
        if a.flagged:
            mark.append(FLAG_MARK, style="bold red")
        style = "" if a.read else "bold"
        return [
            mark,
            Text(format_date(a.published, with_time=False), style="dim"),
            Text(a.feed, style="italic", overflow="ellipsis", no_wrap=True),
            Text(a.title, style=style, overflow="ellipsis", no_wrap=True),
        ]

    def mark(
        self, article_id: int, *, read: bool | None = None, flagged: bool | None = None
    ) -> None:
        """Show a changed read or flag state in the row, without reloading the list."""
        article = self._rows.get(article_id)
        if article is None:
            return
        if read is not None:
            article.read = read
        if flagged is not None:
            article.flagged = flagged
        cells = self._cells(article)
        for column, cell in zip(("mark", "date", "feed", "title"), cells, strict=True):
            self.update_cell(str(article_id), column, cell)

    def next_unread_row(self) -> int | None:
        """The row of the next unread article after the cursor, wrapping around."""
        ids = list(self._rows)
        if not ids:
            return None
        start = self.cursor_row
        for step in range(1, len(ids) + 1):
            row = (start + step) % len(ids)
            if not self._rows[ids[row]].read:
                return row
        return None
