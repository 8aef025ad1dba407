"""The detail pane: title, feed, date, link, body, photo credits."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from newsroom_tui.models import Article
from newsroom_tui.text.article_format import (
    caption_lines,
    credit_line,
    format_date,
)
from newsroom_tui.text.markdown_chunks import markdown_chunks
from newsroom_tui.text.markdown_links import TITLED_TARGET, markdown_links
from newsroom_tui.text.sanitize import defuse_links
from newsroom_tui.text.search_highlight import highlight_markdown, hit_spans
from newsroom_tui.ui.body_preview import preview_text
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.widgets.gallery import GalleryStrip

if TYPE_CHECKING:
    from textual.widgets import Markdown

SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
HIT_STYLE = "reverse"  # a search's hits in title, captions and credits (the body: bold)


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
        self._search = ""  # the search the article was found with
        self._shown = ""  # the first chunk of the body on screen
        self._pending: list[str] = []
        self._appending = False
        self._markdown: Markdown | None = None  # mounted after the first frame
        self._updates = 0  # articles on their way into the Markdown widget

    def compose(self) -> ComposeResult:
        yield Static(id="meta")
        yield Static(id="body-preview")
        yield GalleryStrip(images=self._images, cache_dir=self._image_dir, id="gallery")
        yield Static(id="credits")
        yield Static(id="captions")

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
        self.query_one("#captions", Static).update("")
        self.query_one(GalleryStrip).show_gallery([])

    def show_article(self, article: Article, search: str = "") -> None:
        """Show ``article``; the hits of ``search`` (folded as the search folds them) stand
        out in its title, body, captions and credits."""
        before = self.article
        self.article = article
        self._search = search
        body = article.body_markdown.strip() or article.summary.strip() or tr("*(no text)*")
        # Stored bodies are defused at ingest; caches from before that are defused here.
        # Hits are marked a chunk at a time, as each is rendered (a long article stays cheap).
        first, *rest = markdown_chunks(defuse_links(body))
        first = highlight_markdown(first, search)
        again = before is not None and before.id == article.id
        if again and first == self._shown and rest == self._pending:
            # a search typed on, the same marks: the Markdown is not built again
            self._show_around_body(article, search)
            return
        self._pending = rest
        self._appending = False
        if self._markdown is None:  # the first frame's plain preview: all at once
            self._show_around_body(article, search)
            self._show_body(first)
            self.scroll_home(animate=False)
            self.call_after_refresh(self._render_more)
            return
        self._shown = first
        self._updates += 1
        self.run_worker(self._show_with_body(article, search, first), group="pane-update")

    async def _show_with_body(self, article: Article, search: str, first: str) -> None:
        """The Markdown widget parses the body in a thread and then mounts its blocks; the
        title, credits and captions change with them, in one batch: the pane is laid out
        and drawn once per article, not once for the title and again for the body."""
        assert self._markdown is not None
        try:
            with self.app.batch_update():
                await self._markdown.update(first)
                if self.article is not article:
                    return  # another article came meanwhile (j held down): it shows
                self._show_around_body(article, search)
                self.scroll_home(animate=False)
        finally:
            self._updates -= 1
        self.call_after_refresh(self._render_more)

    def _show_around_body(self, article: Article, search: str) -> None:
        self.show_meta(article)
        self.query_one("#credits", Static).update(self._credits(article, search))
        self.query_one("#captions", Static).update(self._captions(article, search))
        self.query_one(GalleryStrip).show_gallery(article.gallery)

    @property
    def updating(self) -> bool:
        """Is an article on its way into the pane (its body being parsed and mounted)?"""
        return self._updates > 0

    def show_meta(self, article: Article) -> None:
        """Title, feed, date, link, and who has it (claim, done): also when a colleague
        changes those while the article is on screen."""
        meta = Text()
        meta.append(marked(article.title, self._search, style="bold"))
        meta.append("\n")
        meta.append(article.feed, style="italic")
        meta.append(" · ")
        meta.append(format_date(article.published))
        if article.url:
            # one line, cut at its end rather than broken mid-word (u lists it in full)
            width = self.scrollable_content_region.width
            url = article.url
            if width > 8 and len(url) > width:
                url = url[: width - 1] + "…"
            meta.append("\n")
            meta.append(url, style="underline")
        if article.claimed_by or article.done:
            meta.append("\n")
        if article.claimed_by:
            meta.append(tr("Claimed by {user}", user=article.claimed_by), style="bold magenta")
            meta.append(" · " if article.done else "")
        if article.done:
            meta.append(tr("Done"), style="bold green")
        self.query_one("#meta", Static).update(meta)

    @property
    def search(self) -> str:
        """The search whose hits are marked in the article shown."""
        return self._search

    @property
    def body_widget_mounted(self) -> bool:
        """Has the Markdown widget taken over from the first frame's plain preview?"""
        return self._markdown is not None

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
        chunk = highlight_markdown(self._pending.pop(0), self._search)
        done = self._markdown.append("\n\n" + chunk)

        async def finished() -> None:
            await done
            if self.article is article:
                self._appending = False
                self.call_after_refresh(self._render_more)

        self.run_worker(finished(), group="render-more")

    @staticmethod
    def _credits(article: Article, search: str = "") -> Text:
        credits = article.credits
        if not credits and not caption_lines(article.gallery, tr("(no caption)")):
            return Text()
        text = Text()
        text.append(tr("Photo credits"), style="bold")
        for credit in credits:
            text.append("\n  © ")
            text.append(marked(credit_line(credit), search))
        return text

    @staticmethod
    def _captions(article: Article, search: str = "") -> RenderableType:
        """The gallery's captions, one row each: wrapped lines stay indented under the
        text, not under the bullet."""
        captions = caption_lines(article.gallery, tr("(no caption)"))
        if not captions:
            return Text()
        rows = Table.grid(padding=(0, 1))
        rows.add_column(no_wrap=True)
        rows.add_column(ratio=1)
        for caption in captions:
            rows.add_row(Text("  •"), marked(caption, search, style="dim"))
        return rows

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        if event.href.lower().startswith(SAFE_LINK_SCHEMES):
            self.app.open_url(event.href)
        else:
            self.notify(
                tr("Link not opened (not http/https): {url}", url=event.href[:80]), markup=False
            )


_BARE_URL = re.compile(r"(?<![(<\[])\bhttps?://[^\s<>()\[\]]+")


def article_links(article: Article) -> list[tuple[str, str]]:
    """The article's links in reading order, each once: its own address first, then the
    body's Markdown links (label, url) and bare addresses; http(s) and mailto only."""
    found: dict[str, str] = {}
    if article.url:
        found[article.url] = article.title
    body = article.body_markdown or article.summary or ""
    # (found trying each "]" once: a regex from every "[" was quadratic on a body of brackets)
    spans = [(link.start, link.target, link.text) for link in markdown_links(body, TITLED_TARGET)]
    spans += [(m.start(), m.group(0).rstrip(".,;:!?"), "") for m in _BARE_URL.finditer(body)]
    for _, url, label in sorted(spans):
        url = url.strip("<>")
        if url.lower().startswith(SAFE_LINK_SCHEMES) and url not in found:
            found[url] = " ".join(label.replace("!", "").split())
    return [(label, url) for url, label in found.items()]


def marked(text: str, search: str, style: str = "") -> Text:
    """``text`` as literal ``Text`` (never markup) in ``style``, the hits of ``search`` in
    :data:`HIT_STYLE`."""
    shown = Text(text, style=style)
    for start, end in hit_spans(search, text):
        shown.stylize(HIT_STYLE, start, end)
    return shown
