"""The reader's own lines in a real terminal (tmux), at 80x24 and 200x50, in English and in
German: the keys line names what a key does where the reader is; a team database away is
said in a short notice and a status line that says the reader reconnects (see
``tests/terminal.py``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsroom_tui.ui.catalogue_de import GERMAN
from tests import pg_server
from tests.sample_cache import build_sample_cache, fill_sample
from tests.terminal import SIZES, Terminal, require_tmux

LANGUAGES = {"en": {}, "de": {"LANGUAGE": "de", "LANG": "de_DE.UTF-8"}}
BOCHUM = "Bochum: Neue Radwege"
BOCHUM_BODY = "Meldung 0 der Agentur."
PASSWORD = "Geheim-Passwort-42"
# the status line saying that the reader reconnects, in either language
RECONNECTING = re.compile(r"reconnecting|retrying|verbinde neu", re.IGNORECASE)
TOAST_EDGE = "▌"  # a notice's left edge, on each of its rows

Open = Callable[..., Terminal]


def said(text: str, language: str) -> str:
    """``text`` as the reader shows it in ``language``."""
    return GERMAN.get(text, text) if language == "de" else text


@pytest.fixture
def open_reader(tmp_path: Path, _isolated_config: Path) -> Iterator[Open]:
    """Opens ``newsroom --no-poll ARGS`` in a terminal of a size, in a language."""
    require_tmux()
    opened: list[Terminal] = []

    def open_(size: str, language: str, *args: str) -> Terminal:
        width, height = SIZES[size]
        terminal = Terminal(tmp_path, width, height)
        opened.append(terminal)
        env = {"NEWSROOM_CONFIG": str(_isolated_config), **LANGUAGES[language]}
        return terminal.start(["--no-poll", *args], env=env)

    yield open_
    for terminal in opened:
        terminal.close()


@pytest.fixture
def sample(data_dir: Path) -> Path:
    build_sample_cache(data_dir).close()
    return data_dir


def keys_line(screen: str) -> str:
    return screen.splitlines()[-1]


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("size", list(SIZES))
def test_the_keys_line_names_q_back_where_q_steps_back(
    open_reader: Open, sample: Path, size: str, language: str
) -> None:
    """In the article the keys line said "q Quit" where q steps back to the list (as the
    help says); it says "esc/q Back" there, "q Back" over a kept search's hits, and "q Quit"
    only at the top, where q quits."""
    quit_, back = f" q {said('Quit', language)} ", said("Back", language)
    read = f"⏎ {said('Read', language)}"
    reader = open_reader(size, language, "--data-dir", str(sample))
    shown = reader.wait_for(read)
    assert quit_ in keys_line(shown), keys_line(shown)
    reader.keys("Enter")
    shown = reader.wait_until(
        lambda s: BOCHUM_BODY in s and read not in keys_line(s), "the article's keys"
    )
    assert f" esc/q {back} " in keys_line(shown), keys_line(shown)
    assert quit_ not in keys_line(shown), keys_line(shown)
    reader.keys("q")  # back to the list
    shown = reader.wait_until(lambda s: read in keys_line(s), "the list's keys")
    assert quit_ in keys_line(shown), keys_line(shown)
    reader.keys("/")
    reader.type("Hafen")
    reader.keys("Enter")  # the search kept: q leaves it
    hits = f"1 {said('shown', language)}"
    shown = reader.wait_until(lambda s: read in keys_line(s) and hits in s, "the hits")
    assert f" q {back} " in keys_line(shown) and quit_ not in keys_line(shown), shown
    reader.keys("q")
    reader.wait_until(lambda s: hits not in s and quit_ in keys_line(s), "the list, q Quit")
    reader.keys("q")
    assert reader.exit_status() == 0


def status_line(screen: str) -> str:
    return screen.splitlines()[-2]


def notice_rows(screen: str) -> list[str]:
    """The rows of text of the notices on screen (their blank padding rows left out)."""
    rows = [line.split(TOAST_EDGE, 1)[1] for line in screen.splitlines() if TOAST_EDGE in line]
    return [row.strip() for row in rows if row.strip()]


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("size", list(SIZES))
def test_a_lost_database_is_a_short_notice_and_a_line_that_says_it_reconnects(
    open_reader: Open,
    pg: pg_server.PgServer,
    pg_dsn: str,
    tmp_path: Path,
    size: str,
    language: str,
) -> None:
    """PostgreSQL stopped under a reader whose --database URL holds a password: at 80
    columns the status line said "DATABASE UNREACHABLE" without "reconnecting…" and the
    notice spread the whole connection address over 7 rows. The notice is at most three rows
    (what failed, that it retries), the status line says it reconnects at either width, and
    the password shows nowhere."""
    from newsroom_tui.store.postgres import PostgresStore

    store = PostgresStore(pg_dsn, user="anna")
    fill_sample(store)
    store.close()
    with_password = pg_dsn.replace("@", f":{PASSWORD}@", 1)
    reader = open_reader(
        size, language, "--data-dir", str(tmp_path / "data"), "--database", with_password
    )
    reader.wait_for(BOCHUM)
    screens = []
    pg.stop(mode="fast")
    try:
        shown = reader.wait_until(lambda s: bool(notice_rows(s)), "the notice")
        screens.append(shown)
        assert len(notice_rows(shown)) <= 3, shown
        assert said("Database unreachable", language) in shown, shown
        shown = reader.wait_until(
            lambda s: RECONNECTING.search(status_line(s)) is not None,
            "the status line saying it reconnects",
        )
        screens.append(shown)
        assert BOCHUM in shown  # what was shown stays
    finally:
        pg.restart()
    screens.append(reader.wait_until(lambda s: RECONNECTING.search(s) is None, "the server back"))
    assert not any(PASSWORD in screen for screen in screens)


@pytest.mark.parametrize("size", list(SIZES))
def test_a_key_while_the_database_is_away_says_not_saved_shortly(
    open_reader: Open, pg: pg_server.PgServer, pg_dsn: str, tmp_path: Path, size: str
) -> None:
    """A flag set while PostgreSQL is stopped is taken back with "Not saved: …", which
    spread the connection address and libpq's words over five rows beside the outage's own
    notice. It says what failed in a row or two: the database is unreachable, the reader
    retries; the address and the password show nowhere."""
    from newsroom_tui.store.postgres import PostgresStore

    store = PostgresStore(pg_dsn, user="anna")
    fill_sample(store)
    store.close()
    with_password = pg_dsn.replace("@", f":{PASSWORD}@", 1)
    reader = open_reader(
        size, "en", "--data-dir", str(tmp_path / "data"), "--database", with_password
    )
    reader.wait_for(BOCHUM)
    pg.stop(mode="fast")
    try:
        reader.wait_until(lambda s: RECONNECTING.search(status_line(s)) is not None, "the loss")
        reader.keys("s")
        shown = reader.wait_until(lambda s: "Not saved" in s, "the flag not saved")
        rows = notice_rows(shown)
        start = next(i for i, row in enumerate(rows) if row.startswith("Not saved"))
        said_rows = [row for row in rows[start:] if row]
        assert len(said_rows) <= 2, shown
        assert "postgresql://" not in shown and "127.0.0.1" not in shown, shown
        assert PASSWORD not in shown
    finally:
        pg.restart()


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("size", list(SIZES))
def test_a_search_without_hits_says_so_once(
    open_reader: Open, sample: Path, size: str, language: str
) -> None:
    """At 200 columns "Nothing matches. …" stood in the list and again in the pane."""
    nothing = said("Nothing matches. Escape clears the search; f changes the filter.", language)
    reader = open_reader(size, language, "--data-dir", str(sample))
    reader.wait_for(BOCHUM)
    reader.keys("/")
    reader.type("Zeppelinlandeplatz")
    reader.keys("Enter")
    shown = reader.wait_for(nothing)
    reader.wait_until(lambda s: BOCHUM not in s, "the list emptied")
    shown = reader.screen()
    assert shown.count(nothing) == 1, shown


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("size", list(SIZES))
def test_a_notice_leaves_the_status_line_readable_and_goes(
    open_reader: Open, sample: Path, size: str, language: str
) -> None:
    """At 80 columns a notice lay over the right half of the status line (the counts and
    the last poll), and once its time was over it stayed on screen until those rows were
    drawn again. It stands above the status line now, and goes when its time is over."""
    counts = "6 Themen, 6 ungelesen" if language == "de" else "6 stories, 6 unread"
    last_poll = f"{said('last poll', language)} "
    nothing = said("Nothing to undo.", language)
    reader = open_reader(size, language, "--data-dir", str(sample))
    reader.wait_for(counts)
    reader.keys("U")  # nothing to undo: a notice
    shown = reader.wait_until(lambda s: bool(notice_rows(s)), "the notice")
    assert nothing in shown, shown
    status = status_line(shown)
    assert TOAST_EDGE not in status and counts in status and last_poll in status, shown
    assert TOAST_EDGE not in keys_line(shown), shown
    reader.wait_until(lambda s: not notice_rows(s), "the notice gone")
