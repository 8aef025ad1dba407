"""What another process writes to the SQLite cache while the reader is open, in a real
terminal (tmux) at 80x24 and 200x50, German and English: a desk member's own shell commands
(``newsroom read``, ``flag``, ``done``) and a second reader change the open reader's rows, not
only its counts; a ``newsroom fetch`` that reaches the servers takes the reader's own failed
poll (its failed feeds, OFFLINE) off the status line.

The reader looks at the cache's changes every two seconds from its first look on; a write
before that look is not seen, so the tests repeat the other process's command (each one a
write that changes nothing after the first) until the screen shows it, and fail at the
terminal's deadline where it never does."""

from __future__ import annotations

import itertools
import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsroom_tui.models import NewArticle
from newsroom_tui.store import FeedUpdate, open_store
from newsroom_tui.ui.widgets.article_list import FLAG_MARK, UNREAD_MARK
from tests.fixture_server import FixtureServer
from tests.sample_cache import build_sample_cache
from tests.terminal import SIZES, Terminal, newsroom, require_tmux

GELSENKIRCHEN = "Gelsenkirchen ehrt Ehrenamtliche"
DORTMUND = "Dortmunder Hafen feiert 125 Jahre"
SPERRUNG = "Straßensperrung an der Bahnhofstraße"
LANGUAGES = {
    "de": ({"LANGUAGE": "de", "LANG": "de_DE.UTF-8"}, "Themen"),
    "en": ({"LANG": "C.UTF-8"}, "stories"),
}

Open = Callable[..., Terminal]


@pytest.fixture
def open_reader(tmp_path: Path, _isolated_config: Path) -> Iterator[Open]:
    """Opens ``newsroom --no-poll --data-dir DIR`` in a terminal of a size and language;
    every terminal opened is closed at the end."""
    require_tmux()
    opened: list[Terminal] = []

    def open_(size: str, language: str, *, poll: bool = False) -> Terminal:
        width, height = SIZES[size]
        terminal = Terminal(tmp_path, width, height)
        opened.append(terminal)
        env = {"NEWSROOM_CONFIG": str(_isolated_config), **LANGUAGES[language][0]}
        args = ["--data-dir", str(tmp_path / "data")]
        return terminal.start(args if poll else ["--no-poll", *args], env=env)

    yield open_
    for terminal in opened:
        terminal.close()


def row_marks(screen: str, title: str) -> str | None:
    """What the list row of ``title`` shows before its title (its marks), None when the
    list holds no such row."""
    for line in screen.splitlines():
        if title in line:
            return line[: line.index(title)]
    return None


def repeated(
    command: Callable[[], object],
) -> Callable[[Callable[[str], bool]], Callable[[str], bool]]:
    """A screen check that runs ``command`` (another process's write) now and about every
    second while the check does not hold yet."""
    looks = itertools.count()

    def wrap(check: Callable[[str], bool]) -> Callable[[str], bool]:
        def checked(screen: str) -> bool:
            if check(screen):
                return True
            if next(looks) % 20 == 0:
                command()
            return False

        return checked

    return wrap


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("size", list(SIZES))
def test_shell_commands_change_the_open_readers_rows(
    open_reader: Open, data_dir: Path, size: str, language: str
) -> None:
    store = build_sample_cache(data_dir)
    ids = {a.title: a.id for a in store.articles()}
    store.close()
    reader = open_reader(size, language)
    word = LANGUAGES[language][1]
    screen = reader.wait_for(f"6 {word}, 6")
    assert UNREAD_MARK in (row_marks(screen, GELSENKIRCHEN) or "")
    assert FLAG_MARK not in (row_marks(screen, DORTMUND) or "")

    def shell(*args: str) -> None:
        assert newsroom("--data-dir", str(data_dir), *args).returncode == 0

    def read_and_flag() -> None:
        shell("read", str(ids[GELSENKIRCHEN]))
        shell("flag", str(ids[DORTMUND]))

    screen = reader.wait_until(
        repeated(read_and_flag)(
            lambda s: (
                UNREAD_MARK not in (row_marks(s, GELSENKIRCHEN) or UNREAD_MARK)
                and FLAG_MARK in (row_marks(s, DORTMUND) or "")
            )
        ),
        "the read and the flag of the shell in the rows",
    )
    assert f"6 {word}, 5" in screen  # the counts, as before
    screen = reader.wait_until(
        repeated(lambda: shell("done", str(ids[SPERRUNG])))(
            lambda s: f"5 {word}" in s and SPERRUNG not in s
        ),
        "the done one gone from the list",
    )
    assert FLAG_MARK in (row_marks(screen, DORTMUND) or "")  # the other rows as they were


def test_a_second_reader_reading_an_article_changes_the_first_readers_row(
    open_reader: Open, data_dir: Path
) -> None:
    build_sample_cache(data_dir).close()
    first = open_reader("80x24", "de")
    first.wait_for("6 Themen, 6")
    second = open_reader("200x50", "de")
    second.wait_for("6 Themen, 6")
    # j and Enter in the second one: Gelsenkirchen read; then s, s, ... (its flag on and off,
    # a write each) until the first one's row shows the read
    second.keys("j", "Enter")
    second.wait_for("6 Themen, 5")
    first.wait_until(
        repeated(lambda: second.keys("s"))(
            lambda s: UNREAD_MARK not in (row_marks(s, GELSENKIRCHEN) or UNREAD_MARK)
        ),
        "the second reader's read in the first one's row",
    )


TITLES = {
    "Stadt Herne": ["Straßensperrung an der Bahnhofstraße", "Neue Öffnungszeiten im Bürgerbüro"],
    "Polizei Bochum": [
        "Verkehrsunfall auf der A40",
        "Zeugen nach Einbruch in Wattenscheid gesucht",
    ],
}


# what the reader's failed poll put on the status line, gone once the fetch got through
GONE = ("OFFLINE", "fehlgeschlagen", "Fehler", "failed", "✗")
NEVER = {"de": "letzter Abruf nie", "en": "last poll never"}


def press_feed(name: str, base: str) -> str:
    """A press office's RSS feed of two announcements with their whole text."""
    items = "".join(
        f"<item><title>{title}</title><guid>{base}/{name[-6:]}/{n}</guid>"
        f"<link>{base}/{name[-6:]}/meldungen/{n}.html</link>"
        f"<content:encoded><![CDATA[<p>{title}. Die Pressestelle teilt mit, dass die "
        "Maßnahme bis Ende der Woche dauert; Rückfragen beantwortet das Bürgerbüro.</p>"
        "]]></content:encoded></item>"
        for n, title in enumerate(TITLES[name])
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{name}</title><link>{base}</link>{items}</channel></rss>"
    )


def status_line(screen: str) -> str:
    """The status line: the one above the keys line, the screen's last."""
    lines = screen.rstrip("\n").splitlines()
    return lines[-2] if len(lines) > 1 else ""  # (nothing drawn yet)


@pytest.mark.parametrize(("size", "language"), [("80x24", "de"), ("200x50", "en")])
def test_a_fetch_of_another_process_takes_the_readers_failed_poll_off_the_status_line(
    open_reader: Open, data_dir: Path, _isolated_config: Path, size: str, language: str
) -> None:
    """The servers are down when the reader polls (r): OFFLINE, the feeds failed. They come
    back and a shell's `newsroom fetch` polls every feed: the status line follows the store,
    not the reader's own earlier poll."""
    _isolated_config.parent.mkdir(parents=True, exist_ok=True)
    _isolated_config.write_text('[general]\nallow_private_addresses = ["127.0.0.1"]\n')
    with socket.socket() as sock:  # a port nobody listens on, until the servers come back
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    names = {"/herne.rss": "Stadt Herne", "/bochum.rss": "Polizei Bochum"}
    store = open_store(data_dir)
    for path in names:
        store.add_feed(base + path)
    store.close()
    reader = open_reader(size, language)
    word = LANGUAGES[language][1]
    reader.wait_for(f"0 {word}, 0")
    reader.keys("r")
    line = status_line(
        reader.wait_until(lambda s: "OFFLINE" in status_line(s), "the reader's poll failing")
    )
    failed = "2 Feeds fehlgeschlagen" if language == "de" else "2 feeds failed"
    assert failed in line, line
    server = FixtureServer(port)
    for path, name in names.items():
        server.add(path, press_feed(name, base), "application/rss+xml")
    server.start()
    try:

        def fetch() -> None:
            done = newsroom("--data-dir", str(data_dir), "fetch")
            assert done.returncode == 0, done.stderr
            assert "0 failed" in done.stdout + done.stderr

        screen = reader.wait_until(
            repeated(fetch)(lambda s: not any(w in status_line(s) for w in GONE)),
            "the status line after the shell's fetch",
        )
    finally:
        server.stop()
    assert NEVER[language] not in status_line(screen)  # the fetch's time as the last poll


def refused_address() -> str:
    """An address on this machine nobody listens on: a server that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_at_80_columns_a_failed_poll_keeps_the_time_of_the_last_poll(
    open_reader: Open, data_dir: Path, _isolated_config: Path, language: str
) -> None:
    """The reader polls at start with every server down, one feed in back-off: OFFLINE, two
    feeds failed, one waiting, the totals and today's last poll did not fit 80 columns, and
    the line ended at "last poll" without its time."""
    _isolated_config.parent.mkdir(parents=True, exist_ok=True)
    _isolated_config.write_text('[general]\nallow_private_addresses = ["127.0.0.1"]\n')
    base = refused_address()
    polled = datetime.now(UTC).replace(second=0, microsecond=0)
    store = open_store(data_dir)
    herne, _ = store.add_feed(f"{base}/herne.rss")
    store.add_feed(f"{base}/bochum.rss")
    dpa, _ = store.add_feed(f"{base}/dpa-nrw.rss")
    titles = TITLES["Stadt Herne"] + TITLES["Polizei Bochum"][:1]
    articles = [
        NewArticle(f"herne-{n}", f"{base}/meldungen/{n}.html", title, polled, summary=title)
        for n, title in enumerate(titles)
    ]
    store.save_feed_update(
        herne.id, FeedUpdate(polled_at=polled, title="Stadt Herne", articles=articles)
    )
    store.record_failure(dpa.id, polled, "HTTP 503", retry_after=polled + timedelta(hours=2))
    store.close()
    reader = open_reader("80x24", language, poll=True)
    screen = reader.wait_until(lambda s: "OFFLINE" in status_line(s), "the poll failing")
    line = status_line(screen)
    when = polled.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M")
    last_poll = "letzter Abruf" if language == "de" else "last poll"
    assert f"{last_poll} {when}" in line, line
    # the failed and waiting feeds gave way to it: their numbers, as much as it takes
    feeds = ("2 Fehler", "1 wartend") if language == "de" else ("2 failed", "1 feed waiting")
    assert all(part in line for part in feeds), line
