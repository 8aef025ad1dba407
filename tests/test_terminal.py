"""The installed ``newsroom`` in a real terminal (tmux): what a desk meets on its first day,
typed as keys at newsboat's 80x24 and on a wide screen (see ``tests/terminal.py``)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsroom_tui.models import NewArticle
from newsroom_tui.store import FeedUpdate, Store
from tests import pg_server
from tests.sample_cache import POLLED, build_sample_cache, fill_sample
from tests.terminal import DEADLINE, POLL, SIZES, Terminal, newsroom, require_tmux

# The sample cache's list, newest first: (title, body)
BOCHUM = ("Bochum: Neue Radwege", "Meldung 0 der Agentur.")
GELSENKIRCHEN = ("Gelsenkirchen ehrt Ehrenamtliche", "Meldung 1 der Agentur.")
DORTMUND = ("Dortmunder Hafen feiert 125 Jahre", "Meldung 2 der Agentur.")
SPERRUNG = ("Straßensperrung an der Bahnhofstraße", "Wegen Kanalarbeiten")
KOMMUNALES = "herne.example/meldungen/kim.html"  # the last article's link, in the article
LIST_ROW = "2025-03-05 13:30"  # Straßensperrung's row: the list is on screen
UNREACHABLE = "UNREACHABLE"  # "DATABASE UNREACHABLE", at 80 columns "DB UNREACHABLE"
LIST_FOCUSED = "⏎ Read"  # the footer while the list has the focus (not the article)
ONE_SIZE = ["80x24"]
BOTH_SIZES = list(SIZES)

Open = Callable[..., Terminal]


@pytest.fixture
def open_reader(tmp_path: Path, _isolated_config: Path) -> Iterator[Open]:
    """Opens ``newsroom --no-poll ARGS`` in a terminal of a given size; every terminal
    opened is closed (its tmux server killed) at the end of the test."""
    require_tmux()
    opened: list[Terminal] = []

    def open_(size: str, *args: str, program: list[str] | None = None) -> Terminal:
        width, height = SIZES[size]
        terminal = Terminal(tmp_path, width, height)
        opened.append(terminal)
        return terminal.start(
            ["--no-poll", *args], env={"NEWSROOM_CONFIG": str(_isolated_config)}, program=program
        )

    yield open_
    for terminal in opened:
        terminal.close()


@pytest.fixture
def sample(data_dir: Path) -> Path:
    build_sample_cache(data_dir).close()
    return data_dir


def started(terminal: Terminal) -> str:
    return terminal.wait_for("6 stories")


def unread(terminal: Terminal, n: int) -> str:
    return terminal.wait_for(f"6 stories, {n} unread")


@pytest.mark.parametrize("size", BOTH_SIZES)
def test_the_links_dialog_answered_with_its_number_and_enter(
    open_reader: Open, sample: Path, size: str
) -> None:
    """``u``, ``1``, ``Enter`` (as the dialog's hint once said): with one link, 1 already answers;
    the Enter typed with it must not dismiss the dialog a second time (that popped the
    reader itself: ScreenStackError, and exit status 0)."""
    reader = open_reader(size, "--data-dir", str(sample))
    started(reader)
    reader.keys("Enter")
    reader.wait_for(BOCHUM[1])
    reader.keys("u")
    reader.wait_for("number: open")
    reader.keys("1", "Enter")  # typed together, as a person does
    reader.wait_gone("number: open")
    reader.keys("u")  # the reader still answers
    reader.wait_for("number: open")
    reader.keys("Escape")
    reader.wait_gone("number: open")
    assert not reader.ended, reader.screen()
    reader.keys("q")  # out of the article ...
    reader.wait_for(LIST_FOCUSED)
    reader.keys("q")  # ... and out of the reader
    assert reader.exit_status() == 0


# the command's own main, with the help key broken: an exception nothing in the reader handles
CRASHING = """
from newsroom_tui.cli import main
from newsroom_tui.ui.screens.reader import ReaderScreen

def broken(self):
    raise ZeroDivisionError("help broken on purpose")

ReaderScreen.action_help = broken
raise SystemExit(main())
"""


def test_a_crash_ends_with_a_failing_status(open_reader: Open, sample: Path) -> None:
    """An exception the reader does not handle ends it with a non-zero status (it was 0:
    a script or a service manager took the crash for a quit)."""
    reader = open_reader(
        "80x24", "--data-dir", str(sample), program=[sys.executable, "-c", CRASHING]
    )
    started(reader)
    reader.keys("?")
    assert reader.exit_status() == 1
    assert "help broken on purpose" in reader.screen()


@pytest.mark.parametrize("size", BOTH_SIZES)
def test_n_in_the_article_opens_the_next_unread_article(
    open_reader: Open, sample: Path, size: str
) -> None:
    """``n`` in the article view opens the next unread article in place, as in newsboat;
    at 80x24 it used to close the article and mark the next one read unseen."""
    reader = open_reader(size, "--data-dir", str(sample))
    started(reader)
    reader.keys("Enter")
    unread(reader, 5)  # Enter marks it read at once
    reader.keys("n")
    shown = reader.wait_for(GELSENKIRCHEN[1])
    assert LIST_FOCUSED not in shown  # the article keeps the focus
    if size == "80x24":
        assert LIST_ROW not in shown  # the article view, not the list
    unread(reader, 4)  # shown, and so read once it stayed on screen
    reader.keys("n")
    reader.wait_for(DORTMUND[1])
    reader.keys("p")  # the previous unread one: there is none above, it wraps to the end
    reader.wait_for(KOMMUNALES)
    reader.keys("q")  # back to the list ...
    reader.wait_for(LIST_FOCUSED)
    reader.keys("q")  # ... and out
    assert reader.exit_status() == 0


@pytest.mark.parametrize("size", BOTH_SIZES)
@pytest.mark.parametrize("back", ["Escape", "q"])
def test_leaving_an_article_returns_to_the_kept_search(
    open_reader: Open, sample: Path, size: str, back: str
) -> None:
    """``/`` a word ``Enter`` keeps the search; an article opened from its hits and left
    again (Escape or q) returns to the hits, not to the whole list."""
    reader = open_reader(size, "--data-dir", str(sample))
    started(reader)
    reader.keys("/")
    reader.type("Hafen")
    reader.keys("Enter")
    reader.wait_until(lambda s: "1 shown (search: Hafen)" in s and LIST_FOCUSED in s, "hits")
    reader.keys("Enter")
    reader.wait_gone(LIST_FOCUSED)  # the article has the focus
    reader.wait_for(DORTMUND[1])
    reader.keys(back)
    shown = reader.wait_for(LIST_FOCUSED)
    assert "1 shown (search: Hafen)" in shown and DORTMUND[0] in shown
    assert GELSENKIRCHEN[0] not in shown
    reader.keys(back)  # one more step back leaves the search
    shown = reader.wait_for(GELSENKIRCHEN[0])
    assert "search: Hafen" not in shown


@pytest.fixture
def team(pg_dsn: str) -> Iterator[tuple[str, list[int]]]:
    """The team store with the sample articles; their ids, newest first."""
    from newsroom_tui.store.postgres import PostgresStore

    anna: Store = PostgresStore(pg_dsn, user="anna")
    fill_sample(anna)
    ids = [a.id for a in anna.articles()]
    anna.close()
    yield pg_dsn, ids


def team_readers(open_reader: Open, dsn: str, tmp_path: Path) -> list[Terminal]:
    """A narrow and a wide reader on the team store, each showing its list."""
    readers = [
        open_reader(size, "--data-dir", str(tmp_path / size), "--database", dsn)
        for size in BOTH_SIZES
    ]
    for reader in readers:
        reader.wait_for("team inbox")
    return readers


@pytest.mark.parametrize("size", BOTH_SIZES)
def test_a_colleagues_done_keeps_my_place(
    open_reader: Open, team: tuple[str, list[int]], size: str, tmp_path: Path
) -> None:
    """I read article 2; a colleague (another process) marks it done: it stays open with a
    notice, and ``j`` goes on to article 3 (it used to skip to article 4)."""
    dsn, ids = team
    reader = open_reader(size, "--data-dir", str(tmp_path / "anna"), "--database", dsn)
    reader.wait_for("6 stories")
    reader.keys("j", "Enter")
    reader.wait_for(GELSENKIRCHEN[1])
    done = newsroom("--database", dsn, "--user", "ben", "done", str(ids[1]))
    assert done.returncode == 0, done.stderr
    shown = reader.wait_for("Marked done by a")
    assert GELSENKIRCHEN[1] in shown  # still open
    reader.keys("Escape")  # back to the list (a key right after Escape would be Alt+key)
    reader.wait_for(LIST_FOCUSED)
    if size == "80x24":
        reader.keys("j", "Enter")  # on to the next, and open it
    else:
        reader.keys("j")  # the wide list: the article follows the cursor
    reader.wait_for(DORTMUND[1])


def test_an_empty_cache_says_how_to_add_a_feed(open_reader: Open, data_dir: Path) -> None:
    """A first start, nothing subscribed: the list (all a narrow terminal shows) says how
    to add a feed."""
    reader = open_reader("80x24", "--data-dir", str(data_dir))
    # once the layout settled (the first frame may draw the article pane beside the list)
    shown = reader.wait_until(lambda s: LIST_FOCUSED in s and "│" not in s, "the narrow list")
    assert "newsroom add" in shown


@pytest.mark.parametrize("size", BOTH_SIZES)
def test_undo_of_a_done_says_what_came_back(open_reader: Open, sample: Path, size: str) -> None:
    reader = open_reader(size, "--data-dir", str(sample))
    started(reader)
    reader.keys("D")
    reader.wait_gone(BOCHUM[0])  # it left the list
    reader.keys("U")
    shown = reader.wait_for(BOCHUM[0])
    assert "Undone: done." not in shown
    reader.wait_for("Not done any more: Bochum")


def test_the_list_pages_with_the_keys_the_help_names(open_reader: Open, sample: Path) -> None:
    """ctrl+f / ctrl+b page through the list, Home / End go to its ends (the wide list:
    the article follows the cursor); the help names them."""
    reader = open_reader("200x50", "--data-dir", str(sample))
    started(reader)
    reader.wait_for(BOCHUM[1])
    for key, shown in [("C-f", KOMMUNALES), ("C-b", BOCHUM[1]), ("End", KOMMUNALES)]:
        reader.keys(key)
        reader.wait_for(shown)
    reader.keys("Home")
    reader.wait_for(BOCHUM[1])
    reader.keys("?")
    shown = reader.wait_for("ctrl+f / ctrl+b")
    assert "Home / End" in shown and "PageUp" in shown


def test_two_readers_notice_the_database_back_after_a_restart(
    open_reader: Open,
    team: tuple[str, list[int]],
    pg: pg_server.PgServer,
    tmp_path: Path,
) -> None:
    """Two readers on the team store (one narrow, one wide); PostgreSQL stopped and started
    again: both say the database is unreachable, then notice it back and show their list
    again. A poll (r) while it is away is said, not a crash (the poll's first read of the
    feeds raised StoreError out of its worker, and the reader ended with a traceback)."""
    dsn, _ = team
    readers = team_readers(open_reader, dsn, tmp_path)
    pg.stop(mode="fast")
    try:
        for reader in readers:
            reader.wait_for(UNREACHABLE)
            reader.keys("j", "r")  # a desk reads on, and polls: neither can reach it now
    finally:
        pg.restart()
    for reader in readers:
        shown = reader.wait_until(
            lambda s: UNREACHABLE not in s and "team inbox" in s and GELSENKIRCHEN[0] in s,
            "the list back",
        )
        placeholders = [line for line in shown.splitlines() if line.startswith("…")]
        assert not placeholders, shown


def test_readers_notice_a_quick_database_restart(
    open_reader: Open,
    team: tuple[str, list[int]],
    pg: pg_server.PgServer,
    tmp_path: Path,
) -> None:
    """PostgreSQL stopped and started again at once: the listener's "back" came first, the
    reload it started met the connection the restart had closed, and the readers said
    DATABASE UNREACHABLE for good; they now try the server until it answers and read
    again what they show."""
    dsn, ids = team
    readers = team_readers(open_reader, dsn, tmp_path)
    pg.stop(mode="fast")
    pg.restart()
    # A colleague claims the first article (and gives it up, and claims it again) until
    # both readers show the claim: their listeners are back, and have said so.
    end = time.monotonic() + DEADLINE
    while True:
        assert newsroom("--database", dsn, "--user", "ben", "claim", str(ids[0])).returncode == 0
        heard = time.monotonic() + 2.0
        while time.monotonic() < heard and not all("[BE]" in r.screen() for r in readers):
            time.sleep(POLL)
        if all("[BE]" in r.screen() for r in readers):
            break
        assert time.monotonic() < end, [r.screen() for r in readers]
        newsroom("--database", dsn, "--user", "ben", "release", str(ids[0]))
    for reader in readers:
        reader.wait_until(
            lambda s: UNREACHABLE not in s and "team inbox" in s and GELSENKIRCHEN[0] in s,
            "the list back, and the database not called unreachable",
        )


@pytest.mark.parametrize("size", ONE_SIZE)
def test_J_shows_each_feed_it_steps_to_on_the_feed_line(
    open_reader: Open, sample: Path, size: str
) -> None:
    """The line above the list names the feed chosen; J steps through the feeds. It showed
    the first feed stepped to and kept it while the list moved on (only the cursor's old and
    new rows were drawn again, and in the one-line view neither is the line on screen)."""
    reader = open_reader(size, "--data-dir", str(sample))
    started(reader)

    def feed_line(screen: str) -> str:
        return screen.splitlines()[1]

    reader.keys("J")
    reader.wait_until(lambda s: feed_line(s).startswith("Stadt Herne"), "the first feed")
    reader.keys("J")
    reader.wait_until(
        lambda s: feed_line(s).startswith("Ruhr-Nachrichten Agentur"), "the second feed"
    )
    reader.keys("J")  # round again to the first
    reader.wait_until(lambda s: feed_line(s).startswith("Stadt Herne"), "the first feed again")


def test_at_80_columns_the_status_line_keeps_the_counts_and_the_last_poll(
    open_reader: Open, data_dir: Path
) -> None:
    """Two failed feeds, one feed's view and a filter: the line used to run out at "6
    articles, 6" and cut the last poll; what the list is narrowed to gives way now."""
    store = build_sample_cache(data_dir)
    for feed in store.feeds():
        store.record_failure(feed.id, POLLED, "cannot connect: connection refused")
    store.close()
    reader = open_reader("80x24", "--data-dir", str(data_dir))
    started(reader)
    reader.keys("J")
    reader.wait_for("3 shown")
    reader.keys("f", "f")  # unread, then flagged: none of them
    shown = reader.wait_for("0 shown")
    status = next(line for line in shown.splitlines() if "0 shown" in line)
    assert "2 feeds failed" in status, status
    assert "6 stories, 6 unread" in status, status
    assert "last poll 2025-06-02 07:45" in status, status


# An article of a feed that gives only titles and links, whose page could not be read
POLICE_LINK = (
    "https://www.polizei.example/bochum/meldungen/2025/05/20/verkehrsunfall-mit-mehreren-"
    "verletzten-auf-der-a40-in-hoehe-der-anschlussstelle-bochum-stahlhausen.html"
)
POLICE_TITLE = "Verkehrsunfall auf der A40"


@pytest.fixture
def police(data_dir: Path) -> Path:
    """The sample cache and, newest, a police report with a long link and no text."""
    store = build_sample_cache(data_dir)
    feed, _ = store.add_feed("https://www.polizei.example/bochum.rss")
    report = NewArticle("a40", POLICE_LINK, POLICE_TITLE, POLLED)
    store.save_feed_update(
        feed.id, FeedUpdate(polled_at=POLLED, title="Polizei Bochum", articles=[report])
    )
    store.close()
    return data_dir


@pytest.mark.parametrize("size", BOTH_SIZES)
def test_a_long_link_is_one_line_in_the_article_and_whole_in_the_links_dialog(
    open_reader: Open, police: Path, size: str
) -> None:
    """At 80x24 the link wrapped over three lines (it was cut at the pane's width when the
    article was shown, and the narrow pane had none yet); the links dialog cut it at its
    end, with no way to see it whole."""
    reader = open_reader(size, "--data-dir", str(police))
    reader.wait_for("7 stories")
    reader.keys("Enter")
    shown = reader.wait_for("Polizei Bochum · ")
    link = next(line for line in shown.splitlines() if "https://www.polizei.example/" in line)
    assert link.rstrip().endswith("stahlhausen.html"), link  # its end, on the same line
    assert "…" in link
    reader.keys("u")
    shown = reader.wait_for("number: open")
    inside = [line.split("█")[1] for line in shown.splitlines() if line.count("█") >= 2]
    assert POLICE_LINK in "".join(inside).replace(" ", ""), shown


def test_the_links_dialog_is_centred_and_wide_on_a_wide_terminal(
    open_reader: Open, police: Path
) -> None:
    """At 200x50 the dialog sat in the top left corner, 76 columns wide, and wrapped the
    link after 66 characters."""
    reader = open_reader("200x50", "--data-dir", str(police))
    reader.wait_for("7 stories")
    reader.keys("Enter")
    reader.wait_for("Polizei Bochum · ")
    reader.keys("u")
    shown = reader.wait_for("number: open")
    box = [line for line in shown.splitlines() if line.count("█") >= 2]
    left = min(line.index("█") for line in box)
    right = max(line.rindex("█") for line in box)
    assert left >= 10 and abs(left - (199 - right)) <= 1, shown  # centred
    assert any(POLICE_LINK in line for line in box), shown  # whole, on one line


@pytest.mark.parametrize("size", BOTH_SIZES)
def test_an_article_without_text_says_why_and_what_to_do(
    open_reader: Open, police: Path, size: str
) -> None:
    """It said "(no text)" and nothing more."""
    reader = open_reader(size, "--data-dir", str(police))
    reader.wait_for("7 stories")
    reader.keys("Enter")
    shown = " ".join(reader.wait_for("Polizei Bochum · ").split())  # the words, unwrapped
    shown = " ".join(reader.wait_for("the browser").split()) if "No text" in shown else shown
    assert "No text: the feed gives only the title and the link" in shown, shown
    assert "o opens it in the browser" in shown, shown


def test_the_help_says_how_to_close_it_where_it_opens(open_reader: Open, sample: Path) -> None:
    """At 80x24 the help's closing line was below its first screen."""
    reader = open_reader("80x24", "--data-dir", str(sample))
    started(reader)
    reader.keys("?")
    shown = reader.wait_for("Keys")
    assert "Escape closes" in shown
    reader.keys("Escape")
    reader.wait_gone("Escape closes")
