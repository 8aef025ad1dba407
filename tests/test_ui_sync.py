"""The reader with a sync account: it starts from the cache whatever the server does, and its
poll syncs the account (pull, and the changes made in the reader pushed)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from textual.widgets import Static

from newsroom_tui.store import open_store
from newsroom_tui.ui import language
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.widgets.article_list import ArticleList
from tests.pilot_waits import until
from tests.sync_server import SyncServer
from tests.test_sync_fetch import _secret_in_file, desk, fetch_json, log_in

__all__ = ["_secret_in_file"]  # the fixture: the secret in its file, no keyring


def first_fetch(data_dir: Path, capsys: pytest.CaptureFixture[str], server: SyncServer, way: str):
    """Log in and fetch once, as from the shell (the commands run their own event loop)."""
    log_in(data_dir, capsys, server, way)
    assert fetch_json(data_dir, capsys)[0] == 0


def status_text(app: NewsroomApp) -> str:
    content = app.query_one("#status", Static).render()
    return str(content.plain if hasattr(content, "plain") else content)


@pytest.mark.parametrize(
    ("size", "lang"), [((80, 24), "C.UTF-8"), ((200, 50), "C.UTF-8"), ((80, 24), "de_DE.UTF-8")]
)
async def test_the_reader_opens_from_the_cache_with_the_server_down(
    data_dir: Path, capsys: pytest.CaptureFixture[str], size: tuple[int, int], lang: str
) -> None:
    server = SyncServer("freshrss").start()
    desk(server)
    await asyncio.to_thread(first_fetch, data_dir, capsys, server, "freshrss")
    server.stop()
    store = open_store(data_dir)
    language.use_language({"LANG": lang})
    app = NewsroomApp(store)
    try:
        async with app.run_test(size=size) as pilot:
            await until(pilot, lambda: app.query_one(ArticleList).row_count == 4, what="cache")
            await until(pilot, lambda: "OFFLINE" in status_text(app), what="the poll's end")
            await app.workers.wait_for_complete()
            await pilot.pause()
            bar = app.reader.status
            visible = status_text(app)[: bar.content_region.width]
            # the account is named, at any width, and the last poll stays whole; it is no
            # feed that failed
            if lang.startswith("de"):
                assert "Sync" in visible and "Feed" not in visible, visible
                assert re.search(r"letzter Abruf \d\d:\d\d$", visible.rstrip()), visible
            else:
                assert "sync account unreachable" in visible, visible
                assert "feed failed" not in visible, visible
            if size[0] >= 200:
                assert "sync with FreshRSS at 127.0.0.1 failed: cannot connect" in visible
            assert app.query_one(ArticleList).row_count == 4
    finally:
        language.use_language({"LANG": "C.UTF-8"})
        store.close()


async def test_the_readers_poll_syncs_the_account(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = SyncServer("miniflux").start()
    try:
        items = desk(server)
        await asyncio.to_thread(first_fetch, data_dir, capsys, server, "miniflux-greader")
        new = server.add_item(
            1, "Polizei Bochum: Vermisste Seniorin wohlbehalten gefunden", "https://p.de/5"
        )
        store = open_store(data_dir)
        unfall = next(a.id for a in store.articles() if a.title.startswith("Verkehrsunfall"))
        store.set_read(unfall, True)  # read in the reader, before the poll
        app = NewsroomApp(store)
        try:
            async with app.run_test(size=(180, 40)) as pilot:
                await until(
                    pilot, lambda: app.query_one(ArticleList).row_count == 5, what="new item"
                )
                await app.workers.wait_for_complete()
        finally:
            store.close()
        assert server.items[items["unfall"]].read
        assert not server.items[new].read
    finally:
        server.stop()
