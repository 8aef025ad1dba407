"""One new entry to its stored article (CPU only, run in the poll's workers): the body and
summary as Markdown (:mod:`newsroom_tui.ingest.article_body`) or left for the reader, the
gallery with its credits, the title. One bad entry never costs the others of its feed.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import replace

from newsroom_tui.models import BodySource, ExtractedPage, GalleryItem, NewArticle
from newsroom_tui.parse.entries import FeedEntry
from newsroom_tui.text.sanitize import TITLE_MAX_CHARS, clean_gallery, clean_line, clip


def built_alone(entry: FeedEntry, page: ExtractedPage | None, lazy: bool = False) -> NewArticle:
    """One entry's article; when its page (or its own HTML) breaks the build, the entry is
    kept with its teaser: one bad entry never costs the others of its feed. ``lazy``: a
    small entry without a page keeps its HTML, made Markdown when first read."""
    if lazy and page is None:
        with contextlib.suppress(Exception):
            deferred = _deferred_article(entry)
            if deferred is not None:
                return deferred
    bare = replace(entry, content_html=None)
    tries = [(entry, page), (entry, None), (bare, None)] if page else [(entry, None), (bare, None)]
    for candidate, extracted in tries:
        with contextlib.suppress(Exception):
            return _build_article(candidate, extracted)
    return _build_article(replace(bare, summary_html=""), None)  # the title alone


def _build_article(entry: FeedEntry, page: ExtractedPage | None) -> NewArticle:
    """The stored form of one new entry (CPU only: extraction of the feed's HTML)."""
    from newsroom_tui.extract import extract_fragment
    from newsroom_tui.ingest.article_body import compose, fragment

    base = entry.base_url or entry.url
    summary = fragment(entry.summary_html, base) if entry.summary_html else ExtractedPage()
    extracted = page
    if extracted is None and entry.content_html:
        extracted = extract_fragment(entry.content_html, base)
    extracted = extracted or ExtractedPage()
    summary_md, body_md = compose(summary, extracted)
    gallery = _merge_gallery(extracted.gallery or summary.gallery, entry.media)
    return NewArticle(
        guid=entry.guid,
        url=entry.url,
        title=_title(entry, extracted),
        published=entry.published or extracted.published,
        summary=summary_md,
        body_markdown=body_md,
        gallery=clean_gallery(gallery),
    )


def _title(entry: FeedEntry, extracted: ExtractedPage | None = None) -> str:
    title = clean_line(entry.title or (extracted.title if extracted else None)) or "(untitled)"
    return clip(title, TITLE_MAX_CHARS)


# HTML that may hold an image once parse_html has taken control characters and escape
# sequences out; without one there is no gallery, and nothing to parse at poll time. Two
# searches, not one alternation: the literal is found by a fast scan, and the class without
# IGNORECASE is tested per character without case folding.
_IMAGE = re.compile("<img", re.IGNORECASE)
_STRIPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x9b\x9d\ufffe\uffff\ud800-\udfff]")


def _maybe_image(html: str) -> bool:
    return _IMAGE.search(html) is not None or _STRIPPED.search(html) is not None


def _gallery_of(html: str, base_url: str | None) -> list[GalleryItem]:
    """The gallery :func:`extract_fragment` finds in ``html``, without making its Markdown."""
    from newsroom_tui.extract.gallery import collect_gallery
    from newsroom_tui.extract.page import parse_html

    if not _maybe_image(html):
        return []
    tree = parse_html(html, plain=True)
    return collect_gallery(tree, base_url).items if tree is not None else []


def _deferred_article(entry: FeedEntry) -> NewArticle | None:
    """One new entry with its Markdown left for when it is first read (see
    :mod:`newsroom_tui.ingest.article_body`): gallery, credits and search text now, in one cheap
    pass; None for an entry too large to leave to the reader."""
    from newsroom_tui.ingest.article_body import LAZY_MAX_CHARS, search_text

    base = entry.base_url or entry.url
    source = BodySource(entry.summary_html, entry.content_html, base)
    if source.size > LAZY_MAX_CHARS or len(_IMAGE.findall(source.content_html or "")) > 40:
        return None  # long, or a wall of images (each a gallery item to find again)
    found = _gallery_of(entry.content_html, base) if entry.content_html else []
    if not found and entry.summary_html:
        found = _gallery_of(entry.summary_html, base)
    return NewArticle(
        guid=entry.guid,
        url=entry.url,
        title=_title(entry),
        published=entry.published,
        body_markdown=search_text(source),
        gallery=clean_gallery(_merge_gallery(found, entry.media)),
        source=source.encode(),
    )


def _merge_gallery(found: list[GalleryItem], media: list[GalleryItem]) -> list[GalleryItem]:
    """Page images first; feed media (normalised credits) for images the page did not show."""
    from newsroom_tui.extract.credits import split_credit

    seen = {item.src for item in found}
    merged = list(found)
    for item in media:
        if item.src in seen:
            continue
        credit = split_credit(item.credit)[1] or item.credit if item.credit else None
        merged.append(GalleryItem(src=item.src, caption=item.caption, credit=credit))
        seen.add(item.src)
    return merged
