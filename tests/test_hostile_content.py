"""Hostile feed content: terminal escapes, Rich/Textual markup and unsafe links, end to end.

The same hostile feed is served twice: as plain RSS 2.0 (the lxml fast path) and with a
DOCTYPE (which sends it to feedparser), so both parse paths are covered.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from newsroom_tui.cli import main
from newsroom_tui.models import NewArticle
from newsroom_tui.parse.fast_path import parse_fast
from newsroom_tui.parse.registry import parse_feed
from newsroom_tui.store import FeedUpdate, open_store
from newsroom_tui.text.sanitize import clean_text, defuse_links
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.widgets.article_body import ArticleBody
from newsroom_tui.ui.widgets.article_list import ArticleList
from newsroom_tui.ui.widgets.article_pane import ArticleView
from tests.fixture_server import FixtureServer
from tests.pilot_waits import pane_shown

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # write "rm -rf ~" to the clipboard
TITLE_SEQ = "\x1b]0;pwned\x1b\\"  # set the window title
CSI = "\x1b[2J\x1b[31m"  # clear screen, red
C1_CSI = "\x9b1m"
BIDI = "\u202e"
BEL = "\x07"
CONTROL = ("\x1b", "\x07", "\x9b", "\x9d", "\u202e", "\u2066", "\x00")
MARKUP = "[bold]fett[/bold] [link=file:///etc/passwd]x[/link] [@click=app.quit]q[/] [/"


def hostile_feed(base: str, *, raw: bool) -> str:
    """``raw``: ESC and BEL as they are, which makes the XML not well-formed (feedparser's
    lenient parser reads it: what a hostile server would send). Otherwise only what XML
    allows (C1, bidi) plus ESC as an HTML character reference inside the escaped body: the
    lxml fast path reads that document."""
    if raw:
        title = f"Rat{OSC52} beschließt{CSI} Haushalt{BIDI}{BEL} {MARKUP}{C1_CSI}"
        esc = TITLE_SEQ
        credit_tail = "\x1b[8m"
    else:
        title = f"Rat beschließt{C1_CSI} Haushalt{BIDI} {MARKUP}"
        esc = "&amp;#27;]0;pwned&amp;#27;\\&amp;#7;"
        credit_tail = ""
    body = (
        f"&lt;p&gt;Erster Absatz{esc} mit {MARKUP}.&lt;/p&gt;"
        '&lt;p&gt;&lt;a href="javascript:alert(1)"&gt;JS-Link&lt;/a&gt; '
        '&lt;a href="file:///etc/passwd"&gt;Datei-Link&lt;/a&gt; '
        '&lt;a href="http://127.0.0.1/ok"&gt;guter Link&lt;/a&gt;&lt;/p&gt;'
        "&lt;p&gt;[Markdown-Link](file:///etc/shadow) und &amp;lt;smb://server/share&amp;gt;"
        f"{C1_CSI}&lt;/p&gt;"
    )
    credit = f"Foto{C1_CSI}grafin [bold]Anna[/bold]{BIDI}{credit_tail}"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
<title>Presse{BIDI} [red]Kanal[/red]</title>
<item><title>{title}</title>
<link>{base}/a/1.html</link><guid isPermaLink="false">h-1</guid>
<pubDate>Wed, 05 Mar 2025 14:30:00 +0100</pubDate>
<description>{body}</description>
<media:content url="{base}/bild.jpg" medium="image"><media:credit>{credit}</media:credit>
</media:content></item></channel></rss>"""


@pytest.fixture
def hostile(server: FixtureServer) -> FixtureServer:
    server.add("/fast.rss", hostile_feed(server.base, raw=False), "application/rss+xml")
    server.add("/loose.rss", hostile_feed(server.base, raw=True), "application/rss+xml")
    return server


def _walk(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _walk(v)]
    if isinstance(value, list):
        return [s for v in value for s in _walk(v)]
    return []


def _run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_both_parse_paths_take_the_hostile_feed(hostile: FixtureServer) -> None:
    fast = hostile_feed(hostile.base, raw=False).encode()
    loose = hostile_feed(hostile.base, raw=True).encode()
    assert parse_fast(fast, "http://127.0.0.1/f", None) is not None
    assert parse_fast(loose, "http://127.0.0.1/f", None) is None
    assert parse_feed(loose, "http://127.0.0.1/f").entries


def test_stored_and_json_output_are_clean(
    hostile: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(data_dir, capsys, "add", hostile.url("/fast.rss"), hostile.url("/loose.rss"))
    code, out, err = _run(data_dir, capsys, "fetch")
    assert code == 0, err
    for text in (out, err):
        assert not any(c in text for c in CONTROL)

    code, out, _ = _run(data_dir, capsys, "list", "--json")
    items = json.loads(out)
    assert len(items) == 2
    feeds = json.loads(_run(data_dir, capsys, "feeds", "--json")[1])
    assert {f["title"] for f in feeds} == {"Presse [red]Kanal[/red]"}
    for item in items:
        # C1 CSI (0x9b) reads as cp1252 "›", as feedparser reads it: harmless text
        assert item["title"].startswith("Rat beschließt") and MARKUP in item["title"]
        assert "pwned" not in item["title"] and "52;" not in item["title"]
        code, out, _ = _run(data_dir, capsys, "show", str(item["id"]), "--json")
        assert code == 0
        shown = json.loads(out)
        strings = _walk(shown) + _walk(item)
        assert not any(c in s for s in strings for c in CONTROL), strings
        body = shown["body_markdown"]
        assert "[bold]fett[/bold]" in body  # markup kept as text
        assert "[guter Link](http://127.0.0.1/ok)" in body
        for unsafe in ("javascript:", "file:///etc/passwd)", "](file:", "<smb:"):
            assert unsafe not in body, body
        assert "JS-Link" in body and "Datei-Link" in body and "Markdown-Link" in body
        assert shown["credits"] == [{"credit": "Foto›1mgrafin [bold]Anna[/bold]", "count": 1}]
        assert "pwned" not in body
        code, text, _ = _run(data_dir, capsys, "show", str(item["id"]))
        assert not any(c in text for c in CONTROL)


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("[a](file:///etc/passwd)", "a"),
        ("![bild](file:///x.jpg)", "bild"),
        ("[a \\[b\\]](javascript:alert(1)) z", "a \\[b\\] z"),
        ("[w](https://de.wikipedia.org/wiki/A_(B))", "[w](https://de.wikipedia.org/wiki/A_(B))"),
        ("[m](mailto:presse@example.org)", "[m](mailto:presse@example.org)"),
        ("[y](  <smb://x/y>  'title')", "y"),
        ("<file:///etc/passwd> <https://ok.example>", "`file:///etc/passwd` <https://ok.example>"),
        ("[r]: ssh://host\n\n[r]", "\\[r\\]: ssh://host\n\n[r]"),
        ("[rel](seite.html)", "[rel](seite.html)"),
    ],
)
def test_defuse_links(markdown: str, expected: str) -> None:
    assert defuse_links(markdown) == expected


def _hostile_article() -> NewArticle:
    from newsroom_tui.models import GalleryItem

    return NewArticle(
        guid="m",
        url="http://127.0.0.1/m",
        title=clean_text(f"{MARKUP} Titel{OSC52}"),
        published=None,
        # As a cache written before links were defused at ingest could hold it:
        body_markdown=f"Text mit {MARKUP}.\n\n[Datei](file:///etc/passwd) "
        "[gut](http://127.0.0.1/gut)",
        gallery=[GalleryItem("http://127.0.0.1/b.jpg", "[i]Bild[/i]", "[b]Anna[/b]")],
    )


async def test_tui_shows_markup_literally_and_opens_no_unsafe_link(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    store = open_store(data_dir)
    feed, _ = store.add_feed("http://127.0.0.1/feed", title="[blink]Kanal[/blink]")
    store.save_feed_update(
        feed.id, FeedUpdate(polled_at=datetime.now(UTC), articles=[_hostile_article()])
    )
    app = NewsroomApp(store, poll_on_start=False)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=(140, 40)) as pilot:
        await pane_shown(pilot)
        assert app.query_one(ArticleList).row_count == 1
        meta = app.query_one("#meta", Static).render()
        meta_text = str(getattr(meta, "plain", meta))
        assert f"{MARKUP} Titel" in meta_text
        await pilot.press("enter")
        await pilot.pause()
        await pilot.click("#meta")  # a [@click=...] that were markup would run here
        await pilot.pause()
        assert app.is_running
        body = app.query_one("#body", ArticleBody)
        view = app.query_one(ArticleView)
        # The unsafe link is plain text now: clicking where it would be does nothing; and
        # should a click on some other non-http link arrive, it is refused.
        body.post_message(ArticleBody.LinkClicked("file:///etc/passwd"))
        body.post_message(ArticleBody.LinkClicked("javascript:alert(1)"))
        body.post_message(ArticleBody.LinkClicked("http://127.0.0.1/gut"))
        await pilot.pause()
        assert opened == ["http://127.0.0.1/gut"]
        assert view.article is not None
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "&#27;" not in svg
        assert "[bold]fett[/bold]" in svg.replace("&#160;", " ")
        assert "[b]Anna[/b]" in svg.replace("&#160;", " ")
    store.close()
