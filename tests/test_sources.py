"""Page sources: listing detection on every fixture, polling (detail pages, conditional GET,
one new release), redesigned sites, selector overrides, feed autodiscovery, JSON Feed."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
import pytest

from newsroom_tui.cli import main
from newsroom_tui.config import ConfigError, load_config
from newsroom_tui.ingest.opml import parse_opml, render_opml
from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.models import Feed
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.parse.entries import FeedParseError
from newsroom_tui.parse.json_feed import parse_json_feed
from newsroom_tui.parse.listing import ListingError, Selectors, detect_listing
from newsroom_tui.parse.listing_page import NO_ANNOUNCEMENTS, PageRules
from newsroom_tui.parse.registry import parse_document, parse_feed
from newsroom_tui.sources.sniff import Refused, sniff
from newsroom_tui.store import SQLiteStore, Store
from tests.fixture_server import FEED_PATH, FixtureServer, herne_site
from tests.listing_site import (
    LISTINGS,
    credit_of,
    detail_paragraphs,
    expected,
    listing_names,
    serve_listing,
)
from tests.story_desk import STORY_LIST_DROPPED
from tests.sync_kit import SYNC_TABLES_DROPPED

BERLIN = ZoneInfo("Europe/Berlin")
LISTING_NAMES = [n for n in listing_names() if not expected(n).get("refuse")]
REFUSED_NAMES = [n for n in listing_names() if expected(n).get("refuse")]


def local_day(value: object) -> str | None:
    return value.astimezone(BERLIN).date().isoformat() if value else None  # type: ignore[attr-defined]


# Detection ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LISTING_NAMES)
def test_listing_gives_exactly_its_announcements(name: str) -> None:
    spec = expected(name)
    base = "http://127.0.0.1:8000"
    page = (LISTINGS / f"{name}.html").read_bytes()
    found = detect_listing(page, base + spec["path"], "text/html").announcements
    assert [a.title for a in found] == [item["title"] for item in spec["announcements"]]
    for got, item in zip(found, spec["announcements"], strict=True):
        assert got.url == (base + item["link"] if item.get("link") else None)
        if item.get("listing_date", True):
            assert local_day(got.published) == item["date"]
        else:
            assert got.published is None  # from the detail page, when polled
        if item.get("teaser"):
            assert item["teaser"] in got.teaser
        assert got.title not in got.teaser and "mehr zur Meldung" not in got.teaser


@pytest.mark.parametrize("name", REFUSED_NAMES)
def test_pages_that_are_no_listing_are_refused(name: str) -> None:
    page = (LISTINGS / f"{name}.html").read_bytes()
    with pytest.raises(ListingError) as refused:
        detect_listing(page, "http://127.0.0.1:8000" + expected(name)["path"], "text/html")
    assert "\n" not in str(refused.value)


def test_an_undated_announcement_loses_its_meta_line_as_the_dated_ones_do() -> None:
    """TYPO3's footer holds date and category; an item without a date keeps only the
    category there, which is no part of its teaser."""
    page = (LISTINGS / "typo3-newslist.html").read_bytes()
    listing = detect_listing(page, "http://127.0.0.1/presse", "text/html")
    teasers = {a.title: (a.published, a.teaser) for a in listing.announcements}
    published, teaser = teasers["Bürgermeisterin gratuliert zum 100. Geburtstag"]
    assert published is None
    assert (
        teaser
        == "Elfriede Kramer aus dem Ortsteil Niederau feierte am Mittwoch ihren 100. Geburtstag."
    )
    dated = teasers["Hallenbad schließt für Revision"][1]
    assert dated.endswith("geschlossen.") and "Sport" not in dated


def test_identity_survives_reordering_and_restyling() -> None:
    page = (LISTINGS / "herne-teaser.html").read_text("utf-8")
    url = "http://127.0.0.1/Meldungen/"
    before = {a.title: a.guid for a in detect_listing(page, url).announcements}
    restyled = page.replace("meldung-teaser", "news-teaser").replace("<h3", "<h4")
    tree = lxml.html.document_fromstring(restyled.replace("</h3>", "</h4>"))
    (listing,) = tree.find_class("meldungen-liste")
    listing[:] = list(reversed(listing))
    reordered = lxml.html.tostring(tree, encoding="unicode")
    after = {a.title: a.guid for a in detect_listing(reordered, url).announcements}
    assert after == before
    assert before["Wasserrohrbruch in der Bahnhofstraße behoben"].startswith("listing:")


def test_control_codes_and_markup_from_the_page_are_cleaned() -> None:
    items = "".join(
        f'<li><span>0{d}.03.2025</span> <a href="/pm/{d}.html">Einbruch\x1b[31m [b]Zeugen[/b]'
        f" gesucht {d}</a></li>"
        for d in range(1, 5)
    )
    page = f"<html><body><main><h1>Presse</h1><ul>{items}</ul></main></body></html>"
    found = detect_listing(page, "http://127.0.0.1/presse/").announcements
    assert len(found) == 4
    assert all("\x1b" not in a.title and "[31m" not in a.title for a in found)


def test_selectors_override_detection() -> None:
    page = (LISTINGS / "refuse-departments.html").read_bytes()
    rules = Selectors(items="ul.linkliste li", title="a", link="a")
    found = detect_listing(page, "http://127.0.0.1/Rathaus/Aemter/", None, rules).announcements
    assert len(found) == 10 and found[0].title == "Bürgeramt"
    assert found[0].url == "http://127.0.0.1/Rathaus/Aemter/Buergeramt/"
    with pytest.raises(ListingError, match="finds no announcements"):
        detect_listing(page, "http://127.0.0.1/", None, Selectors(items="div.gibtsnicht"))


def test_config_selectors_are_checked(config_file: Path) -> None:
    config_file.write_text(
        '[feeds."http://127.0.0.1/presse/"]\nitems = "div.meldung"\ndate = ".datum"\n', "utf-8"
    )
    config = load_config()
    assert config.selectors == {
        "http://127.0.0.1/presse/": {"items": "div.meldung", "date": ".datum"}
    }
    config_file.write_text('[feeds."http://127.0.0.1/presse/"]\nitems = "div[[x"\n', "utf-8")
    with pytest.raises(ConfigError, match=r"line 2: feeds.items is not a valid CSS selector"):
        load_config()
    config_file.write_text('[feeds."http://127.0.0.1/presse/"]\ntitle = "h3"\n', "utf-8")
    with pytest.raises(ConfigError, match="needs items"):
        load_config()


# Polling ------------------------------------------------------------------------------------


def page_feed(store: Store, url: str) -> Feed:
    feed, _ = store.add_feed(url, kind="page")
    return feed


@pytest.mark.parametrize("name", LISTING_NAMES)
async def test_polled_listing_stores_title_date_body_and_credits(
    name: str, server: FixtureServer, store: SQLiteStore
) -> None:
    spec = expected(name)
    page_feed(store, serve_listing(server, name))
    report = await poll_feeds(store)
    assert not report.failed and report.new_articles == len(spec["announcements"])
    stored = {a.title: store.article(a.id) for a in store.articles()}
    assert sorted(stored) == sorted(item["title"] for item in spec["announcements"])
    for item in spec["announcements"]:
        article = stored[item["title"]]
        assert article is not None
        assert local_day(article.published) == item["date"]
        if item.get("detail"):
            # the body's paragraphs and nothing else: no date line, headline, captions,
            # share buttons, cookie layer or navigation (short notices too)
            assert article.body_markdown == "\n\n".join(detail_paragraphs(item))
        else:
            assert item["teaser"] in article.body_markdown
        assert [(c.credit, c.count) for c in article.credits] == credit_of(item)


@pytest.mark.parametrize("validators", [True, False])
async def test_unchanged_listing_fetches_no_detail_page(
    validators: bool, server: FixtureServer, store: SQLiteStore
) -> None:
    spec = expected("herne-teaser")
    url = serve_listing(server, "herne-teaser", validators=validators)
    page_feed(store, url)
    await poll_feeds(store)
    details = [item["link"] for item in spec["announcements"] if item.get("link")]
    assert all(server.requests_for(link) == [200] for link in details)
    if not validators:  # the page changes elsewhere (a clock), its list does not
        changed = (LISTINGS / "herne-teaser.html").read_text("utf-8")
        server.add(spec["path"], changed.replace("Stand: 01.01.2024", "Stand: 02.01.2024"),
                   validators=False)  # fmt: skip
        await poll_feeds(store)  # reads the list once more; from now on its digest counts
        server.add(spec["path"], changed.replace("Stand: 01.01.2024", "Stand: 03.01.2024"),
                   validators=False)  # fmt: skip
    report = await poll_feeds(store)
    assert [o.status for o in report.outcomes] == ["not_modified"]
    assert all(server.requests_for(link) == [200] for link in details)
    expected_listing = [200, 304] if validators else [200, 200, 200]
    assert server.requests_for(spec["path"])[: len(expected_listing)] == expected_listing


async def test_one_new_release_is_one_new_article(
    server: FixtureServer, store: SQLiteStore
) -> None:
    spec = expected("herne-teaser")
    page_feed(store, serve_listing(server, "herne-teaser"))
    await poll_feeds(store)
    page = (LISTINGS / "herne-teaser.html").read_text("utf-8")
    new = """<div class="meldungen-liste">
      <div class="meldung-teaser">
        <p class="meldung-teaser__datum">Meldung vom 18. Juni 2019</p>
        <h3>Hitzewarnung: Trinkwasserbrunnen in Betrieb</h3>
        <p>Die Stadt hat vier Trinkwasserbrunnen in Betrieb genommen.</p>
        <a href="/Meldungen/2019/06/trinkwasser.html">mehr zur Meldung: Hitzewarnung</a>
      </div>"""
    server.add(spec["path"], page.replace('<div class="meldungen-liste">', new, 1))
    detail = "<p>Die Brunnen stehen am Bahnhof, am Rathaus und in den Parks.</p>"
    server.add(
        "/Meldungen/2019/06/trinkwasser.html", f"<html><body><main>{detail}</main></body></html>"
    )
    report = await poll_feeds(store)
    assert report.new_articles == 1 and report.outcomes[0].pages_fetched == 1
    assert server.requests_for("/Meldungen/2019/06/trinkwasser.html") == [200]
    for item in spec["announcements"]:
        if item.get("link"):
            assert server.requests_for(item["link"]) == [200]  # only on the first poll
    newest = store.articles()[0]
    assert newest.title == "Hitzewarnung: Trinkwasserbrunnen in Betrieb"
    assert store.count_articles() == len(spec["announcements"]) + 1


async def test_redesigned_site_fails_alone_and_keeps_its_articles(
    server: FixtureServer, store: SQLiteStore
) -> None:
    spec = expected("herne-teaser")
    page_feed(store, serve_listing(server, "herne-teaser"))
    herne_site(server)
    store.add_feed(server.url(FEED_PATH))
    await poll_feeds(store)
    before = store.count_articles()
    server.add(
        spec["path"],
        "<html><body><main><h1>Neue Website</h1><p>Bald mehr.</p></main></body></html>",
    )
    report = await poll_feeds(store)
    failed = {o.feed.url: o.error for o in report.failed}
    assert list(failed) == [server.url(spec["path"])]
    assert failed[server.url(spec["path"])].startswith(NO_ANNOUNCEMENTS)
    assert store.count_articles() == before


async def test_selectors_from_the_config_are_used_when_polling(
    server: FixtureServer, store: SQLiteStore, config_file: Path
) -> None:
    from newsroom_tui.config import apply_feed_settings

    url = server.url("/Rathaus/Aemter/")
    server.add("/Rathaus/Aemter/", (LISTINGS / "refuse-departments.html").read_bytes())
    config_file.write_text(f'[feeds."{url}"]\nitems = "ul.linkliste li"\n', "utf-8")
    page_feed(store, url)
    feeds = apply_feed_settings(store.feeds(), load_config())
    report = await poll_feeds(store, feeds)
    assert report.new_articles == 10 and not report.failed


# What a URL is ------------------------------------------------------------------------------

ANNOUNCING = """<!DOCTYPE html><html><head><title>Presse | Stadt Herne</title>
<link rel="alternate" type="application/rss+xml" title="Pressemeldungen"
      href="/feeds/pressemeldungen.rss">
</head><body><main><h1>Presse</h1><p>Willkommen.</p></main></body></html>"""


async def test_sniff_finds_an_announced_feed(herne: FixtureServer) -> None:
    herne.add("/presse/", ANNOUNCING)
    async with Fetcher() as fetcher:
        seen = await sniff(herne.url("/presse/"), fetcher)
    assert seen.kind == "feed" and seen.url == herne.url(FEED_PATH)
    assert seen.found == "feed found: Pressemeldungen (RSS)"


async def test_sniff_names_the_feed_type_once(herne: FixtureServer) -> None:
    """A feed announced as "Pressemeldungen (RSS)" is not found as "... (RSS) (RSS)"."""
    herne.add(
        "/presse/", ANNOUNCING.replace('title="Pressemeldungen"', 'title="Pressemeldungen (RSS)"')
    )
    async with Fetcher() as fetcher:
        seen = await sniff(herne.url("/presse/"), fetcher)
    assert seen.found == "feed found: Pressemeldungen (RSS)"


async def test_sniff_says_what_it_found(server: FixtureServer) -> None:
    url = serve_listing(server, "herne-teaser")
    server.add("/fehlt/", "nicht da", status=404)
    async with Fetcher() as fetcher:
        page = await sniff(url, fetcher)
        assert page.kind == "page" and page.found == "page source: 6 announcements"
        with pytest.raises(Refused, match="404"):
            await sniff(server.url("/fehlt/"), fetcher)


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_subscribes_to_what_it_found_and_refuses_the_rest(
    herne: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    herne.add("/presse/", ANNOUNCING)
    listing = serve_listing(herne, "herne-teaser")
    article = serve_listing(herne, "refuse-article")
    code, out, _ = run(data_dir, capsys, "add", herne.url("/presse/"), listing)
    assert code == 0
    assert out.splitlines() == [
        f"added: {herne.url(FEED_PATH)} (feed found: Pressemeldungen (RSS))",
        f"added: {listing} (page source: 6 announcements)",
    ]
    code, out, err = run(data_dir, capsys, "add", article)
    assert code == 1 and out == "" and err.count("\n") == 1 and "single page" in err
    code, _, err = run(data_dir, capsys, "add", "http//kaputt")
    assert code == 2 and "not an http(s) URL" in err
    code, out, _ = run(data_dir, capsys, "feeds", "--json")
    kinds = {f["url"]: f["kind"] for f in json.loads(out)}
    assert kinds == {herne.url(FEED_PATH): "feed", listing: "page"}
    code, out, err = run(data_dir, capsys, "fetch")
    assert code == 0, err
    assert out.strip() == "2 feeds polled, 9 new articles, 0 failed"


def test_probe_stores_nothing(
    server: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = serve_listing(server, "typo3-newslist")
    code, out, _ = run(data_dir, capsys, "probe", listing, "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["kind"] == "page" and shown["subscribe"] == listing
    assert [i["title"] for i in shown["items"]][:2] == [
        "Stadtfest 2024: Programm steht fest",
        "Hallenbad schließt für Revision",
    ]
    assert shown["items"][0]["published"].startswith("2024-07-30")
    code, out, _ = run(data_dir, capsys, "probe", listing)
    assert code == 0 and out.startswith("page source: 4 announcements")
    code, _, err = run(data_dir, capsys, "probe", serve_listing(server, "refuse-search"))
    assert code == 1 and "search results" in err
    code, out, _ = run(data_dir, capsys, "feeds", "--json")
    assert json.loads(out) == []
    assert not any(p.name.endswith(".db") for p in data_dir.glob("**/*") if data_dir.exists())


def test_opml_round_trips_page_sources(store: SQLiteStore) -> None:
    store.add_feed("http://127.0.0.1/presse/", title="Stadt Herne: Meldungen", kind="page")
    store.add_feed("http://127.0.0.1/feed.rss", category="Agenturen")
    text = render_opml(store.feeds())
    assert 'type="link"' in text and 'newsroom:kind="page"' in text
    found = parse_opml(text.encode())
    assert [(s.url, s.kind, s.title) for s in found.subscriptions] == [
        ("http://127.0.0.1/presse/", "page", "Stadt Herne: Meldungen"),
        ("http://127.0.0.1/feed.rss", "feed", "http://127.0.0.1/feed.rss"),
    ]


def test_both_stores_keep_the_kind(any_store: Store) -> None:
    page, created = any_store.add_feed("http://127.0.0.1/presse/", kind="page")
    assert created and page.kind == "page"
    any_store.add_feed("http://127.0.0.1/feed.rss")
    assert [f.kind for f in any_store.feeds()] == ["page", "feed"]


# JSON Feed ----------------------------------------------------------------------------------

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Stadt Herne \x1b[2J",
    "home_page_url": "https://www.herne.example/",
    "items": [
        {
            "id": "pm-2025-017",
            "url": "/meldungen/2025/kita.html",
            "title": "Neue Kita\u202e eröffnet",
            "summary": "Kurz: die Kita am Park.",
            "content_html": "<p>Die Kita am Park hat <b>80</b> Plätze.</p><script>x()</script>",
            "date_published": "2025-03-04T10:30:00+01:00",
            "image": "https://www.herne.example/bilder/kita.jpg",
        },
        {
            "url": "https://www.herne.example/m/2",
            "content_text": "Erster Absatz.\n\nZweiter.",
            "date_modified": "2025-03-03T08:00:00Z",
        },
        "kaputt",
        {"title": ""},
    ],
}


def test_json_feed_gives_the_same_entries() -> None:
    data = json.dumps(JSON_FEED).encode()
    parsed = parse_feed(data, "https://www.herne.example/feed.json")
    assert parsed.title == "Stadt Herne"
    first, second = parsed.entries
    assert (
        first.guid == "pm-2025-017"
        and first.url == "https://www.herne.example/meldungen/2025/kita.html"
    )
    assert first.title == "Neue Kita eröffnet" and first.has_full_content is False
    assert (
        first.published is not None and first.published.isoformat() == "2025-03-04T10:30:00+01:00"
    )
    assert first.media[0].src.endswith("kita.jpg")
    assert second.guid == "https://www.herne.example/m/2" and second.title == ""
    assert second.content_html == "<p>Erster Absatz.</p><p>Zweiter.</p>"
    assert local_day(second.published) == date(2025, 3, 3).isoformat()


def test_parse_document_reads_a_page_by_its_rules_and_a_feed_by_its_bytes() -> None:
    """The one place a parser is chosen: a page source's listing by the source's rules,
    whatever the server says; a feed by sniffing its bytes, whatever the server says."""
    name = LISTING_NAMES[0]
    spec = expected(name)
    url = "http://127.0.0.1:8000" + spec["path"]
    page = (LISTINGS / f"{name}.html").read_bytes()
    listing = parse_document(page, url, "application/rss+xml", PageRules())
    assert [e.title for e in listing.entries] == [i["title"] for i in spec["announcements"]]
    with pytest.raises(FeedParseError):
        parse_document(page, url, "text/html")  # a page is no feed
    feed = parse_document(json.dumps(JSON_FEED).encode(), url, "text/html")
    assert feed.title == "Stadt Herne" and len(feed.entries) == 2


VERSION = b'{"version": "https://jsonfeed.org/version/1.1", '


@pytest.mark.parametrize(
    "data",
    [VERSION + b'"items": ', VERSION + b'"items": {}}', VERSION + b'"x": ' + b"[" * 100_000 + b"}"],
)
def test_broken_json_feeds_fail_in_one_line(data: bytes) -> None:
    with pytest.raises(FeedParseError) as failed:
        parse_json_feed(data, "http://127.0.0.1/feed.json")
    assert "\n" not in str(failed.value)


async def test_json_feed_is_polled_and_sniffed(server: FixtureServer, store: SQLiteStore) -> None:
    feed = {**JSON_FEED, "items": JSON_FEED["items"][:1]}
    feed["items"] = [{**feed["items"][0], "url": server.url("/kita.html")}]
    server.add("/feed.json", json.dumps(feed), "application/feed+json")
    server.add("/kita.html", "<html><body><main><h1>Neue Kita</h1><p>Die Kita am Park hat "
               "achtzig Plätze und öffnet im April.</p></main></body></html>")  # fmt: skip
    async with Fetcher() as fetcher:
        seen = await sniff(server.url("/feed.json"), fetcher)
    assert seen.found == "JSON Feed: Stadt Herne, 1 entry"
    store.add_feed(server.url("/feed.json"))
    report = await poll_feeds(store)
    assert report.new_articles == 1 and not report.failed
    article = store.article(store.articles()[0].id)
    assert article is not None and "öffnet im April" in article.body_markdown
    assert "x()" not in article.body_markdown


def test_sniff_is_one_look(server: FixtureServer) -> None:
    url = serve_listing(server, "kreis-cards")

    async def look() -> None:
        async with Fetcher() as fetcher:
            await sniff(url, fetcher)

    asyncio.run(look())
    assert server.requests_for(expected("kreis-cards")["path"]) == [200]


async def test_reader_lists_page_sources_and_polls_them(
    server: FixtureServer, store: SQLiteStore
) -> None:
    from newsroom_tui.ui.app import NewsroomApp
    from newsroom_tui.ui.widgets.feed_list import FeedList

    page = page_feed(store, serve_listing(server, "kreis-cards"))
    app = NewsroomApp(store, poll_on_start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        feeds = app.query_one(FeedList)
        for _ in range(100):
            await pilot.pause(0.05)
            if page.id in feeds.counts and feeds.counts[page.id].unread == 5:
                break
        assert feeds.names[page.id] == "Pressemitteilungen"
        assert feeds.counts[page.id].unread == 5


async def test_sniff_reads_a_web_page_served_as_xml_as_a_web_page(herne: FixtureServer) -> None:
    """A CMS's maintenance page at the feed's address, served as XML: it is a web page
    without a feed or announcements, not "neither a feed nor a web page"."""
    page = (
        "<!DOCTYPE html><html lang='de'><head><title>Wartungsarbeiten</title></head><body>"
        "<h1>Wartungsarbeiten</h1><p>Die Seite ist bald wieder da.</p></body></html>"
    )
    herne.add("/wartung/rss.xml", page, "application/xml")
    async with Fetcher() as fetcher:
        with pytest.raises(Refused) as refused:
            await sniff(herne.url("/wartung/rss.xml"), fetcher)
    assert "neither a feed nor a web page" not in str(refused.value)
    assert "announcement" in str(refused.value)


async def test_sniff_reads_a_feed_served_as_html(herne: FixtureServer) -> None:
    herne.add("/rss-als-html", herne.routes[FEED_PATH].body, "text/html; charset=utf-8")
    async with Fetcher() as fetcher:
        seen = await sniff(herne.url("/rss-als-html"), fetcher)
    assert seen.kind == "feed" and seen.found.startswith("RSS feed: ")


async def test_a_detail_page_that_fails_leaves_the_teaser(
    server: FixtureServer, store: SQLiteStore
) -> None:
    spec = expected("kreis-cards")
    page_feed(store, serve_listing(server, "kreis-cards"))
    first = spec["announcements"][0]
    server.add(first["link"], "weg", status=404)
    report = await poll_feeds(store)
    assert report.new_articles == len(spec["announcements"]) and not report.failed
    article = next(a for a in store.articles() if a.title == first["title"])
    stored = store.article(article.id)
    assert stored is not None and first["teaser"] in stored.body_markdown
    assert stored.published is not None and local_day(stored.published) == first["date"]


def test_a_cache_of_schema_6_gets_the_kind_column(data_dir: Path) -> None:
    import sqlite3

    from newsroom_tui.store import open_store

    store = open_store(data_dir)
    store.add_feed("http://127.0.0.1/feed.rss")
    path = store.path
    store.close()
    conn = sqlite3.connect(path)
    conn.executescript(STORY_LIST_DROPPED)  # the list of stories: schema 16
    conn.execute("ALTER TABLE feeds DROP COLUMN kind")
    conn.execute("ALTER TABLE articles DROP COLUMN source")  # schema 9
    conn.execute("ALTER TABLE feeds DROP COLUMN name_set")  # added by a later version (#16)
    for later in ("DROP INDEX articles_by_story", "DROP INDEX articles_story_versions"):
        conn.execute(later)  # stories: schema 12
    conn.execute("ALTER TABLE articles DROP COLUMN story_id")
    conn.execute("ALTER TABLE articles DROP COLUMN story_relation")
    conn.executescript(SYNC_TABLES_DROPPED)  # and by the sync's step
    conn.execute("PRAGMA user_version = 6")
    conn.commit()
    conn.close()
    store = open_store(data_dir)
    assert [f.kind for f in store.feeds()] == ["feed"]
    store.close()


def test_feeds_names_page_sources(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsroom_tui.store import open_store

    store = open_store(data_dir)
    store.add_feed("http://127.0.0.1/presse/", kind="page")
    store.close()
    code, out, _ = run(data_dir, capsys, "feeds")
    assert code == 0 and out.rstrip().endswith("; page source")


TWO_FEEDS = """<!DOCTYPE html><html><head><title>Presse | Stadt Herne</title>
<link rel="alternate" type="application/rss+xml" title="Pressemeldungen" href="/langsam.rss">
<link rel="alternate" type="application/rss+xml" title="Kommentare" href="/kommentare.rss">
</head><body><main><h1>Presse</h1><p>Willkommen.</p></main></body></html>"""


async def test_sniff_fetches_the_announced_feeds_together_and_takes_the_first(
    herne: FixtureServer,
) -> None:
    """A page announcing two feeds: the second is asked for while the first has not answered
    (tried one after the other, a slow first feed held up the rest), and the first in page
    order is taken all the same."""
    feed = herne.routes[FEED_PATH]
    asked_meanwhile: list[bool] = []

    def slow_first(handler: BaseHTTPRequestHandler) -> None:
        end = time.monotonic() + 10  # a deadline for the wait, not a measure
        while not herne.requests_for("/kommentare.rss") and time.monotonic() < end:
            time.sleep(0.01)
        asked_meanwhile.append(bool(herne.requests_for("/kommentare.rss")))
        handler.send_response(200)
        handler.send_header("Content-Type", feed.content_type)
        handler.send_header("Content-Length", str(len(feed.body)))
        handler.end_headers()
        handler.wfile.write(feed.body)

    herne.add("/presse/", TWO_FEEDS)
    herne.behaviours["/langsam.rss"] = slow_first
    herne.add("/kommentare.rss", feed.body.replace(b"Pressemeldungen", b"Kommentare"))
    async with Fetcher() as fetcher:
        seen = await sniff(herne.url("/presse/"), fetcher)
    assert asked_meanwhile == [True]
    assert seen.url == herne.url("/langsam.rss")
    assert seen.found == "feed found: Pressemeldungen (RSS)"


def test_probe_lists_a_feeds_entries_newest_first(
    herne: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The fixture feed gives its oldest entry first; probe listed them so, unlike the
    reader and every listing page."""
    code, out, _ = run(data_dir, capsys, "probe", herne.url(FEED_PATH))
    assert code == 0
    days = [line.split()[0] for line in out.splitlines()[1:]]
    assert days == ["2025-03-05", "2024-04-12", "2023-05-09"]
