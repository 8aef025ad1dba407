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

from newsroom_tui.cli import main
from newsroom_tui.ingest import worker_pool
from newsroom_tui.ingest.poll_jobs import parse_job
from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.store import SQLiteStore, open_store
from tests import hostile_faults_site as site
from tests.fetcher_kinds import KINDS, fetcher_of
from tests.fixture_server import FixtureServer
from tests.test_hostile_storage import stored_feeds, wait_for

ROOT = Path(__file__).resolve().parent.parent


def stored_titles(store: SQLiteStore, url: str) -> list[str]:
    feed = next(f for f in store.feeds() if f.url == url)
    return sorted(a.title for a in store.articles() if a.feed_id == feed.id)


def assert_healthy_whole(store: SQLiteStore, urls: list[str]) -> None:
    for number, url in enumerate(urls):
        expected = sorted(f"Ratssitzung {number}: Beschluss {i}" for i in range(3))
        assert stored_titles(store, url) == expected


# A slow parse: the deadline costs only the job that ran over --------------------------------


async def test_job_over_deadline_costs_only_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker_pool, "WORK_DEADLINE", 5.0)  # room for a busy machine
    workers = worker_pool.Workers(2)
    healthy = [site.healthy_feed(n).encode() for n in range(6)]
    try:
        jobs = [workers.run(time.sleep, 3600), workers.run(time.sleep, 3600)]
        jobs += [workers.run(parse_job, data, "http://x/f.rss", None) for data in healthy]
        results = await asyncio.gather(*jobs, return_exceptions=True)
    finally:
        await workers.close()
    stuck, parsed = results[:2], results[2:]
    assert all(isinstance(r, worker_pool.WorkerError) for r in stuck)
    assert "parsing took longer than 5 s" in str(stuck[0])
    assert [len(p.entries) for p in parsed] == [3] * 6  # type: ignore[union-attr]


async def test_close_kills_a_stuck_worker_instead_of_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workers = worker_pool.Workers(1)
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
    workers = worker_pool.Workers(1)
    try:
        with pytest.raises(worker_pool.WorkerError, match="stopped unexpectedly"):
            await workers.run(os._exit, 3)
        data = site.healthy_feed(1).encode()
        parsed = await workers.run(parse_job, data, "http://x/f.rss", None)
    finally:
        await workers.close()
    assert len(parsed.entries) == 3


async def test_a_thread_job_that_hangs_does_not_hold_up_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(worker_pool, "WORK_DEADLINE", 0.3)
    workers = worker_pool.Workers(0)
    with pytest.raises(worker_pool.WorkerError):
        await workers.run(time.sleep, 2)
    assert await workers.run(sum, [1, 2]) == 3


# The quadratic patterns themselves ----------------------------------------------------------


def test_hostile_feeds_that_were_quadratic_parse(server: FixtureServer, data_dir: Path) -> None:
    """Long runs of &lt; and huge authors (on both parsing paths), polled beside six healthy
    feeds by `fetch --json`: JSON comes out, every healthy feed is whole, the hostile ones are
    stored too."""
    healthy = site.add_healthy(server)
    hostile = {
        "/lt.rss": site.lt_run_feed(),
        "/lt-dtd.rss": site.with_doctype(site.lt_run_feed()),
        "/autor.rss": site.huge_author_rss(),
        "/autor.atom": site.with_doctype(site.huge_author_feed()),
    }
    for path, body in hostile.items():
        server.add(path, body, "application/rss+xml")
    urls = [server.url(p) for p in hostile]
    assert main(["--data-dir", str(data_dir), "add", "--force", *urls, *healthy]) == 0
    done = subprocess.run(
        [sys.executable, "-m", "newsroom_tui", "--data-dir", str(data_dir), "fetch", "--json"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    assert report["failed"] == [] and report["feeds"] == 10
    store = open_store(data_dir)
    try:
        assert_healthy_whole(store, healthy)
        assert [stored_titles(store, url) for url in urls] == [["lt"]] * 2 + [["Meldung"]] * 2
    finally:
        store.close()


def test_author_text_is_cut_before_feedparser() -> None:
    from newsroom_tui.parse.feedparser_path import PERSON_MAX_BYTES, cut_people

    data = site.huge_author_rss(100_000).encode()
    cut = cut_people(data)
    assert len(data) - len(cut) == 100_000 - PERSON_MAX_BYTES
    umlauts = ("<dc:creator>" + "Ä" * 2000 + "</dc:creator>").encode()
    assert cut_people(umlauts).decode("utf-8").count("Ä") == PERSON_MAX_BYTES // 2  # whole


def test_preview_of_60000_image_brackets_is_the_text() -> None:
    from newsroom_tui.ui.body_preview import preview_text

    text = site.image_brackets_markdown()
    assert preview_text(text).plain == text  # nothing to convert, and no regex runs away
    shown = preview_text("Ein **fetter** [Link](https://de.wikipedia.org/wiki/Herne_(Stadt))")
    assert shown.plain == "Ein fetter Link"


# A bad entry or page ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_bad_entry_links_and_pages_cost_only_their_entry(
    server: FixtureServer, store: SQLiteStore, kind: str
) -> None:
    healthy = site.add_healthy(server)
    server.add("/seiten.rss", site.bad_links_feed(server.base), "application/rss+xml")
    server.add("/seite/tief.html", site.deep_jsonld_page())
    server.add("/seite/gut.html", site.good_page())
    for url in [server.url("/seiten.rss"), *healthy]:
        store.add_feed(url)
    async with fetcher_of(kind, timeout=5, deadline=10) as fetcher:
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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_of_fetch_takes_its_helper_processes_along(
    server: FixtureServer, data_dir: Path
) -> None:
    healthy = site.add_healthy(server)
    hold = site.Hold()
    server.behaviours["/haengt.rss"] = hold
    assert (
        main(["--data-dir", str(data_dir), "add", "--force", server.url("/haengt.rss"), *healthy])
        == 0
    )
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
            helpers.update(site.descendants(proc.pid))
            return len(helpers) >= 3  # resource tracker, fork server, a worker at least

        wait_for(workers_running, "the helper processes")
        wait_for(lambda: stored_feeds(data_dir) == len(healthy), "the healthy feeds")
        helpers.update(site.descendants(proc.pid))
        os.kill(proc.pid, signal.SIGKILL)  # the newsroom alone, not its process group
        # not reaped yet: helpers must not take a zombie for a live parent
        wait_for(lambda: not any(site.alive(p) for p in helpers), "the helpers to end", 20)
        proc.wait()
    finally:
        hold.released.set()
        for pid in helpers:
            if site.alive(pid):
                os.kill(pid, signal.SIGKILL)


# Entities -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (site.entity_flood_feed(), "expand to over 1,000,000 characters"),
        (site.entity_flood_feed(pi=True), "expand to over 1,000,000 characters"),
        (site.pi_hides_xxe_feed(), "external XML entity"),
    ],
    ids=["flood", "flood-after-pi", "xxe-after-pi"],
)
def test_entity_attacks_are_refused_in_one_line(document: str, reason: str) -> None:
    from newsroom_tui.parse.entries import FeedParseError
    from newsroom_tui.parse.registry import parse_feed

    with pytest.raises(FeedParseError, match=reason) as refused:
        parse_feed(document.encode("utf-8"), "http://x/flut.rss")
    assert "\n" not in str(refused.value)


def test_a_few_short_entities_are_still_read() -> None:
    from newsroom_tui.parse.registry import parse_feed

    parsed = parse_feed(site.entity_flood_feed(decls=3, refs=6).encode(), "http://x/f.rss")
    assert parsed.entries[0].summary_html.count("Pressemitteilung") == 6 * 14


@pytest.mark.parametrize("kind", KINDS)
async def test_entity_floods_fail_alone_beside_healthy_feeds(
    server: FixtureServer, store: SQLiteStore, kind: str
) -> None:
    healthy = site.add_healthy(server)
    server.add("/flut.rss", site.entity_flood_feed(refs=100_000), "application/rss+xml")
    server.add("/flut-pi.rss", site.entity_flood_feed(refs=100_000, pi=True), "application/rss+xml")
    for url in [server.url("/flut.rss"), server.url("/flut-pi.rss"), *healthy]:
        store.add_feed(url)
    async with fetcher_of(kind, timeout=5, deadline=10) as fetcher:
        report = await poll_feeds(store, fetcher=fetcher)
    assert sorted(o.feed.url.rsplit("/", 1)[1] for o in report.failed) == [
        "flut-pi.rss",
        "flut.rss",
    ]
    assert all("entity expansion" in (o.error or "") for o in report.failed)
    assert_healthy_whole(store, healthy)


# Images ---------------------------------------------------------------------------------------


async def test_a_gallery_of_huge_pngs_is_refused_before_decoding(
    server: FixtureServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image, PngImagePlugin

    from newsroom_tui.net.image_cache import ImageCache

    huge = site.huge_png()
    assert len(huge) < 2 * 1024 * 1024  # small on the wire, under Pillow's own limit
    assert Image.MAX_IMAGE_PIXELS > 9400 * 9400
    for n in range(6):
        server.add(f"/galerie/{n}.png", huge, "image/png")
    photo = Image.new("RGB", (4000, 3000), (20, 90, 160))
    out = tmp_path / "foto.jpg"
    photo.save(out, format="JPEG")
    server.add("/galerie/foto.jpg", out.read_bytes(), "image/jpeg")
    loads: list[tuple[int, int]] = []
    original = PngImagePlugin.PngImageFile.load

    def counted(self: PngImagePlugin.PngImageFile) -> object:
        loads.append(self.size)
        return original(self)

    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", counted)
    cache = ImageCache(tmp_path / "images")
    urls = [server.url(f"/galerie/{n}.png") for n in range(6)] + [server.url("/galerie/foto.jpg")]
    async with Fetcher() as fetcher:
        tiles = await asyncio.gather(*(cache.thumbnail(url, fetcher) for url in urls))
    assert tiles[:6] == [None] * 6
    assert (9400, 9400) not in loads  # never decoded at full size
    tile = tiles[6]
    assert tile is not None and tile.size == (320, 240)


def test_opml_with_a_nul_character_is_refused_in_one_line() -> None:
    """Found by bench/bench_fuzz.py: lxml's message for it spans two lines."""
    from newsroom_tui.ingest.opml import SubscriptionListError, parse_opml

    data = b"<?xml version='1.0'?><opml version='2.0'><body><outline text='&\x00'/></body></opml>"
    with pytest.raises(SubscriptionListError, match="not OPML") as refused:
        parse_opml(data)
    assert "\n" not in str(refused.value)
