"""The sync account's outbox as the stores write it: a read or flag set in newsroom on a
synced article is queued in the transaction that sets it, and pushed by the next sync (see
:mod:`newsroom_tui.store.sync_side`). The SQLite cache has one outbox for its one account;
the team store's rows name the account (the synced feed's), and a feed of no account (its
account logged out) queues nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsroom_tui.store.rows import Transaction

if TYPE_CHECKING:  # the sync's records are imported by what writes a change, not at the start
    from newsroom_tui.sync_records import Flag


def queue_changes(
    tx: Transaction,
    ids_where: str,
    params: Sequence[object],
    flag: Flag,
    on: bool,
    *,
    read_column: str = "read",
    per_account: bool = False,
) -> None:
    """Add to the outbox a change of ``flag`` to ``on`` for each synced article that
    ``ids_where`` (a condition on article ``a``) selects and that does not hold that value
    yet. Run before the UPDATE, in its transaction. ``read_column``: the article's column of
    the account's read state; ``per_account``: the outbox rows name the feed's account."""
    from newsroom_tui.sync_records import Flag

    column = read_column if flag is Flag.READ else "flagged"
    account_column, account_value, account_clause = (
        ("account_id, ", "f.account_id, ", "AND f.account_id IS NOT NULL ")
        if per_account
        else ("", "", "")
    )
    tx.execute(
        f"""INSERT INTO outbox ({account_column}item, given, flag, set_on)
            SELECT {account_value}a.guid, COALESCE(a.remote_id, a.guid), ?, ? FROM articles a
            JOIN feeds f ON f.id = a.feed_id
            WHERE f.kind = 'synced' {account_clause}AND a.{column} <> ? AND ({ids_where})
            ORDER BY a.id""",
        (flag.value, on, on, *params),
    )
