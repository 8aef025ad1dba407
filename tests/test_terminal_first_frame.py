"""The installed ``newsroom``'s first frames in a real terminal (tmux), everything it wrote
recorded (``tmux pipe-pane``): the list and the article drawn as they stay, from the first
frame on (issue #25): at 80 columns one pane, never two then one; counts, never "0 articles"
beside a full list; the list's rows where they stay, not pushed down by the feeds arriving;
and most of an 80x24 screen for the list, as newsboat gives it."""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsroom_tui.models import NewArticle
from newsroom_tui.store import FeedUpdate, open_store
from newsroom_tui.watch.watchlist import Watchlist
from tests.sample_cache import build_sample_cache
from tests.terminal import DEADLINE, NEWSROOM, SIZES, Terminal, require_tmux

FIRST_ROW = "2025-05-28 11:00"  # the newest article (TZ Europe/Berlin): its list row, pane date
_MOVE = re.compile(r"\x1b\[(\d+);\d+H")
START_DELAY = "0.5"  # seconds the command waits, for the recording to start first


class Recorded:
    """A terminal whose output is recorded from before ``newsroom`` starts."""

    def __init__(self, terminal: Terminal, output: Path) -> None:
        self.terminal, self.output = terminal, output

    @property
    def raw(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def recorded(tmp_path: Path, _isolated_config: Path) -> Iterator[Recorded]:
    require_tmux()
    terminal = Terminal(tmp_path, *SIZES["80x24"])
    output = tmp_path / "output.raw"
    output.touch()
    yield Recorded(terminal, output)
    terminal.close()


def start(recorded: Recorded, data_dir: Path) -> Terminal:
    terminal = recorded.terminal
    # the command waits a moment: the recording starts before its first byte
    program = ["sh", "-c", f'sleep {START_DELAY}; exec "$0" "$@"', str(NEWSROOM)]
    terminal.start(
        ["--no-poll", "--data-dir", str(data_dir)],
        env={"NEWSROOM_CONFIG": str(data_dir.parent / "config.toml")},
        program=program,
    )
    tmux = ["tmux", "-L", terminal.socket, "-f", "/dev/null"]
    record = f"cat >> {shlex.quote(str(recorded.output))}"
    subprocess.run(
        [*tmux, "pipe-pane", "-O", "-t", terminal.session, record],
        check=True,
        timeout=DEADLINE,
    )
    return terminal


def rows_drawn(raw: str, text: str) -> set[int]:
    """The screen rows (1-based) ``text`` was written at: the row of the last cursor
    move before each occurrence."""
    rows = set()
    for found in re.finditer(re.escape(text), raw):
        moves = list(_MOVE.finditer(raw, 0, found.start()))
        if moves:
            rows.add(int(moves[-1].group(1)))
    return rows


def drawn_at_row(raw: str, row: int, after: int) -> str:
    """What was first written on screen row ``row`` after offset ``after`` of the output
    (up to the next cursor move)."""
    start = raw.find(f"\x1b[{row};1H", after)
    if start < 0:
        return ""
    end = _MOVE.search(raw, start + 4)
    return raw[start : end.start() if end else len(raw)]


def test_the_first_frame_at_80_columns_is_the_list_alone_with_its_counts(
    recorded: Recorded, data_dir: Path
) -> None:
    build_sample_cache(data_dir).close()
    terminal = start(recorded, data_dir)
    terminal.wait_for("6 stories, 6 unread")
    terminal.wait_for("Stadt Herne")  # the feeds are counted too
    raw = recorded.raw
    assert FIRST_ROW in raw
    assert "│" not in raw  # never two panes (the divider) at 80 columns
    assert "0 stories" not in raw and "last poll never" not in raw  # no zeros beside the list
    assert len(rows_drawn(raw, FIRST_ROW)) == 1  # the list's first row never moved
    # the keys line comes with the list, not frames later
    assert "Quit" in drawn_at_row(raw, 24, raw.find(FIRST_ROW))


def test_the_list_keeps_most_of_80x24_beside_watchlists_and_feeds(
    recorded: Recorded, data_dir: Path
) -> None:
    """Two watchlists and five feeds: newsboat shows 22 article rows at 80x24; the reader
    showed 12 (the top panel took 9 rows)."""
    store = open_store(data_dir)
    now = datetime(2025, 6, 2, 7, 45, tzinfo=UTC)
    towns = ["Herne", "Bochum", "Dortmund", "Gelsenkirchen", "Witten"]
    for town in towns:
        feed, _ = store.add_feed(f"https://www.{town.lower()}.example/presse.rss")
        articles = [
            NewArticle(
                f"{town}-{n}",
                f"https://www.{town.lower()}.example/meldung/{n}.html",
                f"Stadt {town}: Meldung {n} über Straßenbau",
                now - timedelta(hours=n * len(towns) + len(town)),
                body_markdown=f"Meldung {n} der Stadt {town}.",
            )
            for n in range(8)
        ]
        store.save_feed_update(
            feed.id, FeedUpdate(polled_at=now, title=f"Stadt {town}", articles=articles)
        )
    store.add_watchlist(Watchlist("Sperrungen", "Sperrung"))
    store.add_watchlist(Watchlist("Straßenbau", "Straßenbau"))
    store.close()
    terminal = start(recorded, data_dir)
    screen = terminal.wait_for("40 stories, 40 unread")
    screen = terminal.wait_for("◆ Straßenbau")  # the watchlists are shown
    list_rows = [line for line in screen.splitlines() if "Meldung" in line and ": " in line]
    assert len(list_rows) >= 18, screen
