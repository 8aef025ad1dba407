"""Feed documents (RSS 0.9x/1.0/2.0, Atom) to plain entries, via feedparser on bytes we fetched."""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser

from newsroom_tui.models import GalleryItem
from newsroom_tui.sanitize import clean_line

_TAG = re.compile(r"<[^>]+>")


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

    @property
    def has_full_content(self) -> bool:
        """True when the feed carries the article itself, not just a teaser."""
        if not self.content_html:
            return False
        content = _TAG.sub("", self.content_html).strip()
        summary = _TAG.sub("", self.summary_html).strip()
        return len(content) > max(len(summary), 200) or (content != summary and len(content) > 500)


@dataclass
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry]


def parse_feed(data: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed document. Never lets feedparser touch the network."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    doc = feedparser.parse(data, response_headers=headers, sanitize_html=True)
    if not doc.entries and not doc.feed.get("title"):
        reason = doc.get("bozo_exception")
        detail = f": {str(reason).splitlines()[0][:120]}" if reason else ""
        raise FeedParseError(f"not a feed{detail}")
    entries = [e for e in (_entry(raw) for raw in doc.entries) if e is not None]
    title = _text(doc.feed.get("title_detail") or doc.feed.get("title"))
    return ParsedFeed(title=title or None, entries=entries)


def _text(detail: Any) -> str:
    """A one-line plain text from a feedparser text construct (HTML decoded exactly once)."""
    if not detail:
        return ""
    if isinstance(detail, str):
        return clean_line(detail)
    value = detail.get("value", "")
    if "html" in (detail.get("type") or ""):
        value = html.unescape(_TAG.sub("", value))
    return clean_line(value)


def _date(raw: Any, key: str) -> datetime | None:
    text = raw.get(key)
    if text:
        try:
            value = parsedate_to_datetime(text)
            if value.tzinfo:
                return value
        except (TypeError, ValueError, IndexError):
            pass
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if value.tzinfo:
                return value
        except ValueError:
            pass
    parsed = raw.get(f"{key}_parsed")
    if parsed:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    return None


def _entry(raw: Any) -> FeedEntry | None:
    url = raw.get("link") or None
    guid = raw.get("id") or url
    title = _text(raw.get("title_detail") or raw.get("title"))
    if not guid:
        if not title:
            return None
        guid = f"title:{title}"
    content = raw.get("content") or []
    content_html = "\n".join(c.get("value", "") for c in content) or None
    return FeedEntry(
        guid=guid,
        url=url,
        title=title,
        published=_date(raw, "published") or _date(raw, "updated"),
        summary_html=raw.get("summary", ""),
        content_html=content_html,
        media=_media(raw),
    )


def _media(raw: Any) -> list[GalleryItem]:
    """Images with credits from Media RSS (media:content + media:credit)."""
    credits = [clean_line(c.get("content")) for c in raw.get("media_credit") or []]
    items = []
    for index, media in enumerate(raw.get("media_content") or []):
        src = media.get("url")
        medium = media.get("medium") or ""
        if not src or (medium and medium != "image"):
            continue
        credit = credits[index] if index < len(credits) else (credits[0] if credits else None)
        items.append(GalleryItem(src=src, caption="", credit=credit or None))
    return items
