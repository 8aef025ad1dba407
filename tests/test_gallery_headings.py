"""An empty "Bildergalerie" heading stays out of bodies (extraction, cached bodies, show,
export); `show` on a terminal wraps gallery lines under their text and keeps URLs whole."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.extract import extract_page
from newsroom_tui.models import GalleryItem, NewArticle
from newsroom_tui.store import FeedUpdate, open_store
from newsroom_tui.text import gallery_headings
from newsroom_tui.text.article_format import wrap_text
from newsroom_tui.text.gallery_headings import drop_empty_gallery_headings
from tests.test_cli import run

T0 = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Text.\n\n## Bildergalerie", "Text."),
        ("Text.\n\n## Bildergalerie\n\n## Kontakt\n\nPresseamt", "Text.\n\n## Kontakt\n\nPresseamt"),  # noqa: E501
        ("Text.\n\n### Fotos\n\n## Kontakt", "Text.\n\n## Kontakt"),
        ("Text.\n\nBildergalerie\n\nMehr Text.", "Text.\n\nMehr Text."),
        ("Text.\n\n**Bilder (12)**", "Text."),
        ("Text.\n\n## Galerie:", "Text."),
        ("Text.\n\n## Fotos\n\nBilder vom Fest auf dem Platz.", None),
        ("## Fotos\n\n### Bühne\n\nDie Bühne am Abend.", None),
        ("Fotos: Stadt Herne / Frank Dieper", None),
        ("# Galerie Nord zeigt Bilder von Kindern", None),
        ("Die Bildergalerie ist geöffnet.", None),
    ],
)  # fmt: skip
def test_only_headings_with_nothing_under_them_go(body: str, expected: str | None) -> None:
    assert drop_empty_gallery_headings(body) == (body if expected is None else expected)


PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8">
<title>Stadtfest in Wanne | Stadt Herne</title></head><body><main><article>
<h1>Stadtfest in Wanne</h1>
<p>Am Wochenende feiert Wanne sein Stadtfest mit Musik, Ständen und einem Kinderprogramm
auf dem Buschmannshof. Die Stadt Herne lädt alle Bürgerinnen und Bürger ein.</p>
<p>Das Programm beginnt am Samstag um 14 Uhr mit der Eröffnung durch den Oberbürgermeister.</p>
<h2>Bildergalerie</h2>
<div class="js-gallery" data-src="/galerie/stadtfest.json"></div>
</article></main></body></html>"""


def test_extraction_drops_a_gallery_heading_without_a_gallery() -> None:
    page = extract_page(PAGE, "http://127.0.0.1/stadtfest.html")
    assert "Oberbürgermeister" in page.body_markdown
    assert "Bildergalerie" not in page.body_markdown


def _cached(data_dir: Path, body: str, gallery: list[GalleryItem]) -> int:
    store = open_store(data_dir)
    feed, _ = store.add_feed("http://127.0.0.1/presse.rss")
    art = NewArticle(
        guid="fest",
        url="http://127.0.0.1/stadtfest.html",
        title="Stadtfest in Wanne",
        published=T0,
        body_markdown=body,
        gallery=gallery,
    )
    store.save_feed_update(feed.id, FeedUpdate(polled_at=T0, articles=[art]))
    (summary,) = store.articles()
    store.close()
    return summary.id


def test_a_body_cached_before_loses_the_heading_when_read(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article_id = _cached(data_dir, "Das Stadtfest beginnt.\n\n## Bildergalerie", [])
    store = open_store(data_dir)
    article = store.article(article_id)
    store.close()
    assert article is not None and article.body_markdown == "Das Stadtfest beginnt."
    code, out, _ = run(data_dir, capsys, "show", str(article_id))
    assert code == 0 and "Bildergalerie" not in out and "Das Stadtfest beginnt." in out


LINK = (
    "https://www.herne.de/Stadt-und-Leben/Presse/Meldungen/2026/11/Stadtfest-in-Wanne-Programm.html"
)


def test_show_on_a_terminal_wraps_gallery_lines_under_their_text(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    caption = "Die Bühne auf dem Buschmannshof beim Stadtfest in Wanne am Samstagabend"
    article_id = _cached(
        data_dir,
        f"Das ganze Programm steht unter {LINK} bereit, mit allen Zeiten.",
        [GalleryItem("http://127.0.0.1/1.jpg", caption, "Stadt Herne / Frank Dieper")],
    )
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    code, out, _ = run(data_dir, capsys, "show", str(article_id))
    assert code == 0
    lines = out.splitlines()
    assert LINK in lines  # whole, on a line of its own, never broken inside
    start = next(i for i, line in enumerate(lines) if line.startswith("- Die Bühne"))
    assert lines[start + 1].startswith("  ") and not lines[start + 1].startswith("   ")
    assert all(len(line) <= 59 for line in lines if LINK not in line)
    assert out.endswith("Frank Dieper\n")


def test_show_into_a_pipe_is_not_wrapped(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = f"Das ganze Programm steht unter {LINK} bereit, mit allen Zeiten."
    article_id = _cached(data_dir, body, [])
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = run(data_dir, capsys, "show", str(article_id))
    assert code == 0 and body in out.splitlines()


def test_wrap_text_leaves_code_tables_and_headings() -> None:
    long = "x " * 50
    text = f"# {long}\n\n| a | {long} |\n\n```\n{long}\n```"
    assert wrap_text(text, 30) == text


_WORD_PIECES = [
    "Bildergalerie", "FOTOS", "fotostrecke", "Galerie", "Gallery", "Photos", "Impressionen",
    "Bilder", "bild", "foto", "gal", "İ", "ı", "ſ", "\u212a", "ﬀ", "Straße", " ", "\n", "## ",
]  # fmt: skip


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.one_of(st.sampled_from(_WORD_PIECES), st.text(max_size=4)), max_size=8))
def test_the_quick_word_search_finds_what_the_word_pattern_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    found = gallery_headings._GALLERY_WORD.search(text) is not None
    assert (gallery_headings._ANY_GALLERY_WORD.search(text) is not None) == found
