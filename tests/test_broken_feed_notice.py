"""A feed document that breaks off (a truncated download, a CMS that dies mid-list): the
entries before the fault are read, as before, and the feed says so in one line where the
poll, `add` and `feeds` speak, instead of passing for a whole feed of fewer entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsroom_tui.cli import main
from newsroom_tui.parse.registry import parse_feed
from tests.fixture_server import FixtureServer

ITEMS = "".join(
    f"<item><title>Radio Bochum: Meldung {n} über Straßensperrungen</title>"
    f"<link>http://127.0.0.1/radio/{n}.html</link><guid>radio-{n}</guid>"
    f"<pubDate>Tue, 01 Dec 2026 1{n}:00:00 +0100</pubDate>"
    f"<description>Die Stadt Bochum sperrt die Straße Nummer {n} für Bauarbeiten.</description>"
    "</item>"
    for n in range(6)
)
WHOLE = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
    f"<title>Radio Bochum</title><link>http://127.0.0.1/radio/</link>{ITEMS}</channel></rss>"
)
CUT = WHOLE[: WHOLE.index("Meldung 3")]  # breaks off in the fourth item's title


def test_a_document_that_breaks_off_says_so() -> None:
    parsed = parse_feed(CUT.encode(), "http://127.0.0.1/radio.rss", "application/rss+xml")
    assert [e.title for e in parsed.entries][:3] == [
        f"Radio Bochum: Meldung {n} über Straßensperrungen" for n in range(3)
    ]
    assert parsed.broken is not None and parsed.broken.startswith("not well-formed XML at line")
    whole = parse_feed(WHOLE.encode(), "http://127.0.0.1/radio.rss", "application/rss+xml")
    assert len(whole.entries) == 6 and whole.broken is None


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_fetch_and_feeds_say_the_feed_broke_off(
    server: FixtureServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.add("/radio.rss", CUT, "application/rss+xml")
    code, out, _ = run(data_dir, capsys, "add", server.url("/radio.rss"))
    assert code == 0 and "not well-formed XML at line" in out, out
    code, out, err = run(data_dir, capsys, "fetch", "--json")
    assert code == 0 and json.loads(out)["new_articles"] == 3, err
    code, out, _ = run(data_dir, capsys, "feeds", "--json")
    (feed,) = json.loads(out)
    assert "not well-formed XML" in json.dumps(feed)
    server.add("/radio.rss", WHOLE, "application/rss+xml")  # whole again: the line goes
    run(data_dir, capsys, "fetch")
    code, out, _ = run(data_dir, capsys, "feeds", "--json")
    assert "not well-formed" not in out


def test_the_line_of_a_hostile_broken_document_carries_no_escape() -> None:
    """A document that breaks off inside an OSC 52 clipboard write and a C1 control: the
    line the feed's status shows is plain text (the parser's words, cleaned)."""
    hostile = CUT.replace("Meldung 2", "Meldung \x1b]52;c;aGVsbG8=\x07 2\x9b31m")
    parsed = parse_feed(hostile.encode(), "http://127.0.0.1/radio.rss", "application/rss+xml")
    assert parsed.broken is not None and parsed.broken.isprintable()
    assert all(entry.title.isprintable() for entry in parsed.entries)
