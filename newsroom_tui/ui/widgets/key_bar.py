"""The keys line at the bottom: the screen's keys shown in the footer and the palette's key,
drawn as one line; a wide terminal's line goes on with more keys (:data:`WIDE_KEYS`).

Textual's ``Footer`` mounts a widget per key and mounts them all again whenever the focus
moves (``Enter``, ``Escape``, ``Tab``), and each of those is styled and laid out: at 80x24
that was most of what ``Enter`` cost before the article was on screen. This one renders the
same line from the screen's active bindings and only repaints; it shows from the first
frame on (the footer filled in a frame or more later).

A key's label says what it does where the reader is: the screen may name it anew (``labels``:
``q`` is "Quit" at the top and "Back" below it), and keys that do the same share one entry
("esc/q Back").
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.text import Text
from textual.app import App
from textual.events import Click
from textual.screen import Screen
from textual.widget import Widget

PALETTE_MARK = "▏"
# Where the line has room after the footer's keys (a wide terminal), these follow, in this
# order: the keys a desk reaches for next (by the binding's id, so remapped keys show as bound).
WIDE_KEYS = (
    "open_link",
    "links",
    "previous_unread",
    "next_feed",
    "previous_feed",
    "copy_link",
    "copy_credits",
    "export",
    "mark_all_read",
    "undo",
    "first_article",
    "last_article",
)


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}

    def __init__(
        self, *, id: str | None = None, labels: Callable[[str], str | None] | None = None
    ) -> None:
        super().__init__(id=id)
        # an action's label where the reader is, None: the binding's own description
        self._labels = labels or (lambda action: None)
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) of each key shown

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def render(self) -> Text:
        active = self.screen.active_bindings
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        footer = [entry for entry in active.values() if entry.binding.show]
        hidden = {entry.binding.id: entry for entry in active.values() if not entry.binding.show}
        wide = [hidden[name] for name in WIDE_KEYS if name in hidden]
        # (key displays, label, enabled, the key a click sends), one per label, in order
        entries: list[tuple[list[str], str, bool, str]] = []
        shown: set[str] = set()
        for _node, binding, enabled, _tooltip in [*footer, *wide]:
            if binding.action in shown:
                continue
            shown.add(binding.action)
            label = self._labels(binding.action) or binding.description
            display = self.app.get_key_display(binding)
            same = next((entry for entry in entries if entry[1] == label), None)
            if same is not None:  # "esc/q Back", not "esc Back  q Back"
                same[0].append(display)
            else:
                entries.append(([display], label, enabled, binding.key))
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, str]] = []
        cells: list[int] = []  # each span's end in cells (the line's prefix, counted once)
        for displays, label, enabled, key in entries:
            start = len(line)
            key_text = f" {'/'.join(displays)} "
            description = f"{label} "
            line.append(key_text, key_style)
            line.append(description, description_style)
            if not enabled:
                line.stylize("dim", start)
            spans.append((start, len(line), key))
            cells.append((cells[-1] if cells else 0) + cell_len(key_text) + cell_len(description))
        palette = Text(end="")
        palette_binding = active.get(App.COMMAND_PALETTE_BINDING)
        if self.app.ENABLE_COMMAND_PALETTE and palette_binding is not None:
            binding = palette_binding.binding
            palette.append(PALETTE_MARK, "dim")
            palette.append(self.app.get_key_display(binding), key_style)
            palette.append(f" {binding.description} ", description_style)
        width = self.size.width
        if width:
            # a key and its label show whole or not at all: never "m Gelesen/ungele"
            room = max(0, width - palette.cell_len)
            fits = [span for span, end in zip(spans, cells, strict=True) if end <= room]
            if (cut := len(line) - (fits[-1][1] if fits else 0)) > 0:  # right_crop(0) empties
                line.right_crop(cut)
            line.pad_right(room - line.cell_len)
            self._spans = fits
            if palette:
                start = len(line)
                line.append_text(palette)
                self._spans.append((start, len(line), palette_binding.binding.key))  # type: ignore[union-attr]
        return line

    def on_click(self, event: Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
