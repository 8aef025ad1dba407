"""A line break in a feed's HTML (``<br>``: a police report's contact block, an address) is a
hard line break of the Markdown we make, so the reader, ``newsroom show`` and the export keep
the lines; the words stay one search apart as before."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console
from rich.markdown import Markdown

from newsroom_tui.cli import main
from newsroom_tui.extract import extract_fragment, extract_page
from newsroom_tui.ingest.article_build import built_alone
from newsroom_tui.parse.registry import parse_feed
from newsroom_tui.store import ArticleFilter, FeedUpdate, SQLiteStore
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.body_preview import preview_text
from newsroom_tui.ui.markdown_lines import render_markdown
from newsroom_tui.ui.widgets.article_body import ArticleBody
from tests.pilot_waits import pane_shown, until

CONTACT = [
    "Polizei Bochum",
    "Pressestelle",
    "Telefon: 0234 909-1021",
    "E-Mail: pressestelle.bochum@polizei.nrw.de",
    "https://bochum.polizei.nrw",
]
REPORT = (
    "<p>Am Montagabend brachen Unbekannte in ein Geschäft an der Kortumstraße ein. "
    "Hinweise nimmt das Kriminalkommissariat 34 entgegen.</p>"
    "<p>Rückfragen bitte an:</p>"
    "<p>Polizei Bochum<br/>Pressestelle<br/>Telefon: 0234 909-1021<br/>"
    "E-Mail: pressestelle.bochum@polizei.nrw.de<br/>"
    '<a href="https://bochum.polizei.nrw">https://bochum.polizei.nrw</a></p>'
)
MARKDOWN = (
    "Am Montagabend brachen Unbekannte in ein Geschäft an der Kortumstraße ein. "
    "Hinweise nimmt das Kriminalkommissariat 34 entgegen.\n\n"
    "Rückfragen bitte an:\n\n"
    "Polizei Bochum\\\nPressestelle\\\nTelefon: 0234 909-1021\\\n"
    "E-Mail: pressestelle.bochum@polizei.nrw.de\\\n"
    "[https://bochum.polizei.nrw](https://bochum.polizei.nrw)"
)
RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Polizei Bochum</title><link>https://bochum.polizei.nrw</link>
<item><title>POL-BO: Einbruch in Geschäft an der Kortumstraße</title>
  <link>https://www.presseportal.de/blaulicht/pm/11530/1</link><guid>pol-bo-1</guid>
  <pubDate>Tue, 08 Dec 2026 07:45:00 +0100</pubDate>
  <description><![CDATA[{REPORT}]]></description></item>
</channel></rss>"""
WHEN = datetime(2026, 12, 8, 7, 0, tzinfo=UTC)


def _lines_from(lines: list[str]) -> list[str]:
    """As many of ``lines`` as the contact block has, from the one holding its first line."""
    start = next(i for i, line in enumerate(lines) if CONTACT[0] in line)
    return [line.strip() for line in lines[start : start + len(CONTACT)]]


def test_a_break_is_a_hard_line_break_and_a_trailing_one_none() -> None:
    assert extract_fragment(REPORT).body_markdown == MARKDOWN
    # nothing after the last break, or nothing but spaces between two: no empty lines
    page = extract_fragment("<p>Stadt Herne<br> <br>Pressestelle<br></p><h2>Kontakt<br>Amt</h2>")
    assert page.body_markdown == "Stadt Herne\\\nPressestelle\n\n## Kontakt Amt"
    html = f"<html><body><article><h1>Einbruch</h1>{REPORT * 3}</article></body></html>"
    assert "Polizei Bochum\\\nPressestelle\\\n" in extract_page(html).body_markdown


def test_rich_draws_each_line_of_the_block_on_a_line_of_its_own() -> None:
    console = Console(width=80, record=True)
    console.print(Markdown(MARKDOWN))
    assert _lines_from(console.export_text().splitlines()) == CONTACT
    shown = [line.text for line in render_markdown(MARKDOWN, 80)]
    assert _lines_from(shown) == CONTACT


def test_the_first_frames_plain_preview_keeps_the_lines_too() -> None:
    assert _lines_from(preview_text(MARKDOWN).plain.splitlines()) == CONTACT
    quoted = preview_text(
        "> Stadt Herne\\\n> Pressestelle\n\n- Rathaus\\\n  Friedrich-Ebert-Platz 2"
    )
    assert quoted.plain == "▌ Stadt Herne\n▌ Pressestelle\n\n• Rathaus\n  Friedrich-Ebert-Platz 2"


def _stored(store: SQLiteStore) -> None:
    feed, _ = store.add_feed("https://bochum.polizei.nrw/rss")
    entries = parse_feed(RSS.encode(), "https://bochum.polizei.nrw/rss").entries
    articles = [built_alone(entry, None, lazy=store.lazy_bodies) for entry in entries]
    store.save_feed_update(feed.id, FeedUpdate(polled_at=WHEN, articles=articles))


async def test_the_reader_shows_the_contact_block_line_by_line(
    store: SQLiteStore, tmp_path: Path
) -> None:
    _stored(store)
    app = NewsroomApp(store, poll_on_start=False, export_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pane_shown(pilot)
        body = app.query_one(ArticleBody)
        await until(
            pilot,
            lambda: any(CONTACT[0] in line.text for line in body.lines),
            what="the body drawn",
        )
        shown = _lines_from([line.text for line in body.lines])
        assert shown == [*CONTACT[:-1], f"{CONTACT[-1]} [2]"]  # (the link's number)
        await pilot.press("e")
        await until(pilot, lambda: any(tmp_path.glob("*.md")), what="the export")
    (exported,) = tmp_path.glob("*.md")
    assert MARKDOWN in exported.read_text("utf-8")


def test_show_prints_the_lines_and_search_finds_across_them(
    store: SQLiteStore, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _stored(store)
    (article,) = store.articles(ArticleFilter(search="Pressestelle Telefon"))
    assert store.articles(ArticleFilter(search="Bochum Pressestelle Telefon 0234"))
    store.close()
    assert main(["--data-dir", str(data_dir), "show", str(article.id)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert _lines_from(out) == [
        *CONTACT[:-1],
        "[https://bochum.polizei.nrw](https://bochum.polizei.nrw)",
    ]
