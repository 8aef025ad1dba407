"""The article list: announcements newest first, read from the store a page at a time.

The page under the cursor is read as the list is shown (about a millisecond: the first
frame, and the frame after a poll's reload, show rows); the other pages on screen and a
screen's worth ahead and behind are read in thread workers, and a row whose page is not
there yet shows as a placeholder until it is. A cache of 100,000 articles opens as fast as
one of ten, and neither drawing a row nor j waits for the store.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.worker import get_current_worker

from newsroom_tui.article_reading import read_article
from newsroom_tui.models import Article, ArticleSummary
from newsroom_tui.records import record
from newsroom_tui.store import ALL_ARTICLES, ArticleFilter, Store, StoreError
from newsroom_tui.text.article_format import (
    format_list_date,
    format_recent_date,
    is_today,
    list_date_width,
)
from newsroom_tui.ui.language import plural, tr
from newsroom_tui.ui.messages import ArticlesAhead
from newsroom_tui.ui.widgets.virtual_list import VirtualList
from newsroom_tui.ui.widgets.watch_list import WATCH_MARK

UNREAD_MARK = "●"
FLAG_MARK = "⚑"
PAGE = 200
# A search lists its newest hits up to this many ("1000+ shown"): counting 500,000 hits of
# "stadt" in a large cache took seconds, the first 1,000 take milliseconds.
SEARCH_ROWS = 1_000
# what a list row says of its article: a read-ahead copy that differs from it is stale
_ROW_FIELDS = tuple(f.name for f in fields(ArticleSummary))


@record(frozen=True)
class Listing:
    """What the list reads from the store to show ``where`` (see :func:`read_listing`)."""

    where: ArticleFilter
    count: int  # rows in the list
    more: bool  # a search with more hits than it lists
    keep: int | None  # the article the cursor stays on
    position: int | None  # its row, None when it left the list
    page: int  # the page read with it: the cursor's
    rows: list[ArticleSummary] | None


def read_listing(
    store: Store, where: ArticleFilter, keep: int | None, fallback_row: int = 0
) -> Listing:
    """The count, the cursor's row and its page of ``articles(where)``: the store's part of
    :meth:`ArticleList.show`, for a thread worker (a search being typed). A search counts
    to :data:`SEARCH_ROWS` and keeps the cursor's article only among its newest hits."""
    more = False
    if where.search:
        count = store.count_articles(where, at_most=SEARCH_ROWS + 1)
        more, count = count > SEARCH_ROWS, min(count, SEARCH_ROWS)
        first = store.articles(where, limit=PAGE) if count else []
        ids = [row.id for row in first]
        position = ids.index(keep) if keep in ids else None
    else:
        count = store.count_articles(where)
        first = None
        position = store.article_position(where, keep) if keep is not None else None
    index = position if position is not None else min(fallback_row, count - 1)
    page = max(index, 0) // PAGE
    rows: list[ArticleSummary] | None = None
    if 0 <= index < count:
        rows = (
            first
            if page == 0 and first is not None
            else (store.articles(where, limit=PAGE, offset=page * PAGE))
        )
    return Listing(where, count, more, keep, position, page, rows)


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
        a reload put it somewhere (start, a filter, a search being typed); ``follow``: the
        article pane should show its article (the user moved, or the reload asked for it)."""

        def __init__(
            self, article_id: int | None, *, chosen: bool = True, follow: bool = True
        ) -> None:
            super().__init__()
            self.article_id = article_id
            self.chosen = chosen
            self.follow = follow or chosen

        def can_replace(self, message: Message) -> bool:
            # j held down: only where the cursor ends up is shown in the pane; a reload's
            # right after a key keeps the key's "chosen". ``message`` is the later one,
            # which is handled instead of this one.
            if not isinstance(message, ArticleList.Highlighted):
                return False
            message.chosen = message.chosen or self.chosen
            message.follow = message.follow or self.follow
            return True

    class PageLoaded(Message, bubble=False):
        """A page read by a worker (None: it could not be read), for the list as it was at
        ``generation``."""

        def __init__(self, generation: int, page: int, rows: list[ArticleSummary] | None) -> None:
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
        self._more = False
        self._pages: dict[int, list[ArticleSummary]] = {}
        self._generation = 0  # one more at every show(): pages read for an older list go
        self._reading: set[int] = set()  # pages a worker is reading
        self._reloading = False  # the cursor is being put back by a reload, not by the user
        self._reload_follows = False  # ... and the pane is to follow it there
        # the cursor moved onto a row still being read: Highlighted(chosen, follow) is
        # posted once its page is loaded
        self._highlight_due: tuple[bool, bool] | None = None
        self._select_due = False  # Enter on a row still being read: Selected once it is
        self._ahead: dict[int, Article] = {}  # the articles beside the cursor, read ahead
        self._kept: int | None = None  # the article show() put the cursor on, while not read
        # The article under the cursor left the list while it stays open (a colleague's D):
        # the cursor waits in its place, before the row at this index, until moved.
        self._gap_at: int | None = None
        self._widths: tuple[int, tuple[int, int, int]] | None = None  # width -> columns

    @property
    def row_count(self) -> int:
        return self._count

    def row_at(self, index: int) -> ArticleSummary | None:
        """The row at ``index``, read from the store now if its page is not loaded: for
        a look from outside the reader (a test, a benchmark); the reader itself never
        reads the store on the event loop."""
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

    def loaded_row(self, index: int) -> ArticleSummary | None:
        """The row at ``index`` if its page is loaded (never read from the store here)."""
        return self._loaded(index)

    def _loaded(self, index: int) -> ArticleSummary | None:
        rows = self._pages.get(index // PAGE)
        offset = index % PAGE
        return rows[offset] if rows is not None and offset < len(rows) else None

    def viewport_changed(self) -> None:
        """The pages on screen, and the ones a screen above and below, are read in thread
        workers: by the time j or a page key reaches a row, its page is usually there."""
        if self._store is None or not self._count:
            return
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        bottom = min(self._count - 1, top + height)
        on_screen = range(top // PAGE, bottom // PAGE + 1)
        ahead = min(self._count - 1, bottom + height) // PAGE
        behind = max(0, top - height) // PAGE
        for page in dict.fromkeys([*on_screen, ahead, behind]):
            if page not in self._pages and page not in self._reading:
                self._reading.add(page)
                self._read_page(self._store, self._filter, self._generation, page)

    @work(thread=True, group="list-pages", exit_on_error=False)
    def _read_page(self, store: Store, where: ArticleFilter, generation: int, page: int) -> None:
        try:
            rows = store.articles(where, limit=PAGE, offset=page * PAGE)
        except StoreError:  # the server is out of reach: the rows stay placeholders
            rows = None
        self.post_message(self.PageLoaded(generation, page, rows))

    def on_article_list_page_loaded(self, message: PageLoaded) -> None:
        if message.generation != self._generation:
            return  # read for a list that was reloaded since
        self._reading.discard(message.page)
        if message.rows is None:
            return
        self._pages.setdefault(message.page, message.rows)
        self.refresh()
        if self.cursor_row // PAGE != message.page:
            return
        if self._highlight_due is not None:
            self._highlight(*self._highlight_due)
        if self._select_due:
            self.selected()

    @property
    def current_id(self) -> int | None:
        """The article under the cursor; None also while its page is being read."""
        row = self._loaded(self.cursor_row)
        return row.id if row else None

    @property
    def cursor_row_pending(self) -> bool:
        """Is the row under the cursor still being read?"""
        return 0 <= self.cursor_row < self._count and self._loaded(self.cursor_row) is None

    @property
    def keep_id(self) -> int | None:
        """The article a reload keeps the cursor on: the one under it, or the one the last
        reload put it on while its row is still being read."""
        return self.current_id if self._kept is None else self._kept

    def keep(self, article_id: int) -> None:
        """The next reload puts the cursor on ``article_id`` (back in the list), unless
        the user moves it first."""
        self._kept = article_id

    @property
    def more(self) -> bool:
        """A search with more hits than the list holds (:data:`SEARCH_ROWS`)."""
        return self._more

    def show_listing(
        self,
        store: Store,
        listing: Listing,
        *,
        fallback_row: int = 0,
        hold: bool = False,
        follow: bool = True,
    ) -> None:
        """Show what :func:`read_listing` read (nothing is read from the store here),
        keeping the cursor on the same article where possible, else on ``fallback_row``
        (the row an article that left the list had: the next one). ``hold``: the article
        under the cursor stays open elsewhere; if it left the list, the cursor waits in
        its place, so that j goes on to the next one (``in_gap``). ``follow``: the
        Highlighted this reload posts asks the pane to follow."""
        gap = self._gap_at is not None
        keep = listing.keep
        due = self._highlight_due  # a move whose row was still being read
        self._store, self._filter = store, listing.where
        self._widths = None  # a feed's own list has no feed column
        self._pages.clear()
        self._reading.clear()
        self._highlight_due = None
        self._generation += 1
        self._count, self._more = listing.count, listing.more
        position = listing.position
        # until the cursor's row is read, a further reload keeps the cursor on this article
        self._kept = listing.keep if position is not None else None
        # The cursor's page was read with the count (a page is about a millisecond): the
        # first frame and the frame after a reload show rows, not placeholders, and the pane
        # can follow at once; the pages around it are read in workers (viewport_changed).
        if listing.rows is not None:
            self._pages[listing.page] = listing.rows
        self.rows_changed()
        if not hold:
            self._gap_at = None
        elif keep is not None and position is None:
            self._gap_at = min(fallback_row, self._count)  # it left: its place is kept
        elif gap and position is not None:
            self._gap_at = position  # still before the same article
        self._reloading, self._reload_follows = True, follow
        try:
            self.move_cursor(position if position is not None else fallback_row, force=True)
        finally:
            self._reloading = False
        if due is not None and self._highlight_due is not None:
            chosen, follows = self._highlight_due
            self._highlight_due = (chosen or due[0], follows or due[1])

    def mark(self, article_id: int, **state: object) -> None:
        """Show a changed state (read, flagged, claimed_by, done) without reloading."""
        for rows in self._pages.values():
            for row in rows:
                if row.id == article_id:
                    for name, value in state.items():
                        setattr(row, name, value)
        self.refresh()

    def mark_loaded(self, **state: object) -> None:
        """Show a state on every row read so far (mark all read, before the store has it)."""
        for rows in self._pages.values():
            for row in rows:
                for name, value in state.items():
                    setattr(row, name, value)
        self.refresh()

    @property
    def in_gap(self) -> bool:
        """Has the article under the cursor left the list while it stays open? The cursor
        then waits in its place: no row is highlighted, j and n go on from there."""
        return self._gap_at is not None

    @property
    def generation(self) -> int:
        """One more at every reload: what was read for an older list is stale."""
        return self._generation

    def unread_finder(self, step: int) -> Callable[[], int | None] | None:
        """What finds the nearest unread row after (``step`` 1) or before (-1) the cursor,
        wrapping around, for a thread (it reads the store; nothing of the widget changes);
        None when the list is empty. The rows read so far count as shown (a read mark
        whose write is still under way), the others are read a page at a time."""
        store, where, count = self._store, self._filter, self._count
        if store is None or not count:
            return None
        if step > 0:
            after = self.cursor_row
            if self._gap_at is not None:  # the row after the gap counts too
                after = self._gap_at - 1 if self._gap_at > 0 else count
            return lambda: store.next_unread_position(where, after)
        start = self.cursor_row if self._gap_at is None else self._gap_at
        skip = self.cursor_row if self._gap_at is None else None
        pages = dict(self._pages)

        def previous() -> int | None:
            order: list[int] = [*range(start - 1, -1, -1), *range(count - 1, -1, -1)]
            for index in order:
                page, offset = divmod(index, PAGE)
                if page not in pages:
                    pages[page] = store.articles(where, limit=PAGE, offset=page * PAGE)
                rows = pages[page]
                row = rows[offset] if offset < len(rows) else None
                if row is not None and not row.read and index != skip:
                    return index
            return None

        return previous

    def action_cursor_down(self) -> None:
        if self._gap_at is None:
            super().action_cursor_down()
        elif self._gap_at < self._count:  # the article after the gap
            self.move_cursor(self._gap_at, force=True)

    def action_cursor_up(self) -> None:
        if self._gap_at is None:
            super().action_cursor_up()
        else:  # the article before the gap
            self.move_cursor(self._gap_at - 1, force=True)

    def cursor_on_row(self) -> bool:
        return self._gap_at is None

    def cursor_moved(self) -> None:
        if not self._reloading:
            self._kept = None  # the user moved on
            self._gap_at = None
        if self._reloading:
            self._highlight(False, self._reload_follows)
        else:
            self._select_due = False
            self._highlight(True, True)

    def _highlight(self, chosen: bool, follow: bool) -> None:
        if self.cursor_row_pending:  # said once the row is read (after a reload, a far jump)
            self._highlight_due = (chosen, follow)
            return
        self._highlight_due = None
        self._kept = None
        # To the screen itself, not bubbled up through the containers: the screen shows the
        # article read ahead before it paints the new cursor, both in one frame. (Bubbled, the
        # cursor was painted first and the article waited for Textual's next frame: 17-33 ms
        # of each j.)
        self.screen.post_message(self.Highlighted(self.current_id, chosen=chosen, follow=follow))

    def follow_when_read(self, *, chosen: bool) -> None:
        """The pane is to follow the cursor once its row (being read again) is read."""
        if self.cursor_row_pending:
            due = self._highlight_due or (False, False)
            self._highlight_due = (due[0] or chosen, True)

    def selected(self) -> None:
        """Enter: Selected for the row under the cursor, or once its page is read (the
        row is never read from the store here)."""
        row = self._loaded(self.cursor_row)
        self._select_due = row is None and self.cursor_row_pending
        if row is not None:
            self.post_message(self.Selected(row.id))

    # the articles beside the cursor, read ahead for the next j or k -----------------------

    def read_neighbours(self) -> None:
        """Read the articles above and below the cursor in a worker."""
        ids = []
        for index in (self.cursor_row + 1, self.cursor_row - 1):
            row = self._loaded(index)
            if row is not None:
                ids.append(row.id)
        wanted = [i for i in ids if i not in self._ahead]
        self._ahead = {i: a for i, a in self._ahead.items() if i in ids}
        if wanted and self._store is not None:
            self._read_articles_ahead(self._store, wanted)

    @work(thread=True, exclusive=True, group="ahead", exit_on_error=False)
    def _read_articles_ahead(self, store: Store, article_ids: list[int]) -> None:
        try:
            found = [read_article(store, i) for i in article_ids]
        except StoreError:
            return  # read when moved to, as without the read-ahead
        if not get_current_worker().is_cancelled:
            self.post_message(ArticlesAhead([a for a in found if a is not None]))

    def on_articles_ahead(self, message: ArticlesAhead) -> None:
        # (not stopped: the screen has the pane render their lines ahead too)
        for article in message.articles:
            self._ahead[article.id] = article

    @property
    def read_ahead(self) -> set[int]:
        """The articles read ahead, beside the cursor."""
        return set(self._ahead)

    def ahead_copy(self, article_id: int) -> Article | None:
        """The article under the cursor as read ahead, if its row still says the same of
        it (read, flagged, claimed, done, title: the row follows every change shown)."""
        ahead = self._ahead.pop(article_id, None)
        row = self._loaded(self.cursor_row)
        if ahead is None or row is None or row.id != article_id:
            return None
        if any(getattr(ahead, name) != getattr(row, name) for name in _ROW_FIELDS):
            return None
        return ahead

    def row_is_strong(self, index: int) -> bool:
        row = self._loaded(index)
        return row is not None and not row.read

    def rows_will_render(self, width: int) -> None:
        # one feed's list: every row would name the same feed, its width goes to titles
        self._widths = (width, column_widths(width, feed=self._filter.feed_id is None))

    def render_row(self, index: int, width: int) -> Text | None:
        row = self._loaded(index)
        if row is None:
            return Text("…", style="dim") if 0 <= index < self._count else None
        if self._widths is None or self._widths[0] != width:
            self.rows_will_render(width)
        assert self._widths is not None
        date_width, feed_width, title_width = self._widths[1]
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
        story = story_label(row, title_width - len(title)) if self._filter.stories else ""
        if story:
            title.append(f"{story} · ", style="bold cyan")
        title.append(row.title)
        title.truncate(title_width, overflow="ellipsis", pad=True)
        line = Text(no_wrap=True)
        line.append(f"{mark:<2} ", style="bold red" if row.flagged else "bold")
        line.append(format_list_date(row.published).ljust(date_width)[:date_width], style="dim")
        line.append("  ")
        if feed_width:
            line.append_text(feed)
            line.append("  ")
        line.append_text(title)
        return line


def column_widths(width: int, *, feed: bool = True) -> tuple[int, int, int]:
    """Date, feed and title columns of a row ``width`` wide: the date as long as the
    configured format makes it, the feed a fifth of the row (10 to 32; none without
    ``feed``), the title the rest. At 80 columns a title keeps 40 characters with the feed
    column; wider rows give most of their width to it."""
    date_width = list_date_width()
    if not feed:
        return date_width, 0, max(8, width - (3 + date_width + 2))
    fixed = 3 + date_width + 2 + 2
    feed_width = max(ArticleList.FEED_MIN, min(ArticleList.FEED_MAX, width // 5))
    return date_width, feed_width, max(8, width - fixed - feed_width)


def story_label(row: ArticleSummary, width: int | None = None) -> str:
    """What a row says of its story: how many sources tell it ("3 sources") and, where the
    row's own feed did not have it first, which one did; its newest update and when
    ("update 14:05": the story's newest development); "" for an article alone. ``width``:
    the title column's; the label shrinks so that the title keeps two thirds of it (who had
    it first goes first, then the update's year, "3 sources" becomes "+2", the update's
    date goes, then the sources' count before the word "update")."""
    forms = _story_forms(row)
    if width is None or not forms:
        return forms[0] if forms else ""
    keep = min(len(row.title), 2 * width // 3)
    return next((f for f in forms if len(f) + 3 + keep <= width), forms[-1])


def _story_forms(row: ArticleSummary) -> list[str]:
    """The story's label, the form preferred first; none for an article alone."""
    if row.story_first is None:
        return []
    first = many = short = ""
    if row.story_sources >= 2:
        first = many = plural(row.story_sources, "{n} source", "{n} sources")
        if row.story_first != row.feed:
            first = tr("{sources}, first: {feed}", sources=many, feed=row.story_first)
        short = tr("+{more}", more=row.story_sources - 1)
    if row.story_update is not None and row.story_update == row.published:
        # the row is the update: its date is the row's, the word enough, and it goes first
        update = tr("update")
        pairs = [(first, update), (many, update), (many, ""), (short, "")]
        return _distinct(pairs)
    update = recent = brief = ""
    if row.story_update is not None:
        brief = tr("update")
        update = f"{brief} {format_list_date(row.story_update)}"
        recent = f"{brief} {format_recent_date(row.story_update)}"  # without its year
        if is_today(row.story_update):
            brief = update  # today's: its time alone, as the list's dates show it
    pairs = [
        (first, update),
        (many, update),
        (many, recent),
        (short, recent),
        (many, brief),
        (short, brief),
        (brief, ""),  # that an update came says more than how many told the story
        (many, ""),
        (short, ""),
    ]
    return _distinct(pairs)


def _distinct(pairs: list[tuple[str, str]]) -> list[str]:
    """The labels of ``pairs`` (their parts joined by " · "), each once, in order."""
    forms: list[str] = []
    for parts in pairs:
        form = " · ".join(part for part in parts if part)
        if form and form not in forms:
            forms.append(form)
    return forms


def initials(name: str) -> str:
    """Two letters for a person: "anna.schmidt" -> "AS", "ben" -> "BE"."""
    parts = [p for p in re.split(r"[^\w]+|_", name) if p]
    if len(parts) >= 2:
        return (parts[0][0] + parts[1][0]).upper()
    return (parts[0][:2] if parts else "??").upper()
