"""The work the poll's worker processes run for one feed (top-level functions: they are
pickled by name): parse it, build the articles of its new entries, extract a page."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from newsroom_tui.ingest.article_build import built_alone
from newsroom_tui.ingest.article_rows import article_list
from newsroom_tui.models import ExtractedPage, NewArticle
from newsroom_tui.parse.entries import FeedEntry, ParsedFeed
from newsroom_tui.stories.features import add_feature_rows

if TYPE_CHECKING:
    from newsroom_tui.parse.listing_page import PageRules

# Entries taken from one feed per poll: the newest ones (by date, else the first in the
# document). A feed of 10,000 items costs what one of 1,000 does, and says so in its status.
MAX_ENTRIES = 1000


def parse_job(
    data: bytes, url: str, content_type: str | None, page: PageRules | None = None
) -> ParsedFeed:
    from newsroom_tui.parse.registry import parse_document

    return _newest(parse_document(data, url, content_type, page))


def ordinary_parse_job(data: bytes, url: str, content_type: str | None) -> ParsedFeed | None:
    """:func:`parse_job` for an ordinary RSS/Atom document (see
    :func:`~newsroom_tui.parse.registry.parse_ordinary`); None when it needs more."""
    from newsroom_tui.parse.registry import parse_ordinary

    parsed = parse_ordinary(data, url, content_type)
    return None if parsed is None else _newest(parsed)


def _newest(parsed: ParsedFeed, limit: int = MAX_ENTRIES) -> ParsedFeed:
    """At most ``limit`` entries: the newest by date (undated ones rank by their place in
    the document, after the dated ones), kept in document order."""
    entries = parsed.entries
    if len(entries) <= limit:
        return parsed
    floor = datetime.min.replace(tzinfo=UTC)
    ranked = heapq.nlargest(
        limit,
        range(len(entries)),
        key=lambda i: (entries[i].published is not None, entries[i].published or floor, -i),
    )
    kept = [entries[i] for i in sorted(ranked)]
    return ParsedFeed(parsed.title, kept, total=parsed.total or len(entries), broken=parsed.broken)


@dataclass
class FirstPoll:
    """A feed polled successfully for the first time: nothing of it is stored yet, so every
    entry is new and the worker builds the articles right after parsing (one round trip).
    ``items`` keeps the feed's order: an article, or the entry when it wants its page."""

    title: str | None
    items: list[NewArticle | FeedEntry]
    notice: str | None = None


def first_poll_job(
    data: bytes,
    url: str,
    content_type: str | None,
    full_page: str,
    page: PageRules | None = None,
    lazy: bool = False,
    stories: bool = False,
    stories_since: datetime | None = None,
    index: bool = False,
) -> FirstPoll:
    from newsroom_tui.parse.registry import parse_document

    parsed = _newest(parse_document(data, url, content_type, page))
    fresh = {e.guid: e for e in parsed.entries}.values()
    items: list[NewArticle | FeedEntry] = [
        e if wants_page(e, full_page) else built_alone(e, None, lazy) for e in fresh
    ]
    if stories:  # the story matching's features, made here rather than in the writer
        add_feature_rows(items, stories_since)
    return FirstPoll(parsed.title, article_list(items, index), entries_notice(parsed))


def entries_notice(parsed: ParsedFeed) -> str | None:
    """What the poll's line says of a feed read only in part: a document that breaks off,
    entries left out; None for one read whole."""
    notes = [parsed.broken] if parsed.broken else []
    if parsed.total is not None and parsed.total > len(parsed.entries):
        notes.append(f"only the newest {len(parsed.entries):,} of {parsed.total:,} entries kept")
    return "; ".join(notes) or None


@dataclass
class Job:
    """One new entry to turn into an article; ``page`` is its extracted page, if fetched."""

    entry: FeedEntry
    page: ExtractedPage | None = None


def extract_page_job(content: bytes, url: str, content_type: str | None) -> ExtractedPage:
    from newsroom_tui.extract import extract_page

    return extract_page(content, url, content_type)


def build_job(
    jobs: list[Job],
    lazy: bool = False,
    stories: bool = False,
    stories_since: datetime | None = None,
    index: bool = False,
) -> list[NewArticle]:
    built = article_list((built_alone(job.entry, job.page, lazy) for job in jobs), index)
    if stories:
        add_feature_rows(built, stories_since)
    return built


def wants_page(entry: FeedEntry, full_page: str) -> bool:
    if not entry.url or full_page == "never":
        return False
    return full_page == "always" or not entry.has_full_content
