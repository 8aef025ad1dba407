"""What the reader screen is given besides the store: the settings it runs with, made once
by the application (the screen never reads them off the App)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field
from pathlib import Path

from newsroom_tui.config import Config
from newsroom_tui.records import record

READ_AFTER_SECONDS = 1.0


@record(frozen=True)
class ReaderSettings:
    """What the reader is started with: the configuration, the poll on start, where
    exports and images go, and the keys as the user sees them."""

    config: Config = field(default_factory=Config)
    # an article counts as read after this long on screen (0: at once)
    read_delay: float = READ_AFTER_SECONDS
    poll_on_start: bool = True
    export_dir: Path = field(default_factory=Path.cwd)
    images: bool | None = None  # gallery thumbnails (None: where the terminal can show them)
    image_dir: Path | None = None
    key_display: Mapping[str, str] = field(default_factory=dict)  # action -> keys as shown
    browser_available: Callable[[], bool] = field(default=lambda: browser_available())

    def __post_init__(self) -> None:
        if self.read_delay < 0:
            raise ValueError(f"read_delay is seconds on screen, never negative: {self.read_delay}")


def browser_available() -> bool:
    """Is there a browser to open a link in (Python's webbrowser finds one)?"""
    import webbrowser  # when asked: it brings subprocess and shutil, not needed to start

    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True
