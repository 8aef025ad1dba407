"""A poll with the sync account beside it: the local feeds and page sources polled as ever,
the account (``newsroom sync login``) synced at the same time, its outbox pushed before the
pull. ``newsroom fetch`` and the reader's poll both run :func:`poll_all`.

The account's feeds (kind ``synced``) are not fetched by URL: the server polls the sites.
Each of them is reported as a poll outcome once the sync has written its pull; a sync that
fails is one failed outcome (the account, its one-line error) and leaves the cache and the
outbox as they were. On the team store the account is the desk's (see
:mod:`.team_account_poll`): the poller that has its secret and takes its lock syncs it."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import httpx

from newsroom_tui.ingest import article_pages, page_retries
from newsroom_tui.ingest.poller import (
    FeedOutcome,
    IndexProgress,
    PollReport,
    ProgressCallback,
    poll_feeds,
)
from newsroom_tui.ingest.story_assignment import attach as attach_stories
from newsroom_tui.ingest.synced_articles import synced_article
from newsroom_tui.ingest.synced_bodies import SyncedBodies, synced_bodies
from newsroom_tui.ingest.worker_pool import Workers, default_processes
from newsroom_tui.models import Feed, NewArticle, PollStatus
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.store.base import Store, StoreError
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

ACCOUNT_FEED_ID = 0  # the account's own outcome: no feed has row id 0


@dataclass
class AccountSync:
    """What the account's part of a poll came to: ``report`` or ``error`` (one line), or
    ``elsewhere``: why this newsroom left it to another (a team store's account)."""

    server: str
    url: str
    report: SyncReport | None = None
    error: str | None = None
    network: bool = False  # the server could not be reached
    elsewhere: str | None = None


@dataclass
class AccountPollReport(PollReport):
    sync: AccountSync | None = None


def _with_account(report: PollReport, account: AccountSync | None) -> AccountPollReport:
    """The local feeds' ``report`` (every field of it) with the account's part."""
    mine = {f.name: getattr(report, f.name) for f in fields(PollReport)}
    return AccountPollReport(**mine, sync=account)


class _CountingSide:
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


def _sqlite(store: SQLStore) -> SQLiteStore:
    from newsroom_tui.store.sqlite import SQLiteStore

    assert isinstance(store, SQLiteStore)
    return store


def _postgres(store: SQLStore) -> PostgresStore:
    from newsroom_tui.store.postgres import PostgresStore

    assert isinstance(store, PostgresStore)
    return store


@dataclass
class _Plan:
    """The account's part of a poll: ``run`` syncs it (None: nothing to run here)."""

    account: AccountSync
    side: _CountingSide | None = None
    run: Callable[[], Awaitable[None]] | None = None


async def poll_all(
    store: Store,
    feeds: list[Feed],
    *,
    fetcher: Fetcher | None = None,
    on_progress: ProgressCallback | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    on_index: IndexProgress | None = None,
) -> AccountPollReport:
    """Poll the local ``feeds`` and sync the saved account, at once. ``on_progress`` hears
    each local feed, then each synced one (or the account's failure); ``on_index``, how far
    the search index of the poll's articles is, once they are stored."""
    local = [feed for feed in feeds if feed.kind != SYNCED]
    total = len(feeds)
    plan = await _plan(store, fetcher, transport)
    if plan is None or (plan.run is None and plan.account.error is None):
        # no account, or one this newsroom leaves to another: the local feeds alone
        report = await poll_feeds(
            store, local, fetcher=fetcher, on_progress=on_progress, on_index=on_index
        )
        return _with_account(report, plan.account if plan is not None else None)
    account, side = plan.account, plan.side
    sync_task = asyncio.ensure_future(plan.run()) if plan.run is not None else None
    done = 0

    def progress(outcome: FeedOutcome, _done: int, _total: int) -> None:
        nonlocal done
        done += 1
        if on_progress:
            on_progress(outcome, done, total)

    try:
        report = await poll_feeds(
            store, local, fetcher=fetcher, on_progress=progress, on_index=on_index
        )
    except BaseException:
        # the poll stopped (the reader quits, the cache cannot be written): so does the
        # sync; what the server took is sent again next time, a pull is written whole or not
        if sync_task is not None:
            sync_task.cancel()
        raise
    if sync_task is not None:
        await sync_task
    result = _with_account(report, account)
    synced_here = account.error is None and account.elsewhere is None
    after = await asyncio.to_thread(store.feeds) if synced_here else []
    extras = _account_outcomes(account, side, after)
    final = max(total, len(local) + len(extras))
    for n, outcome in enumerate(extras, 1):
        result.outcomes.append(outcome)
        done = final if n == len(extras) else min(done + 1, final)
        if on_progress:
            on_progress(outcome, done, final)
    return result


async def sync_now(
    store: Store,
    fetcher: Fetcher | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> AccountSync | None:
    """The saved account synced alone (``newsroom sync login``'s first sync), as a poll
    syncs it; None when there is no account."""
    plan = await _plan(store, fetcher, transport)
    if plan is None:
        return None
    if plan.run is not None:
        await plan.run()
    return plan.account


async def _plan(
    store: Store, fetcher: Fetcher | None, transport: httpx.AsyncBaseTransport | None
) -> _Plan | None:
    """What this poll does with the account of ``store``: None when there is none (or the
    store keeps none)."""
    from newsroom_tui.store.sqlite import SQLiteStore

    if isinstance(store, SQLiteStore):
        return _cache_plan(store, fetcher, transport)
    from newsroom_tui.store.postgres import PostgresStore

    if isinstance(store, PostgresStore):
        from newsroom_tui.ingest.team_account_poll import team_plan

        found = await team_plan(store, fetcher, transport)
        if found is None:
            return None
        account, side, run = found
        return _Plan(account, side, run)
    return None


def _cache_plan(
    store: SQLiteStore, fetcher: Fetcher | None, transport: httpx.AsyncBaseTransport | None
) -> _Plan | None:
    """The local cache's account, saved in its data dir."""
    from newsroom_tui.sync.account_file import load_account

    data_dir = store.path.parent
    try:
        saved = load_account(data_dir)
    except SyncError as exc:
        return _Plan(AccountSync("sync account", str(data_dir), error=str(exc)))
    if saved is None:
        return None
    account = AccountSync(saved.account.server, saved.account.endpoint)
    side = _CountingSide(store, fetcher)

    async def run() -> None:
        from newsroom_tui.sync.account_sync import sync_saved_account

        attach_stories(store)  # the new articles' stories, as a poll's
        await synced(
            account,
            sync_saved_account(data_dir, side, transport=transport, before_write=side.before_write),
        )
        if account.error is None:
            await side.retry_pages()

    return _Plan(account, side, run)


async def synced(account: AccountSync, sync: Awaitable[SyncReport | None]) -> None:
    """Await ``sync`` into ``account``: its report, or its one-line error."""
    try:
        account.report = await sync
    except SyncError as exc:
        account.error, account.network = str(exc), exc.network
    except StoreError as exc:
        account.error = f"sync with {account.server} not written: {exc}"


def _account_outcomes(
    account: AccountSync, side: _CountingSide | None, after: list[Feed]
) -> list[FeedOutcome]:
    """The synced feeds' outcomes after a sync, or the account's one failure."""
    if account.error is not None:
        feed = Feed(ACCOUNT_FEED_ID, account.url, title=f"{account.server} account")
        return [
            FeedOutcome(feed, PollStatus.FAILED, error=account.error, network_error=account.network)
        ]
    counts: Counter[str] = side.new_by_feed if side is not None else Counter()
    feeds = [feed for feed in after if feed.kind == SYNCED]
    bodies = side.bodies if side is not None else SyncedBodies()
    remote = [feed.url.removeprefix(URL_PREFIX) for feed in feeds]
    return [
        FeedOutcome(
            feed,
            PollStatus.UPDATED,
            new_articles=counts.get(key, 0),
            pages_fetched=bodies.pages.get(key, 0),
            notice=bodies.notices.get(key),
        )
        for feed, key in zip(feeds, remote, strict=True)
    ]
