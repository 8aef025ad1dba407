"""A small local desk for the reader's stories: the fire in Wattenscheid told by the police
(first), the city and the paper, and two articles alone. Stories are decided by a title's
first word (the matching itself has tests and a labelled set of its own)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsroom_tui.models import NewArticle
from newsroom_tui.store import FeedUpdate, SQLiteStore, Store, open_store
from newsroom_tui.store.story_records import Arrival

MONDAY = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
POLICE_TITLE = "Brand in Wattenscheid: Polizei sucht Zeugen"
CITY_TITLE = "Brand in Wattenscheid – Stadt richtet Notunterkunft ein"
PAPER_TITLE = "Brand in Wattenscheid: Feuerwehr rettet zwei Menschen"
FESTIVAL_TITLE = "Schützenfest in Höntrop abgesagt"
BRIDGE_TITLE = "Sperrung der Brücke an der Herner Straße"


class ByFirstWord:
    """Stories decided by the title's first word (the first article of a word starts it)."""

    def __init__(self) -> None:
        self.started: dict[str, int] = {}

    def decide(self, arrivals: Sequence[Arrival]) -> list[tuple[int, int, str]]:
        decided = []
        for _, article_id, art, _ in arrivals:
            story = self.started.setdefault(art.title.split()[0], article_id)
            relation = "update" if "Nachtrag" in art.title else "version"
            decided.append((article_id, story, "new" if story == article_id else relation))
        return decided

    def forget(self) -> None:
        self.started.clear()


# (feed, title, minutes after Monday 06:00, body); stored in this order: the police's
# release comes last although it was first
TOLD = (
    ("WAZ Bochum", PAPER_TITLE, 50, "Die Feuerwehr rettete in Wattenscheid zwei Menschen."),
    (
        "Stadt Bochum",
        CITY_TITLE,
        40,
        "Die Stadt Bochum richtet in der Turnhalle eine Notunterkunft ein.",
    ),
    ("WAZ Bochum", FESTIVAL_TITLE, 30, "Der Schützenverein Höntrop sagt sein Fest ab."),
    ("Stadt Bochum", BRIDGE_TITLE, 20, "Die Brücke an der Herner Straße wird ab Montag gesperrt."),
    (
        "Polizei Bochum",
        POLICE_TITLE,
        10,
        "POL-BO: In Wattenscheid brannte eine Wohnung; die Polizei sucht Zeugen.",
    ),
)


def store_desk(store: Store) -> dict[str, int]:
    """The desk's articles in ``store``; title -> id."""
    store.story_assigner = ByFirstWord()
    feeds: dict[str, int] = {}
    for n, name in enumerate(("Polizei Bochum", "Stadt Bochum", "WAZ Bochum")):
        feeds[name] = store.add_feed(f"http://127.0.0.1:9/{n}.rss", name)[0].id
    for feed, title, minutes, body in TOLD:
        art = NewArticle(
            guid=title,
            url=None,
            title=title,
            summary=body,
            body_markdown=body,
            published=MONDAY + timedelta(minutes=minutes),
        )
        store.save_feed_update(
            feeds[feed], FeedUpdate(polled_at=MONDAY + timedelta(hours=1), articles=[art])
        )
    store.story_assigner = None
    return {a.title: a.id for a in store.articles()}


UPDATE_TITLE = "Brand in Wattenscheid: Nachtrag – Brandursache geklärt"
UPDATE_AT = MONDAY + timedelta(hours=8, minutes=5)


def store_update(store: Store) -> int:
    """The police's update of the fire (a "Nachtrag", at 14:05 UTC) in a desk ``store``
    holds: the fire's newest development; its id."""
    assigner = ByFirstWord()
    for article in sorted(store.articles(), key=lambda a: (a.published or MONDAY, a.id)):
        assigner.started.setdefault(article.title.split()[0], article.story_id or article.id)
    store.story_assigner = assigner
    police = next(f.id for f in store.feeds() if f.display_name == "Polizei Bochum")
    body = "POL-BO: Die Brandursache in Wattenscheid ist geklärt: ein defekter Wasserkocher."
    art = NewArticle(
        guid=UPDATE_TITLE,
        url=None,
        title=UPDATE_TITLE,
        summary=body,
        body_markdown=body,
        published=UPDATE_AT,
    )
    store.save_feed_update(police, FeedUpdate(polled_at=UPDATE_AT, articles=[art]))
    store.story_assigner = None
    return next(a.id for a in store.articles() if a.title == UPDATE_TITLE)


def desk_cache(data_dir: Path) -> SQLiteStore:
    store = open_store(data_dir, user="anna")
    store_desk(store)
    return store


# A cache of today's schema as schema 13 left it (before the list of stories), for the tests
# that make a cache older still from a new one: run before they take out the columns of 12.
STORY_LIST_DROPPED = """
DROP INDEX articles_story_order;
DROP INDEX articles_feed_state;
CREATE INDEX articles_feed_state ON articles (feed_id, read, done);
CREATE INDEX articles_by_story ON articles (story_id);
ALTER TABLE articles DROP COLUMN story_size;
"""
