"""The story of the article shown: its other versions under it (``StoryVersions``, read in
a worker), ``v`` to read the next one in the pane (read in a thread, as every article is),
and ``S`` to list a story once or every article apart."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message
from textual.worker import get_current_worker

from newsroom_tui.article_reading import read_article
from newsroom_tui.models import Article, ArticleSummary
from newsroom_tui.store import StoreError
from newsroom_tui.ui.language import tr
from newsroom_tui.ui.widgets.story_versions import StoryVersions

if TYPE_CHECKING:
    from newsroom_tui.ui.screens.reader import ReaderScreen


class VersionRead(Message):
    """Another version of the story shown, read by a worker for the pane."""

    def __init__(self, article: Article | None, story_id: int | None) -> None:
        super().__init__()
        self.article, self.story_id = article, story_id


class StoryReading:
    def __init__(self, reader: ReaderScreen) -> None:
        self._reader = reader

    @property
    def versions(self) -> StoryVersions:
        return self._reader.pane.query_one(StoryVersions)

    def shown(self, article: ArticleSummary) -> None:
        """The pane shows ``article``: its story's versions under it."""
        reader = self._reader
        key = reader.key_display.get("next_version", "v")
        self.versions.show_for(reader.store, article, key)

    def next_version(self) -> None:
        """Read the story's next version in the pane (in a thread)."""
        reader = self._reader
        shown = reader.pane.article
        article_id = self.versions.next_after()
        if shown is None or article_id is None:
            reader.notify(tr("This article stands alone."))
            return
        reader.run_worker(
            partial(self._read, article_id, shown.story_id),
            thread=True,
            exclusive=True,
            group="article",
            exit_on_error=False,
        )

    def _read(self, article_id: int, story_id: int | None) -> None:
        reader = self._reader
        try:
            article = read_article(reader.store, article_id)
        except StoreError as exc:
            reader.app.call_from_thread(reader.server.lost, exc)
            return
        if not get_current_worker().is_cancelled:
            reader.post_message(VersionRead(article, story_id))

    def answered(self, message: VersionRead) -> None:
        shown = self._reader.pane.article
        article = message.article
        if article is None or shown is None or shown.story_id != message.story_id:
            return  # the pane moved on to another story meanwhile
        reader = self._reader
        reader.follower.show(article)
        if reader.pane_on_screen:  # chosen with v: it counts as read as a row opened does
            reader.follower.reading.chosen(article)

    def toggle(self) -> None:
        """A story once in the list, or every article apart (the list is read again)."""
        reader = self._reader
        reader.navigation.toggle_stories()
        reader.navigated(focus=False)
        reader.reload_feeds()  # the counts of stories, or of articles
        stories = reader.navigation.stories
        reader.notify(tr("Each story once.") if stories else tr("Every article apart."))
