"""Small modal screens: a yes/no confirmation and the key help."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from newsroom_tui.keymap import ACTIONS_BY_ID, HELP_ROWS


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


class HelpScreen(ModalScreen[None]):
    """The keys as they are bound now: remapped ones show their new keys."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, keys: Mapping[str, str]) -> None:
        """``keys``: every action's keys as shown to the user (see ``NewsroomApp.key_display``)."""
        super().__init__()
        self.rows = [
            (keys[row], ACTIONS_BY_ID[row].help) if isinstance(row, str) else row
            for row in HELP_ROWS
        ]

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("Keys\n\n", style="bold")
        width = max(len(key) for key, _ in self.rows)
        for key, action in self.rows:
            text.append(f"  {key:<{width}}  ", style="bold")
            text.append(f"{action}\n")
        text.append("\nEscape, ? or q closes this help.", style="dim")
        with Vertical(id="dialog"):
            yield Static(text)
