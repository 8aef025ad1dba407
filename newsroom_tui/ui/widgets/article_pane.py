"""The detail pane: title, feed, date, link, body, photo credits."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from newsroom_tui.models import Article
from newsroom_tui.text.article_format import (
    CREDITS_HEADING,
    caption_lines,
    credit_line,
    format_date,
)
from newsroom_tui.text.markdown_chunks import markdown_chunks
from newsroom_tui.text.sanitize import defuse_links
from newsroom_tui.ui.body_preview import preview_text
from newsroom_tui.ui.widgets.gallery import GalleryStrip

if TYPE_CHECKING:
    from textual.widgets import Markdown

SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")


class ArticleView(VerticalScroll, can_focus=True):
    BINDINGS = [
        Binding("space", "page_down", "Scroll", show=False),
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
    ]

    def __init__(
        self,
        *,
        id: str | None = None,
        images: bool | None = None,
        image_dir: Path | None = None,
    ) -> None:
        super().__init__(id=id)
        self._images = images  # thumbnails: see GalleryStrip
        self._image_dir = image_dir
        self.article: Article | None = None
        self._shown = ""  # the first chunk of the body on screen
        self._pending: list[str] = []
        self._appending = False
        self._markdown: Markdown | None = None  # mounted after the first frame

    def compose(self) -> ComposeResult:
        yield Static(id="meta")
        yield Static(id="body-preview")
        yield GalleryStrip(images=self._images, cache_dir=self._image_dir, id="gallery")
        yield Static(id="credits")

    def on_mount(self) -> None:
        # Launch shows the body as plain text (see body_preview); the Markdown widget, slow
        # to import and set up next to everything else of the first frame, follows it.
        self.call_after_refresh(self._mount_markdown)

    async def _mount_markdown(self) -> None:
        from textual.widgets import Markdown

        preview = self.query_one("#body-preview", Static)
        first = self._shown
        body = Markdown(first, id="body", open_links=False)
        await self.mount(body, before=preview)
        await preview.remove()
        self._markdown = body
        if self._shown != first:  # another article came while it mounted
            await body.update(self._shown)
        self.call_after_refresh(self._render_more)

    def _show_body(self, markdown: str) -> None:
        self._shown = markdown
        if self._markdown is not None:
            self._markdown.update(markdown)
        else:
            self.query_one("#body-preview", Static).update(preview_text(markdown))

    def show_message(self, message: str) -> None:
        self.article = None
        self._pending = []
        self.query_one("#meta", Static).update(Text(message, style="italic"))
        self._show_body("")
        self.query_one("#credits", Static).update("")
        self.query_one(GalleryStrip).show_gallery([])

    def show_article(self, article: Article) -> None:
        self.article = article
        self.show_meta(article)
        body = article.body_markdown.strip() or article.summary.strip() or "*(kein Text)*"
        # Stored bodies are defused at ingest; caches from before that are defused here.
        first, *self._pending = markdown_chunks(defuse_links(body))
        self._appending = False
        self._show_body(first)
        self.query_one("#credits", Static).update(self._credits(article))
        self.query_one(GalleryStrip).show_gallery(article.gallery)
        self.scroll_home(animate=False)
        self.call_after_refresh(self._render_more)

    def show_meta(self, article: Article) -> None:
        """Title, feed, date, link, and who has it (claim, done): also when a colleague
        changes those while the article is on screen."""
        meta = Text()
        meta.append(article.title, style="bold")
        meta.append("\n")
        meta.append(article.feed, style="italic")
        meta.append(" · ")
        meta.append(format_date(article.published))
        if article.url:
            meta.append("\n")
            meta.append(article.url, style="underline")
        if article.claimed_by or article.done:
            meta.append("\n")
        if article.claimed_by:
            meta.append(f"Claimed by {article.claimed_by}", style="bold magenta")
            meta.append(" · " if article.done else "")
        if article.done:
            meta.append("Done", style="bold green")
        self.query_one("#meta", Static).update(meta)

    @property
    def fully_rendered(self) -> bool:
        return not self._pending

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._render_more()

    def _render_more(self) -> None:
        """Long articles render a chunk at a time, as the reader nears the end of what is
        rendered: opening one stays instant however long it is."""
        if not self._pending or self._appending or self._markdown is None:
            return
        if self.max_scroll_y - self.scroll_y > 2 * self.size.height:
            return
        self._appending = True
        article = self.article
        done = self._markdown.append("\n\n" + self._pending.pop(0))

        async def finished() -> None:
            await done
            if self.article is article:
                self._appending = False
                self.call_after_refresh(self._render_more)

        self.run_worker(finished(), group="render-more")

    @staticmethod
    def _credits(article: Article) -> Text:
        credits = article.credits
        captions = caption_lines(article.gallery)
        if not credits and not captions:
            return Text()
        text = Text()
        text.append(CREDITS_HEADING, style="bold")
        for credit in credits:
            text.append("\n  © ")
            text.append(credit_line(credit))
        if captions:
            text.append("\n")
            for caption in captions:
                text.append("\n  • ")
                text.append(caption, style="dim")
        return text

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        if event.href.lower().startswith(SAFE_LINK_SCHEMES):
            self.app.open_url(event.href)
        else:
            self.notify(f"Link not opened (not http/https): {event.href[:80]}", markup=False)
