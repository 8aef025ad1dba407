"""Small modal screens: a yes/no confirmation and the key help."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y,j,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.question), id="question")
            yield Static(Text("y / Enter: yes    n / Escape: no", style="dim"))

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


KEY_HELP: list[tuple[str, str]] = [
    ("j / ↓, k / ↑", "move through the list; the article follows"),
    ("Enter", "read the article (focus it to scroll)"),
    ("Space / PageDown", "scroll the article"),
    ("n", "next unread article"),
    ("m", "toggle read / unread"),
    ("s", "flag / unflag for follow-up"),
    ("a", "claim the article for me / release my claim"),
    ("D", "done / not done (done articles leave the list)"),
    ("A", "mark all shown articles as read"),
    ("/", "search titles, bodies and photo credits"),
    ("f", "cycle filter: all / unread / flagged / done"),
    ("Tab", "switch between feeds, list and article"),
    ("r", "poll all feeds now"),
    ("o", "open the link in the browser"),
    ("y", "copy the link"),
    ("c", "copy the credits line (Fotos: …)"),
    ("e", "export the article as Markdown"),
    ("Escape", "leave search or a dialog; back to the list"),
    ("ctrl+p", "command palette (every action, go to feed, themes)"),
    ("?", "this help"),
    ("q", "quit"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("Keys\n\n", style="bold")
        width = max(len(key) for key, _ in KEY_HELP)
        for key, action in KEY_HELP:
            text.append(f"  {key:<{width}}  ", style="bold")
            text.append(f"{action}\n")
        text.append("\nEscape, ? or q closes this help.", style="dim")
        with Vertical(id="dialog"):
            yield Static(text)
