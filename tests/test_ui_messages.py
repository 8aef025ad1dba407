"""The reader's view value and the messages that merge when they queue up (no app needed)."""

from __future__ import annotations

from newsroom_tui.ingest.poller import ACCOUNT_FEED_ID, FeedOutcome
from newsroom_tui.models import Feed, PollStatus
from newsroom_tui.store import ArticleFilter, ChangeKind, StoreChange
from newsroom_tui.ui.colleagues import MANY_ARTICLES, ColleaguesChanged
from newsroom_tui.ui.messages import FeedsPolled
from newsroom_tui.ui.view import Show, View
from newsroom_tui.ui.widgets.search_box import SearchBox
from newsroom_tui.ui.widgets.status_bar import Problem


def test_view_filter_cycles_and_says_what_it_shows() -> None:
    view = View()
    assert not view.narrowed and view.where == ArticleFilter(done=False, stories=True)
    shows = [view.show]
    for _ in range(4):
        view = view.cycled()
        shows.append(view.show)
    assert shows == [Show.ALL, Show.UNREAD, Show.FLAGGED, Show.DONE, Show.ALL]
    assert View(show=Show.DONE).where == ArticleFilter(done=True, stories=True)
    # every article apart (S) narrows nothing
    assert not View(stories=False).narrowed
    assert View(stories=False).where == ArticleFilter(done=False)
    narrowed = View().at(feed_id=3).searching("Kita")
    assert narrowed.narrowed and narrowed.where == ArticleFilter(
        feed_id=3, search="Kita", done=False, stories=True
    )
    assert View(show=Show.FLAGGED).hides(done=False, flagged=False)
    assert not View(show=Show.FLAGGED).hides(done=False, flagged=True)
    assert View().hides(done=True, flagged=False)
    assert not View(show=Show.DONE).hides(done=True, flagged=False)


def test_queued_poll_messages_merge_into_the_later_one() -> None:
    herne, bochum = (Feed(i, f"http://127.0.0.1/{i}.xml", f"Stadt {i}") for i in (1, 2))
    first, later = FeedsPolled(10), FeedsPolled(10)
    first.add(FeedOutcome(herne, PollStatus.UPDATED, new_articles=3), 1)
    first.add(FeedOutcome(bochum, PollStatus.FAILED, error="HTTP 500"), 2)
    later.add(FeedOutcome(herne, PollStatus.NOT_MODIFIED), 3)
    assert first.can_replace(later)
    assert later.feed_ids == {1, 2} and later.new_articles and later.progress == (3, 10)
    assert later.problems == {"Stadt 2": (Problem.FAILED, "HTTP 500")}
    assert not first.can_replace(ColleaguesChanged([]))


def test_the_sync_accounts_failure_is_no_failed_feed() -> None:
    """The account's outcome (no feed of its own) is a problem of its kind: unreachable when
    its server could not be reached, a failed sync when it answered badly."""
    account = Feed(ACCOUNT_FEED_ID, "https://rss.herne.de/api/greader.php", "FreshRSS account")
    down, broken = FeedsPolled(3), FeedsPolled(3)
    down.add(FeedOutcome(account, PollStatus.FAILED, error="refused", network_error=True), 1)
    broken.add(FeedOutcome(account, PollStatus.FAILED, error="not JSON"), 1)
    assert down.problems == {"FreshRSS account": (Problem.UNREACHABLE, "refused")}
    assert broken.problems == {"FreshRSS account": (Problem.SYNC_FAILED, "not JSON")}


def test_queued_colleague_changes_merge_in_order() -> None:
    claim = StoreChange(ChangeKind.ARTICLE, article_id=7, user="ben")
    polled = StoreChange("articles", feed_id=4)  # as a NOTIFY payload names it
    first, later = ColleaguesChanged([claim]), ColleaguesChanged([polled])
    assert first.can_replace(later)
    assert later.changes == [claim, polled] and polled.kind is ChangeKind.ARTICLES
    assert later.article_ids == [7] and later.feed_ids == {4}
    assert not later.everything and not later.offline
    many = ColleaguesChanged(
        [StoreChange(ChangeKind.ARTICLE, article_id=i) for i in range(MANY_ARTICLES + 1)]
    )
    assert many.everything
    lost = ColleaguesChanged([StoreChange(ChangeKind.OFFLINE)])
    assert lost.offline and not lost.everything
    back = ColleaguesChanged([StoreChange(ChangeKind.OFFLINE), StoreChange(ChangeKind.ONLINE)])
    assert not back.offline and back.everything


def test_search_keystrokes_coalesce() -> None:
    box = SearchBox()
    assert SearchBox.Changed(box, "kit").can_replace(SearchBox.Changed(box, "kita"))
