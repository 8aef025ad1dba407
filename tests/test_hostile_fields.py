"""URLs and names are text from the network too: every one is cleaned or refused where it
enters (feeds, OPML, newsboat urls files, the command line), by one rule
(:func:`newsroom_tui.text.sanitize.clean_url`, :func:`newsroom_tui.text.sanitize.clean_name`).

The hostile feeds and subscription lists are written here and served from the loopback
fixture server; what comes out of ``show``, ``show --json``, ``list --json``,
``feeds --json``, the exported OPML and the reader's clipboard (``y``) is checked.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsroom_tui.cli import main
from newsroom_tui.ingest.opml import parse_newsboat_urls, parse_opml
from newsroom_tui.store import FeedUpdate, SQLiteStore, open_store
from newsroom_tui.text.sanitize import clean_category, clean_name, clean_url
from newsroom_tui.ui.app import NewsroomApp
from tests.fixture_server import FixtureServer

# Characters that must never come out: ESC, BEL, NUL, C1 (CSI, OSC, ST, NEL), DEL, bidi
# overrides and isolates, invisible marks.
FORBIDDEN = (
    "\x1b", "\x07", "\x00", "\x08", "\x7f", "\x85", "\x9b", "\x9c", "\x9d", "\x90",
    "\u202e", "\u202d", "\u2066", "\u2067", "\u2069", "\u200e", "\u200f", "\u061c", "\ufeff",
)  # fmt: skip
# What the payloads would leave behind had only their introducer been dropped.
PAYLOADS = ("52;c;", "]8;;", "0;pwned", "[2J", "Pq#0")

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # writes "rm -rf ~" to the clipboard
OSC8 = "\x1b]8;;https://evil.example/\x1b\\"  # a hidden hyperlink
CSI = "\x1b[2J"  # clears the screen
DCS = "\x1bPq#0;2;0;0;0\x1b\\"  # sixel / device control string


def assert_clean(*texts: str, payloads: bool = True) -> None:
    """No forbidden character in ``texts``; nor, with ``payloads``, what an escape sequence
    would leave behind (an error line may quote a refused value escaped, with repr)."""
    for text in texts:
        bad = [c for c in FORBIDDEN if c in text]
        bad += [p for p in PAYLOADS if p in text] if payloads else []
        assert not bad, f"{bad!r} in {text[:300]!r}"


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


# -- the rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.herne.de/a.html{OSC52}",
        f"https://www.herne.de/{OSC8}a",
        f"https://www.herne.de/{CSI}",
        f"https://www.herne.de/{DCS}",
        "https://www.herne.de/\x9d52;c;eA==\x9c",  # 8-bit OSC, as &#x9d; in XML gives it
        "https://www.herne.de/a\x00b",
        "https://www.herne.de/rechnung\u202efdp.exe",
        "https://www.herne.de/\u2066x\u2069",
        "https://www.herne.de/\u200ba",
        "https://www.herne.de/" + "a" * 5000,
        "",
        "   ",
        None,
    ],
)
def test_hostile_urls_are_refused(url: str | None) -> None:
    assert clean_url(url) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("  https://www.herne.de/presse.rss \n", "https://www.herne.de/presse.rss"),
        ("https://www.herne.de/\n  presse.rss", "https://www.herne.de/%20%20presse.rss"),
        (
            "https://www.herne.de/mitteilungen 2025.rss",
            "https://www.herne.de/mitteilungen%202025.rss",
        ),
        ("https://www.bochum.de/Straßen?q=über", "https://www.bochum.de/Straßen?q=über"),
    ],
)
def test_plausible_urls_are_kept(url: str, expected: str) -> None:
    assert clean_url(url) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (f"Pol{OSC52}itik", "Politik"),
        (f"Kultur{CSI} und {DCS}Freizeit", "Kultur und Freizeit"),
        ("Stadt\x9d0;pwned\x9c Herne", "Stadt Herne"),
        ("Anna\u202e Schmidt\x00", "Anna Schmidt"),
        ("Presse\tund\nMedien\u2028", "Presse und Medien"),
        ("\x1b[31m", None),
        ("\u202e", None),
        ("Wirtschaft", "Wirtschaft"),
    ],
)
def test_names_are_cleaned(name: str, expected: str | None) -> None:
    assert clean_name(name) == expected


def test_category_levels_are_cleaned_each() -> None:
    assert clean_category(f"Politik/{CSI}/Land\u202e/") == "Politik/Land"
    assert clean_category("\x1b]52;c;x\x07") is None


# -- feeds ---------------------------------------------------------------------------------


def _content(text: str, base: str, image: str) -> str:
    """Escaped HTML of a full article (long enough to need no page fetch)."""
    para = f"{text} Der Rat der Stadt hat am Dienstag darüber beraten und abgestimmt. " * 5
    return (
        f"&lt;p&gt;{para}&lt;/p&gt;&lt;figure&gt;&lt;img src=&quot;{image}&quot;&gt;"
        "&lt;figcaption&gt;Das Rathaus (Foto: Stadt Herne)&lt;/figcaption&gt;&lt;/figure&gt;"
    )


def wellformed_feed(base: str) -> str:
    """RSS 2.0 that lxml reads (the fast path): C1 and bidi as character references."""
    items = [
        ("Stadtrat beschließt Radweg", f"{base}/artikel/radweg.html", f"{base}/bilder/rad.jpg"),
        ("Haushalt vorgelegt", f"{base}/artikel/haushalt.html&#x9d;52;c;cm0=&#x9c;", ""),
        ("Rechnung online", f"{base}/artikel/rechnung&#x202e;lmth.exe", ""),
        ("Neue Kita eröffnet", f"{base}/artikel/kita.html", f"{base}/bilder/kita.jpg&#x9d;"),
    ]
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        f'<guid isPermaLink="false">herne-{n}&#x9b;2J</guid>'
        f"<pubDate>Tue, 04 Mar 2025 1{n}:00:00 +0100</pubDate>"
        f"<description>Kurz: {title}.</description>"
        f"<content:encoded>{_content(title, base, image or f'{base}/bilder/{n}.jpg')}"
        "</content:encoded>"
        f'<media:content url="{base}/bilder/media-{n}&#x9d;.jpg" medium="image"/></item>'
        for n, (title, link, image) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        f"<title>Stadt Herne &#x202e;Presse&#x9d;0;pwned</title><link>{base}/</link>"
        f"{body}</channel></rss>"
    )


def raw_feed(base: str) -> str:
    """RSS with raw escape sequences and NUL (not XML any more: feedparser's lenient parser
    reads it, as it would from a hostile server)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>Bochum{OSC52} Aktuell{CSI}</title>"
        f"<item><title>Baustelle A40</title><link>{base}/bochum/a40.html{OSC52}</link>"
        f"<description>{_content('Baustelle', base, base + '/b/a40.jpg' + OSC8)}</description>"
        "</item>"
        f"<item><title>Theater{DCS} Premiere</title><link>{base}/bochum/{OSC8}theater.html</link>"
        f"<description>{_content('Premiere', base, base + '/b/t.jpg')}</description></item>"
        f"<item><title>Sperrung\x00 Ruhrstraße</title><link>{base}/bochum/ruhr\x00.html</link>"
        f"<description>{_content('Sperrung', base, base + '/b/r.jpg')}</description></item>"
        f"<item><title>Wochenmarkt verlegt</title><link>{base}/bochum/markt.html</link>"
        f"<description>{_content('Wochenmarkt', base, base + '/b/markt.jpg')}</description>"
        "</item></channel></rss>"
    )


def atom_feed(base: str) -> str:
    """Atom 1.0 (links in ``href``), read by the fast path."""
    entry = (
        "<entry><title>{title}</title><id>urn:gelsenkirchen:{n}</id>"
        '<link rel="alternate" type="text/html" href="{href}"/>'
        "<updated>2025-03-04T09:00:00+01:00</updated>"
        "<summary>Kurzmeldung aus Gelsenkirchen: {title}.</summary></entry>"
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Gelsenkirchen&#x2067; Rathaus</title><id>urn:gelsenkirchen</id>"
        "<updated>2025-03-04T09:00:00+01:00</updated>"
        + entry.format(n=1, title="Sperrmüll online", href=f"{base}/ge/sperr&#x9d;8;;x.html")
        + entry.format(n=2, title="Bürgerbüro geöffnet", href=f"{base}/ge/buero.html")
        + "</feed>"
    )


@pytest.fixture
def hostile(server: FixtureServer) -> FixtureServer:
    server.add("/herne.rss", wellformed_feed(server.base), "application/rss+xml")
    server.add("/bochum.rss", raw_feed(server.base), "application/rss+xml")
    server.add("/ge.atom", atom_feed(server.base), "application/atom+xml")
    # Summary-only entries with a link have their page fetched: a plain healthy one.
    server.add(
        "/ge/buero.html",
        "<html><head><title>Bürgerbüro geöffnet</title></head><body><article>"
        "<h1>Bürgerbüro geöffnet</h1>"
        + "<p>Das Bürgerbüro im Hans-Sachs-Haus ist ab Montag wieder geöffnet.</p>" * 5
        + "</article></body></html>",
    )
    return server


FEEDS = ("/herne.rss", "/bochum.rss", "/ge.atom")


def test_hostile_urls_and_names_never_come_out(
    hostile: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(data_dir, capsys, "add", *map(hostile.url, FEEDS))
    code, out, err = run(data_dir, capsys, "fetch")
    assert code == 0, err
    assert_clean(out, err)

    code, out, _ = run(data_dir, capsys, "list", "--json")
    listed = json.loads(out)
    assert_clean(out, *strings(listed))
    links = {item["title"]: item["url"] for item in listed}
    base = hostile.base
    # Every entry is stored; the healthy links whole, the hostile ones refused (no link).
    assert links == {
        "Stadtrat beschließt Radweg": f"{base}/artikel/radweg.html",
        "Haushalt vorgelegt": None,
        "Rechnung online": None,
        "Neue Kita eröffnet": f"{base}/artikel/kita.html",
        "Baustelle A40": None,
        "Theater Premiere": None,
        "Sperrung Ruhrstraße": None,
        "Wochenmarkt verlegt": f"{base}/bochum/markt.html",
        "Sperrmüll online": None,
        "Bürgerbüro geöffnet": f"{base}/ge/buero.html",
    }
    assert_clean(run(data_dir, capsys, "list")[1])

    code, out, _ = run(data_dir, capsys, "feeds", "--json")
    feeds = json.loads(out)
    assert_clean(out, *strings(feeds))
    assert {f["title"] for f in feeds} == {
        "Stadt Herne Presse",
        "Bochum Aktuell",
        "Gelsenkirchen Rathaus",
    }
    assert_clean(run(data_dir, capsys, "feeds")[1])

    galleries = []
    for item in listed:
        code, out, _ = run(data_dir, capsys, "show", str(item["id"]), "--json")
        assert code == 0
        shown = json.loads(out)
        assert_clean(out, *strings(shown))
        galleries += [image["src"] for image in shown["gallery"]]
        code, text, _ = run(data_dir, capsys, "show", str(item["id"]))
        assert code == 0 and item["title"] in text
        assert_clean(text)
    # Clean image addresses stay, hostile ones (C1 in the address, in media:content) go.
    assert f"{base}/bilder/rad.jpg" in galleries
    assert f"{base}/b/markt.jpg" in galleries
    assert not any("kita.jpg" in src or "/media-" in src for src in galleries)

    code, opml, _ = run(data_dir, capsys, "export-opml")
    assert code == 0
    assert_clean(opml)
    assert len(parse_opml(opml.encode()).subscriptions) == 3


def test_copy_link_hands_the_clipboard_only_clean_links(
    hostile: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(data_dir, capsys, "add", *map(hostile.url, FEEDS))
    assert run(data_dir, capsys, "fetch")[0] == 0
    store = open_store(data_dir)
    try:
        copied = asyncio.run(_copy_links(store))
    finally:
        store.close()
    base = hostile.base
    assert copied == {
        "radweg": ("Stadtrat beschließt Radweg", f"{base}/artikel/radweg.html"),
        "haushalt": ("Haushalt vorgelegt", ""),  # the link was refused: nothing copied
        "rechnung": ("Rechnung online", ""),
        "baustelle": ("Baustelle A40", ""),
        "theater": ("Theater Premiere", ""),
        "wochenmarkt": ("Wochenmarkt verlegt", f"{base}/bochum/markt.html"),
    }


async def _copy_links(store: SQLiteStore) -> dict[str, tuple[str | None, str]]:
    """What ``y`` puts in the clipboard (the text Textual wraps in OSC 52) for each search."""
    app = NewsroomApp(store, poll_on_start=False)
    copied: dict[str, tuple[str | None, str]] = {}
    async with app.run_test(size=(130, 40)) as pilot:
        for query in ("radweg", "haushalt", "rechnung", "baustelle", "theater", "wochenmarkt"):
            app.copy_to_clipboard("")
            await pilot.press("slash", *query, "enter")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            article = app.reader.target  # the article y acted on
            shown = article.title if article else None
            copied[query] = (shown, app.clipboard)
            await pilot.press("escape")
    return copied


# -- subscription lists and the command line ------------------------------------------------


def healthy_feed(base: str, name: str, title: str) -> str:
    items = "".join(
        f"<item><title>{title}: Meldung {n}</title><link>{base}/{name}/{n}.html</link>"
        f"<guid>{base}/{name}/{n}.html</guid><pubDate>Tue, 04 Mar 2025 0{n}:00:00 +0100</pubDate>"
        f"<description>{_content(f'Meldung {n}', base, f'{base}/{name}/{n}.jpg')}</description>"
        "</item>"
        for n in range(3)
    )
    head = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
    return f"{head}{items}</channel></rss>"


def hostile_opml(base: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Presse</title></head><body>
<outline text="Politik&#x9d;52;c;cm0=&#x9c;" title="Politik&#x9d;52;c;cm0=&#x9c;">
  <outline type="rss" text="Herne &#x202e;Presse" xmlUrl="{base}/herne.rss"/>
  <outline type="rss" text="Falle" xmlUrl="{base}/falle.rss&#x9d;52;c;cm0=&#x9c;"/>
  <outline type="rss" text="Umgedreht" xmlUrl="{base}/&#x202e;ssr.ffo"/>
</outline>
<outline text="&#x2066;Kultur&#x2069;/Kino&#x85;">
  <outline type="rss" text="Kino&#x9b;2J" xmlUrl="{base}/kino.rss"/>
</outline>
</body></opml>
"""


def hostile_urls(base: str) -> str:
    return (
        f'{base}/herne.rss "Politik{OSC52}" "~Herne{CSI} Presse"\n'
        f'{base}/falle.rss{OSC52} "Politik"\n'
        f"{base}/nul\x00.rss\n"
        f'{base}/kino.rss "Kultur\u202e" "~Kino{CSI}"\n'
    )


@pytest.mark.parametrize("kind", ["import-opml", "import-urls"])
def test_imported_lists_are_cleaned_and_export_imports_again(
    kind: str,
    server: FixtureServer,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = server.base
    server.add("/liste.opml", hostile_opml(base), "text/x-opml")
    server.add("/urls", hostile_urls(base), "text/plain")
    for name, title in (("herne", "Herne Presse"), ("kino", "Kino")):
        server.add(f"/{name}.rss", healthy_feed(base, name, title), "application/rss+xml")
    # The list comes from the network, as a colleague's export would: fetched, then imported.
    source = tmp_path / "liste"
    path = "/liste.opml" if kind == "import-opml" else "/urls"
    source.write_bytes(httpx.get(server.url(path)).content)

    code, out, err = run(data_dir, capsys, kind, str(source))
    assert code == 0, err
    assert_clean(out, err)
    assert out.startswith("2 feeds added, 0 already subscribed, 0 duplicates and 2 entries")

    code, out, _ = run(data_dir, capsys, "feeds", "--json")
    assert_clean(out)
    store = open_store(data_dir)
    try:
        feeds = {f.url: (f.title, f.category) for f in store.feeds()}
    finally:
        store.close()
    for url, (title, category) in feeds.items():
        assert_clean(url, title or "", category or "")
    if kind == "import-opml":
        assert feeds == {
            f"{base}/herne.rss": ("Herne Presse", "Politik"),
            f"{base}/kino.rss": ("Kino", "Kultur/Kino"),
        }
    else:
        assert feeds == {
            f"{base}/herne.rss": ("Herne Presse", "Politik"),
            f"{base}/kino.rss": ("Kino", "Kultur"),
        }

    # The feeds that passed are polled whole.
    code, out, err = run(data_dir, capsys, "fetch")
    assert code == 0, err
    listed = json.loads(run(data_dir, capsys, "list", "--json")[1])
    assert sorted(item["url"] for item in listed) == sorted(
        f"{base}/{name}/{n}.html" for name in ("herne", "kino") for n in range(3)
    )

    exported = tmp_path / "export.opml"
    assert run(data_dir, capsys, "export-opml", str(exported))[0] == 0
    assert_clean(exported.read_text("utf-8"))
    again = parse_opml(exported.read_bytes())
    assert {(s.url, s.title, s.category) for s in again.subscriptions} == {
        (url, title, category) for url, (title, category) in feeds.items()
    }


def test_export_of_an_older_cache_with_raw_fields_imports_again(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cache written before the rule may hold anything: the export still parses."""
    store = open_store(data_dir)
    try:
        store.add_feed("http://127.0.0.1:9/gut.rss", f"Gut{OSC52}\x00", "Politik\x01/Land")
        store.add_feed(f"http://127.0.0.1:9/{OSC52}.rss", "Falle", "Politik")
        feed, _ = store.add_feed("http://127.0.0.1:9/zwei.rss", None, None)
        store.save_feed_update(feed.id, FeedUpdate(polled_at=datetime.now(UTC)))
    finally:
        store.close()
    code, opml, _ = run(data_dir, capsys, "export-opml")
    assert code == 0
    assert_clean(opml)
    found = parse_opml(opml.encode())
    assert {(s.url, s.title, s.category) for s in found.subscriptions} == {
        ("http://127.0.0.1:9/gut.rss", "Gut", "Politik/Land"),
        ("http://127.0.0.1:9/zwei.rss", "http://127.0.0.1:9/zwei.rss", None),
    }


def test_urls_file_parser_refuses_hostile_urls() -> None:
    found = parse_newsboat_urls(hostile_urls("http://127.0.0.1:9"))
    assert [s.url for s in found.subscriptions] == [
        "http://127.0.0.1:9/herne.rss",
        "http://127.0.0.1:9/kino.rss",
    ]
    assert found.without_url == 2


def test_add_refuses_a_hostile_url_in_one_clean_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        data_dir,
        capsys,
        "add",
        "--force",
        f"http://127.0.0.1:9/presse.rss{OSC52}",
        "http://127.0.0.1:9/gut.rss",
        "--category",
        f"Politik{CSI}/\u202eLand",
    )
    assert code == 2  # a malformed URL is bad usage, as any other (#16)
    assert_clean(out)
    assert_clean(err, payloads=False)
    assert len(err.strip().splitlines()) == 1 and "not an http(s) URL" in err
    assert out.strip() == "added: http://127.0.0.1:9/gut.rss"
    store = open_store(data_dir)
    try:
        assert [(f.url, f.category) for f in store.feeds()] == [
            ("http://127.0.0.1:9/gut.rss", "Politik/Land")
        ]
    finally:
        store.close()


@pytest.mark.parametrize(
    "user", [f"anna{OSC52}", "anna\u202e", "ben\x00", "\x1b[2J", "x" * 300, "   "]
)
def test_a_user_name_with_controls_is_refused(
    user: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(data_dir, capsys, "--user", user, "list")
    assert code == 2
    assert out == ""
    assert_clean(err, payloads=False)
    assert len(err.strip().splitlines()) == 1 and "user name" in err
    assert not data_dir.exists()  # refused before anything was opened


def test_a_plain_user_name_claims(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(data_dir)
    try:
        feed, _ = store.add_feed("http://127.0.0.1:9/f.rss")
        from newsroom_tui.models import NewArticle

        store.save_feed_update(
            feed.id,
            FeedUpdate(
                polled_at=datetime.now(UTC),
                articles=[NewArticle("g", None, "Ratssitzung", None)],
            ),
        )
        (article,) = store.articles()
    finally:
        store.close()
    code, out, err = run(data_dir, capsys, "--user", "  Anna   Schmidt ", "claim", str(article.id))
    assert code == 0, err
    assert "claimed by Anna Schmidt" in out


def test_remove_takes_the_url_by_the_same_rule(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(data_dir, capsys, "add", "--force", "http://127.0.0.1:9/presse.rss")
    code, out, err = run(data_dir, capsys, "remove", f"http://127.0.0.1:9/presse.rss{OSC52}")
    assert code == 1 and out == ""
    assert_clean(err, payloads=False)
    assert err.startswith("newsroom: not subscribed: 'http://127.0.0.1:9/presse.rss\\x1b]52;")
    code, out, _ = run(data_dir, capsys, "remove", " http://127.0.0.1:9/presse.rss\n")
    assert code == 0 and out == "removed: http://127.0.0.1:9/presse.rss\n"
