"""The article store: one narrow interface, SQLite as the embedded default."""

from newsroom_tui.store.base import (
    ALL_ARTICLES,
    ArticleFilter,
    ChangeFeed,
    ChangeKind,
    ClaimTaken,
    FeedCounts,
    FeedUpdate,
    SharedStore,
    Store,
    StoreChange,
    StoreError,
)
from newsroom_tui.store.sqlite import SQLiteStore, move_aside, open_store

__all__ = [
    "ALL_ARTICLES",
    "ArticleFilter",
    "ChangeFeed",
    "ChangeKind",
    "ClaimTaken",
    "FeedCounts",
    "FeedUpdate",
    "SQLiteStore",
    "SharedStore",
    "Store",
    "StoreChange",
    "StoreError",
    "move_aside",
    "open_store",
]
