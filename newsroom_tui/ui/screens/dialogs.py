"""Small modal screens: a yes/no confirmation, the key help and an article's links."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Static

from newsroom_tui.keymap import ACTIONS_BY_ID, HELP_ROWS
from newsroom_tui.ui.language import tr

Answer = TypeVar("Answer")


class OneAnswer(ModalScreen[Answer]):
    """A dialog that answers once. Keys typed together (the links dialog's ``1`` and
    ``Enter``) reach it while it leaves: a second answer would pop the screen beneath it
    (with the reader alone beneath, Textual's ScreenStackError ended the program)."""

    answered = False

    def dismiss(self, result: Answer | None = None) -> AwaitComplete:
        if self.answered:
            return AwaitComplete.nothing()  # type: ignore[no-untyped-call, no-any-return]
        self.answered = True
        return super().dismiss(result)


class ConfirmScreen(OneAnswer[bool]):
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
            yield Static(Text(tr("y / Enter: yes    n / Escape: no"), style="dim"))

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class Dialog(VerticalScroll, can_focus=True):
    """A dialog's box: it scrolls (j/k, arrows, Space, PageUp/PageDown) when the terminal
    is too small for it, so its last line can always be read."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
        Binding("space", "page_down", "Page down", show=False),
    ]


class HelpScreen(OneAnswer[None]):
    """The keys as they are bound now: remapped ones show their new keys."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, keys: Mapping[str, str]) -> None:
        """``keys``: every action's keys as shown to the user (see ``NewsroomApp.key_display``)."""
        super().__init__()
        self.rows = [
            (keys[row], tr(ACTIONS_BY_ID[row].help))
            if isinstance(row, str)
            else (tr(row[0]), tr(row[1]))
            for row in HELP_ROWS
        ]

    def compose(self) -> ComposeResult:
        rows = Table.grid(padding=(0, 2))  # a wrapped line stays under its text
        rows.add_column(no_wrap=True, style="bold")
        rows.add_column(ratio=1)
        for key, action in self.rows:
            rows.add_row(Text(f"  {key}"), Text(action))
        closing = tr("j / k, arrows, Space scroll; Escape, ? or q closes this help.")
        with Dialog(id="dialog"):
            title = Text(tr("Keys"), style="bold")  # how to close it, where it opens
            title.append(f"   {tr('Escape closes')}\n", style="dim")
            yield Static(title)
            yield Static(rows)
            yield Static(Text(f"\n{closing}", style="dim"), id="help-end")

    def on_mount(self) -> None:
        self.query_one(Dialog).focus()


class LinksScreen(OneAnswer[tuple[str, str] | None]):
    """An article's links, numbered: a number (and Enter, when there are ten or more)
    opens one; y before the number copies it instead. Answers ("open" | "copy", url)."""

    BINDINGS = [Binding("escape,q,u", "dismiss(None)", "Close")]

    def __init__(self, links: list[tuple[str, str]]) -> None:
        """``links``: (text, url) pairs in the article's order."""
        super().__init__()
        self.links = links
        self.typed = ""
        self.copy = False

    def compose(self) -> ComposeResult:
        rows = Table.grid(padding=(0, 2))
        rows.add_column(no_wrap=True, justify="right", style="bold")
        rows.add_column(ratio=1)
        for number, (label, url) in enumerate(self.links, 1):
            entry = Text(overflow="fold")  # a long URL goes on on the next line, whole
            if label and label != url:
                entry.append(f"{label}\n")
            entry.append(url, style="underline")
            rows.add_row(Text(f"  {number}"), entry)
        # one digit answers unless another link starts with it (then Enter or the next digit)
        closing = tr("number: open · y, number: copy · Escape: close")
        with Dialog(id="dialog"):
            yield Static(Text(f"{tr('Links')}\n", style="bold"))
            yield Static(rows, id="links")
            yield Static(Text(f"\n{closing}", style="dim"))
            yield Static(id="typed")

    def on_mount(self) -> None:
        self.query_one(Dialog).focus()

    def on_key(self, event: Key) -> None:
        if self.answered:  # typed after the answer, before the dialog left: not the reader's
            event.stop()
            return
        if event.character == "y":
            self.copy = not self.copy
        elif event.character and event.character.isdigit():
            self.typed += event.character
            number = int(self.typed)
            # one digit is enough unless more links start with it
            if number * 10 > len(self.links):
                self._answer(number)
                return
        elif event.key == "enter" and self.typed:
            self._answer(int(self.typed))
            return
        elif event.key == "backspace":
            self.typed = self.typed[:-1]
        else:
            return
        event.stop()
        how = tr("copy") if self.copy else tr("open")
        self.query_one("#typed", Static).update(Text(f"{how} {self.typed}".rstrip()))

    def _answer(self, number: int) -> None:
        if 1 <= number <= len(self.links):
            self.dismiss(("copy" if self.copy else "open", self.links[number - 1][1]))
        else:
            self.typed = ""
