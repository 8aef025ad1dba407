"""The article header's link: one line at any width, cut in the middle."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsroom_tui.text.article_format import middle_cut

LINK = "https://www.herne.de/Stadt-und-Leben/Presse/Meldungen/2026/11/Stadtfest-Wanne.html"


def test_a_long_link_keeps_its_host_and_its_page() -> None:
    shown = middle_cut(LINK, 40)
    assert shown == "https://www.herne.de…tadtfest-Wanne.html"
    assert len(shown) == 40 and shown.startswith("https://www.herne.de")
    assert shown.count("…") == 1
    assert middle_cut(LINK, len(LINK)) == LINK


@given(st.text(min_size=0, max_size=300), st.integers(min_value=0, max_value=320))
def test_the_cut_fits_and_keeps_both_ends(text: str, width: int) -> None:
    shown = middle_cut(text, width)
    assert len(shown) <= width or (width == 0 and shown == "")
    if len(text) <= width:
        assert shown == text
    elif width > 1:
        head, tail = shown.split("…", 1) if "…" not in text else (shown[: width // 2], "")
        assert text.startswith(head) and text.endswith(tail)
