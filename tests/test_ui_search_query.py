"""The reader's search reads the query of watchlists: the article marks the words searched
for (not those under NOT, nor a feed's name; a phrase's words as the phrase found them), and
a query that cannot be read is said in the list, not shown as "Nothing matches"."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from newsroom_tui.store import SQLiteStore
from newsroom_tui.text.search_highlight import hit_spans
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.widgets.article_list import ArticleList
from tests.test_ui import settled
from tests.test_ui_habits_highlight import (
    bold_in_body,
    green_desk,
    open_with_search,
    styled_runs,
)

__all__ = ["green_desk"]  # the fixture, used by name

TEXT = "Polizei Bochum: Notruf 110. Die Straßensperrung in Herne, Grüne Welle am Westring."


def marked(query: str) -> list[str]:
    return [TEXT[start:end] for start, end in hit_spans(query, TEXT)]


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("Polizei NOT Bochum", ["Polizei"]),
        ("Polizei -Bochum", ["Polizei"]),
        ("Sperrung OR Straßensp", ["Straßensperrung"]),
        ("Notruf OR Westring", ["Notruf", "Westring"]),
        ('"Grüne Welle"', ["Grüne", "Welle"]),
        ('"Grün Welle"', ["Welle"]),  # in a phrase only its last word is a prefix
        ('feed:Herne Westring category:"Stadt"', ["Westring"]),
        ("title:Notruf credit:Polizei", ["Polizei", "Notruf"]),
        ("(Polizei OR Feuerwehr) NOT (Bochum OR Herne)", ["Polizei"]),
        ("NOT NOT Herne Polizei", ["Polizei", "Herne"]),
        ('"Grüne', ["Grüne"]),  # a query that cannot be read: its words
    ],
)
def test_the_words_searched_for_are_marked(query: str, words: list[str]) -> None:
    assert marked(query) == words


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_not_words_and_phrases_are_marked_as_searched(
    green_desk: SQLiteStore, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = NewsroomApp(green_desk, poll_on_start=False, export_dir=tmp_path)
    app.read_delay = 0
    async with app.run_test(size=size) as pilot:
        # "Welle" is in the body, not the title: found, never marked
        pane = await open_with_search(app, pilot, "gruen NOT title:Welle", size[0])
        assert pane.article is not None and pane.article.title.startswith("Pflanztag")
        assert bold_in_body(pane) == ["Grünflächenamt", "Grüne", "Grünpflege", "Grün"]
        await pilot.press("escape", "escape")
        if size[0] < 100:
            await pilot.press("escape")
        pane = await open_with_search(app, pilot, '"Grüne Welle" feed:Herne', size[0])
        assert pane.article is not None and pane.article.title.startswith("Pflanztag")
        assert bold_in_body(pane) == ["Grüne", "Welle"]
        width = pane.scrollable_content_region.width
        credits = app.query_one("#credits", Static).content
        assert styled_runs(credits, width, "reverse") == []  # "Stadt Herne": the feed's word


async def test_a_query_that_cannot_be_read_is_said_in_the_list(
    green_desk: SQLiteStore, tmp_path: Path
) -> None:
    app = NewsroomApp(green_desk, poll_on_start=False, export_dir=tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await settled(app, pilot)
        await pilot.press("slash", *'"Grüne Welle')
        line = 'Cannot search: the phrase at character 1 has no closing "'
        table = app.query_one(ArticleList)  # the list says it (the pane beside it stays empty)
        for _ in range(200):
            await pilot.pause(0.02)
            if table.empty_text == line:
                break
        assert table.empty_text == line and table.row_count == 0
        await pilot.press('"')  # closed: its hit is listed
        for _ in range(200):
            await pilot.pause(0.02)
            if table.row_count:
                break
        assert table.row_count == 1
