"""Feed documents (RSS 0.9x/1.0/2.0, Atom, JSON Feed) to plain entries, from bytes we fetched.

A JSON Feed goes to :mod:`newsroom_tui.parse.json_feed`. Well-formed RSS 2.0 and Atom 1.0
documents made of the elements we know are read with lxml (:mod:`newsroom_tui.parse.fast_path`),
about twenty times faster than feedparser; everything else (RSS 1.0/RDF, Atom 0.3, broken XML,
DTDs, elements feedparser would read into a field we use) goes to feedparser
(:mod:`newsroom_tui.parse.feedparser_path`). Both give the same entries: guids and links above
all must not change between them, or a re-poll would store every article again.
"""

from __future__ import annotations

from newsroom_tui.parse.entity_guard import refuse_entity_attacks
from newsroom_tui.parse.entries import ParsedFeed
from newsroom_tui.parse.fast_path import parse_fast
from newsroom_tui.parse.feedparser_path import parse_with_feedparser
from newsroom_tui.parse.json_feed import looks_like_json_feed, parse_json_feed


def parse_feed(data: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed document. Never touches the network, never reads a file, never expands
    a nested entity: documents that declare such entities are refused (FeedParseError)."""
    if looks_like_json_feed(data):
        return parse_json_feed(data, url)
    refuse_entity_attacks(data, content_type)
    fast = parse_fast(data, url, content_type)
    if fast is not None:
        return fast
    return parse_with_feedparser(data, url, content_type)
