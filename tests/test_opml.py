from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsroom_tui.cli import main
from newsroom_tui.ingest.opml import parse_newsboat_urls, parse_opml
from newsroom_tui.store import ArticleFilter, open_store
from tests.fixture_server import FIXTURES

LISTS = FIXTURES / "lists"


def run_json(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> object:
    assert main(["--data-dir", str(data_dir), *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_nested_opml_becomes_categories() -> None:
    found = parse_opml((LISTS / "redaktion.opml").read_bytes())
    assert [(s.url, s.category) for s in found.subscriptions] == [
        ("https://www.herne.example/feeds/presse.rss", "Städte/Herne"),
        ("https://www.herne.example/feeds/kultur.rss", "Städte/Herne"),
        ("https://www.bochum.example/presse.xml", "Städte"),
        ("https://agentur.example/ruhr.xml", "Agenturen"),
        ("http://127.0.0.1:9/lose.xml", None),
    ]
    assert found.subscriptions[3].title == "Ruhr-Agentur & Partner"
    assert (found.duplicates, found.without_url) == (1, 2)


def test_import_counts_and_export_round_trip(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = run_json(data_dir, capsys, "import-opml", str(LISTS / "redaktion.opml"))
    assert summary == {"added": 5, "already_subscribed": 0, "duplicates": 1, "without_url": 2}
    again = run_json(data_dir, capsys, "import-opml", str(LISTS / "redaktion.opml"))
    assert again["added"] == 0 and again["already_subscribed"] == 5

    exported = tmp_path / "export.opml"
    assert main(["--data-dir", str(data_dir), "export-opml", str(exported)]) == 0
    round_trip = parse_opml(exported.read_bytes())
    original = parse_opml((LISTS / "redaktion.opml").read_bytes())
    key = sorted((s.url, s.title, s.category) for s in original.subscriptions)
    assert sorted((s.url, s.title, s.category) for s in round_trip.subscriptions) == key
    assert (round_trip.duplicates, round_trip.without_url) == (0, 0)

    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "export-opml"]) == 0
    assert capsys.readouterr().out.startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_category_filter_covers_nested_categories(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(data_dir, capsys, "import-opml", str(LISTS / "redaktion.opml"))
    store = open_store(data_dir)
    by_url = {f.url: f for f in store.feeds()}
    assert by_url["https://www.bochum.example/presse.xml"].category == "Städte"
    from datetime import UTC, datetime

    from newsroom_tui.models import NewArticle
    from newsroom_tui.store import FeedUpdate

    when = datetime(2025, 1, 1, tzinfo=UTC)
    for url, feed in by_url.items():
        store.save_feed_update(
            feed.id, FeedUpdate(polled_at=when, articles=[NewArticle(url, url, url, when)])
        )
    assert store.count_articles(ArticleFilter(category="Städte")) == 3
    assert store.count_articles(ArticleFilter(category="Städte/Herne")) == 2
    assert store.count_articles(ArticleFilter(category="Agenturen")) == 1
    assert store.count_articles(ArticleFilter(category="Städ")) == 0
    store.close()


def test_newsboat_urls_file() -> None:
    found = parse_newsboat_urls((LISTS / "newsboat-urls").read_text("utf-8"))
    assert [(s.url, s.title, s.category) for s in found.subscriptions] == [
        ("https://www.herne.example/feeds/presse.rss", "Herne Presse", "Lokal"),
        ("https://agentur.example/ruhr.xml", None, "Agentur"),
        ("https://www.bochum.example/presse.xml", None, None),
    ]
    assert (found.duplicates, found.without_url) == (1, 1)


def test_bad_files_are_one_line_errors(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_text("<html><body>kein OPML</body></html>")
    assert main(["--data-dir", str(data_dir), "import-opml", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not OPML" in err
    xxe = tmp_path / "xxe.opml"
    xxe.write_text(
        '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<opml version="2.0"><body><outline text="&x;" xmlUrl="http://127.0.0.1:9/f"/>'
        "</body></opml>"
    )
    assert main(["--data-dir", str(data_dir), "import-opml", str(xxe)]) == 1  # refused
    assert "external entity" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir), "import-opml", str(tmp_path / "none")]) == 1
