"""The reader's commands in the palette (ctrl+p): every action with its key as bound now,
all feeds, each category and each feed.

Feed titles and categories come from the network and the user: they are shown as literal
``Content``, never parsed as markup (Textual's ``SystemCommand`` titles are)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from newsroom_tui.keymap import ACTIONS
from newsroom_tui.ui.language import tr

if TYPE_CHECKING:
    from newsroom_tui.ui.screens.reader import ReaderScreen

Command = tuple[str, str, Callable[[], object]]  # title (literal), help (literal), callback


def reader_commands(reader: ReaderScreen, keys: Mapping[str, str]) -> Iterator[Command]:
    for action in ACTIONS:
        if action.palette:
            yield (
                tr(action.label),
                tr("key: {keys}", keys=keys[action.id]),
                partial(reader.run_action, action.id),
            )
    yield tr("All feeds"), tr("show articles of every feed"), reader.go_to_feed
    for name in reader.watch_list.names:
        yield (
            tr("Go to watchlist: {name}", name=name),
            tr("show the articles this watchlist matched"),
            partial(reader.go_to_watchlist, name),
        )
    for category in reader.feed_list.categories:
        yield (
            tr("Go to category: {name}", name=category),
            tr("show the feeds of this category"),
            partial(reader.go_to_feed, category=category),
        )
    for feed_id, name in reader.feed_list.names.items():
        yield (
            tr("Go to feed: {name}", name=name),
            tr("show only this feed"),
            partial(reader.go_to_feed, feed_id),
        )


class ReaderCommands(Provider):
    def _commands(self) -> list[Command]:
        from newsroom_tui.ui.screens.reader import ReaderScreen

        if not isinstance(self.screen, ReaderScreen):
            return []
        return list(reader_commands(self.screen, self.screen.key_display))

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(Content(title), callback, text=title, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                # Matcher.highlight would parse the title as markup: highlight literal text
                _, offsets = matcher.fuzzy_search.match(matcher.query, title)
                shown = Content(title)
                for offset in offsets:
                    shown = shown.stylize(matcher.match_style, offset, offset + 1)
                yield Hit(score, shown, callback, text=title, help=escape(help_text))
