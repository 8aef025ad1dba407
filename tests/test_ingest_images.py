"""The poll's cheap look for HTML that may hold an image finds what the one expression did."""

from __future__ import annotations

import re

import pytest

from newsroom_tui.ingest.article_build import _gallery_of, _maybe_image

# the single case-insensitive alternation the poller used before (slow: no literal scan)
_BEFORE = re.compile(
    "<img|[\x00-\x08\x0b\x0c\x0e-\x1f\x9b\x9d\ufffe\uffff\ud800-\udfff]", re.IGNORECASE
)

CASES = [
    "<p>Die Stadtbibliothek öffnet am Montag wieder.</p>",
    '<figure><IMG SRC="/b.jpg" alt=""><figcaption>Rathaus ©Stadt Herne</figcaption></figure>',
    '<p>Text</p><iMg src="x.jpg">',
    "<i\x00mg src='a.jpg'>",  # NUL: parse_html takes it out, and an <img> may appear
    "Straße\x1b[31m gesperrt",
    "Bürgerbüro \x9b2J",
    "kaputt \ud800 Zeichen",
    "Ende\ufffe",
    "<p>Bilder folgen</p><img",
    "<im g>",
    "",
]


@pytest.mark.parametrize("html", CASES)
def test_the_cheap_look_agrees_with_the_one_expression(html: str) -> None:
    assert _maybe_image(html) == bool(_BEFORE.search(html))


def test_no_image_means_no_gallery_and_an_image_still_gives_one() -> None:
    assert _gallery_of(CASES[0], "https://www.herne.de/") == []
    found = _gallery_of(CASES[1], "https://www.herne.de/")
    assert [(g.src, g.caption, g.credit) for g in found] == [
        ("https://www.herne.de/b.jpg", "Rathaus", "Stadt Herne")
    ]
