"""clean_text and the search text with their shortcuts (a printable text has nothing to
remove; only a text UTF-8 cannot encode has surrogates) give what they gave without them."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from newsroom_tui.ingest import article_body
from newsroom_tui.ingest.article_body import search_text
from newsroom_tui.models import BodySource
from newsroom_tui.text import sanitize
from newsroom_tui.text.sanitize import BODY_MAX_CHARS, clean_text, clip


def reference_clean_text(text: str | None) -> str:
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return sanitize._CONTROL_CHARS.sub("", sanitize.strip_escapes(text))


def reference_search_text(source: BodySource) -> str:
    text = f"{source.content_html or ''} {source.summary_html}"
    if "<" in text:
        links = article_body._links(text)
        text = " ".join([article_body._TAG.sub(" ", text), *links])
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        text = article_body._SURROGATE.sub("", text)
    return clip(reference_clean_text(text), BODY_MAX_CHARS)


PIECES = (
    "Stadt Herne", "Polizei Bochum", "Straßensperrung", "„Zeugen“", "\n", "\t", "\r\n", "\r",
    "\x1b[31m", "\x1b]0;Titel\x07", "\x00", "\x85", "\x9b", "\u202e", "\u200e", "\u061c", "\xa0",
    "\xad", "\u200b", "\ud800", "\udfff", "<p>", "</p>", '<a href="https://www.herne.de/a">',
    "&amp;", "&nbsp;", "&#x1b;", "&#128512;",
)  # fmt: skip
TEXTS = st.lists(st.one_of(st.sampled_from(PIECES), st.characters(codec=None)), max_size=40).map(
    "".join
)


@given(TEXTS)
def test_clean_text_removes_what_it_removed(text: str) -> None:
    assert clean_text(text) == reference_clean_text(text)


@given(st.text(st.characters(codec=None, exclude_categories=())))
def test_clean_text_of_any_text(text: str) -> None:
    assert clean_text(text) == reference_clean_text(text)


@given(TEXTS, st.one_of(st.none(), TEXTS))
def test_search_text_is_what_it_was(summary: str, content: str | None) -> None:
    source = BodySource(summary, content, None)
    assert search_text(source) == reference_search_text(source)


def test_every_character_clean_text_removes_is_unprintable() -> None:
    removed = [c for c in map(chr, range(0x110000)) if sanitize._CONTROL_CHARS.fullmatch(c)]
    assert removed and not any(c.isprintable() for c in removed)
