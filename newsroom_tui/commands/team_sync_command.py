"""``newsroom --database URL sync login/status/logout``: the desk's FreshRSS or Miniflux
account as the team store keeps it (see :mod:`newsroom_tui.store.pg_sync_side`): one account
for the whole store, its secret only on the machine that logged in, synced by the pollers
of that machine."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from newsroom_tui.commands.output import EXIT_OK, EXIT_STORE, iso_time, local_time, print_json

if TYPE_CHECKING:
    from newsroom_tui.store.pg_sync_side import TeamAccount
    from newsroom_tui.store.postgres import PostgresStore


def team_sync(args: argparse.Namespace, data_dir: Path, database: str, user: str) -> int:
    from newsroom_tui.store.base import StoreError
    from newsroom_tui.store.postgres import PostgresStore

    try:
        store = PostgresStore(database, user, local_dir=data_dir)
    except StoreError as exc:
        print(f"newsroom: {exc}", file=sys.stderr)
        return EXIT_STORE
    try:
        return _ACTIONS[args.sync_command](args, data_dir, store)
    except StoreError as exc:
        print(f"newsroom: {exc}", file=sys.stderr)
        return EXIT_STORE
    finally:
        store.close()


def _login(args: argparse.Namespace, data_dir: Path, store: PostgresStore) -> int:
    from newsroom_tui.commands.sync_login import checked_login, first_sync
    from newsroom_tui.store.pg_sync_side import save_team_account, team_account
    from newsroom_tui.sync.secret_store import SecretStore, this_machine

    checked = checked_login(args)
    if isinstance(checked, int):
        return checked
    account, secret = checked
    secrets = SecretStore(data_dir)
    previous = team_account(store)
    if previous is not None and previous.key != account.key:
        _forget_secret(data_dir, previous.key)
    where = secrets.save(account.key, secret)
    host = this_machine()
    save_team_account(
        store,
        server=account.server,
        api=account.api.value,
        endpoint=account.endpoint,
        user=account.user,
        secret_in=where,
        host=host,
    )
    print(
        f"logged in for the team store {store.where}: {account.server} at {account.endpoint} "
        f"as {account.user}; the {'API key' if args.token_stdin else 'password'} is kept in "
        f"{secrets.describe(where)} on {host} alone: newsroom's polls on this machine sync "
        "the account for the desk"
    )
    return EXIT_OK if args.no_sync else first_sync(args, store)


def _status(args: argparse.Namespace, data_dir: Path, store: PostgresStore) -> int:
    from newsroom_tui.ingest.team_account_poll import no_secret_here
    from newsroom_tui.store.pg_sync_side import team_account
    from newsroom_tui.sync.secret_store import SecretStore

    team = team_account(store)
    if team is None:
        if args.json:
            print_json(None)
        else:
            print(
                f"no sync account on the team store {store.where} "
                "(newsroom --database URL sync login URL --user NAME --password-stdin)"
            )
        return EXIT_OK
    secrets = SecretStore(data_dir)
    found = secrets.find(team.key)
    here = found[1] if found else None
    holder = f"{team.logged_in_by} on {team.secret_host}"
    synced_by = "this machine's newsroom" if here else no_secret_here(team)
    if args.json:
        print_json(
            {
                "server": team.server,
                "api": team.api,
                "url": team.endpoint,
                "user": team.user,
                "store": "team",
                "database": store.where,
                "secret_in": here,  # on this machine; None: it has none
                "secret_holder": holder,
                "secret_holder_in": team.secret_in,
                "synced_by": synced_by,
                "last_sync": iso_time(team.last_sync),
                "last_sync_by": team.last_sync_by,
                "last_error": team.last_error,
                "last_error_at": iso_time(team.last_error_at),
                "waiting": team.waiting,
            }
        )
        return EXIT_OK
    print(f"server:     {team.server} at {team.endpoint} ({team.api} API)")
    print(f"user:       {team.user}")
    print(f"store:      the team store {store.where}")
    if here:
        print(f"secret:     in {secrets.describe(here)} on this machine")
    else:
        print(f"secret:     not on this machine: {holder} logged in ({_place(team)})")
    print(f"synced by:  {synced_by}")
    last = _local(team) + (f" by {team.last_sync_by}" if team.last_sync_by else "")
    print(f"last sync:  {last}")
    print(f"waiting:    {team.waiting} changes (sent at the next sync)")
    if team.last_error:
        print(f"last error: {team.last_error} ({local_time(team.last_error_at)})")
    return EXIT_OK


def _logout(args: argparse.Namespace, data_dir: Path, store: PostgresStore) -> int:
    from newsroom_tui.store.pg_sync_side import forget_team_account, team_account

    team = team_account(store)
    if team is None:
        print("no sync account on the team store: nothing to log out of")
        return EXIT_OK
    dropped = forget_team_account(store)
    _forget_secret(data_dir, team.key)
    note = f"; {dropped} changes not sent were dropped" if dropped else ""
    print(f"logged out of {team.server} at {team.endpoint} for the team store{note}")
    return EXIT_OK


def _forget_secret(data_dir: Path, key: str) -> None:
    """This machine's secret of ``key`` gone, unless the local cache's account uses it."""
    from newsroom_tui.sync.account_file import load_account
    from newsroom_tui.sync.secret_store import SecretStore
    from newsroom_tui.sync.transport import SyncError

    try:
        local = load_account(data_dir)
    except SyncError:
        local = None
    if local is not None and local.account.key == key:
        return
    secrets = SecretStore(data_dir)
    found = secrets.find(key)
    if found is not None:
        secrets.delete(key, found[1])


def _place(team: TeamAccount) -> str:
    return "the system keyring there" if team.secret_in == "keyring" else "a file of theirs"


def _local(team: TeamAccount) -> str:
    return local_time(team.last_sync) if team.last_sync else "never"


_ACTIONS = {"login": _login, "status": _status, "logout": _logout}
