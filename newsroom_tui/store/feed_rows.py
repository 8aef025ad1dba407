"""A feed's row: the columns the stores read and the :class:`Feed` made of them; the
rows' times as text."""

from __future__ import annotations

from datetime import UTC, datetime

from newsroom_tui.models import Feed


def from_db_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def utc_key(moment: datetime) -> str:
    """``moment`` as an article's ``sort_key``: UTC text that sorts lexically."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


FEED_COLUMNS = (
    "id, url, title, etag, last_modified, last_polled, last_success, last_error, full_page,"
    " category, failures, last_error_at, retry_after, notice, kind, name_set"
)


def feed_from_row(row: tuple) -> Feed:
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
