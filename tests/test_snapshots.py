"""SVG snapshots of the main screens (update with: pytest --snapshot-update)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from newsroom_tui.ui.app import NewsroomApp
from tests.pilot_waits import pane_shown
from tests.sample_cache import build_sample_cache, build_team_sample


async def settled(pilot: Pilot[None]) -> None:
    """The feed counts, the list's rows and the article (read in workers) are on screen; a
    text field's cursor stays shown (its blink would put the shot at the mercy of the clock)."""
    for field in pilot.app.query(Input):
        field.cursor_blink = False
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pane_shown(pilot)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def pressing(keys: list[str]) -> Any:
    """Settle, press ``keys``, and settle again before the shot: the pane follows j in a
    worker, as the list reads its rows."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settled(pilot)
        if keys:
            await pilot.press(*keys)
            await settled(pilot)

    return run_before


# the narrow layout (the list alone; Enter opens the article in its place) and a wide one
SIZES = pytest.mark.parametrize("size", [(80, 24), (200, 50)], ids=["80x24", "200x50"])


def shot(
    snap_compare: Any,
    tmp_path: Path,
    size: tuple[int, int],
    press: list[str],
    *,
    team: bool = False,
) -> bool:
    """The sample cache (or the team sample) at ``size`` after ``press``."""
    store = build_team_sample(tmp_path) if team else build_sample_cache(tmp_path)
    app = NewsroomApp(store, poll_on_start=False)
    app.read_delay = 0  # read state must not depend on how fast the machine is
    try:
        return snap_compare(app, terminal_size=size, run_before=pressing(press))
    finally:
        store.close()


@SIZES
def test_list_and_article_with_credits(
    snap_compare: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    # newest first: 3 agency items, the road closure, the library, then the Herne press release
    assert shot(snap_compare, tmp_path, size, ["j"] * 5)


@SIZES
def test_article_focused_and_scrolled(
    snap_compare: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    assert shot(snap_compare, tmp_path, size, [*["j"] * 5, "enter", "space"])


@SIZES
def test_live_search(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert shot(snap_compare, tmp_path, size, ["slash", *"lesesommer"])


@SIZES
def test_help_screen(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert shot(snap_compare, tmp_path, size, ["question_mark"])


@SIZES
def test_help_screen_scrolled_to_its_end(
    snap_compare: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    assert shot(snap_compare, tmp_path, size, ["question_mark", "end"])


@SIZES
def test_team_claims_and_done(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    # anna claims the newest; ben's and carla's claims show with their initials, the article
    # ben finished is gone from the list
    assert shot(snap_compare, tmp_path, size, ["a", "j"], team=True)
