"""The reader's own lines in a real terminal (tmux), at 80x24 and 200x50, in English and in
German: the keys line names what a key does where the reader is (see ``tests/terminal.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsroom_tui.ui.catalogue_de import GERMAN
from tests.sample_cache import build_sample_cache
from tests.terminal import SIZES, Terminal, require_tmux

LANGUAGES = {"en": {}, "de": {"LANGUAGE": "de", "LANG": "de_DE.UTF-8"}}
BOCHUM_BODY = "Meldung 0 der Agentur."

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
