"""What a URL is, looked at once: a feed, a page announcing one, a listing page, or none.

Used by ``newsroom add`` (what to subscribe to) and ``newsroom probe`` (the same, storing
nothing). Every outcome is one line of text for the user.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from newsroom_tui.extract import decode_html
from newsroom_tui.extract.page import parse_html
from newsroom_tui.net.fetcher import FEED_MAX_BYTES, PAGE_MAX_BYTES, Fetcher, FetchError, check_url
from newsroom_tui.parse.entries import FeedEntry, FeedParseError, ParsedFeed
from newsroom_tui.parse.listing import Announcement, ListingError, Selectors, detect_listing
from newsroom_tui.parse.registry import feed_kind, is_html_page, parse_feed
from newsroom_tui.text.sanitize import clean_line, clean_url, clip, join_url

SNIFF_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "text/html;q=0.9, application/xml;q=0.8, */*;q=0.5"
)
# <link rel="alternate" type=...> types that announce a feed, and what we call them
FEED_LINK_TYPES = {
    "application/rss+xml": "RSS",
    "application/rdf+xml": "RSS",
    "application/atom+xml": "Atom",
    "application/feed+json": "JSON Feed",
    "application/json": "JSON Feed",
}
# Announced feeds tried (fetched together, taken in page order) before the page is read as
# a listing.
MAX_ANNOUNCED = 5


class Refused(Exception):
    """Nothing to subscribe to at the URL (one-line reason, cleaned here: it may quote what
    a page or server said). ``network``: the server could not be reached at all, so nothing
    is known about the URL."""

    def __init__(self, message: str, *, network: bool = False) -> None:
        super().__init__(clean_line(message))
        self.network = network


@dataclass(frozen=True)
class AnnouncedFeed:
    """A feed a page announces (``<link rel="alternate" type=… href=…>``): its address, by
    the one rule for URLs (None: refused, or not http(s)), what kind of feed, its title."""

    url: str | None
    kind: str  # "RSS", "Atom", "JSON Feed"
    title: str = ""

    def __post_init__(self) -> None:
        url = clean_url(self.url)
        if url is not None and urlsplit(url).scheme not in ("http", "https"):
            url = None
        object.__setattr__(self, "url", url)
        object.__setattr__(self, "title", clip(clean_line(self.title), 200))


@dataclass
class Sniffed:
    kind: str  # "feed" | "page"
    url: str  # what to subscribe to (the announced feed, or the URL itself)
    found: str  # one line: "RSS feed: Stadt Herne, 12 entries", "page source: 6 announcements"
    title: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)  # a feed's entries
    announcements: list[Announcement] = field(default_factory=list)  # a page source's


def _describe(parsed: ParsedFeed, kind: str) -> str:
    name = f": {parsed.title}" if parsed.title else ""
    count = len(parsed.entries)
    what = kind if kind == "JSON Feed" else f"{kind} feed"
    broken = f"; {parsed.broken}" if parsed.broken else ""
    return f"{what}{name}, {count} {'entry' if count == 1 else 'entries'}{broken}"


def announced_feeds(data: bytes, url: str, content_type: str | None) -> list[AnnouncedFeed]:
    """The feeds an HTML page announces, in page order, once each; one whose address is
    refused (or cannot be read as a URL) is there with ``url`` None."""
    tree = parse_html(decode_html(data, content_type))
    if tree is None:
        return []
    base = url
    base_el = tree.find(".//base[@href]")
    if base_el is not None:
        base = join_url(url, base_el.get("href", "").strip()) or url
    found: list[AnnouncedFeed] = []
    seen: set[str] = set()
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = FEED_LINK_TYPES.get((link.get("type") or "").split(";")[0].strip().lower())
        href = (link.get("href") or "").strip()
        if "alternate" not in rel or kind is None or not href:
            continue
        feed = AnnouncedFeed(join_url(base, href), kind, link.get("title") or "")
        if feed.url not in seen:
            found.append(feed)
        if feed.url is not None:
            seen.add(feed.url)
    return found


async def _announced(
    fetcher: Fetcher, feed_url: str, kind: str, title: str, typed_hosts: set[str | None]
) -> Sniffed | str:
    """The feed a page announces, or why it is none (one line)."""
    # the page was typed, its host is the user's choice; another host was named by the page:
    # judged by the address policy as every page named by content
    named = urlsplit(feed_url).hostname not in typed_hosts
    try:
        got = await fetcher.get(feed_url, accept=SNIFF_ACCEPT, named_by_content=named)
        parsed = parse_feed(got.content, got.url, got.content_type)
    except (FetchError, FeedParseError) as exc:
        return f"the announced feed {feed_url} fails: {clean_line(str(exc))}"
    name = title or parsed.title or feed_url
    # a title that names its type already ("Pressemeldungen (RSS)") says it once
    said = name.casefold().endswith(f"({kind.casefold()})")
    found = f"feed found: {name}" if said else f"feed found: {name} ({kind})"
    return Sniffed("feed", feed_url, found, parsed.title or title, parsed.entries)


async def sniff(url: str, fetcher: Fetcher, selectors: Selectors | None = None) -> Sniffed:
    """Look at ``url`` once and say what to subscribe to; Refused when nothing."""
    check_url(url)
    try:
        result = await fetcher.get(url, max_bytes=FEED_MAX_BYTES, accept=SNIFF_ACCEPT)
    except FetchError as exc:
        raise Refused(clean_line(str(exc)), network=exc.network) from None
    data, content_type = result.content, result.content_type
    if not is_html_page(data, content_type):
        try:
            parsed = parse_feed(data, result.url, content_type)
        except FeedParseError as exc:
            raise Refused(f"neither a feed nor a web page ({exc})") from None
        kind = feed_kind(data)
        return Sniffed("feed", url, _describe(parsed, kind), parsed.title, parsed.entries)
    if len(data) > PAGE_MAX_BYTES:
        raise Refused(f"the page is larger than {PAGE_MAX_BYTES // (1024 * 1024)} MB")
    problems: list[str] = []
    if selectors is None:
        announced_all = announced_feeds(data, result.url, content_type)
        if any(f.url is None for f in announced_all):
            problems.append("the page announces a feed at an unusable address")
        usable = [(f.url, f.kind, f.title) for f in announced_all if f.url is not None]
        typed_hosts = {urlsplit(url).hostname, urlsplit(result.url).hostname}
        # the announced feeds are fetched together (one slow or dead address does not hold
        # up the next); the first in page order that reads as a feed is taken
        tries = [
            asyncio.ensure_future(_announced(fetcher, feed_url, kind, title, typed_hosts))
            for feed_url, kind, title in usable[:MAX_ANNOUNCED]
        ]
        try:
            for attempt in tries:
                outcome = await attempt
                if isinstance(outcome, Sniffed):
                    return outcome
                problems.append(outcome)
        finally:
            for attempt in tries:
                attempt.cancel()
            await asyncio.gather(*tries, return_exceptions=True)
    try:
        listing = detect_listing(data, result.url, content_type, selectors)
    except ListingError as exc:
        raise Refused("; ".join([str(exc), *problems])) from None
    count = len(listing.announcements)
    found = f"page source: {count} announcement{'' if count == 1 else 's'}"
    return Sniffed("page", url, found, listing.title, announcements=listing.announcements)
