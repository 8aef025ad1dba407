"""New articles on their way back from a worker process: one marshal blob of plain rows.

Articles pickled as dataclasses (each with its dates and gallery items) cost more to pickle
and unpickle than the rest of a worker's answer; rows of strings in one :mod:`marshal` blob
cost a fraction of that. :class:`ArticleList` is a list that crosses a pipe so;
anything in it that is not a :class:`NewArticle` (an entry waiting for its page) is pickled
as usual, in its place. The worker can fold the articles' full-text columns too
(:func:`article_list` with ``index``), which the main process's store only inserts.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from newsroom_tui.models import GalleryItem, NewArticle
from newsroom_tui.text.search_text import fts_columns

_Row = tuple[Any, ...]


def _row(art: NewArticle) -> _Row:
    return (
        art.guid,
        art.url,
        art.title,
        art.published.isoformat() if art.published else None,
        art.summary,
        art.body_markdown,
        [(item.src, item.caption, item.credit) for item in art.gallery],
        art.source,
        art.story_features,
        art.index,
    )


def _article(row: _Row) -> NewArticle:
    guid, url, title, published, summary, body, gallery, source, story, index = row
    return NewArticle(
        guid=guid,
        url=url,
        title=title,
        published=datetime.fromisoformat(published) if published else None,
        summary=summary,
        body_markdown=body,
        gallery=[GalleryItem(src, caption, credit) for src, caption, credit in gallery],
        source=source,
        story_features=story,
        index=index,
    )


def article_list(items: Iterable[Any], index: bool = False) -> ArticleList:
    """``items`` as an :class:`ArticleList`; with ``index``, each article's full-text columns
    folded now (:attr:`NewArticle.index`)."""
    listed = ArticleList(items)
    if index:
        for item in listed:
            if type(item) is NewArticle:
                item.index = fts_columns(
                    item.title,
                    item.body_markdown,
                    item.summary,
                    ((g.caption, g.credit) for g in item.gallery),
                )
    return listed


class ArticleList(list[Any]):
    """A list of :class:`NewArticle` (and other picklable items) that pickles compactly."""

    def __reduce__(self) -> tuple[Any, ...]:
        rows: list[_Row | None] = []
        others: list[tuple[int, Any]] = []
        for index, item in enumerate(self):
            if type(item) is NewArticle:
                rows.append(_row(item))
            else:
                rows.append(None)
                others.append((index, item))
        return (_unpack, (marshal.dumps(rows), others))


def _unpack(blob: bytes, others: list[tuple[int, Any]]) -> ArticleList:
    items = ArticleList(_article(row) if row is not None else None for row in marshal.loads(blob))
    for index, item in others:
        items[index] = item
    return items
