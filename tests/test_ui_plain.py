"""The reader's plain objects, driven without Textual or Pilot: the undo stack, when an
article counts as read, the counts, and the navigation (one step back is a pop)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.ui.counts import NewsCounter, narrowing
from newsroom_tui.ui.navigation import Navigation, Place, Step
from newsroom_tui.ui.read_tracking import Readable, ReadTracker
from newsroom_tui.ui.reader_settings import ReaderSettings
from newsroom_tui.ui.undo import UndoStack
from newsroom_tui.ui.view import Show, View

# undo ------------------------------------------------------------------------------------


def test_undo_gives_the_last_step_once() -> None:
    undos = UndoStack()
    undos.push(lambda: "Nicht mehr erledigt: Stadt Herne sperrt Bahnhofstraße")
    undos.push(lambda: "Rückgängig: 12 als gelesen markiert.")
    undo = undos.pop()
    assert undo is not None and undo() == "Rückgängig: 12 als gelesen markiert."
    assert undos.pop() is None  # one step deep, as README promises: "undo the last A or D"


def test_a_deeper_stack_undoes_newest_first_and_forgets_the_oldest() -> None:
    undos = UndoStack(depth=2)
    for name in ("Polizei Bochum", "Stadt Herne", "Feuerwehr Dortmund"):
        undos.push(partial(str, name))
    assert len(undos) == 2
    said = [step() for step in iter(undos.pop, None)]
    assert said == ["Feuerwehr Dortmund", "Stadt Herne"]


def test_a_step_whose_write_failed_is_not_undone() -> None:
    undos = UndoStack(depth=3)

    def failed() -> str:
        return "Erledigt: Polizei Bochum sucht Zeugen"

    undos.push(lambda: "A")
    undos.push(failed)
    undos.discard(failed)
    undo = undos.pop()
    assert undo is not None and undo() == "A" and undos.pop() is None


def test_an_undo_stack_holds_at_least_one_step() -> None:
    with pytest.raises(ValueError, match="at least one step"):
        UndoStack(depth=0)


# read tracking ---------------------------------------------------------------------------


@dataclass
class Meldung:
    id: int
    read: bool = False


class FakeTimers:
    """The screen's set_timer, run by hand."""

    def __init__(self) -> None:
        self.due: list[tuple[float, Callable[[], None]]] = []
        self.cancelled = 0

    def schedule(self, seconds: float, callback: Callable[[], None]) -> Callable[[], None]:
        entry = (seconds, callback)
        self.due.append(entry)

        def cancel() -> None:
            if entry in self.due:
                self.due.remove(entry)
                self.cancelled += 1

        return cancel

    def run_all(self) -> None:
        due, self.due = self.due, []
        for _, callback in due:
            callback()


def tracker(
    delay: float = 1.0, *, shown: set[int] | None = None
) -> tuple[ReadTracker, FakeTimers, list[int]]:
    timers, marked = FakeTimers(), []
    on_screen = shown if shown is not None else set()

    def mark(article: Readable) -> None:
        marked.append(article.id)

    reads = ReadTracker(
        delay,
        timers.schedule,
        still_shown=lambda article: article.id in on_screen or shown is None,
        mark_read=mark,
    )
    return reads, timers, marked


def test_a_chosen_article_counts_as_read_once_its_time_on_screen_is_over() -> None:
    reads, timers, marked = tracker()
    reads.chosen(Meldung(7))
    assert marked == [] and reads.pending == 7 and timers.due[0][0] == 1.0
    timers.run_all()
    assert marked == [7] and reads.pending is None


def test_moving_on_before_the_time_is_over_reads_nothing() -> None:
    reads, timers, marked = tracker()
    reads.chosen(Meldung(7))
    reads.showing(8)  # j: the next one is on screen
    timers.run_all()
    assert marked == [] and timers.cancelled == 1


def test_the_same_article_shown_again_keeps_its_timer() -> None:
    reads, timers, _ = tracker()
    reads.chosen(Meldung(7))
    reads.showing(7)
    reads.chosen(Meldung(7))
    assert len(timers.due) == 1 and timers.cancelled == 0


def test_an_article_off_screen_when_its_time_is_over_stays_unread() -> None:
    reads, timers, marked = tracker(shown=set())  # the narrow list alone is on screen
    reads.chosen(Meldung(7))
    timers.run_all()
    assert marked == []


def test_without_a_delay_a_chosen_article_is_read_at_once_and_a_read_one_is_left() -> None:
    reads, timers, marked = tracker(delay=0)
    reads.chosen(Meldung(3, read=True))
    reads.chosen(Meldung(4))
    assert marked == [4] and timers.due == []


def test_a_key_stops_the_timer() -> None:
    reads, timers, marked = tracker()
    reads.chosen(Meldung(5))
    reads.stop()  # m: the key says what it is
    timers.run_all()
    assert marked == [] and reads.pending is None


def test_read_delays_are_never_negative() -> None:
    with pytest.raises(ValueError, match="before it is shown"):
        ReadTracker(-1, FakeTimers().schedule, still_shown=bool, mark_read=lambda a: None)
    with pytest.raises(ValueError, match="never negative"):
        ReaderSettings(read_delay=-0.5)


# counts ----------------------------------------------------------------------------------


def test_news_are_counted_from_the_second_full_count_on() -> None:
    counter = NewsCounter()
    assert counter.counted(120) == 0 and counter.known == 120  # the start only sets the mark
    assert counter.counted(123) == 3
    assert counter.counted(110) == 0  # retention took some: no news
    assert counter.counted(111) == 1
    with pytest.raises(ValueError, match="never negative"):
        counter.counted(-1)


def test_the_status_line_says_what_the_list_is_narrowed_to() -> None:
    names = {3: "Polizei Bochum"}
    assert narrowing(View(), names) == ()
    view = View(show=Show.UNREAD, feed_id=3, search="Grün")
    assert narrowing(view, names) == ("filter: unread", "feed: Polizei Bochum", "search: Grün")
    assert narrowing(View(feed_id=9), names) == ("feed: ?",)
    assert narrowing(View(category="Städte"), {}) == ("category: Städte",)
    assert narrowing(View(watchlist="Bombe"), {}) == ("watchlist: Bombe",)


# navigation ------------------------------------------------------------------------------


def test_back_from_a_kept_searchs_hit_returns_to_the_hits() -> None:
    nav = Navigation()
    nav.typed("kita")
    nav.keep_search()
    nav.go_to(Place.ARTICLE)
    assert nav.view.search == "kita" and nav.top is Place.ARTICLE
    assert nav.back() == Step(Place.ARTICLE)
    assert nav.view.search == "kita" and nav.search_open  # the hits, not the whole list
    assert nav.back() == Step(Place.SEARCH, search="kita")
    assert nav.view == View() and not nav.search_open
    assert nav.back() is None  # q quits from here


def test_back_leaves_the_search_before_the_single_feed_whatever_came_first() -> None:
    nav = Navigation()
    nav.typed("Baustelle")
    nav.keep_search()
    nav.feed(3)  # chosen while the search is kept: the search stays, on that feed
    assert nav.view == View(feed_id=3, search="Baustelle")
    nav.back()
    assert nav.view == View(feed_id=3)
    nav.back()
    assert nav.view == View()


def test_the_filter_holds_at_every_level() -> None:
    nav = Navigation()
    nav.watchlist("Bombe")
    nav.cycle_filter()
    assert nav.view == View(show=Show.UNREAD, watchlist="Bombe")
    nav.back()
    assert nav.view == View(show=Show.UNREAD)


def test_typing_again_replaces_the_kept_search_and_an_empty_one_closes() -> None:
    nav = Navigation()
    nav.typed("Herne")
    nav.keep_search()
    nav.typed("Herne Mitte")
    assert [s.place for s in nav.steps] == [Place.TYPING]
    nav.back()
    assert not nav.search_open and nav.view == View()
    nav.typed("")
    nav.keep_search()
    assert nav.steps == ()


def test_opening_the_article_keeps_the_search_being_typed() -> None:
    nav = Navigation()
    nav.typed("Polizei")
    nav.go_to(Place.ARTICLE)
    assert [s.place for s in nav.steps] == [Place.SEARCH, Place.ARTICLE]


def test_a_step_holds_only_what_its_place_has() -> None:
    with pytest.raises(ValueError, match="only a feed step"):
        Step(Place.SEARCH, feed_id=3)
    with pytest.raises(ValueError, match="only a search step"):
        Step(Place.ARTICLE, search="kita")
    with pytest.raises(ValueError, match="take it with go"):
        Navigation().go_to(Place.SEARCH)


_ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("typed"), st.sampled_from(["", "kita", "Grün", "Stadt Herne"])),
        st.tuples(st.just("keep"), st.none()),
        st.tuples(st.just("feed"), st.sampled_from([None, 1, 2])),
        st.tuples(st.just("watchlist"), st.sampled_from(["Bombe", "Unfall"])),
        st.tuples(st.just("go_to"), st.sampled_from([Place.ARTICLE, Place.FEEDS])),
        st.tuples(st.just("back"), st.none()),
        st.tuples(st.just("filter"), st.none()),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(_ACTIONS)
def test_any_walk_keeps_one_state_and_back_always_ends_at_the_top(
    actions: list[tuple[str, object]],
) -> None:
    nav = Navigation()
    for name, argument in actions:
        if name == "typed":
            nav.typed(str(argument))
        elif name == "keep":
            nav.keep_search()
        elif name == "feed":
            nav.feed(argument if isinstance(argument, int) else None)
        elif name == "watchlist":
            nav.watchlist(str(argument))
        elif name == "go_to":
            assert isinstance(argument, Place)
            nav.go_to(argument)
        elif name == "back":
            nav.back()
        else:
            nav.cycle_filter()
        places = [s.place for s in nav.steps]
        assert places == sorted(set(places))  # in order, each place once
        focused = {Place.TYPING, Place.FEEDS, Place.ARTICLE} & set(places)
        assert len(focused) <= 1
        assert not (Place.TYPING in places and Place.SEARCH in places)
        assert nav.view.show is nav.show
    show, depth = nav.show, len(nav.steps)
    for _ in range(depth):
        assert nav.back() is not None
    assert nav.back() is None and nav.view == View(show=show)
