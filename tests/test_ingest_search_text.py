"""The search text's link scan finds what the case-insensitive regular expression finds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsroom_tui.ingest.article_body import _HREF, _links

_PIECES = st.sampled_from(
    ["href", "HREF", "Href", "x", "_", "=", " ", '"', "'", "<", ">", "a", "/", "ü", "1", "\t", "ǅ"]
)


@given(st.lists(_PIECES, max_size=16).map("".join))
def test_links_are_found_as_the_regular_expression_finds_them(text: str) -> None:
    assert _links(text) == _HREF.findall(text)


def test_links_of_a_press_release() -> None:
    html = (
        '<p>Mehr unter <a href="https://www.herne.de/buergerbuero">Bürgerbüro</a>, '
        "<a HREF=/termine>Termine</a> und <a data-xhref='x' href='/kontakt'>Kontakt</a></p>"
    )
    assert _links(html) == ["https://www.herne.de/buergerbuero", "/termine", "/kontakt"]
    assert _links(html.replace("HREF", "href")) == _links(html)
