"""A search's hits stand out in the article exactly where the search found them, in the
umlaut spellings people type ("gruen" marks "Grün", "Buergerbuero" marks "Bürgerbüro"), in
the title, the body, the gallery's captions and the photo credits; at 80x24 and 200x50;
always as literal text (issue #16)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console, RenderableType
from textual.pilot import Pilot
from textual.widgets import Static

from newsroom_tui.models import GalleryItem, NewArticle
from newsroom_tui.store import FeedUpdate, SQLiteStore, open_store
from newsroom_tui.text.search_highlight import highlight_markdown, hit_spans
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.widgets.article_pane import ArticleView
from tests.test_ui import settled

SIZES = [(80, 24), (200, 50)]
NOW = datetime.now(UTC).replace(microsecond=0)

BODY = (
    "Das Grünflächenamt und das Bürgerbüro Wanne laden am Samstag zum Pflanztag ein. "
    "Die Grüne Welle am Westring bleibt bis Ende Mai abgeschaltet.\n\n"
    "Anmeldung im Buergerbuero oder unter https://www.herne.example/gruen/buergerbuero, "
    "Auskunft gibt es bei der [Grünpflege](https://www.herne.example/gruenpflege). "
    "Das Stichwort lautet `gruen-2026`.\n\n"
    "```\nGrün bleibt im Code, wie es ist\n```\n\n"
    "Hinweis: [@click=app.quit]Grün[/] und [bold]Bürger[/bold] sind nur Text."
)
GALLERY = [
    GalleryItem(
        "https://www.herne.example/bilder/gruenanlage.jpg",
        "Die neue Grünanlage vor dem Bürgerbüro",
        "Jürgen Grün/Stadt Herne",
    ),
    GalleryItem("https://www.herne.example/bilder/westring.jpg", "Der Westring", "Stadt Herne"),
]


@pytest.fixture
def green_desk(tmp_path: Path) -> SQLiteStore:
    store = open_store(tmp_path / "data")
    feed, _ = store.add_feed("https://www.herne.example/presse.rss", title="Stadt Herne – Presse")
    articles = [
        NewArticle(
            "gruen",
            "https://www.herne.example/meldungen/gruen.html",
            "Pflanztag: Grünflächenamt und Bürgerbüro laden ein",
            NOW - timedelta(hours=2),
            body_markdown=BODY,
            gallery=GALLERY,
        ),
        NewArticle(
            "rathaus",
            "https://www.herne.example/meldungen/rathaus.html",
            "Rathaus am Freitag geschlossen",
            NOW - timedelta(hours=1),
            body_markdown="Das Rathaus bleibt wegen einer Betriebsversammlung geschlossen.",
        ),
    ]
    store.save_feed_update(feed.id, FeedUpdate(polled_at=NOW, articles=articles))
    return store


def styled_runs(renderable: RenderableType, width: int, attribute: str) -> list[str]:
    """The runs of text that ``renderable`` draws with ``attribute`` (reverse, bold) on."""
    console = Console(width=width, file=io.StringIO(), color_system="truecolor")
    runs: list[str] = []
    current = ""
    for segment in console.render(renderable):
        if segment.style is not None and getattr(segment.style, attribute):
            current += segment.text
        elif current:
            runs.append(current)
            current = ""
    return runs + ([current] if current else [])


def bold_in_body(pane: ArticleView) -> list[str]:
    """What the body shows in bold, line by line, in order."""
    hits = []
    for line in pane.body.lines:
        current = ""
        for segment in line:
            if segment.style is not None and segment.style.bold:
                current += segment.text
            elif current:
                hits.append(current)
                current = ""
        if current:
            hits.append(current)
    return hits


async def open_with_search(
    app: NewsroomApp, pilot: Pilot[None], query: str, width: int
) -> ArticleView:
    await settled(app, pilot)
    await pilot.press("slash", *query, "enter")
    if width < 100:  # the list alone on screen: Enter opens the article in its place
        await pilot.press("enter")
    pane = app.query_one(ArticleView)
    await markdown_shown(pane, pilot)
    return pane


async def markdown_shown(pane: ArticleView, pilot: Pilot[None]) -> None:
    """Until the body is rendered as Markdown (the first frame shows a plain preview) and
    the messages of a search being typed are handled."""
    quiet = 0
    for _ in range(100):
        await pilot.pause()
        quiet = quiet + 1 if pane.renderer_loaded else 0
        if quiet == 3:
            return


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("query", "body", "title", "captions", "credits"),
    [
        (
            "gruen",
            ["Grünflächenamt", "Grüne", "Grünpflege", "Grün"],
            ["Grünflächenamt"],
            ["Grünanlage", "Grün"],
            ["Grün"],
        ),
        (
            "Buergerbuero",
            ["Bürgerbüro", "Buergerbuero"],
            ["Bürgerbüro"],
            ["Bürgerbüro"],
            [],
        ),
    ],
)
async def test_folded_hits_are_marked_in_title_body_captions_and_credits(
    green_desk: SQLiteStore,
    tmp_path: Path,
    size: tuple[int, int],
    query: str,
    body: list[str],
    title: list[str],
    captions: list[str],
    credits: list[str],
) -> None:
    app = NewsroomApp(green_desk, poll_on_start=False, export_dir=tmp_path)
    app.read_delay = 0
    async with app.run_test(size=size) as pilot:
        pane = await open_with_search(app, pilot, query, size[0])
        assert pane.article is not None and pane.article.title.startswith("Pflanztag")
        width = pane.scrollable_content_region.width
        assert bold_in_body(pane) == body
        meta = app.query_one("#meta", Static).content
        assert styled_runs(meta, width, "reverse") == title  # type: ignore[arg-type]
        shown_captions = app.query_one("#captions", Static).content
        assert styled_runs(shown_captions, width, "reverse") == captions  # type: ignore[arg-type]
        shown_credits = app.query_one("#credits", Static).content
        assert styled_runs(shown_credits, width, "reverse") == credits  # type: ignore[arg-type]
        source = pane.body.source
        # addresses, link targets and code are left as they are: links keep working
        assert "https://www.herne.example/gruen/buergerbuero," in source
        assert "(https://www.herne.example/gruenpflege)" in source
        assert "`gruen-2026`" in source and "\nGrün bleibt im Code, wie es ist\n" in source
        # network text stays literal: Textual markup in it is shown, not run
        plain = " ".join(line.text for line in pane.body.lines)
        assert "[@click=app.quit]" in plain and "[bold]" in plain
        assert app.is_running


async def test_a_search_without_hits_in_this_article_marks_nothing(
    green_desk: SQLiteStore, tmp_path: Path
) -> None:
    app = NewsroomApp(green_desk, poll_on_start=False, export_dir=tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        pane = await open_with_search(app, pilot, "rathaus", 200)
        assert pane.article is not None and pane.article.title.startswith("Rathaus")
        assert bold_in_body(pane) == ["Rathaus"]
        await pilot.press("escape", "escape", "j")  # the search left: nothing marked
        await markdown_shown(pane, pilot)
        assert pane.article is not None and pane.article.title.startswith("Pflanztag")
        assert bold_in_body(pane) == []


async def test_a_long_article_is_marked_chunk_by_chunk_to_its_end(
    tmp_path: Path,
) -> None:
    store = open_store(tmp_path / "data")
    feed, _ = store.add_feed("https://www.herne.example/presse.rss")
    paragraphs = [
        f"Absatz {n}: Die Grünflächen im Bezirk {n} werden gemäht, das Bürgerbüro informiert."
        for n in range(150)  # about 13 KB: more than the first chunk shown
    ]
    long = NewArticle(
        "lang",
        "https://www.herne.example/lang.html",
        "Mähplan für alle Bezirke",
        NOW,
        body_markdown="\n\n".join(paragraphs),
    )
    store.save_feed_update(feed.id, FeedUpdate(polled_at=NOW, articles=[long]))
    app = NewsroomApp(store, poll_on_start=False, export_dir=tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        pane = await open_with_search(app, pilot, "gruen", 200)
        assert not pane.fully_rendered  # the rest waits until the reader gets near it
        pane.focus()
        for _ in range(60):
            await pilot.press("end")
            await pilot.pause(0.05)
            if pane.fully_rendered:
                break
        await pilot.pause()
        assert pane.fully_rendered
        assert bold_in_body(pane) == ["Grünflächen"] * 150
    store.close()


def test_hit_spans_fold_as_the_search_and_skip_one_letter_words() -> None:
    text = "Grün, grüner, Gruen und Grau; das Bürgerbüro (Buergerbuero)."
    assert [text[s:e] for s, e in hit_spans("gruen", text)] == ["Grün", "grüner", "Gruen"]
    assert [text[s:e] for s, e in hit_spans("Bürgerbüro", text)] == [
        "Bürgerbüro",
        "Buergerbuero",
    ]
    assert hit_spans("g", text) == []  # one letter would mark most words
    assert hit_spans("", text) == []


def test_highlight_markdown_only_adds_markers_outside_code_and_addresses() -> None:
    markdown = (
        "Grün im [Grünpark](https://gruen.example/gruen) und <https://gruen.example>, "
        "www.gruen.example, `gruen`.\n\n~~~\ngrün\n~~~\n\n- grüne Liste"
    )
    marked = highlight_markdown(markdown, "gruen")
    assert marked == (
        "**Grün** im [**Grünpark**](https://gruen.example/gruen) und <https://gruen.example>, "
        "www.gruen.example, `gruen`.\n\n~~~\ngrün\n~~~\n\n- **grüne** Liste"
    )
    assert marked.replace("**", "") == markdown  # nothing else changed
    assert highlight_markdown(markdown, "  ") == markdown


async def test_typing_on_with_the_same_marks_keeps_the_rendered_body(
    green_desk: SQLiteStore, tmp_path: Path
) -> None:
    """The pane follows the search as it is typed, but builds the Markdown again only when
    the marks change: "gruenfl" and "gruenfla" mark the same word."""
    app = NewsroomApp(green_desk, poll_on_start=False, export_dir=tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await settled(app, pilot)
        await pilot.press("slash", *"gruenfl")  # the pane follows the top hit as one types
        pane = app.query_one(ArticleView)
        await markdown_shown(pane, pilot)
        assert bold_in_body(pane) == ["Grünflächenamt"]
        first_line = pane.body.lines[0]
        await pilot.press("a")
        await markdown_shown(pane, pilot)
        assert app.reader.view.search == "gruenfla" and pane.search == "gruenfla"
        assert pane.body.lines[0] is first_line  # not rendered again
        await pilot.press("backspace", "backspace", "backspace")  # "gruen": more marks
        await markdown_shown(pane, pilot)
        assert bold_in_body(pane) == ["Grünflächenamt", "Grüne", "Grünpflege", "Grün"]
