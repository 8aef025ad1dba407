"""Feeds and pages that cost too much to parse, to decode or to expand, beside healthy feeds:
for tests/test_hostile_faults.py and bench/bench_hostile.py. Every hostile input is written
here, none is downloaded."""

from __future__ import annotations

import io
import os
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.fixture_server import FixtureServer

HEALTHY_FEEDS = 6
ITEMS_PER_FEED = 3
FULL_TEXT = (
    "<p>Der Rat der Stadt hat am Dienstag den Haushalt für das kommende Jahr beschlossen. "
    "Die Investitionen in Schulen, Radwege und die Sanierung der Stadtbibliothek steigen "
    "deutlich; die Grundsteuer bleibt unverändert.</p>" * 4
)


def rss(title: str, items: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{title}</title><link>https://presse.example.de/</link>"
        + "".join(items)
        + "</channel></rss>"
    )


def item(guid: str, title: str, *, link: str | None = None, extra: str = "") -> str:
    link = link or f"https://presse.example.de/meldungen/{guid}.html"
    return (
        f"<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>"
        "<pubDate>Tue, 01 Dec 2026 08:00:00 +0100</pubDate>"
        "<description>Kurzfassung der Meldung.</description>"
        f"<content:encoded><![CDATA[{FULL_TEXT}]]></content:encoded>{extra}</item>"
    )


def healthy_feed(number: int) -> str:
    items = [
        item(f"rat-{number}-{i}", f"Ratssitzung {number}: Beschluss {i}")
        for i in range(ITEMS_PER_FEED)
    ]
    return rss(f"Pressestelle {number}", items)


def healthy_paths() -> list[str]:
    return [f"/gesund/{n}.rss" for n in range(HEALTHY_FEEDS)]


def add_healthy(server: FixtureServer) -> list[str]:
    for number, path in enumerate(healthy_paths()):
        server.add(path, healthy_feed(number), "application/rss+xml")
    return [server.url(p) for p in healthy_paths()]


# Slow to parse (quadratic regexes before they were replaced) --------------------------------


def lt_run_feed(count: int = 200_000) -> str:
    """Description and content of nothing but ``&lt;``: tag stripping over "<<<<" went
    quadratic (the check whether the feed carries the whole article)."""
    body = "&lt;" * count
    entry = (
        f"<item><title>lt</title><guid>lt</guid><description>{body}</description>"
        f"<content:encoded>{body}</content:encoded></item>"
    )
    return rss("Kleiner-als", [entry])


def with_doctype(feed: str) -> str:
    """The same feed with a DOCTYPE: it goes to feedparser instead of the lxml fast path."""
    return feed.replace("<rss", "<!DOCTYPE rss><rss", 1).replace("<feed", "<!DOCTYPE feed><feed", 1)


def huge_author_rss(size: int = 65_536) -> str:
    """An RSS item with a 64 KB <author>: feedparser's email search took 12 s on it."""
    return with_doctype(
        rss("Autor", [item("autor", "Meldung", extra=f"<author>{'x' * size}</author>")])
    )


def huge_author_feed(size: int = 200_000) -> str:
    """An Atom feed with a huge author name (feedparser's slow corner)."""
    name = "Pressestelle " + "x" * size
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Autor</title><id>urn:autor</id><updated>2026-12-01T08:00:00Z</updated>"
        f"<entry><title>Meldung</title><id>urn:autor:1</id><author><name>{name}</name>"
        "</author><updated>2026-12-01T08:00:00Z</updated><summary>Kurz.</summary></entry>"
        "</feed>"
    )


def image_brackets_markdown(count: int = 60_000) -> str:
    return "Bildergalerie " + "![" * count


# Bad entries and pages ---------------------------------------------------------------------


def bad_links_feed(base: str) -> str:
    """Three entries whose pages cannot be fetched (a control character, 100,000 characters,
    100,000-deep JSON-LD) among two good ones: every entry is stored, the bad ones with their
    teaser."""
    summary_only = [
        ("ctl", f"{base}/seite/kaputt\x7flink.html"),  # DEL: fine in XML, refused by httpx
        ("lang", f"{base}/seite/" + "a" * 100_000 + ".html"),
        ("tief", f"{base}/seite/tief.html"),
        ("gut", f"{base}/seite/gut.html"),
    ]
    items = [
        f"<item><title>Meldung {g}</title><link>{link}</link>"
        f"<guid>{g}</guid><description>Teaser {g}: Kurzfassung.</description></item>"
        for g, link in summary_only
    ]
    return rss("Seitenprobleme", items)


def deep_jsonld_page(depth: int = 100_000) -> str:
    data = "[" * depth + "]" * depth
    return (
        "<!DOCTYPE html><html lang='de'><head><title>Tief</title>"
        f"<script type='application/ld+json'>{data}</script></head><body><article>"
        "<h1>Tief verschachtelt</h1><p>" + "Der Text der Meldung steht hier. " * 20 + "</p>"
        "</article></body></html>"
    )


def good_page() -> str:
    return (
        "<!DOCTYPE html><html lang='de'><head><title>Gut</title></head><body><article>"
        "<h1>Gute Seite</h1><p>" + "Die Stadtwerke erneuern die Leitungen. " * 20 + "</p>"
        "</article></body></html>"
    )


# Images -------------------------------------------------------------------------------------


def huge_png(side: int = 9400) -> bytes:
    """A ``side`` x ``side`` RGBA PNG of one colour: small on the wire, ~350 MB decoded."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (side, side), (200, 30, 30, 255)).save(out, format="PNG")
    return out.getvalue()


# Entities -----------------------------------------------------------------------------------


def entity_flood_feed(decls: int = 200, refs: int = 2_000_000, *, pi: bool = False) -> str:
    """``decls`` short entities (each under the old 256-character limit) referenced ``refs``
    times: no nesting, yet gigabytes once expanded. ``pi``: a processing instruction holding
    ``<a`` before the declarations (it fooled the old byte scan)."""
    names = [f"e{i}" for i in range(decls)]
    subset = "".join(f'<!ENTITY {n} "{"Pressemitteilung " * 14}">' for n in names)
    body = "".join(f"&{names[i % decls]};" for i in range(refs))
    prolog = '<?xml version="1.0"?>' + ("<?pi <a?>" if pi else "")
    return (
        f"{prolog}<!DOCTYPE rss [{subset}]><rss version='2.0'><channel><title>Flut</title>"
        f"<item><title>Flut</title><guid>flut</guid><description>{body}</description></item>"
        "</channel></rss>"
    )


def pi_hides_xxe_feed() -> str:
    return (
        '<?xml version="1.0"?><?pi <a?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<rss version='2.0'><channel><title>&x;</title></channel></rss>"
    )


# A feed that never answers (keeps `newsroom fetch` running) ---------------------------------


class Hold:
    """A route that answers only when released: ``newsroom fetch`` stays busy meanwhile."""

    def __init__(self) -> None:
        self.released = threading.Event()

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        self.released.wait(60)
        handler.send_response(503)
        handler.send_header("Content-Length", "0")
        handler.end_headers()


# Processes, as /proc shows them (Linux) -------------------------------------------------------


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (children, their children …) right now."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent's wait() is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
