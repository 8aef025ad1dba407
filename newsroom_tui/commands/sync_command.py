"""``newsroom sync login/status/logout``: the desk's FreshRSS or Miniflux account."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsroom_tui.commands.output import EXIT_FAILED, EXIT_OK, iso_time, local_time, print_json

# The sync's modules (httpx, keyring) are imported when an action runs: every command builds
# this parser, and most never sync.


def add_sync_parser(sub: Any) -> None:
    """The ``sync`` command and its actions, on the main parser's ``sub``."""
    sync = sub.add_parser("sync", help="the desk's FreshRSS or Miniflux account: log in, status")
    actions = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    p = actions.add_parser(
        "login",
        help="log in to a FreshRSS or Miniflux server (the kind is found out)",
        description="The secret is read from standard input, never from the command line: "
        'echo "$PASSWORD" | newsroom sync login URL --user NAME --password-stdin',
    )
    p.add_argument("url", metavar="URL", help="the server's address (or FreshRSS's greader.php)")
    # its own dest: newsroom's --user (who reads, on a team store) is another name
    p.add_argument(
        "--user", dest="account_user", metavar="NAME", help="the user name (with --password-stdin)"
    )
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the API password from stdin (FreshRSS: profile, API management; Miniflux: "
        "settings, Google Reader)",
    )
    how.add_argument(
        "--token-stdin", action="store_true", help="read a Miniflux API key from stdin"
    )
    p.add_argument(
        "--no-sync",
        action="store_true",
        help="only log in (by default the account is synced at once, as the next poll would)",
    )
    p = actions.add_parser("status", help="the account: server, user, last sync, last error")
    p.add_argument("--json", action="store_true", help="print JSON")
    actions.add_parser("logout", help="forget the account and its password or key")


def cmd_sync(
    args: argparse.Namespace, data_dir: Path, database: str | None = None, user: str = ""
) -> int:
    """The action on the local cache's account, or with ``database`` on the team store's
    (:mod:`.team_sync_command`)."""
    from newsroom_tui.sync.transport import SyncError

    try:
        if database:
            from newsroom_tui.commands.team_sync_command import team_sync

            return team_sync(args, data_dir, database, user)
        return _ACTIONS[args.sync_command](args, data_dir)
    except SyncError as exc:
        print(f"newsroom: {exc}", file=sys.stderr)
        return exc.exit_code


def _login(args: argparse.Namespace, data_dir: Path) -> int:
    from newsroom_tui.commands.sync_login import checked_login
    from newsroom_tui.sync.account_file import SavedAccount, load_account, save_account
    from newsroom_tui.sync.secret_store import SecretStore

    checked = checked_login(args)
    if isinstance(checked, int):
        return checked
    account, secret = checked
    secrets = SecretStore(data_dir)
    previous = load_account(data_dir)
    if previous is not None and previous.account.key != account.key:
        secrets.delete(previous.account.key, previous.secret_in)
    where = secrets.save(account.key, secret)
    save_account(data_dir, SavedAccount(account, where))
    print(
        f"logged in: {account.server} at {account.endpoint} as {account.user}; "
        f"the {'API key' if args.token_stdin else 'password'} is kept in "
        f"{secrets.describe(where)}"
    )
    return EXIT_OK if args.no_sync else _first_sync(args, data_dir)


def _first_sync(args: argparse.Namespace, data_dir: Path) -> int:
    """The account synced into the local cache at once (see :func:`first_sync`)."""
    from newsroom_tui.store import StoreError, open_store

    try:
        store = open_store(data_dir)
    except StoreError as exc:
        print(f"newsroom: not synced: {exc}", file=sys.stderr)
        return EXIT_FAILED
    from newsroom_tui.commands.sync_login import first_sync

    try:
        return first_sync(args, store)
    finally:
        store.close()


def _status(args: argparse.Namespace, data_dir: Path) -> int:
    from newsroom_tui.store.sync_side import waiting_changes
    from newsroom_tui.sync.account_file import load_account
    from newsroom_tui.sync.secret_store import SecretStore

    saved = load_account(data_dir)
    waiting = waiting_changes(data_dir)
    if saved is None:
        if args.json:
            print_json(None)
        else:
            print("no sync account (newsroom sync login URL --user NAME --password-stdin)")
        return EXIT_OK
    account = saved.account
    secrets = SecretStore(data_dir)
    if args.json:
        print_json(
            {
                "server": account.server,
                "api": account.api.value,
                "url": account.endpoint,
                "user": account.user,
                "secret_in": saved.secret_in,
                "last_sync": iso_time(saved.last_sync),
                "last_error": saved.last_error,
                "last_error_at": iso_time(saved.last_error_at),
                "waiting": waiting or 0,
            }
        )
        return EXIT_OK
    print(f"server:     {account.server} at {account.endpoint} ({account.api.value} API)")
    print(f"user:       {account.user}")
    print(f"secret:     in {secrets.describe(saved.secret_in)}")
    print(f"last sync:  {local_time(saved.last_sync) if saved.last_sync else 'never'}")
    print(f"waiting:    {waiting or 0} changes (sent at the next sync)")
    if saved.last_error:
        print(f"last error: {saved.last_error} ({local_time(saved.last_error_at)})")
    return EXIT_OK


def _logout(args: argparse.Namespace, data_dir: Path) -> int:
    from newsroom_tui.sync.account_file import forget_account, load_account
    from newsroom_tui.sync.secret_store import SecretStore

    saved = load_account(data_dir)
    if saved is None:
        print("no sync account: nothing to log out of")
        return EXIT_OK
    SecretStore(data_dir).delete(saved.account.key, saved.secret_in)
    forget_account(data_dir)
    print(f"logged out of {saved.account.server} at {saved.account.endpoint}")
    return EXIT_OK


_ACTIONS = {"login": _login, "status": _status, "logout": _logout}
