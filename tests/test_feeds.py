from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsroom_tui.parse.entries import FeedParseError
from newsroom_tui.parse.registry import parse_feed

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Ruhr &amp;amp; Emscher</title>
  <id>urn:x</id><updated>2025-03-05T14:30:00+01:00</updated>
  <entry>
    <title type="html">Br&#252;cke &amp;amp; Stra&#223;e gesperrt</title>
    <link href="/a/1"/>
    <id>urn:entry:1</id>
    <updated>2025-03-05T14:30:00+01:00</updated>
    <summary>Kurz.</summary>
    <content type="html">&lt;p&gt;{long}&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Ohne ID</title>
    <link href="http://127.0.0.1/a/2"/>
    <updated>2025-03-04T09:00:00Z</updated>
  </entry>
</feed>
""".replace("{long}", "Langer Text über die Sperrung. " * 30)


def test_atom_titles_dates_and_full_content() -> None:
    feed = parse_feed(ATOM.encode(), "http://127.0.0.1/atom.xml", "application/atom+xml")
    assert feed.title == "Ruhr & Emscher"
    first, second = feed.entries
    assert first.title == "Brücke & Straße gesperrt"
    assert first.url == "http://127.0.0.1/a/1"
    assert first.published == datetime(2025, 3, 5, 14, 30, tzinfo=timezone(timedelta(hours=1)))
    assert first.published.tzinfo is not None
    assert first.has_full_content
    assert second.guid == "http://127.0.0.1/a/2"  # no id: the link identifies it
    assert second.published == datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
    assert not second.has_full_content


def test_rss_dates_keep_offset_and_summary_only() -> None:
    rss = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0"><channel><title>Stadt B\xf6chum</title>
<item><title>M\xfcllabfuhr verschoben</title><link>http://127.0.0.1/m</link>
<pubDate>Tue, 09 May 2023 10:15:00 +0200</pubDate>
<description>Kurz &amp; knapp.</description></item>
</channel></rss>"""
    feed = parse_feed(rss, "http://127.0.0.1/rss")
    assert feed.title == "Stadt Böchum"
    (entry,) = feed.entries
    assert entry.title == "Müllabfuhr verschoben"
    assert entry.published is not None
    assert entry.published.isoformat() == "2023-05-09T10:15:00+02:00"
    assert not entry.has_full_content


def test_media_rss_credits() -> None:
    rss = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title>
<item><title>Bild</title><link>http://127.0.0.1/b</link>
<media:content url="http://127.0.0.1/b.jpg" medium="image">
<media:credit>dpa</media:credit></media:content>
</item></channel></rss>"""
    (entry,) = parse_feed(rss, "http://127.0.0.1/rss").entries
    assert [(m.src, m.credit) for m in entry.media] == [("http://127.0.0.1/b.jpg", "dpa")]


@pytest.mark.parametrize(
    "data", [b"<html><body><p>Hallo</p></body></html>", b"", b"\x00\x01garbage"]
)
def test_not_a_feed(data: bytes) -> None:
    with pytest.raises(FeedParseError, match="not a feed"):
        parse_feed(data, "http://127.0.0.1/x")
