"""Another process writing the SQLite cache while the reader is open (a shell's `newsroom
read` and `done`), without a terminal: its first look for changes sees a write made before
that look, and the rows follow (the cursor stays on its article)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsroom_tui.store import open_store
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.widgets.article_list import ArticleList
from tests.pilot_waits import until
from tests.sample_cache import build_sample_cache
from tests.test_ui import settled

GELSENKIRCHEN = "Gelsenkirchen ehrt Ehrenamtliche"
SPERRUNG = "Straßensperrung an der Bahnhofstraße"


async def test_a_write_before_the_first_look_changes_the_rows(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsroom_tui.ui.screens import reader

    monkeypatch.setattr(reader, "CHANGES_SECONDS", 3600.0)  # the test looks itself
    store = build_sample_cache(data_dir)
    ids = {a.title: a.id for a in store.articles()}
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(app, pilot)
        table = app.query_one(ArticleList)
        first = table.current_id
        assert table.row_count == 6
        shell = open_store(data_dir)  # `newsroom read` and `done` from a shell, at once
        shell.set_read(ids[GELSENKIRCHEN], True)
        shell.set_done(ids[SPERRUNG], True)
        shell.close()
        app.reader.counts.look_for_changes()  # the reader's first look

        def rows() -> dict[str, bool]:
            shown = (table.loaded_row(i) for i in range(table.row_count))
            return {row.title: row.read for row in shown if row is not None}

        await until(pilot, lambda: table.row_count == 5, what="the done one gone")
        await until(pilot, lambda: rows().get(GELSENKIRCHEN), what="the read one read")
        assert SPERRUNG not in rows() and table.current_id == first and table.cursor_row == 0
    store.close()
