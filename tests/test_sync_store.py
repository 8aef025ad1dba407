"""The store's side of a sync account: synced feeds and articles from a pull, the outbox
filled by read and flag changes in their own transaction, a pull that keeps a change still
waiting, ``newsroom flag``/``unflag``; on both backends where it applies (``any_store``)."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.cli import main
from newsroom_tui.ingest.synced_articles import synced_article
from newsroom_tui.models import NewArticle
from newsroom_tui.store import ArticleFilter, FeedUpdate, Store
from newsroom_tui.store.retention import Retention
from newsroom_tui.store.sqlite import SQLiteStore
from newsroom_tui.store.sync_side import SQLiteSyncSide, SyncSide
from newsroom_tui.sync_records import (
    Flag,
    ItemId,
    ItemState,
    Pull,
    RemoteFeed,
    RemoteItem,
)

POLIZEI = RemoteFeed(
    "feed/12",
    "Polizei Bochum",
    "https://www.presseportal.de/blaulicht/rss/dienststelle/11530.rss",
    category="Polizei",
)
HERNE = RemoteFeed("feed/13", "Stadt Herne", "https://www.herne.de/rss.xml", category="Lokales")
UNFALL = ItemId.parse("tag:google.com,2005:reader/item/0006283f1c2b4e00")
EINBRUCH = ItemId.parse("1733500000001000")


def item(number: ItemId, feed: RemoteFeed, title: str, **state: bool) -> RemoteItem:
    return RemoteItem(
        number,
        feed.id,
        title,
        f"https://www.presseportal.de/blaulicht/pm/11530/{number.number}",
        datetime(2026, 12, 7, 9, 30, tzinfo=UTC),
        html=f"<p>{title}. Hinweise an die Polizei Bochum.</p>",
        **state,
    )


def first_pull() -> Pull:
    return Pull(
        (POLIZEI, HERNE),
        (
            item(UNFALL, POLIZEI, "Verkehrsunfall auf der A43"),
            item(EINBRUCH, POLIZEI, "Einbruch in Wattenscheider Bäckerei", starred=True),
        ),
        {},
        "cursor-1",
    )


def side_of(store: Store) -> SyncSide:
    """The store's side of its account (the team store's made first, as a login does)."""
    if isinstance(store, SQLiteStore):
        return SQLiteSyncSide(store, article_of=synced_article)
    from newsroom_tui.store.pg_sync_side import PostgresSyncSide, save_team_account
    from newsroom_tui.store.postgres import PostgresStore

    assert isinstance(store, PostgresStore)
    account = save_team_account(
        store,
        server="FreshRSS",
        api="greader",
        endpoint="https://rss.example.de/api/greader.php",
        user="redaktion",
        secret_in="file",
        host="desk-1",
    )
    return PostgresSyncSide(
        store, account, article_of=lambda item: synced_article(item, store.lazy_bodies)
    )


def by_title(store: Store, start: str) -> int:
    return next(a.id for a in store.articles() if a.title.startswith(start))


def test_a_pull_makes_synced_feeds_and_articles(any_store: Store) -> None:
    store = any_store
    side = side_of(store)
    assert side.cursor() is None and side.item_states() == {}
    side.apply_pull(first_pull())
    feeds = {feed.url: feed for feed in store.feeds()}
    assert feeds["sync:feed/12"].kind == "synced"
    assert feeds["sync:feed/12"].category == "Polizei"
    assert side.item_states() == {
        UNFALL: ItemState(read=False, starred=False),
        EINBRUCH: ItemState(read=False, starred=True),
    }
    # the id goes back as the server gave it
    given = {key.number: key.given for key in side.item_states()}
    assert given[UNFALL.number] == UNFALL.given
    assert side.cursor() == "cursor-1"
    # found by the search like any article
    assert store.count_articles(ArticleFilter(search="wattenscheider")) == 1


def test_a_feed_the_server_no_longer_lists_goes_with_its_articles(any_store: Store) -> None:
    store = any_store
    side = side_of(store)
    side.apply_pull(first_pull())
    side.apply_pull(Pull((HERNE,), (), {}, "cursor-2"))
    assert [feed.url for feed in store.feeds()] == ["sync:feed/13"]
    assert store.articles() == []
    assert store.count_articles(ArticleFilter(search="wattenscheider")) == 0


def test_read_and_flag_of_a_synced_article_wait_in_the_outbox(any_store: Store) -> None:
    store = any_store
    side = side_of(store)
    side.apply_pull(first_pull())
    unfall = by_title(store, "Verkehrsunfall")
    store.set_read(unfall, True)
    store.set_read(unfall, True)  # no change: nothing more to send
    store.set_flagged(unfall, True)
    changes = side.outbox(10)
    assert [(c.item, c.flag, c.on) for c in changes] == [
        (UNFALL, Flag.READ, True),
        (UNFALL, Flag.STARRED, True),
    ]
    assert [c.item.given for c in changes] == [UNFALL.given] * 2
    assert side.pending() == {(UNFALL, Flag.READ), (UNFALL, Flag.STARRED)}
    side.drop_pushed(changes[:1])
    assert [(c.flag, c.seq) for c in side.outbox(10)] == [(Flag.STARRED, changes[1].seq)]


def test_mark_all_read_queues_the_synced_unread_ones_only(any_store: Store) -> None:
    store = any_store
    side = side_of(store)
    side.apply_pull(first_pull())
    local, _ = store.add_feed("https://www.herne.de/rss/pressemitteilungen.xml", "Herne lokal")
    store.save_feed_update(
        local.id,
        FeedUpdate(
            datetime(2026, 12, 7, 10, 0, tzinfo=UTC),
            articles=[NewArticle("herne-1", None, "Stadtfest in Herne-Mitte", None)],
        ),
    )
    store.set_read(by_title(store, "Stadtfest"), True)  # a local feed's: no outbox
    assert side.outbox(10) == []
    store.set_read(by_title(store, "Einbruch"), True)
    assert store.mark_all_read() == 1
    assert {(c.item, c.on) for c in side.outbox(10)} == {(EINBRUCH, True), (UNFALL, True)}


def test_a_pull_keeps_the_value_of_a_change_still_waiting(any_store: Store) -> None:
    store = any_store
    side = side_of(store)
    side.apply_pull(first_pull())
    store.set_flagged(by_title(store, "Einbruch"), False)  # waiting to be sent
    side.apply_pull(
        Pull(
            (POLIZEI, HERNE),
            (),
            {
                EINBRUCH: ItemState(read=True, starred=True),
                UNFALL: ItemState(read=True, starred=True),
            },
            "cursor-2",
        )
    )
    states = side.item_states()
    assert states[EINBRUCH] == ItemState(read=True, starred=False)  # the star is ours
    assert states[UNFALL] == ItemState(read=True, starred=True)


def test_a_pull_that_fails_writes_nothing(any_store: Store) -> None:
    store = any_store
    side = side_of(store)
    side.apply_pull(first_pull())
    before = (store.feeds(), store.articles(), side.cursor())
    broken = Pull(
        (POLIZEI,),
        (item(ItemId(7), POLIZEI, "Neue Meldung"),),
        {UNFALL: ItemState(True, True)},
        "cursor-3",
    )
    original = store._insert_articles

    def fail(*args: object, **kwargs: object) -> object:
        original(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("disk gone mid-way")

    store._insert_articles = fail  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        side.apply_pull(broken)
    assert (store.feeds(), store.articles(), side.cursor()) == before


def test_flag_and_unflag_from_the_command_line(
    store: SQLiteStore, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    side_of(store).apply_pull(first_pull())
    unfall = by_title(store, "Verkehrsunfall")
    assert main(["--data-dir", str(data_dir), "flag", str(unfall)]) == 0
    assert capsys.readouterr().out == f"{unfall}: flagged: Verkehrsunfall auf der A43\n"
    assert store.article(unfall).flagged  # type: ignore[union-attr]
    assert main(["--data-dir", str(data_dir), "unflag", str(unfall), "--json"]) == 0
    assert '"flagged": false' in capsys.readouterr().out
    assert [(c.flag, c.on) for c in side_of(store).outbox(10)] == [
        (Flag.STARRED, True),
        (Flag.STARRED, False),
    ]
    assert main(["--data-dir", str(data_dir), "flag", "999999"]) == 1


def test_export_opml_leaves_the_accounts_feeds_out(
    store: SQLiteStore, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    side_of(store).apply_pull(first_pull())
    store.add_feed("https://www.herne.de/rss/pressemitteilungen.xml", "Herne lokal")
    assert main(["--data-dir", str(data_dir), "export-opml"]) == 0
    out = capsys.readouterr().out
    assert "https://www.herne.de/rss/pressemitteilungen.xml" in out
    assert "sync:" not in out


# one key press on one of the two synced articles: (article, "read"/"flag", value)
presses = st.lists(
    st.tuples(
        st.sampled_from(["Verkehrsunfall", "Einbruch"]),
        st.sampled_from(["read", "flag"]),
        st.booleans(),
    ),
    max_size=12,
)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(presses=presses, server_says=st.tuples(st.booleans(), st.booleans()))
def test_after_any_presses_the_outbox_and_a_pull_leave_the_desks_state(
    presses: list[tuple[str, str, bool]], server_says: tuple[bool, bool]
) -> None:
    """Whatever is pressed: the outbox's last change of each (item, flag) is the cache's value,
    an (item, flag) without one has the value the pull gave, and a pull that comes meanwhile
    leaves every value with a change waiting as the desk set it."""
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "newsroom.sqlite3", user="anna")
        try:
            side = side_of(store)
            side.apply_pull(first_pull())
            first = side.item_states()
            for title, flag, on in presses:
                article = by_title(store, title)
                if flag == "read":
                    store.set_read(article, on)
                else:
                    store.set_flagged(article, on)
            local = side.item_states()
            read, starred = server_says
            side.apply_pull(
                Pull((POLIZEI, HERNE), (), {key: ItemState(read, starred) for key in first}, "c")
            )
            after = side.item_states()
            last = {(c.item, c.flag): c.on for c in side.outbox(1_000)}
            for key, state in local.items():
                for flag, value, was in (
                    (Flag.READ, state.read, first[key].read),
                    (Flag.STARRED, state.starred, first[key].starred),
                ):
                    if (key, flag) in last:
                        assert last[(key, flag)] == value
                        kept = after[key].read if flag is Flag.READ else after[key].starred
                        assert kept == value  # the pull did not overwrite it
                    else:  # no change of it went out: no press changed it
                        assert value == was
        finally:
            store.close()


def test_a_huge_item_is_kept_as_plain_text(any_store: Store) -> None:
    """Over the size a read renders at once: stored as its text, with no markup, no escape."""
    store = any_store
    html = "<div><b>Stadt Herne</b> \x1b[2J" * 20_000 + "<p>Ende der Meldung</p>"
    huge = RemoteItem(ItemId(99), HERNE.id, "Haushaltsplan 2027", None, html=html)
    side_of(store).apply_pull(Pull((HERNE,), (huge,), {}, None))
    article = store.article(by_title(store, "Haushaltsplan"))
    assert article is not None
    assert (
        article.body_markdown.startswith("Stadt Herne")
        and "Ende der Meldung" in article.body_markdown
    )
    assert "<" not in article.body_markdown and "\x1b" not in article.body_markdown


def test_retention_takes_old_read_articles_of_the_account_and_keeps_waiting_ones(
    any_store: Store,
) -> None:
    store = any_store
    side = side_of(store)
    items = [
        item(ItemId(n), POLIZEI, f"Meldung {n} der Polizei Bochum", read=n < 4) for n in range(1, 5)
    ]
    side.apply_pull(Pull((POLIZEI,), tuple(items), {}, None))
    # Meldung 1 made unread and read again here: the change waits to be sent
    first = by_title(store, "Meldung 1 ")
    store.set_read(first, False)
    store.set_read(first, True)
    store.retention = Retention(keep_days=0, max_per_feed=1)
    side.apply_pull(Pull((POLIZEI,), (), {}, None))
    titles = sorted(a.title for a in store.articles())
    # 2 and 3 read and surplus: gone; 1 waits in the outbox; 4 is unread
    assert titles == ["Meldung 1 der Polizei Bochum", "Meldung 4 der Polizei Bochum"]
    assert store.count_articles(ArticleFilter(search="meldung")) == 2  # the index follows


def test_feeds_names_the_accounts_feeds(
    store: SQLiteStore, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    side_of(store).apply_pull(first_pull())
    assert main(["--data-dir", str(data_dir), "feeds"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("sync:feed/12\tPolizei Bochum\tsynced ")
    assert lines[0].endswith("; from the sync account")
