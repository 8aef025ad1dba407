"""Article pages refused for their address are remembered with the address rule that refused
them: a poll under the same rule fetches none of them; once the config file allows the
address, the next poll fetches them and makes their articles again from their pages (body,
gallery, credits, search index), keeping read state, flag, claim and story, and the feed's
``refused: …`` line goes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsroom_tui.article_reading import read_article
from newsroom_tui.cli import main
from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.models import CreditCount
from newsroom_tui.net import address_policy
from newsroom_tui.net.address_policy import AddressPolicy
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.store.base import ArticleFilter, Store
from newsroom_tui.store.refused_pages import without_refusal
from tests.fixture_server import FixtureServer
from tests.listing_site import detail_page

FEED = "/feeds/pressemeldungen.rss"
CREDIT = "Thomas Schmidt/Stadt Herne"
ITEMS: list[dict[str, Any]] = [
    {
        "title": title,
        "date": f"2024-03-1{i}",
        "detail": {"body": body, "photos": 6, "credit": CREDIT},
    }
    for i, (title, body) in enumerate(
        [
            ("Fachtag Integration im Kulturzentrum", "Rund 120 Gäste kamen zum Fachtag "
             "im Kulturzentrum. Oberbürgermeister Dudda eröffnete die Veranstaltung"),
            ("Neue Bänke im Stadtgarten", "Die Stadt Herne hat zwölf neue Bänke im "
             "Stadtgarten aufgestellt. Die Bänke bestehen aus heimischem Eichenholz"),
            ("Sperrung der Bahnhofstraße", "Die Bahnhofstraße wird ab Montag für "
             "Kanalarbeiten gesperrt. Die Umleitung ist ausgeschildert"),
            ("Stadtbücherei verlängert Öffnungszeiten", "Die Stadtbücherei öffnet künftig "
             "auch samstags. Die Ausleihe bleibt für Kinder kostenlos"),
        ]
    )
]  # fmt: skip
TEASER = "Kurzmeldung der Stadt Herne."


def serve(server: FixtureServer) -> str:
    """A summary-only feed whose items link to pages on 127.0.0.1, each with a credited
    gallery of six images; the feed's URL."""
    items = "".join(
        f"<item><title>{item['title']}</title><link>{server.url(f'/meldung/{i}.html')}</link>"
        f"<guid>herne-{i}</guid><description>{TEASER}</description></item>"
        for i, item in enumerate(ITEMS)
    )
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Stadt Herne: Pressemeldungen</title>{items}</channel></rss>"
    )
    server.add(FEED, feed, "application/rss+xml; charset=utf-8")
    for i, item in enumerate(ITEMS):
        server.add(f"/meldung/{i}.html", detail_page(item, "Stadt Herne"))
    return server.url(FEED)


def page_requests(server: FixtureServer) -> list[list[int]]:
    return [server.requests_for(f"/meldung/{i}.html") for i in range(len(ITEMS))]


@pytest.fixture
def public_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default of a newsroom without the setting: public addresses only."""
    monkeypatch.setattr(address_policy, "DEFAULT_POLICY_ENTRIES", ())


class CountingFetcher(Fetcher):
    """A fetcher that counts the pages named by content it was asked for (refused or not)."""

    asked = 0

    async def get(self, url: str, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("named_by_content"):
            CountingFetcher.asked += 1
        return await super().get(url, *args, **kwargs)


async def poll_under(store: Store, allowed: list[str]) -> int:
    """Poll under the rule ``allowed``; how many pages named by content it asked for."""
    CountingFetcher.asked = 0
    async with CountingFetcher(private_addresses=AddressPolicy.parse(allowed)) as fetcher:
        report = await poll_feeds(store, fetcher=fetcher)
    assert not report.failed
    return CountingFetcher.asked


async def test_refused_pages_come_once_their_address_is_allowed(
    server: FixtureServer, any_store: Store, public_only: None
) -> None:
    any_store.add_feed(serve(server))
    assert await poll_under(any_store, []) == 4
    assert page_requests(server) == [[], [], [], []]
    [feed] = any_store.feeds()
    assert feed.notice == "refused: link to a loopback address 127.0.0.1 (and 3 more article pages)"
    ids = {a.title: a.id for a in any_store.articles()}
    first, second = ids[ITEMS[0]["title"]], ids[ITEMS[1]["title"]]
    any_store.set_read(first)
    any_store.set_flagged(first)
    any_store.claim(second)
    before = {a.id: a for a in any_store.articles()}
    assert all(not (read_article(any_store, i) or before[i]).gallery for i in before)

    assert await poll_under(any_store, []) == 0  # the same rule: nothing asked for
    # another rule that still refuses them: tried once, refused again, then left alone
    assert await poll_under(any_store, ["10.1.0.0/16"]) == 4
    assert await poll_under(any_store, ["10.1.0.0/16"]) == 0
    assert page_requests(server) == [[], [], [], []]

    assert await poll_under(any_store, ["127.0.0.1"]) == 4
    assert page_requests(server) == [[200], [200], [200], [200]]
    for item in ITEMS:
        article = read_article(any_store, ids[item["title"]])
        assert article is not None
        assert item["detail"]["body"].split(". ")[1] in article.body_markdown
        assert article.credits == [CreditCount(CREDIT, 6)]
        assert len(article.gallery) == 6
    after = {a.id: a for a in any_store.articles()}
    assert after.keys() == before.keys()
    for article_id, old in before.items():
        new = after[article_id]
        assert (new.read, new.flagged, new.claimed_by, new.story_id) == (
            old.read,
            old.flagged,
            old.claimed_by,
            old.story_id,
        )
    assert after[first].read and after[first].flagged and after[second].claimed_by == "anna"
    found = any_store.articles(ArticleFilter(search="Eichenholz"))
    assert [a.id for a in found] == [ids[ITEMS[1]["title"]]]
    [feed] = any_store.feeds()
    assert feed.notice is None

    assert await poll_under(any_store, ["127.0.0.1"]) == 0  # had: not fetched again
    assert page_requests(server) == [[200], [200], [200], [200]]


def run(data: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["--data-dir", str(data), *args]) == 0
    out, err = capsys.readouterr()
    return out + err


def test_fetch_after_allowing_the_address_makes_the_articles_from_their_pages(
    server: FixtureServer, data_dir: Path, config_file: Path, public_only: None,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    run(data_dir, capsys, "add", serve(server))
    out = run(data_dir, capsys, "fetch")
    assert "refused: link to a loopback address 127.0.0.1 (and 3 more article pages)" in out
    assert "refused: link to a loopback address 127.0.0.1" in run(data_dir, capsys, "feeds")

    config_file.write_text('[general]\nallow_private_addresses = ["127.0.0.1"]\n')
    run(data_dir, capsys, "fetch")
    assert page_requests(server) == [[200], [200], [200], [200]]
    assert "refused" not in run(data_dir, capsys, "feeds")
    [first] = [
        a
        for a in json.loads(run(data_dir, capsys, "list", "--json"))
        if a["title"] == ITEMS[0]["title"]
    ]
    shown = json.loads(run(data_dir, capsys, "show", str(first["id"]), "--json"))
    assert shown["credits"] == [{"credit": CREDIT, "count": 6}]
    assert "Oberbürgermeister Dudda eröffnete die Veranstaltung" in shown["body_markdown"]
    assert f"- {CREDIT} ×6" in run(data_dir, capsys, "show", str(first["id"]))


ENTRIES = st.sampled_from(
    ["10.1.0.0/16", "10.1.2.3", "127.0.0.1", "fd00::/8", "intranet.stadt.de", "Herne.local"]
)


@given(st.lists(ENTRIES, max_size=6), st.randoms(use_true_random=False))
def test_the_rule_that_refused_a_page_is_known_again_in_any_order(
    entries: list[str], order: Any
) -> None:
    shuffled = list(entries)
    order.shuffle(shuffled)
    key = AddressPolicy.parse(entries).key
    assert AddressPolicy.parse(shuffled + entries).key == key
    more = AddressPolicy.parse([*entries, "192.168.5.20"]).key
    assert (more == key) == ("192.168.5.20" in entries)


OTHER_PARTS = st.sampled_from(
    [
        "only the newest 1,000 of 10,000 entries kept",
        "12 article pages left for the next poll",
        "3 entries without a link",
    ]
)


@given(st.lists(OTHER_PARTS, max_size=3, unique=True), st.integers(0, 3))
def test_the_refusal_goes_from_the_status_line_and_the_rest_stays(
    others: list[str], at: int
) -> None:
    refusal = "refused: link to a private address 10.0.0.5 (and 2 more article pages)"
    notice = "; ".join([*others[:at], refusal, *others[at:]])
    assert without_refusal(notice) == ("; ".join(others) or None)
