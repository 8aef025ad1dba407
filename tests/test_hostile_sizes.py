"""Extreme sizes: huge titles, bodies and feeds are bounded at ingest; a 20,000-paragraph
article opens in the reader a chunk at a time. (Speed and memory: bench/, not here.)"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsroom_tui.cli import main
from newsroom_tui.ingest.poll_jobs import MAX_ENTRIES, _newest
from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.models import NewArticle
from newsroom_tui.parse.entries import FeedEntry, ParsedFeed
from newsroom_tui.store import FeedUpdate, SQLiteStore, open_store
from newsroom_tui.text.sanitize import BODY_MAX_CHARS, TITLE_MAX_CHARS, clip, clip_body
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.widgets.article_body import ArticleBody
from newsroom_tui.ui.widgets.article_pane import ArticleView
from tests.fetcher_kinds import poll_client
from tests.fixture_server import FixtureServer
from tests.pilot_waits import pane_shown, until

T0 = datetime(2025, 3, 5, 8, 0, tzinfo=UTC)
__all__ = ["poll_client"]  # a fixture
PARAGRAPH = "Der Rat hat die Sanierung der Brücke beschlossen, die Arbeiten beginnen im Mai."


def item(i: int, *, title: str | None = None, content: str = "") -> str:
    when = (T0 + timedelta(minutes=i)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    extra = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
    return (
        f"<item><title>{title or f'Meldung {i}'}</title><link>http://127.0.0.1/a/{i}</link>"
        f'<guid isPermaLink="false">g{i}</guid><pubDate>{when}</pubDate>'
        f"<description>Kurz {i}.</description>{extra}</item>"
    )


def rss(items: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Groß</title>'
        + "".join(items)
        + "</channel></rss>"
    )


def test_clip_and_clip_body() -> None:
    assert clip("kurz", 10) == "kurz"
    long = clip("x" * 600, TITLE_MAX_CHARS)
    assert len(long) == TITLE_MAX_CHARS and long.endswith("…")
    body = "\n\n".join([PARAGRAPH] * 20)
    cut = clip_body(body, 500)
    assert cut.startswith(PARAGRAPH) and "truncated" in cut
    assert len(cut) < 500 + 120
    head = cut.rsplit("\n\n", 1)[0]
    assert all(p == PARAGRAPH for p in head.split("\n\n"))  # cut between paragraphs
    fenced = clip_body("```\n" + "code\n" * 400, 500)
    assert fenced.split("\n\n*[")[0].count("```") == 2  # the code block is closed
    assert clip_body(body, len(body)) == body


def test_newest_entries_are_kept_in_document_order() -> None:
    entries = [
        FeedEntry(guid=f"g{i}", url=None, title="t", published=T0 + timedelta(minutes=i % 7))
        for i in range(20)
    ] + [FeedEntry(guid="undated", url=None, title="t", published=None)]
    kept = _newest(ParsedFeed("T", entries), limit=5)
    assert kept.total == 21
    assert [e.guid for e in kept.entries] == ["g5", "g6", "g12", "g13", "g19"]
    small = ParsedFeed("T", entries[:3])
    assert _newest(small, limit=5) is small


def test_huge_feed_keeps_the_newest_entries_and_says_so(
    server: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str], poll_client: str
) -> None:
    total = 10 * MAX_ENTRIES
    server.add("/gross.rss", rss([item(i) for i in range(total)]), "application/rss+xml")
    assert main(["--data-dir", str(data_dir), "add", server.url("/gross.rss")]) == 0
    assert main(["--data-dir", str(data_dir), "fetch"]) == 0
    out, err = capsys.readouterr()
    notice = f"only the newest {MAX_ENTRIES:,} of {total:,} entries kept"
    assert f"{MAX_ENTRIES} new articles" in out and notice in err
    store = open_store(data_dir)
    titles = {a.title for a in store.articles()}
    assert len(titles) == MAX_ENTRIES
    assert f"Meldung {total - 1}" in titles and f"Meldung {total - MAX_ENTRIES}" in titles
    assert f"Meldung {total - MAX_ENTRIES - 1}" not in titles
    store.close()

    assert main(["--data-dir", str(data_dir), "feeds", "--json"]) == 0
    (feed,) = json.loads(capsys.readouterr().out)
    assert feed["notice"] == notice and feed["error"] is None
    assert main(["--data-dir", str(data_dir), "feeds"]) == 0
    assert notice in capsys.readouterr().out

    # a newer entry arrives: only it is new; the old ones beyond the cut stay out
    server.add("/gross.rss", rss([item(i) for i in range(total + 1)]), "application/rss+xml")
    assert main(["--data-dir", str(data_dir), "fetch"]) == 0
    out, err = capsys.readouterr()
    assert "1 new article," in out and "only the newest" in err


async def test_huge_title_and_body_are_cut_at_ingest(
    server: FixtureServer, store: SQLiteStore, poll_client: str
) -> None:
    paragraphs = "".join(f"<p>{i}: {PARAGRAPH}</p>" for i in range(20_000))  # ~1.7 MB
    items = [
        item(1, title="Überlang " * 600),  # 5,400 characters
        item(2, title="Lang", content=paragraphs),
    ]
    server.add("/f.rss", rss(items), "application/rss+xml")
    store.add_feed(server.url("/f.rss"))
    report = await poll_feeds(store)
    assert report.new_articles == 2, report.failed
    by_title = {a.title: a for a in store.articles()}
    long_title = next(t for t in by_title if t.startswith("Überlang"))
    assert len(long_title) <= TITLE_MAX_CHARS and long_title.endswith("…")
    article = store.article(by_title["Lang"].id)
    assert article is not None
    assert BODY_MAX_CHARS // 2 < len(article.body_markdown) < BODY_MAX_CHARS + 200
    assert article.body_markdown.startswith(f"0: {PARAGRAPH}")
    assert article.body_markdown.endswith(
        "*[… Text gekürzt / truncated: the article is longer than 1,000,000 characters.]*"
    )


async def test_twenty_thousand_paragraphs_open_a_chunk_at_a_time(data_dir: Path) -> None:
    store = open_store(data_dir)
    feed, _ = store.add_feed("http://127.0.0.1/feed")
    body = "\n\n".join(f"{i}: {PARAGRAPH}" for i in range(20_000))
    store.save_feed_update(
        feed.id,
        FeedUpdate(
            polled_at=T0,
            articles=[NewArticle("g", "http://127.0.0.1/g", "Lang", T0, body_markdown=body)],
        ),
    )
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pane_shown(pilot)
        view = app.query_one(ArticleView)
        assert view.article is not None and view.article.title == "Lang"
        assert not view.fully_rendered  # only the first chunks are rendered
        shown = len(app.query_one("#body", ArticleBody).lines)
        assert 0 < shown < 1_000
        await pilot.press("enter")
        await pilot.press("end")
        # more as one reads
        await until(
            pilot,
            lambda: len(app.query_one("#body", ArticleBody).lines) > shown,
            what="more chunks after End",
        )
        await pilot.press("q")
    store.close()
