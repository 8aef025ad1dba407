"""What a feed parser hands over: entries, the parsed feed, its one-line error.

Apart from the parsers (:mod:`newsroom_tui.ingest.feeds`, which import feedparser and lxml):
the poll's main process handles these without importing a parser it never runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from newsroom_tui.models import GalleryItem

# A tag: never past the next "<", so a run of 100,000 "<" (from "&lt;") is one linear pass.
TAG = re.compile(r"<[^<>]+>")


class FeedParseError(Exception):
    """The bytes are not a feed we can read (one-line reason)."""


@dataclass
class FeedEntry:
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

    @property
    def has_full_content(self) -> bool:
        """True when the feed carries the article itself, not just a teaser."""
        if not self.content_html:
            return False
        content = TAG.sub("", self.content_html).strip()
        summary = TAG.sub("", self.summary_html).strip()
        return len(content) > max(len(summary), 200) or (content != summary and len(content) > 500)


@dataclass
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry]
    total: int | None = None  # entries in the document, when only some are in ``entries``
