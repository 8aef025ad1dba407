"""Feed documents (RSS 0.9x/1.0/2.0, Atom, broken XML, DTDs) read by feedparser: the path
for every document the lxml fast path (:mod:`newsroom_tui.parse.fast_path`) gives up on."""

from __future__ import annotations

import re
from typing import Any
from xml.sax import SAXParseException

import feedparser

from newsroom_tui.parse.entries import FeedParseError, ParsedFeed
from newsroom_tui.parse.feed_fields import entry_from_raw, plain_text
from newsroom_tui.text.sanitize import clean_line, clean_name

# feedparser's email search over an author (and its publisher, contributor...) is quadratic
# in the text's length (64 KB took 12 s). We use none of these fields: their text is cut to
# PERSON_MAX_BYTES before feedparser sees the document (at a UTF-8 character boundary).
PERSON_MAX_BYTES = 1024
_PERSON = re.compile(
    rb"(<(?:[A-Za-z_][\w.-]{0,40}:)?(?:author|creator|publisher|contributor|managingeditor"
    rb"|webmaster|name|email)(?:\s[^<>]{0,1000})?>)([^<]{%d}[\x80-\xbf]{0,3})[^<]*"
    % PERSON_MAX_BYTES,
    re.IGNORECASE,
)


def cut_people(data: bytes) -> bytes:
    return _PERSON.sub(rb"\1\2", data)


def parse_with_feedparser(data: bytes, url: str, content_type: str | None) -> ParsedFeed:
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        doc = feedparser.parse(cut_people(data), response_headers=headers, sanitize_html=True)
    except Exception as exc:  # feedparser's own bugs on broken bytes (UnicodeDecodeError...)
        raise FeedParseError(f"not a feed: {type(exc).__name__}") from None
    if not doc.entries and not doc.feed.get("title"):
        reason = doc.get("bozo_exception")
        detail = f": {str(reason).splitlines()[0][:120]}" if reason else ""
        raise FeedParseError(f"not a feed{detail}")
    entries = [e for e in (entry_from_raw(raw) for raw in doc.entries) if e is not None]
    title = plain_text(doc.feed.get("title_detail") or doc.feed.get("title"))
    return ParsedFeed(title=clean_name(title), entries=entries, broken=_broken(doc))


def _broken(doc: Any) -> str | None:
    """Why feedparser read the document only up to a fault (XML cut off or not well-formed:
    it keeps the entries before it), one line; None for a document read whole (its other
    complaints, an encoding declared wrongly, say, lose nothing)."""
    fault = doc.get("bozo_exception")
    if not isinstance(fault, SAXParseException):
        return None
    reason = clean_line(str(fault.getMessage()))[:80]
    return f"not well-formed XML at line {fault.getLineNumber()} ({reason}): read up to there"
