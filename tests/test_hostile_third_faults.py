"""Issue #24, faults: a kill -9 while a parse worker is deep in C code, a kill -9 or a second
start during a schema migration, a disk that fills during one, a symlink planted where the
reader exports, a terminal that cannot show "—". Each ends in one clear line or in nothing
left behind."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsroom_tui.local_files import LocalFileError, write_new_file
from newsroom_tui.models import NewArticle
from newsroom_tui.store import SQLiteStore, StoreError, migrations
from newsroom_tui.store import sqlite as sqlite_store
from newsroom_tui.store.base import FeedUpdate
from tests import hostile_faults_site as processes
from tests import hostile_third_faults_site as site
from tests.test_hostile_storage import wait_for

ROOT = Path(__file__).resolve().parent.parent


# kill -9 while the workers are inside a regex ------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_takes_along_workers_busy_in_a_regex(tmp_path: Path) -> None:
    """No thread of a worker runs while it is in the regex engine, so the worker, the fork
    server and the resource tracker must end through the kernel (parent-death signals and
    pipes closing), not by a check of their own."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from tests.hostile_third_faults_site import busy_pool; busy_pool({str(tmp_path)!r})",
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    helpers: set[int] = set()
    try:
        wait_for(lambda: len(list(tmp_path.glob("worker-*"))) == 2, "both workers in the regex")
        helpers.update(processes.descendants(proc.pid))
        assert len(helpers) >= 4  # resource tracker, fork server, two workers
        os.kill(proc.pid, signal.SIGKILL)  # the parent alone, not its process group
        wait_for(lambda: not any(processes.alive(p) for p in helpers), "the helpers to end", 20)
        proc.wait()
    finally:
        for pid in helpers:
            if processes.alive(pid):
                os.kill(pid, signal.SIGKILL)
        proc.kill()
        proc.wait()


# Migrations ---------------------------------------------------------------------------------


def columns(path: Path, table: str) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    finally:
        conn.close()


def version_of(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def test_a_start_racing_another_through_a_migration_opens_the_cache(tmp_path: Path) -> None:
    """Two starts at once (a kill -9 mid-migration, then the reader and the cron poll): the
    second finds the first's migration committed while it waited for the write lock, and
    must not run it again ("duplicate column name")."""
    path = tmp_path / "newsroom.sqlite3"
    site.cache_at_version(path, migrations.SCHEMA_VERSION - 1)
    ours = sqlite3.connect(path, isolation_level=None)
    ours.create_function("nr_fold", 1, sqlite_store.fold, deterministic=True)
    raced: list[str] = []

    def the_other_start_first(statement: str) -> None:
        if statement.startswith("BEGIN") and not raced:
            raced.append(statement)
            SQLiteStore(path).close()  # migrates to the newest version and commits

    ours.set_trace_callback(the_other_start_first)
    migrations.migrate(ours, fts_row=sqlite_store.FTS_ROW)
    ours.close()
    assert raced and version_of(path) == migrations.SCHEMA_VERSION
    store = SQLiteStore(path)
    try:
        assert len(store.articles()) == 3
    finally:
        store.close()


def test_a_start_on_an_up_to_date_cache_does_not_wait_for_the_write_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The version is read again under the write lock only when a step is to run: a cache
    that needs none opens while another newsroom holds the write lock (a cron poll saving
    its feeds), as before, instead of waiting for it and failing past the busy timeout."""
    path = tmp_path / "newsroom.sqlite3"
    SQLiteStore(path).close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(sqlite_store, "BUSY_TIMEOUT", 0.05)
    try:
        store = SQLiteStore(path)
        try:
            assert store.articles() == []
        finally:
            store.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_crash_inside_a_migration_step_leaves_the_step_undone(tmp_path: Path) -> None:
    """A kill -9 inside a step: nothing of the step stays, and the next start runs it whole
    (the index rebuild's own interruption: tests/test_search_folding.py)."""
    path = tmp_path / "newsroom.sqlite3"
    step = next(  # the step that adds feeds.name_set
        n for n, s in enumerate(migrations.MIGRATIONS) if isinstance(s, str) and "name_set" in s
    )
    site.cache_at_version(path, step)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function("nr_fold", 1, sqlite_store.fold, deterministic=True)

    # Stop inside the step's ALTER TABLE, as a kill would.
    stop: list[bool] = []
    conn.set_trace_callback(lambda s: stop.append(s.lstrip().startswith("ALTER TABLE")))
    conn.set_progress_handler(lambda: 1 if any(stop) else 0, 1)
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        migrations.migrate(conn, fts_row=sqlite_store.FTS_ROW)
    conn.close()
    assert version_of(path) == step
    assert "name_set" not in columns(path, "feeds")
    store = SQLiteStore(path)
    try:
        assert len(store.articles()) == 3
        assert version_of(path) == migrations.SCHEMA_VERSION
    finally:
        store.close()


def test_disk_full_during_a_migration_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite rolls a transaction back itself when the disk fills; the error must name the
    full disk, not "cannot rollback - no transaction is active"."""
    path = tmp_path / "newsroom.sqlite3"
    # before version 16, whose step writes (the stories' column and index): a step that only
    # names a new column (17's) needs no page more
    before = 15
    site.cache_at_version(path, before, articles=200)
    connect = sqlite_store._connect

    def on_a_full_disk(where: Path) -> sqlite3.Connection:
        conn = connect(where)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(sqlite_store, "_connect", on_a_full_disk)
    with pytest.raises(StoreError) as caught:
        SQLiteStore(path)
    message = str(caught.value)
    assert "full" in message and "free some disk space" in message
    assert "rollback" not in message and "\n" not in message
    monkeypatch.undo()
    assert version_of(path) == before
    SQLiteStore(path).close()
    assert version_of(path) == migrations.SCHEMA_VERSION


# Export: never through a symlink -------------------------------------------------------------


def test_write_new_file_does_not_follow_a_planted_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("Bitte nicht überschreiben", "utf-8")
    planted = tmp_path / "2026-12-01-ratssitzung-7.md"
    planted.symlink_to(victim)
    written = write_new_file(planted, "# Ratssitzung in Herne\n")
    assert victim.read_text("utf-8") == "Bitte nicht überschreiben"
    assert planted.is_symlink()
    assert written != planted and written.parent == tmp_path
    assert not written.is_symlink()
    assert written.read_text("utf-8") == "# Ratssitzung in Herne\n"


def test_write_new_file_keeps_an_earlier_export(tmp_path: Path) -> None:
    path = tmp_path / "2026-12-01-ratssitzung-7.md"
    first = write_new_file(path, "erste Fassung")
    second = write_new_file(path, "zweite Fassung")
    assert first == path and second != path
    assert first.read_text("utf-8") == "erste Fassung"
    assert second.read_text("utf-8") == "zweite Fassung"


def test_write_new_file_fails_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(LocalFileError, match=r"cannot write .*fehlt"):
        write_new_file(tmp_path / "fehlt" / "artikel.md", "Text")


async def test_export_key_does_not_overwrite_through_a_symlink(
    store: SQLiteStore, tmp_path: Path
) -> None:
    from newsroom_tui.ui.app import NewsroomApp
    from newsroom_tui.ui.screens.reader_handoff import export_name

    feed, _ = store.add_feed("https://www.herne.de/rss")
    when = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    article = NewArticle(
        "herne-1",
        "https://www.herne.de/rat",
        "Ratssitzung der Stadt Herne",
        when,
        body_markdown="Der Rat der Stadt Herne tagt am Dienstag.",
    )
    store.save_feed_update(feed.id, FeedUpdate(polled_at=when, articles=[article]))
    (stored,) = store.articles()
    export_dir = tmp_path / "export"
    export_dir.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("geheim", "utf-8")
    (export_dir / export_name(stored)).symlink_to(victim)
    app = NewsroomApp(store, poll_on_start=False, export_dir=export_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
    assert victim.read_text("utf-8") == "geheim"
    exported = [p for p in export_dir.iterdir() if not p.is_symlink()]
    assert len(exported) == 1
    assert exported[0].read_text("utf-8").startswith("# Ratssitzung der Stadt Herne")


# A latin-1 terminal ----------------------------------------------------------------------------


def test_a_latin1_terminal_gets_the_list_without_a_traceback(store: SQLiteStore) -> None:
    feed, _ = store.add_feed("https://www.herne.de/rss")
    when = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    store.save_feed_update(
        feed.id,
        FeedUpdate(
            polled_at=when,
            articles=[NewArticle("herne-1", None, "Straßenbau — Umleitung in Herne", None)],
        ),
    )
    data_dir = store.path.parent
    store.close()
    for command in (["list"], ["show", "1"], ["search", "straßenbau"]):
        done = subprocess.run(
            [sys.executable, "-m", "newsroom_tui", "--data-dir", str(data_dir), *command],
            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "latin-1"},
            capture_output=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr.decode("latin-1")
        assert b"Traceback" not in done.stderr
        out = done.stdout.decode("latin-1")
        assert "Straßenbau ? Umleitung in Herne" in out
