"""The reader's start: what it leaves for after its first frame."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsroom_tui.cli import build_parser, main, parse_arguments
from newsroom_tui.store import SQLiteStore
from newsroom_tui.ui.app import NewsroomApp
from tests.pilot_waits import pane_shown, until

# Imported when first used, not by the reader's start: the watchlists, their matching and
# the running of their commands; the TOML parser while there is no config file.
NOT_AT_START = (
    "newsroom_tui.commands.watch",
    "newsroom_tui.watch.alerts",
    "newsroom_tui.watch.arrivals",
    "newsroom_tui.watch.article_text",
    "newsroom_tui.text.search_query",
    "newsroom_tui.watch.watchlist",
    "tomllib",
)
_PROBE = f"""
import json, sys
from newsroom_tui.cli import parse_arguments
from newsroom_tui.config import load_config
import newsroom_tui.ui.app
parse_arguments(["--no-poll"]), load_config()
print(json.dumps([m for m in {NOT_AT_START!r} if m in sys.modules]))
"""


@pytest.fixture
def collector_on() -> Iterator[None]:
    """Whatever a test does to the garbage collector, it is on again afterwards."""
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()


@pytest.mark.usefixtures("collector_on")
async def test_the_collector_runs_again_once_the_first_frame_is_on_screen(
    store: SQLiteStore,
) -> None:
    gc.disable()  # as the command leaves it while the reader starts
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, gc.isenabled, what="the collector on again")
        assert gc.get_freeze_count() > 0  # what the start made is left out of its passes


@pytest.mark.usefixtures("collector_on")
async def test_a_reader_started_with_the_collector_on_sets_nothing_aside(
    store: SQLiteStore,
) -> None:
    """Tests (and other callers) start readers with the collector on: nothing of theirs is
    frozen, or every reader a test started would stay in memory."""
    frozen = gc.get_freeze_count()
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pane_shown(pilot)  # the first frame is long on screen
        assert gc.get_freeze_count() == frozen


@pytest.mark.usefixtures("collector_on")
def test_a_reader_that_cannot_start_leaves_the_collector_on(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "newsroom.sqlite3").write_text("kaputt" * 1000)
    assert main(["--data-dir", str(data_dir), "--no-poll"]) == 3
    assert gc.isenabled()
    assert capsys.readouterr().err.count("\n") == 1


def test_the_reader_starts_without_what_its_first_frame_does_not_need() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(out.stdout) == []


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--no-poll"],
        ["--data-dir", "/tmp/nachrichten", "--no-poll", "--user", "anna"],
        ["--data-d=/tmp/x", "--reset-cache"],
        ["--data-dir", "list"],
        ["list", "--json"],
        ["--no-poll", "search", "--limit", "3", "Stadtrat"],
        ["watch", "test", "Brand"],
    ],
)
def test_the_command_line_reads_as_the_full_parser_reads_it(argv: list[str]) -> None:
    assert parse_arguments(argv) == build_parser().parse_args(argv)


def _both_answers(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[object]:
    """Exit code, output and error output of the options parser, then of the full parser."""
    answers: list[object] = []
    for parse in (parse_arguments, build_parser().parse_args):
        with pytest.raises(SystemExit) as exit_:
            parse(argv)
        said = capsys.readouterr()
        answers.append((exit_.value.code, said.out, said.err))
    return answers


@pytest.mark.parametrize(
    "argv",
    [["--data-dir"], ["--d", "/tmp/x"], ["--kaputt"], ["--", "x"], ["-h"], ["--no-poll", "--help"]],
)
def test_a_reader_command_line_it_does_not_take_gets_the_full_parsers_answer(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    quick, full = _both_answers(argv, capsys)
    assert quick == full
    assert "COMMAND" in str(quick)  # the full usage, with the commands


@pytest.mark.parametrize(
    "argv",
    [["--version"], ["--vers"], ["list", "--version"], ["-h", "--version"], ["-", "--version"]],
)
def test_version_gets_the_full_parsers_answer(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # argparse prints the version while it reads, before what follows is checked: the
    # options parser must not print it for a command line the full parser rejects
    quick, full = _both_answers(argv, capsys)
    assert quick == full
