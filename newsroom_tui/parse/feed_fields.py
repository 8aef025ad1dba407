"""A feed entry as feedparser gives it (a dict of its fields) to a :class:`FeedEntry`.

Both RSS/Atom paths end here: feedparser's entries (:mod:`newsroom_tui.parse.feedparser_path`)
and the lxml fast path's dicts made the same way (:mod:`newsroom_tui.parse.fast_path`). Guids
and links above all must not change between them, or a re-poll would store every article
again.
"""

from __future__ import annotations

import calendar
import contextlib
import functools
import html
import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser

from newsroom_tui.models import GalleryItem
from newsroom_tui.parse.entries import TAG, FeedEntry
from newsroom_tui.text.plausible_dates import plausible_date
from newsroom_tui.text.sanitize import clean_line, clean_url


def plain_text(detail: Any) -> str:
    """A one-line plain text from a feedparser text construct (HTML decoded exactly once)."""
    if not detail:
        return ""
    if isinstance(detail, str):
        return clean_line(detail)
    value = detail.get("value", "")
    if "html" in (detail.get("type") or ""):
        value = html.unescape(TAG.sub("", value))
    return clean_line(value)


def _aware_date(text: str) -> datetime | None:
    """An RFC 822 or ISO 8601 date with its time zone; None for anything else."""
    # RFC 822 dates have words; one without whitespace (ISO 8601, Atom's) is none, and the
    # exception the email parser would raise for it is skipped
    if not _ONE_WORD.fullmatch(text):
        try:
            value = parsedate_to_datetime(text)
            if value.tzinfo:
                return value
        except (TypeError, ValueError, IndexError):
            pass
    with contextlib.suppress(ValueError):
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if value.tzinfo:
            return value
    return None


_ONE_WORD = re.compile(r"\S+")


@functools.lru_cache(maxsize=512)
def _lenient_date(text: str) -> time.struct_time | None:
    """feedparser's lenient date parsers (RFC 822 and W3C variants, asctime, Greek, Korean…)
    on one date, through its public API: the same result as on the feedparser path."""
    doc = f"<rss version='2.0'><channel><item><pubDate>{html.escape(text)}</pubDate></item>"
    entries = feedparser.parse((doc + "</channel></rss>").encode("utf-8")).entries
    return entries[0].get("published_parsed") if entries else None


def _date(raw: Any, key: str) -> datetime | None:
    text = raw.get(key)
    value = _aware_date(text) if text else None
    if value is not None:
        return plausible_date(value)  # a far-out "published" falls back to "updated"
    parsed = raw.get(f"{key}_parsed")
    if parsed is None and text and f"{key}_parsed" not in raw:
        parsed = _lenient_date(text)  # the fast path leaves the lenient parse to here
    if parsed:
        with contextlib.suppress(OverflowError, ValueError):  # feedparser's year 0 or 10000
            return plausible_date(datetime.fromtimestamp(calendar.timegm(parsed), UTC))
    return None


def entry_from_raw(raw: Any) -> FeedEntry | None:
    url = clean_url(raw.get("link"))
    guid = clean_line(raw.get("id")) or url
    title = plain_text(raw.get("title_detail") or raw.get("title"))
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
        base_url=raw.get("base_url"),
    )


def _media(raw: Any) -> list[GalleryItem]:
    """Images with credits from Media RSS (media:content + media:credit)."""
    credits = [clean_line(c.get("content")) for c in raw.get("media_credit") or []]
    items = []
    for index, media in enumerate(raw.get("media_content") or []):
        src = clean_url(media.get("url"))
        medium = media.get("medium") or ""
        if not src or (medium and medium != "image"):
            continue
        credit = credits[index] if index < len(credits) else (credits[0] if credits else None)
        items.append(GalleryItem(src=src, caption="", credit=credit or None))
    return items
