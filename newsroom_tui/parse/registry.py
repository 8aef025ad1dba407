"""The one place a parser is chosen for bytes we fetched: feed documents (RSS 0.9x/1.0/2.0,
Atom, JSON Feed) and listing pages to plain entries.

:func:`parse_document` is what the poll's workers run: a page source's listing goes to listing
detection (:mod:`newsroom_tui.parse.listing_page`), everything else to :func:`parse_feed`. There
the bytes are sniffed: a JSON Feed goes to :mod:`newsroom_tui.parse.json_feed`; any other
document has its declared XML entities judged (:mod:`newsroom_tui.parse.entity_guard`), then
well-formed RSS 2.0 and Atom 1.0 made of the elements we know are read with lxml
(:mod:`newsroom_tui.parse.fast_path`), about twenty times faster than feedparser; everything
else (RSS 1.0/RDF, Atom 0.3, broken XML, DTDs, elements feedparser would read into a field we
use) goes to feedparser (:mod:`newsroom_tui.parse.feedparser_path`). Both XML paths give the
same entries: guids and links above all must not change between them, or a re-poll would
store every article again.

``newsroom add`` and ``probe`` ask here too what a document is (:func:`is_html_page`,
:func:`feed_kind`) before they parse it.
"""

from __future__ import annotations

import re

from newsroom_tui.parse.entity_guard import refuse_entity_attacks
from newsroom_tui.parse.entries import ParsedFeed
from newsroom_tui.parse.fast_path import parse_fast
from newsroom_tui.parse.feedparser_path import parse_with_feedparser
from newsroom_tui.parse.json_feed import looks_like_json_feed, parse_json_feed
from newsroom_tui.parse.listing_page import PageRules, parse_listing


def parse_feed(data: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed document. Never touches the network, never reads a file, never expands
    a nested entity: documents that declare such entities are refused (FeedParseError)."""
    if looks_like_json_feed(data):
        return parse_json_feed(data, url)
    fast = parse_ordinary(data, url, content_type)
    if fast is not None:
        return fast
    return parse_with_feedparser(data, url, content_type)


def parse_ordinary(data: bytes, url: str, content_type: str | None = None) -> ParsedFeed | None:
    """The part of :func:`parse_feed` whose work is bounded by the document's size: the
    entity guard, then the lxml fast path (no entity resolved, no DTD loaded, lxml's limits on
    depth and text). None for a JSON Feed and for every document the fast path gives up on;
    FeedParseError for one the entity guard refuses, as :func:`parse_feed` raises it."""
    if looks_like_json_feed(data):
        return None
    refuse_entity_attacks(data, content_type)
    return parse_fast(data, url, content_type)


def parse_document(
    data: bytes, url: str, content_type: str | None, page: PageRules | None = None
) -> ParsedFeed:
    """A feed document parsed, or (``page`` given) a listing page's announcements as
    entries. A listing without announcements fails: FeedParseError, articles kept."""
    if page is None:
        return parse_feed(data, url, content_type)
    return parse_listing(data, url, content_type, page)


_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<!doctype\s+html|<html", re.I)
_FEED_ROOT = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?xml-stylesheet[^>]*>\s*)*"
    rb"<(?:rss|feed|rdf:RDF)[\s>]",
    re.I | re.S,
)


def feed_kind(data: bytes) -> str:
    """What a feed document is called: "JSON Feed", "Atom" or "RSS"."""
    if looks_like_json_feed(data):
        return "JSON Feed"
    head = data[:4096]
    return "Atom" if re.search(rb"<(?:\w+:)?feed[\s>]", head) else "RSS"


def is_html_page(data: bytes, content_type: str | None) -> bool:
    """The bytes are a web page, not a feed: sniffed first (RSS served as text/html is
    common, and a CMS's maintenance page served as XML), then the server's content type."""
    head = data[:2048]
    if looks_like_json_feed(data) or _FEED_ROOT.search(head):
        return False  # a feed, whatever the server calls it (RSS as text/html is common)
    if _HTML_START.search(head):
        return True  # a web page, whatever the server calls it (a maintenance page as XML)
    kind = (content_type or "").split(";")[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml")
