"""The sync account's outbox as the SQLite store writes it: a read or flag set in newsroom on a
synced article is queued in the transaction that sets it, and pushed by the next sync (see
:mod:`newsroom_tui.store.sync_side`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsroom_tui.store.rows import Transaction

if TYPE_CHECKING:  # the sync's records are imported by what writes a change, not at the start
    from newsroom_tui.sync_records import Flag


def queue_changes(
    tx: Transaction, ids_where: str, params: Sequence[object], flag: Flag, on: bool
) -> None:
    """Add to the outbox a change of ``flag`` to ``on`` for each synced article that
    ``ids_where`` (a condition on article ``a``) selects and that does not hold that value
    yet. Run before the UPDATE, in its transaction."""
    from newsroom_tui.sync_records import Flag

    column = "read" if flag is Flag.READ else "flagged"
    tx.execute(
        f"""INSERT INTO outbox (item, given, flag, set_on)
            SELECT a.guid, COALESCE(a.remote_id, a.guid), ?, ? FROM articles a
            JOIN feeds f ON f.id = a.feed_id
            WHERE f.kind = 'synced' AND a.{column} <> ? AND ({ids_where})
            ORDER BY a.id""",
        (flag.value, int(on), int(on), *params),
    )
