"""The keys line at the bottom: the screen's keys from the first frame on, following the
focus, and a click on one runs it."""

from __future__ import annotations

from pathlib import Path

from newsroom_tui.keymap import ACTIONS
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.screens.dialogs import HelpScreen
from newsroom_tui.ui.widgets.key_bar import PALETTE_MARK, KeyBar
from tests.pilot_waits import pane_shown, until
from tests.sample_cache import build_sample_cache


def line(app: NewsroomApp) -> str:
    return str(app.query_one(KeyBar).render())


async def test_the_keys_line_follows_the_focus_and_runs_a_clicked_key(data_dir: Path) -> None:
    store = build_sample_cache(data_dir)
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pane_shown(pilot)
        shown = line(app)
        assert shown.startswith(" ⏎ Read  q Quit  ? Help ")
        assert shown.rstrip().endswith("▏^p palette")
        await pilot.press("enter")  # the article has the focus: no "Read" there
        await until(pilot, lambda: "Read " not in line(app), what="the article's keys")
        assert line(app).startswith(" esc/q Back  ? Help ")  # the way back first, q too
        await pilot.click(KeyBar, offset=(line(app).index("Help"), 0))
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help")
    store.close()


async def test_at_80_columns_a_key_shows_with_its_whole_label_or_not_at_all(
    data_dir: Path,
) -> None:
    """The line used to be cut at the palette's key wherever it fell ("D Do", in German
    "m Gelesen/ungele")."""
    labels = {action.label for action in ACTIONS} | {"Read", "Back", "Show feed"}
    store = build_sample_cache(data_dir)
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pane_shown(pilot)
        keys, palette = line(app).split(PALETTE_MARK)
        assert len(line(app)) == 80 and palette.strip() == "^p palette"
        entries = keys.strip().split("  ")
        assert len(entries) >= 5, entries
        for entry in entries:
            assert entry.split(" ", 1)[1] in labels, entries
    store.close()


async def test_a_wide_line_shows_more_keys(data_dir: Path) -> None:
    """At 200 columns the line stopped after "r Poll" with 90 columns left empty; it goes on
    with the keys a desk reaches for next (open, links, …), each whole."""
    store = build_sample_cache(data_dir)
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(200, 50)) as pilot:
        await pane_shown(pilot)
        keys, palette = line(app).split(PALETTE_MARK)
        assert "r Poll  o Open  u Links  p Prev unread " in keys, keys
        assert len(keys.rstrip()) > 170 and palette.strip() == "^p palette"
    narrow = NewsroomApp(store, poll_on_start=False)
    async with narrow.run_test(size=(80, 24)) as pilot:  # the footer's keys alone
        await pane_shown(pilot)
        assert "Open" not in line(narrow)
    store.close()


def test_german_key_labels_are_as_short_as_the_english() -> None:
    """`p` was "Voriger ungelesener Artikel" (27 characters) beside English "Prev unread" and
    `n` "Weiter": the keys line keeps one short label per key in either language."""
    from newsroom_tui.ui.catalogue_de import GERMAN

    long = {a.label: GERMAN[a.label] for a in ACTIONS if len(GERMAN.get(a.label, "")) > 17}
    assert long == {}
    assert GERMAN["Prev unread"] == "Voriger Artikel"
