"""What ``newsroom sync login`` does on either store: the account found out at the server
with the secret read from standard input, and the first sync right after."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from newsroom_tui.commands.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from newsroom_tui.store import Store
    from newsroom_tui.sync.detect import Account

SECRET_MAX_CHARS = 1_000


def first_sync(args: argparse.Namespace, store: Store) -> int:
    """The account synced into ``store`` at once, its outcome in one line: its articles are
    there before the next poll. A failure leaves the login as it is (exit 1)."""
    import asyncio

    from newsroom_tui.commands.fetch import counted
    from newsroom_tui.ingest.account_poll import sync_now
    from newsroom_tui.ingest.account_side import AccountSync
    from newsroom_tui.net.fetcher import Fetcher

    async def run() -> AccountSync | None:
        config = args.config
        async with Fetcher(
            concurrency=config.concurrency, private_addresses=config.private_addresses
        ) as fetcher:
            return await sync_now(store, fetcher)

    account = asyncio.run(run())
    if account is not None and account.elsewhere:
        print(f"not synced here: {account.elsewhere}")
        return EXIT_OK
    if account is None or account.report is None:
        error = account.error if account is not None else None
        print(f"newsroom: {error or 'not synced: no account'}", file=sys.stderr)
        return EXIT_FAILED
    done = account.report
    print(
        f"synced with {account.server}: {counted(done.feeds, 'feed')}, "
        f"{counted(done.new_items, 'new article')}"
    )
    return EXIT_OK


def checked_login(args: argparse.Namespace) -> tuple[Account, str] | int:
    """The account ``login``'s arguments name, found out at the server with the secret
    read from stdin, and the secret; or the exit code, its reason said in one line."""
    if args.password_stdin and not args.account_user:
        print("newsroom: --password-stdin needs --user NAME", file=sys.stderr)
        return EXIT_USAGE
    secret = sys.stdin.readline(SECRET_MAX_CHARS + 1).rstrip("\r\n")
    if not secret or len(secret) > SECRET_MAX_CHARS:
        what = "API key" if args.token_stdin else "password"
        print(f"newsroom: no {what} on standard input (one line)", file=sys.stderr)
        return EXIT_USAGE
    import asyncio

    from newsroom_tui.sync.transport import SyncError

    try:
        return asyncio.run(_detect(args, secret)), secret
    except SyncError as exc:
        print(f"newsroom: {exc}", file=sys.stderr)
        return EXIT_FAILED if exc.network else EXIT_USAGE


async def _detect(args: argparse.Namespace, secret: str) -> Account:
    from newsroom_tui.sync.detect import detect
    from newsroom_tui.sync.transport import SyncHttp

    async with SyncHttp() as http:
        if args.token_stdin:
            account, _ = await detect(http, args.url, token=secret)
        else:
            account, _ = await detect(http, args.url, user=args.account_user, password=secret)
    return account
