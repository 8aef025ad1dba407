"""The errors newsroom explains to its user: one tree, one root.

Every error meant for the user derives from :class:`NewsroomError`; its text is one line
that says what went wrong, where, and the way out. The CLI prints it as ``newsroom: …`` and
exits with the error's ``exit_code``; the reader shows it as a notification and carries on.
The subclasses live beside the code that raises them (``config.ConfigError``,
``store.StoreError``, ``store.ClaimTaken``)."""

from __future__ import annotations


class NewsroomError(Exception):
    """A problem explained to the user in one line."""

    exit_code = 1  # the CLI's exit status when it ends a command (see commands.output)


def one_line(exc: BaseException) -> str:
    """The error's text on one line, however it was worded."""
    return " ".join(str(exc).split()) or type(exc).__name__
