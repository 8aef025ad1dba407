"""SVG snapshots of the main screens (update with: pytest --snapshot-update)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from newsroom_tui.ui.app import NewsroomApp
from tests.sample_cache import build_sample_cache, build_team_sample


async def settled(pilot: Pilot[None]) -> None:
    """The feed counts (read in a worker) are on screen before the keys are pressed."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_list_and_article_with_credits(snap_compare: Any, tmp_path: Path) -> None:
    store = build_sample_cache(tmp_path)
    app = NewsroomApp(store, poll_on_start=False)
    app.read_delay = 0  # read state must not depend on how fast the machine is
    # newest first: 3 agency items, the road closure, the library, then the Herne press release
    assert snap_compare(
        app, terminal_size=(130, 40), run_before=settled, press=["j", "j", "j", "j", "j"]
    )
    store.close()


def test_article_focused_and_scrolled(snap_compare: Any, tmp_path: Path) -> None:
    store = build_sample_cache(tmp_path)
    app = NewsroomApp(store, poll_on_start=False)
    app.read_delay = 0  # read state must not depend on how fast the machine is
    assert snap_compare(
        app,
        terminal_size=(130, 40),
        run_before=settled,
        press=["j", "j", "j", "j", "j", "enter", "space"],
    )
    store.close()


def test_live_search(snap_compare: Any, tmp_path: Path) -> None:
    store = build_sample_cache(tmp_path)
    app = NewsroomApp(store, poll_on_start=False)
    app.read_delay = 0  # read state must not depend on how fast the machine is
    assert snap_compare(
        app, terminal_size=(130, 40), run_before=settled, press=["slash", *"lesesommer"]
    )
    store.close()


def test_help_screen(snap_compare: Any, tmp_path: Path) -> None:
    store = build_sample_cache(tmp_path)
    app = NewsroomApp(store, poll_on_start=False)
    app.read_delay = 0  # read state must not depend on how fast the machine is
    assert snap_compare(app, terminal_size=(130, 40), run_before=settled, press=["question_mark"])
    store.close()


def test_team_claims_and_done(snap_compare: Any, tmp_path: Path) -> None:
    store = build_team_sample(tmp_path)
    app = NewsroomApp(store, poll_on_start=False)
    app.read_delay = 0  # read state must not depend on how fast the machine is
    # anna claims the newest; ben's and carla's claims show with their initials, the article
    # ben finished is gone from the list
    assert snap_compare(app, terminal_size=(130, 40), run_before=settled, press=["a", "j"])
    store.close()
