"""The article a sync account's item makes (FreshRSS, Miniflux), as the store's sync side
writes it (:class:`newsroom_tui.store.sync_side.SQLiteSyncSide`)."""

from __future__ import annotations

from newsroom_tui.models import BodySource, NewArticle
from newsroom_tui.sync_records import RemoteItem


def synced_article(item: RemoteItem, lazy: bool = True) -> NewArticle:
    """The article an item makes: its HTML kept and made Markdown when first read, as a
    feed entry's; a long one (over the size a read renders at once) kept as its plain text,
    made in one linear pass: no extraction of a server's HTML runs in the sync or the
    reader without the poll's worker processes and their deadline. ``lazy`` False: for a
    store that keeps Markdown only (the team's), whose items' Markdown the workers make
    (:mod:`.synced_bodies`): this is what an item whose build failed keeps, its plain text."""
    # brings the extractor: imported by a sync that pulled items, not by every start
    from newsroom_tui.ingest.article_body import LAZY_MAX_CHARS, search_text

    source = BodySource(item.html, None, item.url)
    title = item.display_title
    text = search_text(source)
    if source.size > LAZY_MAX_CHARS or not lazy:
        plain = " ".join(text.split())
        return NewArticle(item.id.decimal, item.url, title, item.published, body_markdown=plain)
    return NewArticle(
        guid=item.id.decimal,
        url=item.url,
        title=title,
        published=item.published,
        body_markdown=text,
        source=source.encode(),
    )
