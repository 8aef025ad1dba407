"""Under the article: the other versions of its story, one line each (source, time, title),
the one on screen marked, the unread ones marked as in the list. They are read from the
store in a thread worker when an article of a story is shown; a key (``v``) reads the next
one in the pane."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import Static

from newsroom_tui.models import ArticleSummary
from newsroom_tui.store import Store, StoreError
from newsroom_tui.text.article_format import format_date
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.widgets.article_list import UNREAD_MARK  # as the list marks one

if TYPE_CHECKING:
    from newsroom_tui.store.story_records import StoryVersion

SHOWN_MARK = "▸"


class StoryVersions(Static):
    class Read(Message, bubble=False):
        """The versions of story ``story_id``, read by the worker."""

        def __init__(self, story_id: int, versions: list[StoryVersion]) -> None:
            super().__init__()
            self.story_id, self.versions = story_id, versions

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._story: int | None = None  # the story of the article shown; None: alone
        self._versions: list[StoryVersion] = []
        self._shown: int | None = None  # the article on screen
        self._key = "v"
        self._plain = ""
        self.display = False

    def show_for(self, store: Store, article: ArticleSummary, key: str = "v") -> None:
        """The versions of ``article``'s story under it (read in a worker when it is
        another story than the one shown); nothing for an article alone."""
        self._shown, self._key = article.id, key
        if article.story_first is None or article.story_id is None:
            self._story, self._versions = None, []
            self.display = False
            return
        if article.story_id == self._story and self._versions:
            self._draw()  # as last read, then as the store has it now (a version may
            self._read(store, article.story_id)  # have come, or been read elsewhere)
            return
        self._story, self._versions = article.story_id, []
        self.display = False
        self._read(store, article.story_id)

    def refresh_from(self, store: Store) -> None:
        """Read the versions shown again (their read state changed in the store)."""
        if self._story is not None:
            self._read(store, self._story)

    def clear(self) -> None:
        self._story, self._versions, self._shown = None, [], None
        self.display = False

    @work(thread=True, exclusive=True, group="story-versions", exit_on_error=False)
    def _read(self, store: Store, story_id: int) -> None:
        try:
            versions = store.story_versions(story_id)
        except StoreError:  # the server is out of reach: the article shows alone
            return
        self.post_message(self.Read(story_id, versions))

    def on_story_versions_read(self, message: Read) -> None:
        if message.story_id != self._story:
            return  # another article is shown meanwhile
        self._versions = message.versions
        self._draw()

    def mark_read(self, article_id: int, read: bool, *, whole_story: bool) -> None:
        """Show that ``article_id`` (``whole_story``: every version of its story, when it
        is one of those shown) was marked read or unread."""
        ids = {v.article.id for v in self._versions}
        if article_id not in ids:
            return
        for version in self._versions:
            if whole_story or version.article.id == article_id:
                version.article.read = read
        self._draw()

    def next_after(self) -> int | None:
        """The version after the one shown, the first after the last; None when the story
        has no other."""
        ids = [v.article.id for v in self._versions]
        if len(ids) < 2:
            return None
        index = ids.index(self._shown) if self._shown in ids else -1
        return ids[(index + 1) % len(ids)]

    def _draw(self) -> None:
        self.display = len(self._versions) > 1
        if not self.display:
            return
        heading = Text(tr("Versions of this story ({key}: read the next)", key=self._key), "bold")
        rows = Table.grid(padding=(0, 1))
        rows.add_column(no_wrap=True)  # the mark of the one shown
        rows.add_column(no_wrap=True)  # source · time
        rows.add_column(ratio=1)  # the title, wrapped under itself
        plain = [heading.plain]
        for version in self._versions:
            row = version.article
            shown = row.id == self._shown
            if shown:
                mark = Text(SHOWN_MARK, "bold cyan")
            else:
                mark = Text(" " if row.read else UNREAD_MARK, "bold")
            source = Text(row.feed, "italic")
            source.append(f" · {format_date(row.published)}", "dim")
            title = Text(row.title, "bold" if shown else "")
            if version.relation == "update":
                title.append(f" ({tr('update')})", "yellow")
            rows.add_row(mark, source, title)
            plain.append(f"{mark.plain} {source.plain} {title.plain}")
        self.update(Group(heading, rows))
        self._plain = "\n".join(plain)

    @property
    def plain(self) -> str:
        """What the widget shows, as plain text ("" while nothing): the heading, then each
        version's mark, source, time and title."""
        return self._plain if self.display else ""
