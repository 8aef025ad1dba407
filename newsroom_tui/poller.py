"""One poll of many feeds: fetch, parse, fetch pages of new summary-only entries, store."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsroom_tui.extract import extract_fragment, extract_page, split_credit
from newsroom_tui.feeds import FeedEntry, FeedParseError, parse_feed
from newsroom_tui.fetcher import PAGE_MAX_BYTES, Fetcher, FetchError, check_url
from newsroom_tui.models import ExtractedPage, Feed, GalleryItem, NewArticle
from newsroom_tui.sanitize import clean_gallery, clean_line, clean_text
from newsroom_tui.store.base import FeedUpdate, Store

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


@dataclass
class FeedOutcome:
    feed: Feed
    status: str  # "updated" | "not_modified" | "failed"
    new_articles: int = 0
    pages_fetched: int = 0
    error: str | None = None
    network_error: bool = False


@dataclass
class PollReport:
    outcomes: list[FeedOutcome] = field(default_factory=list)

    @property
    def new_articles(self) -> int:
        return sum(o.new_articles for o in self.outcomes)

    @property
    def failed(self) -> list[FeedOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def offline(self) -> bool:
        """Every feed failed because no server could be reached."""
        return bool(self.outcomes) and all(o.network_error for o in self.outcomes)


ProgressCallback = Callable[[FeedOutcome, int, int], None]


async def poll_feeds(
    store: Store,
    feeds: list[Feed] | None = None,
    *,
    fetcher: Fetcher | None = None,
    on_progress: ProgressCallback | None = None,
) -> PollReport:
    """Poll ``feeds`` (default: all) concurrently; each feed succeeds or fails alone."""
    feeds = store.feeds() if feeds is None else feeds
    report = PollReport()
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher()
    try:

        async def run(feed: Feed) -> None:
            outcome = await poll_feed(store, feed, fetcher)
            report.outcomes.append(outcome)
            if on_progress:
                on_progress(outcome, len(report.outcomes), len(feeds))

        await asyncio.gather(*(run(feed) for feed in feeds))
    finally:
        if own_fetcher:
            await fetcher.aclose()
    return report


async def poll_feed(store: Store, feed: Feed, fetcher: Fetcher) -> FeedOutcome:
    polled_at = datetime.now(UTC)
    try:
        check_url(feed.url)
        result = await fetcher.get(
            feed.url, etag=feed.etag, last_modified=feed.last_modified, accept=FEED_ACCEPT
        )
        if result.not_modified:
            store.record_not_modified(feed.id, polled_at)
            return FeedOutcome(feed, "not_modified")
        parsed = await asyncio.to_thread(
            parse_feed, result.content, result.url, result.content_type
        )
    except (FetchError, FeedParseError, ValueError) as exc:
        store.record_failure(feed.id, polled_at, str(exc))
        return FeedOutcome(
            feed, "failed", error=str(exc), network_error=getattr(exc, "network", False)
        )

    known = store.known_guids(feed.id, (e.guid for e in parsed.entries))
    fresh = [e for e in parsed.entries if e.guid not in known]
    fresh = list({e.guid: e for e in fresh}.values())
    built = await asyncio.gather(*(_build_article(entry, feed, fetcher) for entry in fresh))
    articles = [article for article, _ in built]
    update = FeedUpdate(
        polled_at=polled_at,
        title=parsed.title,
        etag=result.etag,
        last_modified=result.last_modified,
        articles=articles,
    )
    inserted = store.save_feed_update(feed.id, update)
    return FeedOutcome(
        feed, "updated", new_articles=inserted, pages_fetched=sum(f for _, f in built)
    )


def _wants_page(entry: FeedEntry, feed: Feed) -> bool:
    if not entry.url or feed.full_page == "never":
        return False
    return feed.full_page == "always" or not entry.has_full_content


async def _build_article(entry: FeedEntry, feed: Feed, fetcher: Fetcher) -> tuple[NewArticle, int]:
    """The stored form of one new entry, and how many pages were fetched for it (0 or 1)."""
    summary = (
        await asyncio.to_thread(extract_fragment, entry.summary_html, entry.url)
        if entry.summary_html
        else ExtractedPage()
    )
    extracted: ExtractedPage | None = None
    fetched = 0
    if _wants_page(entry, feed):
        assert entry.url is not None
        try:
            check_url(entry.url)
            page = await fetcher.get(entry.url, max_bytes=PAGE_MAX_BYTES, accept="text/html")
            fetched = 1
            extracted = await asyncio.to_thread(
                extract_page, page.content, page.url, page.content_type
            )
        except (FetchError, ValueError):
            extracted = None  # keep the summary; the page is not tried again
    if extracted is None and entry.content_html:
        extracted = await asyncio.to_thread(extract_fragment, entry.content_html, entry.url)
    extracted = extracted or ExtractedPage()

    body = extracted.body_markdown.strip() or summary.body_markdown
    gallery = _merge_gallery(extracted.gallery or summary.gallery, entry.media)
    article = NewArticle(
        guid=entry.guid,
        url=entry.url,
        title=clean_line(entry.title or extracted.title or "(untitled)"),
        published=entry.published or extracted.published,
        summary=clean_text(summary.body_markdown),
        body_markdown=clean_text(body),
        gallery=clean_gallery(gallery),
    )
    return article, fetched


def _merge_gallery(found: list[GalleryItem], media: list[GalleryItem]) -> list[GalleryItem]:
    """Page images first; feed media (normalised credits) for images the page did not show."""
    seen = {item.src for item in found}
    merged = list(found)
    for item in media:
        if item.src in seen:
            continue
        credit = split_credit(item.credit)[1] or item.credit if item.credit else None
        merged.append(GalleryItem(src=item.src, caption=item.caption, credit=credit))
        seen.add(item.src)
    return merged
