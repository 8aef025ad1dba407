"""The article pane follows the list cursor: the article is read in a thread worker (or
taken from the list's read-ahead for j and k), shown when its message comes unless the
cursor moved on, and counts as read by the rule of ``ui/read_tracking.py``."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.timer import Timer
from textual.worker import get_current_worker

from newsroom_tui.article_reading import read_article
from newsroom_tui.models import Article, ArticleSummary
from newsroom_tui.store import StoreError
from newsroom_tui.ui.messages import ArticleRead, PaneDue
from newsroom_tui.ui.read_tracking import Readable, ReadTracker

if TYPE_CHECKING:
    from collections.abc import Callable

    from newsroom_tui.ui.screens.reader import ReaderScreen

# The articles beside the one shown are read (and their lines rendered, in threads) once the
# pane has been drawn and the keys pause this long: not while the pane is being drawn (the
# threads took the interpreter from it: j settled 10-30 ms later), nor for every article
# passed while j is held down.
READ_AHEAD_PAUSE = 0.1


class PaneFollower:
    def __init__(self, reader: ReaderScreen) -> None:
        self._reader = reader
        self._read_ahead: Timer | None = None  # the neighbours' read, waiting for a pause

        def schedule(seconds: float, due: Callable[[], None]) -> Callable[[], None]:
            return reader.set_timer(seconds, due).stop

        self.reading = ReadTracker(
            reader.settings.read_delay,
            schedule,
            still_shown=self._still_shown,
            mark_read=self._mark_read,
        )

    def _still_shown(self, article: Readable) -> bool:
        reader = self._reader
        return reader.is_mounted and reader.pane_on_screen and reader.pane.article is article

    def _mark_read(self, article: Readable) -> None:
        if isinstance(article, ArticleSummary):
            self._reader.triage.set_read(article, True)

    def follow(self, *, chosen: bool) -> None:
        """The pane follows the list cursor. While a search is being typed, it does so once
        the narrowed list is on screen: the list is what one watches then, and rendering
        the pane first would hold it back a frame at every keystroke."""
        reader = self._reader
        if not reader.search_typing():
            self.show_current(chosen=chosen)
        else:
            reader.call_after_refresh(reader.post_message, PaneDue())

    def show_current(self, *, chosen: bool = False) -> None:
        """The pane shows the article under the cursor, read in a worker; ``chosen``: the
        user moved there, so it counts as read once it stayed on screen."""
        reader = self._reader
        table, pane = reader.article_list, reader.pane
        article_id = table.current_id
        if article_id is None:
            table.follow_when_read(chosen=chosen)  # a reload reads its row again
            return
        shown = pane.article
        if shown is not None and shown.id == article_id:
            if pane.search != reader.view.search:  # its marks follow the query typed
                pane.show_article(shown, reader.view.search)
            if chosen and reader.pane_on_screen:
                self.reading.chosen(shown)
            return
        self.reading.showing(article_id)  # the cursor left the one timed: not read
        ahead = table.ahead_copy(article_id)
        if ahead is not None:  # j or k to a neighbour: shown now, no worker to wait for
            self.show(ahead)
            if chosen and reader.pane_on_screen:
                self.reading.chosen(ahead)
            return
        reader.run_worker(
            partial(self._read_article, article_id, chosen),
            thread=True,
            exclusive=True,
            group="article",
            exit_on_error=False,
        )

    def _read_article(self, article_id: int, chosen: bool) -> None:
        try:
            answer = ArticleRead(read_article(self._reader.store, article_id), chosen=chosen)
        except StoreError as exc:
            answer = ArticleRead(None, chosen=chosen, error=exc)
        if not get_current_worker().is_cancelled:  # j j j: only the last one answers
            self._reader.post_message(answer)

    def answered(self, message: ArticleRead) -> None:
        reader = self._reader
        if message.error is not None:
            reader.server.lost(message.error)
            return
        article = message.article
        # the cursor's row may be being read again (a poll's reload keeps the cursor on it)
        if article is None or reader.article_list.current_id not in (None, article.id):
            return  # the cursor moved on
        shown = reader.pane.article
        if shown is None or shown.id != article.id:
            self.show(article)
        if message.chosen and reader.pane_on_screen:
            self.reading.chosen(reader.pane.article or article)

    def show(self, article: Article) -> None:
        reader = self._reader
        writes = reader.writes
        table = reader.article_list
        row = table.loaded_row(table.cursor_row)
        if reader.view.stories and row is not None and row.id == article.id and not row.read:
            article.read = False  # an earlier version of its story is unread: its row's mark
        writes.show_keys(article)  # a key's write still under way: what the key showed
        reader.pane.show_article(article, reader.view.search)
        self.reading.showing(article.id)  # the one timed before is off screen now
        if reader.painted.is_set():  # (the first frame's article: the counts come first)
            reader.story.shown(article)  # its story's other versions under it
            self.read_ahead_soon()
        else:  # the versions are read after the first frame, which need not wait for them
            reader.call_after_refresh(self._story_after_first_frame, article.id)

    def _story_after_first_frame(self, article_id: int) -> None:
        shown = self._reader.pane.article
        if shown is not None and shown.id == article_id:
            self._reader.story.shown(shown)

    def read_ahead_soon(self) -> None:
        """Read the articles beside the cursor once the keys pause (READ_AHEAD_PAUSE)."""
        if self._read_ahead is not None:
            self._read_ahead.stop()
        self._read_ahead = self._reader.set_timer(READ_AHEAD_PAUSE, self._read_neighbours)

    def _read_neighbours(self) -> None:
        self._read_ahead = None
        self._reader.article_list.read_neighbours()
