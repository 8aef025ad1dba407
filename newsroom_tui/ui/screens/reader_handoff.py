"""The reader's hand-off actions: open or copy a link, copy photo credits, export."""

from __future__ import annotations

import re
from collections.abc import Callable

from textual import work
from textual.message import Message

from newsroom_tui.article_reading import read_article
from newsroom_tui.local_files import LocalFileError, write_new_file
from newsroom_tui.models import Article
from newsroom_tui.store import StoreError
from newsroom_tui.text.article_format import article_text, credits_text, format_date
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.screens.reader_parts import ReaderPart
from newsroom_tui.ui.widgets.article_pane import SAFE_LINK_SCHEMES, article_links


class ArticleForAction(Message):
    """The article under the cursor, read by a worker for a key that needs all of it (its
    links, credits, text): ``act`` on it (None: it is gone; ``error``: not read)."""

    def __init__(
        self,
        article: Article | None,
        act: Callable[[Article], None],
        *,
        error: StoreError | None = None,
    ) -> None:
        super().__init__()
        self.article, self.act, self.error = article, act, error


class ReaderHandOff(ReaderPart):
    # hand-off actions --------------------------------------------------------------------

    def with_article(self, act: Callable[[Article], None]) -> None:
        """Run ``act`` on the article under the list cursor (links, credits, export): at
        once when the pane shows it, else once a worker has read it, never read on the
        event loop. In the gap (the open article left the list) and while the cursor's row
        is being read, on the article shown."""
        table = self.article_list
        shown = self.pane.article
        row = table.loaded_row(table.cursor_row)
        if row is None or table.in_gap or (shown is not None and shown.id == row.id):
            if shown is not None:
                act(shown)
            return
        self._read_for_action(row.id, act)

    @work(thread=True, group="article-for-action", exit_on_error=False)
    def _read_for_action(self, article_id: int, act: Callable[[Article], None]) -> None:
        try:
            article = read_article(self.store, article_id)
        except StoreError as exc:
            self.post_message(ArticleForAction(None, act, error=exc))
            return
        self.post_message(ArticleForAction(article, act))

    def on_article_for_action(self, message: ArticleForAction) -> None:
        if message.error is not None:
            self._server_lost(message.error)
        elif message.article is not None:
            message.act(message.article)

    def _link(self) -> str | None:
        target = self.target or self.pane.article  # the row has it: nothing to read
        url = target.url if target else None
        if not url:
            self.notify(tr("This article has no link."), severity="warning")
            return None
        if not url.lower().startswith(SAFE_LINK_SCHEMES):
            self.notify(tr("Only http and https links are opened."), severity="warning")
            return None
        return url

    def action_open_link(self) -> None:
        url = self._link()
        if url:
            self.open_url(url)

    def open_url(self, url: str) -> None:
        """Open ``url`` in the browser; without one, copy it and say so."""
        if not self.app.browser_available():
            self.app.copy_to_clipboard(url)
            self.notify(tr("No browser found; the link is copied: {url}", url=url), markup=False)
            return
        self.app.open_url(url)

    def action_links(self) -> None:
        self.with_article(self._links)

    def _links(self, article: Article) -> None:
        links = article_links(article)
        if not links:
            self.notify(tr("This article has no links."), severity="warning")
            return

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            how, url = answer
            if how == "copy":
                self.app.copy_to_clipboard(url)
                self.notify(tr("Copied: {text}", text=url), markup=False)
            elif url.lower().startswith(SAFE_LINK_SCHEMES):
                self.open_url(url)
            else:
                self.notify(tr("Only http and https links are opened."), severity="warning")

        from newsroom_tui.ui.screens.dialogs import LinksScreen  # when asked, not at start

        self.app.push_screen(LinksScreen(links), chosen)

    def action_copy_link(self) -> None:
        url = self._link()
        if url:
            self.app.copy_to_clipboard(url)
            self.notify(tr("Copied: {text}", text=url), markup=False)

    def action_copy_credits(self) -> None:
        self.with_article(self._copy_credits)

    def _copy_credits(self, article: Article) -> None:
        line = credits_text(article.credits)
        if not line:
            self.notify(tr("This article has no photo credits."), severity="warning")
            return
        self.app.copy_to_clipboard(line)
        self.notify(tr("Copied: {text}", text=line), markup=False)

    def action_export(self) -> None:
        self.with_article(self._export)

    def _export(self, article: Article) -> None:
        meta = [
            (tr("Feed"), article.feed),
            (tr("Date"), format_date(article.published)),
            (tr("Link"), article.url or ""),
        ]
        text = article_text(
            article.title, article.body_markdown, article.gallery, article.credits, meta
        )
        try:  # a new file: never over an earlier export, never through a planted symlink
            path = write_new_file(self.app.export_dir / export_name(article), text)
        except LocalFileError as exc:
            self.notify(tr("Export failed: {reason}", reason=exc), severity="error", markup=False)
            return
        self.notify(tr("Exported to {path}", path=path), markup=False)


def export_name(article: Article) -> str:
    day = article.published.strftime("%Y-%m-%d") if article.published else "undatiert"
    slug = re.sub(r"[^\w]+", "-", article.title.casefold()).strip("-")[:60] or "artikel"
    return f"{day}-{slug}-{article.id}.md"
