"""The reader: article list on the left, the article on the right, poll status below."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Static

from newsroom_tui.article_format import format_date
from newsroom_tui.store import ArticleFilter, Store
from newsroom_tui.ui.article_list import ArticleList
from newsroom_tui.ui.article_view import ArticleView


class NewsroomApp(App[None]):
    TITLE = "newsroom"
    CSS_PATH = "newsroom.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("r", "poll", "Poll now"),
        Binding("escape", "focus_list", "List", show=False),
    ]

    def __init__(self, store: Store, *, poll_on_start: bool = True) -> None:
        super().__init__()
        self.store = store
        self.poll_on_start = poll_on_start
        self.polling = False
        self.offline = False
        self.poll_errors: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield ArticleList(id="articles")
            yield ArticleView(id="detail")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.reload_articles()
        self.query_one(ArticleList).focus()
        self.update_status()
        if self.poll_on_start and self.store.feeds():
            self.action_poll()

    # list and detail ---------------------------------------------------------------------

    def reload_articles(self) -> None:
        table = self.query_one(ArticleList)
        table.show_articles(self.store.articles())
        if not table.row_count:
            view = self.query_one(ArticleView)
            if self.store.feeds():
                view.show_message("Noch keine Meldungen. Press r to poll.")
            else:
                view.show_message("No feeds yet. Subscribe from the shell: newsroom add URL")
        else:
            self.show_current()

    def show_current(self) -> None:
        article_id = self.query_one(ArticleList).current_id
        view = self.query_one(ArticleView)
        if article_id is None or (view.article and view.article.id == article_id):
            return
        article = self.store.article(article_id)
        if article is None:
            return
        view.show_article(article)
        if not article.read:
            self.store.set_read(article_id, True)
            self.query_one(ArticleList).mark_read(article_id)
            self.update_status()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_current()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.show_current()
        self.query_one(ArticleView).focus()

    def action_focus_list(self) -> None:
        self.query_one(ArticleList).focus()

    # polling -----------------------------------------------------------------------------

    def action_poll(self) -> None:
        if not self.polling:
            self.run_worker(self.poll(), group="poll", exclusive=True)

    async def poll(self) -> None:
        from newsroom_tui.poller import FeedOutcome, poll_feeds

        self.polling = True
        self.poll_errors = {}
        total = len(self.store.feeds())
        self.update_status(f"Polling 0/{total} feeds…")

        def progress(outcome: FeedOutcome, done: int, total: int) -> None:
            if outcome.error:
                self.poll_errors[outcome.feed.display_name] = outcome.error
            if outcome.new_articles:
                self.reload_articles()
            self.update_status(f"Polling {done}/{total} feeds…")

        try:
            report = await poll_feeds(self.store, on_progress=progress)
        finally:
            self.polling = False
        self.offline = report.offline
        self.update_status()

    def update_status(self, progress: str | None = None) -> None:
        parts: list[str] = []
        if progress:
            parts.append(progress)
        if self.offline:
            parts.append("OFFLINE — showing cached articles")
        last = self.store.last_success()
        parts.append(f"last poll {format_date(last) if last else 'never'}")
        count = self.store.count_articles()
        unread = self.store.count_articles(ArticleFilter(unread=True))
        parts.append(f"{count} articles, {unread} unread")
        if self.poll_errors:
            parts.append(f"{len(self.poll_errors)} feed(s) failed")
        text = Text(" · ".join(parts))
        for name, error in list(self.poll_errors.items())[:3]:
            text.append("\n")
            text.append(f"✗ {name}: {error}", style="red")
        status = self.query_one("#status", Static)
        status.update(text)
        status.set_class(self.offline, "offline")
