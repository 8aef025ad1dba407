"""German press-office feeds for the watchlist tests: a city and a police department."""

from __future__ import annotations

from html import escape

from tests.fixture_server import FixtureServer

CITY_PATH = "/presse/stadt-herne.rss"
POLICE_PATH = "/presse/polizei-bochum.rss"

CITY_ITEMS = [
    (
        "herne-2025-0412",
        "Vollsperrung der Bahnhofstraße ab Montag",
        "Wegen Kanalarbeiten ist die Bahnhofstraße zwischen Rathaus und Kreuzkirche ab Montag, "
        "7 Uhr, voll gesperrt. Die Umleitung über die Kirchhofstraße ist ausgeschildert.",
    ),
    (
        "herne-2025-0411",
        "Stadtbibliothek verlängert Öffnungszeiten",
        "Ab April hat die Stadtbibliothek donnerstags bis 20 Uhr geöffnet.",
    ),
]
POLICE_ITEMS = [
    (
        "pol-bo-5521",
        "Fliegerbombe in Wattenscheid gefunden: Evakuierung am Sonntag",
        "Bei Bauarbeiten an der Westenfelder Straße wurde ein Blindgänger aus dem Zweiten "
        "Weltkrieg entdeckt. Rund 2.000 Anwohnerinnen und Anwohner müssen ihre Wohnungen "
        "verlassen.",
    ),
    (
        "pol-bo-5520",
        "Zeugen nach Verkehrsunfall auf der A40 gesucht",
        "Am Donnerstagabend kam es zwischen Wattenscheid und Bochum-Stahlhausen zu einem Unfall.",
    ),
]


def rss(title: str, items: list[tuple[str, str, str]], base: str) -> str:
    entries = "\n".join(
        f"""<item><guid isPermaLink="false">{escape(guid)}</guid>
  <title>{escape(headline)}</title><link>{base}/meldung/{escape(guid)}</link>
  <pubDate>Fri, 11 Apr 2025 09:{10 + n:02d}:00 +0200</pubDate>
  <description>{escape(text)}</description>
  <content:encoded><![CDATA[<p>{escape(text)}</p>]]></content:encoded></item>"""
        for n, (guid, headline, text) in enumerate(items)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>{escape(title)}</title><link>{base}/</link>
<description>Pressemitteilungen</description>
{entries}
</channel></rss>"""


def serve(server: FixtureServer, path: str, title: str, items: list[tuple[str, str, str]]) -> str:
    server.add(path, rss(title, items, server.base), "application/rss+xml")
    return server.url(path)


def press_offices(server: FixtureServer) -> tuple[str, str]:
    """Both feeds served; their URLs (city, police)."""
    return (
        serve(server, CITY_PATH, "Stadt Herne", CITY_ITEMS),
        serve(server, POLICE_PATH, "Polizei Bochum", POLICE_ITEMS),
    )
