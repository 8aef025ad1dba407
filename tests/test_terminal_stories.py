"""A story of three sources in a real terminal (tmux), at 80x24 and 200x50, under a German
locale: once in the list with "3 Quellen" and counted as one of "3 Themen", its versions under
the article after Enter, ``v`` reads another one, ``D`` takes the whole story out of the list,
``S`` counts every article apart ("Artikel")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsroom_tui.store import open_store
from tests.story_desk import desk_cache
from tests.terminal import SIZES, Terminal, require_tmux

# the status line's totals: what is counted, named (the unread ones change as rows are read)
STORIES = re.compile(r"\b3 Themen, \d ungelesen")
ARTICLES = re.compile(r"\b2 Artikel, \d ungelesen")


@pytest.fixture
def german_reader(
    tmp_path: Path, _isolated_config: Path
) -> Iterator[tuple[Path, dict[str, Terminal]]]:
    require_tmux()
    data_dir = tmp_path / "data"
    desk_cache(data_dir).close()
    opened: dict[str, Terminal] = {}
    yield data_dir, opened
    for terminal in opened.values():
        terminal.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_a_story_of_three_sources_in_the_reader(
    german_reader: tuple[Path, dict[str, Terminal]],
    tmp_path: Path,
    _isolated_config: Path,
    size: str,
) -> None:
    data_dir, opened = german_reader
    width, height = SIZES[size]
    reader = opened[size] = Terminal(tmp_path, width, height).start(
        ["--no-poll", "--data-dir", str(data_dir)],
        env={"NEWSROOM_CONFIG": str(_isolated_config), "LANG": "de_DE.UTF-8"},
    )
    screen = reader.wait_for("3 Quellen")
    assert screen.count("3 Quellen") == 1
    # the status line names what it counts: three stories ("Themen"), not five articles
    reader.wait_until(lambda shown: STORIES.search(shown) is not None, "3 Themen")
    assert "Notunterkunft" not in screen  # the city's version is no row of its own
    assert "Polizei Bochum" in screen  # who had it first: the row's feed
    reader.keys("G")
    reader.keys("Enter")
    shown = reader.wait_for("Versionen dieser Meldung")
    assert "Notunterkunft" in shown and "WAZ Bochum" in shown
    reader.keys("v")
    reader.wait_for("Turnhalle")  # the city's version, read in the pane
    reader.keys("Escape")
    # back in the list (on screen, and the keys line offers Enter again): a D right after
    # Escape would reach the reader as alt+D
    reader.wait_until(
        lambda screen: "Schützenfest" in screen and "⏎ Lesen" in screen, "the list again"
    )
    assert "3 Quellen" in reader.screen()
    reader.keys("D")
    reader.wait_gone("3 Quellen")
    store = open_store(data_dir)
    try:
        done = {a.title.split()[0]: a.done for a in store.articles()}
    finally:
        store.close()
    assert done == {"Brand": True, "Schützenfest": False, "Sperrung": False}
    reader.keys("S")  # every article apart: the two left are counted as articles
    reader.wait_until(lambda shown: ARTICLES.search(shown) is not None, "2 Artikel")
