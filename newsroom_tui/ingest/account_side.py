"""The store's side of a sync account within a poll: the account's outcome
(:class:`AccountSync`) and :class:`CountingSide`, which makes the pulled items' articles
(with their teasers' pages) and counts what each synced feed got."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsroom_tui.ingest import article_pages, page_retries
from newsroom_tui.ingest.refused_pages import retry_refused
from newsroom_tui.ingest.synced_articles import synced_article
from newsroom_tui.ingest.synced_bodies import SyncedBodies, synced_bodies
from newsroom_tui.ingest.worker_pool import Workers, default_processes
from newsroom_tui.models import NewArticle
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.store.base import StoreError
from newsroom_tui.store.sync_side import SYNCED, URL_PREFIX, SQLiteSyncSide, SyncSide
from newsroom_tui.sync.transport import SyncError
from newsroom_tui.sync_records import (
    Flag,
    ItemId,
    ItemState,
    Pull,
    RemoteItem,
    StateChange,
    SyncReport,
)
from newsroom_tui.watch.on_arrival import match_new_articles

if TYPE_CHECKING:
    from newsroom_tui.store.postgres import PostgresStore
    from newsroom_tui.store.sql_store import SQLStore
    from newsroom_tui.store.sqlite import SQLiteStore


@dataclass
class AccountSync:
    """What the account's part of a poll came to: ``report`` or ``error`` (one line), or
    ``elsewhere``: why this newsroom left it to another (a team store's account)."""

    server: str
    url: str
    report: SyncReport | None = None
    error: str | None = None
    network: bool = False  # the server could not be reached
    offline: bool = False  # for a reason that may be this machine's (SyncError.offline)
    elsewhere: str | None = None


class CountingSide:
    """The store's side (:class:`~newsroom_tui.store.sync_side.SyncSide`), remembering how
    many new articles each feed got from the pull, and the articles made for its new items
    before it is written (pages of teasers). ``account_id``: the team store's account."""

    def __init__(
        self, store: SQLStore, fetcher: Fetcher | None = None, account_id: int | None = None
    ) -> None:
        self.store = store
        self.new_by_feed: Counter[str] = Counter()
        self.bodies = SyncedBodies()
        self._fetcher = fetcher
        self.started = page_retries.clock()  # the pages due then are tried after the sync
        # the items' articles made as the ingest makes them; the watchlists, as a poll's
        self.side: SyncSide
        if account_id is None:
            self.side = SQLiteSyncSide(
                _sqlite(store), article_of=self._article_of, after_save=match_new_articles
            )
        else:
            from newsroom_tui.store.pg_sync_side import PostgresSyncSide

            self.side = PostgresSyncSide(
                _postgres(store),
                account_id,
                article_of=self._article_of,
                after_save=match_new_articles,
            )

    def _article_of(self, item: RemoteItem) -> NewArticle:
        made = self.bodies.articles.get(item.id.decimal)
        return made if made is not None else synced_article(item, self.store.lazy_bodies)

    async def before_write(self, items: Sequence[RemoteItem]) -> None:
        """The new items' articles, with the pages of teasers (see
        :mod:`newsroom_tui.ingest.synced_bodies`)."""
        settings = {
            feed.url.removeprefix(URL_PREFIX): feed.full_page
            for feed in await asyncio.to_thread(self.store.feeds)
            if feed.kind == SYNCED
        }
        async with self._page_tools(len(items)) as (fetcher, workers):
            try:
                self.bodies = await synced_bodies(
                    items,
                    lambda feed: settings.get(feed, "auto"),
                    fetcher,
                    workers,
                    lazy=self.store.lazy_bodies,
                )
            except Exception:  # a bug on these items' pages or builds: made as before
                self.bodies = SyncedBodies()

    @contextlib.asynccontextmanager
    async def _page_tools(self, jobs: int) -> AsyncIterator[tuple[Fetcher, Workers]]:
        """The fetcher (the poll's, or one of its own) and worker processes for ``jobs``
        pages' work (started only when a job comes), closed after."""
        workers = Workers(default_processes(jobs))
        fetcher = self._fetcher or Fetcher()
        try:
            yield fetcher, workers
        finally:
            await workers.close()
            if self._fetcher is None:
                await fetcher.aclose()

    # LocalSide, the store's side's
    def outbox(self, limit: int) -> list[StateChange]:
        return self.side.outbox(limit)

    def drop_pushed(self, changes: Sequence[StateChange]) -> None:
        self.side.drop_pushed(changes)

    def pending(self) -> set[tuple[ItemId, Flag]]:
        return self.side.pending()

    def item_states(self) -> dict[ItemId, ItemState]:
        return self.side.item_states()

    def cursor(self) -> str | None:
        return self.side.cursor()

    def apply_pull(self, pull: Pull) -> None:
        self.side.apply_pull(pull, self.bodies.retries)
        self.new_by_feed = Counter(item.feed_id or "" for item in pull.new_items)

    async def retry_pages(self) -> None:
        """The teasers' pages due again (:mod:`newsroom_tui.ingest.page_retries`), after a
        sync: a page that fails again costs nothing else."""
        async with self._page_tools(article_pages.PAGES_PER_POLL) as (fetcher, workers):
            # the store away, a bug on a page: tried at the next poll
            with contextlib.suppress(Exception):
                await page_retries.retry_pages(self.store, fetcher, workers, self.started)
            with contextlib.suppress(Exception):  # those refused under another address rule
                synced = [
                    f.id for f in await asyncio.to_thread(self.store.feeds) if f.kind == SYNCED
                ]
                await retry_refused(self.store, fetcher, workers, synced)


def _sqlite(store: SQLStore) -> SQLiteStore:
    from newsroom_tui.store.sqlite import SQLiteStore

    assert isinstance(store, SQLiteStore)
    return store


def _postgres(store: SQLStore) -> PostgresStore:
    from newsroom_tui.store.postgres import PostgresStore

    assert isinstance(store, PostgresStore)
    return store


async def synced(account: AccountSync, sync: Awaitable[SyncReport | None]) -> None:
    """Await ``sync`` into ``account``: its report, or its one-line error."""
    try:
        account.report = await sync
    except SyncError as exc:
        account.error, account.network, account.offline = str(exc), exc.network, exc.offline
    except StoreError as exc:
        account.error = f"sync with {account.server} not written: {exc}"
