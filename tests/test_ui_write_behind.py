"""A triage key answers on screen at once; its store write follows in a thread, and a write
that fails is taken back on screen with a notice (ui/write_behind.py)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from newsroom_tui.store import SQLiteStore, StoreError
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.screens.dialogs import ConfirmScreen
from newsroom_tui.ui.widgets.article_list import ArticleList
from newsroom_tui.ui.write_behind import WriteBehind
from tests import test_ui_triage
from tests.pilot_waits import pane_shown, until
from tests.test_ui_triage import app_for

cache = test_ui_triage.cache  # the sample cache, the fixture the triage tests use

SIZE = (130, 40)
WRITES = ("set_read", "set_flagged", "set_done", "claim", "release", "mark_all_read")


def line(app: NewsroomApp, index: int) -> str:
    return app.query_one(ArticleList).get_line_plain(index)


def notices(app: NewsroomApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def hold_writes(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch, go: threading.Event
) -> list[str]:
    """Every write waits for ``go`` (a server far away, as long as the test likes); the
    writes asked are listed, with the thread they ran on."""
    asked: list[str] = []
    for name in WRITES:
        real = getattr(store, name)

        def held(*args: object, _real: Callable[..., object] = real, _name: str = name) -> object:
            asked.append(f"{_name} on {threading.current_thread().name}")
            assert go.wait(30), "the test never let the write go"
            return _real(*args)

        monkeypatch.setattr(store, name, held)
    return asked


@contextlib.asynccontextmanager
async def writes_held(
    cache: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, go: threading.Event
) -> AsyncIterator[tuple[NewsroomApp, Pilot[None], int | None, list[str]]]:
    """The reader running with its first article shown and every write held for ``go``:
    the app, its pilot, the article under the cursor and the writes asked so far."""
    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        first = app.reader.article_list.current_id
        yield app, pilot, first, hold_writes(cache, monkeypatch, go)


async def test_a_flag_shows_while_its_write_still_waits_for_the_store(
    cache: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    go = threading.Event()
    async with writes_held(cache, tmp_path, monkeypatch, go) as (app, pilot, first, asked):
        await pilot.press("s")
        await pilot.pause()
        # the write has not answered, yet the row shows the flag: the key did not wait
        assert "⚑" in line(app, 0)
        await until(pilot, lambda: asked, what="the flag's write asked")
        assert not cache.article(first).flagged
        assert all(not a.endswith(threading.main_thread().name) for a in asked)
        go.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert cache.article(first).flagged and "⚑" in line(app, 0)
        assert not any("Not saved" in n for n in notices(app))


async def test_a_failed_write_puts_the_row_back_and_says_why(
    cache: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    go = threading.Event()
    async with writes_held(cache, tmp_path, monkeypatch, go) as (app, pilot, first, _):

        def gone(*args: object) -> None:
            assert go.wait(30)
            raise StoreError("the team database at db.stadt-herne.de does not answer")

        monkeypatch.setattr(cache, "set_flagged", gone)
        await pilot.press("s")
        await pilot.pause()
        assert "⚑" in line(app, 0)  # shown at once ...
        go.set()
        await app.workers.wait_for_complete()
        await until(pilot, lambda: "⚑" not in line(app, 0), what="the flag taken back")
        assert not cache.article(first).flagged
        said = [n for n in notices(app) if "Not saved" in n]
        assert said and "does not answer" in said[-1] and "\n" not in said[-1]


async def test_done_that_was_not_written_is_taken_back_and_not_undone(
    cache: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        table = app.reader.article_list
        first, count = table.current_id, table.row_count

        def refuse(*args: object) -> None:
            raise StoreError("cannot write the cache /x/newsroom.sqlite3: disk is full")

        monkeypatch.setattr(cache, "set_done", refuse)
        await pilot.press("D")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: "✓" not in line(app, 0), what="the done taken back")
        assert table.row_count == count and table.current_id == first
        assert not cache.article(first).done
        await pilot.press("U")
        assert notices(app)[-1] == "Nothing to undo."


async def test_done_and_undo_go_through_the_writes_behind(
    cache: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    go = threading.Event()
    async with writes_held(cache, tmp_path, monkeypatch, go) as (app, pilot, first, _):
        table = app.reader.article_list
        count = table.row_count
        await pilot.press("D")
        await pilot.pause()
        assert "✓" in line(app, 0)  # at once, while the write still waits
        go.set()
        await until(pilot, lambda: table.row_count == count - 1, what="the done one gone")
        assert cache.article(first).done and table.current_id != first
        await pilot.press("U")
        await until(pilot, lambda: table.row_count == count, what="the done one back")
        assert not cache.article(first).done


async def test_no_store_call_on_the_event_loop_during_a_triage_key(
    cache: SQLiteStore, tmp_path: Path
) -> None:
    """Every public store method is watched while s, m, a, D, U, j, n, p, c (credits), e
    (export) and A (yes) are pressed: none runs on the event loop's thread."""
    app = app_for(cache, tmp_path)
    on_loop: list[str] = []
    calls: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        for name in dir(cache):
            real = getattr(cache, name)
            if name.startswith("_") or not callable(real) or name in ("close",):
                continue

            def watched(*args: object, _real=real, _name=name, **kwargs: object) -> object:
                calls.append(_name)
                if threading.current_thread() is threading.main_thread():
                    on_loop.append(_name)
                return _real(*args, **kwargs)

            setattr(cache, name, watched)
        table = app.reader.article_list
        for key in ("s", "m", "a", "a", "D", "U", "j", "s", "m", "n", "p", "c", "e"):
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("y")
        await until(pilot, lambda: "marked as read" in notices(app)[-1], what="mark all done")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count
        for name in list(vars(cache)):  # back to the class's methods before closing
            if name in dir(type(cache)):
                delattr(cache, name)
    assert {"set_flagged", "set_read", "claim", "release", "set_done", "mark_all_read"} <= set(
        calls
    )
    assert on_loop == []


async def test_a_key_before_the_article_arrives_acts_on_the_row_without_waiting(
    cache: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """j then s at once: the pane's article is still being read (held here), and s flags
    the row under the cursor rather than reading the article on the event loop; the
    article, once it arrives, shows the flag too; e (export) waits for it."""
    go = threading.Event()
    real = cache.article

    def slow(article_id: int) -> object:
        assert go.wait(30), "the test never let the read go"
        return real(article_id)

    monkeypatch.setattr(cache, "article", slow)  # the read-ahead waits too
    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)  # the first article comes another way (article_at_hand)
        table = app.reader.article_list
        second = table.loaded_row(1)
        assert second is not None
        await pilot.press("j", "s", "e")
        await pilot.pause()
        assert table.cursor_row == 1 and "⚑" in line(app, 1)
        assert app.reader.pane.article is None or app.reader.pane.article.id != second.id
        assert not list(tmp_path.glob("*.md"))  # the export waits for the article
        go.set()
        await until(pilot, lambda: list(tmp_path.glob("*.md")), what="the export")
        await app.workers.wait_for_complete()
        await pane_shown(pilot)
        shown = app.reader.pane.article
        assert shown is not None and shown.id == second.id and shown.flagged
        assert cache.article(second.id).flagged
        (exported,) = tmp_path.glob("*.md")
        assert exported.name.endswith(f"-{second.id}.md")


async def test_the_writes_of_the_last_keys_are_done_when_the_reader_closes(
    cache: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s and m, then q at once while the flag's write still waits: both are in the store
    once the reader is closed (its last writes are not dropped with its workers)."""
    go = threading.Event()
    app = app_for(cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pane_shown(pilot)
        first = app.reader.article_list.current_id
        before = cache.article(first)
        asked = hold_writes(cache, monkeypatch, go)
        await pilot.press("s", "m")
        await until(pilot, lambda: asked, what="the flag's write asked")
        threading.Timer(0.3, go.set).start()  # the server answers while the reader closes
        await pilot.press("q")
    after = cache.article(first)
    assert after.flagged != before.flagged and after.read != before.read


# the queue itself, without a screen ---------------------------------------------------------


def run_changes(outcomes: list[bool]) -> tuple[list[object], list[str]]:
    """s pressed len(outcomes) times on an unflagged article; write k succeeds when
    outcomes[k]. Returns what the screen showed, in order, and the failures said."""
    shown: list[object] = []
    said: list[str] = []
    stored = {"flagged": False}

    async def main() -> None:
        tasks: list[asyncio.Task[None]] = []
        writes = WriteBehind(lambda drain: tasks.append(asyncio.ensure_future(drain())))
        screen = False
        for ok in outcomes:
            value = not screen

            def write(ok: bool = ok, value: bool = value) -> None:
                if not ok:
                    raise StoreError("Netzwerk weg")
                stored["flagged"] = value

            writes.change(
                "flag", value, screen, write, shown.append, failed=lambda e: said.append(str(e))
            )
            screen = value
        while writes.busy:
            await asyncio.gather(*tasks)

    asyncio.run(main())
    return shown, [*said, f"stored={stored['flagged']}"]


@pytest.mark.parametrize(
    "outcomes",
    [
        [True],
        [False],
        [True, False],
        [False, True],
        [False, False],
        [True, True, False],
        [False, True, True],
        [False, False, False],
    ],
)
def test_the_screen_ends_on_what_the_store_holds(outcomes: list[bool]) -> None:
    shown, said = run_changes(outcomes)
    stored = said[-1] == "stored=True"
    assert shown[-1] == stored
    assert len(said) - 1 == outcomes.count(False)
