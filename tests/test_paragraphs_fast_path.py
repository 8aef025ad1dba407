"""Paragraphs of plain text are made Markdown without parsing them (extract.paragraphs): the
same Markdown as the extractor makes, for any HTML the fast path takes; anything else (links,
lists, photos with credits, entities) is left to the extractor. The team store's sync makes
such items in this process, the others in the workers, with the same articles."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.extract import extract_fragment
from newsroom_tui.extract.paragraphs import paragraphs_fragment, plain_paragraphs
from newsroom_tui.ingest.article_body import compose, fragment
from newsroom_tui.ingest.poll_jobs import Job, build_job
from newsroom_tui.ingest.synced_bodies import summary_entry, synced_bodies
from newsroom_tui.ingest.worker_pool import Workers
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.sync_records import ItemId, RemoteItem

BASE = "https://www.herne.de/pressemitteilungen/meldung.html"

TEASER = (
    "<p>Die Bahnhofstraße in Herne-Mitte bleibt bis Freitag gesperrt; Umleitungen sind "
    "ausgeschildert. Rückfragen beantwortet die Pressestelle der Stadt Herne.</p>"
)
FULL_TEXT = (
    "\n<p>Bei einer Schwerpunktkontrolle haben Beamtinnen und Beamte des Verkehrsdienstes am "
    "Dienstag 412 Fahrzeuge an der Herner Straße überprüft.</p>\n"
    "<p>38 Fahrerinnen und Fahrer waren zu schnell, vier von ihnen erwartet ein "
    "Fahrverbot. Die Polizei Bochum kündigt weitere Kontrollen an.</p>\n"
    "<p>   </p>\t<p>Hinweise nimmt die Wache Herne unter 0234 909-8110 entgegen.\n"
    "Zeugen werden gebeten, sich zu melden.</p>\n"
)
# HTML the fast path leaves to the extractor
WITH_LINK = (
    '<p>Die Anmeldung läuft über das <a href="/buergerservice/anmeldung.html">Bürgerportal'
    "</a> der Stadt Herne.</p>"
)
WITH_LIST = (
    "<p>Gesperrt sind:</p><ul><li>die Bahnhofstraße</li><li>die Straße „Am Kortmannshof“</li></ul>"
)
WITH_PHOTO = (
    "<p>Kontrolle an der Herner Straße.</p>"
    '<p><img src="/bilder/kontrolle.jpg"><br>Kontrollstelle an der Herner Straße. '
    "Foto: Polizei Bochum</p>"
)
WITH_ENTITY = "<p>Stra&szlig;enfest &amp; Flohmarkt in Wanne-Eickel</p>"
WITH_ATTRIBUTE = '<p class="lead">Die Stadt Herne informiert über Baustellen.</p>'
WITH_BREAK = "<p>Stadt Herne<br>Pressestelle</p>"
FURNITURE = "<p>Die Bahnhofstraße bleibt gesperrt.</p><p>Teilen</p><p>Artikel drucken</p>"


def test_paragraphs_of_plain_text_take_the_fast_path_with_the_extractors_markdown() -> None:
    for html in (TEASER, FULL_TEXT, FURNITURE, "<p></p>", "<p>Herne</p><p></p>"):
        fast = paragraphs_fragment(html)
        assert fast is not None, html
        assert fast == extract_fragment(html, BASE)
        assert fragment(html, BASE) == fast
    assert paragraphs_fragment(FULL_TEXT).body_markdown.count("\n\n") == 2  # type: ignore[union-attr]


def test_other_html_is_left_to_the_extractor() -> None:
    for html in (WITH_LINK, WITH_LIST, WITH_PHOTO, WITH_ENTITY, WITH_ATTRIBUTE, WITH_BREAK):
        assert not plain_paragraphs(html)
        assert paragraphs_fragment(html) is None
        assert fragment(html, BASE) == extract_fragment(html, BASE)
    assert extract_fragment(WITH_PHOTO, BASE).gallery[0].credit == "Polizei Bochum"


_WORDS = [
    "Stadt Herne", "Polizei Bochum", "Bahnhofstraße", "Grün", "Öffnungszeiten", "Übergabe",
    "größer", "8 bis 16 Uhr", "0234 909-8110", "Foto:", "Teilen", "Weiterlesen", "»", "–", "…",
    "> 20", "#", "*", "_", "[1]", "(", ")", "!", "1.", "-", "https://www.herne.de",
]  # fmt: skip
_SPACES = [" ", "  ", "\n", "\t", "\u00a0", "\u2009", "\u202f", "\u3000", "\r\n", ""]
_MARKUP = [
    "<a href='/anmeldung.html'>Bürgerportal</a>", "<ul><li>Herne</li><li>Bochum</li></ul>",
    '<img src="/bilder/1.jpg"><br>Foto: Stadt Herne', "&amp;", "&auml;", "<br>", "<b>",
    "<strong>wichtig</strong>", "<p class='x'>", "<P>", "</div>", "\u200b", "\x00", "\x1b[2J",
    "\ufeff", "\u00ad", "<", "&",
]  # fmt: skip
_text = st.lists(
    st.one_of(st.sampled_from(_WORDS), st.sampled_from(_SPACES), st.text(max_size=6)),
    max_size=10,
).map("".join)
_paragraph = st.one_of(
    _text.map(lambda text: f"<p>{text}</p>"),
    st.tuples(_text, st.sampled_from(_MARKUP), _text).map(lambda t: f"<p>{t[0]}{t[1]}{t[2]}</p>"),
)
_html = st.lists(st.tuples(st.sampled_from(_SPACES), _paragraph), min_size=1, max_size=5).map(
    lambda parts: "".join(space + paragraph for space, paragraph in parts)
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_html)
def test_the_fast_path_makes_what_the_extractor_makes(html: str) -> None:
    fast = paragraphs_fragment(html)
    if fast is not None:
        assert fast == extract_fragment(html, BASE)


# spaces the fast path takes: in a paragraph (thin, narrow, ideographic too), between them
_PLAIN_SPACES = [" ", "  ", "\n", "\t", "\u2009", "\u202f", "\u3000"]
_plain_text = st.lists(st.sampled_from(_WORDS + _PLAIN_SPACES), max_size=12).map("".join)
_plain_html = st.lists(
    st.tuples(st.sampled_from(["", " ", "\n", "\t\n"]), _plain_text), min_size=1, max_size=6
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_plain_html)
def test_paragraphs_of_german_text_take_the_fast_path(parts: list[tuple[str, str]]) -> None:
    html = "".join(f"{space}<p>{text}</p>" for space, text in parts)
    fast = paragraphs_fragment(html)
    assert fast is not None
    assert fast == extract_fragment(html, BASE)


class _NoProcesses(Workers):
    """Workers whose processes must not be asked: the plain items are made here."""

    def __init__(self) -> None:
        super().__init__(2)
        self.in_processes = 0

    async def run(self, fn, *args):  # type: ignore[no-untyped-def]
        self.in_processes += len(args[0])
        return await self.run_here(fn, *args)


def _item(number: int, html: str) -> RemoteItem:
    return RemoteItem(
        id=ItemId.parse(str(1000 + number)),
        feed_id="feed/1",
        title=f"Meldung {number}: Sperrung der Bahnhofstraße",
        url=f"https://www.herne.de/m/{number}.html",
        published=datetime(2026, 12, 7, 9, number % 60, tzinfo=UTC),
        html=html,
    )


def test_a_team_sync_makes_plain_items_here_and_the_others_in_the_workers() -> None:
    htmls = [TEASER, FULL_TEXT, WITH_LINK, WITH_LIST, WITH_PHOTO, WITH_ENTITY, FURNITURE]
    items = [_item(number, html) for number, html in enumerate(htmls)]
    workers = _NoProcesses()

    async def made() -> dict[str, object]:
        async with Fetcher() as fetcher:
            bodies = await synced_bodies(items, lambda _: "never", fetcher, workers, lazy=False)
        await workers.close()
        return dict(bodies.articles)

    articles = asyncio.run(made())
    expected = build_job([Job(summary_entry(item)) for item in items], False)
    assert [articles[item.id.decimal] for item in items] == list(expected)
    assert workers.in_processes == 4  # link, list, photo, entity


_OSC52 = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"
_HOSTILE = [
    *(chr(code) for code in range(0xA1) if chr(code) not in "\t\n "),
    *("\u202e", "\u2066", "\u200b", "\u2028", "\ufeff", _OSC52, "\x1b[2J", "\x9b2J"),
    *("\x9d52;c;eA==\x07", "[red]", "[/red]", "[@click=app.quit]Herne[/]"),
]


def test_the_fast_path_lets_no_control_or_escape_through() -> None:
    for hostile in _HOSTILE:
        html = f"<p>Festnahme{hostile}in Herne</p>\n<p>[red]Alarm[/red] {hostile}</p>"
        fast = paragraphs_fragment(html)
        assert fragment(html, BASE) == extract_fragment(html, BASE), repr(hostile)
        if fast is None:
            continue  # declined: the extractor cleans it
        assert fast == extract_fragment(html, BASE), repr(hostile)
        for char in fast.body_markdown:  # the C0 and C1 controls, ESC among them, declined
            assert not ("\x00" <= char < " " or "\x7f" <= char <= "\x9f") or char == "\n"
        # a bidi mark the extractor leaves is taken out where both are stored
        for stored in compose(fast, None):
            assert all(char.isprintable() or char == "\n" for char in stored), repr(hostile)
            assert "[red]Alarm[/red]" in stored  # markup kept as text, escaped on display
