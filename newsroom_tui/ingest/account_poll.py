"""A poll with the sync account beside it: the local feeds and page sources polled as ever,
the account (``newsroom sync login``) synced at the same time, its outbox pushed before the
pull. ``newsroom fetch`` and the reader's poll both run :func:`poll_all`.

The account's feeds (kind ``synced``) are not fetched by URL: the server polls the sites.
Each of them is reported as a poll outcome once the sync has written its pull; a sync that
fails is one failed outcome (the account, its one-line error) and leaves the cache and the
outbox as they were."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from newsroom_tui.ingest.poller import (
    FeedOutcome,
    IndexProgress,
    PollReport,
    ProgressCallback,
    poll_feeds,
)
from newsroom_tui.ingest.synced_articles import synced_article
from newsroom_tui.ingest.synced_bodies import SyncedBodies, synced_bodies
from newsroom_tui.ingest.worker_pool import Workers, default_processes
from newsroom_tui.models import Feed, NewArticle, PollStatus
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.store.base import Store
from newsroom_tui.store.sync_side import SYNCED, URL_PREFIX, SQLiteSyncSide
from newsroom_tui.sync.transport import SyncError
from newsroom_tui.sync_records import Pull, RemoteItem, SyncReport
from newsroom_tui.watch.on_arrival import match_new_articles

if TYPE_CHECKING:
    from newsroom_tui.store.sqlite import SQLiteStore

ACCOUNT_FEED_ID = 0  # the account's own outcome: no feed has row id 0


@dataclass
class AccountSync:
    """What the account's part of a poll came to: ``report`` or ``error`` (one line)."""

    server: str
    url: str
    report: SyncReport | None = None
    error: str | None = None
    network: bool = False  # the server could not be reached


@dataclass
class AccountPollReport(PollReport):
    sync: AccountSync | None = None


class _CountingSide(SQLiteSyncSide):
    """The store's side, remembering how many new articles each feed got from the pull, and
    the articles made for its new items before it is written (pages of teasers)."""

    def __init__(self, store: SQLiteStore, fetcher: Fetcher | None = None) -> None:
        # the items' articles made as the ingest makes them; the watchlists, as a poll's
        super().__init__(store, article_of=self._article_of, after_save=match_new_articles)
        self.new_by_feed: Counter[str] = Counter()
        self.bodies = SyncedBodies()
        self._fetcher = fetcher

    def _article_of(self, item: RemoteItem) -> NewArticle:
        made = self.bodies.articles.get(item.id.decimal)
        return made if made is not None else synced_article(item)

    async def before_write(self, items: Sequence[RemoteItem]) -> None:
        """The new items' articles, with the pages of teasers (see
        :mod:`newsroom_tui.ingest.synced_bodies`)."""
        settings = {
            feed.url.removeprefix(URL_PREFIX): feed.full_page
            for feed in await asyncio.to_thread(self.store.feeds)
            if feed.kind == SYNCED
        }
        workers = Workers(default_processes(len(items)))  # started only when a job comes
        fetcher = self._fetcher or Fetcher()
        try:
            self.bodies = await synced_bodies(
                items,
                lambda feed: settings.get(feed, "auto"),
                fetcher,
                workers,
                lazy=self.store.lazy_bodies,
                index=self.store.worker_index,
            )
        except Exception:  # a bug on these items' pages or builds: they are made as before
            self.bodies = SyncedBodies()
        finally:
            await workers.close()
            if self._fetcher is None:
                await fetcher.aclose()

    def apply_pull(self, pull: Pull) -> None:
        super().apply_pull(pull)
        self.new_by_feed = Counter(item.feed_id or "" for item in pull.new_items)


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
    from newsroom_tui.store.sqlite import SQLiteStore

    local = [feed for feed in feeds if feed.kind != SYNCED]
    total = len(feeds)
    side = _CountingSide(store, fetcher) if isinstance(store, SQLiteStore) else None
    saved = _saved_account(side)
    if saved is None:
        report = await poll_feeds(
            store, local, fetcher=fetcher, on_progress=on_progress, on_index=on_index
        )
        return AccountPollReport(
            report.outcomes, report.store_error, report.indexed, report.index_seconds
        )
    if isinstance(saved, AccountSync):  # the account file could not be read
        sync_task = None
        account = saved
    else:
        server, url = saved
        account = AccountSync(server, url)
        sync_task = asyncio.ensure_future(_sync(side, account, transport))  # type: ignore[arg-type]
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
    result = AccountPollReport(
        report.outcomes, report.store_error, report.indexed, report.index_seconds, account
    )
    after = await asyncio.to_thread(store.feeds) if account.error is None else []
    extras = _account_outcomes(account, side, after)
    final = max(total, len(local) + len(extras))
    for n, outcome in enumerate(extras, 1):
        result.outcomes.append(outcome)
        done = final if n == len(extras) else min(done + 1, final)
        if on_progress:
            on_progress(outcome, done, final)
    return result


async def sync_now(
    store: SQLiteStore,
    fetcher: Fetcher | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> AccountSync | None:
    """The saved account synced alone (``newsroom sync login``'s first sync), as a poll
    syncs it; None when there is no account."""
    side = _CountingSide(store, fetcher)
    saved = _saved_account(side)
    if saved is None or isinstance(saved, AccountSync):
        return saved
    account = AccountSync(*saved)
    await _sync(side, account, transport)
    return account


def _saved_account(side: SQLiteSyncSide | None) -> tuple[str, str] | AccountSync | None:
    """(server, url) of the saved account, None when there is none (or the store is not the
    local cache), an AccountSync with the error when its file is broken."""
    if side is None:
        return None
    from newsroom_tui.sync.account_file import load_account

    try:
        saved = load_account(side.data_dir)
    except SyncError as exc:
        return AccountSync("sync account", str(side.data_dir), error=str(exc))
    if saved is None:
        return None
    return saved.account.server, saved.account.endpoint


async def _sync(
    side: _CountingSide, account: AccountSync, transport: httpx.AsyncBaseTransport | None
) -> None:
    from newsroom_tui.store.base import StoreError
    from newsroom_tui.sync.account_sync import sync_saved_account

    try:
        account.report = await sync_saved_account(
            side.data_dir, side, transport=transport, before_write=side.before_write
        )
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
