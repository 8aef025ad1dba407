"""The paths added after RSS and Atom (JSON Feed, listing pages, the feeds a page announces)
follow the same rules: every URL made from the network passes the one rule
(:func:`newsroom_tui.text.sanitize.clean_url`) where its entry, announcement or announced feed
is made, an id carries no control code and has a bounded length, and one bad item (a link
``urljoin`` cannot read, an item nested thousands of arrays deep) fails alone.

``probe``, ``add`` (its refusal line too), ``fetch``, ``list`` and ``show`` print no ESC, C1
or BEL, and nothing of the kind is stored.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom_tui.cli import main
from newsroom_tui.models import GalleryItem
from newsroom_tui.parse.entries import FeedEntry
from newsroom_tui.parse.json_feed import parse_json_feed
from newsroom_tui.parse.listing import Announcement, detect_listing
from newsroom_tui.parse.registry import parse_feed
from newsroom_tui.parse.shallow_json import flatten_deep
from newsroom_tui.sources.sniff import AnnouncedFeed, announced_feeds
from newsroom_tui.store.sqlite import database_path
from newsroom_tui.text.sanitize import GUID_MAX_CHARS, URL_MAX_CHARS
from tests.fixture_server import FixtureServer
from tests.test_hostile_fields import FORBIDDEN, OSC52, assert_clean, strings

T0 = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
BASE = "http://127.0.0.1:8000"
# As HTML and XML give them: lxml decodes the character references into ESC and BEL.
OSC52_REF = "&#27;]52;c;cm0gLXJmIH4=&#7;"
C1_REF = "&#x9d;52;c;cm0gLXJmIH4=&#x9c;"  # 8-bit OSC, as XML may write it
BAD_IPV6 = "http://[::1/bad"  # urljoin and urlsplit raise ValueError on it
HOSTILE_URLS = [
    f"https://www.herne.de/kita.html{OSC52}",
    "https://www.herne.de/haushalt.html\x9d52;c;cm0=\x9c",  # C1 (8-bit OSC)
    "https://www.herne.de/rechnung\u202elmth.exe",  # bidi override
    "https://www.herne.de/\u200bkita.html",  # zero-width space
    "https://www.herne.de/a\x00b.html",  # NUL
    "https://www.herne.de/" + "a" * 200_000,  # 200,000 characters
]


def no_control(text: str) -> bool:
    return not any(c in text for c in FORBIDDEN)


def no_terminal_control(guid: str) -> bool:
    """An id may keep invisible characters (a BOM, a zero-width space): nothing the terminal
    reads as control."""
    return no_control(guid.replace("\ufeff", ""))


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


# -- where a URL is made: the constructors ---------------------------------------------------


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_an_entry_refuses_a_hostile_link_and_keeps_its_teaser(url: str) -> None:
    entry = FeedEntry(
        guid="herne-1", url=url, title="Kita eröffnet", published=T0,
        summary_html="<p>Die Stadt Herne eröffnet die Kita.</p>", base_url=url,
    )  # fmt: skip
    assert entry.url is None and entry.base_url is None
    assert entry.summary_html == "<p>Die Stadt Herne eröffnet die Kita.</p>"


def test_an_entry_keeps_a_plausible_link() -> None:
    url = "https://www.bochum.de/Straßen?q=über"
    entry = FeedEntry(guid=url, url=url, title="Baustelle", published=None)
    assert entry.url == entry.guid == url


def test_an_entry_id_loses_its_control_codes() -> None:
    entry = FeedEntry(
        guid=f"herne-1{OSC52}\x9b2J\u202e\x00", url=None, title="Haushalt", published=None
    )
    assert entry.guid == "herne-1"


def test_an_entry_id_of_control_codes_only_falls_back_to_the_link() -> None:
    entry = FeedEntry(guid=OSC52, url="https://www.herne.de/a.html", title="A", published=None)
    assert entry.guid == "https://www.herne.de/a.html"
    entry = FeedEntry(guid="\x1b[2J", url=None, title="Kita eröffnet", published=None)
    assert entry.guid == "title:Kita eröffnet"


def test_a_long_entry_id_is_bounded_and_stays_distinct() -> None:
    one = FeedEntry(guid="x" * 200_000 + "1", url=None, title="A", published=None)
    two = FeedEntry(guid="x" * 200_000 + "2", url=None, title="A", published=None)
    again = FeedEntry(guid="x" * 200_000 + "1", url=None, title="A", published=None)
    assert len(one.guid) <= GUID_MAX_CHARS and len(two.guid) <= GUID_MAX_CHARS
    assert one.guid != two.guid and one.guid == again.guid  # the next poll finds it known


def test_an_entry_drops_images_with_hostile_addresses() -> None:
    media = [
        GalleryItem(src="https://www.herne.de/bilder/kita.jpg", caption=""),
        GalleryItem(src="https://www.herne.de/bilder/x.jpg\x9d52;c;eA==\x9c", caption=""),
    ]
    entry = FeedEntry(guid="g", url=None, title="Kita", published=None, media=media)
    assert [m.src for m in entry.media] == ["https://www.herne.de/bilder/kita.jpg"]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_an_announcement_refuses_a_hostile_link(url: str) -> None:
    item = Announcement(title="Kita eröffnet", url=url, published=T0, teaser="Die Stadt ...")
    assert item.url is None
    assert item.guid.startswith("listing:") and no_control(item.guid)


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_an_announced_feed_refuses_a_hostile_address(url: str) -> None:
    feed = AnnouncedFeed(url, "RSS", f"Presse{OSC52}")
    assert feed.url is None and feed.title == "Presse"


_NASTY = st.sampled_from(
    ["\x1b", "\x07", "\x00", "\x9b", "\x9c", "\x9d", "\x85", "\x7f", "\u202e", "\u2066",
     "\u200b", "\u200e", "\u2060", "\ufeff", "\u2028", "]52;c;", "[2J", "\t", "\n", " "]
)  # fmt: skip
hostile_urls = st.builds(
    lambda head, parts: head + "".join(parts),
    st.sampled_from(["https://www.herne.de/", "/presse/", "meldung.html?id=", ""]),
    st.lists(st.one_of(_NASTY, st.text(max_size=8)), max_size=10),
)


@settings(
    max_examples=60, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip
@given(url=hostile_urls, guid=hostile_urls)
def test_no_path_stores_a_url_or_id_with_control_codes(url: str, guid: str) -> None:
    """Whatever a feed or page names: an entry, an announcement or an announced feed holds
    no control, bidi or invisible character in its address, none that reaches the terminal
    in its id, and the entry is never lost."""
    entry = FeedEntry(guid=guid, url=url, title="Kita", published=None, base_url=url)
    for value in (entry.url, entry.base_url):
        assert value is None or (no_control(value) and "\u200b" not in value)
    assert entry.guid and no_terminal_control(entry.guid)
    item = Announcement(title="Kita", url=url, published=None)
    assert item.url is None or no_control(item.url)
    assert AnnouncedFeed(url, "RSS").url in (None, entry.url)
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Stadt Herne",
        "items": [
            {"id": guid, "url": url, "title": "Kita eröffnet"},
            {"id": "2", "external_url": url, "title": "Haushalt"},
            {"id": "3", "url": BAD_IPV6 + url, "title": "Baustelle"},
        ],
    }
    parsed = parse_json_feed(json.dumps(doc).encode(), f"{BASE}/feed.json")
    assert [e.title for e in parsed.entries] == ["Kita eröffnet", "Haushalt", "Baustelle"]
    for got in parsed.entries:
        assert got.url is None or no_control(got.url)
        assert no_terminal_control(got.guid)


# -- every path that makes one ---------------------------------------------------------------


def rss(link: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Stadt Herne'
        f"</title><item><title>Kita eröffnet</title><link>{link}</link><guid>h-1</guid>"
        "<description>Die Stadt eröffnet die Kita.</description></item>"
        f"<item><title>Haushalt</title><link>{BASE}/haushalt.html</link><guid>h-2</guid>"
        "</item></channel></rss>"
    ).encode()


def atom(link: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Polizei Bochum</title><id>urn:bochum</id>"
        f'<entry><title>Unfall auf der A40</title><id>b-1</id><link href="{link}"/>'
        "<summary>Ein Unfall.</summary></entry>"
        f'<entry><title>Zeugen gesucht</title><id>b-2</id><link href="{BASE}/zeugen.html"/>'
        "</entry></feed>"
    ).encode()


def json_feed(**fields: object) -> bytes:
    first = {"id": "herne-1", "title": "Kita eröffnet", "summary": "Die Stadt eröffnet die Kita."}
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Stadt Herne",
        "home_page_url": f"{BASE}/",
        "items": [
            {**first, **fields},
            {"id": "herne-2", "url": f"{BASE}/haushalt.html", "title": "Haushalt vorgelegt"},
        ],
    }
    return json.dumps(doc).encode()


def listing_item(n: int, href: str, date: str = "0{n}.03.2025") -> str:
    return (
        f'<li class="meldung"><h2><a href="{href}">Meldung Nummer {n} der Stadt Herne</a></h2>'
        f'<p class="datum">{date.format(n=n)}</p>'
        f"<p>Die Stadt Herne informiert über Baustellen, Kitas und den Haushalt ({n}).</p></li>"
    )


def listing_page(first_href: str, head: str = "", date: str = "0{n}.03.2025") -> str:
    return (
        f"<!DOCTYPE html><html lang='de'><head><title>Pressemitteilungen</title>{head}</head>"
        "<body><main><h1>Pressemitteilungen der Stadt Herne</h1><ul>"
        + listing_item(1, first_href, date)
        + "".join(listing_item(n, f"/presse/{n}.html") for n in (2, 3, 4))
        + "</ul></main></body></html>"
    )


def announcing_page(href: str) -> str:
    """An article (no listing) that announces a feed."""
    return (
        "<!DOCTYPE html><html lang='de'><head><title>Kita eröffnet</title>"
        f'<link rel="alternate" type="application/rss+xml" href="{href}" title="Presse">'
        "</head><body><article><h1>Kita eröffnet</h1>"
        + "<p>Die Stadt Herne hat am Montag die neue Kita in Sodingen eröffnet.</p>" * 4
        + "</article></body></html>"
    )


@pytest.mark.parametrize(
    ("kind", "doc"),
    [
        ("rss", rss(f"{BASE}/kita.html{OSC52}")),  # not XML: feedparser reads it
        ("rss C1", rss(f"{BASE}/kita.html{C1_REF}")),
        ("atom", atom(f"{BASE}/unfall.html{C1_REF}")),
        ("json url", json_feed(url=f"{BASE}/kita.html{OSC52}")),
        ("json external_url", json_feed(external_url="/kita.html\x9d52;c;eA==\x9c")),
        ("json long url", json_feed(url=f"{BASE}/" + "a" * 200_000)),
        ("json id", json_feed(id=f"herne-1{OSC52}\u202e")),
        ("json image", json_feed(image=f"{BASE}/kita.jpg{OSC52}")),
    ],
)
def test_feeds_make_no_url_or_id_with_control_codes(kind: str, doc: bytes) -> None:
    parsed = parse_feed(doc, f"{BASE}/feed")
    assert len(parsed.entries) == 2  # the hostile one kept (without its link)
    for entry in parsed.entries:
        assert_clean(entry.url or "", entry.base_url or "")
        assert len(entry.url or "") <= URL_MAX_CHARS and len(entry.guid) <= GUID_MAX_CHARS
        assert no_terminal_control(entry.guid) and "52;c;" not in entry.guid
        assert all(no_control(m.src) for m in entry.media)
    assert parsed.entries[1].url is not None


def test_a_listing_page_makes_no_link_with_control_codes() -> None:
    found = detect_listing(listing_page(f"/presse/1.html{OSC52_REF}"), f"{BASE}/presse/")
    assert [a.title for a in found.announcements][1:] == [
        f"Meldung Nummer {n} der Stadt Herne" for n in (2, 3, 4)
    ]
    first = found.announcements[0]
    assert first.url is None and first.title == "Meldung Nummer 1 der Stadt Herne"
    for item in found.announcements:
        assert_clean(item.url or "", item.guid)


def test_a_page_announces_no_feed_with_control_codes() -> None:
    page = announcing_page(f"/presse{OSC52_REF}.rss").encode()
    feeds = announced_feeds(page, f"{BASE}/kita.html", "text/html")
    assert [f.url for f in feeds] == [None]


# -- one bad item fails alone ----------------------------------------------------------------


def test_a_json_feed_item_with_an_unreadable_link_fails_alone() -> None:
    parsed = parse_json_feed(json_feed(url=BAD_IPV6), f"{BASE}/feed.json")
    assert [(e.guid, e.url) for e in parsed.entries] == [
        ("herne-1", None),
        ("herne-2", f"{BASE}/haushalt.html"),
    ]
    parsed = parse_json_feed(json_feed(external_url="/kita.html", image=BAD_IPV6), BASE + "/f")
    assert parsed.entries[0].url == f"{BASE}/kita.html"


def test_a_json_feed_with_an_unreadable_home_page_is_read_against_its_own_address() -> None:
    doc = json.loads(json_feed(url="/kita.html"))
    doc["home_page_url"] = BAD_IPV6
    parsed = parse_json_feed(json.dumps(doc).encode(), f"{BASE}/presse/feed.json")
    assert parsed.entries[0].url == f"{BASE}/kita.html"


def test_a_listing_link_urljoin_cannot_read_fails_alone() -> None:
    found = detect_listing(listing_page(BAD_IPV6), f"{BASE}/presse/").announcements
    assert len(found) == 4 and found[0].url is None
    assert [a.url for a in found[1:]] == [f"{BASE}/presse/{n}.html" for n in (2, 3, 4)]
    page = listing_page("/presse/1.html", head=f'<base href="{BAD_IPV6}">')
    found = detect_listing(page, f"{BASE}/presse/").announcements
    assert [a.url for a in found] == [f"{BASE}/presse/{n}.html" for n in (1, 2, 3, 4)]


def test_an_announced_feed_urljoin_cannot_read_is_skipped() -> None:
    page = announcing_page(BAD_IPV6).replace(
        "</head>", '<link rel="alternate" type="application/atom+xml" href="/presse.atom"></head>'
    )
    feeds = announced_feeds(page.encode(), f"{BASE}/kita.html", "text/html")
    assert [f.url for f in feeds] == [None, f"{BASE}/presse.atom"]
    page = announcing_page("/presse.rss").replace("<head>", f'<head><base href="{BAD_IPV6}">')
    feeds = announced_feeds(page.encode(), f"{BASE}/kita.html", "text/html")
    assert [f.url for f in feeds] == [f"{BASE}/presse.rss"]


def test_a_json_feed_item_with_lone_surrogates_fails_alone() -> None:
    """JSON may write half a UTF-16 pair (``\\ud800``), which no UTF-8 text can hold: the
    store, the terminal and a pipe would refuse the whole feed's text. It reads as U+FFFD."""
    doc = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Stadt \\udc00Herne",'
        ' "items": [{"id": "h-1\\ud800", "url": "/kita\\ud800.html",'
        ' "title": "Kita \\ud800eröffnet", "content_html": "<p>Die Stadt\\udfff</p>"},'
        ' {"id": "h-2", "title": "Haushalt \\ud83d\\ude00 vorgelegt"}]}'
    ).encode()
    parsed = parse_json_feed(doc, f"{BASE}/feed.json")
    texts = [parsed.title or ""]
    for entry in parsed.entries:
        texts += [entry.guid, entry.url or "", entry.title, entry.content_html or ""]
    for text in texts:
        text.encode("utf-8")  # raises on a lone surrogate
    assert [e.title for e in parsed.entries] == ["Kita \ufffderöffnet", "Haushalt 😀 vorgelegt"]
    assert parsed.entries[0].guid == "h-1\ufffd"


def deep_json_feed(depth: int) -> bytes:
    deep = "[" * depth + "]" * depth
    return (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Stadt Herne", "items": ['
        '{"id": "herne-1", "url": "https://www.herne.de/kita.html", "title": "Kita eröffnet"},'
        f"{deep},"
        f'{{"id": "herne-2", "title": "Haushalt vorgelegt", "_ext": {deep}}},'
        '{"id": "herne-3", "title": "Baustelle \\"A43\\" [gesperrt]", "summary": "[[[{{"}'
        "]}"
    ).encode()


def test_a_json_feed_item_nested_thousands_deep_fails_alone() -> None:
    parsed = parse_json_feed(deep_json_feed(5_000), f"{BASE}/feed.json")
    assert [e.guid for e in parsed.entries] == ["herne-1", "herne-2", "herne-3"]
    assert parsed.entries[2].title == 'Baustelle "A43" [gesperrt]'
    assert parsed.entries[2].summary_html == "[[[{{"


def test_json_nested_deeper_than_the_stack_fails_no_feed() -> None:
    parsed = parse_json_feed(deep_json_feed(200_000), f"{BASE}/feed.json")
    assert [e.guid for e in parsed.entries] == ["herne-1", "herne-2", "herne-3"]


def test_a_json_feed_item_with_a_number_too_long_for_python_fails_alone() -> None:
    """JSON allows an integer of any length; Python refuses to read one of more than 4,300
    digits (ValueError), which failed the whole feed. It reads as null, as a value nested
    too deep does: the item falls back to its link for an id, the others are as they are."""
    doc = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Stadt Herne", "items": ['
        '{"id": "herne-1", "url": "https://www.herne.de/kita.html", "title": "Kita eröffnet"},'
        f'{{"id": {"7" * 5_000}, "url": "https://www.herne.de/haushalt.html", '
        f'"title": "Haushalt vorgelegt", "_ext": {{"n": -{"9" * 10_000}}}}},'
        '{"id": 4711, "title": "Baustelle A43"}]}'
    ).encode()
    parsed = parse_json_feed(doc, f"{BASE}/feed.json")
    assert [e.guid for e in parsed.entries] == [
        "herne-1", "https://www.herne.de/haushalt.html", "4711"
    ]  # fmt: skip


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\,: aä\n'),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=30,
)


def depth_of(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    return 0


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(value=json_values, cut=st.integers(min_value=1, max_value=6))
def test_flattening_reads_strings_whole_and_cuts_only_below_the_limit(
    value: object, cut: int
) -> None:
    """Brackets and quotes inside strings never count; a document within the limit is left
    exactly as it is; one beyond it parses, to no more than the limit's depth."""
    text = json.dumps(value, ensure_ascii=False)
    if depth_of(value) <= cut:
        assert flatten_deep(text, cut) == text
    else:
        flat = json.loads(flatten_deep(text, cut))
        assert depth_of(flat) <= cut


# -- what the commands print and store -------------------------------------------------------


@pytest.fixture
def hostile(server: FixtureServer) -> FixtureServer:
    base = server.base
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Stadt Herne",
        "items": [
            {"id": f"h-1{OSC52}", "url": f"{base}/kita.html{OSC52}", "title": "Kita eröffnet"},
            {"id": "h-2", "external_url": f"{base}/a.html\x9d52;c;eA==\x9c", "title": "Haushalt"},
            {"id": "h-3", "url": f"{base}/\u202e\u200bx\x00.html", "title": "Rechnung"},
            {"id": "h-4", "url": f"{base}/" + "a" * 200_000, "title": "Sehr lang"},
            {"id": "h-5", "url": BAD_IPV6, "title": "Baustelle"},
            {"id": "h-6", "url": f"{base}/markt.html", "title": "Wochenmarkt verlegt"},
            {"id": "h-7\ud800", "url": f"{base}/\udc00.html", "title": "Halbe \ud800Zeichen"},
        ],
    }
    for item in doc["items"]:
        item["content_html"] = "<p>Die Stadt Herne teilt mit: eine Meldung.</p>" * 30
    server.add("/feed.json", json.dumps(doc), "application/feed+json")
    server.add("/presse/", listing_page(f"/presse/1.html{OSC52_REF}"))
    for n in (1, 2, 3, 4):
        server.add(
            f"/presse/{n}.html",
            f"<html><body><article><h1>Meldung {n}</h1>"
            + "<p>Die Stadt Herne informiert über den Haushalt.</p>" * 5
            + "</article></body></html>",
        )
    server.add("/kaputt/", listing_page(BAD_IPV6))
    server.add("/kita.html", announcing_page(f"/presse{OSC52_REF}.rss"))
    server.add("/ipv6.html", announcing_page(BAD_IPV6))
    return server


def test_probe_and_add_print_no_control_codes(
    hostile: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in ("/feed.json", "/presse/", "/kaputt/"):
        for json_flag in ((), ("--json",)):
            code, out, err = run(data_dir, capsys, "probe", hostile.url(path), *json_flag)
            assert code == 0, err
            assert_clean(out, err)
            assert "Traceback" not in err
    code, out, _ = run(data_dir, capsys, "probe", hostile.url("/feed.json"), "--json")
    assert len(json.loads(out)["items"]) == 7
    for path in ("/kita.html", "/ipv6.html"):
        code, out, err = run(data_dir, capsys, "add", hostile.url(path))
        assert code == 1 and out == "" and err.count("\n") == 1, err  # one refusal line
        assert_clean(out, err)
        code, out, err = run(data_dir, capsys, "probe", hostile.url(path))
        assert code == 1 and err.count("\n") == 1, err
        assert_clean(out, err)


def test_refused_announcements_do_not_hide_a_usable_one_and_tries_are_bounded(
    server: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="/f{n}{OSC52_REF}.rss">'
        for n in range(8)
    )
    missing = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="/fehlt{n}.rss">' for n in range(8)
    )
    good = '<link rel="alternate" type="application/rss+xml" href="/presse.rss">'
    server.add("/presse.rss", rss(f"{server.base}/kita.html"), "application/rss+xml")
    server.add(
        "/a.html", announcing_page("/fehlt.rss").replace("</head>", refused + good + "</head>")
    )
    server.add("/b.html", announcing_page("/fehlt.rss").replace("</head>", missing + "</head>"))
    code, out, err = run(data_dir, capsys, "probe", server.url("/a.html"))
    assert code == 0 and f"subscribe to {server.url('/presse.rss')}" in out, err
    code, out, err = run(data_dir, capsys, "probe", server.url("/b.html"))
    assert code == 1 and err.count("\n") == 1
    tried = [n for n in range(8) if server.requests_for(f"/fehlt{n}.rss")]
    assert server.requests_for("/fehlt.rss") and tried == [0, 1, 2, 3]  # 5 tried of 9


def test_fetch_list_and_show_print_and_store_no_control_codes(
    hostile: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        data_dir, capsys, "add", hostile.url("/feed.json"), hostile.url("/presse/")
    )
    assert code == 0, err
    assert_clean(out, err)
    code, out, err = run(data_dir, capsys, "fetch")
    assert code == 0, err
    assert_clean(out, err)
    assert out.strip().endswith("0 failed")
    code, out, _ = run(data_dir, capsys, "list", "--json")
    listed = json.loads(out)
    assert_clean(out, *strings(listed))
    links = {item["title"]: item["url"] for item in listed}
    base = hostile.base
    assert {t: links[t] for t in ("Kita eröffnet", "Haushalt", "Rechnung", "Sehr lang")} == {
        "Kita eröffnet": None, "Haushalt": None, "Rechnung": None, "Sehr lang": None
    }  # fmt: skip
    assert links["Baustelle"] is None
    assert links["Wochenmarkt verlegt"] == f"{base}/markt.html"
    assert links["Meldung Nummer 1 der Stadt Herne"] is None
    assert links["Meldung Nummer 2 der Stadt Herne"] == f"{base}/presse/2.html"
    for item in listed:
        for flag in ((), ("--json",)):
            code, out, err = run(data_dir, capsys, "show", str(item["id"]), *flag)
            assert code == 0, err
            assert_clean(out, err)
    with sqlite3.connect(database_path(data_dir)) as db:
        guids = [row[0] for row in db.execute("SELECT guid FROM articles")]
    assert len(guids) == len(listed) == 11
    assert all(no_terminal_control(g) and len(g) <= GUID_MAX_CHARS for g in guids)
