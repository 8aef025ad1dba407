"""A page source's listing read as the entries a summary-only feed gives.

The poller treats a page source as a feed whose parser is listing detection
(:mod:`newsroom_tui.parse.listing`): each announcement becomes a :class:`FeedEntry` with the
detail page as its link and the teaser as its summary, so the poller's own page path fetches
and extracts the detail pages of new announcements only (body, gallery, credits), exactly as
for a summary-only feed entry. :func:`newsroom_tui.parse.registry.parse_document` picks it.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable
from dataclasses import dataclass

from newsroom_tui.models import Feed
from newsroom_tui.parse.entries import FeedEntry, FeedParseError, ParsedFeed
from newsroom_tui.parse.listing import Announcement, ListingError, Selectors, detect_listing

NO_ANNOUNCEMENTS = "no announcements found on the page any more; the site may have changed"


@dataclass(frozen=True)
class PageRules:
    """How to read one page source (picklable: it goes to the worker processes)."""

    selectors: Selectors | None = None


def selectors_from(pairs: Iterable[tuple[str, str]]) -> Selectors | None:
    """The config file's selectors of one source as :class:`Selectors` (None: detection)."""
    given = dict(pairs)
    if not given.get("items"):
        return None
    return Selectors(
        items=given["items"], title=given.get("title"), link=given.get("link"),
        date=given.get("date"),
    )  # fmt: skip


def page_rules(feed: Feed) -> PageRules | None:
    """None for a feed; the rules of a page source."""
    if feed.kind != "page":
        return None
    return PageRules(selectors_from(feed.selectors))


def as_entry(item: Announcement) -> FeedEntry:
    teaser = f"<p>{html.escape(item.teaser)}</p>" if item.teaser else ""
    return FeedEntry(
        guid=item.guid,
        url=item.url,
        title=item.title,
        published=item.published,
        summary_html=teaser,
        base_url=item.url,
    )


def parse_listing(data: bytes, url: str, content_type: str | None, page: PageRules) -> ParsedFeed:
    """A listing page's announcements as entries. A listing without announcements fails:
    FeedParseError, articles kept."""
    try:
        listing = detect_listing(data, url, content_type, page.selectors)
    except ListingError as exc:
        raise FeedParseError(f"{NO_ANNOUNCEMENTS} ({exc})") from None
    return ParsedFeed(listing.title, [as_entry(item) for item in listing.announcements])


def listing_digest(entries: Iterable[FeedEntry]) -> str:
    """A digest of the extracted list (identity, title, date of each announcement): a page
    that changed elsewhere (a clock, a token, a new teaser image) counts as unchanged."""
    digest = hashlib.blake2b(digest_size=16)
    for entry in entries:
        when = entry.published.isoformat() if entry.published else ""
        digest.update(f"{entry.guid}\x1f{entry.title}\x1f{when}\x1e".encode())
    return digest.hexdigest()
