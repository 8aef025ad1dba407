"""Snapshots of what issue #16 changed (update with: pytest --snapshot-update): a search
typed in umlaut spelling, its hits marked in the open article at 80x24 and 200x50."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.ui.app import NewsroomApp
from tests.sample_cache import build_sample_cache
from tests.test_snapshots import settled

SIZES = pytest.mark.parametrize("size", [(80, 24), (200, 50)], ids=["80x24", "200x50"])


@SIZES
def test_folded_search_hits_marked_in_the_article(
    snap_compare: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    """ "joerdis kuehn" finds the library's release and marks "Jördis Kühn" in its body."""
    store = build_sample_cache(tmp_path)
    app = NewsroomApp(store, poll_on_start=False)
    app.read_delay = 0
    query = ["j", "o", "e", "r", "d", "i", "s", "space", "k", "u", "e", "h", "n"]
    press = ["slash", *query, "enter", *(["enter"] if size[0] < 100 else [])]
    try:
        assert snap_compare(app, terminal_size=size, run_before=settled, press=press)
    finally:
        store.close()
