"""The shortcuts of the feed fast path give exactly what the long way gives."""

from __future__ import annotations

import urllib.parse

from hypothesis import given
from hypothesis import strategies as st

from newsroom_tui.parse.fast_path import parse_fast
from newsroom_tui.parse.feedparser_path import parse_with_feedparser
from newsroom_tui.parse.feedparser_rules import urljoin


def _long_way(base: str, uri: str) -> str:
    """feedparser's join: extra slashes after the scheme dropped, then urllib's urljoin."""
    import re

    uri = re.sub("^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)", r"\1\3", uri)
    try:
        return urllib.parse.urljoin(base, uri)
    except ValueError:
        return ""


_URL_CHARS = st.sampled_from(list("az09/?#;:@%&=+-._~![]\\ \t\n\x01\x7fäé"))


@given(
    base=st.sampled_from(
        ["http://127.0.0.1/a/b", "https://presse.example/", "HTTP://x", "", "ftp://x/y"]
    ),
    scheme=st.sampled_from(["http://", "https://", "HTTP://", "http:/", "http:///", ""]),
    rest=st.lists(_URL_CHARS, max_size=16).map("".join),
)
def test_absolute_links_skip_the_join_only_when_it_changes_nothing(
    base: str, scheme: str, rest: str
) -> None:
    uri = scheme + rest
    assert urljoin(base, uri) == _long_way(base, uri)


def test_double_utf8_is_repaired_as_feedparser_does_and_german_text_is_left() -> None:
    # "Müll" encoded twice as UTF-8 (mojibake), next to plain German text with umlauts
    doubled = "Müllabfuhr".encode().decode("latin-1")
    data = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Grün</title>'
        f"<item><title>{doubled}</title><link>http://127.0.0.1/m?x=1</link>"
        "<description>Straßenfest in Fürth</description></item>"
        "<item><title>Öffnungszeiten – Bürgerbüro</title><link>/b</link></item>"
        "</channel></rss>"
    ).encode()
    fast = parse_fast(data, "http://127.0.0.1/feed.xml", None)
    slow = parse_with_feedparser(data, "http://127.0.0.1/feed.xml", None)
    assert fast is not None
    assert fast.title == slow.title == "Grün"
    got = [(e.title, e.url, e.summary_html) for e in fast.entries]
    assert got == [(e.title, e.url, e.summary_html) for e in slow.entries]
    assert got[0][0] == "Müllabfuhr"
    assert got[1][1] == "http://127.0.0.1/b"
