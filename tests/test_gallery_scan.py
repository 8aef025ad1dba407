"""The gallery scan of a feed's content fragment, as a poll makes it: a tree of plain
elements, furniture looked for only around the images, image addresses resolved and checked
without splitting them where that cannot change the answer. Same galleries as the full scan."""

from __future__ import annotations

from urllib.parse import urljoin

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.extract.boilerplate import find_furniture
from newsroom_tui.extract.gallery import collect_gallery, find_gallery
from newsroom_tui.extract.page import parse_html
from newsroom_tui.models import GalleryItem
from newsroom_tui.text.sanitize import plain_absolute

BASE = "https://www.herne.de/pressemitteilungen/2024/"
_PHOTO = (
    '<figure class="{cls}"><img src="{src}" alt=""><figcaption>Blick auf das Rathaus. '
    "©Thomas Schmidt/Stadt Herne</figcaption></figure>"
)
_TEXT = "<p>Die Stadt Herne informiert über die Sperrung der Bahnhofstraße ab Montag.</p>"


def _gallery(html: str, base: str | None = BASE) -> list[GalleryItem]:
    return find_gallery(lxml.html.document_fromstring(html), base)


def test_an_image_in_short_page_furniture_is_left_out() -> None:
    photo = _PHOTO.format(cls="bild", src="/bilder/rathaus.jpg")
    assert _gallery(f"<nav>{photo}</nav>{_TEXT}") == []
    assert _gallery(f'<div class="social-share">{photo}</div>{_TEXT}') == []
    assert _gallery(f"<header>{photo}</header>{_TEXT}") == []


def test_an_image_in_a_header_wrapping_the_page_is_kept() -> None:
    # a page-level <header> holding most of the page's text is a wrapper, not furniture
    photo = _PHOTO.format(cls="bild", src="/bilder/rathaus.jpg")
    assert _gallery(f"<header>{_TEXT * 3}{photo}</header>{_TEXT}") == [
        GalleryItem(
            src=urljoin(BASE, "/bilder/rathaus.jpg"),
            caption="Blick auf das Rathaus.",
            credit="Thomas Schmidt/Stadt Herne",
        )
    ]


def test_decoration_is_read_from_the_path_of_the_image_address() -> None:
    def found(src: str) -> list[str]:
        return [item.src for item in _gallery(_PHOTO.format(cls="bild", src=src) + _TEXT)]

    # a word in the host or the query is not the image's path
    assert found("https://logo.herne.de/bilder/rathaus.jpg") == [
        "https://logo.herne.de/bilder/rathaus.jpg"
    ]
    assert found("https://www.herne.de/bilder/rathaus.jpg?pixel=1") == [
        "https://www.herne.de/bilder/rathaus.jpg?pixel=1"
    ]
    assert found("https://www.herne.de/static/logo.png") == []
    assert found("https://www.herne.de/icons/rathaus.png") == []
    assert found("/static/logo.png") == []


_WORDS = ["", "bild", "nav", "menu", "share", "sidebar", "cookie-layer", "logo", "galerie"]
_WRAPPERS = ["div", "header", "footer", "aside", "nav", "article", "section"]
_SOURCES = [
    "/bilder/rathaus.jpg",
    "https://www.herne.de/bilder/kita.jpg",
    "https://logo.herne.de/bild.jpg",
    "https://www.herne.de/icons/pfeil.png",
    "https://www.herne.de/bild.jpg?w=800",
    "//cdn.herne.de/[bild].jpg",
    "bilder/ÄÖÜ.jpg",
    "data:image/gif;base64,R0lGOD",
]
_blocks = st.builds(
    lambda wrapper, cls, src, texts: (
        f'<{wrapper} class="{cls}">{_TEXT * texts}{_PHOTO.format(cls=cls, src=src)}</{wrapper}>'
    ),
    st.sampled_from(_WRAPPERS),
    st.sampled_from(_WORDS),
    st.sampled_from(_SOURCES),
    st.integers(0, 3),
)
fragments = st.lists(st.one_of(_blocks, st.just(_TEXT)), min_size=1, max_size=6).map("".join)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(fragments, st.sampled_from([BASE, None]))
def test_the_poll_s_scan_finds_what_the_full_scan_finds(html: str, base: str | None) -> None:
    lazy = parse_html(html, plain=True)  # as a poll parses an entry for its gallery
    full = lxml.html.document_fromstring(html)
    assert lazy is not None
    assert collect_gallery(lazy, base).items == (
        collect_gallery(full, base, find_furniture(full)).items
    )


def test_a_plain_tree_has_only_plain_elements() -> None:
    tree = parse_html('<form><input name="q"><label>Suche</label></form><!-- x -->', plain=True)
    assert tree is not None
    assert {type(el) for el in tree.iter() if isinstance(el.tag, str)} == {lxml.html.HtmlElement}
    assert parse_html("  ", plain=True) is None


_hosts = st.sampled_from(["www.herne.de", "polizei.nrw", "127.0.0.1:8080", "bochum.de:443"])
_paths = st.lists(st.text(alphabet="abcÄß-_.%~/:@!$&'()*+,=09", max_size=8), max_size=4).map(
    "/".join
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.sampled_from(["http", "https"]),
    _hosts,
    _paths,
    st.sampled_from([BASE, "http://www.herne.de/a/b?c#d", "https://x.de", "ftp://x.de/", "/rel"]),
)
def test_a_plain_absolute_address_is_its_own_join(
    scheme: str, host: str, path: str, base: str
) -> None:
    url = f"{scheme}://{host}/{path}"
    if plain_absolute(url):
        assert urljoin(base, url) == url
