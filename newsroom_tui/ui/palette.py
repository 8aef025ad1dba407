"""The reader's commands in the palette (ctrl+p): every action with its key as bound now,
all feeds, each category and each feed.

Feed titles and categories come from the network and the user: they are shown as literal
``Content``, never parsed as markup (Textual's ``SystemCommand`` titles are)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from newsroom_tui.keymap import ACTIONS
from newsroom_tui.models import Feed
from newsroom_tui.ui.language import tr

if TYPE_CHECKING:
    from newsroom_tui.ui.screens.reader import ReaderScreen

Command = tuple[str, str, Callable[[], object]]  # title (literal), help (literal), callback


def reader_commands(reader: ReaderScreen, keys: Mapping[str, str]) -> Iterator[Command]:
    for action in ACTIONS:
        if action.palette:
            yield (
                tr(action.label),  # what it does, as the help says it, and its key
                f"{tr(action.help)} · {tr('key: {keys}', keys=keys[action.id])}",
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
    feeds = {feed_id: counts.feed for feed_id, counts in reader.feed_list.counts.items()}
    for feed_id, name in feed_labels(feeds).items():
        yield (
            tr("Go to feed: {name}", name=name),
            tr("show only this feed"),
            partial(reader.go_to_feed, feed_id),
        )


# Textual's own commands the reader has better: "Keys" opens a side panel of the focused
# widget's keys beside the reader's help (``?``, "Help" in the palette), which lists them all.
LEFT_OUT_SYSTEM_COMMANDS = frozenset({"Keys"})


def system_commands(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's own commands (theme, quit, screenshot) in the interface language, without
    those the reader's own commands already offer."""
    for command in commands:
        if command.title not in LEFT_OUT_SYSTEM_COMMANDS:
            yield command._replace(title=tr(command.title), help=tr(command.help))


def feed_labels(feeds: Mapping[int, Feed]) -> dict[int, str]:
    """Each feed's name as the palette shows it: two feeds of the same name are told apart
    by their category, else their host, else their address without the scheme."""
    by_name: dict[str, list[Feed]] = {}
    for feed in feeds.values():
        by_name.setdefault(feed.display_name.casefold(), []).append(feed)
    labels = {}
    for feed_id, feed in feeds.items():
        same = by_name[feed.display_name.casefold()]
        labels[feed_id] = feed.display_name
        if len(same) > 1:
            labels[feed_id] += f" ({_telling_apart(feed, same)})"
    return labels


def _telling_apart(feed: Feed, same: list[Feed]) -> str:
    categories = [other.category for other in same]
    if feed.category and categories.count(feed.category) == 1:
        return feed.category
    hosts = [urlsplit(other.url).hostname for other in same]
    host = urlsplit(feed.url).hostname
    if host and hosts.count(host) == 1:
        return host.removeprefix("www.")
    return feed.url.split("://", 1)[-1]


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
