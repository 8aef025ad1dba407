"""The one rule for dates from the network: a date news can carry, or none.

A feed or page may write any date RFC 3339 allows: ``9999-12-31T23:59:59-01:00`` and
``0001-01-01T00:00+01:00`` cannot even be turned into UTC (OverflowError), and a date in the
year 2500 would sort its item above every other for ever. Entries and announcements apply
:func:`plausible_date` where they are made; the page extractor keeps the same years. A date
outside them is dropped: the item counts as undated and sorts by when it was fetched.
"""

from __future__ import annotations

from datetime import UTC, datetime

EARLIEST_YEAR = 1990
LATEST_YEAR = 2100


def plausible_date(value: datetime | None) -> datetime | None:
    """``value`` as it was when it lies in the years :data:`EARLIEST_YEAR` to
    :data:`LATEST_YEAR` (in UTC, and in its own zone); else None."""
    if value is None:
        return None
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        return value
    try:
        year = value.astimezone(UTC).year
    except (OverflowError, ValueError):
        return None
    return value if EARLIEST_YEAR <= year <= LATEST_YEAR else None
