"""Issue #12, second half: every failure costs only itself. A parse that runs over its
deadline, an entry or page that cannot be had, an image too large to decode, an entity
flood, a kill -9: the healthy feeds are stored whole and nothing crashes. Every hostile input
is written by tests/hostile_faults_site.py and served from the loopback fixture server."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsroom_tui import poller
from newsroom_tui.cli import main
from newsroom_tui.fetcher import Fetcher
from newsroom_tui.poller import poll_feeds
from newsroom_tui.store import SQLiteStore, open_store
from tests import hostile_faults_site as site
from tests.fixture_server import FixtureServer

ROOT = Path(__file__).resolve().parent.parent


def wait_for(condition: object, what: str, limit: float = 60.0) -> None:
    """Wait for a state (not a timing assertion: the limit only stops a hung test)."""
    end = time.monotonic() + limit
    while not condition():  # type: ignore[operator]
        if time.monotonic() > end:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def stored_titles(store: SQLiteStore, url: str) -> list[str]:
    feed = next(f for f in store.feeds() if f.url == url)
    return sorted(a.title for a in store.articles() if a.feed_id == feed.id)


def assert_healthy_whole(store: SQLiteStore, urls: list[str]) -> None:
    for number, url in enumerate(urls):
        expected = sorted(f"Ratssitzung {number}: Beschluss {i}" for i in range(3))
        assert stored_titles(store, url) == expected


# A slow parse: the deadline costs only the job that ran over --------------------------------


async def test_job_over_deadline_costs_only_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(poller, "WORK_DEADLINE", 2.0)
    workers = poller._Workers(2)
    healthy = [site.healthy_feed(n).encode() for n in range(6)]
    try:
        jobs = [workers.run(time.sleep, 3600), workers.run(time.sleep, 3600)]
        jobs += [workers.run(poller._parse_job, data, "http://x/f.rss", None) for data in healthy]
        results = await asyncio.gather(*jobs, return_exceptions=True)
    finally:
        await workers.close()
    stuck, parsed = results[:2], results[2:]
    assert all(isinstance(r, poller.WorkerError) for r in stuck)
    assert "parsing took longer than 2 s" in str(stuck[0])
    assert [len(p.entries) for p in parsed] == [3] * 6  # type: ignore[union-attr]


async def test_close_kills_a_stuck_worker_instead_of_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workers = poller._Workers(1)
    assert await workers.run(os.getpid) != os.getpid()  # a process of its own
    stuck = asyncio.ensure_future(workers.run(time.sleep, 3600))
    await asyncio.sleep(0.2)
    processes = [w.process for w in workers._all]
    stuck.cancel()  # the reader quits (q, Ctrl-C) in the middle of a poll
    with pytest.raises(asyncio.CancelledError):
        await stuck
    await workers.close()
    assert processes and not any(p.is_alive() for p in processes)


async def test_a_worker_that_dies_fails_its_job_and_the_next_one_gets_a_fresh_one() -> None:
    workers = poller._Workers(1)
    try:
        with pytest.raises(poller.WorkerError, match="stopped unexpectedly"):
            await workers.run(os._exit, 3)
        data = site.healthy_feed(1).encode()
        parsed = await workers.run(poller._parse_job, data, "http://x/f.rss", None)
    finally:
        await workers.close()
    assert len(parsed.entries) == 3


async def test_a_thread_job_that_hangs_does_not_hold_up_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(poller, "WORK_DEADLINE", 0.3)
    workers = poller._Workers(0)
    with pytest.raises(poller.WorkerError):
        await workers.run(time.sleep, 2)
    assert await workers.run(sum, [1, 2]) == 3


# The quadratic patterns themselves ----------------------------------------------------------


def test_hostile_feeds_that_were_quadratic_parse(server: FixtureServer, data_dir: Path) -> None:
    """Long runs of &lt; and a huge author, polled beside six healthy feeds by `fetch --json`:
    JSON comes out, every healthy feed is whole, the hostile ones are stored too."""
    healthy = site.add_healthy(server)
    server.add("/lt.rss", site.lt_run_feed(), "application/rss+xml")
    server.add("/autor.atom", site.huge_author_feed(), "application/atom+xml")
    hostile = [server.url("/lt.rss"), server.url("/autor.atom")]
    assert main(["--data-dir", str(data_dir), "add", *hostile, *healthy]) == 0
    done = subprocess.run(
        [sys.executable, "-m", "newsroom_tui", "--data-dir", str(data_dir), "fetch", "--json"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    assert report["failed"] == [] and report["feeds"] == 8
    store = open_store(data_dir)
    try:
        assert_healthy_whole(store, healthy)
        assert stored_titles(store, hostile[0]) == ["lt"]
        assert stored_titles(store, hostile[1]) == ["Meldung"]
    finally:
        store.close()


# A bad entry or page ------------------------------------------------------------------------


async def test_bad_entry_links_and_pages_cost_only_their_entry(
    server: FixtureServer, store: SQLiteStore
) -> None:
    healthy = site.add_healthy(server)
    server.add("/seiten.rss", site.bad_links_feed(server.base), "application/rss+xml")
    server.add("/seite/tief.html", site.deep_jsonld_page())
    server.add("/seite/gut.html", site.good_page())
    for url in [server.url("/seiten.rss"), *healthy]:
        store.add_feed(url)
    async with Fetcher(timeout=5, deadline=10) as fetcher:
        report = await poll_feeds(store, fetcher=fetcher)
    assert report.failed == []
    assert_healthy_whole(store, healthy)
    feed = next(f for f in store.feeds() if f.url.endswith("/seiten.rss"))
    bodies = {}
    for summary in store.articles():
        if summary.feed_id == feed.id:
            article = store.article(summary.id)
            assert article is not None
            bodies[article.title] = article.body_markdown
    assert sorted(bodies) == ["Meldung ctl", "Meldung gut", "Meldung lang", "Meldung tief"]
    assert "Teaser ctl" in bodies["Meldung ctl"]
    assert "Teaser lang" in bodies["Meldung lang"]
    assert "Der Text der Meldung steht hier" in bodies["Meldung tief"]
    assert "Die Stadtwerke erneuern die Leitungen" in bodies["Meldung gut"]


def test_extract_of_a_page_with_deep_jsonld_gives_a_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "tief.html"
    page.write_text(site.deep_jsonld_page(), "utf-8")
    assert main(["extract", "--json", str(page)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "Der Text der Meldung steht hier" in out["body_markdown"]


# Processes: helpers die with their parent ---------------------------------------------------


def _children() -> dict[int, int]:
    """pid -> parent pid of every process we can see."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def _descendants(pid: int) -> set[int]:
    parents = _children()
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_of_fetch_takes_its_helper_processes_along(
    server: FixtureServer, data_dir: Path
) -> None:
    healthy = site.add_healthy(server)
    hold = site.Hold()
    server.behaviours["/haengt.rss"] = hold
    assert main(["--data-dir", str(data_dir), "add", server.url("/haengt.rss"), *healthy]) == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsroom_tui", "--data-dir", str(data_dir), "fetch"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    helpers: set[int] = set()
    try:

        def workers_running() -> bool:
            helpers.update(_descendants(proc.pid))
            return len(helpers) >= 3  # resource tracker, fork server, a worker at least

        wait_for(workers_running, "the helper processes")
        wait_for(lambda: _stored(data_dir) == len(healthy), "the healthy feeds")
        helpers.update(_descendants(proc.pid))
        os.kill(proc.pid, signal.SIGKILL)  # the newsroom alone, not its process group
        proc.wait()
        wait_for(lambda: not any(_alive(p) for p in helpers), "the helpers to end", 20)
    finally:
        hold.released.set()
        for pid in helpers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _stored(data_dir: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(data_dir / "newsroom.sqlite3", timeout=10)
    try:
        row = conn.execute("SELECT COUNT(*) FROM feeds WHERE last_success IS NOT NULL").fetchone()
        return int(row[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()
