"""The poller: worker processes, the lxml fast path, content digests, pages fetched once."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newsroom_tui.extract import extract_fragment
from newsroom_tui.ingest.article_body import NOT_PLAIN, fragment
from newsroom_tui.ingest.poller import CONTENT_HASH_PREFIX, FeedOutcome, poll_feeds
from newsroom_tui.parse.fast_path import parse_fast
from newsroom_tui.parse.feedparser_path import parse_with_feedparser
from newsroom_tui.parse.registry import parse_feed
from newsroom_tui.store import SQLiteStore
from tests.fixture_server import FEED_PATH, FIXTURES, PAGE_PATHS, FixtureServer

ARTICLE = "<p>{text}</p>".format(text="Der Rat hat die Sanierung der Brücke beschlossen. " * 12)


def rss(base: str, items: list[tuple[str, str]], *, full: bool = True) -> str:
    """An RSS 2.0 feed; ``items`` are (guid, page path) pairs."""
    body = "".join(
        f"""<item><title>Meldung {guid} &amp; mehr</title><link>{base}{path}</link>
        <guid isPermaLink="false">{guid}</guid>
        <pubDate>Wed, 05 Mar 2025 14:30:00 +0100</pubDate>
        <description>Kurz: {guid}.</description>"""
        + (f"<content:encoded><![CDATA[{ARTICLE}]]></content:encoded>" if full else "")
        + "</item>"
        for guid, path in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Stadt Herne</title><link>{base}/</link>{body}</channel></rss>"""


# The fast path gives what feedparser gives -------------------------------------------------

FAST_CASES = {
    "rss-edge-cases": """<?xml version="1.0"?><rss version="2.0"><channel>
<title>A &amp;amp; B</title>
<item><title>X &lt;b&gt;fett&lt;/b&gt; &amp;amp; Y</title><guid>rel/1</guid>
<description>&lt;p&gt;Hi &lt;a href="x.html"&gt;l&lt;/a&gt;
&lt;img src="b/c.jpg"&gt;&lt;/p&gt;</description>
</item>
<item><guid isPermaLink="false">  abc </guid><link> /a?x=1&amp;y=2 </link><title></title>
<title>Zweiter</title><pubDate>2025-03-01T10:00:00+01:00</pubDate></item>
<item><link>http://h/x</link><guid>http://h/g</guid>
<dc:date xmlns:dc="http://purl.org/dc/elements/1.1/">Sat, 01 Mar 2025 10:00:00 GMT</dc:date></item>
<item><title>nur Titel</title><pubDate>01.03.2025</pubDate></item>
<item><title>Bild</title><link>http://127.0.0.1/b</link>
<media:group xmlns:media="http://search.yahoo.com/mrss/">
<media:content url="http://127.0.0.1/b.jpg" medium="image"><media:credit>dpa</media:credit>
</media:content><media:content url="http://127.0.0.1/c.mp4" medium="video"/></media:group>
</item>
</channel></rss>""",
    "atom-edge-cases": """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://other/base/">
<title type="html">&lt;i&gt;T&lt;/i&gt;</title>
<entry><id>tag:x,2025:1</id><title>plain &amp;amp; text</title>
<updated>2025-03-01T10:00:00Z</updated><link rel="enclosure" href="e.mp3"/>
<link href="rel/a.html"/></entry>
<entry><id>urn:y</id><title>t</title>
<content type="html">&lt;p&gt;Voll &lt;img src="i.jpg"&gt;&lt;/p&gt;</content></entry>
<entry><id>relid</id><title>t2</title><link rel="self" href="s"/></entry>
</feed>""",
    "latin1": """<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0"><channel><title>Stadt B\xf6chum</title>
<item><title>M\xfcllabfuhr verschoben</title><link>http://127.0.0.1/m</link>
<pubDate>Tue, 09 May 2023 10:15:00 +0200</pubDate>
<description>Kurz &amp; knapp.</description></item></channel></rss>""",
}


def _fast_case(name: str) -> tuple[bytes, str]:
    text = FAST_CASES[name]
    data = text.encode("iso-8859-1") if name == "latin1" else text.encode("utf-8")
    return data, "http://127.0.0.1/dir/feed.xml"


def _site_feed() -> tuple[bytes, str]:
    text = (FIXTURES / "site" / "pressemeldungen.rss").read_text("utf-8")
    return text.replace("{base}", "http://127.0.0.1:8080").encode(), "http://127.0.0.1:8080/f"


def _farm_feeds() -> list[tuple[bytes, str]]:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import feed_farm

    base = "http://127.0.0.1:8080"
    return [
        (feed_farm.render_rss(1, 12, base), f"{base}/feed/1.xml"),
        (feed_farm.render_atom(4, 12, base), f"{base}/feed/4.xml"),
        (feed_farm.render_rss(2, 5, base, summary_only=True), f"{base}/summary/2.xml"),
    ]


@pytest.mark.parametrize("case", [*FAST_CASES, "site", "farm-rss", "farm-atom", "farm-summary"])
def test_fast_path_matches_feedparser(case: str) -> None:
    if case in FAST_CASES:
        data, url = _fast_case(case)
    elif case == "site":
        data, url = _site_feed()
    else:
        data, url = _farm_feeds()[["farm-rss", "farm-atom", "farm-summary"].index(case)]
    fast = parse_fast(data, url, None)
    slow = parse_with_feedparser(data, url, None)
    assert fast is not None, "the fast path should take this document"
    assert fast.title == slow.title
    assert len(fast.entries) == len(slow.entries)
    for a, b in zip(fast.entries, slow.entries, strict=True):
        assert (a.guid, a.url, a.title, a.published, a.media) == (
            b.guid,
            b.url,
            b.title,
            b.published,
            b.media,
        )
        assert a.has_full_content == b.has_full_content
        for name in ("summary_html", "content_html"):
            mine, theirs = getattr(a, name), getattr(b, name)
            assert bool(mine) == bool(theirs)
            if mine:
                # feedparser resolves relative URLs in the markup itself; we hand the base on
                ours = extract_fragment(mine, a.base_url or a.url)
                ref = extract_fragment(theirs, b.url)
                assert (ours.body_markdown, ours.gallery) == (ref.body_markdown, ref.gallery)


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns="http://purl.org/rss/1.0/"><channel><title>R</title></channel>'
        b"<item><title>I</title><link>http://127.0.0.1/i</link></item></rdf:RDF>",
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]><rss version="2.0"><channel>'
        b"<title>&x;</title></channel></rss>",
        b'<rss version="2.0"><channel><title>T</title><item><title>A &nbsp; B</title>'
        b"</item></channel></rss>",
        b'<rss version="2.0"><channel><title>T</title><item><title>A</title>'
        b'<media:title xmlns:media="http://search.yahoo.com/mrss/">M</media:title>'
        b"</item></channel></rss>",
    ],
    ids=["rdf", "dtd", "undefined-entity", "media-title"],
)
def test_documents_the_fast_path_leaves_to_feedparser(data: bytes) -> None:
    assert parse_fast(data, "http://127.0.0.1/f", None) is None
    parsed = parse_feed(data, "http://127.0.0.1/f")
    assert parsed.title or parsed.entries


def test_plain_text_summary_shortcut_is_exact() -> None:
    rng = random.Random(7)
    alphabet = list("abc äöüß ÄÖÜ.,;:!?-–„“\"'()[]*_#>`|/\\\t\n\r \u2003\u202f\u3000")
    checked = 0
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))
        if NOT_PLAIN.search(text):
            continue
        checked += 1
        fast, slow = fragment(text, None), extract_fragment(text, None)
        assert (fast.body_markdown, fast.gallery) == (slow.body_markdown, slow.gallery), text
    assert checked > 1000


# Polling ----------------------------------------------------------------------------------


async def test_many_feeds_in_worker_processes(server: FixtureServer, store: SQLiteStore) -> None:
    for n in range(5):
        items = [(f"f{n}-{i}", f"/a/{n}/{i}.html") for i in range(3)]
        server.add(f"/feed/{n}.xml", rss(server.base, items), "application/rss+xml")
        store.add_feed(server.url(f"/feed/{n}.xml"))
    store.add_feed(server.url("/missing.xml"))
    seen: list[tuple[str, int, int]] = []

    def progress(outcome: FeedOutcome, done: int, total: int) -> None:
        seen.append((outcome.status, done, total))

    report = await poll_feeds(store, on_progress=progress)
    assert report.new_articles == 15
    assert [o.error for o in report.failed] == ["HTTP 404 Not Found"]
    assert sorted(done for _, done, _ in seen) == list(range(1, 7))
    assert {total for _, _, total in seen} == {6}
    assert not any(path.startswith("/a/") for path, _ in server.log)  # full content: no pages
    article = store.article(store.articles()[0].id)
    assert article is not None
    assert "Sanierung der Brücke" in article.body_markdown
    assert article.title.startswith("Meldung f") and "&" in article.title

    again = await poll_feeds(store)
    assert again.new_articles == 0
    assert {o.status for o in again.outcomes} == {"not_modified", "failed"}


async def test_feed_without_validators_is_not_parsed_again(
    server: FixtureServer, store: SQLiteStore
) -> None:
    server.add(
        "/plain.xml",
        rss(server.base, [("p1", "/p/1.html")]),
        "application/rss+xml",
        validators=False,
    )
    store.add_feed(server.url("/plain.xml"))
    first = await poll_feeds(store)
    assert first.new_articles == 1
    (stored,) = store.feeds()
    assert stored.etag and stored.etag.startswith(CONTENT_HASH_PREFIX)

    second = await poll_feeds(store)
    assert [o.status for o in second.outcomes] == ["not_modified"]

    server.add(
        "/plain.xml",
        rss(server.base, [("p1", "/p/1.html"), ("p2", "/p/2.html")]),
        "application/rss+xml",
        validators=False,
    )
    third = await poll_feeds(store)
    assert [o.status for o in third.outcomes] == ["updated"] and third.new_articles == 1


async def test_page_shared_by_two_feeds_is_fetched_once(
    herne: FixtureServer, store: SQLiteStore
) -> None:
    feed = (FIXTURES / "site" / "pressemeldungen.rss").read_text("utf-8")
    herne.add("/feeds/kopie.rss", feed.replace("{base}", herne.base), "application/rss+xml")
    store.add_feed(herne.url(FEED_PATH))
    store.add_feed(herne.url("/feeds/kopie.rss"))
    report = await poll_feeds(store)
    assert report.new_articles == 6 and not report.failed
    assert herne.requests_for(PAGE_PATHS["kim"]) == [200]
    assert herne.requests_for(PAGE_PATHS["sperrung"]) == [404]
    assert sum(o.pages_fetched for o in report.outcomes) == 2
    bodies = [store.article(a.id) for a in store.articles()]
    kim = [a for a in bodies if a and a.title.startswith("Kommunales")]
    assert len(kim) == 2
    assert all("Stadtteilzentrum Pluto" in a.body_markdown for a in kim)
    assert all(a.credits for a in kim)
