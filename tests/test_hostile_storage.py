"""Storage faults: kill -9 mid-poll, two programs on one cache, SQLITE_BUSY, a damaged cache
and --reset-cache, a read-only data dir or a full disk, an old schema."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.cli import main
from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.models import NewArticle
from newsroom_tui.store import FeedUpdate, SQLiteStore, StoreError, open_store
from newsroom_tui.store import sqlite as sqlite_module
from newsroom_tui.store.migrations import MIGRATIONS, SCHEMA_VERSION, Progress
from newsroom_tui.store.retention import KEEP_ALL, Retention
from newsroom_tui.store.sqlite import FTS_ROW
from newsroom_tui.watch_records import Watchlist

T0 = datetime(2025, 3, 5, 8, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent


def rss(name: str, n: int = 3) -> bytes:
    items = "".join(
        f"<item><title>{name} {i}</title><link>http://127.0.0.1/{name}/{i}</link>"
        f'<guid isPermaLink="false">{name}-{i}</guid><description>Text {i}.</description></item>'
        for i in range(n)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>{items}'
        "</channel></rss>"
    ).encode()


class GatedServer:
    """Serves /NAME.rss feeds; paths in ``held`` wait until ``release`` is set."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.held: set[str] = set()
        self.waiting = threading.Event()  # a held request has arrived
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if self.path in server.held:
                    server.waiting.set()
                    server.release.wait(60)
                body = rss(self.path.strip("/").removesuffix(".rss"))
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def gated() -> Iterator[GatedServer]:
    server = GatedServer()
    yield server
    server.stop()


def newsroom(data_dir: Path, *args: str, **kw: Any) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "newsroom_tui", "--data-dir", str(data_dir), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: kill -9 reaches all of it
        **kw,
    )


def wait_for(condition: Any, what: str, limit: float = 60.0) -> None:
    """Wait for a state (not a timing assertion: the limit only stops a hung test)."""
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def stored_feeds(data_dir: Path) -> int:
    conn = sqlite3.connect(data_dir / "newsroom.sqlite3", timeout=10)
    try:
        return conn.execute("SELECT COUNT(*) FROM feeds WHERE last_success IS NOT NULL").fetchone()[
            0
        ]
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


# kill -9 and two programs at once -----------------------------------------------------------


def test_kill_9_mid_poll_loses_nothing_committed(
    gated: GatedServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gated.held.add("/langsam.rss")
    urls = [gated.url(p) for p in ("/eins.rss", "/zwei.rss", "/langsam.rss")]
    assert main(["--data-dir", str(data_dir), "add", "--force", *urls]) == 0
    capsys.readouterr()
    proc = newsroom(data_dir, "fetch")
    try:
        wait_for(lambda: stored_feeds(data_dir) == 2 and gated.waiting.is_set(), "two feeds")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL

    store = open_store(data_dir)
    assert store.integrity_problems() == []
    assert store.count_articles() == 6
    assert {f.url for f in store.feeds() if f.last_success} == set(urls[:2])
    store.close()

    gated.release.set()
    assert main(["--data-dir", str(data_dir), "fetch"]) == 0
    assert "3 new articles" in capsys.readouterr().out
    store = open_store(data_dir)
    assert store.count_articles() == 9
    store.close()


def test_reader_and_fetch_subprocess_share_the_cache(gated: GatedServer, data_dir: Path) -> None:
    reader = open_store(data_dir)  # the TUI's long-lived connection
    feed, _ = reader.add_feed(gated.url("/eins.rss"))
    reader.save_feed_update(
        feed.id,
        # dated today: an older one, no longer in its feed, would go with the poll (retention)
        FeedUpdate(polled_at=T0, articles=[NewArticle("alt", None, "Alt", datetime.now(UTC))]),
    )
    reader.add_feed(gated.url("/zwei.rss"))
    # A read transaction held open through the other program's whole poll
    snapshot = sqlite3.connect(reader.path, timeout=10)
    snapshot.execute("BEGIN")
    assert snapshot.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1

    proc = newsroom(data_dir, "fetch")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "6 new articles" in out

    assert snapshot.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1  # its snapshot
    snapshot.execute("COMMIT")
    snapshot.close()
    assert reader.count_articles() == 7  # the reader sees the writer's work
    first = reader.articles()[0]
    reader.set_read(first.id)  # and can still write
    assert reader.article(first.id).read  # type: ignore[union-attr]
    reader.close()


class FlakyConnection:
    """A sqlite3 connection whose statements can fail on cue (sqlite3.Connection's own
    methods cannot be patched)."""

    def __init__(self, conn: sqlite3.Connection, fail: Any) -> None:
        self._conn = conn
        self._fail = fail  # (sql) -> exception to raise, or None

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        exc = self._fail(sql)
        if exc is not None:
            raise exc
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        exc = self._fail(sql)
        if exc is not None:
            raise exc
        return self._conn.executemany(sql, *args)

    def close(self) -> None:
        self._conn.close()


def test_busy_write_is_tried_again(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_module, "BUSY_RETRIES", (0.0, 0.0, 0.0))
    feed, _ = store.add_feed("http://127.0.0.1/feed")
    busy = [2]

    def fail(sql: str) -> Exception | None:
        if sql == "BEGIN IMMEDIATE" and busy[0]:
            busy[0] -= 1
            return sqlite3.OperationalError("database is locked")
        return None

    store._conn = FlakyConnection(store._conn, fail)  # type: ignore[assignment]
    store.record_not_modified(feed.id, T0)
    assert busy == [0] and store.feeds()[0].last_success == T0

    busy[0] = 100  # locked for good: one line, not a traceback
    with pytest.raises(StoreError, match="stays locked by another program") as info:
        store.set_read(1)
    assert "\n" not in str(info.value)


# A damaged cache -------------------------------------------------------------------------------


def test_damaged_cache_one_line_then_reset(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / "newsroom.sqlite3"
    path.write_bytes(b"garbage, not a database " * 200)
    for args in (["feeds"], []):  # a command, and the reader's start path
        assert main(["--data-dir", str(data_dir), *args]) == 3
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and "Traceback" not in err
        assert str(path) in err and "move it aside" in err and "--reset-cache" in err

    assert main(["--data-dir", str(data_dir), "--reset-cache", "add", "http://127.0.0.1/f"]) == 0
    out, err = capsys.readouterr()
    (moved,) = data_dir.glob("newsroom.sqlite3.broken-*")
    assert moved.read_bytes().startswith(b"garbage")  # kept, not deleted
    assert moved.name[len("newsroom.sqlite3.broken-") :].replace("-", "").isdigit()
    assert f"moved the damaged cache to {moved}" in err
    assert main(["--data-dir", str(data_dir), "feeds", "--json"]) == 0
    assert "http://127.0.0.1/f" in capsys.readouterr().out

    # a sound cache is not moved
    assert main(["--data-dir", str(data_dir), "--reset-cache", "feeds"]) == 0
    assert "is sound; nothing moved" in capsys.readouterr().err
    assert len(list(data_dir.glob("newsroom.sqlite3.broken-*"))) == 1


def test_cache_damaged_inside_is_found(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(data_dir)
    feed, _ = store.add_feed("http://127.0.0.1/feed")
    articles = [
        NewArticle(f"g{i}", None, f"Meldung {i}", T0, body_markdown="Text " * 400)
        for i in range(200)
    ]
    store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=articles))
    conn = sqlite3.connect(store.path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    store.close()
    path = data_dir / "newsroom.sqlite3"
    data = bytearray(path.read_bytes())
    page = 4096  # the schema on page 1 stays readable: the cache opens, its tables do not
    data[page:] = b"\xa5" * (len(data) - page)
    path.write_bytes(bytes(data))

    for args in (["list"], [], ["--reset-cache", "list", "--json"]):
        code = main(["--data-dir", str(data_dir), *args])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        if "--reset-cache" not in args:
            assert code == 3 and err.count("\n") == 1, err
            assert str(path) in err and "--reset-cache" in err
    assert code == 0 and out.strip() == "[]"
    assert "moved the damaged cache" in err
    assert len(list(data_dir.glob("newsroom.sqlite3.broken-*"))) == 1


def test_foreign_database_is_never_reset(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / "newsroom.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    assert main(["--data-dir", str(data_dir), "--reset-cache", "feeds"]) == 3
    err = capsys.readouterr().err
    assert "not a newsroom cache" in err and "--reset-cache" not in err
    assert path.read_bytes() == before and not list(data_dir.glob("*.broken-*"))


# Read-only data dir, full disk ---------------------------------------------------------------


def _writes_fail(message: str) -> Any:
    def fail(sql: str) -> Exception | None:
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COMMIT")):
            return sqlite3.OperationalError(message)
        return None

    return fail


@pytest.mark.parametrize(
    ("message", "hint"),
    [
        ("attempt to write a readonly database", "writable"),
        ("database or disk is full", "free some disk space"),
    ],
)
def test_write_faults_stop_the_poll_with_one_line(
    gated: GatedServer,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    message: str,
    hint: str,
) -> None:
    urls = [gated.url(f"/f{i}.rss") for i in range(3)]
    assert main(["--data-dir", str(data_dir), "add", *urls]) == 0
    capsys.readouterr()
    real_open = open_store

    def broken_open(
        directory: Path,
        user: str | None = None,
        progress: Progress | None = None,
        *,
        extra_watchlists: Iterable[Watchlist] = (),
        retention: Retention = KEEP_ALL,
    ) -> SQLiteStore:
        store = real_open(
            directory, user, progress, extra_watchlists=extra_watchlists, retention=retention
        )
        store._conn = FlakyConnection(store._conn, _writes_fail(message))  # type: ignore[assignment]
        return store

    monkeypatch.setattr("newsroom_tui.cli.open_store", broken_open)
    code = main(["--data-dir", str(data_dir), "fetch"])
    out, err = capsys.readouterr()
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and message in err and hint in err and "Traceback" not in err

    store = real_open(data_dir)  # nothing half-written
    assert store.count_articles() == 0
    assert all(f.last_polled is None and f.error is None for f in store.feeds())
    store.close()


async def test_write_fault_report_from_the_poller(gated: GatedServer, data_dir: Path) -> None:
    store = open_store(data_dir)
    for i in range(5):
        store.add_feed(gated.url(f"/f{i}.rss"))
    store._conn = FlakyConnection(store._conn, _writes_fail("disk I/O error"))  # type: ignore[assignment]
    report = await poll_feeds(store)
    assert report.store_error and "disk I/O error" in report.store_error
    assert len(report.failed) == 5 and report.new_articles == 0
    assert {o.error for o in report.failed} == {report.store_error}
    store.close()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores chmod")
def test_read_only_data_dir(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(data_dir)
    store.add_feed("http://127.0.0.1/feed")
    store.close()
    for p in data_dir.iterdir():
        p.chmod(0o444)
    data_dir.chmod(0o555)
    try:
        code = main(["--data-dir", str(data_dir), "add", "http://127.0.0.1/zwei"])
        err = capsys.readouterr().err
        assert code == 3 and err.count("\n") == 1 and "writable" in err
    finally:
        data_dir.chmod(0o755)
        for p in data_dir.iterdir():
            p.chmod(0o644)
    assert [f.url for f in open_store(data_dir).feeds()] == ["http://127.0.0.1/feed"]


def test_new_cache_in_unwritable_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "datei"
    blocker.write_text("a file where the data dir should be")
    assert main(["--data-dir", str(blocker / "data"), "feeds"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot open the cache" in err and "writable" in err


# An older schema ------------------------------------------------------------------------------


def test_version_4_cache_gains_failure_columns(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / "newsroom.sqlite3", isolation_level=None)
    conn.create_function("nr_fold", 1, lambda s: s, deterministic=True)
    for script in MIGRATIONS[:4]:
        for statement in script.format(fts_row=FTS_ROW).split(";"):
            if statement.strip():
                conn.execute(statement)
    conn.execute("PRAGMA user_version = 4")
    conn.execute(
        "INSERT INTO feeds (url, last_error, added) VALUES ('http://127.0.0.1/f', 'HTTP 500', ?)",
        (T0.isoformat(),),
    )
    conn.close()
    store = open_store(data_dir)
    (feed,) = store.feeds()
    assert (feed.error, feed.failures, feed.retry_after, feed.notice) == ("HTTP 500", 0, None, None)
    store.record_failure(feed.id, T0, "HTTP 503", T0)
    assert store.feeds()[0].failures == 1
    version = sqlite3.connect(store.path).execute("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION >= 5
    store.close()
