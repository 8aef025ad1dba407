"""``newsroom sync login`` runs the first sync at once (``--no-sync`` skips it): the account's
articles are in the cache before the next poll, and the login prints the sync's one line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsroom_tui.store import open_store
from newsroom_tui.sync.account_file import load_account
from tests.sync_kit import _secret_in_file
from tests.sync_server import SyncServer
from tests.test_sync_fetch import newsroom

__all__ = ["_secret_in_file"]  # the fixture, imported to be found


@pytest.fixture
def herne() -> Iterator[SyncServer]:
    server = SyncServer("freshrss").start()
    server.add_items(server.add_feed("Stadt Herne", "https://www.herne.de/rss.xml"), 3)
    yield server
    server.stop()


def login(
    data_dir: Path, capsys: pytest.CaptureFixture[str], server: SyncServer, *extra: str
) -> tuple[int, str, str]:
    args = ("sync", "login", server.base, "--user", server.user, "--password-stdin", *extra)
    return newsroom(data_dir, capsys, *args, stdin=server.password + "\n")


def titles(data_dir: Path) -> list[str]:
    store = open_store(data_dir)
    try:
        return sorted(a.title for a in store.articles())
    finally:
        store.close()


def test_login_syncs_at_once_and_says_so(
    herne: SyncServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = login(data_dir, capsys, herne)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("logged in: FreshRSS at ")
    assert lines[1:] == ["synced with FreshRSS: 1 feed, 3 new articles"]
    assert titles(data_dir) == [
        f"Meldung {n}: Stadt Herne informiert über Straßensperrung" for n in range(3)
    ]
    saved = load_account(data_dir)
    assert saved is not None and saved.last_sync is not None


def test_no_sync_only_logs_in(
    herne: SyncServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = login(data_dir, capsys, herne, "--no-sync")
    assert code == 0, err
    assert len(out.splitlines()) == 1 and out.startswith("logged in: FreshRSS at ")
    saved = load_account(data_dir)
    assert saved is not None and saved.last_sync is None
    assert not (data_dir / "newsroom.db").exists() or titles(data_dir) == []
