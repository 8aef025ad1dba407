"""The reader's start: what it leaves for after its first frame."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsroom_tui.cli import main
from newsroom_tui.store import SQLiteStore
from newsroom_tui.ui.app import NewsroomApp
from tests.pilot_waits import until


@pytest.fixture
def collector_on() -> Iterator[None]:
    """Whatever a test does to the garbage collector, it is on again afterwards."""
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.usefixtures("collector_on")
async def test_the_collector_runs_again_once_the_first_frame_is_on_screen(
    store: SQLiteStore,
) -> None:
    gc.disable()  # as the command leaves it while the reader starts
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, gc.isenabled, what="the collector on again")


@pytest.mark.usefixtures("collector_on")
def test_a_reader_that_cannot_start_leaves_the_collector_on(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "newsroom.sqlite3").write_text("kaputt" * 1000)
    assert main(["--data-dir", str(data_dir), "--no-poll"]) == 3
    assert gc.isenabled()
    assert capsys.readouterr().err.count("\n") == 1
