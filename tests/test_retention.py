"""Issue #24, unbounded growth: a feed whose GUIDs change every poll added its 500 "new"
articles a poll, forever. Retention removes what is old (``general.keep_days``) and what is
over the per-feed cap (``general.max_articles_per_feed``), done and read and oldest first,
never a flagged, claimed or watched article, nor one the feed still carries (it would come
back as new at the next poll). On both backends, in the transaction of the poll's write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom_tui.cli import main
from newsroom_tui.config import Config, ConfigError, load_config
from newsroom_tui.models import NewArticle
from newsroom_tui.store import FeedUpdate, SQLiteStore, Store, open_store
from newsroom_tui.store.base import ArticleFilter
from newsroom_tui.store.retention import Retention
from newsroom_tui.watch.on_arrival import match_new_articles
from newsroom_tui.watch.watchlist import checked_watchlist
from tests.fixture_server import FixtureServer

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
FEED = "https://www.herne.de/pressemitteilungen/rss"


def meldung(n: int, *, days_old: float = 0, word: str = "Meldung") -> NewArticle:
    return NewArticle(
        f"herne-{n}",
        f"https://www.herne.de/meldung/{n}",
        f"{word} {n} der Stadt Herne",
        NOW - timedelta(days=days_old, minutes=n),
        body_markdown=f"Die Stadt Herne teilt mit: {word} Nummer {n}.",
    )


def poll(store: Store, feed_id: int, articles: list[NewArticle], *, later: float = 0) -> int:
    """One poll's write: ``articles`` are what the feed carries now."""
    update = FeedUpdate(
        polled_at=NOW + timedelta(minutes=later),
        articles=articles,
        in_feed=frozenset(a.guid for a in articles),
    )
    return store.save_feed_update(feed_id, update, after_save=match_new_articles)


def titles(store: Store) -> set[str]:
    return {a.title for a in store.articles()}


def by_title(store: Store, title: str) -> int:
    return next(a.id for a in store.articles() if a.title == title)


# The rule where the value is made ------------------------------------------------------------


@pytest.mark.parametrize(
    ("keep_days", "max_per_feed"), [(-1, 2000), (90, -5), (True, 2000), (90, 2.5)]
)
def test_retention_refuses_what_is_not_a_count(keep_days: object, max_per_feed: object) -> None:
    with pytest.raises(ValueError, match="whole number"):
        Retention(keep_days=keep_days, max_per_feed=max_per_feed)  # type: ignore[arg-type]


def test_keep_days_a_date_cannot_reach_is_refused_in_one_line(
    tmp_path: Path, any_store: Store
) -> None:
    """keep_days = 1000000 (meant as "for ever") made every poll's write fail: the cutoff
    before the year 1 raised OverflowError in the writer, so every feed failed every poll.
    It is refused where it is made (0 is "no limit"), and the largest allowed works."""
    with pytest.raises(ValueError, match="at most 365000"):
        Retention(keep_days=1_000_000)
    path = tmp_path / "config.toml"
    path.write_text("[general]\nkeep_days = 1000000\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f"{path} line 2: general.keep_days must be at most 365000 days (0: no limit)"
    )
    any_store.retention = Retention(keep_days=365_000, max_per_feed=0)
    feed, _ = any_store.add_feed(FEED)
    assert poll(any_store, feed.id, [meldung(1, days_old=10_000)]) == 1


def test_a_number_too_long_to_read_is_one_line_of_config_error(tmp_path: Path) -> None:
    """TOML sets no limit on a number's digits, Python reads at most 4,300: the ValueError
    ended every command with a traceback."""
    path = tmp_path / "config.toml"
    path.write_text(f"[general]\nkeep_days = {'9' * 5_000}\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)
    assert len(str(caught.value)) < 300


def test_the_defaults_are_generous() -> None:
    assert Config().retention == Retention(keep_days=90, max_per_feed=2000)


def test_config_sets_retention_and_names_a_mistake(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[general]\nkeep_days = 30\nmax_articles_per_feed = 500\n", "utf-8")
    assert load_config(path).retention == Retention(keep_days=30, max_per_feed=500)
    path.write_text("[general]\nkeep_days = 0\nmax_articles_per_feed = 0\n", "utf-8")
    assert load_config(path).retention == Retention(keep_days=0, max_per_feed=0)
    path.write_text('[general]\ntheme = "nord"\nmax_articles_per_feed = "viele"\n', "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f"{path} line 3: general.max_articles_per_feed must be a whole number, 0 (no limit) or more"
    )


# Both backends ---------------------------------------------------------------------------------


def test_a_feed_whose_guids_change_every_poll_stays_at_its_cap(any_store: Store) -> None:
    any_store.retention = Retention(keep_days=0, max_per_feed=60)
    feed, _ = any_store.add_feed(FEED)
    for round_ in range(10):  # 50 "new" articles a poll, none of them seen again
        batch = [meldung(round_ * 50 + n) for n in range(50)]
        assert poll(any_store, feed.id, batch, later=round_) == 50
        assert any_store.count_articles() <= 60
    # the newest poll's articles are all there
    assert {f"Meldung {449 + n} der Stadt Herne" for n in range(1, 51)} <= titles(any_store)


def test_over_the_cap_done_go_first_then_read_then_the_oldest(any_store: Store) -> None:
    any_store.retention = Retention(keep_days=0, max_per_feed=6)
    feed, _ = any_store.add_feed(FEED)
    first = [meldung(n, days_old=10 - n) for n in range(6)]  # 0 the oldest, 5 the newest
    poll(any_store, feed.id, first)
    any_store.set_done(by_title(any_store, "Meldung 5 der Stadt Herne"))
    any_store.set_read(by_title(any_store, "Meldung 4 der Stadt Herne"))
    # three new articles: three must go: the done one, the read one, then the oldest unread
    poll(any_store, feed.id, [meldung(n) for n in range(10, 13)], later=1)
    assert titles(any_store) == {f"Meldung {n} der Stadt Herne" for n in (1, 2, 3, 10, 11, 12)}


def test_flagged_claimed_and_watched_articles_are_never_removed(any_store: Store) -> None:
    any_store.retention = Retention(keep_days=30, max_per_feed=3)
    any_store.add_watchlist(checked_watchlist("Sperrungen", "Vollsperrung"))
    feed, _ = any_store.add_feed(FEED)
    old = [
        meldung(1, days_old=400),
        meldung(2, days_old=400),
        meldung(3, days_old=400, word="Vollsperrung"),  # matched by the watchlist
        meldung(4, days_old=400),
    ]
    poll(any_store, feed.id, old)
    any_store.set_flagged(by_title(any_store, "Meldung 1 der Stadt Herne"))
    any_store.claim(by_title(any_store, "Meldung 2 der Stadt Herne"))
    poll(any_store, feed.id, [meldung(n) for n in range(10, 14)], later=1)
    kept = titles(any_store)
    assert {
        "Meldung 1 der Stadt Herne",
        "Meldung 2 der Stadt Herne",
        "Vollsperrung 3 der Stadt Herne",
    } <= kept
    assert "Meldung 4 der Stadt Herne" not in kept
    assert any_store.count_articles(ArticleFilter(flagged=True)) == 1


def test_what_the_feed_still_carries_stays_however_old(any_store: Store) -> None:
    """Removed, an article the feed still lists would be stored again as new next poll."""
    any_store.retention = Retention(keep_days=30, max_per_feed=2)
    feed, _ = any_store.add_feed(FEED)
    evergreen = [meldung(n, days_old=500) for n in range(4)]
    poll(any_store, feed.id, evergreen)
    assert poll(any_store, feed.id, evergreen, later=1) == 0
    assert any_store.count_articles() == 4
    poll(any_store, feed.id, [evergreen[0], meldung(9)], later=2)  # three drop out
    assert titles(any_store) == {"Meldung 0 der Stadt Herne", "Meldung 9 der Stadt Herne"}


def test_old_articles_go_after_keep_days_other_feeds_untouched(any_store: Store) -> None:
    any_store.retention = Retention(keep_days=90, max_per_feed=0)
    feed, _ = any_store.add_feed(FEED)
    other, _ = any_store.add_feed("https://www.polizei.nrw/bochum/rss")
    poll(any_store, other.id, [meldung(100, days_old=365)])
    poll(any_store, feed.id, [meldung(1, days_old=120), meldung(2, days_old=60)])
    poll(any_store, feed.id, [meldung(3)], later=1)
    assert titles(any_store) == {
        "Meldung 100 der Stadt Herne",  # its feed was not polled
        "Meldung 2 der Stadt Herne",
        "Meldung 3 der Stadt Herne",
    }


def test_retention_off_keeps_everything(any_store: Store) -> None:
    any_store.retention = Retention(keep_days=0, max_per_feed=0)
    feed, _ = any_store.add_feed(FEED)
    for round_ in range(3):
        poll(any_store, feed.id, [meldung(round_ * 10 + n, days_old=999) for n in range(10)])
    assert any_store.count_articles() == 30


# SQLite: the full-text index follows ------------------------------------------------------------


def test_removed_articles_leave_the_search_index(store: SQLiteStore) -> None:
    store.retention = Retention(keep_days=0, max_per_feed=2)
    feed, _ = store.add_feed(FEED)
    poll(store, feed.id, [meldung(1, word="Baumfällung"), meldung(2, word="Kita")])
    poll(store, feed.id, [meldung(3, word="Radweg"), meldung(4, word="Kita")], later=1)
    assert store.count_articles(ArticleFilter(search="baumfällung")) == 0
    assert store.count_articles(ArticleFilter(search="radweg")) == 1
    assert store.count_articles(ArticleFilter(search="kita")) == 1
    assert store.integrity_problems() == []


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cap=st.integers(min_value=1, max_value=12),
    batches=st.lists(st.integers(min_value=0, max_value=8), min_size=1, max_size=6),
    done=st.sets(st.integers(min_value=0, max_value=40), max_size=8),
)
def test_property_the_cap_holds_and_keeps_the_current_entries(
    tmp_path_factory: pytest.TempPathFactory, cap: int, batches: list[int], done: set[int]
) -> None:
    store = open_store(tmp_path_factory.mktemp("retention"))
    try:
        store.retention = Retention(keep_days=0, max_per_feed=cap)
        feed, _ = store.add_feed(FEED)
        n = 0
        for round_, size in enumerate(batches):
            batch = [meldung(n + i, days_old=i) for i in range(size)]
            n += size
            poll(store, feed.id, batch, later=round_)
            for article in store.articles():
                if int(article.title.split()[1]) in done:
                    store.set_done(article.id)
            kept = titles(store)
            assert len(kept) <= max(cap, len(batch))
            assert {a.title for a in batch} <= kept
    finally:
        store.close()


# The command line: the config's limits reach the poll ---------------------------------------


def churning_feed(round_: int) -> str:
    items = "".join(
        f"<item><guid>herne-{round_}-{n}</guid><title>Meldung {round_}-{n} aus Herne</title>"
        f"<link>https://www.herne.de/m/{round_}-{n}</link>"
        "<description>Die Stadt Herne teilt mit.</description></item>"
        for n in range(20)
    )
    channel = f"<channel><title>Stadt Herne</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'


def test_fetch_keeps_a_churning_feed_at_the_configured_cap(
    server: FixtureServer, data_dir: Path, config_file: Path
) -> None:
    config_file.write_text("[general]\nmax_articles_per_feed = 30\n", "utf-8")
    server.add("/rss", churning_feed(0), "application/rss+xml")
    assert main(["--data-dir", str(data_dir), "add", "--force", server.url("/rss")]) == 0
    for round_ in range(4):
        server.add("/rss", churning_feed(round_), "application/rss+xml")
        assert main(["--data-dir", str(data_dir), "fetch"]) == 0
    store = open_store(data_dir)
    try:
        assert store.count_articles() == 30
        assert {f"Meldung 3-{n} aus Herne" for n in range(20)} <= titles(store)
    finally:
        store.close()
