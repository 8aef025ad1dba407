"""Where the reader is: one explicit state, a stack of steps, so that one step back
(Escape, Backspace, q) is a pop and never a reconstruction. A plain object (no Textual).

The steps are kept in a fixed order, lowest first: a single feed (category, watchlist),
the search kept, the search being typed, then the list that has the keys besides the
article list (the feed list, or the article itself). A step taken below the top (a feed
chosen while a search is kept) goes in its place, so that back leaves the article first,
then the search, then the single feed, as in newsboat. The filter (``f``) is not a step: it
holds at every level, as does the choice of stories or every article apart (``S``)."""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum

from newsroom_tui.records import record
from newsroom_tui.ui.view import Show, View


class Place(IntEnum):
    """A step's kind; the value is its place in the stack, lowest first."""

    FEED = 1  # a single feed, category or watchlist
    SEARCH = 2  # a search kept (Enter in the search box)
    TYPING = 3  # a search being typed
    FEEDS = 4  # the feed list has the keys
    ARTICLE = 5  # the article has the keys


_FOCUSED = (Place.TYPING, Place.FEEDS, Place.ARTICLE)  # at most one of these at a time


@record(frozen=True)
class Step:
    """One place the reader went to, with the feed, category, watchlist or search it
    narrowed the list to."""

    place: Place
    feed_id: int | None = None
    category: str | None = None
    watchlist: str | None = None
    search: str = ""

    def __post_init__(self) -> None:
        narrowed = (self.feed_id, self.category, self.watchlist) != (None, None, None)
        if narrowed != (self.place is Place.FEED):
            raise ValueError(f"only a feed step names a feed, category or watchlist: {self}")
        if self.search and self.place not in (Place.SEARCH, Place.TYPING):
            raise ValueError(f"only a search step holds a search: {self}")


class Navigation:
    """The reader's steps and its filter; ``view`` is what the list shows."""

    def __init__(self, show: Show = Show.ALL, *, stories: bool = True) -> None:
        self.show = show
        self.stories = stories  # a story once in the list; False: every article apart
        self._steps: list[Step] = []

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(self._steps)

    @property
    def top(self) -> Place | None:
        return self._steps[-1].place if self._steps else None

    def step(self, place: Place) -> Step | None:
        return next((s for s in self._steps if s.place is place), None)

    @property
    def view(self) -> View:
        view = View(show=self.show, stories=self.stories)
        for step in self._steps:
            if step.place is Place.FEED:
                view = replace(
                    view, feed_id=step.feed_id, category=step.category, watchlist=step.watchlist
                )
            elif step.place in (Place.SEARCH, Place.TYPING):
                view = view.searching(step.search)
        return view

    @property
    def search_open(self) -> bool:
        """Is the search box on screen (a search typed or kept)?"""
        return self.step(Place.TYPING) is not None or self.step(Place.SEARCH) is not None

    def go(self, step: Step) -> None:
        """Take ``step``: it replaces a step of its place (a search typed replaces the one
        kept, and the other way round; one list has the keys at a time)."""
        if step.place in (Place.FEEDS, Place.ARTICLE):
            self.keep_search()  # the search typed stays, kept
        if step.place in (Place.SEARCH, Place.TYPING):
            self._drop(Place.SEARCH, Place.TYPING)
        if step.place in _FOCUSED:
            self._drop(*_FOCUSED)
        self._drop(step.place)
        self._steps.append(step)
        self._steps.sort(key=lambda s: s.place)

    def go_to(self, place: Place) -> None:
        """The feed list or the article has the keys now."""
        if place not in (Place.FEEDS, Place.ARTICLE):
            raise ValueError(f"{place.name} is a step with a view: take it with go()")
        self.go(Step(place))

    def leave(self, *places: Place) -> None:
        """The steps of ``places`` are over (not a step back: the user went elsewhere)."""
        self._drop(*places)

    def back(self) -> Step | None:
        """One step back: the top step, taken off; None when there is none."""
        return self._steps.pop() if self._steps else None

    def feed(self, feed_id: int | None = None, category: str | None = None) -> None:
        """A feed or a category, or neither: all feeds (a watchlist's view ends too)."""
        if feed_id is None and category is None:
            self._drop(Place.FEED)
        else:
            self.go(Step(Place.FEED, feed_id=feed_id, category=category))

    def watchlist(self, name: str) -> None:
        self.go(Step(Place.FEED, watchlist=name))

    def typed(self, text: str) -> None:
        """The search being typed is now ``text``."""
        self.go(Step(Place.TYPING, search=text))

    def keep_search(self) -> None:
        """The search being typed is kept (Enter); an empty one closes."""
        typing = self.step(Place.TYPING)
        if typing is None:
            return
        if typing.search:
            self.go(Step(Place.SEARCH, search=typing.search))
        else:
            self._drop(Place.TYPING)

    def cycle_filter(self) -> None:
        self.show = self.show.next()

    def toggle_stories(self) -> None:
        self.stories = not self.stories

    def _drop(self, *places: Place) -> None:
        self._steps = [s for s in self._steps if s.place not in places]
