"""End to end through the CLI against a loopback German municipal press site."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.cli import main
from tests.fixture_server import FEED_PATH, FIXTURES, PAGE_PATHS, FixtureServer


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, out, _ = run(data_dir, capsys, *args, "--json")
    assert code == 0
    return json.loads(out)


@pytest.fixture
def polled(herne: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, out, _ = run(data_dir, capsys, "add", "--force", herne.url(FEED_PATH))
    assert code == 0 and out.startswith("added:")
    code, out, err = run(data_dir, capsys, "fetch")
    assert code == 0, err
    assert out.strip() == "1 feed polled, 3 new articles, 0 failed"
    assert "\r" not in err  # no progress bar when not on a terminal
    return data_dir


def test_list_is_newest_first_with_feed_title(
    polled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = run_json(polled, capsys, "list")
    assert [i["title"] for i in items] == [
        "Straßensperrung an der Bahnhofstraße",
        "Stadtbibliothek verlängert Öffnungszeiten & startet Lesesommer",
        "Kommunales Integrationsmanagement eingeführt",
    ]
    assert {i["feed"] for i in items} == {"Stadt Herne – Pressemeldungen"}
    assert set(items[0]) == {
        *("id", "feed", "url", "title", "published", "read", "flagged", "claimed_by", "done"),
        *("watched", "done_by", "claimed_role", "done_role", "story"),
    }
    assert items[0]["claimed_by"] is None and items[0]["done"] is False
    assert [i["story"] for i in items] == [i["id"] for i in items]  # each a story of its own
    assert items[0]["claimed_role"] is None  # a database role: the team store's only
    assert items[2]["published"] == "2023-05-09T10:15:00+02:00"
    assert not any(i["read"] for i in items)
    limited = run_json(polled, capsys, "list", "--limit", "1")
    assert [i["id"] for i in limited] == [items[0]["id"]]


def test_show_has_clean_body_and_counted_credits(
    polled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kim = run_json(polled, capsys, "list")[2]
    shown = run_json(polled, capsys, "show", str(kim["id"]))
    body = shown["body_markdown"]
    assert "Stadtteilzentrum Pluto" in body
    assert "Souad Lamroubal" in body
    for junk in (
        "Cookie",
        "eTracker",
        "Homepage / Meldungen",
        "Impressum",
        "Details der Meldungen",
    ):
        assert junk not in body
    assert shown["credits"] == [{"credit": "Thomas Schmidt/Stadt Herne", "count": 6}]
    assert len(shown["gallery"]) == 6
    assert shown["gallery"][0]["caption"] == "Impressionen vom Fachtag."
    assert shown["gallery"][0]["src"].startswith("http://127.0.0.1:")

    code, text, _ = run(polled, capsys, "show", str(kim["id"]))
    assert code == 0
    assert text.startswith("# Kommunales Integrationsmanagement eingeführt")
    assert "Bildnachweis / Photo credits" in text
    assert "- Thomas Schmidt/Stadt Herne ×6" in text
    # the captions are a list of their own, under their heading: after the credits' list
    # with only a blank line between, Markdown made the two one list
    credits, captions = text.split("## Bildunterschriften / Captions\n\n")
    assert credits.rstrip().endswith("- Thomas Schmidt/Stadt Herne ×6")
    assert captions.startswith("- Impressionen vom Fachtag. — © Thomas Schmidt/Stadt Herne")


def test_page_credit_in_figcaption_and_summary_fallback(
    polled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sperrung, bibliothek, _ = run_json(polled, capsys, "list")
    lib = run_json(polled, capsys, "show", str(bibliothek["id"]))
    assert "samstags von 10 bis 14 Uhr" in lib["body_markdown"]
    assert [c["credit"] for c in lib["credits"]] == ["Frank Dieper/Stadt Herne"]
    gone = run_json(polled, capsys, "show", str(sperrung["id"]))  # its page answers 404
    assert "Kanalarbeiten" in gone["body_markdown"]
    assert gone["credits"] == []


def test_second_poll_gets_304_and_fetches_no_page_again(
    polled: Path, herne: FixtureServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(polled, capsys, "fetch")
    assert code == 0
    assert out.strip() == "1 feed polled, 0 new articles, 0 failed"
    assert herne.requests_for(FEED_PATH) == [200, 304]
    assert herne.requests_for(PAGE_PATHS["kim"]) == [200]
    assert herne.requests_for(PAGE_PATHS["bibliothek"]) == [200]
    assert herne.requests_for(PAGE_PATHS["sperrung"]) == [404]


def test_changed_feed_fetches_only_new_pages(
    polled: Path, herne: FixtureServer, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = herne.routes[FEED_PATH].body.decode()
    extra = """<item><title>Neue Meldung</title><link>{base}/neu.html</link>
      <guid>neu-1</guid><pubDate>Mon, 01 Sep 2025 08:00:00 +0200</pubDate>
      <description>Kurz.</description></item>""".replace("{base}", herne.base)
    herne.add(FEED_PATH, feed.replace("</channel>", extra + "</channel>"), "application/rss+xml")
    herne.add(
        "/neu.html", "<html><body><article><h1>Neu</h1><p>Ganz neu.</p></article></body></html>"
    )
    code, out, _ = run(polled, capsys, "fetch")
    assert code == 0 and "1 new article," in out
    assert herne.requests_for("/neu.html") == [200]
    assert herne.requests_for(PAGE_PATHS["kim"]) == [200]


def test_offline_poll_fails_cleanly_and_keeps_cache(
    polled: Path, herne: FixtureServer, capsys: pytest.CaptureFixture[str]
) -> None:
    herne.stop()
    code, out, err = run(polled, capsys, "fetch")
    assert code == 1
    assert "(offline?)" in out
    assert "cannot connect" in err and "Traceback" not in err
    assert len(run_json(polled, capsys, "list")) == 3
    (feed,) = run_json(polled, capsys, "feeds")
    assert feed["error"].startswith("cannot connect")
    assert feed["last_polled"] is not None


def test_broken_feed_fails_alone(
    herne: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    herne.add("/kaputt.rss", "<html><body>Wartungsarbeiten</body></html>")
    run(
        data_dir,
        capsys,
        "add",
        "--force",
        herne.url("/kaputt.rss"),
        herne.url("/fehlt.rss"),
        herne.url(FEED_PATH),
    )
    code, out, err = run(data_dir, capsys, "fetch")
    assert code == 1
    assert out.strip() == "3 feeds polled, 3 new articles, 2 failed"
    assert f"failed: {herne.url('/kaputt.rss')}: not a feed" in err
    assert f"failed: {herne.url('/fehlt.rss')}: HTTP 404 Not Found" in err
    code, out, _ = run(data_dir, capsys, "fetch", "--json")
    result = json.loads(out)
    assert code == 1
    assert result["new_articles"] == 0 and len(result["failed"]) == 2


def test_add_rejects_non_http(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(data_dir, capsys, "add", "file:///etc/passwd")
    assert code == 2 and "not an http(s) URL" in err
    assert run_json(data_dir, capsys, "feeds") == []


def test_remove(herne: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(data_dir, capsys, "add", herne.url(FEED_PATH))
    assert run(data_dir, capsys, "remove", herne.url(FEED_PATH))[0] == 0
    assert run(data_dir, capsys, "remove", herne.url(FEED_PATH))[0] == 1


def test_show_unknown_id(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(data_dir, capsys, "show", "999")
    assert code == 1 and err.strip() == "newsroom: no article with ID 999"


def test_extract_file_and_url(
    herne: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = FIXTURES / "pages" / "herne-meldung.html"
    from_file = run_json(data_dir, capsys, "extract", str(page))
    assert from_file["title"] == "Kommunales Integrationsmanagement eingeführt"
    assert from_file["published"].startswith("2023-05-09")
    assert from_file["credits"] == [{"credit": "Thomas Schmidt/Stadt Herne", "count": 6}]
    from_url = run_json(data_dir, capsys, "extract", herne.url(PAGE_PATHS["kim"]))
    assert from_url["url"] == herne.url(PAGE_PATHS["kim"])
    assert from_url["body_markdown"] == from_file["body_markdown"]
    code, _, err = run(data_dir, capsys, "extract", str(page.with_name("missing.html")))
    assert code == 1 and "cannot read" in err


def test_corrupt_cache_is_one_line_error(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "newsroom.sqlite3").write_text("kaputt" * 1000)
    code, out, err = run(data_dir, capsys, "list")
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "newsroom.sqlite3" in err


def test_data_dir_from_environment(
    herne: FixtureServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NEWSROOM_DATA_DIR", str(tmp_path / "env-dir"))
    assert main(["add", herne.url(FEED_PATH)]) == 0
    assert (tmp_path / "env-dir" / "newsroom.sqlite3").exists()


def test_search_and_flagged_filters(polled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsroom_tui.store import open_store

    found = run_json(polled, capsys, "search", "Öffnungszeiten")
    assert [i["title"][:16] for i in found] == ["Stadtbibliothek "]
    by_credit = run_json(polled, capsys, "search", "thomas schmidt")
    assert [i["title"] for i in by_credit] == ["Kommunales Integrationsmanagement eingeführt"]
    assert run_json(polled, capsys, "list", "--flagged") == []
    store = open_store(polled)
    store.set_flagged(by_credit[0]["id"])
    store.set_read(by_credit[0]["id"])
    store.close()
    flagged = run_json(polled, capsys, "list", "--flagged")
    assert [(i["id"], i["flagged"], i["read"]) for i in flagged] == [
        (by_credit[0]["id"], True, True)
    ]
    assert len(run_json(polled, capsys, "list", "--unread")) == 2
    code, out, _ = run(polled, capsys, "search", "schmidt")
    assert code == 0 and "Kommunales Integrationsmanagement eingeführt" in out


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    from newsroom_tui import __version__

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"newsroom {__version__}"
    for command in ("add", "fetch", "list", "search", "show", "import-opml", "config"):
        with pytest.raises(SystemExit) as exit_info:
            main([command, "--help"])
        assert exit_info.value.code == 0
        assert capsys.readouterr().out.startswith(f"usage: newsroom {command}")


def test_add_with_category_and_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    added = run_json(data_dir, capsys, "add", "--category", "Agenturen", "http://127.0.0.1:9/a.xml")
    assert added == [
        {
            "url": "http://127.0.0.1:9/a.xml",
            "added": True,
            "subscribed": "http://127.0.0.1:9/a.xml",
            "kind": "feed",
            "found": "not checked: cannot connect: connection refused by 127.0.0.1",
            "error": None,
        }
    ]
    from newsroom_tui.store import open_store

    store = open_store(data_dir)
    assert store.feeds()[0].category == "Agenturen"
    store.close()


def test_extract_and_show_agree(
    polled: Path, herne: FixtureServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """What `extract --json` says of a page is what the reader stored and shows."""
    shown = run_json(polled, capsys, "show", str(run_json(polled, capsys, "list")[2]["id"]))
    extracted = run_json(polled, capsys, "extract", herne.url(PAGE_PATHS["kim"]))
    assert extracted["body_markdown"] == shown["body_markdown"]
    assert extracted["credits"] == shown["credits"]
    assert extracted["gallery"] == shown["gallery"]


def test_page_without_images(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "ohne-bilder.html"
    page.write_text(
        "<html><body><nav>Start / Meldungen</nav><article><h1>Kurzmeldung</h1>"
        "<p>Meldung vom 12.04.2024</p><p>Das Bürgerbüro schließt früher.</p></article>"
        "</body></html>",
        "utf-8",
    )
    result = run_json(data_dir, capsys, "extract", str(page))
    assert result["gallery"] == [] and result["credits"] == []
    assert "Bürgerbüro schließt früher" in result["body_markdown"]
    code, text, _ = run(data_dir, capsys, "extract", str(page))
    assert code == 0 and "Bildnachweis" not in text


def test_an_address_differing_in_the_case_of_scheme_or_host_is_the_same_feed(
    herne: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The scheme and host of an address are case-insensitive: ``HTTP://127.0.0.1…`` is the
    feed subscribed already, not a second subscription that doubles every article; the path
    keeps its case (it is the server's)."""
    url = herne.url(FEED_PATH)
    assert run(data_dir, capsys, "add", url)[0] == 0
    shouting = url.replace("http://", "HTTP://").replace(FEED_PATH, FEED_PATH)
    code, out, _ = run(data_dir, capsys, "add", shouting)
    assert code == 0 and out.startswith(f"already subscribed: {url}")
    assert [f["url"] for f in run_json(data_dir, capsys, "feeds")] == [url]
    assert run(data_dir, capsys, "remove", shouting)[0] == 0
    assert run_json(data_dir, capsys, "feeds") == []


def test_an_address_typed_without_a_scheme_is_taken_as_https(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``www.herne.de/feed.rss`` as a desk types it from a browser's address bar: https://
    is assumed (it was refused as not an http(s) URL)."""
    added = run_json(data_dir, capsys, "add", "--force", "WWW.Herne.de/Pressemeldungen/Feed.rss")
    assert added[0]["subscribed"] == "https://www.herne.de/Pressemeldungen/Feed.rss"
    assert added[0]["added"] is True
