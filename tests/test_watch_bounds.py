"""Bounds on the work a watchlist may cause: a command's output is read in chunks with only
its tail kept, a query is nested at most QUERY_MAX_DEPTH levels (in ``watch add``, the
config file and a row written by hand alike)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.cli import main
from newsroom_tui.ingest.poller import poll_feeds
from newsroom_tui.paths import database_path
from newsroom_tui.store.sqlite import SQLiteStore
from newsroom_tui.text.search_query import (
    QUERY_MAX_CHARS,
    QUERY_MAX_DEPTH,
    Query,
    QueryError,
    _depth,
    parse_query,
)
from newsroom_tui.watch.alerts import CommandRunner
from newsroom_tui.watch.article_text import ArticleText, FeedText
from newsroom_tui.watch.watchlist import checked_watchlist
from newsroom_tui.watch_records import WatchMatch
from tests.fixture_server import FixtureServer
from tests.watch_feeds import press_offices

SPERRUNG = ArticleText(
    FeedText.of("Stadt Herne", "Kommunen"),
    "Vollsperrung der Bahnhofstraße ab Montag",
    "Wegen Kanalarbeiten ist die Bahnhofstraße gesperrt; Müll wird nicht abgeholt.",
    "",
)
FLOOD_MB = 300
# A child: a CommandRunner runs a command writing FLOOD_MB to stderr, then its last line;
# the child prints the report and its own peak memory (MB).
FLOOD_CHILD = f"""
import sys
from newsroom_tui.watch.alerts import CommandRunner
flood = (
    "import sys\\n"
    "for _ in range({FLOOD_MB}): sys.stderr.buffer.write(b'Fehler ' * 149796 + b'\\\\n')\\n"
    "sys.exit('Kanal nicht erreichbar')"
)
reports = []
runner = CommandRunner(reports.append, timeout=120)
runner.start([sys.executable, "-c", flood], b'{{"title": "Vollsperrung"}}', "watch 'Kanal'")
runner.close()
print(reports)
# the peak of this process's own memory (VmHWM: not the parent's, which ru_maxrss inherits
# when the parent forked it from a large pytest worker)
status = open("/proc/self/status").read()
print(int(status.split("VmHWM:")[1].split()[0]) // 1024)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_command_flooding_stderr_costs_only_the_tail_of_it() -> None:
    """300 MB on stderr: newsroom kept all of it in memory for the error line (1.5 GB grew
    it to 4.66 GB); now it reads in chunks and keeps the last 64 KB."""
    done = subprocess.run(
        [sys.executable, "-c", FLOOD_CHILD], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    reports, peak = done.stdout.strip().splitlines()
    assert reports.startswith("[\"watch 'Kanal': ")
    assert reports.endswith('exited with status 1: Kanal nicht erreichbar"]')
    assert int(peak) < FLOOD_MB // 3, f"{peak} MB for {FLOOD_MB} MB of stderr"


def test_a_command_writing_without_end_is_ended_at_its_time_limit() -> None:
    endless = [sys.executable, "-c", "import sys\nwhile True: sys.stderr.write('x' * 65536)"]
    reports: list[str] = []
    runner = CommandRunner(reports.append, timeout=0.5)
    runner.start(endless, b"{}", "watch 'Endlos'")
    runner.close(wait=30)
    assert len(reports) == 1 and reports[0].endswith("took longer than 0.5 s and was ended")


def test_a_command_that_never_reads_its_input_still_finishes() -> None:
    """A payload larger than a pipe holds, for a command that ignores it and fails."""
    reports: list[str] = []
    runner = CommandRunner(reports.append, timeout=30)
    quits = [sys.executable, "-c", "import sys; sys.exit('keine Eingabe gelesen')"]
    runner.start(quits, b"x" * 1_000_000, "watch 'Taub'")
    runner.close()
    assert reports == [
        f"watch 'Taub': {sys.executable} exited with status 1: keine Eingabe gelesen"
    ]


def nested(depth: int) -> str:
    return "(" * depth + "Fliegerbombe" + ")" * depth


@pytest.mark.parametrize(
    "query",
    [
        nested(990),
        "NOT " * 400 + "Fliegerbombe",
        "title:" * 330 + "Fliegerbombe",
        "-(" * 600 + "Fliegerbombe" + ")" * 600,
        nested(QUERY_MAX_DEPTH + 1),
    ],
    ids=["parentheses", "NOT", "fields", "minus", "one too deep"],
)
def test_a_query_nested_too_deeply_is_refused_in_one_line(query: str) -> None:
    with pytest.raises(QueryError) as raised:
        parse_query(query)
    assert str(raised.value) == (
        f"the query is nested deeper than {QUERY_MAX_DEPTH} levels (parentheses, NOT, fields)"
    )


def test_a_query_nested_up_to_the_limit_is_read() -> None:
    assert parse_query(nested(QUERY_MAX_DEPTH - 1)).words == ["fliegerbombe"]


def test_or_inside_parentheses_counts_toward_the_depth() -> None:
    """Each parenthesis holding an OR adds a level to the tree that the parenthesis count
    alone missed: 49 of them made a tree 52 deep (Hypothesis found it)."""
    text = "(Bombe OR NOT Übung " * 49 + "Sperrung" + ")" * 49
    with pytest.raises(QueryError, match="nested deeper than 50 levels"):
        parse_query(text)
    shallow = "(Bombe OR NOT Übung " * 40 + "Sperrung" + ")" * 40
    assert tree_depth(parse_query(shallow)) <= QUERY_MAX_DEPTH + 1


NESTING = st.sampled_from(["(", "NOT ", "-", "title:", "feed:", "(Bombe OR ", "NOT Übung "])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(NESTING, min_size=1, max_size=6),
    st.integers(0, QUERY_MAX_CHARS),
    st.sampled_from(["Sperrung", '"Stadt Herne"', "Müll)"]),
)
def test_any_nesting_parses_or_fails_in_one_line(pattern: list[str], size: int, word: str) -> None:
    """Any mix of nesting, up to the longest query allowed (``size`` characters): a Query or
    one line of error, never a RecursionError."""
    prefix: list[str] = []
    while True:
        more = [*prefix, pattern[len(prefix) % len(pattern)]]
        closers = sum(1 for p in more if p.startswith("("))
        if len("".join(more)) + len(word) + closers > size:
            break
        prefix = more
    text = "".join(prefix) + word + "".join(")" for p in prefix if p.startswith("("))
    try:
        query = parse_query(text)
    except QueryError as exc:
        assert "\n" not in str(exc)
    else:
        assert tree_depth(query) <= QUERY_MAX_DEPTH + 1
        query.matches(SPERRUNG)  # matching recurses as deep as the tree


def tree_depth(query: Query) -> int:
    return _depth(query.root)


def test_a_deep_config_watchlist_is_one_line_of_config_error(
    config_file: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file.write_text(f'[general]\n\n[watch."Tief"]\nquery = "{nested(990)}"\n', "utf-8")
    for command in (["list"], ["watch", "list"], ["fetch"]):
        code = main(["--data-dir", str(data_dir), *command])
        _, err = capsys.readouterr()
        assert code == 2
        assert err == (
            f"newsroom: config error: {config_file} line 3: watch.Tief is not usable: "
            f"watchlist 'Tief': the query is nested deeper than {QUERY_MAX_DEPTH} levels "
            "(parentheses, NOT, fields)\n"
        )


async def test_a_deep_watchlist_written_by_hand_is_skipped_and_the_others_match(
    server: FixtureServer, store: SQLiteStore, data_dir: Path
) -> None:
    city, police = press_offices(server)
    store.add_feed(city)
    store.add_feed(police)
    store.add_watchlist(checked_watchlist("Kampfmittel", "Fliegerbombe"))
    with sqlite3.connect(database_path(data_dir)) as db:
        db.execute(
            "INSERT INTO watchlists (name, query, created) VALUES ('Tief', ?, '2025-04-11')",
            (nested(990),),
        )
    heard: list[WatchMatch] = []
    store.on_watch_match(heard.extend)
    report = await poll_feeds(store)
    assert not report.failed and report.new_articles == 4
    assert [m.watchlist.name for m in heard] == ["Kampfmittel"]
    assert json.dumps([w.name for w in store.watchlists()]) == '["Kampfmittel", "Tief"]'
