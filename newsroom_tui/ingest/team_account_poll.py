"""The team store's sync account in a poll: the desk's one account (``newsroom --database URL
sync login``), synced by whichever poller has its secret on its machine and takes its lock,
as a feed is polled by one poller at a time. A poller whose machine has no secret leaves it
to the one that has (its readers read the synced articles all the same, and their reads and
flags wait in the team's outbox); one that finds the account synced since its poll started,
or being synced, leaves it too."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import httpx

from newsroom_tui.ingest.story_assignment import attach as attach_stories
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.store.base import StoreError
from newsroom_tui.store.pg_sync_side import TeamAccount, record_team_sync, team_account
from newsroom_tui.sync.transport import SyncError

if TYPE_CHECKING:
    from newsroom_tui.ingest.account_side import AccountSync, CountingSide
    from newsroom_tui.store.postgres import PostgresStore

NO_SECRET = "synced by the newsroom of {holder}, who logged in (this machine has no {what})"
ANOTHER_SYNC = "synced by another desk member's newsroom just now"


async def team_plan(
    store: PostgresStore, fetcher: Fetcher | None, transport: httpx.AsyncBaseTransport | None
) -> tuple[AccountSync, CountingSide | None, Callable[[], Awaitable[None]] | None] | None:
    """The account's part of this poll: its outcome to fill, the side, and the sync to run
    (None: this newsroom leaves it to another); None when the team store has no account."""
    from newsroom_tui.ingest.account_side import AccountSync, CountingSide
    from newsroom_tui.sync.secret_store import SecretStore

    try:
        team = await asyncio.to_thread(team_account, store)
    except StoreError:
        return None  # the team's server is away: the poll says so for each feed
    if team is None:
        return None
    account = AccountSync(team.server, team.endpoint)
    try:
        found = None
        if store.local_dir:  # the keyring may take its time: in a thread, off the reader's loop
            found = await asyncio.to_thread(SecretStore(store.local_dir).find, team.key)
    except SyncError as exc:
        account.error = str(exc)
        return account, None, None
    if found is None:
        account.elsewhere = no_secret_here(team)
        return account, None, None
    secret = found[0]
    side = CountingSide(store, fetcher, team.id)
    started = datetime.now(UTC)

    async def run() -> None:
        await _sync_alone(store, team, secret, side, account, transport, started)

    return account, side, run


def no_secret_here(team: TeamAccount) -> str:
    what = "API key" if team.api == "miniflux" else "password"
    return NO_SECRET.format(holder=f"{team.logged_in_by} on {team.secret_host}", what=what)


async def _sync_alone(
    store: PostgresStore,
    team: TeamAccount,
    secret: str,
    side: CountingSide,
    account: AccountSync,
    transport: httpx.AsyncBaseTransport | None,
    started: datetime,
) -> None:
    """The account synced while this poller holds its lock; its outcome kept in its row."""
    from newsroom_tui.ingest.account_side import synced
    from newsroom_tui.sync.account_sync import sync_account
    from newsroom_tui.sync.detect import Account, Api
    from newsroom_tui.sync.secret_store import this_machine

    try:
        if not await asyncio.to_thread(store.lock_account, team.id):
            account.elsewhere = ANOTHER_SYNC
            return
    except StoreError as exc:
        account.error = f"sync with {team.server} not written: {exc}"
        return
    try:
        fresh = await asyncio.to_thread(team_account, store)
        if fresh is None or fresh.id != team.id:
            account.elsewhere = "the account was logged out of meanwhile"
            return
        if fresh.last_sync is not None and fresh.last_sync >= started:
            account.elsewhere = ANOTHER_SYNC
            return
        try:
            remote = Account(team.server, Api(team.api), team.endpoint, team.user)
        except ValueError as exc:
            account.error = f"the team's sync account cannot be used: {exc}"
            return
        attach_stories(store)  # the new articles' stories, as a poll's
        await synced(
            account,
            sync_account(remote, secret, side, transport=transport, before_write=side.before_write),
        )
        if account.error is None:
            await side.retry_pages()
        with contextlib.suppress(StoreError):  # the database away: the poll says so
            await asyncio.to_thread(
                record_team_sync,
                store,
                team.id,
                account.error,
                f"{store.user} on {this_machine()}",
                datetime.now(UTC),
            )
    except StoreError as exc:
        account.error = f"sync with {team.server} not written: {exc}"
    finally:
        with contextlib.suppress(StoreError):
            await asyncio.to_thread(store.unlock_account, team.id)
