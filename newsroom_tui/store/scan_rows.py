"""A scan of the cache as a watchlist reads it (``newsroom watch test``): the record of one
article. Its own module: nothing the reader's start does makes one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScanRow:
    """One cached article's text as a watchlist reads it (a scan of the cache)."""

    article_id: int
    feed_name: str | None
    category: str | None
    title: str
    body: str
    summary: str
    credits: list[str]  # the gallery: each caption with its credit
