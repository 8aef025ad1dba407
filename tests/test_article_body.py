"""Bodies made when first read: the same Markdown, gallery, credits and search as at poll time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsroom_tui.article_reading import read_article
from newsroom_tui.ingest import article_body
from newsroom_tui.ingest.article_body import LAZY_MAX_CHARS, render, search_text
from newsroom_tui.ingest.article_build import built_alone
from newsroom_tui.models import BodySource
from newsroom_tui.parse.registry import parse_feed
from newsroom_tui.store import ArticleFilter, FeedUpdate, SQLiteStore, Store

T0 = datetime(2025, 3, 5, 13, 30, tzinfo=UTC)
FIGURE = (
    '<figure><img src="/bilder/rathaus.jpg" alt="">'
    "<figcaption>Blick auf das Rathaus. ©Thomas Schmidt/Stadt Herne</figcaption></figure>"
)
PARAGRAPHS = (
    "<p>Der Rat der Stadt Herne hat am Dienstag die Sanierung der Cranger Brücke "
    "beschlossen. Die Arbeiten beginnen im Mai &amp; dauern bis Oktober.</p>"
    '<p>Umleitungen sind <a href="/verkehr/umleitungen.html">ausgeschildert</a>; '
    "Auskunft gibt das Bürgerbüro unter <strong>02323 16-0</strong>.</p>"
    "<ul><li>Sperrung ab 6. Mai</li><li>Busse fahren über die Bahnhofstraße</li></ul>"
)
RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Stadt Herne – Pressemeldungen</title><link>https://www.herne.de/</link>
<item><title>Cranger Brücke wird saniert</title>
  <link>https://www.herne.de/meldungen/bruecke.html</link><guid>herne-1</guid>
  <pubDate>Wed, 05 Mar 2025 14:30:00 +0100</pubDate>
  <description>Der Rat hat die Sanierung beschlossen.</description>
  <content:encoded><![CDATA[{FIGURE}{PARAGRAPHS}]]></content:encoded>
  <media:content url="https://www.herne.de/bilder/karte.jpg" medium="image">
    <media:credit>© Stadt Herne / Vermessungsamt</media:credit></media:content>
</item>
<item><title>Stadtbibliothek &amp; Lesesommer</title>
  <link>https://www.herne.de/meldungen/bibliothek.html</link><guid>herne-2</guid>
  <description><![CDATA[<p>Ab Mai öffnet die <em>Stadtbibliothek</em> auch samstags.</p>
  <p><img src="https://www.herne.de/bilder/lesen.jpg" title="Lesesommer"
     data-copyright="Foto: Anna Müller"></p>]]></description>
</item>
<item><title>Nur ein Anriss</title><link>https://www.herne.de/meldungen/anriss.html</link>
  <guid>herne-3</guid><description>Kurz &amp; knapp: die Straßensperrung endet.</description>
</item>
<item><title>Leer</title><guid>herne-4</guid><description></description></item>
</channel></rss>"""
ATOM = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://www.bochum.de/presse/">
<title>Stadt Bochum</title><id>urn:bochum</id><updated>2025-03-05T10:00:00Z</updated>
<entry><title type="html">Neue Radwege &amp;amp; Ampeln</title><id>urn:bochum:1</id>
  <link href="radwege.html"/><updated>2025-03-05T10:00:00Z</updated>
  <summary>Die Stadt baut neue Radwege.</summary>
  <content type="html">{FIGURE.replace("<", "&lt;").replace(">", "&gt;")}
  &lt;p&gt;Baubeginn ist im &lt;a href="termine.html"&gt;April&lt;/a&gt;.&lt;/p&gt;</content>
</entry></feed>"""


def entries() -> list:
    found = parse_feed(RSS.encode(), "https://www.herne.de/feed.rss").entries
    return found + parse_feed(ATOM.encode(), "https://www.bochum.de/feed.atom").entries


@pytest.mark.parametrize("index", range(5))
def test_rendered_when_read_equals_rendered_at_poll(index: int) -> None:
    entry = entries()[index]
    now, later = built_alone(entry, None), built_alone(entry, None, lazy=True)
    assert later.source is not None and later.summary == ""
    summary, body = render(BodySource.decode(later.source))
    assert (summary, body) == (now.summary, now.body_markdown)
    assert (later.title, later.gallery, later.url, later.published) == (
        now.title,
        now.gallery,
        now.url,
        now.published,
    )


def test_gallery_and_credits_are_made_at_poll_time() -> None:
    first, second = (built_alone(e, None, lazy=True) for e in entries()[:2])
    assert [(g.src, g.credit) for g in first.gallery] == [
        ("https://www.herne.de/bilder/rathaus.jpg", "Thomas Schmidt/Stadt Herne"),
        ("https://www.herne.de/bilder/karte.jpg", "Stadt Herne/Vermessungsamt"),
    ]
    assert [g.credit for g in second.gallery] == ["Anna Müller"]


def test_search_text_holds_the_words_and_link_targets() -> None:
    text = search_text(BodySource("Kurz &amp; knapp", PARAGRAPHS, None))
    assert "Mai & dauern" in text and "Kurz & knapp" in text
    assert "/verkehr/umleitungen.html" in text
    assert "<" not in text


def test_search_text_is_clean() -> None:
    text = search_text(BodySource("", "<p>Rat\x1b]52;c;eA==\x07 tagt\ud800 \x9b31m</p>", None))
    assert text.split() == ["Rat", "tagt"]


def test_a_large_entry_is_rendered_by_the_poll() -> None:
    entry = entries()[0]
    entry.content_html = "<p>Haushalt 2025.</p>" * (LAZY_MAX_CHARS // 20 + 1)
    built = built_alone(entry, None, lazy=True)
    assert built.source is None and built.body_markdown.startswith("Haushalt 2025.")


def test_a_wall_of_images_is_rendered_by_the_poll() -> None:
    entry = entries()[0]
    entry.content_html = '<p><img src="/b/1.jpg" title="Bild" data-credit="Stadt"></p>' * 41
    assert built_alone(entry, None, lazy=True).source is None


def test_content_that_breaks_extraction_leaves_the_summary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(html: str, base_url: str | None = None) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(article_body, "extract_fragment", broken)
    assert render(BodySource("Der Rat tagt.", "<p>Haushalt</p>", None)) == (
        "Der Rat tagt.",
        "Der Rat tagt.",
    )
    # (HTML beyond paragraphs of plain text: those are made without the extractor)
    assert render(BodySource('<p class="x">kaputt</p>', "<p>Haushalt</p>", None)) == ("", "")


def _stored(store: Store) -> int:
    feed, _ = store.add_feed("https://www.herne.de/feed.rss")
    articles = [built_alone(e, None, lazy=store.lazy_bodies) for e in entries()]
    store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=articles))
    return feed.id


def _found(store: Store, text: str) -> list[str]:
    return [a.title for a in store.articles(ArticleFilter(search=text))]


def test_store_renders_on_first_read_and_search_holds(any_store: Store) -> None:
    _stored(any_store)
    eager = built_alone(entries()[0], None)
    assert _found(any_store, "Umleitungen") == ["Cranger Brücke wird saniert"]
    assert _found(any_store, "vermessungsamt") == ["Cranger Brücke wird saniert"]
    first = any_store.articles(ArticleFilter(search="Cranger"))[0]
    shown = read_article(any_store, first.id)
    assert shown is not None
    assert (shown.summary, shown.body_markdown) == (eager.summary, eager.body_markdown)
    assert [g.credit for g in shown.gallery] == [g.credit for g in eager.gallery]
    again = read_article(any_store, first.id)
    assert again is not None and again.body_markdown == eager.body_markdown
    # the index was made again from the Markdown: the same words find it, nothing else
    assert _found(any_store, "bürgerbüro") == ["Cranger Brücke wird saniert"]
    assert _found(any_store, "strassensperrung") == ["Nur ein Anriss"]
    any_store.remove_feed("https://www.herne.de/feed.rss")
    _stored(any_store)
    assert _found(any_store, "Umleitungen") == ["Cranger Brücke wird saniert"]


def test_an_article_at_hand_is_one_that_needs_no_rendering(any_store: Store) -> None:
    """What the reader's first frame reads in place: never a poll's article not yet made
    Markdown (that is the extractor's import and a write); the same article once it is."""
    _stored(any_store)
    first = any_store.articles(ArticleFilter(search="Cranger"))[0]
    if any_store.lazy_bodies:
        assert any_store.article_at_hand(first.id) is None
    shown = read_article(any_store, first.id)
    at_hand = any_store.article_at_hand(first.id)
    assert shown is not None and at_hand is not None
    assert at_hand.body_markdown == shown.body_markdown
    assert any_store.article_at_hand(10**9) is None


def test_sqlite_keeps_the_rendered_body(data_dir: Path) -> None:
    store = SQLiteStore(data_dir / "cache.sqlite3")
    _stored(store)
    pending = "SELECT COUNT(*) FROM articles WHERE source IS NOT NULL"
    assert store._query(pending) == [(5,)]
    for summary in store.articles():
        read_article(store, summary.id)
    assert store._query(pending) == [(0,)]
    # a contentless index takes back exactly what it was given: removing the feed leaves
    # nothing to find, and a full rebuild check finds the index sound
    store.remove_feed("https://www.herne.de/feed.rss")
    assert _found(store, "Rat") == []
    assert store.integrity_problems() == []
    store.close()


def test_the_store_keeps_the_source_and_the_reading_makes_markdown(data_dir: Path) -> None:
    """The store renders nothing: it hands out what it holds (the search text, the source)
    until the reading layer made the Markdown and gave it back."""
    store = SQLiteStore(data_dir / "cache.sqlite3")
    _stored(store)
    first = store.articles(ArticleFilter(search="Cranger"))[0]
    eager = built_alone(entries()[0], None)
    stored = store.article(first.id)
    assert stored is not None and stored.body_markdown != eager.body_markdown
    assert store.body_source(first.id) is not None
    shown = read_article(store, first.id)
    assert shown is not None and shown.body_markdown == eager.body_markdown
    assert store.body_source(first.id) is None
    kept = store.article(first.id)
    assert kept is not None and kept.body_markdown == eager.body_markdown
    store.close()


def test_a_store_that_keeps_markdown_refuses_a_body_source(any_store: Store) -> None:
    """The poll renders every body for a store without lazy bodies (the team's); a source
    handed to it anyway fails that write in one line instead of being rendered inside it."""
    if any_store.lazy_bodies:
        pytest.skip("this store keeps body sources")
    feed, _ = any_store.add_feed("https://www.herne.de/feed.rss")
    lazy = built_alone(entries()[0], None, lazy=True)
    assert lazy.source is not None
    with pytest.raises(ValueError, match="keeps Markdown only"):
        any_store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=[lazy]))
    assert any_store.count_articles() == 0
