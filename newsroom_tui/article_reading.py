"""An article as the reader and the commands show it.

A poll stores a feed entry's body as its source (:attr:`Store.lazy_bodies`): making it
Markdown takes the extractor, so it is done when someone first reads the article, here, and
the Markdown is kept in the store in the source's place.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace

from newsroom_tui.models import Article, BodySource
from newsroom_tui.store.base import Store, StoreError


def read_article(store: Store, article_id: int) -> Article | None:
    """The article with its body as Markdown (None: not there). One stored with its source
    only is made Markdown now and kept so; a source that cannot be read leaves the search
    text it was stored with, and a cache that cannot be written makes it again next time."""
    article = store.article(article_id)
    if article is None:
        return None
    source = store.body_source(article_id)
    if source is None:
        return article
    try:
        from newsroom_tui.ingest.article_body import render  # brings the extractor

        summary, body = render(BodySource.decode(source))
    except (ValueError, TypeError):  # a source we cannot read: the search text it is
        return article
    with contextlib.suppress(StoreError):  # a read-only cache: made again next time
        store.keep_rendered(article_id, summary, body)
    return replace(article, summary=summary, body_markdown=body)
