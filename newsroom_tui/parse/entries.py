"""What a feed parser hands over: entries, the parsed feed, its one-line error.

Apart from the parsers (:mod:`newsroom_tui.parse.registry` and the parsers it picks, which
import feedparser and lxml): the poll's main process handles these without importing a parser
it never runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from newsroom_tui.models import GalleryItem
from newsroom_tui.text.plausible_dates import plausible_date
from newsroom_tui.text.sanitize import clean_guid, clean_url

# A tag: never past the next "<", so a run of 100,000 "<" (from "&lt;") is one linear pass.
TAG = re.compile(r"<[^<>]+>")


class FeedParseError(Exception):
    """The bytes are not a feed we can read (one-line reason)."""


@dataclass
class FeedEntry:
    """One item of a feed (RSS, Atom, JSON Feed) or of a listing page.

    The rules for what comes from the network hold here, wherever the entry is made: a link
    (and ``base_url``) that :func:`clean_url` refuses becomes None, and the entry is kept with
    its teaser; the id loses what would reach the terminal as control and is bounded
    (:func:`clean_guid`), falling back to the link, then the title, when nothing is left; a
    date outside the years news carries is dropped (:func:`plausible_date`); images with
    refused addresses are dropped."""

    guid: str
    url: str | None
    title: str
    published: datetime | None
    summary_html: str = ""
    content_html: str | None = None
    media: list[GalleryItem] = field(default_factory=list)
    # Relative URLs in summary/content resolve against this (the feed's address or its
    # xml:base); None when they are already absolute (feedparser resolves them itself).
    base_url: str | None = None

    def __post_init__(self) -> None:
        self.url = clean_url(self.url)
        self.base_url = clean_url(self.base_url)
        self.guid = clean_guid(self.guid) or self.url or f"title:{self.title}"
        self.published = plausible_date(self.published)
        if self.media:
            self.media = _with_clean_sources(self.media)

    @property
    def has_full_content(self) -> bool:
        """True when the feed carries the article itself, not just a teaser."""
        if not self.content_html:
            return False
        content = TAG.sub("", self.content_html).strip()
        summary = TAG.sub("", self.summary_html).strip()
        return len(content) > max(len(summary), 200) or (content != summary and len(content) > 500)


def _with_clean_sources(media: list[GalleryItem]) -> list[GalleryItem]:
    """The images whose address passes :func:`clean_url` (as it gives it back)."""
    kept = []
    for item in media:
        src = clean_url(item.src)
        if src is not None:
            kept.append(item if src == item.src else replace(item, src=src))
    return kept


@dataclass
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry]
    total: int | None = None  # entries in the document, when only some are in ``entries``
    # why the document was read only in part (XML that breaks off or is not well-formed:
    # the entries before the fault were read), one line; None: it was read whole
    broken: str | None = None
