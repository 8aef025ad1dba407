"""The reader's search field and what a paste into it keeps."""

from __future__ import annotations

import re

from textual.events import Key, Paste
from textual.message import Message
from textual.widgets import Input

from newsroom_tui.text.sanitize import strip_escapes

SEARCH_MAX_CHARS = 500
# what a paste into the search loses: C0 and C1 controls, DEL, bidi and invisible marks
_UNTYPABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


# an escape sequence as a terminal multiplexer pastes it, made visible ("^[[31m")
_CARET_ESCAPE = re.compile(r"\^\[\[?[0-?]*[ -/]*[@-Z\\\]-~]")  # final byte: not "["


def pasted_text(text: str, room: int) -> str:
    """A paste as the search takes it: escape sequences (also in tmux's visible form) and
    control and bidi characters dropped, line breaks as spaces, at most ``room`` chars."""
    text = strip_escapes(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))
    return _CARET_ESCAPE.sub("", _UNTYPABLE.sub("", text))[: max(0, room)]


class SearchBox(Input):
    """The search field: at most SEARCH_MAX_CHARS; a paste is one insertion of its text
    without control or bidi characters (a 180 KB paste is cut, never typed key by key)."""

    class Changed(Input.Changed):
        def can_replace(self, message: Message) -> bool:
            # typed faster than the list follows: only the latest text is searched
            return isinstance(message, SearchBox.Changed)

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id, max_length=SEARCH_MAX_CHARS)

    def on_paste(self, event: Paste) -> None:
        event.prevent_default()
        event.stop()
        text = pasted_text(event.text, SEARCH_MAX_CHARS - len(self.value))
        if text:
            self.insert_text_at_cursor(text)

    def on_key(self, event: Key) -> None:
        """A terminal that does not bracket pastes (tmux's paste-buffer) types them key by
        key: control and bidi characters are dropped here, a full field takes no more."""
        character = event.character
        if (
            character
            and event.is_printable
            and (_UNTYPABLE.search(character) or len(self.value) >= SEARCH_MAX_CHARS)
        ):
            event.prevent_default()
            event.stop()

    def watch_value(self, value: str) -> None:
        # an escape sequence typed in its visible form ("^[[31m") goes once it is complete
        cleaned = _CARET_ESCAPE.sub("", value)
        if cleaned != value:
            self.value = cleaned
