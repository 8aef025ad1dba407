"""A story of three sources in a real terminal (tmux), at 80x24 and 200x50, under a German
locale: once in the list with "3 Quellen" and counted as one of "3 Themen", its versions under
the article after Enter, ``v`` reads another one, ``D`` takes the whole story out of the list,
``S`` counts every article apart ("Artikel"); a new version of a story read brings it up
unread; its row keeps most of its width for the title (German and English); one blank line
between the article and its versions.

The reader runs as ``python -m newsroom_tui`` of this checkout (PYTHONPATH)."""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsroom_tui.store import Store, open_store
from tests.story_desk import desk_cache, store_update
from tests.terminal import SIZES, Terminal, require_tmux

# the status line's totals: what is counted, named (the unread ones change as rows are read)
STORIES = re.compile(r"\b3 Themen, \d ungelesen")
ARTICLES = re.compile(r"\b2 Artikel, \d ungelesen")


ROOT = Path(__file__).resolve().parents[1]


def start_reader(
    tmp_path: Path, config: Path, data_dir: Path, size: str, lang: str = "de_DE.UTF-8"
) -> Terminal:
    width, height = SIZES[size]
    return Terminal(tmp_path, width, height).start(
        ["--no-poll", "--data-dir", str(data_dir)],
        env={"NEWSROOM_CONFIG": str(config), "LANG": lang, "PYTHONPATH": str(ROOT)},
        program=[sys.executable, "-m", "newsroom_tui"],
    )


def seen_after_writes(reader: Terminal, store: Store, text: str) -> str:
    """The screen once it shows ``text``, written by another process (``store``): the reader
    looks for other processes' writes from its first look on, and a write before that look
    (or under its own write) is seen with the next one; so a write that changes nothing
    (the first article read again) follows every second until it shows."""
    polls = itertools.count()
    article = store.articles(limit=1)[0].id

    def shown(screen: str) -> bool:
        if text in screen:
            return True
        if next(polls) % 20 == 19:
            store.set_read(article, store.articles(limit=1)[0].read)
        return False

    return reader.wait_until(shown, repr(text))


def row_of(screen: str, text: str) -> str:
    """The screen's line that shows ``text``."""
    return next(line for line in screen.splitlines() if text in line)


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
    reader = opened[size] = start_reader(tmp_path, _isolated_config, data_dir, size)
    screen = reader.wait_for("3 Quellen")
    assert screen.count("3 Quellen") == 1
    # the status line names what it counts: three stories ("Themen"), not five articles
    reader.wait_until(lambda shown: STORIES.search(shown) is not None, "3 Themen")
    assert "Notunterkunft" not in screen  # the city's version is no row of its own
    assert "WAZ Bochum" in row_of(screen, "3 Quellen")  # the newest version is the row
    reader.keys("Enter")
    # the heading may come a frame before the versions read in a thread under it
    shown = reader.wait_until(
        lambda screen: "Versionen dieses Themas" in screen and "Notunterkunft" in screen,
        "the versions",
    )
    assert "Notunterkunft" in shown and "WAZ Bochum" in shown
    reader.keys("v")  # round to the first, the police's
    reader.wait_for("▸ Polizei Bochum")
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


@pytest.mark.parametrize("size", list(SIZES))
def test_a_new_version_of_a_story_read_comes_up_unread(
    german_reader: tuple[Path, dict[str, Terminal]],
    tmp_path: Path,
    _isolated_config: Path,
    size: str,
) -> None:
    """Everything read; the police's Nachtrag of the fire is fetched (another process) while
    the reader is open: the story's row comes up with it, unread, and n then Enter read it."""
    data_dir, opened = german_reader
    reader = opened[size] = start_reader(tmp_path, _isolated_config, data_dir, size)
    reader.wait_for("3 Quellen")
    reader.keys("A")
    reader.keys("y")
    reader.wait_for("0 ungelesen")  # the status line: A's write is done
    store = open_store(data_dir, user="anna")
    try:
        store_update(store)
        # the update is the story's row now
        screen = seen_after_writes(reader, store, "Wattenscheid: Nach")
    finally:
        store.close()
    fire = row_of(screen, "Wattenscheid: Nach")
    assert fire.startswith("●") and ("3 Quellen" in fire or "+2 · " in fire)
    # one unread row (the versions under the article may mark the Nachtrag too, once read
    # again after the other process's write)
    rows = [line for line in screen.splitlines() if line.startswith("●")]
    assert rows == [fire] and screen.index("Wattenscheid: Nach") < screen.index("Schützen")
    reader.keys("n")
    reader.keys("Enter")
    reader.wait_for("Wasserkocher")  # its text, in the pane


@pytest.mark.parametrize("lang", ["de_DE.UTF-8", "C.UTF-8"])
@pytest.mark.parametrize("size", list(SIZES))
def test_a_story_row_keeps_its_title(
    german_reader: tuple[Path, dict[str, Terminal]],
    tmp_path: Path,
    _isolated_config: Path,
    size: str,
    lang: str,
) -> None:
    """The story's extras shrink before its title does: who had it first goes first."""
    data_dir, opened = german_reader
    reader = opened[size] = start_reader(tmp_path, _isolated_config, data_dir, size, lang)
    sources = "3 Quellen" if lang.startswith("de") else "3 sources"
    fire = row_of(reader.wait_for(sources), sources)
    assert "Brand in Wattenscheid: Feuer" in fire
    if size == "200x50":  # the whole title
        assert "Brand in Wattenscheid: Feuerwehr rettet zwei Menschen" in fire


@pytest.mark.parametrize("size", list(SIZES))
def test_one_blank_line_before_the_versions(
    german_reader: tuple[Path, dict[str, Terminal]],
    tmp_path: Path,
    _isolated_config: Path,
    size: str,
) -> None:
    data_dir, opened = german_reader
    reader = opened[size] = start_reader(tmp_path, _isolated_config, data_dir, size)
    reader.wait_for("3 Quellen")
    reader.keys("Enter")
    lines = reader.wait_for("Versionen dieses Themas").splitlines()
    at = next(i for i, line in enumerate(lines) if "Versionen dieses Themas" in line)
    column = lines[at].index("Versionen dieses Themas")
    pane = [line[column:].strip() for line in lines[:at]]
    assert pane[-1] == "" and pane[-2].endswith("zwei Menschen."), pane[-6:]
