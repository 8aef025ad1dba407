"""JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1) to the entries RSS and Atom give.

The same guarantees as the XML feeds: the bytes were size-capped by the fetcher, titles are
one clean line, HTML and text go through the same extraction and sanitising as RSS
descriptions, dates must carry a zone (RFC 3339), and one broken item is skipped alone: a
link ``urljoin`` cannot read is no link, a value nested too deep reads as null
(:mod:`newsroom_tui.parse.shallow_json`).
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from newsroom_tui.models import GalleryItem
from newsroom_tui.parse.entries import FeedEntry, FeedParseError, ParsedFeed
from newsroom_tui.parse.shallow_json import loads_shallow
from newsroom_tui.text.plausible_dates import plausible_date
from newsroom_tui.text.sanitize import clean_guid, clean_line, join_url

JSON_FEED_TYPES = ("application/feed+json", "application/json")
_VERSION_PREFIX = "https://jsonfeed.org/version/"


def looks_like_json_feed(data: bytes) -> bool:
    """A cheap look at the first bytes: a JSON object naming a jsonfeed.org version."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b"jsonfeed.org/version" in head.replace(b"\\/", b"/")


# Half a UTF-16 pair, which JSON can write ("\\ud800") and no UTF-8 text can hold.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _str(value: Any) -> str:
    """A string field as text UTF-8 can hold (a lone surrogate reads as U+FFFD); "" for any
    other value."""
    if not isinstance(value, str):
        return ""
    return value if value.isascii() else _LONE_SURROGATE.sub("\ufffd", value)


def _date(value: Any) -> datetime | None:
    text = _str(value).strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return plausible_date(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))


def _entry(item: Any, base: str) -> FeedEntry | None:
    if not isinstance(item, dict):
        return None
    # the one rule for URLs holds in FeedEntry; a link urljoin cannot read is no link
    url = join_url(base, _str(item.get("url")).strip() or _str(item.get("external_url")).strip())
    title = clean_line(_str(item.get("title")))
    raw_id = item.get("id")
    guid = clean_guid(_str(raw_id) or str(raw_id)) if isinstance(raw_id, (str, int)) else None
    guid = guid or url or (f"title:{title}" if title else None)
    if not guid:
        return None
    content_html = _str(item.get("content_html")) or None
    text = _str(item.get("content_text"))
    if content_html is None and text:
        content_html = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p)
    summary = _str(item.get("summary"))
    # as an RSS item without a description: the content stands in for the summary
    summary_html = html.escape(summary) if summary else (content_html or "")
    media = []
    image = join_url(base, _str(item.get("image")).strip())
    if image:
        media.append(GalleryItem(src=image, caption=""))
    return FeedEntry(
        guid=guid,
        url=url,
        title=title,
        published=_date(item.get("date_published")) or _date(item.get("date_modified")),
        summary_html=summary_html,
        content_html=content_html,
        media=media,
        base_url=url or base,
    )


def parse_json_feed(data: bytes, url: str) -> ParsedFeed:
    """Parse a JSON Feed document; FeedParseError (one line) when it is not one."""
    try:
        doc = loads_shallow(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise FeedParseError(f"not a JSON Feed: {reason}") from None
    if not isinstance(doc, dict) or not _str(doc.get("version")).startswith(_VERSION_PREFIX):
        raise FeedParseError("not a JSON Feed: no jsonfeed.org version")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedParseError("not a JSON Feed: no list of items")
    base = join_url(url, _str(doc.get("home_page_url")).strip()) or url
    entries = [e for e in (_entry(item, base) for item in items) if e is not None]
    return ParsedFeed(title=clean_line(_str(doc.get("title"))) or None, entries=entries)
