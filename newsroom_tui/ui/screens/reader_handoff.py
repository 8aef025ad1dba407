"""The reader's hand-off actions: open or copy a link, copy photo credits, export."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from newsroom_tui.article_reading import read_article
from newsroom_tui.local_files import LocalFileError, write_new_file
from newsroom_tui.models import Article
from newsroom_tui.store import StoreError
from newsroom_tui.text.article_format import article_text, credits_text, format_date
from newsroom_tui.text.search_text import fold
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.messages import ArticleForAction
from newsroom_tui.ui.widgets.article_pane import SAFE_LINK_SCHEMES, article_links

if TYPE_CHECKING:
    from newsroom_tui.ui.screens.reader import ReaderScreen


class HandOff:
    def __init__(self, reader: ReaderScreen) -> None:
        self._reader = reader

    def with_article(self, act: Callable[[Article], None]) -> None:
        """Run ``act`` on the article under the list cursor (links, credits, export): at
        once when the pane shows it, else once a worker has read it, never read on the
        event loop. In the gap (the open article left the list) and while the cursor's row
        is being read, on the article shown."""
        reader = self._reader
        table = reader.article_list
        shown = reader.pane.article
        row = table.loaded_row(table.cursor_row)
        if row is None or table.in_gap or (shown is not None and shown.id == row.id):
            if shown is not None:
                act(shown)
            return
        reader.run_worker(
            partial(self._read_for_action, row.id, act),
            thread=True,
            group="article-for-action",
            exit_on_error=False,
        )

    def _read_for_action(self, article_id: int, act: Callable[[Article], None]) -> None:
        try:
            answer = ArticleForAction(read_article(self._reader.store, article_id), act)
        except StoreError as exc:
            answer = ArticleForAction(None, act, error=exc)
        self._reader.post_message(answer)

    def answered(self, message: ArticleForAction) -> None:
        if message.error is not None:
            self._reader.server.lost(message.error)
        elif message.article is not None:
            message.act(message.article)

    def _notify(self, text: str, *, warning: bool = False) -> None:
        self._reader.notify(text, severity="warning" if warning else "information", markup=False)

    def _link(self) -> str | None:
        target = self._reader.triage.target or self._reader.pane.article  # nothing to read
        url = target.url if target else None
        if not url:
            self._notify(tr("This article has no link."), warning=True)
            return None
        if not url.lower().startswith(SAFE_LINK_SCHEMES):
            self._notify(tr("Only http and https links are opened."), warning=True)
            return None
        return url

    def open_link(self) -> None:
        url = self._link()
        if url:
            self.open_url(url)

    def open_url(self, url: str) -> None:
        """Open ``url`` in the browser; without one, copy it and say so."""
        app = self._reader.app
        if not self._reader.settings.browser_available():
            app.copy_to_clipboard(url)
            self._notify(tr("No browser found; the link is copied: {url}", url=url))
            return
        app.open_url(url)

    def _copy(self, text: str) -> None:
        self._reader.app.copy_to_clipboard(text)
        self._notify(tr("Copied: {text}", text=text))

    def links(self) -> None:
        self.with_article(self._links)

    def _links(self, article: Article) -> None:
        links = article_links(article)
        if not links:
            self._notify(tr("This article has no links."), warning=True)
            return

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            how, url = answer
            if how == "copy":  # an e-mail address as it is written
                self._copy(url.removeprefix("mailto:"))
            elif url.lower().startswith(SAFE_LINK_SCHEMES):
                self.open_url(url)
            else:
                self._notify(tr("Only http and https links are opened."), warning=True)

        from newsroom_tui.ui.screens.dialogs import LinksScreen  # when asked, not at start

        self._reader.app.push_screen(LinksScreen(links), chosen)

    def copy_link(self) -> None:
        url = self._link()
        if url:
            self._copy(url)

    def copy_credits(self) -> None:
        self.with_article(self._copy_credits)

    def _copy_credits(self, article: Article) -> None:
        line = credits_text(article.credits)
        if not line:
            self._notify(tr("This article has no photo credits."), warning=True)
            return
        self._copy(line)

    def export(self) -> None:
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
        export_dir = self._reader.settings.export_dir
        try:  # a new file: never over an earlier export, never through a planted symlink
            export_dir.mkdir(parents=True, exist_ok=True)
            path = write_new_file(export_dir / export_name(article), text)
        except (LocalFileError, OSError) as exc:
            reason = exc if isinstance(exc, LocalFileError) else f"{export_dir}: {exc.strerror}"
            self._reader.notify(
                tr("Export failed: {reason}", reason=reason), severity="error", markup=False
            )
            return
        self._notify(tr("Exported to {path}", path=path))


def export_name(article: Article) -> str:
    day = article.published.strftime("%Y-%m-%d") if article.published else "undatiert"
    # folded as the search folds: "Straße", "Grün" -> "strasse", "gruen" (one spelling)
    slug = re.sub(r"[^\w]+", "-", fold(article.title)).strip("-")[:60] or "artikel"
    return f"{day}-{slug}-{article.id}.md"
