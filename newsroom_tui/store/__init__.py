"""The article store: one narrow interface, SQLite as the embedded default."""

from newsroom_tui.store.base import (
    ALL_ARTICLES,
    AfterSave,
    ArticleFilter,
    ChangeFeed,
    ChangeKind,
    ClaimTaken,
    FeedCounts,
    FeedUpdate,
    FirstScreen,
    LocalChanges,
    ScreenCounts,
    SharedStore,
    Store,
    StoreChange,
    StoreError,
    WatchCounts,
)
from newsroom_tui.store.sqlite import SQLiteStore, move_aside, open_store

__all__ = [
    "ALL_ARTICLES",
    "AfterSave",
    "ArticleFilter",
    "ChangeFeed",
    "ChangeKind",
    "ClaimTaken",
    "FeedCounts",
    "FeedUpdate",
    "FirstScreen",
    "LocalChanges",
    "SQLiteStore",
    "ScreenCounts",
    "SharedStore",
    "Store",
    "StoreChange",
    "StoreError",
    "WatchCounts",
    "move_aside",
    "open_store",
]
