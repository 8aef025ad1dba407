"""A synced item is stored as a feed entry would be: when the server gives only a teaser, the
article page is fetched and extracted (body, gallery, credits) within the poll's page budget;
a page that fails leaves the teaser; photos with a credit line in the server's HTML become the
gallery, as for feed content."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.commands.output import EXIT_OK
from newsroom_tui.ingest import account_side, article_pages, page_retries
from newsroom_tui.ingest.poll_jobs import Job, build_job
from newsroom_tui.ingest.synced_articles import synced_article
from newsroom_tui.ingest.synced_bodies import summary_entry
from newsroom_tui.models import Article
from newsroom_tui.net import address_policy
from newsroom_tui.store import ArticleFilter
from newsroom_tui.sync_records import ItemId, RemoteItem
from tests.fixture_server import FIXTURES, FixtureServer
from tests.sync_kit import (
    Place,
    _secret_in_file,
    account,
    herne_feed,
    place,
    polizei_feed,
    start_server,
)
from tests.sync_server import SyncServer
from tests.test_sync_fetch import cache, fetch_json, log_in, newsroom

__all__ = ["_secret_in_file", "account", "place"]  # the fixtures, imported to be found

TEASER = "<p>Fachtag zum Kommunalen Integrationsmanagement in Herne.</p>"
PAGE_TEXT = "Die 75 Teilnehmenden wurden von Andreas Merkendorf"
POLICE_HTML = (
    "<p>Bei einer Schwerpunktkontrolle haben Beamtinnen und Beamte des Verkehrsdienstes am "
    "Dienstag 412 Fahrzeuge an der Herner Straße überprüft. 38 Fahrerinnen und Fahrer waren zu "
    "schnell, vier von ihnen erwartet ein Fahrverbot.</p>"
    '<p><img src="/pressemitteilungen/bilder/kontrolle-herner-strasse.jpg"><br>'
    "Kontrollstelle an der Herner Straße. Foto: Polizei Bochum</p>"
    "<p>Die Polizei kündigt weitere Kontrollen im gesamten Stadtgebiet an.</p>"
)


@pytest.fixture
def site() -> Iterator[FixtureServer]:
    server = FixtureServer().start()
    server.add("/meldungen/kim.html", (FIXTURES / "pages" / "herne-meldung.html").read_bytes())
    try:
        yield server
    finally:
        server.stop()


def stored(data_dir: Path | Place) -> dict[str, Article]:
    store = cache(data_dir)
    try:
        found = {a.title: store.article(a.id) for a in store.articles()}
        return {title: article for title, article in found.items() if article is not None}
    finally:
        store.close()


def first_fetch(
    account: tuple[SyncServer, str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> dict:
    """The account logged in and its first fetch: the fetch's report."""
    server, way = account
    log_in(data_dir, capsys, server, way)
    code, report, err = fetch_json(data_dir, capsys)
    assert code == EXIT_OK, err
    return report


def test_a_teaser_gets_its_article_page_with_gallery_and_credits(
    account: tuple[SyncServer, str],
    site: FixtureServer,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = account[0]
    herne = herne_feed(server)
    title = "Kommunales Integrationsmanagement eingeführt"
    server.add_item(herne, title, site.url("/meldungen/kim.html"), TEASER)
    report = first_fetch(account, data_dir, capsys)
    assert report["sync"]["error"] is None
    assert site.requests_for("/meldungen/kim.html") == [200]
    article = stored(data_dir)[title]
    assert PAGE_TEXT in article.body_markdown
    assert len(article.gallery) >= 3
    assert {item.credit for item in article.gallery} == {"Thomas Schmidt/Stadt Herne"}
    # a second sync with nothing new fetches no page again
    assert fetch_json(data_dir, capsys)[0] == EXIT_OK
    assert site.requests_for("/meldungen/kim.html") == [200]


def test_a_teaser_whose_page_fails_keeps_the_teaser(
    account: tuple[SyncServer, str],
    site: FixtureServer,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = account[0]
    herne = herne_feed(server)
    server.add_item(herne, "Stadt Herne: Sperrung", site.url("/meldungen/fehlt.html"), TEASER)
    kim = site.url("/meldungen/kim.html")
    server.add_item(herne, "Kommunales Integrationsmanagement", kim, TEASER)
    report = first_fetch(account, data_dir, capsys)
    assert report["sync"]["new_articles"] == 2
    assert site.requests_for("/meldungen/fehlt.html") == [404]
    articles = stored(data_dir)
    assert "Fachtag zum Kommunalen Integrationsmanagement" in (
        articles["Stadt Herne: Sperrung"].body_markdown
    )
    assert PAGE_TEXT in articles["Kommunales Integrationsmanagement"].body_markdown


def test_a_full_item_is_not_fetched_and_its_photo_is_the_gallery(
    account: tuple[SyncServer, str],
    site: FixtureServer,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = account[0]
    polizei = polizei_feed(server)
    title = "Polizei Bochum: Geschwindigkeitskontrolle an der Herner Straße"
    server.add_item(polizei, title, site.url("/meldungen/kim.html"), POLICE_HTML)
    first_fetch(account, data_dir, capsys)
    assert site.requests_for("/meldungen/kim.html") == []  # the server gave the whole text
    article = stored(data_dir)[title]
    assert "412 Fahrzeuge" in article.body_markdown
    assert [(g.src.rsplit("/", 1)[-1], g.caption, g.credit) for g in article.gallery] == [
        ("kontrolle-herner-strasse.jpg", "Kontrollstelle an der Herner Straße.", "Polizei Bochum")
    ]


def test_teasers_over_the_page_budget_keep_their_teasers_and_say_so(
    account: tuple[SyncServer, str],
    site: FixtureServer,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(article_pages, "PAGES_PER_POLL", 1)
    server, way = account
    herne = herne_feed(server)
    page = (FIXTURES / "pages" / "herne-meldung.html").read_bytes()
    for n in range(3):
        site.add(f"/meldungen/{n}.html", page)
        server.add_item(
            herne, f"Meldung {n} der Stadt Herne", site.url(f"/meldungen/{n}.html"), TEASER
        )
    log_in(data_dir, capsys, server, way)
    code, _, err = newsroom(data_dir, capsys, "fetch")
    assert code == EXIT_OK, err
    assert "2 article pages over the budget: teasers kept, tried at the next poll" in err
    assert sum(len(site.requests_for(f"/meldungen/{n}.html")) for n in range(3)) == 1
    articles = stored(data_dir)
    with_page = [t for t, a in articles.items() if PAGE_TEXT in a.body_markdown]
    assert len(articles) == 3 and len(with_page) == 1
    # the next polls take the pages left over, one a poll (the budget), at once
    for polls in (2, 3, 4):
        assert newsroom(data_dir, capsys, "fetch")[0] == EXIT_OK
        fetched = sum(len(site.requests_for(f"/meldungen/{n}.html")) for n in range(3))
        assert fetched == min(polls, 3)
    articles = stored(data_dir)
    assert all(PAGE_TEXT in a.body_markdown for a in articles.values())


def _later(monkeypatch: pytest.MonkeyPatch, after: timedelta) -> None:
    """The next syncs look for pages due ``after`` from now."""
    moment = datetime.now(UTC) + after
    monkeypatch.setattr(page_retries, "clock", lambda: moment)


def test_a_teasers_page_that_failed_is_tried_again_at_a_later_poll(
    place: Place,
    site: FixtureServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = start_server("freshrss")
    try:
        herne = herne_feed(server)
        title = "Kommunales Integrationsmanagement eingeführt"
        page = (FIXTURES / "pages" / "herne-meldung.html").read_bytes()
        site.add("/meldungen/kim.html", b"Wartungsarbeiten", status=503)
        server.add_item(herne, title, site.url("/meldungen/kim.html"), TEASER)
        log_in(place, capsys, server, "freshrss")
        assert fetch_json(place, capsys)[0] == EXIT_OK
        assert site.requests_for("/meldungen/kim.html") == [503]
        assert PAGE_TEXT not in stored(place)[title].body_markdown  # the teaser, for now
        # the server is back; the page is not due before its pause is over
        site.add("/meldungen/kim.html", page)
        assert fetch_json(place, capsys)[0] == EXIT_OK
        assert site.requests_for("/meldungen/kim.html") == [503]
        _later(monkeypatch, timedelta(minutes=16))
        store = place.store()
        article_id = next(a.id for a in store.articles())
        store.set_flagged(article_id, True)  # the desk's marks stay on the article
        store.close()
        assert fetch_json(place, capsys)[0] == EXIT_OK
        assert site.requests_for("/meldungen/kim.html") == [503, 200]
        article = stored(place)[title]
        assert PAGE_TEXT in article.body_markdown and article.flagged
        assert {item.credit for item in article.gallery} == {"Thomas Schmidt/Stadt Herne"}
        store = place.store()
        try:  # found by the page's words, and only once
            assert store.count_articles(ArticleFilter(search="Merkendorf")) == 1
        finally:
            store.close()
        _later(monkeypatch, timedelta(days=1))
        assert fetch_json(place, capsys)[0] == EXIT_OK
        assert site.requests_for("/meldungen/kim.html") == [503, 200]  # had: not again
    finally:
        server.stop()


def test_a_teasers_page_refused_for_its_address_comes_once_the_address_is_allowed(
    place: Place,
    site: FixtureServer,
    config_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(address_policy, "DEFAULT_POLICY_ENTRIES", ())  # public addresses only
    server = start_server("freshrss")
    try:
        herne = herne_feed(server)
        title = "Kommunales Integrationsmanagement eingeführt"
        server.add_item(herne, title, site.url("/meldungen/kim.html"), TEASER)
        log_in(place, capsys, server, "freshrss")
        assert fetch_json(place, capsys)[0] == EXIT_OK
        assert PAGE_TEXT not in stored(place)[title].body_markdown  # refused: the teaser
        store = place.store()
        article_id = next(a.id for a in store.articles())
        store.set_flagged(article_id, True)  # the desk's marks stay on the article
        store.close()
        assert fetch_json(place, capsys)[0] == EXIT_OK  # the same rule: not tried
        assert site.requests_for("/meldungen/kim.html") == []
        config_file.write_text('[general]\nallow_private_addresses = ["127.0.0.1"]\n')
        assert fetch_json(place, capsys)[0] == EXIT_OK
        assert site.requests_for("/meldungen/kim.html") == [200]
        article = stored(place)[title]
        assert PAGE_TEXT in article.body_markdown and article.flagged
        assert {item.credit for item in article.gallery} == {"Thomas Schmidt/Stadt Herne"}
        assert fetch_json(place, capsys)[0] == EXIT_OK
        assert site.requests_for("/meldungen/kim.html") == [200]  # had: not again
    finally:
        server.stop()


def test_a_page_that_keeps_failing_is_tried_three_times_then_left(
    site: FixtureServer,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = start_server("freshrss")
    try:
        site.add("/meldungen/weg.html", b"Wartungsarbeiten", status=503)
        title = "Stadt Herne: Sperrung der Bahnhofstraße"
        server.add_item(herne_feed(server), title, site.url("/meldungen/weg.html"), TEASER)
        log_in(data_dir, capsys, server, "freshrss")
        for later in (timedelta(0), timedelta(minutes=16), timedelta(hours=2), timedelta(days=2)):
            _later(monkeypatch, later)
            assert fetch_json(data_dir, capsys)[0] == EXIT_OK
        assert site.requests_for("/meldungen/weg.html") == [503, 503, 503]
        assert "Fachtag zum Kommunalen" in stored(data_dir)[title].body_markdown
    finally:
        server.stop()


_HTML_PARTS = st.sampled_from(
    [
        "<p>Stadt Herne: Bahnhofstraße gesperrt.</p>",
        '<p><img src="/bilder/sperrung.jpg"><br>Umleitung. Foto: Stadt Herne</p>',
        "<IMG SRC='https://www.herne.de/b.jpg' alt='Ölspur'>",
        "&lt;img&gt; &amp; Ümläute",
        '<a href="https://www.herne.de/x">Mehr</a>',
        "\x1b]52;c;cm0=\x07<b>",
        "Polizei Bochum sucht Zeugen. " * 12,
    ]
)


@settings(max_examples=60, deadline=None)
@given(parts=st.lists(st.one_of(_HTML_PARTS, st.text(max_size=30)), max_size=8))
def test_an_item_built_in_the_workers_keeps_the_text_made_without_them(parts: list[str]) -> None:
    """Whether an item goes to the workers (a photo, a page) or not, its text is the same:
    the build through the feed path loses nothing of what the server gave."""
    item = RemoteItem(
        ItemId(4711, ""),
        "feed/3",
        "Stadt Herne: Bahnhofstraße gesperrt",
        "https://www.herne.de/meldungen/sperrung.html",
        html="".join(parts),
    )
    (built,) = build_job([Job(summary_entry(item), None)], True)
    plain = synced_article(item)
    assert (built.guid, built.body_markdown, built.source) == (
        plain.guid,
        plain.body_markdown,
        plain.source,
    )


def test_a_bug_in_the_pages_step_costs_the_items_only_their_pages(
    site: FixtureServer,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(*_: object, **__: object) -> None:
        raise RuntimeError("Fehler beim Seitenabruf")

    monkeypatch.setattr(account_side, "synced_bodies", broken)
    server = start_server("freshrss")
    try:
        herne = herne_feed(server)
        server.add_item(
            herne, "Kommunales Integrationsmanagement", site.url("/meldungen/kim.html"), TEASER
        )
        log_in(data_dir, capsys, server, "freshrss")
        code, report, err = fetch_json(data_dir, capsys)
    finally:
        server.stop()
    assert code == EXIT_OK, err
    assert report["sync"]["error"] is None and report["sync"]["new_articles"] == 1
    article = stored(data_dir)["Kommunales Integrationsmanagement"]
    assert "Fachtag zum Kommunalen Integrationsmanagement" in article.body_markdown
