"""The reader's application: configuration, theme, keys and the store; the reader itself is
a screen (``screens/reader.py``) made of the widgets in ``widgets/``."""

from __future__ import annotations

import gc

# ``html`` is imported here, on the main thread, before the reader's first threads: it is a
# package that imports its submodule ``html.entities``, and two threads importing them first
# in the other order (Markdown's entities while an article is rendered ahead, ``html`` while
# a body is read) stop Python 3.11 with a _DeadlockError that ends the reader at start.
import html  # noqa: F401
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen

from newsroom_tui.config import Config
from newsroom_tui.keymap import effective_keys
from newsroom_tui.store import Store
from newsroom_tui.ui import reader_settings
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.palette import system_commands
from newsroom_tui.ui.reader_settings import ReaderSettings
from newsroom_tui.ui.screens.reader import ReaderScreen
from newsroom_tui.ui.ui_state import UiState
from newsroom_tui.ui.widgets.gallery import detect_graphics

READ_AFTER_SECONDS = reader_settings.READ_AFTER_SECONDS
NOTICE_GONE_SLACK = 0.2  # seconds after a notice's end when the screen is drawn again


class NewsroomApp(App[None]):
    TITLE = "newsroom"
    CSS_PATH = "newsroom.tcss"
    # Textual's own palette key, named in the interface language (the footer shows it)
    BINDINGS = [Binding("ctrl+p", "command_palette", tr("palette"), show=False, priority=True)]

    def __init__(
        self,
        store: Store,
        *,
        poll_on_start: bool = True,
        export_dir: Path | None = None,
        config: Config | None = None,
        state_file: Path | None = None,
        images: bool | None = None,
        image_dir: Path | None = None,
    ) -> None:
        super().__init__()
        # Gallery thumbnails (None: where the terminal can show images). The terminal is
        # asked now: once the app runs, Textual reads the answer as keys.
        if images is not False:
            detect_graphics(force=images is True)
        if image_dir is None and state_file is not None:
            image_dir = state_file.parent / "images"  # the data dir, beside the database
        self.store = store
        self.config = config or Config()
        self.ui_state = UiState(state_file)
        # what the reader is given as the app was made; the rest when it is (get_default_screen)
        self._settings = ReaderSettings(
            config=self.config,
            poll_on_start=poll_on_start,
            export_dir=export_dir or _export_dir(self.config),
            images=images,
            image_dir=image_dir,
        )
        # An article counts as read after this long on screen (0: at once)
        self.read_delay = READ_AFTER_SECONDS
        self.set_keymap(self.config.keys)

    @property
    def key_display(self) -> dict[str, str]:
        """Every action's keys as the user sees them, remapped by the config file or not."""
        return {
            action: " / ".join(self.get_key_display(Binding(key, "")) for key in keys.split(","))
            for action, keys in effective_keys(self.config.keys).items()
        }

    def browser_available(self) -> bool:
        """Is there a browser for ``open_url`` (Python's webbrowser finds one)?"""
        return reader_settings.browser_available()

    def get_default_screen(self) -> Screen[None]:
        """The reader, handed the store and its settings as they are when the app runs."""
        settings = replace(
            self._settings,
            read_delay=self.read_delay,
            key_display=self.key_display,
            browser_available=lambda: self.browser_available(),
        )
        return ReaderScreen(self.store, settings)

    @property
    def reader(self) -> ReaderScreen:
        """The reader, beneath any dialog."""
        screen = self.screen_stack[0]
        assert isinstance(screen, ReaderScreen)
        return screen

    def on_mount(self) -> None:
        theme = self.config.theme or self.ui_state.get("theme")
        if theme and theme in self.available_themes:
            self.theme = theme
        elif self.config.theme:
            self.notify(
                tr("Unknown theme in the config file: {theme}", theme=self.config.theme),
                markup=False,
            )

    def on_ready(self) -> None:
        if not gc.isenabled():
            # The command held the collector off while the reader started (cli.py). What
            # the start made (modules, classes, widgets) lives as long as the reader: it is
            # set aside, so that the collector's passes from now on (during j, say) look
            # only at what came after it. The start's few cycles already unreachable by then
            # stay set aside too: a bounded cost, paid once.
            gc.freeze()
            gc.enable()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Textual's notice; once it is over, the screen is drawn again. Under 100 columns
        (the article view hidden over the list) Textual did not draw again what a notice
        had covered when it went: it stayed on screen until those rows changed."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
        seconds = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
        # call_later: notify may be called from a thread, a timer is set on the loop
        self.call_later(self.set_timer, seconds + NOTICE_GONE_SLACK, self._draw_again)

    def _draw_again(self) -> None:
        for screen in self.screen_stack:
            screen.refresh()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own commands (theme, quit, screenshot) in the interface language."""
        yield from system_commands(super().get_system_commands(screen))

    def action_help_quit(self) -> None:
        """ctrl+c: Textual's hint how to quit, in the interface language and naming the
        reader's own quit key as well (Textual names whichever quit key it finds first)."""
        self.notify(
            tr("{key} quits from the top, ctrl+q at once.", key=self.key_display["quit"]),
            title=tr("Quit?"),
            markup=False,
        )

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the interface language."""
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            placeholder = tr("Search for commands…")
            self.push_screen(CommandPalette(id="--command-palette", placeholder=placeholder))

    def watch_theme(self, theme: str) -> None:
        """Remember the theme chosen in the command palette for the next start."""
        if not self.config.theme:
            self.ui_state.set("theme", theme)


def _export_dir(config: Config) -> Path:
    """Where ``e`` writes: the config's ``export_dir`` (``~`` expanded), else the directory
    the reader was started in."""
    return Path(config.export_dir).expanduser() if config.export_dir else Path.cwd()
