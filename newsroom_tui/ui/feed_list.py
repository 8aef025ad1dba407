"""The feed filter: every feed with its unread count; choosing one narrows the article list."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newsroom_tui.store import FeedCounts

ALL_FEEDS = "all"


class FeedList(OptionList):
    """Options keyed ``all`` or ``feed-<id>``. Feed names are untrusted: shown as ``Text``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: dict[int, FeedCounts] = {}
        self.names: dict[int, str] = {}

    def show_counts(self, counts: list[FeedCounts]) -> None:
        keep = self.highlighted
        self.counts = {c.feed.id: c for c in counts}
        self.names = {c.feed.id: c.feed.display_name for c in counts}
        self.clear_options()
        total_unread = sum(c.unread for c in counts)
        self.add_option(Option(self._label("Alle Feeds", total_unread, bold=True), id=ALL_FEEDS))
        for c in counts:
            label = self._label(c.feed.display_name, c.unread, error=bool(c.feed.error))
            self.add_option(Option(label, id=f"feed-{c.feed.id}"))
        self.highlighted = keep if keep is not None and keep < self.option_count else 0
        self.border_title = f"Feeds ({len(counts)})"

    @staticmethod
    def _label(name: str, unread: int, *, bold: bool = False, error: bool = False) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if error:
            text.append("✗ ", style="red")
        text.append(name, style="bold" if bold or unread else "")
        if unread:
            text.append(f" ({unread})", style="dim")
        return text

    def adjust_unread(self, feed_id: int, delta: int) -> None:
        """Keep a count right after a single read/unread change without a query."""
        current = self.counts.get(feed_id)
        if current is None:
            return
        updated = FeedCounts(current.feed, current.total, max(0, current.unread + delta))
        self.counts[feed_id] = updated
        label = self._label(
            updated.feed.display_name, updated.unread, error=bool(updated.feed.error)
        )
        self.replace_option_prompt(f"feed-{feed_id}", label)
        self.replace_option_prompt(
            ALL_FEEDS, self._label("Alle Feeds", self.total_unread, bold=True)
        )

    @property
    def total_unread(self) -> int:
        return sum(c.unread for c in self.counts.values())

    @property
    def total(self) -> int:
        return sum(c.total for c in self.counts.values())


def feed_id_of(option_id: str | None) -> int | None:
    if option_id is None or option_id == ALL_FEEDS:
        return None
    return int(option_id.removeprefix("feed-"))
