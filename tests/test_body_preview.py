"""The plain first-frame rendering of an article body, and the Markdown renderer taking over."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.body_preview import preview_text
from newsroom_tui.ui.widgets.article_body import ArticleBody
from tests.pilot_waits import until
from tests.sample_cache import build_sample_cache


def test_preview_shows_text_without_markdown_syntax() -> None:
    text = preview_text(
        "## Fachtag Integration\n\n"
        "Die **Stadt Herne** lädt zum [Fachtag](https://www.herne.de/fachtag) ein,\n"
        "Anmeldung bis _Freitag_.\n\n"
        "- Vorträge\n- Workshops\n\n"
        "> Ein Zitat\n\n"
        "Preis: 5 \\* 3 \\[ermäßigt\\]"
    )
    assert text.plain == (
        "Fachtag Integration\n\n"
        "Die Stadt Herne lädt zum Fachtag ein, Anmeldung bis Freitag.\n\n"
        "• Vorträge\n• Workshops\n\n"
        "▌ Ein Zitat\n\n"
        "Preis: 5 * 3 [ermäßigt]"
    )
    heading = text.plain.index("Fachtag Integration")
    assert any(span.start == heading and span.style == "bold" for span in text.spans)


def test_preview_keeps_markup_literal() -> None:
    text = preview_text("Text mit [bold]fett[/bold] und [@click=app.quit]q[/]")
    assert text.plain == "Text mit [bold]fett[/bold] und [@click=app.quit]q[/]"
    assert not text.spans


async def test_the_markdown_renderer_replaces_the_preview_after_the_first_frame(
    data_dir: Path,
) -> None:
    store = build_sample_cache(data_dir)
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.reader.pane.renderer_loaded, what="the renderer")
        body = app.query_one("#body", ArticleBody)
        shown = app.query_one("#meta", Static).render()
        title = str(getattr(shown, "plain", shown)).splitlines()[0]
        article = store.articles(limit=1)[0]
        assert title == article.title
        assert body.source.strip()
        await pilot.press("j")
        await pilot.pause()
        second = store.article(store.articles(limit=2)[1].id)
        assert second is not None
        first_words = second.body_markdown.split()[0]
        assert first_words in body.source
    store.close()
