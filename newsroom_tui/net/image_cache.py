"""Gallery thumbnails: fetched lazily, decoded and downscaled off the event loop, kept on disk.

No UI here: the detail pane asks :meth:`ImageCache.thumbnail` for an image and gets a small
Pillow image back, or None when the image cannot be had (not http/https, unreachable, too
large, not an image, a decompression bomb). It never raises.

On disk: ``<data_dir>/images/<sha1 of the URL>.png``, already downscaled, so a gallery shows
offline once it has been seen. The directory is bounded: beyond ``max_bytes`` the files used
longest ago go first (reading a file refreshes its modification time).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from newsroom_tui.net.fetcher import Fetcher, FetchError, check_url

if TYPE_CHECKING:
    from PIL.Image import Image

logger = logging.getLogger(__name__)

IMAGES_DIR = "images"  # under the data dir
IMAGE_MAX_BYTES = 2 * 1024 * 1024  # one image as downloaded
CACHE_MAX_BYTES = 200 * 1024 * 1024  # the whole directory
STORED_SIZE = (480, 360)  # what is kept on disk: the image scaled down to fit this box
TILE_SIZE = (320, 240)  # what is shown: cropped to this aspect (4:3) and size
# Formats we decode; anything else (EPS, PSD, ICO, …) is "not an image" for us.
FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP")
# At most this many pixels are decoded at full size (JPEG decodes reduced, below it): 12 MP is
# 48 MB as RGBA, held by one image at a time.
DECODE_MAX_PIXELS = 12_000_000
# A format whose decoder needs more than the image itself counts its pixels that many times:
# libwebp decodes into buffers of its own and Pillow copies them, about four times what a PNG
# of as many pixels takes (16383 x 700, a 20 KB WebP, took 175 MB against 43 MB as a PNG).
DECODE_COST = {"WEBP": 4}
_DECODING = threading.Lock()
ACCEPT = "image/avif;q=0,image/webp,image/png,image/jpeg,image/gif,image/*;q=0.8"


def image_cache_dir(data_dir: Path) -> Path:
    return data_dir / IMAGES_DIR


def cache_name(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest() + ".png"


class ImageCache:
    """Thumbnails by URL. ``directory`` None: nothing is kept on disk (every show fetches)."""

    def __init__(
        self,
        directory: Path | None,
        *,
        max_bytes: int = CACHE_MAX_BYTES,
        image_max_bytes: int = IMAGE_MAX_BYTES,
        tile_size: tuple[int, int] = TILE_SIZE,
    ) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self.image_max_bytes = image_max_bytes
        self.tile_size = tile_size
        # URLs that gave something unusable (too large, not an image, HTTP 404) this session:
        # not asked for again on every show. Network failures are not remembered.
        self._failed: set[str] = set()

    def path_for(self, url: str) -> Path | None:
        return None if self.directory is None else self.directory / cache_name(url)

    async def thumbnail(self, url: str, fetcher: Fetcher) -> Image | None:
        """The tile for ``url``: from disk if there, else fetched, stored and returned."""
        try:
            return await self._thumbnail(url, fetcher)
        except asyncio.CancelledError:
            raise
        except Exception:  # never an exception in the UI for one image
            logger.exception("thumbnail for %s failed", url)
            return None

    async def _thumbnail(self, url: str, fetcher: Fetcher) -> Image | None:
        try:
            check_url(url)
        except ValueError:
            return None
        if url in self._failed:
            return None
        path = self.path_for(url)
        if path is not None:
            cached = await asyncio.to_thread(self._read, path)
            if cached is not None:
                return cached
        try:
            result = await fetcher.get(
                url, max_bytes=self.image_max_bytes, accept=ACCEPT, named_by_content=True
            )
        except FetchError as exc:
            if not exc.network:
                self._failed.add(url)
            return None
        if result.not_modified or not result.content:
            return None
        tile = await asyncio.to_thread(self._store, result.content, path)
        if tile is None:
            self._failed.add(url)
        return tile

    # in a worker thread ------------------------------------------------------------------

    def _read(self, path: Path) -> Image | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        stored = decode(data)
        with contextlib.suppress(OSError):
            if stored is None:
                path.unlink(missing_ok=True)  # damaged: fetch again
            else:
                os.utime(path)  # recently used: evicted last
        if stored is None:
            return None
        return fit_tile(stored, self.tile_size)

    def _store(self, data: bytes, path: Path | None) -> Image | None:
        image = decode(data)
        if image is None:
            return None
        if path is not None:
            try:
                write_png(image, path)
                evict(path.parent, self.max_bytes)
            except OSError as exc:  # a full or read-only disk: shown all the same
                logger.warning("cannot cache %s: %s", path, exc)
        return fit_tile(image, self.tile_size)


def decode(data: bytes, box: tuple[int, int] = STORED_SIZE) -> Image | None:
    """``data`` as an RGB(A) image scaled down to fit ``box``, first frame only; None for
    anything that is not one of :data:`FORMATS`, is larger than Pillow's
    ``Image.MAX_IMAGE_PIXELS`` (bomb guard), or would decode to more than
    :data:`DECODE_MAX_PIXELS` (a 9400 x 9400 PNG is 363 KB on the wire and 350 MB decoded;
    a WebP's pixels count four times, :data:`DECODE_COST`).
    One decode at a time: a gallery of such images costs one image's worth of memory."""
    from PIL import Image

    try:
        with _DECODING, Image.open(io.BytesIO(data), formats=FORMATS) as opened:
            width, height = opened.size
            if Image.MAX_IMAGE_PIXELS and width * height > Image.MAX_IMAGE_PIXELS:
                return None  # Pillow only warns up to twice the limit; we refuse at once
            # JPEG: decode at a reduced scale right away (less memory, much faster).
            opened.draft("RGB", (box[0] * 2, box[1] * 2))
            width, height = opened.size
            if width * height * decode_cost(opened.format) > DECODE_MAX_PIXELS:
                return None  # no reduced decoding for PNG, GIF, WebP, BMP: refused
            opened.seek(0)
            mode = "RGBA" if _has_alpha(opened) else "RGB"
            if opened.mode in ("1", "P"):  # palette: converted first, scaled smoothly after
                image = opened.convert(mode)
                image.thumbnail(box)
                return image
            opened.thumbnail(box)  # in place: no second full-size copy
            return opened.convert(mode)
    except Exception:  # Pillow raises many kinds (OSError, ValueError, SyntaxError, bomb …)
        return None


def decode_cost(image_format: str | None) -> int:
    """How many times an image of ``image_format`` counts its pixels against the budget."""
    return DECODE_COST.get(image_format or "", 1)


def _has_alpha(image: Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def fit_tile(image: Image, size: tuple[int, int]) -> Image:
    """``image`` cropped to the aspect of ``size`` (centred) and scaled to fit it."""
    from PIL import ImageOps

    width, height = size
    if image.width <= width and image.height <= height:
        # small already: crop to the aspect, do not enlarge
        scale = min(image.width / width, image.height / height)
        width, height = max(1, round(width * scale)), max(1, round(height * scale))
    return ImageOps.fit(image, (width, height))


def write_png(image: Image, path: Path) -> None:
    """Write atomically: a half-written file never passes for a cached image."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            image.save(out, format="PNG", optimize=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def evict(directory: Path, max_bytes: int) -> list[Path]:
    """Delete the least recently used ``*.png`` files until the directory holds at most
    ``max_bytes``; return what was deleted."""
    entries: list[tuple[float, int, Path]] = []
    total = 0
    try:
        with os.scandir(directory) as scan:
            for entry in scan:
                if not entry.name.endswith(".png") or not entry.is_file():
                    continue
                stat = entry.stat()
                entries.append((stat.st_mtime, stat.st_size, Path(entry.path)))
                total += stat.st_size
    except OSError:
        return []
    removed: list[Path] = []
    for _, size, path in sorted(entries):
        if total <= max_bytes:
            break
        try:
            path.unlink()
        except OSError:
            continue
        total -= size
        removed.append(path)
    return removed
