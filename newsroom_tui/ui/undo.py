"""What U undoes: the triage's undo stack, a plain object (no Textual), so that what is
undone, and what a failed write takes off it, is tested without a screen."""

from __future__ import annotations

from collections.abc import Callable

Undo = Callable[[], str]  # undoes one step and says what it undid


class UndoStack:
    """The last ``depth`` undoable steps (mark all read, done), newest on top. A step whose
    write failed is ``discard``-ed: what was not written is not undone."""

    def __init__(self, depth: int = 1) -> None:
        if depth < 1:
            raise ValueError(f"an undo stack holds at least one step, not {depth}")
        self._depth = depth
        self._steps: list[Undo] = []

    def push(self, undo: Undo) -> None:
        self._steps.append(undo)
        del self._steps[: -self._depth]

    def pop(self) -> Undo | None:
        """The newest step, taken off the stack; None when there is none."""
        return self._steps.pop() if self._steps else None

    def discard(self, undo: Undo) -> None:
        """Take ``undo`` off the stack, wherever it is (its write failed)."""
        self._steps = [step for step in self._steps if step is not undo]

    def __len__(self) -> int:
        return len(self._steps)
