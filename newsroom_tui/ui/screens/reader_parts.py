"""What the parts of the reader share: ``ReaderScreen`` (``reader.py``) is made of the parts
in ``reader_*.py`` (counts, triage, hand-off, polling, colleagues, lists), each a base
class of it holding one kind of work; this base names what they use of the screen."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.timer import Timer

if TYPE_CHECKING:
    from newsroom_tui.models import ArticleSummary
    from newsroom_tui.store import Store, StoreError
    from newsroom_tui.ui.app import NewsroomApp
    from newsroom_tui.ui.view import View
    from newsroom_tui.ui.watch_alerts import ReaderAlerts
    from newsroom_tui.ui.widgets.article_list import ArticleList, Listing
    from newsroom_tui.ui.widgets.article_pane import ArticleView
    from newsroom_tui.ui.widgets.feed_list import FeedList
    from newsroom_tui.ui.widgets.search_box import SearchBox
    from newsroom_tui.ui.widgets.status_bar import StatusBar
    from newsroom_tui.ui.widgets.watch_list import WatchList
    from newsroom_tui.ui.write_behind import WriteBehind


class ReaderPart(Screen[None]):
    """A part of the reader; everything named here is ``ReaderScreen``'s or another part's."""

    if TYPE_CHECKING:
        app: NewsroomApp  # type: ignore[assignment]
        view: View
        store: Store
        writes: WriteBehind
        feed_list: FeedList
        watch_list: WatchList
        article_list: ArticleList
        pane: ArticleView
        status: StatusBar
        search_box: SearchBox
        watch_alerts: ReaderAlerts
        pane_on_screen: bool
        polling: bool
        _painted: asyncio.Event
        _undo: Callable[[], str] | None
        _read_timer: Timer | None
        _read_pending: int | None
        _change_token: object
        _known_total: int | None

        def reload_articles(
            self,
            *,
            keep_row: bool = False,
            follow: bool = True,
            listing: Listing | None = None,
            has_feeds: bool = True,
            fallback_row: int = 0,
        ) -> None: ...
        def reload_articles_soon(self) -> None: ...
        def reload_feeds(self, only: Collection[int] | None = None) -> None: ...
        async def _recount(self, only: set[int] | None) -> None: ...
        def _show_totals(self) -> None: ...
        def _server_lost(self, exc: StoreError) -> None: ...
        def reload_articles_behind(self, *, keep_row: bool = False) -> None: ...
        def set_read(self, article: ArticleSummary, read: bool) -> None: ...
        def _stop_read_timer(self) -> None: ...
        def refresh_article(self, article_id: int) -> None: ...
        def refresh_shown_article(self, *, read: bool = False) -> None: ...
        def open_url(self, url: str) -> None: ...
