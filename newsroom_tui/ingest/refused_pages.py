"""Article pages refused for their address, tried again once the address rule
(``general.allow_private_addresses``) is another than the one that refused them.

A new entry whose page is refused is stored with its teaser, and its page remembered with
the rule that refused it (:mod:`newsroom_tui.store.refused_pages`). Whether a host is allowed
now cannot be told without resolving it, since the rule judges the addresses a name resolves
to; the rule that refused the page can be compared for nothing. A poll under the same rule
therefore fetches none of them; a poll under another tries them, after its feeds, within one
poll's page budget (:func:`~newsroom_tui.ingest.article_pages.fetch_pages`; those over it wait
for the next poll). A page that comes makes its article again as its first poll would have
(body, gallery, credits, search index), keeping its read state, flag, claim and story; one
refused again is remembered with the new rule; one that fails otherwise is forgotten (the
teaser stays, as for any entry whose page failed). The feed's ``refused: …`` line goes once
none of its pages is refused."""

from __future__ import annotations

import asyncio
from collections.abc import Collection

from newsroom_tui.ingest import article_pages
from newsroom_tui.ingest.article_pages import PageRound, fetch_pages
from newsroom_tui.ingest.page_retries import made_again, sorted_results
from newsroom_tui.ingest.worker_pool import Workers
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.parse.entries import FeedEntry
from newsroom_tui.store.base import RefusedPage
from newsroom_tui.store.page_retries import retries_failed
from newsroom_tui.store.refused_pages import refused_again, refused_to_try, settle_refusals
from newsroom_tui.store.sql_store import SQLStore


def refused_pages(
    entries: Collection[FeedEntry], pages: PageRound, under: str
) -> tuple[RefusedPage, ...]:
    """The pages of ``entries`` this poll's rule ``under`` refused, to remember."""
    refused = []
    for entry in entries:
        result = pages.results.get(entry.url) if entry.url else None
        if entry.url and result is not None and result.refused:
            refused.append(RefusedPage(entry.guid, entry.url, entry.summary_html, under))
    return tuple(refused)


async def retry_refused(
    store: SQLStore, fetcher: Fetcher, workers: Workers, feed_ids: Collection[int]
) -> int:
    """Try the pages of ``feed_ids`` another rule than the fetcher's refused; how many came
    (their articles made again)."""
    under = fetcher.policy.key
    due = await asyncio.to_thread(
        refused_to_try, store, under, feed_ids, article_pages.PAGES_PER_POLL
    )
    if not due:
        return 0
    pages = await fetch_pages(fetcher, workers, [retry.url for retry in due])
    came, again, failed = sorted_results(due, pages)
    await asyncio.to_thread(refused_again, store, again, under)
    # one that fails otherwise is forgotten: its teaser stays
    await asyncio.to_thread(retries_failed, store, [(retry, None) for retry in failed])
    made = await made_again(store, workers, came, lambda retry: None)
    await asyncio.to_thread(settle_refusals, store, feed_ids)
    return sum(made or [])
