"""What the parts of the SQL store (its feeds', watchlists' and stories' tables, the first
screen's reads) use of the store they are part of: a statement run, a transaction, the other
clients told of a change. :class:`~newsroom_tui.store.sql_store.SQLStore` and its backends
give them; a part declares them once by deriving from :class:`StoreHooks`."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager

from newsroom_tui.store.base import StoreChange
from newsroom_tui.store.rows import Row, Transaction


class StoreHooks:
    def _query(self, sql: str, params: Iterable[object] = ()) -> list[Row]:
        raise NotImplementedError

    def _transaction(self) -> AbstractContextManager[Transaction]:
        raise NotImplementedError

    def _announce(self, tx: Transaction, change: StoreChange) -> None:
        raise NotImplementedError
