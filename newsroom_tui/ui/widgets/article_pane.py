"""The detail pane: title, feed, date, link, body (``article_body``), photo credits."""

from __future__ import annotations

import asyncio
import re
from functools import cached_property
from pathlib import Path

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Static

from newsroom_tui.models import Article, GalleryItem
from newsroom_tui.text.article_format import (
    caption_lines,
    credit_line,
    format_date,
    middle_cut,
)
from newsroom_tui.text.markdown_chunks import markdown_chunks
from newsroom_tui.text.markdown_links import TITLED_TARGET, markdown_links
from newsroom_tui.text.sanitize import defuse_links
from newsroom_tui.text.search_highlight import highlight_markdown, hit_spans
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.later_imports import import_later
from newsroom_tui.ui.no_text import no_text_note
from newsroom_tui.ui.widgets.article_body import ArticleBody, numbered_links
from newsroom_tui.ui.widgets.gallery import GalleryStrip, image_mode
from newsroom_tui.ui.widgets.story_versions import StoryVersions

SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
RENDERER = "newsroom_tui.ui.markdown_lines"  # imported after the first frame
HIT_STYLE = "reverse"  # a search's hits in title, captions and credits (the body: bold)
CHUNKED_KEPT = 8  # articles whose body is kept split into chunks
SETTLE_WAIT = 0.05  # seconds the screen waits at most for the pane's widgets (settled)


class ArticleView(VerticalScroll, can_focus=True):
    # The pane's scrollable size is set by the layout that places its content (a new
    # article's height): as Textual declares it (a layout reactive), each such layout asked
    # for a second one, a frame later, which drew the pane again (7-10 ms of every j). (The
    # pane has no scroll bar to follow it: see newsroom.tcss.)
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)

    BINDINGS = [
        # named first in the keys line while the article has the keys: the way back to the list
        Binding("escape", "screen.escape", tr("Back")),
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
        open_key: str = "o",
        first_frame: asyncio.Event | None = None,
    ) -> None:
        super().__init__(id=id)
        self._first_frame = first_frame  # set once the screen's first frame is painted
        self._open_key = open_key  # named where an article has no text
        self._images = images  # thumbnails: see GalleryStrip
        self._image_dir = image_dir
        self.article: Article | None = None
        self._search = ""  # the search the article was found with
        self._chunks: list[str] = []  # the body's Markdown, its links numbered
        self._next = 0  # the first chunk not yet handed to the body
        # what the credits and captions show (the gallery and the search), None: nothing yet
        self._around: tuple[list[GalleryItem], str] | None = None
        # the chunks of the articles shown or prepared last: id -> (body, summary, chunks)
        self._chunked: dict[int, tuple[str, str, list[str]]] = {}
        self._strip: GalleryStrip | None = None  # the gallery's thumbnails
        # the articles beside the shown one, read ahead before the renderer was imported
        self._waiting_for_renderer: list[Article] = []

    def compose(self) -> ComposeResult:
        yield Static(id="meta")
        yield ArticleBody(id="body")
        if image_mode(self._images, headless=self.app.is_headless) != "off":
            self._strip = GalleryStrip(images=self._images, cache_dir=self._image_dir, id="gallery")
            yield self._strip
        # (without images, as in most terminals, the strip stays empty and hidden: it is
        # mounted after the first frame, which its widget and styles would hold back)
        yield Static(id="credits")
        yield Static(id="captions")
        yield StoryVersions(id="versions")  # the story's other versions (reader_story)

    @cached_property
    def body(self) -> ArticleBody:
        return self.query_one(ArticleBody)

    def on_mount(self) -> None:
        # The first frame shows the body as plain text (body_preview); the Markdown
        # renderer, slow to import, is imported in a thread after it (after the screen's
        # ``first_frame``: a thread importing competes with that frame) and takes over.
        self.call_after_refresh(self._load_renderer)

    def _load_renderer(self) -> None:
        self.run_worker(self._import_renderer(), group="renderer")

    async def _import_renderer(self) -> None:
        if self._first_frame is not None:
            await self._first_frame.wait()
        if self._strip is None:
            await self._mount_strip()
        module = await import_later(RENDERER)
        self.body.use_renderer(module.render_markdown)
        self.call_after_refresh(self._render_more)
        if self._waiting_for_renderer:  # read ahead before the renderer came (a busy start)
            self.prepare(self._waiting_for_renderer)

    async def _mount_strip(self) -> None:
        strip = GalleryStrip(images=self._images, cache_dir=self._image_dir, id="gallery")
        await self.mount(strip, before="#credits")
        self._strip = strip
        if self.article is not None:
            strip.show_gallery(self.article.gallery)

    async def settled(self) -> None:
        """Until the pane's widgets have asked for the layout of what they now show (each
        asks once its own queue is idle). The screen awaits this where it showed an article
        in answer to the list's cursor: it paints the next frame only after its handler, and
        so the cursor and the article are laid out and painted together, not the article a
        frame after the cursor (17-33 ms later: Textual paints at most every 1/60 s)."""
        loop = asyncio.get_running_loop()
        asked = []
        for child in self.children:
            done = loop.create_future()
            child.call_next(done.set_result, None)
            asked.append(done)
        await asyncio.wait(asked, timeout=SETTLE_WAIT)

    def on_resize(self) -> None:
        if self.article is not None:  # the link's line, cut to the new width
            self.show_meta(self.article)

    def on_focus(self) -> None:
        self.body.refresh()  # its background follows the pane's

    def on_blur(self) -> None:
        self.body.refresh()

    def prepare(self, articles: list[Article]) -> None:
        """Render the start of ``articles`` (the ones beside the shown one) in a thread, at
        the body's width, so that j or k to one finds its lines rendered."""
        render = self.body.renderer
        width = self.body.size.width
        self._waiting_for_renderer = articles if render is None else []
        if render is None or not width or not articles:
            return
        starts = [self._first_chunk(article) for article in articles]
        search = self._search

        def render_ahead() -> None:
            for start in starts:
                render(highlight_markdown(start, search), width)

        self.run_worker(render_ahead, thread=True, group="render-ahead", exit_on_error=False)

    def _chunks_of(self, article: Article) -> list[str]:
        """The body's Markdown in chunks, its links numbered as in the links dialog (kept
        for the few articles shown or prepared last: j back and forth splits no body again)."""
        kept = self._chunked.get(article.id)
        if kept is not None and (kept[0], kept[1]) == (article.body_markdown, article.summary):
            return kept[2]
        body = article.body_markdown.strip() or article.summary.strip()
        body = body or no_text_note(article, self._open_key)  # why, and what to do
        # Stored bodies are defused at ingest; caches from before that are defused here.
        numbers = {url: n for n, (_, url) in enumerate(article_links(article), start=1)}
        chunks = [numbered_links(c, numbers) for c in markdown_chunks(defuse_links(body))]
        if len(self._chunked) >= CHUNKED_KEPT:
            del self._chunked[next(iter(self._chunked))]
        self._chunked[article.id] = (article.body_markdown, article.summary, chunks)
        return chunks

    def _first_chunk(self, article: Article) -> str:
        return self._chunks_of(article)[0]

    def show_message(self, message: str) -> None:
        self.article = None
        self._chunks, self._next = [], 0
        self.query_one("#meta", Static).update(Text(message, style="italic"))
        self.body.show([])
        self._fill("#credits", Text())
        self._fill("#captions", Text())
        self._around = None
        if self._strip is not None:
            self._strip.show_gallery([])

    def show_article(self, article: Article, search: str = "") -> None:
        """Show ``article``; the hits of ``search`` (folded as the search folds them) stand
        out in its title, body, captions and credits. Its links carry their numbers in the
        links dialog (``u``)."""
        before, searched = self.article, self._search
        self.article = article
        self._search = search
        # Hits are marked a chunk at a time, as each is rendered (a long article stays cheap).
        chunks = self._chunks_of(article)
        again = before is not None and before.id == article.id
        if again and searched == search and chunks == self._chunks:
            self._show_around_body(article, search)  # a claim, a done: the body stays
            return
        self._chunks, self._next = chunks, 1
        with self.app.batch_update():  # laid out and drawn once, title and body together
            self.body.show([highlight_markdown(chunks[0], search)])
            self._show_around_body(article, search)
            self.scroll_home(animate=False)
        self.call_after_refresh(self._render_more)

    def _show_around_body(self, article: Article, search: str) -> None:
        self.show_meta(article)
        # credits and captions come of the gallery: most articles have none, and the
        # two empty lines drawn again for each j cost more than the comparison
        around = (list(article.gallery), search)
        if around != self._around:
            self._around = around
            self._fill("#credits", self._credits(article, search))
            self._fill("#captions", self._captions(article, search))
        if self._strip is not None:  # (the first frame's article: shown once it is mounted)
            self._strip.show_gallery(article.gallery)

    def _fill(self, selector: str, content: RenderableType) -> None:
        """Show ``content`` in the part ``selector`` names; an empty one takes no lines (nor
        its margins: the story's versions come one blank line after the text)."""
        part = self.query_one(selector, Static)
        part.update(content)
        part.display = not isinstance(content, Text) or bool(content.plain)

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
            # one line, cut in the middle (u lists it whole); not laid out yet (the narrow
            # list's first Enter), as wide as the screen allows, cut again once it is
            width = self.scrollable_content_region.width or self.screen.size.width - 4
            meta.append("\n")
            meta.append(middle_cut(article.url, max(width, 1)), "underline")
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
    def renderer_loaded(self) -> bool:
        """Has the Markdown renderer taken over from the first frame's plain preview?"""
        return self.body.renderer_loaded

    @property
    def fully_rendered(self) -> bool:
        return self._next >= len(self._chunks)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._render_more()

    def _render_more(self) -> None:
        """Long articles render a chunk at a time, as the reader nears the end of what is
        rendered: opening one stays instant however long it is."""
        if self.fully_rendered or not self.body.renderer_loaded:
            return
        if self.max_scroll_y - self.scroll_y > 2 * self.size.height:
            return
        self.body.append(highlight_markdown(self._chunks[self._next], self._search))
        self._next += 1
        self.call_after_refresh(self._render_more)

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

    def on_article_body_link_clicked(self, event: ArticleBody.LinkClicked) -> None:
        event.stop()
        if event.href.lower().startswith(SAFE_LINK_SCHEMES):
            self.app.open_url(event.href)
        else:
            self.notify(
                tr("Link not opened (not http/https): {url}", url=event.href[:80]), markup=False
            )


_BARE_URL = re.compile(r"(?<![(<\[])\bhttps?://[^\s<>()\[\]]+")
# an e-mail address written out in the text (a press office's contact lines)
_BARE_MAIL = re.compile(r"(?<![\w.+:/-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")


def article_links(article: Article) -> list[tuple[str, str]]:
    """The article's links in reading order, each once: its own address first, then the
    body's Markdown links (label, url) and bare addresses, then the e-mail addresses written
    out (as ``mailto:``; the text shows no number for them); http(s) and mailto only."""
    found: dict[str, str] = {}
    if article.url:
        found[article.url] = article.title
    body = article.body_markdown or article.summary or ""
    # (found trying each "]" once: a regex from every "[" was quadratic on a body of brackets)
    spans = [(link.start, link.target, link.text) for link in markdown_links(body, TITLED_TARGET)]
    spans += [(m.start(), m.group(0).rstrip(".,;:!?"), "") for m in _BARE_URL.finditer(body)]
    # the addresses written out last: the links' numbers shown in the text stay 1, 2, 3 …
    mails = [(len(body) + m.start(), f"mailto:{m.group(0)}", "") for m in _BARE_MAIL.finditer(body)]
    for _, url, label in sorted(spans) + mails:
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
