"""How much memory one image may take to decode, by format: a WebP goes through libwebp's own
buffers (about four times a PNG of as many pixels: 16383 x 700, a 20 KB file, took 175 MB),
so it counts four times against the pixel budget, and one over it is refused before any
pixel is decoded."""

from __future__ import annotations

import io

import pytest
from PIL import Image, WebPImagePlugin

from newsroom_tui.net import image_cache
from newsroom_tui.net.image_cache import DECODE_MAX_PIXELS, STORED_SIZE, decode
from tests.webp_files import one_colour_webp


def picture(fmt: str, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def webp_loads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The sizes of the WebP images whose pixels were decoded."""
    loads: list[tuple[int, int]] = []
    original = WebPImagePlugin.WebPImageFile.load

    def load(self: WebPImagePlugin.WebPImageFile) -> object:
        loads.append(self.size)
        return original(self)

    monkeypatch.setattr(WebPImagePlugin.WebPImageFile, "load", load)
    return loads


def test_a_long_webp_is_refused_before_it_is_decoded(webp_loads: list[tuple[int, int]]) -> None:
    data = one_colour_webp(16383, 700)
    assert Image.open(io.BytesIO(data)).size == (16383, 700)
    assert len(data) < 100  # small on the wire
    assert DECODE_MAX_PIXELS > 16383 * 700  # and under the budget a PNG gets
    assert decode(data) is None
    assert webp_loads == []


def test_a_usual_webp_still_decodes_small(webp_loads: list[tuple[int, int]]) -> None:
    image = decode(picture("WEBP", (1200, 800)))
    assert image is not None
    assert image.width <= STORED_SIZE[0] and image.height <= STORED_SIZE[1]
    assert (1200, 800) in webp_loads


@pytest.mark.parametrize(
    ("fmt", "size", "fits"),
    [
        ("WEBP", (150, 200), True),
        ("WEBP", (160, 200), False),
        ("PNG", (300, 400), True),
        ("PNG", (310, 400), False),
        ("GIF", (300, 400), True),
    ],
)
def test_the_budget_by_format(
    fmt: str, size: tuple[int, int], fits: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(image_cache, "DECODE_MAX_PIXELS", 120_000)
    assert (decode(picture(fmt, size)) is not None) is fits
