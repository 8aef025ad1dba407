"""The articles of a sync's new items, made as a feed's new entries are (before the pull is
written): the server's HTML is the item's content, and an item whose content is a teaser by
the feed path's rule (:func:`~newsroom_tui.ingest.poll_jobs.wants_page`, the synced feed's
``full_page`` setting) gets its article page, fetched within one feed's page budget and the
fetcher's address policy (:mod:`~newsroom_tui.ingest.article_pages`) and extracted in the
poll's worker processes, with its gallery and credits. Photos with a credit line in the
server's HTML become the gallery, as for feed content.

An item whose page fails, or is left over by the budget, keeps the server's teaser, and its
page is tried again at later polls (:mod:`~newsroom_tui.ingest.page_retries`); items whose
build fails (a worker over its deadline) are made as before
(:func:`~newsroom_tui.ingest.synced_articles.synced_article`). Nothing of a pull is lost.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from newsroom_tui.ingest.article_pages import PageResult, PageRound, fetch_pages
from newsroom_tui.ingest.page_retries import clock, first_retry, teaser_entry
from newsroom_tui.ingest.poll_jobs import Job, build_job, wants_page
from newsroom_tui.ingest.worker_pool import Workers
from newsroom_tui.models import NewArticle
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.parse.entries import FeedEntry
from newsroom_tui.store.page_retries import PageRetry
from newsroom_tui.sync_records import RemoteItem

BUILD_CHUNK = 500  # items per worker job: a job over its deadline costs these their gallery
# HTML that may show a photo: only such items (and those with a page) go to the workers
_IMAGE = re.compile("<img", re.IGNORECASE)


@dataclass
class SyncedBodies:
    """What was made of a pull's new items: articles by guid, and per synced feed (the
    server's id) the pages downloaded and the notice of its page round."""

    articles: dict[str, NewArticle] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    notices: dict[str, str] = field(default_factory=dict)
    # by guid: the teasers whose pages failed or were over the budget, tried again later
    retries: dict[str, PageRetry] = field(default_factory=dict)


def content_entry(item: RemoteItem) -> FeedEntry:
    """The item as a feed entry whose content is the server's HTML: what decides whether it
    is a teaser (see :attr:`FeedEntry.has_full_content`)."""
    return FeedEntry(
        guid=item.id.decimal,
        url=item.url,
        title=item.display_title,
        published=item.published,
        content_html=item.html or None,
        base_url=item.url,
    )


def summary_entry(item: RemoteItem) -> FeedEntry:
    """The item as the entry its article is built from (see
    :func:`~newsroom_tui.ingest.page_retries.teaser_entry`)."""
    return teaser_entry(item.id.decimal, item.url, item.display_title, item.published, item.html)


async def synced_bodies(
    items: Sequence[RemoteItem],
    full_page: Callable[[str], str],
    fetcher: Fetcher,
    workers: Workers,
    *,
    lazy: bool,
) -> SyncedBodies:
    """The articles of the ``items`` with a page or a photo (the others' text alone is made
    as before, :func:`~newsroom_tui.ingest.synced_articles.synced_article`); ``full_page``
    gives a synced feed's setting by the server's feed id ("auto" for a feed not stored
    yet)."""
    by_feed: dict[str, list[RemoteItem]] = {}
    for item in items:
        by_feed.setdefault(item.feed_id or "", []).append(item)
    made = SyncedBodies()
    rounds = await asyncio.gather(
        *(
            _pages_of(feed_items, full_page(feed), fetcher, workers)
            for feed, feed_items in by_feed.items()
        )
    )
    pages: dict[str, PageResult] = {}
    now = clock()
    for (feed, feed_items), page_round in zip(by_feed.items(), rounds, strict=True):
        pages.update(page_round.results)
        made.pages[feed] = page_round.fetched
        # what the budget left keeps its teaser until a later poll has its page (a synced
        # item is not read again from the server), as does a page that failed
        notice = page_round.notice("over the budget: teasers kept, tried at the next poll")
        if notice:
            made.notices[feed] = notice
        for item in feed_items:
            retry = first_retry(item, page_round, now, fetcher.policy.key)
            if retry is not None:
                made.retries[item.id.decimal] = retry
    # the extractor's package (lxml, trafilatura: a quarter of a second) only where a pull
    # brings items: a poll's main process leaves the extracting to the workers
    from newsroom_tui.extract.paragraphs import plain_paragraphs

    jobs, plain = [], []
    for item in items:
        result = pages.get(item.url or "") if item.url else None
        page = result.page if result else None
        if page is None and not lazy and plain_paragraphs(item.html):
            plain.append(Job(summary_entry(item), None))
        elif page is not None or not lazy or _IMAGE.search(item.html):
            jobs.append(Job(summary_entry(item), page))
        # else: its text alone, made as before in one cheap pass (synced_article), no job;
        # a store that keeps Markdown only has every item's made by the workers, but for
        # those of paragraphs of plain text alone: the same Markdown made in one linear
        # pass (extract.paragraphs), here, with no process started for them
    chunks = [jobs[start : start + BUILD_CHUNK] for start in range(0, len(jobs), BUILD_CHUNK)]
    here = [plain[start : start + BUILD_CHUNK] for start in range(0, len(plain), BUILD_CHUNK)]
    built = await asyncio.gather(
        *(workers.run(build_job, chunk, lazy) for chunk in chunks),
        *(workers.run_here(build_job, chunk, lazy) for chunk in here),
        return_exceptions=True,
    )
    chunks += here
    for chunk, articles in zip(chunks, built, strict=True):
        if isinstance(articles, BaseException):
            continue  # these items are made as before, without their pages
        for job, article in zip(chunk, articles, strict=True):
            made.articles[job.entry.guid] = article
    return made


async def _pages_of(
    items: list[RemoteItem], setting: str, fetcher: Fetcher, workers: Workers
) -> PageRound:
    """One synced feed's page round: the pages of its teasers, within one feed's budget."""
    urls = [item.url for item in items if item.url and wants_page(content_entry(item), setting)]
    return await fetch_pages(fetcher, workers, urls)
