"""Rows and transactions, as both backends and the tables beside them (watchlists, stories,
retention, the sync's side) read and write them: a feed's row and the :class:`Feed` made of
it, an article list's row, the rows' times as text, and the transaction a write runs in.

Statements use ``?`` placeholders; a backend that wants another style rewrites them in its
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from newsroom_tui.models import Article, ArticleSummary, Feed, GalleryItem
from newsroom_tui.text.gallery_headings import drop_empty_gallery_headings
from newsroom_tui.text.sanitize import clean_name

# One row as the database driver hands it out (columns of any type).
Row = tuple[Any, ...]


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Transaction(Protocol):
    """One write transaction of a store: everything in it commits, or nothing. (SQLite's
    connection is one as it is: its methods take the parameters positionally.)"""

    def execute(self, sql: str, params: Sequence[Any] = (), /) -> Cursor: ...
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> object: ...


def from_db_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def utc_key(moment: datetime) -> str:
    """``moment`` as an article's ``sort_key``: UTC text that sorts lexically."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


FEED_COLUMNS = (
    "id, url, title, etag, last_modified, last_polled, last_success, last_error, full_page,"
    " category, failures, last_error_at, retry_after, notice, kind, name_set"
)


def feed_from_row(row: Row) -> Feed:
    return Feed(
        id=row[0],
        url=row[1],
        title=row[2],
        etag=row[3],
        last_modified=row[4],
        last_polled=from_db_time(row[5]),
        last_success=from_db_time(row[6]),
        error=row[7],
        full_page=row[8],
        category=row[9],
        failures=row[10],
        last_error_at=from_db_time(row[11]),
        retry_after=from_db_time(row[12]),
        notice=row[13],
        kind=row[14],
        name_set=bool(row[15]),
    )


def to_db_time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def sort_key(published: datetime | None, fetched: datetime) -> str:
    """UTC timestamp text that sorts lexically: newest first means DESC."""
    return utc_key(published or fetched)


def summary_from_row(row: Row) -> ArticleSummary:
    return ArticleSummary(
        id=row[0],
        feed_id=row[1],
        feed=row[2],
        url=row[3],
        title=row[4],
        published=from_db_time(row[5]),
        read=bool(row[6]),
        flagged=bool(row[7]),
        # names from a shared database (anyone with access writes any text) reach terminals:
        # read as plain names, as newsroom writes them
        claimed_by=clean_name(row[8]),
        done=bool(row[9]),
        watched=bool(row[10]),
        done_by=clean_name(row[11]),
        claimed_role=clean_name(row[12]),
        done_role=clean_name(row[13]),
        story_id=row[14],
        story_sources=int(row[15] or 1),
        story_first=row[16],
        story_update=from_db_time(row[17]),
    )


SUMMARY_WIDTH = 18  # columns summary_from_row reads


def gallery_sql(condition: str) -> str:
    """The gallery items (src, caption, credit) of the article ``condition`` holds for."""
    return f"SELECT src, caption, credit FROM gallery_items WHERE {condition} ORDER BY position"


def article_of(row: Row, gallery: list[Row]) -> Article:
    """An article from its row (``SQLStore._article_sql``'s) and its gallery's rows."""
    return Article(
        **vars(summary_from_row(row)),
        summary=row[SUMMARY_WIDTH],
        # bodies cached before the extractor dropped them lose empty gallery headings here
        body_markdown=drop_empty_gallery_headings(row[SUMMARY_WIDTH + 1]),
        gallery=[GalleryItem(src=r[0], caption=r[1], credit=r[2]) for r in gallery],
    )
