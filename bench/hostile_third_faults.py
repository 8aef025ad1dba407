"""Issue #24, faults: kill -9 while the workers are in a regex, a migration raced or on a full
disk, a symlink planted at the export's name, a latin-1 terminal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from hostile_third_kit import Case, Side, last_line

from tests.hostile_faults_site import alive, descendants

# A cache one schema version behind the side's code, with a feed and 200 articles.
OLD_CACHE = """
import sqlite3, sys
from newsroom_tui.store import migrations
from newsroom_tui.store.sqlite import FTS_ROW
from newsroom_tui.text.search_text import fold
path = sys.argv[1]
conn = sqlite3.connect(path, isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.create_function("nr_fold", 1, fold, deterministic=True)
version = migrations.SCHEMA_VERSION - 1
for step in migrations.MIGRATIONS[:version]:
    conn.execute("BEGIN")
    for statement in step.format(fts_row=FTS_ROW).split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("COMMIT")
conn.execute(f"PRAGMA user_version = {version}")
conn.execute("INSERT INTO feeds (url, added) VALUES ('https://www.herne.de/rss', '2026-12-01')")
for n in range(200):
    conn.execute(
        "INSERT INTO articles (feed_id, guid, title, sort_key, fetched, body)"
        " VALUES (1, ?, ?, '2026-12-01', '2026-12-01', ?)",
        (f"herne-{n}", f"Baumfällungen {n}", "Das Grünflächenamt fällt Bäume. " * 20),
    )
conn.close()
"""


BUSY_POOL = """
import asyncio, re
from newsroom_tui.ingest import worker_pool

async def run():
    pool = worker_pool.Workers(2)
    await asyncio.gather(*(pool.run(re.fullmatch, "(?:a|aa)*b", "a" * 64) for _ in range(2)))

asyncio.run(run())
"""


def _kill_9_in_regex(side: Side) -> str:
    proc = subprocess.Popen(
        [sys.executable, "-c", BUSY_POOL],
        env=side.env,
        cwd=side.work,  # not this checkout: ``-c`` imports from the working directory first
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    helpers: set[int] = set()
    try:
        end = time.monotonic() + 60
        while len(helpers) < 4 and time.monotonic() < end:  # tracker, fork server, 2 workers
            helpers |= descendants(proc.pid)
            time.sleep(0.1)
        time.sleep(2)  # both workers deep in the regex
        os.kill(proc.pid, signal.SIGKILL)
        killed = time.monotonic()
        while any(alive(p) for p in helpers) and time.monotonic() < killed + 20:
            time.sleep(0.1)
        left = [p for p in helpers if alive(p)]
        if left:
            return f"broken: {len(left)} of {len(helpers)} helpers still running 20 s after kill -9"
        return f"held: {len(helpers)} helpers gone {time.monotonic() - killed:.1f} s after kill -9"
    finally:
        for pid in helpers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        proc.kill()
        proc.wait()


RACE = """
import sqlite3, sys
from newsroom_tui.store import SQLiteStore, migrations
from newsroom_tui.store import sqlite as store
path = sys.argv[1]
ours = sqlite3.connect(path, isolation_level=None)
ours.create_function("nr_fold", 1, store.fold, deterministic=True)
raced = []
def other_start_first(statement):
    if statement.startswith("BEGIN") and not raced:
        raced.append(1)
        SQLiteStore(__import__("pathlib").Path(path)).close()
ours.set_trace_callback(other_start_first)
try:
    migrations.migrate(ours, fts_row=store.FTS_ROW)
    print("held: the second start finds the step done")
except sqlite3.Error as exc:
    print(f"broken: the second start fails: {exc}")
"""


def _migration_race(side: Side) -> str:
    path = str(side.work / "newsroom.sqlite3")
    made = side.python(OLD_CACHE, path)
    if made.returncode:
        return f"broken: setting up: {last_line(made.stderr)}"
    return last_line(side.python(RACE, path).stdout) or "broken: no outcome"


FULL_DISK = """
import sys
from pathlib import Path
from newsroom_tui.store import sqlite as store
connect = store._connect
def full(where):
    conn = connect(where)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    return conn
store._connect = full
try:
    store.SQLiteStore(Path(sys.argv[1]))
    print("broken: the migration did not need the disk")
except store.StoreError as exc:
    held = "full" in str(exc) and "rollback" not in str(exc)
    print(("held: " if held else "broken: ") + str(exc).split(": ", 1)[-1])
"""


def _migration_full_disk(side: Side) -> str:
    path = str(side.work / "newsroom.sqlite3")
    made = side.python(OLD_CACHE, path)
    if made.returncode:
        return f"broken: setting up: {last_line(made.stderr)}"
    return last_line(side.python(FULL_DISK, path).stdout) or "broken: no outcome"


EXPORT = """
import asyncio, sys
from datetime import UTC, datetime
from pathlib import Path
from newsroom_tui.models import NewArticle
from newsroom_tui.store import FeedUpdate, SQLiteStore
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.screens.reader_handoff import export_name
work = Path(sys.argv[1])
store = SQLiteStore(work / "newsroom.sqlite3")
feed, _ = store.add_feed("https://www.herne.de/rss")
when = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
article = NewArticle("h1", "https://www.herne.de/rat", "Ratssitzung der Stadt Herne", when,
                     body_markdown="Der Rat der Stadt Herne tagt am Dienstag.")
store.save_feed_update(feed.id, FeedUpdate(polled_at=when, articles=[article]))
(stored,) = store.articles()
out = work / "export"
out.mkdir()
victim = work / "victim.txt"
victim.write_text("geheim")
(out / export_name(stored)).symlink_to(victim)
async def main():
    app = NewsroomApp(store, poll_on_start=False, export_dir=out)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
asyncio.run(main())
if victim.read_text() == "geheim":
    print("held: the symlink's target is untouched")
else:
    print("broken: the export overwrote the symlink's target")
"""


def _export_symlink(side: Side) -> str:
    return last_line(side.python(EXPORT, str(side.work)).stdout) or "broken: no outcome"


def _latin1_terminal(side: Side) -> str:
    seed = side.python(
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from pathlib import Path\n"
        "from newsroom_tui.models import NewArticle\n"
        "from newsroom_tui.store import FeedUpdate, SQLiteStore\n"
        "s = SQLiteStore(Path(sys.argv[1]) / 'newsroom.sqlite3')\n"
        "f, _ = s.add_feed('https://www.herne.de/rss')\n"
        "now = datetime(2026, 12, 1, tzinfo=UTC)\n"
        "a = NewArticle('h1', None, 'Straßenbau — Umleitung in Herne', None)\n"
        "s.save_feed_update(f.id, FeedUpdate(polled_at=now, articles=[a]))\n",
        str(side.work / "data"),
    )
    if seed.returncode:
        return f"broken: setting up: {last_line(seed.stderr)}"
    listed = side.run(["list"], env={**side.env, "PYTHONIOENCODING": "latin-1"})
    if listed.returncode or "Traceback" in listed.stderr:
        return f"broken: exit {listed.returncode}: {last_line(listed.stderr)}"
    shown = "?" if " ? Umleitung" in listed.stdout else "something else"
    return f"held: exit 0, the em dash shown as {shown}"


def _churning_feed(round_: int, size: int = 500) -> str:
    items = "".join(
        f"<item><guid>herne-{round_}-{n}</guid><title>Meldung {round_}-{n} aus Herne</title>"
        f"<link>https://www.herne.de/m/{round_}-{n}</link>"
        "<description>Die Stadt Herne teilt mit.</description></item>"
        for n in range(size)
    )
    channel = f"<channel><title>Stadt Herne</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'


def _guid_churn(side: Side) -> str:
    """Six polls of a feed whose 500 GUIDs are new every time, with the default settings
    (pages never fetched: the page budget is another case)."""
    url = side.server.url("/churn.rss")
    config = side.work / "config.toml"
    config.write_text(f'[feeds."{url}"]\nfull_page = "never"\n', "utf-8")
    env = {**side.env, "NEWSROOM_CONFIG": str(config)}
    side.server.add("/churn.rss", _churning_feed(0), "application/rss+xml")
    added = side.run(["add", "--force", url], env=env)
    if added.returncode:
        return f"broken: add: {last_line(added.stderr)}"
    for round_ in range(6):
        side.server.add("/churn.rss", _churning_feed(round_), "application/rss+xml")
        fetched = side.run(["fetch"], env=env)
        if fetched.returncode:
            return f"broken: fetch exit {fetched.returncode}: {last_line(fetched.stderr)}"
    count = side.run(["list", "--limit", "100000"], env=env).stdout.count("aus Herne")
    if count > 2000:
        return f"broken: {count:,} articles after 6 polls of 500 new GUIDs, and growing"
    return f"held: {count:,} articles after 6 polls of 500 new GUIDs (cap 2,000)"


def _extract_image_brackets(side: Side) -> str:
    """An 80 KB page of "![" 40,000 times through `newsroom extract`."""
    page = side.work / "baustellen.html"
    page.write_text(
        "<html><head><title>Baustellen</title></head><body><article><h1>Baustellen in Herne</h1>"
        "<p>Die Stadt Herne informiert.</p><p>" + "![" * 40_000 + "</p></article></body></html>",
        "utf-8",
    )
    started = time.monotonic()
    done = side.run(["extract", str(page)], timeout=120)
    took = time.monotonic() - started
    if done.returncode == -9:
        return "broken: `extract` still running after 120 s"
    if done.returncode or "Die Stadt Herne informiert." not in done.stdout:
        return f"broken: exit {done.returncode}: {last_line(done.stderr)}"
    verdict = "held" if took < 10 else "broken"
    return f"{verdict}: the text in {took:.1f} s"


READER_J = """
import asyncio, sys, time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from newsroom_tui.models import NewArticle
from newsroom_tui.store import FeedUpdate, SQLiteStore
from newsroom_tui.ui.app import NewsroomApp
store = SQLiteStore(Path(sys.argv[1]) / "newsroom.sqlite3")
feed, _ = store.add_feed("https://www.herne.de/rss")
when = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
articles = [
    NewArticle("h1", None, "Ratssitzung in Herne", when, body_markdown="Der Rat tagt."),
    NewArticle("h2", None, "Klammern", when - timedelta(hours=1), body_markdown="[" * 480_000),
]
store.save_feed_update(feed.id, FeedUpdate(polled_at=when, articles=articles))
async def main():
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(50):
            await pilot.pause(0.1)
        pane = app.screen.query_one("ArticleView")
        started = time.monotonic()
        await pilot.press("j")
        while pane.article is None or pane.article.title != "Klammern" or pane.updating:
            await pilot.pause(0.02)
        print(f"{time.monotonic() - started:.1f}")
asyncio.run(main())
"""


def _reader_j_brackets(side: Side) -> str:
    """`j` onto an article whose body is 480,000 "[": the time until the pane shows it."""
    done = side.python(READER_J, str(side.work), timeout=180)
    if done.returncode:
        return f"broken: exit {done.returncode}: {last_line(done.stderr)}"
    took = float(last_line(done.stdout))
    verdict = "held" if took < 3 else "broken"
    return f"{verdict}: `j` shows the article in {took:.1f} s"


LINK_LIST = """
import time
from datetime import UTC, datetime
from newsroom_tui.models import Article
from newsroom_tui.ui.widgets.article_pane import article_links
body = "[Stadt Herne](https://www.herne.de) " + "[" * 479_000 + "]" * 1_000
when = datetime(2026, 12, 1, tzinfo=UTC)
started = time.monotonic()
article = Article(1, 1, "Stadt Herne", None, "Klammern", when, False, body_markdown=body)
links = article_links(article)
print(f"{len(links)} {time.monotonic() - started:.2f}")
"""


def _reader_link_list(side: Side) -> str:
    """`l` (the article's links) on a body of 480,000 brackets."""
    done = side.python(LINK_LIST, timeout=60)
    if done.returncode == -9:
        return "broken: the link list still being made after 60 s"
    if done.returncode:
        return f"broken: exit {done.returncode}: {last_line(done.stderr)}"
    count, took = last_line(done.stdout).split()
    return f"held: {count} link(s) listed in {float(took):.2f} s"


CASES = [
    Case("kill -9 of newsroom while two workers are inside a long regex", _kill_9_in_regex),
    Case("a second start during a schema migration (after a kill -9)", _migration_race),
    Case("disk full during a schema migration", _migration_full_disk),
    Case("`e` export with a symlink planted at its file name", _export_symlink),
    Case("`list` on a latin-1 terminal with an em dash in a title", _latin1_terminal),
    Case("a feed whose 500 GUIDs change every poll, six polls", _guid_churn),
    Case("`extract` of an 80 KB page of `![` 40,000 times", _extract_image_brackets),
    Case("`j` onto an article whose body is 480,000 `[`", _reader_j_brackets),
    Case("`l` (the article's links) on a body of 480,000 `[`", _reader_link_list),
]
