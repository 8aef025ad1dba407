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
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import httpx

from newsroom_tui.ingest.account_side import AccountSync, CountingSide, synced
from newsroom_tui.ingest.poller import (
    ACCOUNT_FEED_ID,
    FeedOutcome,
    IndexProgress,
    PollReport,
    ProgressCallback,
    poll_feeds,
)
from newsroom_tui.ingest.story_assignment import attach as attach_stories
from newsroom_tui.ingest.synced_bodies import SyncedBodies
from newsroom_tui.models import Feed, PollStatus
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.store.base import Store
from newsroom_tui.store.sync_side import SYNCED, URL_PREFIX
from newsroom_tui.sync.transport import SyncError

if TYPE_CHECKING:
    from newsroom_tui.store.sqlite import SQLiteStore


@dataclass
class AccountPollReport(PollReport):
    sync: AccountSync | None = None


def _with_account(report: PollReport, account: AccountSync | None) -> AccountPollReport:
    """The local feeds' ``report`` (every field of it) with the account's part."""
    mine = {f.name: getattr(report, f.name) for f in fields(PollReport)}
    return AccountPollReport(**mine, sync=account)


@dataclass
class _Plan:
    """The account's part of a poll: ``run`` syncs it (None: nothing to run here)."""

    account: AccountSync
    side: CountingSide | None = None
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
    side = CountingSide(store, fetcher)

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


def _account_outcomes(
    account: AccountSync, side: CountingSide | None, after: list[Feed]
) -> list[FeedOutcome]:
    """The synced feeds' outcomes after a sync, or the account's one failure."""
    if account.error is not None:
        feed = Feed(ACCOUNT_FEED_ID, account.url, title=f"{account.server} account")
        return [
            FeedOutcome(
                feed,
                PollStatus.FAILED,
                error=account.error,
                network_error=account.network,
                offline=account.offline,
            )
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
