"""The article body drawn as lines (Rich into Textual's line API): headings, links with their
numbers in the links dialog, umlauts, search marks; literal text only, no control codes;
and what was rendered kept for the next time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.models import Article, NewArticle
from newsroom_tui.store import FeedUpdate, open_store
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.markdown_lines import is_rendered, render_markdown
from newsroom_tui.ui.rich_lines import LINK_META
from newsroom_tui.ui.screens.dialogs import LinksScreen
from newsroom_tui.ui.widgets.article_body import ArticleBody, numbered_links
from newsroom_tui.ui.widgets.article_pane import article_links
from tests.pilot_waits import pane_shown, until

WHEN = datetime(2025, 6, 2, 7, 45, tzinfo=UTC)
LONG = "".join(f"\n\nAbsatz {n}: Die Umleitung führt über den Westring." for n in range(25))
BODY = (
    "# Fachtag Integration\n\n"
    "Die **Stadt Herne** lädt zum [Fachtag](https://www.herne.example/fachtag) ins "
    "Stadtteilzentrum Pluto ein; Anmeldung beim [Bürgerbüro](https://www.herne.example/buero) "
    "oder noch einmal beim [Fachtag](https://www.herne.example/fachtag).\n\n"
    "## Öffnungszeiten\n\n"
    "- Montag bis Freitag 8–16 Uhr\n- Samstag geschlossen\n\n"
    "Hinweis: [@click=app.quit]Grün[/] und [bold]Bürger[/bold] sind nur Text.\x1b]52;c;aGk=\x07"
)


def test_links_carry_their_number_in_the_links_dialog() -> None:
    article_url = "https://www.herne.example/meldungen/fachtag.html"
    numbers = {url: n for n, url in enumerate([article_url, *_body_urls()], start=1)}
    marked = numbered_links(BODY, numbers)
    assert "[Fachtag](https://www.herne.example/fachtag) \\[2\\] ins" in marked
    assert "[Bürgerbüro](https://www.herne.example/buero) \\[3\\]" in marked
    assert marked.count("\\[2\\]") == 2  # the same link again: the same number
    text = "\n".join(line.text.rstrip() for line in render_markdown(marked, 60))
    assert "Fachtag [2] ins" in text and "Bürgerbüro [3]" in text


def _body_urls() -> list[str]:
    return ["https://www.herne.example/fachtag", "https://www.herne.example/buero"]


def test_headings_are_bold_and_left_aligned_umlauts_kept() -> None:
    lines = render_markdown(BODY, 50)
    assert lines[0].text.rstrip() == "Fachtag Integration"
    assert all(s.style is not None and s.style.bold for s in lines[0] if s.text.strip())
    heading = next(line for line in lines if "Öffnungszeiten" in line.text)
    assert heading.text.startswith("Öffnungszeiten")
    assert any("• Montag bis Freitag 8–16 Uhr" in line.text for line in lines)


def test_a_link_keeps_its_target_as_meta_never_as_a_terminal_hyperlink() -> None:
    lines = render_markdown(BODY, 200)
    styles = [s.style for line in lines for s in line if s.style is not None]
    assert not any(style.link for style in styles)  # no OSC 8 escape to the terminal
    targets = {style.meta.get(LINK_META) for style in styles if style.meta}
    assert targets == {"https://www.herne.example/fachtag", "https://www.herne.example/buero"}


def test_markup_is_literal_and_control_codes_never_reach_the_lines() -> None:
    text = "\n".join(line.text for line in render_markdown(BODY, 200))
    assert "[@click=app.quit]Grün[/]" in text and "[bold]Bürger[/bold]" in text
    assert "\x1b" not in text and "\x07" not in text


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=1, max_value=120))
def test_any_body_renders_within_its_width_without_control_codes(body: str, width: int) -> None:
    for line in render_markdown(body, width):
        assert line.cell_length <= width
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in line.text)


def test_rendered_chunks_are_kept() -> None:
    first = render_markdown(BODY + " Einmalig.", 70)
    assert render_markdown(BODY + " Einmalig.", 70) is first
    assert render_markdown(BODY + " Einmalig.", 71) is not first


async def test_the_pane_numbers_links_as_the_links_dialog_does(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    feed, _ = store.add_feed("https://www.herne.example/presse.rss")
    url = "https://www.herne.example/meldungen/fachtag.html"
    article = NewArticle("fachtag", url, "Fachtag Integration", WHEN, body_markdown=BODY)
    store.save_feed_update(feed.id, FeedUpdate(polled_at=WHEN, articles=[article]))
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pane_shown(pilot)
        body = app.query_one(ArticleBody)
        shown = "\n".join(line.text for line in body.lines)
        assert "Fachtag [2]" in shown and "Bürgerbüro [3]" in shown
        stored = app.reader.pane.article
        assert stored is not None
        assert [u for _, u in article_links(stored)][1:3] == _body_urls()
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, LinksScreen), what="the links")
        assert isinstance(app.screen, LinksScreen)
        assert [u for _, u in app.screen.links][:3] == [url, *_body_urls()]
    store.close()


async def test_the_articles_beside_the_shown_one_are_rendered_ahead(tmp_path: Path) -> None:
    """j and k find the next article's lines rendered: they are rendered in a thread once
    the articles beside the shown one are read ahead."""
    store = open_store(tmp_path / "data")
    feed, _ = store.add_feed("https://www.herne.example/presse.rss")
    articles = [
        NewArticle(
            f"m{n}",
            f"https://www.herne.example/meldungen/{n}.html",
            f"Meldung {n}: Baustelle an der Bahnhofstraße",
            WHEN - timedelta(hours=n),
            body_markdown=f"## Umleitung {n}\n\nDie Stadt Herne sperrt die Straße Nummer {n}."
            + (LONG if n == 1 else ""),
        )
        for n in range(3)
    ]
    store.save_feed_update(feed.id, FeedUpdate(polled_at=WHEN, articles=articles))
    app = NewsroomApp(store, poll_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pane_shown(pilot)
        pane = app.reader.pane
        body = app.query_one(ArticleBody)
        width = body.size.width
        below = "## Umleitung 1\n\nDie Stadt Herne sperrt die Straße Nummer 1." + LONG
        await until(
            pilot, lambda: is_rendered(below, body.size.width), what="the next one rendered"
        )
        await pilot.press("j")
        await pane_shown(pilot)
        assert pane.article is not None and pane.article.title.startswith("Meldung 1")
        assert body.lines[0].text.startswith("Umleitung 1")
        # longer than the pane: its scroll bar takes no width from the body (kept room)
        assert pane.max_scroll_y > 0 and body.size.width == width
    store.close()


def test_e_mail_addresses_written_out_are_links_too() -> None:
    """A press office's contact lines: the address written out is offered by u (as mailto:,
    copied as written); a URL's user part is no address."""
    body = (
        "Rückfragen bitte an:\n\nPolizei Bochum\nPressestelle\nTelefon: 0234 909-1021\n"
        "E-Mail: pressestelle.bochum@polizei.nrw.de\nhttps://bochum.polizei.nrw\n\n"
        "Anmeldung über https://gast:geheim@anmeldung.herne.example/fachtag."
    )
    article = Article(1, 1, "Polizei Bochum", None, "POL-BO: Kontrollen", WHEN, False,
                      body_markdown=body)  # fmt: skip
    assert [url for _, url in article_links(article)] == [
        "https://bochum.polizei.nrw",
        "https://gast:geheim@anmeldung.herne.example/fachtag",
        "mailto:pressestelle.bochum@polizei.nrw.de",  # after the links the text numbers
    ]


def test_e_mail_addresses_are_found_on_a_body_of_address_characters() -> None:
    """Runs of address characters and @ without a domain (each run is read from its start
    once: 66 ms for 780 KB, 243 ms for 3.1 MB) give no address; the one after them is found."""
    body = ("a.b-c+d" * 20_000 + "@") * 5 + "x@" * 50_000 + " presse@herne.de"
    article = Article(1, 1, "Stadt Herne", None, "Adressen", WHEN, False, body_markdown=body)
    assert [url for _, url in article_links(article)] == ["mailto:presse@herne.de"]
    # an escape in or around an address is no part of it (an OSC 52 never reaches u)
    hostile = "presse\x1b]52;c;aGk=\x07@herne.de und rat@herne.de\x9b31m"
    article = Article(1, 1, "Stadt Herne", None, "Adressen", WHEN, False, body_markdown=hostile)
    links = [url for _, url in article_links(article)]
    assert links == ["mailto:rat@herne.de"] and all(url.isprintable() for url in links)
