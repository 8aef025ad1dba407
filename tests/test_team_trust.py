"""What the team store reads from others is checked: a NOTIFY payload of any JSON reaches
the reader only as a well-formed change; a claim or done records the database role that made
it beside the name the user chose (names are chosen, not authenticated)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.cli import main
from newsroom_tui.store import ChangeKind, FeedUpdate, StoreChange, open_store
from newsroom_tui.store.pg_listener import CHANNEL, parse_change
from newsroom_tui.store.rows import summary_from_row
from newsroom_tui.watch.on_arrival import match_new_articles
from tests.fixture_server import FixtureServer
from tests.test_store import T0, article
from tests.watch_feeds import press_offices

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
FIELD_VALUES = JSON | st.integers(-(2**70), 2**70) | st.sampled_from(["anna", "\x1b]0;x\x07"])
PAYLOADS = JSON | st.fixed_dictionaries(
    {"kind": st.sampled_from([k.value for k in ChangeKind]) | JSON},
    optional={name: FIELD_VALUES for name in ("article_id", "feed_id", "user", "watchlist")},
)


def well_formed(change: StoreChange) -> bool:
    ids = (change.article_id, change.feed_id)
    names = (change.user, change.watchlist)
    return (
        isinstance(change.kind, ChangeKind)
        and all(i is None or (type(i) is int and 0 <= i < 2**63) for i in ids)
        and all(n is None or (isinstance(n, str) and n.isprintable()) for n in names)
    )


@settings(max_examples=300, deadline=None)
@given(PAYLOADS)
def test_any_json_payload_is_a_well_formed_change_or_ignored(payload: object) -> None:
    change = parse_change(json.dumps(payload))
    assert change is None or well_formed(change)


@pytest.mark.parametrize(
    "payload",
    [
        '{"kind": "article", "article_id": [1, 2]}',
        '{"kind": "article", "article_id": {"id": 1}}',
        '{"kind": "article", "article_id": true}',
        '{"kind": "article", "article_id": 99999999999999999999999}',
        '{"kind": "match", "article_id": 1, "watchlist": ["Kampfmittel"]}',
        '["article", 1]',
        "[" * 5000 + "]" * 5000,
        "nicht JSON",
    ],
    ids=["list", "object", "bool", "huge", "watchlist list", "array", "deep", "text"],
)
def test_a_malformed_payload_is_ignored(payload: str) -> None:
    assert parse_change(payload) is None


def test_a_well_formed_payload_is_heard() -> None:
    change = parse_change('{"kind": "match", "article_id": 7, "watchlist": "Kampfmittel"}')
    assert change == StoreChange(ChangeKind.MATCH, article_id=7, watchlist="Kampfmittel")


def test_names_in_a_payload_are_made_plain() -> None:
    payload = '{"kind": "article", "article_id": 1, "user": "anna\\u001b]52;c;eA==\\u0007"}'
    assert parse_change(payload) == StoreChange(ChangeKind.ARTICLE, article_id=1, user="anna")


psycopg = pytest.importorskip("psycopg")
from newsroom_tui.store.postgres import PostgresStore  # noqa: E402


def test_a_hostile_notify_never_reaches_the_reader(pg_dsn: str) -> None:
    """Anyone who can connect can NOTIFY on the channel: the malformed ones are dropped,
    the listener stays online and hears the next good one."""
    heard: list[StoreChange] = []
    good = threading.Event()

    def on_change(change: StoreChange) -> None:
        heard.append(change)
        if change.article_id == 7:
            good.set()

    with closing(PostgresStore(pg_dsn, user="ben")) as ben:
        listener = ben.watch(on_change)
        try:
            assert listener.online.wait(5)
            with psycopg.connect(pg_dsn, autocommit=True) as conn:
                for payload in (
                    '{"kind": "article", "article_id": [1, 2]}',
                    '{"kind": "article", "article_id": {"id": 1}}',
                    "[" * 3000 + "]" * 3000,
                    '{"kind": "article", "article_id": 7}',
                ):
                    conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
            assert good.wait(5)
        finally:
            listener.close()
    assert heard == [StoreChange(ChangeKind.ARTICLE, article_id=7)]


@pytest.fixture
def bob_dsn(pg_dsn: str) -> Iterator[str]:
    """The same database through another PostgreSQL account, ``bob`` (the tables made by
    the first account, as a team's first newsroom makes them)."""
    PostgresStore(pg_dsn, user="anna").close()
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(
            """DO $$ BEGIN CREATE ROLE bob LOGIN;
               EXCEPTION WHEN duplicate_object THEN NULL; END $$"""
        )
        conn.execute("GRANT USAGE, CREATE ON SCHEMA public TO bob")
        conn.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO bob")
        conn.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO bob")
    yield pg_dsn.replace("://newsroom@", "://bob@")


def test_a_claim_and_done_record_the_database_role_beside_the_name(
    pg_dsn: str, bob_dsn: str
) -> None:
    with (
        closing(PostgresStore(pg_dsn, user="anna")) as anna,
        closing(PostgresStore(bob_dsn, user="anna")) as bob_as_anna,
    ):
        feed, _ = anna.add_feed("http://127.0.0.1/presse/stadt-herne.rss")
        anna.save_feed_update(
            feed.id,
            FeedUpdate(polled_at=T0, articles=[article("1", 1)]),
            after_save=match_new_articles,
        )
        [first] = [a.id for a in anna.articles()]
        bob_as_anna.claim(first)
        bob_as_anna.set_done(first)
        seen = anna.article(first)
        assert seen is not None
        assert (seen.claimed_by, seen.claimed_role) == ("anna", "bob")
        assert (seen.done_by, seen.done_role) == ("anna", "bob")
        # the role is the server's to write: a forged one is put back
        with psycopg.connect(bob_dsn, autocommit=True) as conn:
            conn.execute(
                "UPDATE articles SET claimed_role = 'anna', done_role = NULL WHERE id = %s",
                (first,),
            )
        again = anna.article(first)
        assert again is not None and (again.claimed_role, again.done_role) == ("bob", "bob")
        # released and claimed again, by the real account
        assert bob_as_anna.release(first)
        anna.set_done(first, False)
        released = anna.article(first)
        assert released is not None and (released.claimed_role, released.done_role) == (None,) * 2
        anna.claim(first)
        assert anna.article(first).claimed_role == "newsroom"  # type: ignore[union-attr]


def test_json_shows_the_database_role_beside_the_name(
    pg_dsn: str, bob_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with closing(PostgresStore(pg_dsn, user="anna")) as anna:
        feed, _ = anna.add_feed("http://127.0.0.1/presse/stadt-herne.rss")
        anna.save_feed_update(
            feed.id,
            FeedUpdate(polled_at=T0, articles=[article("1", 1)]),
            after_save=match_new_articles,
        )
        first = str(anna.articles()[0].id)
    assert main(["--database", bob_dsn, "--user", "anna", "claim", first, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["claimed_by"], shown["claimed_role"]) == ("anna", "bob")
    assert main(["--database", bob_dsn, "--user", "anna", "done", first, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["done_by"], shown["done_role"]) == ("anna", "bob")


def test_the_local_cache_has_no_database_role(data_dir: Path) -> None:
    store = open_store(data_dir, user="anna")
    try:
        feed, _ = store.add_feed("http://127.0.0.1/presse/stadt-herne.rss")
        store.save_feed_update(
            feed.id,
            FeedUpdate(polled_at=T0, articles=[article("1", 1)]),
            after_save=match_new_articles,
        )
        first = store.articles()[0].id
        store.claim(first)
        store.set_done(first)
        seen = store.article(first)
        assert seen is not None
        assert (seen.claimed_by, seen.claimed_role, seen.done_by, seen.done_role) == (
            "anna",
            None,
            "anna",
            None,
        )
    finally:
        store.close()


def test_watch_matches_show_the_database_role_where_it_differs(
    server: FixtureServer, pg_dsn: str, bob_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    anna = ["--database", pg_dsn, "--user", "anna"]
    bob_as_anna = ["--database", bob_dsn, "--user", "anna"]
    assert main([*anna, "add", "--force", *press_offices(server)]) == 0
    assert main([*anna, "watch", "add", "Kampfmittel", "Fliegerbombe OR Vollsperrung"]) == 0
    assert main([*anna, "fetch"]) == 0
    capsys.readouterr()
    assert main([*anna, "watch", "matches", "Kampfmittel", "--json"]) == 0
    first, second = (str(a["id"]) for a in json.loads(capsys.readouterr().out))
    assert main([*bob_as_anna, "claim", first]) == 0
    assert main([*anna, "claim", second]) == 0
    capsys.readouterr()
    assert main([*anna, "watch", "matches", "Kampfmittel"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[-1] for line in lines] == ["[anna (db: bob)]", "[anna (db: newsroom)]"]


def test_a_role_name_reaches_the_terminal_as_a_plain_name() -> None:
    """Role names are the database's (a quoted identifier may hold an escape sequence)."""
    row = (1, 2, "Stadt Herne", None, "Meldung", None, False, False, "anna", True, False)
    summary = summary_from_row(
        (*row, "anna", "bob\x1b]52;c;eA==\x07", "bob\u202e", 1, 1, None, None)
    )
    assert (summary.claimed_role, summary.done_role) == ("bob", "bob")


def test_names_in_article_rows_reach_the_terminal_as_plain_names(
    server: FixtureServer, pg_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Anyone who can write to the team database can put any text where newsroom writes a
    checked user name (claimed_by, done_by): a colleague's release, claim and watch matches
    print it, so it is read as a plain name, like the role beside it."""
    anna = ["--database", pg_dsn, "--user", "anna"]
    ben = ["--database", pg_dsn, "--user", "ben"]
    assert main([*anna, "add", "--force", *press_offices(server)]) == 0
    assert main([*anna, "watch", "add", "Kampfmittel", "Fliegerbombe OR Vollsperrung"]) == 0
    assert main([*anna, "fetch"]) == 0
    capsys.readouterr()
    assert main([*anna, "watch", "matches", "Kampfmittel", "--json"]) == 0
    first, second = (int(a["id"]) for a in json.loads(capsys.readouterr().out))
    hostile = "anna\x1b]52;c;cm0gLXJmIH4=\x07\u202e"
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(
            "UPDATE articles SET claimed_by = %s, done = true, done_by = %s WHERE id IN (%s, %s)",
            (hostile, hostile, first, second),
        )
    for args in (
        ["release", str(first)],
        ["claim", str(second)],
        ["watch", "matches", "Kampfmittel"],
    ):
        main([*ben, *args])
        out, err = capsys.readouterr()
        assert "\x1b" not in out + err and "\x07" not in out + err and "\u202e" not in out + err
    with closing(PostgresStore(pg_dsn, user="ben")) as store:
        shown = store.article(first)
        assert shown is not None and (shown.claimed_by, shown.done_by) == ("anna", "anna")
