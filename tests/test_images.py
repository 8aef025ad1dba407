"""Gallery thumbnails: the image cache, and the strip in the detail pane (loopback only)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from newsroom_tui.models import GalleryItem, NewArticle
from newsroom_tui.net import image_cache
from newsroom_tui.net.fetcher import Fetcher
from newsroom_tui.net.image_cache import TILE_SIZE, ImageCache, cache_name, evict
from newsroom_tui.store import FeedUpdate, SQLiteStore
from newsroom_tui.ui.app import NewsroomApp
from newsroom_tui.ui.widgets import gallery as gallery_strip
from newsroom_tui.ui.widgets.gallery import PLACEHOLDER, GalleryStrip, GalleryTile, image_mode
from tests.fixture_server import FixtureServer


def picture(fmt: str = "PNG", size: tuple[int, int] = (800, 600), color: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


def noise_png(size: tuple[int, int]) -> bytes:
    """A PNG that does not compress: size in bytes ≈ 3 × pixels."""
    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def images(server: FixtureServer) -> FixtureServer:
    server.add("/img/a.png", picture("PNG"), "image/png")
    server.add("/img/b.jpg", picture("JPEG", (1200, 800), "orange"), "image/jpeg")
    server.add("/img/tiny.png", picture("PNG", (40, 30)), "image/png")
    server.add("/img/fake.png", b"<html>not an image</html>", "image/png")
    server.add("/img/huge.png", noise_png((1000, 800)), "image/png")  # ~2.4 MB
    return server


async def thumb(cache: ImageCache, url: str) -> Image.Image | None:
    async with Fetcher() as fetcher:
        return await cache.thumbnail(url, fetcher)


# the cache ---------------------------------------------------------------------------------


async def test_fetched_once_then_read_from_disk(images: FixtureServer, tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "images")
    url = images.url("/img/a.png")
    first = await thumb(cache, url)
    assert first is not None and first.size == TILE_SIZE
    stored = tmp_path / "images" / cache_name(url)
    assert stored.is_file()
    with Image.open(stored) as on_disk:
        assert on_disk.format == "PNG" and on_disk.width <= 480 and on_disk.height <= 360
    second = await thumb(ImageCache(tmp_path / "images"), url)
    assert second is not None and second.size == TILE_SIZE
    assert images.requests_for("/img/a.png") == [200]


async def test_jpeg_is_cropped_to_the_tile(images: FixtureServer, tmp_path: Path) -> None:
    tile = await thumb(ImageCache(tmp_path), images.url("/img/b.jpg"))
    assert tile is not None and tile.size == TILE_SIZE and tile.mode == "RGB"
    r, g, b = tile.getpixel((160, 120))  # type: ignore[misc]
    assert r > 200 and 100 < g < 200 and b < 60  # still orange


async def test_small_images_are_not_enlarged(images: FixtureServer, tmp_path: Path) -> None:
    tile = await thumb(ImageCache(tmp_path), images.url("/img/tiny.png"))
    assert tile is not None and tile.width <= 40 and tile.height <= 30


async def test_offline_shows_what_was_seen(images: FixtureServer, tmp_path: Path) -> None:
    url = images.url("/img/a.png")
    assert await thumb(ImageCache(tmp_path), url) is not None
    images.stop()
    assert await thumb(ImageCache(tmp_path), url) is not None
    assert await thumb(ImageCache(tmp_path), images.url("/img/b.jpg")) is None  # never seen


async def test_unusable_images_give_none(images: FixtureServer, tmp_path: Path) -> None:
    cache = ImageCache(tmp_path)
    for path in ("/img/fake.png", "/img/huge.png", "/img/missing.png"):
        assert await thumb(cache, images.url(path)) is None, path
        assert await thumb(cache, images.url(path)) is None, path  # not asked again
        assert len(images.requests_for(path)) == 1, path
    assert not list(tmp_path.glob("*.png"))
    for url in ("file:///etc/passwd", "data:image/png;base64,AAAA", "javascript:x", ""):
        assert await thumb(cache, url) is None


async def test_decompression_bomb_guard_stays_on(
    images: FixtureServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Image.MAX_IMAGE_PIXELS  # Pillow's default guard is on
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # a.png has 480,000
    assert await thumb(ImageCache(tmp_path), images.url("/img/a.png")) is None


async def test_a_damaged_cache_file_is_fetched_again(images: FixtureServer, tmp_path: Path) -> None:
    url = images.url("/img/a.png")
    (tmp_path / cache_name(url)).write_bytes(b"\x89PNG truncated")
    assert await thumb(ImageCache(tmp_path), url) is not None
    assert images.requests_for("/img/a.png") == [200]
    with Image.open(tmp_path / cache_name(url)) as repaired:
        repaired.load()


async def test_an_unwritable_cache_still_shows(images: FixtureServer, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert await thumb(ImageCache(blocker / "images"), images.url("/img/a.png")) is not None


def test_eviction_drops_the_least_recently_used(tmp_path: Path) -> None:
    for i in range(5):
        path = tmp_path / f"{i}.png"
        path.write_bytes(b"x" * 1000)
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
    os.utime(tmp_path / "0.png")  # just read: the newest now
    (tmp_path / "other.txt").write_bytes(b"y" * 5000)  # not ours: left alone
    removed = evict(tmp_path, 2500)
    assert sorted(p.name for p in removed) == ["1.png", "2.png", "3.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.png", "4.png", "other.txt"]
    assert evict(tmp_path, 2500) == []


async def test_the_cache_stays_bounded(images: FixtureServer, tmp_path: Path) -> None:
    a, b = images.url("/img/a.png"), images.url("/img/b.jpg")
    await thumb(ImageCache(tmp_path), a)
    one_file = (tmp_path / cache_name(a)).stat().st_size
    os.utime(tmp_path / cache_name(a), (1_700_000_000, 1_700_000_000))
    await thumb(ImageCache(tmp_path, max_bytes=one_file + 10), b)
    assert (tmp_path / cache_name(b)).exists()
    assert not (tmp_path / cache_name(a)).exists()


# detection and modes -----------------------------------------------------------------------


def test_modes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gallery_strip, "_graphics", "none")
    assert image_mode(None) == "off"  # no TGP/Sixel: the text list only
    assert image_mode(True) == "halfcell"  # the fallback only when asked for
    assert image_mode(False) == "off"
    monkeypatch.setattr(gallery_strip, "_graphics", "sixel")
    assert image_mode(None) == "sixel" and image_mode(True) == "sixel"
    assert image_mode(False) == "off"
    assert image_mode(None, headless=True) == "off"
    assert image_mode(True, headless=True) == "halfcell"
    monkeypatch.setattr(gallery_strip, "_graphics", None)  # never asked: never asks now
    assert image_mode(None) == "off"


def test_no_terminal_no_query_no_imports() -> None:
    """In a pipe (and in CI) nothing asks the terminal, nor loads textual-image or Pillow."""
    code = (
        "import sys\n"
        "from newsroom_tui.ui.app import NewsroomApp\n"
        "from newsroom_tui.ui.widgets.gallery import detect_graphics\n"
        "print(detect_graphics(), 'textual_image' in sys.modules, 'PIL' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=True,
        timeout=60,
    )
    assert done.stdout.split() == ["none", "False", "False"]
    assert done.stderr == ""


# the strip in the reader -------------------------------------------------------------------


def article_with_gallery(store: SQLiteStore, server: FixtureServer) -> None:
    feed, _ = store.add_feed(server.url("/feed"))
    when = datetime(2024, 5, 1, tzinfo=UTC)
    gallery = [
        GalleryItem(server.url("/img/a.png"), "Der Rathausplatz", "Thomas Schmidt/Stadt Herne"),
        GalleryItem(server.url("/img/b.jpg"), "[b]Fest[/b] im Park", None),
        GalleryItem(server.url("/img/fake.png"), "Kaputt", "Foto: Stadt"),
        GalleryItem(server.url("/img/a.png"), "Der Rathausplatz", "Thomas Schmidt/Stadt Herne"),
    ]
    article = NewArticle("g1", None, "Mit Bildern", when, "", "Text.", gallery)
    store.save_feed_update(feed.id, FeedUpdate(polled_at=when, articles=[article]))


async def test_thumbnails_when_images_are_on(
    images: FixtureServer, store: SQLiteStore, tmp_path: Path
) -> None:
    article_with_gallery(store, images)
    cache_dir = tmp_path / "images"
    app = NewsroomApp(store, poll_on_start=False, images=True, image_dir=cache_dir)
    async with app.run_test(size=(120, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        strip = app.query_one(GalleryStrip)
        assert strip.display and not strip.pending
        tiles = list(strip.query(GalleryTile))
        assert [t.state for t in tiles] == ["shown", "shown", "failed"]  # a.png once
        assert len(strip.query(".thumb")) == 2
        assert all(t.query_one(".thumb").size.height > 0 for t in tiles[:2])
        status = tiles[2].query_one(".thumb-status")
        assert status.display and PLACEHOLDER in str(status.render())
        captions = [str(t.query_one(".thumb-caption").render()) for t in tiles]
        assert "Der Rathausplatz\n© Thomas Schmidt/Stadt Herne" in captions[0]
        assert "[b]Fest[/b] im Park" in captions[1]  # network text, never markup
        # the credits text section is still there, below
        credits = app.query_one("#credits")
        assert "Photo credits" in str(credits.render())
        assert credits.virtual_region.y > strip.virtual_region.y
    assert len(list(cache_dir.glob("*.png"))) == 2
    assert images.requests_for("/img/a.png") == [200]


async def test_nothing_new_when_images_are_off(
    images: FixtureServer, store: SQLiteStore, tmp_path: Path
) -> None:
    article_with_gallery(store, images)
    for setting in (False, None):  # None: headless has neither TGP nor Sixel
        app = NewsroomApp(store, poll_on_start=False, images=setting, image_dir=tmp_path)
        async with app.run_test(size=(120, 50)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            strip = app.query_one(GalleryStrip)
            assert not strip.display and not strip.children
            assert "Photo credits" in str(app.query_one("#credits").render())
    assert not [p for p, _ in images.log if p.startswith("/img/")]
    assert not list(tmp_path.glob("*.png"))


async def test_switching_articles_replaces_the_strip(
    images: FixtureServer, store: SQLiteStore, tmp_path: Path
) -> None:
    article_with_gallery(store, images)
    feed = store.feeds()[0]
    when = datetime(2024, 4, 1, tzinfo=UTC)
    plain = NewArticle("g2", None, "Ohne Bilder", when, "", "Nur Text.")
    store.save_feed_update(feed.id, FeedUpdate(polled_at=when, articles=[plain]))
    app = NewsroomApp(store, poll_on_start=False, images=True, image_dir=tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        strip = app.query_one(GalleryStrip)
        assert len(strip.tiles) == 3
        await pilot.press("j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not strip.display and not strip.tiles
        await pilot.press("k")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [t.state for t in strip.tiles] == ["shown", "shown", "failed"]
    assert images.requests_for("/img/a.png") == [200]  # the second time from disk


def test_cache_module_has_no_textual() -> None:
    source = Path(image_cache.__file__).read_text("utf-8")
    assert "import textual" not in source and "from textual" not in source
