"""Addresses reached from content: a feed's entry links, a listing's detail links and the
redirects their servers send are fetched only from public addresses (unless the config file
allows a network or host, for an intranet); the subscriptions a user typed are the user's
choice. A refused page costs its entry its page, never its teaser nor its feed."""

from __future__ import annotations

import ipaddress
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsroom_tui.article_reading import read_article
from newsroom_tui.cli import main
from newsroom_tui.config import ConfigError, load_config
from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.net import address_policy
from newsroom_tui.net.address_policy import AddressPolicy
from newsroom_tui.net.fetcher import FetchError
from newsroom_tui.store import SQLiteStore
from tests.fetcher_kinds import KINDS, fetcher_of, poll_client
from tests.fixture_server import FixtureServer
from tests.listing_site import expected, serve_listing

SUMMARY = "<p>Die Polizei Bochum sucht Zeugen eines Unfalls auf der A43.</p>"
PAGE = (
    "<html><head><title>Zeugensuche</title></head><body><article><h1>Zeugensuche nach Unfall"
    "</h1>" + "<p>Die Polizei Bochum sucht Zeugen eines Unfalls auf der A43 bei Witten.</p>" * 8
    + "</article></body></html>"
)  # fmt: skip


def rss(links: list[str]) -> str:
    items = "".join(
        f"<item><title>Meldung {i}</title><link>{link}</link><guid>pol-{i}</guid>"
        f"<description><![CDATA[{SUMMARY}]]></description></item>"
        for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Polizei Bochum</title>{items}</channel></rss>"
    )


__all__ = ["poll_client"]  # a fixture
each_fetcher = pytest.mark.parametrize("kind", KINDS)


@pytest.fixture
def public_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default of a newsroom without the setting: public addresses only."""
    monkeypatch.setattr(address_policy, "DEFAULT_POLICY_ENTRIES", ())


def redirect_to(target: str) -> object:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", target)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


async def test_entry_links_to_loopback_are_refused_not_fetched(
    server: FixtureServer, store: SQLiteStore, public_only: None, poll_client: str
) -> None:
    server.add(
        "/polizei.rss", rss([server.url("/admin/delete-all?confirm=1")]), "application/rss+xml"
    )
    server.add("/admin/delete-all?confirm=1", PAGE)
    store.add_feed(server.url("/polizei.rss"))  # typed by the user: on loopback, and fetched
    report = await poll_feeds(store)
    assert not report.failed
    assert server.requests_for("/polizei.rss") == [200]
    assert server.requests_for("/admin/delete-all?confirm=1") == []
    [outcome] = report.outcomes
    assert outcome.notice == "refused: link to a loopback address 127.0.0.1"
    [article] = store.articles()
    body = read_article(store, article.id)
    assert body is not None and "sucht Zeugen eines Unfalls auf der A43." in (body.summary or "")
    assert "bei Witten" not in (body.body_markdown or "")


async def test_a_listings_detail_links_on_loopback_are_refused(
    server: FixtureServer, store: SQLiteStore, public_only: None, poll_client: str
) -> None:
    """A page source the user typed is read; the detail pages it links to are not."""
    url = serve_listing(server, "herne-teaser")
    details = [i["link"] for i in expected("herne-teaser")["announcements"] if i.get("detail")]
    store.add_feed(url, kind="page")
    report = await poll_feeds(store)
    assert not report.failed and store.articles()
    assert report.outcomes[0].notice is not None
    assert report.outcomes[0].notice.startswith("refused: link to a loopback address 127.0.0.1")
    assert details and all(server.requests_for(link) == [] for link in details)


@pytest.mark.parametrize(
    ("link", "refusal"),
    [
        ("http://169.254.169.254/latest/meta-data/", "a link-local address 169.254.169.254"),
        ("http://10.0.0.5/intern", "a private address 10.0.0.5"),
        ("http://192.168.178.1/", "a private address 192.168.178.1"),
        ("http://[::ffff:10.0.0.5]/intern", "a private address ::ffff:a00:5"),
        ("http://[fd00::1]/intern", "a private address fd00::1"),
        ("http://0.0.0.0:8080/", "an unspecified address 0.0.0.0"),
        ("http://224.0.0.1/", "a multicast address 224.0.0.1"),
        ("http://localhost:9/", "a loopback address"),
    ],
)
@each_fetcher
async def test_content_addresses_that_are_not_public(link: str, refusal: str, kind: str) -> None:
    async with fetcher_of(kind, private_addresses=AddressPolicy()) as fetcher:
        with pytest.raises(FetchError, match=r"^refused: link to ") as info:
            await fetcher.get(link, named_by_content=True)
    assert refusal in str(info.value)
    assert info.value.refused and "\n" not in str(info.value)


@each_fetcher
async def test_redirects_are_judged_at_every_hop(server: FixtureServer, kind: str) -> None:
    server.behaviours["/weiter"] = redirect_to("http://10.0.0.5/admin/delete-all?confirm=1")
    server.behaviours["/weiter-lokal"] = redirect_to("http://[::1]:1/")
    server.add("/seite", PAGE)
    intranet = AddressPolicy.parse(["127.0.0.1"])
    async with fetcher_of(kind, private_addresses=intranet) as fetcher:
        page = await fetcher.get(server.url("/seite"), named_by_content=True)
        assert b"Zeugensuche" in page.content
        with pytest.raises(FetchError, match=r"^refused: link to a private address 10\.0\.0\.5$"):
            await fetcher.get(server.url("/weiter"), named_by_content=True)
        with pytest.raises(FetchError, match=r"^refused: link to a loopback address ::1$"):
            await fetcher.get(server.url("/weiter-lokal"), named_by_content=True)
    assert server.requests_for("/weiter") == [0]


@each_fetcher
async def test_through_a_proxy_each_host_is_judged_before_the_request(
    server: FixtureServer, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Behind a proxy (which connects for us) the host is resolved and judged before each
    request and each redirect hop; nothing reaches the proxy for a refused one."""
    monkeypatch.setenv("HTTP_PROXY", server.url(""))  # a proxy that would answer 404
    server.behaviours["/weiter"] = redirect_to("http://10.0.0.5/admin")
    async with fetcher_of(kind, private_addresses=AddressPolicy()) as fetcher:
        with pytest.raises(FetchError, match=r"^refused: link to a private address 10\.0\.0\.5$"):
            await fetcher.get("http://10.0.0.5/admin", named_by_content=True)
        with pytest.raises(FetchError, match=r"^refused: link to a loopback address 127\.0\.0\.1$"):
            await fetcher.get(server.url("/weiter"), named_by_content=True)
    assert server.log == []


@each_fetcher
async def test_a_subscription_is_the_users_choice(server: FixtureServer, kind: str) -> None:
    """What the user typed (a feed on this machine, its redirect) is fetched as before."""
    server.add("/polizei.rss", rss([]), "application/rss+xml")
    server.behaviours["/alt.rss"] = redirect_to(server.url("/polizei.rss"))
    async with fetcher_of(kind, private_addresses=AddressPolicy()) as fetcher:
        result = await fetcher.get(server.url("/alt.rss"))
    assert b"Polizei Bochum" in result.content


@each_fetcher
async def test_an_intranet_allowed_by_network_or_name(server: FixtureServer, kind: str) -> None:
    server.add("/seite", PAGE)
    port = server.base.rsplit(":", 1)[1]
    for entries, url in (
        (["127.0.0.0/8"], server.url("/seite")),
        (["127.0.0.1"], server.url("/seite")),
        (["localhost"], f"http://localhost:{port}/seite"),
    ):
        async with fetcher_of(kind, private_addresses=AddressPolicy.parse(entries)) as fetcher:
            page = await fetcher.get(url, named_by_content=True)
        assert b"Zeugensuche" in page.content, entries


def test_fetch_command_follows_the_config_file(
    server: FixtureServer, tmp_path: Path, config_file: Path, public_only: None,
    capsys: pytest.CaptureFixture[str], poll_client: str,
) -> None:  # fmt: skip
    links = [server.url("/meldung-1"), server.url("/meldung-2")]
    server.add("/polizei.rss", rss(links), "application/rss+xml")
    server.add("/meldung-1", PAGE)
    server.add("/meldung-2", PAGE)
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "add", server.url("/polizei.rss")]) == 0
    assert main(["--data-dir", str(data), "fetch"]) == 0
    err = capsys.readouterr().err
    assert "refused: link to a loopback address 127.0.0.1 (and 1 more article pages)" in err
    assert server.requests_for("/meldung-1") == []

    config_file.write_text('[general]\nallow_private_addresses = ["127.0.0.1"]\n')
    assert main(["--data-dir", str(tmp_path / "data2"), "add", server.url("/polizei.rss")]) == 0
    assert main(["--data-dir", str(tmp_path / "data2"), "fetch"]) == 0
    assert "refused" not in capsys.readouterr().err
    assert server.requests_for("/meldung-1") == [200]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('"10.0.0.0/8"', 'must be a list such as ["10.1.0.0/16", "intranet.stadt.de"]'),
        ('["10.0.0.0/8", 5]', "entry 5 is not an address, a network or a host name"),
        ('["intranet stadt"]', "entry 'intranet stadt' is not an address, a network or a host"),
    ],
)
def test_config_mistakes_are_one_line(config_file: Path, value: str, problem: str) -> None:
    config_file.write_text(f"[general]\npoll_interval = 5\nallow_private_addresses = {value}\n")
    with pytest.raises(ConfigError) as info:
        load_config()
    message = str(info.value)
    assert "line 3: general.allow_private_addresses " in message and problem in message
    assert "\n" not in message


def test_config_reads_networks_and_names(config_file: Path) -> None:
    config_file.write_text(
        '[general]\nallow_private_addresses = ["10.1.0.0/16", "fd00::/8", "Intranet.Stadt.de"]\n'
    )
    policy = load_config().private_addresses
    assert policy is not None
    assert policy.refusal(ipaddress.ip_address("10.1.2.3")) is None
    assert policy.refusal(ipaddress.ip_address("10.2.0.1")) == "link to a private address 10.2.0.1"
    assert policy.allows_host("intranet.stadt.de") and policy.allows_host("wiki.intranet.stadt.de")
    assert not policy.allows_host("stadt.de")


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_an_ipv4_address_inside_ipv6_is_judged_as_itself(value: int) -> None:
    """Property: ::ffff:a.b.c.d and 64:ff9b::a.b.c.d get the verdict of a.b.c.d."""
    policy = AddressPolicy.parse(["10.1.0.0/16"])
    v4 = ipaddress.IPv4Address(value)
    verdict = policy.refusal(v4) is None
    mapped = ipaddress.IPv6Address(f"::ffff:{v4}")
    nat64 = ipaddress.IPv6Address(f"64:ff9b::{v4}")
    assert (policy.refusal(mapped) is None) is verdict
    assert (policy.refusal(nat64) is None) is verdict


@given(
    st.sampled_from(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8",
                     "169.254.0.0/16", "100.64.0.0/10", "fc00::/7", "fe80::/10",
                     "fec0::/10", "192.0.0.0/24"]),
    st.integers(min_value=0, max_value=2**32),
)  # fmt: skip
def test_no_address_of_a_private_range_is_public(network: str, offset: int) -> None:
    net = ipaddress.ip_network(network)
    address = net[offset % net.num_addresses]
    assert AddressPolicy().refusal(address) is not None
    assert AddressPolicy.parse([network]).refusal(address) is None


def test_a_feed_a_page_announces_on_another_host_is_judged(
    server: FixtureServer,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    public_only: None,
) -> None:
    """The page was typed; the feed it announces was named by the page. A public page
    announcing a feed on this machine or the router would have newsroom add and probe GET
    it (and subscribe to what answers): it is refused without a request, in the one line.
    A feed announced on the page's own host is the typed page's server, fetched as before."""
    port = server.base.rsplit(":", 1)[1]
    server.add("/intern.rss", rss([]), "application/rss+xml")
    server.add("/presse.rss", rss([]), "application/rss+xml")
    announcing = (
        '<html><head><title>Presse | Stadt Herne</title><link rel="alternate" '
        'type="application/rss+xml" href="{href}"></head><body><p>Willkommen.</p></body></html>'
    )
    server.add("/fremd.html", announcing.format(href=f"http://localhost:{port}/intern.rss"))
    server.add("/eigen.html", announcing.format(href="/presse.rss"))
    for command in ("probe", "add"):
        code = main(["--data-dir", str(data_dir), command, server.url("/fremd.html")])
        _, err = capsys.readouterr()
        assert code == 1 and err.count("\n") == 1, err
        assert "refused: link to a loopback address" in err
    assert server.requests_for("/intern.rss") == []
    assert main(["--data-dir", str(data_dir), "probe", server.url("/eigen.html")]) == 0
    assert f"subscribe to {server.url('/presse.rss')}" in capsys.readouterr().out
