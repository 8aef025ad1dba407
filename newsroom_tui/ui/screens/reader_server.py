"""A team server lost and found again: the reader keeps what is on screen and says so,
tries the server every RECONNECT_SECONDS in a thread, and reads again what is shown once it
answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.timer import Timer
from textual.worker import get_current_worker

from newsroom_tui.store import SharedStore, StoreError
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.messages import ServerAnswered

if TYPE_CHECKING:
    from newsroom_tui.ui.screens.reader import ReaderScreen

RECONNECT_SECONDS = 2.0  # how often the reader tries a team server it lost


class ServerWatch:
    def __init__(self, reader: ReaderScreen) -> None:
        self._reader = reader
        self._reconnecting: Timer | None = None  # tries the lost server until it answers

    def lost(self, exc: StoreError) -> None:
        """A shared store's server went away: keep what is on screen and say so; a local
        cache's fault stays an error."""
        reader = self._reader
        if not isinstance(reader.store, SharedStore):
            raise exc
        reader.status.server_offline = True

    def offline_changed(self, offline: bool) -> None:
        """While the team's server is away, try it every RECONNECT_SECONDS. The listener's
        "back" alone is not enough: the first read after it may still meet the connection
        the restart closed, and say "unreachable" again with nobody to take it back."""
        if offline and self._reconnecting is None:
            self._reconnecting = self._reader.set_interval(RECONNECT_SECONDS, self._try)
            self._say_lost()
        elif not offline and self._reconnecting is not None:
            self._reconnecting.stop()
            self._reconnecting = None

    def _say_lost(self) -> None:
        """Once per loss, whoever noticed it (a read, a write, the listener): short, what
        failed and that it retries. The reason and the server's address are the one line of
        ``newsroom --database URL feeds``; a password is never shown."""
        retrying = tr(
            "Trying again every {seconds} s; the list stays as it was.",
            seconds=f"{RECONNECT_SECONDS:g}",
        )
        self._reader.notify(
            retrying, title=tr("Database unreachable"), severity="error", timeout=10, markup=False
        )

    def _try(self) -> None:
        reader = self._reader
        if not any(w.group == "reconnect" for w in reader.workers):
            reader.run_worker(self._ask, thread=True, group="reconnect", exit_on_error=False)

    def _ask(self) -> None:
        """One read in a thread."""
        try:
            self._reader.store.last_success()
        except StoreError:
            back = False
        else:
            back = True
        if not get_current_worker().is_cancelled:
            self._reader.post_message(ServerAnswered(back))

    def answered(self, message: ServerAnswered) -> None:
        """The server answered: what is shown is read again."""
        reader = self._reader
        if not message.back or not reader.status.server_offline:
            return
        reader.status.server_offline = False
        reader.reload_feeds()
        reader.reload_articles(keep_row=True)  # the pane follows the cursor, read meanwhile
        reader.colleagues.refresh_shown_article()
