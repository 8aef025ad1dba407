"""One sync of an account: push the outbox, then pull the server's feeds, items and state.

The engine knows the server only as a :class:`Remote` (``greader.GReaderClient``,
``miniflux.MinifluxClient``) and the cache only as a :class:`LocalSide`; the store implements
the latter. Its promises:

- local changes go first, batched, and leave the outbox only once the server took them;
- state pulled from the server never overwrites a change still in the outbox (checked by the
  engine, and again by the local side in the transaction that writes the pull);
- everything pulled is written in one call (one transaction): a server that answers garbage,
  too much or nothing in time fails the sync in one line, and the cache and the outbox are as
  they were (only changes the server had already taken have left the outbox).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol
from urllib.parse import urlsplit

from newsroom_tui.sync.transport import SyncError, gather
from newsroom_tui.sync_records import (
    Flag,
    ItemId,
    ItemState,
    Pull,
    RemoteFeed,
    RemoteItem,
    RemoteState,
    StateChange,
    SyncReport,
)

SYNC_DEADLINE = 300.0  # seconds for a whole sync, whatever the server does
OUTBOX_BATCH = 500  # changes taken from the outbox per push
OUTBOX_ROUNDS = 1_000  # pushes per sync at most (500,000 changes)
FETCHES_IN_FLIGHT = 3  # contents requests at once

# Run with a pull's new items before it is written (the ingest fetches the pages of teasers)
BeforeWrite = Callable[[Sequence[RemoteItem]], Awaitable[None]]


class Remote(Protocol):
    """A sync server's account, as the engine uses it."""

    name: str  # "FreshRSS", "Miniflux": for messages
    endpoint: str
    batch: int  # ids per fetch_items call at most

    async def login(self) -> None: ...
    async def push(self, changes: Sequence[StateChange]) -> None: ...
    async def feeds(self) -> list[RemoteFeed]: ...
    async def pull_state(self, cursor: str | None) -> RemoteState: ...
    async def fetch_items(self, ids: Sequence[ItemId]) -> tuple[list[RemoteItem], int]: ...


class LocalSide(Protocol):
    """The cache's side of one account (the store implements it; plain, blocking calls: the
    engine runs them in a thread)."""

    def outbox(self, limit: int) -> list[StateChange]:
        """The oldest ``limit`` changes waiting, oldest first, each with its ``seq``."""
        ...

    def drop_pushed(self, changes: Sequence[StateChange]) -> None:
        """Remove exactly these changes (by ``seq``) from the outbox: the server has them."""
        ...

    def pending(self) -> set[tuple[ItemId, Flag]]:
        """Every (item, flag) with a change still in the outbox."""
        ...

    def item_states(self) -> dict[ItemId, ItemState]:
        """The state of every item of this account the cache holds."""
        ...

    def cursor(self) -> str | None:
        """What the last pull left for the next (``Pull.cursor``); None before the first."""
        ...

    def apply_pull(self, pull: Pull) -> None:
        """Write the pull in one transaction: the feeds (kind ``synced``; the account's
        subscriptions as the server listed them), the new items, the state updates, the
        cursor. For an (item, flag) with a change in the outbox at that moment, the cache's
        value stays (the change was made after the engine looked)."""
        ...


async def sync(
    remote: Remote,
    local: LocalSide,
    *,
    deadline: float = SYNC_DEADLINE,
    before_write: BeforeWrite | None = None,
) -> SyncReport:
    """One whole sync, or SyncError (LoginFailed for a refused login) in one line.
    ``before_write`` is awaited with the new items before the pull is written (within the
    deadline)."""
    where = f"{remote.name} at {urlsplit(remote.endpoint).hostname or remote.endpoint}"
    try:
        async with asyncio.timeout(deadline):
            return await _sync(remote, local, before_write)
    except TimeoutError:
        message = f"sync with {where} failed: no complete sync within {deadline:g} s"
        raise SyncError(message) from None
    except SyncError as exc:
        raise exc.begun_with(f"sync with {where} failed: ") from None


async def _sync(remote: Remote, local: LocalSide, before_write: BeforeWrite | None) -> SyncReport:
    pushed = await push_outbox(remote, local)
    cursor = await asyncio.to_thread(local.cursor)
    feeds, state, known = await gather(
        remote.feeds(), remote.pull_state(cursor), asyncio.to_thread(local.item_states)
    )
    if _read_by_absence(state, known):
        # Read elsewhere, or skipped: a server that pages by offset (Miniflux) shifts its
        # later pages when an item is read meanwhile. Only what a second listing lacks too
        # is taken as read.
        state = _merged(state, await remote.pull_state(cursor))

    new_items = {
        item.id: item
        for item in state.items
        if item.id not in known and (not item.read or item.starred)
    }
    missing = [
        item
        for item in state.ids()
        if item not in known and item not in new_items and _wanted(item, state)
    ]
    fetched, broken = await _fetch(remote, missing)
    for item in fetched:
        if item.id not in known:
            new_items.setdefault(item.id, item)

    pending = await asyncio.to_thread(local.pending)
    updates, kept = _updates(state, known, pending)

    pull = Pull(tuple(feeds), tuple(new_items.values()), updates, state.cursor)
    if before_write is not None and pull.new_items:
        await before_write(pull.new_items)
    await asyncio.to_thread(local.apply_pull, pull)
    notice = None
    if not state.complete:
        notice = "the server lists more items than newsroom takes at once: only the newest"
    return SyncReport(
        pushed=pushed,
        feeds=len(feeds),
        new_items=len(new_items),
        updated=len(updates),
        skipped=broken + state.skipped,
        kept_local=kept,
        notice=notice,
    )


def _updates(
    state: RemoteState, known: dict[ItemId, ItemState], pending: set[tuple[ItemId, Flag]]
) -> tuple[dict[ItemId, ItemState], int]:
    """The new state of the cache's items, and how many changes lost to the outbox."""
    updates: dict[ItemId, ItemState] = {}
    kept = 0
    mentioned = state.ids()
    whole = state.complete and state.unread is not None
    for item, before in known.items():
        if item not in mentioned and not whole:
            continue
        after = state.state_of(item, before)
        if (item, Flag.READ) in pending and after.read != before.read:
            after, kept = ItemState(before.read, after.starred), kept + 1
        if (item, Flag.STARRED) in pending and after.starred != before.starred:
            after, kept = ItemState(after.read, before.starred), kept + 1
        if after != before:
            updates[item] = after
    return updates, kept


def _read_by_absence(state: RemoteState, known: dict[ItemId, ItemState]) -> bool:
    """True when an item the cache holds unread is missing from the server's whole unread
    list (and reported by no delta)."""
    if state.unread is None or not state.complete:
        return False
    return any(
        not before.read and item not in state.unread and item not in state.changed
        for item, before in known.items()
    )


def _merged(first: RemoteState, second: RemoteState) -> RemoteState:
    """Two listings of the same state as one: in either list is in."""
    if first.unread is None or second.unread is None:
        return first
    return RemoteState(
        unread=first.unread | second.unread,
        starred=(first.starred or frozenset()) | (second.starred or frozenset()),
        complete=first.complete and second.complete,
        changed=first.changed,
        items=first.items,
        cursor=first.cursor,
        skipped=first.skipped,
    )


def _wanted(item: ItemId, state: RemoteState) -> bool:
    """An item the cache lacks is taken when it is unread or starred (not the read history)."""
    if item in state.changed:
        change = state.changed[item]
        return not change.read or change.starred
    return True


def coalesce(changes: Sequence[StateChange]) -> list[StateChange]:
    """The last change of each (item, flag), in the order of the outbox."""
    last: dict[tuple[ItemId, Flag], StateChange] = {}
    for change in changes:
        last.pop((change.item, change.flag), None)
        last[(change.item, change.flag)] = change
    return list(last.values())


async def push_outbox(remote: Remote, local: LocalSide) -> int:
    """The outbox to the server, batch by batch; returns how many changes were sent."""
    sent = 0
    last_seq: int | None = None
    for _ in range(OUTBOX_ROUNDS):
        changes = await asyncio.to_thread(local.outbox, OUTBOX_BATCH)
        if not changes:
            break
        if last_seq is not None and changes[0].seq <= last_seq:
            raise SyncError("the outbox did not let go of changes already sent")
        batch = coalesce(changes)
        await remote.push(batch)
        await asyncio.to_thread(local.drop_pushed, changes)
        sent += len(batch)
        last_seq = max(change.seq for change in changes)
    return sent


async def _fetch(remote: Remote, ids: list[ItemId]) -> tuple[list[RemoteItem], int]:
    """The items of ``ids``, a few batches in flight at once."""
    if not ids:
        return [], 0
    slots = asyncio.Semaphore(FETCHES_IN_FLIGHT)

    async def one(part: list[ItemId]) -> tuple[list[RemoteItem], int]:
        async with slots:
            return await remote.fetch_items(part)

    step = max(1, remote.batch)
    results = await gather(*(one(ids[start : start + step]) for start in range(0, len(ids), step)))
    items = [item for found, _ in results for item in found]
    return items, sum(broken for _, broken in results)
