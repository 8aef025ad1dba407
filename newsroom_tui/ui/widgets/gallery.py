"""Gallery thumbnails in the detail pane, where the terminal can show images.

Kitty's graphics protocol (TGP) and Sixel are drawn by textual-image. Whether the terminal
speaks either is asked once, by :func:`detect_graphics`, before the app starts: textual-image
queries the terminal when it is imported, and once Textual runs, its input thread would
swallow the answer. Nothing of textual-image or Pillow is imported unless the reader runs on a
terminal (or images are forced on), so ``newsroom list`` in a pipe and headless tests never
touch them.

Where neither protocol is available the strip stays hidden and the text list of captions and
credits below it is all there is. The half-block fallback (coloured ``▀`` cells) is used only
when images are switched on explicitly (``images=True``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import ItemGrid, Vertical
from textual.widget import Widget
from textual.widgets import Static

from newsroom_tui.config import Config
from newsroom_tui.models import GalleryItem
from newsroom_tui.ui.language import tr

if TYPE_CHECKING:
    from PIL.Image import Image

    from newsroom_tui.net.fetcher import Fetcher
    from newsroom_tui.net.image_cache import ImageCache

ImageMode = Literal["tgp", "sixel", "halfcell", "off"]
Graphics = Literal["tgp", "sixel", "none"]

MAX_THUMBNAILS = 6
PLACEHOLDER = "[image not available]"  # shown through tr(): the interface language
LOADING = "Loading image…"

_graphics: Graphics | None = None  # what the terminal answered; None: not asked yet


# Terminals known to draw images (TGP or Sixel), told by their environment. Elsewhere the
# query is not made at all unless images are switched on: it would delay every start
# (importing textual-image and numpy, waiting for answers that may never come).
_GRAPHICS_TERM_PROGRAMS = ("WezTerm", "iTerm.app", "vscode", "ghostty", "mintty", "contour")
_GRAPHICS_TERMS = ("kitty", "foot", "mlterm", "contour", "ghostty", "wezterm", "yaft")
_GRAPHICS_ENV = ("KITTY_WINDOW_ID", "WEZTERM_EXECUTABLE", "KONSOLE_VERSION", "WT_SESSION")


def terminal_hints_graphics() -> bool:
    term = os.environ.get("TERM", "")
    return (
        any(name in term for name in _GRAPHICS_TERMS)
        or os.environ.get("TERM_PROGRAM", "") in _GRAPHICS_TERM_PROGRAMS
        or any(os.environ.get(name) for name in _GRAPHICS_ENV)
    )


def detect_graphics(*, force: bool = False) -> Graphics:
    """Whether the terminal shows images by TGP or Sixel; asked once per process.

    Call it before the Textual app runs. It asks only when stdin and stdout are both
    terminals and the terminal is known for images (or ``force``: images switched on);
    textual-image then writes a query and waits up to 0.1 s per protocol for the answer.
    Otherwise, and on any error, the answer is "none"."""
    global _graphics
    if _graphics is None:
        _graphics = _query_terminal() if force or terminal_hints_graphics() else "none"
    return _graphics


def _query_terminal() -> Graphics:
    stdin, stdout = sys.__stdin__, sys.__stdout__
    if stdin is None or stdout is None or not (stdin.isatty() and stdout.isatty()):
        return "none"
    if os.environ.get("TERM", "") in ("", "dumb"):
        return "none"
    # textual-image logs a warning with a traceback when the terminal does not answer its
    # cell-size query; without a handler Python would print it on stderr before the TUI starts.
    logging.getLogger("textual_image").addHandler(logging.NullHandler())
    try:
        import textual_image.widget  # noqa: F401  (queries the terminal and its cell size)
        from textual_image.renderable import Image, SixelImage, TGPImage
    except Exception:  # a terminal that answers garbage, a missing termios, …
        return "none"
    if Image is TGPImage:
        return "tgp"
    if Image is SixelImage:
        return "sixel"
    return "none"


def image_mode(images: bool | None, *, headless: bool = False) -> ImageMode:
    """How thumbnails are drawn. ``images``: None: TGP or Sixel when the terminal has it, else
    none; True: also the half-block fallback; False: never. Never queries the terminal
    itself: what :func:`detect_graphics` found, or nothing."""
    if images is False:
        return "off"
    graphics = _graphics or "none"
    if graphics != "none" and not headless:
        return graphics
    return "halfcell" if images else "off"


def thumbnail_items(gallery: list[GalleryItem], limit: int = MAX_THUMBNAILS) -> list[GalleryItem]:
    """The first ``limit`` distinct images."""
    seen: set[str] = set()
    items: list[GalleryItem] = []
    for item in gallery:
        if item.src and item.src not in seen:
            seen.add(item.src)
            items.append(item)
            if len(items) == limit:
                break
    return items


class GalleryTile(Vertical):
    """One thumbnail with its caption and credit under it."""

    DEFAULT_CSS = """
    GalleryTile {
        height: auto;
    }
    GalleryTile .thumb {
        /* auto, not 100%: textual-image derives the height from the width it was laid out
           with, which a percentage only has after a second layout pass */
        width: auto;
        height: auto;
    }
    GalleryTile .thumb-status {
        color: $text-muted;
    }
    GalleryTile .thumb-caption {
        max-height: 4;
        color: $text-muted;
    }
    """

    def __init__(self, item: GalleryItem) -> None:
        super().__init__()
        self.item = item
        self.state: Literal["loading", "shown", "failed"] = "loading"

    def compose(self) -> ComposeResult:
        yield Static(tr(LOADING), classes="thumb-status", markup=False)
        yield Static(caption_text(self.item), classes="thumb-caption")

    def show_image(self, image: Image | None, mode: ImageMode) -> None:
        status = self.query_one(".thumb-status", Static)
        if image is None or mode == "off":
            self.state = "failed"
            status.update(tr(PLACEHOLDER))
            return
        try:
            widget = _image_widget(image, mode)
        except Exception:  # textual-image could not take it: the placeholder, not a crash
            self.state = "failed"
            status.update(tr(PLACEHOLDER))
            return
        self.state = "shown"
        status.display = False
        self.mount(widget, before=status)


def caption_text(item: GalleryItem) -> Text:
    """Network text, shown as plain text (never markup)."""
    text = Text(item.caption or tr("(no caption)"))
    if item.credit:
        text.append("\n© ")
        text.append(item.credit, style="italic")
    return text


def _image_widget(image: Image, mode: ImageMode) -> Widget:
    from textual_image.widget import HalfcellImage, SixelImage, TGPImage

    cls = {"tgp": TGPImage, "sixel": SixelImage}.get(mode, HalfcellImage)
    widget: Widget = cls(image, classes="thumb")
    return widget


class GalleryStrip(ItemGrid):
    """Up to :data:`MAX_THUMBNAILS` thumbnails of the article's gallery, in a grid whose
    columns follow the pane's width. Hidden when images are off or there are none."""

    DEFAULT_CSS = """
    GalleryStrip {
        display: none;
        height: auto;
        margin: 1 0 0 0;
        grid-gutter: 1 2;
    }
    """

    def __init__(
        self,
        *,
        images: bool | None = None,
        cache_dir: Path | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, min_column_width=18, max_column_width=24, stretch_height=False)
        self.images = images
        self.cache_dir = cache_dir
        self._cache: ImageCache | None = None
        self._shown: tuple[GalleryItem, ...] | None = None

    @property
    def mode(self) -> ImageMode:
        return image_mode(self.images, headless=self.app.is_headless)

    @property
    def tiles(self) -> list[GalleryTile]:
        return list(self.query_children(GalleryTile))

    def show_gallery(self, gallery: list[GalleryItem]) -> None:
        """Show ``gallery``'s thumbnails (fetched in the background), or nothing."""
        mode = self.mode
        items = thumbnail_items(gallery) if mode != "off" else []
        key = tuple(items)
        if key == self._shown:
            return
        self._shown = key
        self.workers.cancel_group(self, "gallery")
        self.remove_children()
        self.display = bool(items)
        if not items:
            return
        tiles = [GalleryTile(item) for item in items]
        self.mount_all(tiles)
        self.run_worker(self._load(tiles, mode), group="gallery", exclusive=True)

    async def _load(self, tiles: list[GalleryTile], mode: ImageMode) -> None:
        from newsroom_tui.net.fetcher import Fetcher
        from newsroom_tui.net.image_cache import ImageCache

        if self._cache is None:
            self._cache = ImageCache(self.cache_dir)
        cache = self._cache
        config = getattr(self.app, "config", None)  # the reader's (NewsroomApp's)
        addresses = config.private_addresses if isinstance(config, Config) else None
        fetcher = Fetcher(concurrency=4, timeout=10.0, deadline=30.0, private_addresses=addresses)
        async with fetcher:
            await asyncio.gather(*(self._load_one(tile, cache, fetcher, mode) for tile in tiles))

    @staticmethod
    async def _load_one(
        tile: GalleryTile, cache: ImageCache, fetcher: Fetcher, mode: ImageMode
    ) -> None:
        image = await cache.thumbnail(tile.item.src, fetcher)
        if tile.is_attached:
            tile.show_image(image, mode)

    @property
    def pending(self) -> bool:
        """True while a thumbnail is still being fetched."""
        return any(tile.state == "loading" for tile in self.tiles)
