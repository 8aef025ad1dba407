"""A loopback feed farm for benchmarks: N feeds x M items of deterministic German news.

Serves on 127.0.0.1 only, from an asyncio HTTP/1.1 server with keep-alive. Feed documents are
rendered once at start-up and served as ready bytes, so the farm is not what a benchmark
measures; run it in its own process (``FarmProcess``) so it does not share the client's GIL.

Paths
    /feed/<i>.xml       full-content feed i (RSS 2.0 with content:encoded; every
                        ``atom_every``-th feed is Atom with <content type="html">)
    /summary/<i>.xml    summary-only RSS feed i, whose items link to article pages
    /page/<i>/<j>.html  article page j of summary feed i (German municipal press page: cookie
                        banner, navigation, body paragraphs, gallery with "©Name/Stadt X"
                        credits, footer), rendered on demand
    /_stats             request counters as JSON; /_reset zeroes them

Every document carries an ETag and a Last-Modified date and honours If-None-Match and
If-Modified-Since with 304 (except feeds chosen by ``no_validators_every``).

Command line::

    python bench/feed_farm.py --feeds 1000 --items 100 --summary-feeds 50 --summary-items 20

prints ``READY http://127.0.0.1:PORT`` once it serves.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import random
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from pathlib import Path
from types import TracebackType

# Content ------------------------------------------------------------------------------------

CITIES = [
    "Herne",
    "Bochum",
    "Gelsenkirchen",
    "Mülheim an der Ruhr",
    "Lüdenscheid",
    "Düsseldorf",
    "Göttingen",
    "Würzburg",
    "Fürth",
    "Osnabrück",
    "Lübeck",
    "Tübingen",
    "Jülich",
    "Nürnberg",
    "Köln",
    "Münster",
]
SUBJECTS = [
    "Stadtbibliothek",
    "Bürgeramt",
    "Grünflächenamt",
    "Jugendamt",
    "Straßenbaubehörde",
    "Feuerwehr",
    "Volkshochschule",
    "Musikschule",
    "Ordnungsamt",
    "Stadtwerke",
    "Gesundheitsamt",
    "Kämmerei",
    "Schulverwaltung",
    "Tiefbauamt",
    "Seniorenbüro",
]
ACTIONS = [
    "verlängert Öffnungszeiten",
    "lädt zum Bürgerdialog ein",
    "startet Förderprogramm für Familien",
    "saniert Brücke über die Emscher",
    "eröffnet neue Außenstelle",
    "stellt Haushaltsentwurf für {year} vor",
    "sucht Ehrenamtliche für Sommerferien",
    "informiert über Straßensperrung",
    "zieht Bilanz nach Großeinsatz",
    "erweitert Angebot für Senioren",
    "pflanzt {n} Bäume im Stadtgebiet",
    "begrüßt neue Auszubildende",
    "warnt vor Betrugsmaschen am Telefon",
    "feiert {n}-jähriges Jubiläum",
]
FIRST = ["Jördis", "Thomas", "Claudia", "Björn", "Ümit", "Käthe", "Sören", "Müge", "Jürgen"]
LAST = ["Kühn", "Schmidt", "Heinrich", "Größer", "Öztürk", "Weiß", "Bäcker", "Lübke", "Jäger"]
SENTENCES = [
    "Am {day}. {month} {year} fand im Stadtteilzentrum die Auftaktveranstaltung mit rund {n} "
    "Teilnehmenden statt.",
    "„Wir möchten die Angebote näher an die Bürgerinnen und Bürger bringen“, sagt {person}, "
    "Leiterin der {subject}.",
    "Die Maßnahme wird vom Land Nordrhein-Westfalen mit {n}.000 Euro gefördert.",
    "Anmeldungen sind ab sofort über das Serviceportal der Stadt {city} möglich.",
    "Während der Bauarbeiten ist die Zufahrt über die Bahnhofstraße nur eingeschränkt "
    "möglich; Umleitungen sind ausgeschildert.",
    "Für Rückfragen steht das Team montags bis freitags von 8 bis 12 Uhr zur Verfügung.",
    "Bereits im vergangenen Jahr hatten sich über {n} Familien an dem Projekt beteiligt.",
    "Oberbürgermeister {person} dankte allen Beteiligten für ihr großes Engagement.",
    "Die Ergebnisse der Befragung fließen in die weitere Planung für {year} ein.",
    "Barrierefreie Zugänge sowie Parkplätze für Menschen mit Behinderung sind vorhanden.",
    "Außerdem gibt es eine Sprechstunde für Schülerinnen und Schüler im Rathaus.",
    "Die Stadt bittet um Verständnis für mögliche Verzögerungen im Straßenverkehr.",
    "Weitere Informationen gibt es telefonisch unter 02323 16-{n} oder per E-Mail.",
    "Der Ausschuss für Umwelt und Klimaschutz hat der Vorlage einstimmig zugestimmt.",
    "Gemeinsam mit Vereinen und Initiativen wurden mehr als {n} Ideen gesammelt.",
    "Über die Öffnung der Verwaltung für neue Zielgruppen sprach {person} im Anschluss.",
]
MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
CET = timezone(timedelta(hours=1))
EPOCH = datetime(2025, 3, 1, 9, 0, tzinfo=CET)
LAST_MODIFIED = format_datetime(datetime(2025, 3, 1, 8, 0, tzinfo=UTC), usegmt=True)


@dataclass(frozen=True)
class FarmConfig:
    feeds: int = 1000
    items: int = 100
    summary_feeds: int = 0
    summary_items: int = 20
    atom_every: int = 5  # every n-th full-content feed is Atom (0: none)
    no_validators_every: int = 0  # every n-th full-content feed sends no ETag/Last-Modified
    hosts: int = 16  # feeds are spread over 127.0.0.1 ... 127.0.0.<hosts>, as over many sites
    # 0: items dated back from EPOCH, 5 hours apart; n: the newest item dated when the farm
    # starts, each one n minutes before the one after it (25: a feed's 100 items within 48 h)
    spacing_minutes: int = 0


@dataclass(frozen=True)
class Dating:
    """When the items of a feed are published: back from ``newest``, ``spacing_minutes``
    apart (0: back from EPOCH, 5 hours apart, and by the feed's number)."""

    newest: datetime = EPOCH
    spacing_minutes: int = 0

    def published(self, feed: int, index: int) -> datetime:
        if not self.spacing_minutes:
            return EPOCH - timedelta(hours=index * 5 + feed % 24, minutes=feed % 60)
        return self.newest - timedelta(minutes=index * self.spacing_minutes + feed % 60)


OLD = Dating()


@dataclass(frozen=True)
class Item:
    feed: int
    index: int
    title: str
    city: str
    published: datetime
    paragraphs: list[str]
    credits: list[str]

    @property
    def summary(self) -> str:
        return self.paragraphs[0].split(". ")[0].rstrip(".") + "."


def make_item(
    feed: int, index: int, *, paragraphs_min_chars: int = 750, dating: Dating = OLD
) -> Item:
    """Item ``index`` of feed ``feed``; the same arguments always give the same item."""
    rng = random.Random(feed * 1_000_003 + index)
    city = CITIES[feed % len(CITIES)]
    subject = rng.choice(SUBJECTS)
    year = 2024 + rng.randrange(3)
    n = rng.randrange(12, 480)
    title = f"{subject} {rng.choice(ACTIONS).format(year=year, n=n)} ({city}, Nr. {index + 1})"
    if rng.random() < 0.15:
        title = f"Rathaus & Politik: {title}"

    def person() -> str:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"

    paragraphs: list[str] = []
    size = 0
    while size < paragraphs_min_chars:
        sentences = [
            rng.choice(SENTENCES).format(
                day=rng.randrange(1, 29),
                month=rng.choice(MONTHS),
                year=year,
                n=rng.randrange(12, 900),
                person=person(),
                subject=subject,
                city=city,
            )
            for _ in range(rng.randrange(2, 4))
        ]
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 7
    credits = [f"{person()}/Stadt {city}" for _ in range(rng.randrange(2, 5))]
    published = dating.published(feed, index)
    return Item(feed, index, title, city, published, paragraphs, credits)


def _content_html(item: Item, base: str) -> str:
    parts = [f"<p>{escape(p, quote=False)}</p>" for p in item.paragraphs]
    if item.index % 4 == 0:
        credit = escape(item.credits[0], quote=False)
        parts.insert(
            1,
            f'<figure><img src="{base}/bilder/{item.feed}/{item.index}-1.jpg" alt="">'
            f"<figcaption>Blick auf das Rathaus. ©{credit}</figcaption></figure>",
        )
    return "\n".join(parts)


def _rss_date(moment: datetime) -> str:
    return moment.strftime("%a, %d %b %Y %H:%M:%S %z")


def render_rss(
    feed: int, items: int, base: str, *, summary_only: bool = False, dating: Dating = OLD
) -> bytes:
    kind = "summary" if summary_only else "feed"
    city = CITIES[feed % len(CITIES)]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">\n'
        "<channel>\n"
        f"<title>Stadt {escape(city)} – Pressemeldungen {feed}</title>\n"
        f"<link>{base}/</link>\n"
        f"<description>Aktuelle Meldungen der Stadt {escape(city)}</description>\n"
        "<language>de-de</language>\n"
        f'<atom:link href="{base}/{kind}/{feed}.xml" rel="self" type="application/rss+xml"/>\n'
    ]
    for index in range(items):
        item = make_item(feed, index, dating=dating)
        link = f"{base}/page/{feed}/{index}.html"
        out.append(
            "<item>\n"
            f"<title>{escape(item.title)}</title>\n"
            f"<link>{link}</link>\n"
            f'<guid isPermaLink="false">farm-{kind}-{feed}-{index}</guid>\n'
            f"<pubDate>{_rss_date(item.published)}</pubDate>\n"
            f"<description>{escape(item.summary)}</description>\n"
        )
        if not summary_only:
            out.append(
                f"<content:encoded><![CDATA[{_content_html(item, base)}]]></content:encoded>\n"
            )
            if index % 4 == 0:
                out.append(
                    f'<media:content url="{base}/bilder/{feed}/{index}-1.jpg" medium="image">'
                    f"<media:credit>©{escape(item.credits[0])}</media:credit></media:content>\n"
                )
        out.append("</item>\n")
    out.append("</channel>\n</rss>\n")
    return "".join(out).encode("utf-8")


def render_atom(feed: int, items: int, base: str, *, dating: Dating = OLD) -> bytes:
    city = CITIES[feed % len(CITIES)]
    updated = make_item(feed, 0, dating=dating).published.isoformat()
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"<title>Stadt {escape(city)} – Nachrichten {feed}</title>\n"
        f"<id>urn:farm:feed:{feed}</id>\n<updated>{updated}</updated>\n"
        f'<link rel="self" href="{base}/feed/{feed}.xml"/>\n'
    ]
    for index in range(items):
        item = make_item(feed, index, dating=dating)
        out.append(
            "<entry>\n"
            f'<title type="html">{escape(escape(item.title))}</title>\n'
            f'<link href="{base}/page/{feed}/{index}.html"/>\n'
            f"<id>urn:farm:{feed}:{index}</id>\n"
            f"<updated>{item.published.isoformat()}</updated>\n"
            f"<summary>{escape(item.summary)}</summary>\n"
            f'<content type="html">{escape(_content_html(item, base))}</content>\n'
            "</entry>\n"
        )
    out.append("</feed>\n")
    return "".join(out).encode("utf-8")


def render_page(feed: int, index: int, base: str) -> bytes:
    """A German municipal press page for item ``index`` of summary feed ``feed``."""
    item = make_item(feed, index)
    city = escape(item.city)
    title = escape(item.title)
    date = item.published
    date_text = f"{date.day:02d}.&nbsp;{MONTHS[date.month - 1]}&nbsp;{date.year}"
    body = "\n".join(f"        <p>{escape(p)}</p>" for p in item.paragraphs)
    gallery = "\n".join(
        f'          <li class="gallery__item"><a href="/bilder/{feed}/{index}-{n}.jpg" '
        f'class="lightbox" title="Impressionen vor Ort. ©{escape(credit)}">'
        f'<img src="/bilder/{feed}/{index}-{n}-thumb.jpg" alt="Impressionen vor Ort. '
        f'©{escape(credit)}" width="240" height="160" loading="lazy"></a>'
        f'<span class="gallery__caption">Impressionen vor Ort. ©{escape(credit)}</span></li>'
        for n, credit in enumerate(item.credits, 1)
    )
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} | Stadt {city}</title>
  <meta name="description" content="{escape(item.summary)}">
  <meta property="og:site_name" content="Stadt {city}">
  <meta property="og:title" content="{title}">
  <meta property="og:type" content="article">
  <link rel="stylesheet" href="/static/css/stadt.css">
  <script>var et_pagename = "Meldungen/{feed}/{index}"; var et_areas = "Meldungen";</script>
  <style>.cookie-layer{{position:fixed;bottom:0}} .sr-only{{position:absolute}}</style>
</head>
<body class="page page--meldung">
  <div id="cookie-settings" class="cookie-layer" role="dialog" aria-modal="true">
    <div class="cookie-layer__inner">
      <h2>Cookie-Einstellungen</h2>
      <p>Diese Website setzt sogenannte essentielle Cookies ein. Diese Cookies sind für das
      Bereitstellen der Internetseite, ihrer Funktionen wie der Suche und individuellen
      Einstellungsmöglichkeiten technisch notwendig und können nicht abgewählt werden.</p>
      <p>Darüber hinaus können Sie individuell einstellen, welche Cookies Sie bei der Nutzung
      von externen Webdiensten zulassen möchten. Mehr in unserer
      <a href="/Datenschutz/">Datenschutzerklärung</a>.</p>
      <ul class="cookie-layer__services">
        <li><label for="cc-etracker">eTracker:</label> <input type="checkbox" id="cc-etracker"></li>
        <li><label for="cc-youtube">Youtube:</label> <input type="checkbox" id="cc-youtube"></li>
      </ul>
      <p class="cookie-layer__buttons"><button type="button">Auswahl speichern</button>
      <button type="button">Alle akzeptieren</button></p>
    </div>
  </div>
  <a class="skip-link" href="#inhalt">Direkt zum Inhalt</a>
  <header class="site-header">
    <a class="site-header__logo" href="/"><img src="/static/img/logo-stadt.svg"
      alt="Stadt {city} – zur Startseite" width="180" height="60"></a>
    <nav class="main-nav" aria-label="Hauptnavigation">
      <ul>
        <li><a href="/Rathaus/">Rathaus &amp; Politik</a></li>
        <li><a href="/Leben/">Leben in {city}</a></li>
        <li><a href="/Wirtschaft/">Wirtschaft</a></li>
        <li><a href="/Freizeit/">Freizeit &amp; Kultur</a></li>
      </ul>
    </nav>
    <form class="site-search" action="/suche/" role="search"><label for="q">Suche</label>
      <input id="q" name="q" type="search"> <button type="submit">Suchen</button></form>
  </header>
  <main id="inhalt" class="main">
    <nav class="breadcrumb" aria-label="Sie befinden sich hier">
      <a href="/">Homepage</a> / <a href="/Meldungen/">Meldungen</a>
    </nav>
    <article class="meldung">
      <p class="meldung__datum">Meldung vom {date_text}</p>
      <h1 class="meldung__titel">{title}</h1>
      <div class="meldung__text">
{body}
      </div>
      <div class="bildergalerie">
        <h2 class="sr-only">Bildergalerie</h2>
        <ul class="gallery">
{gallery}
        </ul>
      </div>
      <div class="meldung__teilen share"><span>Seite teilen:</span>
        <a href="https://www.facebook.com/sharer/sharer.php?u={base}/page/{feed}/{index}.html">Facebook</a>
        <a href="mailto:?subject=Meldung">E-Mail</a></div>
    </article>
  </main>
  <footer class="site-footer">
    <ul class="site-footer__links">
      <li><a href="/Impressum/">Impressum</a></li>
      <li><a href="/Datenschutz/">Datenschutz</a></li>
      <li><a href="/Barrierefreiheit/">Erklärung zur Barrierefreiheit</a></li>
    </ul>
    <p>© Stadt {city} · Rathausplatz 1 · Stand: 01.01.2025</p>
    <img src="https://tracking.example.net/pixel.gif?p={feed}-{index}" width="1" height="1" alt="">
  </footer>
</body>
</html>
""".encode()


# Serving ------------------------------------------------------------------------------------


@dataclass
class Document:
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None


def _document(body: bytes, content_type: str, *, validators: bool = True) -> Document:
    if not validators:
        return Document(body, content_type, None, None)
    etag = '"' + hashlib.blake2b(body, digest_size=10).hexdigest() + '"'
    return Document(body, content_type, etag, LAST_MODIFIED)


def _not_modified(doc: Document, headers: dict[str, str]) -> bool:
    inm = headers.get("if-none-match")
    if inm is not None:
        if doc.etag is None:
            return False
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or doc.etag in tags
    ims = headers.get("if-modified-since")
    if ims and doc.last_modified:
        try:
            return parsedate_to_datetime(doc.last_modified) <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
    return False


class Farm:
    """The documents and the request counters; ``respond`` is the whole HTTP logic."""

    def __init__(self, config: FarmConfig, base: str) -> None:
        self.config = config
        self.base = base
        self.docs: dict[str, Document] = {}
        self.counts: Counter[str] = Counter()
        self.page_hits: Counter[str] = Counter()
        self.bytes_sent = 0
        dating = Dating(datetime.now(CET).replace(microsecond=0), config.spacing_minutes)
        for i in range(config.feeds):
            atom = config.atom_every and i % config.atom_every == config.atom_every - 1
            body = (
                render_atom(i, config.items, base, dating=dating)
                if atom
                else render_rss(i, config.items, base, dating=dating)
            )
            ctype = "application/atom+xml" if atom else "application/rss+xml; charset=utf-8"
            plain = config.no_validators_every and i % config.no_validators_every == 0
            self.docs[f"/feed/{i}.xml"] = _document(body, ctype, validators=not plain)
        for i in range(config.summary_feeds):
            body = render_rss(i, config.summary_items, base, summary_only=True)
            self.docs[f"/summary/{i}.xml"] = _document(body, "application/rss+xml")

    @property
    def feed_bytes(self) -> int:
        return sum(len(d.body) for p, d in self.docs.items() if p.startswith("/feed/"))

    def _page(self, path: str) -> Document | None:
        try:
            feed_s, index_s = path.removeprefix("/page/").removesuffix(".html").split("/")
            feed, index = int(feed_s), int(index_s)
        except ValueError:
            return None
        if feed < 0 or index < 0 or feed >= max(self.config.feeds, self.config.summary_feeds):
            return None
        return _document(render_page(feed, index, self.base), "text/html; charset=utf-8")

    def stats(self) -> dict[str, object]:
        return {
            "counts": dict(self.counts),
            "pages_distinct": len(self.page_hits),
            "pages_max_hits": max(self.page_hits.values(), default=0),
            "bytes_sent": self.bytes_sent,
        }

    def respond(self, method: str, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
        path = path.split("?", 1)[0]
        if path == "/_stats":
            return 200, _response(200, json.dumps(self.stats()).encode(), "application/json")
        if path == "/_reset":
            self.counts.clear()
            self.page_hits.clear()
            self.bytes_sent = 0
            return 200, _response(200, b"ok", "text/plain")
        kind = path.split("/", 2)[1] if path.count("/") >= 2 else ""
        doc = self.docs.get(path)
        if doc is None and kind == "page":
            doc = self._page(path)
            if doc is not None:
                self.page_hits[path] += 1
        if doc is None:
            self.counts["404"] += 1
            return 404, _response(404, b"not found", "text/plain")
        if _not_modified(doc, headers):
            self.counts[f"{kind}_304"] += 1
            return 304, _response(304, b"", None, doc)
        self.counts[f"{kind}_200"] += 1
        self.bytes_sent += len(doc.body)
        body = b"" if method == "HEAD" else doc.body
        return 200, _response(200, body, doc.content_type, doc, length=len(doc.body))


_REASONS = {200: "OK", 304: "Not Modified", 404: "Not Found", 400: "Bad Request"}


def _response(
    status: int,
    body: bytes,
    content_type: str | None,
    doc: Document | None = None,
    *,
    length: int | None = None,
) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS[status]}", "Server: feed-farm"]
    if doc is not None and doc.etag:
        lines.append(f"ETag: {doc.etag}")
    if doc is not None and doc.last_modified:
        lines.append(f"Last-Modified: {doc.last_modified}")
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    if status != 304:
        lines.append(f"Content-Length: {len(body) if length is None else length}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head + body


async def _handle(farm: Farm, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                break
            lines = head.decode("latin-1").split("\r\n")
            try:
                method, target, version = lines[0].split(" ", 2)
            except ValueError:
                writer.write(_response(400, b"bad request", "text/plain"))
                break
            headers: dict[str, str] = {}
            for line in lines[1:]:
                name, sep, value = line.partition(":")
                if sep:
                    headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length") or 0)
            if length:
                await reader.readexactly(length)
            _, data = farm.respond(method, target, headers)
            writer.write(data)
            await writer.drain()
            connection = headers.get("connection", "").lower()
            if connection == "close" or (version == "HTTP/1.0" and connection != "keep-alive"):
                break
    except ConnectionError:
        pass
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def serve(config: FarmConfig, port: int = 0, *, announce: bool = True) -> None:
    """Render the farm and serve it on 127.0.0.1 until cancelled."""
    farm: Farm | None = None

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert farm is not None
        await _handle(farm, reader, writer)

    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024, limit=65536)
    bound = server.sockets[0].getsockname()[1]
    # The same port on further loopback addresses: a client's per-host connection limit then
    # sees many sites, as with real feeds. All of 127.0.0.0/8 is this machine.
    extra = [
        await asyncio.start_server(handle, f"127.0.0.{n}", bound, backlog=1024, limit=65536)
        for n in range(2, config.hosts + 1)
    ]
    farm = Farm(config, f"http://127.0.0.1:{bound}")
    if announce:
        print(f"READY http://127.0.0.1:{bound} feed_bytes={farm.feed_bytes}", flush=True)
    async with server, contextlib.AsyncExitStack() as stack:
        for other in extra:
            await stack.enter_async_context(other)
        await server.serve_forever()


# Use from other benchmarks ----------------------------------------------------------------


class FarmProcess:
    """The farm in a child process::

    with FarmProcess(FarmConfig(feeds=100, items=50)) as farm:
        urls = farm.feed_urls()
    """

    def __init__(self, config: FarmConfig, *, port: int = 0, start_timeout: float = 300.0) -> None:
        self.config = config
        self.port = port
        self.start_timeout = start_timeout
        self.base = ""
        self.feed_bytes = 0
        self._proc: subprocess.Popen[str] | None = None

    def start(self) -> FarmProcess:
        args = [sys.executable, str(Path(__file__).resolve()), "--port", str(self.port)]
        for key, value in asdict(self.config).items():
            args += [f"--{key.replace('_', '-')}", str(value)]
        self._proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        assert self._proc.stdout is not None
        deadline = time.monotonic() + self.start_timeout
        line = ""
        while time.monotonic() < deadline:
            line = self._proc.stdout.readline()
            if not line or line.startswith("READY"):
                break
        if not line.startswith("READY"):
            self.stop()
            raise RuntimeError(f"feed farm did not start: {line!r}")
        fields = line.split()
        self.base = fields[1]
        self.feed_bytes = int(fields[2].split("=", 1)[1])
        return self

    @property
    def pid(self) -> int:
        assert self._proc is not None
        return self._proc.pid

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None

    def __enter__(self) -> FarmProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def feed_urls(self) -> list[str]:
        """Feed URLs spread over the farm's loopback hosts (127.0.0.1, .2, ...)."""
        port = self.base.rsplit(":", 1)[1]
        hosts = max(1, self.config.hosts)
        return [
            f"http://127.0.0.{1 + i % hosts}:{port}/feed/{i}.xml" for i in range(self.config.feeds)
        ]

    def summary_urls(self) -> list[str]:
        return [f"{self.base}/summary/{i}.xml" for i in range(self.config.summary_feeds)]

    def stats(self) -> dict[str, object]:
        with urllib.request.urlopen(f"{self.base}/_stats", timeout=10) as response:
            return dict(json.loads(response.read()))

    def reset_stats(self) -> None:
        with urllib.request.urlopen(f"{self.base}/_reset", timeout=10) as response:
            response.read()


@contextlib.contextmanager
def running_farm(config: FarmConfig, port: int = 0) -> Iterator[FarmProcess]:
    with FarmProcess(config, port=port) as farm:
        yield farm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    defaults = FarmConfig()
    for key, value in asdict(defaults).items():
        parser.add_argument(f"--{key.replace('_', '-')}", type=int, default=value)
    args = parser.parse_args(argv)
    config = FarmConfig(**{k: getattr(args, k) for k in asdict(defaults)})
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(config, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
