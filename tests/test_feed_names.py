"""Feed names the user set (OPML text/title, newsboat "~Name", `newsroom rename`) are kept
over the feed's own title on every poll, in the local cache and the team store alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsroom_tui.store import FeedUpdate, Store
from tests.fixture_server import FEED_PATH, FixtureServer
from tests.test_cli import run
from tests.test_store import T0, article

FEED_TITLE = "Stadt Herne – Pressemeldungen"


def test_a_name_set_is_kept_over_the_feeds_title(any_store: Store) -> None:
    named, _ = any_store.add_feed("http://127.0.0.1/a", "Herne Presse")
    plain, _ = any_store.add_feed("http://127.0.0.1/b")
    for feed in (named, plain):
        any_store.save_feed_update(
            feed.id, FeedUpdate(polled_at=T0, title="Pressemitteilungen", articles=[article("x")])
        )
    by_url = {f.url: f for f in any_store.feeds()}
    assert by_url["http://127.0.0.1/a"].title == "Herne Presse"
    assert by_url["http://127.0.0.1/a"].name_set is True
    assert by_url["http://127.0.0.1/b"].title == "Pressemitteilungen"
    assert any_store.articles()[0].feed in {"Herne Presse", "Pressemitteilungen"}


def test_rename_sets_and_clears_a_name(any_store: Store) -> None:
    feed, _ = any_store.add_feed("http://127.0.0.1/k")
    update = FeedUpdate(polled_at=T0, title="Kultur aktuell")
    any_store.save_feed_update(feed.id, update)
    assert any_store.rename_feed("http://127.0.0.1/k", "Stadt Herne – Kultur")
    any_store.save_feed_update(feed.id, update)
    assert any_store.feeds()[0].title == "Stadt Herne – Kultur"
    assert any_store.rename_feed("http://127.0.0.1/k", None)
    assert any_store.feeds()[0].title == "Stadt Herne – Kultur"  # until the next poll
    any_store.save_feed_update(feed.id, update)
    assert (any_store.feeds()[0].title, any_store.feeds()[0].name_set) == ("Kultur aktuell", False)
    assert not any_store.rename_feed("http://127.0.0.1/nicht-abonniert", "X")


def _titles(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    code, out, _ = run(data_dir, capsys, "feeds", "--json")
    assert code == 0
    feeds = json.loads(out)
    assert all(f["name_set"] is (f["title"] != FEED_TITLE) for f in feeds)
    return [f["title"] for f in feeds]


@pytest.mark.parametrize("kind", ["opml", "newsboat"])
def test_imported_names_survive_polls(
    herne: FixtureServer,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
) -> None:
    url = herne.url(FEED_PATH)
    if kind == "opml":
        path = tmp_path / "abos.opml"
        path.write_text(
            '<?xml version="1.0"?><opml version="2.0"><body>'
            f'<outline text="Herne (Presse)" type="rss" xmlUrl="{url}"/></body></opml>',
            "utf-8",
        )
        command = "import-opml"
    else:
        path = tmp_path / "urls"
        path.write_text(f'{url} "Presse" "~Herne (Presse)"\n', "utf-8")
        command = "import-urls"
    assert run(data_dir, capsys, command, str(path))[0] == 0
    for _ in range(2):
        assert run(data_dir, capsys, "fetch")[0] == 0
        assert _titles(data_dir, capsys) == ["Herne (Presse)"]


def test_rename_command(
    herne: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = herne.url(FEED_PATH)
    assert run(data_dir, capsys, "add", "--force", url)[0] == 0
    assert run(data_dir, capsys, "fetch")[0] == 0
    assert _titles(data_dir, capsys) == [FEED_TITLE]
    code, out, _ = run(data_dir, capsys, "rename", url, "Herne – Presse")
    assert code == 0 and out.strip() == f"renamed: {url}: Herne – Presse"
    assert run(data_dir, capsys, "fetch")[0] == 0
    assert _titles(data_dir, capsys) == ["Herne – Presse"]
    code, out, _ = run(data_dir, capsys, "rename", url, "")
    assert code == 0 and out.startswith("name cleared:")
    assert run(data_dir, capsys, "fetch")[0] == 0
    assert _titles(data_dir, capsys) == [FEED_TITLE]
    code, _, err = run(data_dir, capsys, "rename", "http://127.0.0.1:9/nicht", "X")
    assert code == 1 and err == "newsroom: not subscribed: http://127.0.0.1:9/nicht\n"
    code, _, err = run(data_dir, capsys, "rename", url, "\x1b[31m")
    assert code == 2 and err.count("\n") == 1 and "\x1b" not in err
