"""The team store's side of the desk's sync account (FreshRSS, Miniflux): one account for the
whole PostgreSQL store, in ``sync_accounts`` (server, user, who logged in on which machine,
the last sync and its error; never the secret, which stays in the keyring or the user-only
file of the machine that logged in).

Its feeds are keyed by (account, the server's stream id); its articles' read state is the
account's, shared by the desk (``account_read``: marked read by anyone, read on the server
for everyone); flags are shared as ever. Any reader's read or flag of a synced article goes
into the ``outbox`` table in the transaction that sets it, and whichever poller holds the
account's lock (:meth:`PostgresStore.lock_account`) and has the secret pushes it before its
next pull. A pull locks the outbox against new rows while it reads what waits and writes the
server's state, so state pulled never overwrites a change still in the outbox.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from newsroom_tui.models import NewArticle
from newsroom_tui.store.base import AfterSave, ChangeKind, StoreChange
from newsroom_tui.store.rows import Transaction, from_db_time, to_db_time
from newsroom_tui.store.sync_side import SyncSide
from newsroom_tui.sync_records import RemoteItem
from newsroom_tui.text.sanitize import clean_error, clean_name

if TYPE_CHECKING:
    from newsroom_tui.store.postgres import PostgresStore

_ACCOUNT_COLUMNS = """id, server, api, endpoint, user_name, secret_in, secret_host,
    logged_in_by, logged_in_at, last_sync, last_sync_by, last_error, last_error_at"""


@dataclass(frozen=True)
class TeamAccount:
    """The team store's account as its row holds it, and the changes waiting to be sent."""

    id: int
    server: str
    api: str  # "greader" or "miniflux"
    endpoint: str
    user: str
    secret_in: str  # where the machine that logged in keeps the secret: "keyring", "file"
    secret_host: str  # that machine
    logged_in_by: str  # the desk member who logged in there
    logged_in_at: datetime | None
    last_sync: datetime | None = None
    last_sync_by: str | None = None  # "ben on desk-2": the poller that synced last
    last_error: str | None = None
    last_error_at: datetime | None = None
    waiting: int = 0

    def __post_init__(self) -> None:
        # read from a shared database: plain names and one line of error
        for name in ("server", "endpoint", "user", "secret_host", "logged_in_by"):
            object.__setattr__(self, name, clean_name(getattr(self, name)) or "?")
        if self.last_sync_by is not None:
            object.__setattr__(self, "last_sync_by", clean_name(self.last_sync_by))
        if self.last_error is not None:
            object.__setattr__(self, "last_error", clean_error(self.last_error, 300) or None)

    @property
    def key(self) -> str:
        """The name its secret is kept under on a machine (as the sync's ``Account.key``)."""
        return f"{self.user}@{self.endpoint}"


def team_account(store: PostgresStore) -> TeamAccount | None:
    """The team store's account, or None when nobody logged in."""
    rows = store._query(
        f"""SELECT {_ACCOUNT_COLUMNS}, (SELECT COUNT(*) FROM outbox o
            WHERE o.account_id = s.id) FROM sync_accounts s"""
    )
    if not rows:
        return None
    (
        account_id,
        server,
        api,
        endpoint,
        user,
        secret_in,
        host,
        by,
        at,
        last_sync,
        last_sync_by,
        last_error,
        last_error_at,
        waiting,
    ) = rows[0]
    return TeamAccount(
        int(account_id),
        server,
        api,
        endpoint,
        user,
        secret_in,
        host,
        by,
        from_db_time(at),
        from_db_time(last_sync),
        last_sync_by,
        last_error,
        from_db_time(last_error_at),
        int(waiting),
    )


def save_team_account(
    store: PostgresStore,
    *,
    server: str,
    api: str,
    endpoint: str,
    user: str,
    secret_in: str,
    host: str,
) -> int:
    """Make this the team store's one account (an account of another server or user goes:
    its feeds stay until the next pull, which keeps those it lists); the same account
    logged in again keeps its feeds, outbox and last sync. Returns its id."""
    now = to_db_time(datetime.now(UTC))
    with store._transaction() as tx:
        tx.execute(
            "DELETE FROM sync_accounts WHERE endpoint <> ? OR user_name <> ?", (endpoint, user)
        )
        row = tx.execute(
            """INSERT INTO sync_accounts (server, api, endpoint, user_name, secret_in,
                   secret_host, logged_in_by, logged_in_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (endpoint, user_name) DO UPDATE SET server = excluded.server,
                   api = excluded.api, secret_in = excluded.secret_in,
                   secret_host = excluded.secret_host, logged_in_by = excluded.logged_in_by,
                   logged_in_at = excluded.logged_in_at
               RETURNING id""",
            (server, api, endpoint, user, secret_in, host, store.user, now),
        ).fetchone()
        store._announce(tx, StoreChange(ChangeKind.FEEDS, user=store.user))
    return int(row[0])


def forget_team_account(store: PostgresStore) -> int:
    """The team store's account gone (its feeds and articles stay, synced no more); how
    many changes that waited in its outbox went with it."""
    with store._transaction() as tx:
        waiting = tx.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
        tx.execute("DELETE FROM sync_accounts")
        store._announce(tx, StoreChange(ChangeKind.FEEDS, user=store.user))
    return int(waiting)


def record_team_sync(
    store: PostgresStore, account_id: int, error: str | None, by: str, when: datetime
) -> None:
    """What a sync came to, for ``newsroom sync status`` on any desk member's machine."""
    with store._transaction() as tx:
        if error is None:
            tx.execute(
                """UPDATE sync_accounts SET last_sync = ?, last_sync_by = ?, last_error = NULL,
                   last_error_at = NULL WHERE id = ?""",
                (to_db_time(when), by, account_id),
            )
        else:
            tx.execute(
                "UPDATE sync_accounts SET last_error = ?, last_error_at = ? WHERE id = ?",
                (clean_error(error, 300), to_db_time(when), account_id),
            )


class PostgresSyncSide(SyncSide):
    """The team store's side of its account ``account_id``."""

    READ_COLUMN = "account_read"
    store: PostgresStore

    def __init__(
        self,
        store: PostgresStore,
        account_id: int,
        *,
        article_of: Callable[[RemoteItem], NewArticle],
        after_save: AfterSave | None = None,
    ) -> None:
        super().__init__(store, article_of=article_of, after_save=after_save)
        self.account_id = account_id

    def _feeds_of_account(self) -> tuple[str, tuple[object, ...]]:
        return "f.kind = 'synced' AND f.account_id = ?", (self.account_id,)

    def _outbox_of_account(self) -> tuple[str, tuple[object, ...]]:
        return "account_id = ?", (self.account_id,)

    def _feed_account(self) -> tuple[str, str, tuple[object, ...]]:
        return ", account_id", ", ?", (self.account_id,)

    def _insert_items(
        self,
        tx: Transaction,
        feed_id: int,
        pairs: Sequence[tuple[RemoteItem, NewArticle]],
        now: datetime,
    ) -> list[tuple[int, NewArticle]]:
        # the account's state written with each new row, not updated after
        state = {art.guid: (item.id.given, item.read, item.starred) for item, art in pairs}
        return self.store._insert_articles(
            tx, feed_id, [art for _, art in pairs], now, synced=state
        )

    def _lock_outbox(self, tx: Transaction) -> None:
        # readers' INSERTs (ROW EXCLUSIVE) wait for this transaction; their reads do not
        tx.execute("LOCK TABLE outbox IN SHARE ROW EXCLUSIVE MODE")

    def cursor(self) -> str | None:
        rows = self.store._query(
            "SELECT cursor FROM sync_accounts WHERE id = ?", (self.account_id,)
        )
        return rows[0][0] if rows else None

    def _write_cursor(self, tx: Transaction, cursor: str | None) -> None:
        tx.execute("UPDATE sync_accounts SET cursor = ? WHERE id = ?", (cursor, self.account_id))
