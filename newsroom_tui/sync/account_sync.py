"""The sync as the poll runs it: the saved account, its secret, one sync, its outcome kept for
``newsroom sync status``."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from newsroom_tui.sync.account_file import load_account, record_sync
from newsroom_tui.sync.detect import Account, connect
from newsroom_tui.sync.engine import BeforeWrite, LocalSide, sync
from newsroom_tui.sync.secret_store import SecretStore
from newsroom_tui.sync.transport import SyncError, SyncHttp
from newsroom_tui.sync_records import SyncReport


async def sync_saved_account(
    data_dir: Path,
    local: LocalSide,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    before_write: BeforeWrite | None = None,
) -> SyncReport | None:
    """Sync the account ``newsroom sync login`` saved in ``data_dir`` with ``local``; None when
    there is none. SyncError (one line; ``network`` when offline) when it fails, after the
    error is recorded; the cache and the outbox are then as they were. ``before_write``: see
    :func:`newsroom_tui.sync.engine.sync`."""
    saved = load_account(data_dir)
    if saved is None:
        return None
    try:
        # the keyring may take its time (unlocking it): in a thread, as the reader's poll
        # runs on its event loop
        secrets = SecretStore(data_dir)
        secret = await asyncio.to_thread(secrets.load, saved.account.key, saved.secret_in)
        if not secret:
            raise SyncError(secret_gone(saved.account))
        report = await sync_account(
            saved.account, secret, local, transport=transport, before_write=before_write
        )
    except SyncError as exc:
        await asyncio.to_thread(record_sync, data_dir, str(exc))
        raise
    await asyncio.to_thread(record_sync, data_dir, None)
    return report


async def sync_account(
    account: Account,
    secret: str,
    local: LocalSide,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    before_write: BeforeWrite | None = None,
) -> SyncReport:
    """One sync of ``account`` with ``local`` (the cache's, the team store's); SyncError
    (one line) when it fails."""
    async with SyncHttp(transport=transport) as http:
        remote = connect(http, account, secret)
        return await sync(remote, local, before_write=before_write)


def secret_gone(account: Account) -> str:
    what = "API key" if account.api == "miniflux" else "password"
    return f"the {what} of the sync account is gone (newsroom sync login again)"
