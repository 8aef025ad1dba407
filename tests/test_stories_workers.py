"""The story matching's features made by the poll's worker processes: the writer gets the
same features it would make itself, so the decisions are those of deciding in order."""

from __future__ import annotations

import dataclasses
import marshal
import os
import pickle
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.ingest.article_rows import article_list
from newsroom_tui.ingest.poll_jobs import first_poll_job
from newsroom_tui.ingest.worker_pool import Workers
from newsroom_tui.models import NewArticle
from newsroom_tui.stories.features import (
    Features,
    feature_row,
    features_of,
    features_of_row,
    make_features,
)
from tests.story_feeds import FEED_TITLES, rss
from tests.story_set import load

ROOT = Path(__file__).resolve().parent.parent
# what another process makes of the labelled week: its feature rows, marshalled
_ROWS_ELSEWHERE = """
import marshal, sys
from newsroom_tui.stories.features import feature_row
from tests.story_set import load
rows = [feature_row(a.title, a.text) for a in load()]
sys.stdout.buffer.write(marshal.dumps((hash("Polizei Bochum"), rows)))
"""


def _same(a: Features, b: Features) -> bool:
    return (
        a.title == b.title
        and a.shingles == b.shingles
        and a.words == b.words
        and a.long_words == b.long_words
        and a.facts == b.facts
        and a.update == b.update
        and sorted(a.keys) == sorted(b.keys)
    )


def test_rows_made_in_a_process_of_another_hash_seed_give_this_processs_features() -> None:
    # another seed than ours: the hashes of that process differ from this one's
    ours = hash("Polizei Bochum")
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", _ROWS_ELSEWHERE], cwd=ROOT, env=env, capture_output=True
        )
        assert out.returncode == 0, out.stderr.decode()
        theirs, rows = marshal.loads(out.stdout)
        if theirs != ours:
            break
    assert theirs != ours
    week = load()
    assert len(rows) == len(week)
    for row, a in zip(rows, week, strict=True):
        assert _same(features_of_row(row), make_features(a.title, a.text)), a.guid


async def test_the_workers_make_each_articles_features_for_the_writer() -> None:
    week = load()
    police = [a for a in week if a.feed == "police"]
    data = rss(FEED_TITLES["police"], police).encode()
    workers = Workers(1)
    try:
        first = await workers.run(
            first_poll_job, data, "http://127.0.0.1/police.rss", None, "never", None, False, True,
        )  # fmt: skip
        without = await workers.run(
            first_poll_job, data, "http://127.0.0.1/police.rss", None, "never"
        )
    finally:
        await workers.close()
    built = [item for item in first.items if isinstance(item, NewArticle)]
    assert len(built) == len(police)
    for art in built:
        assert art.story_features is not None
        text = art.body_markdown or art.summary
        assert _same(features_of(art), make_features(art.title, text))
    # a poll whose store decides no stories has them made nowhere
    assert all(
        item.story_features is None for item in without.items if isinstance(item, NewArticle)
    )


def test_an_article_changed_after_its_row_was_made_gets_its_features_made_anew() -> None:
    police = next(a for a in load() if a.feed == "police")
    art = NewArticle(guid=police.guid, url=None, title=police.title, published=None)
    art.body_markdown = police.text
    art.story_features = feature_row("Stadt Herne: Sperrung der Sodinger Straße", police.text)
    assert _same(features_of(art), make_features(police.title, police.text))
    shorter = dataclasses.replace(art, body_markdown=police.text[:200])
    assert _same(features_of(shorter), make_features(police.title, police.text[:200]))


def test_the_rows_cross_a_pipe_with_their_articles() -> None:
    police = next(a for a in load() if a.feed == "police")
    art = NewArticle(guid=police.guid, url=None, title=police.title, published=None)
    art.summary = police.text
    art.story_features = feature_row(police.title, police.text)
    (back,) = pickle.loads(pickle.dumps(article_list([art])))
    assert back.story_features == art.story_features


_TEXT = st.text(
    st.sampled_from(list("abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHIJKLMNOPÄÖÜ0123456789 .,:-()\n")),
    max_size=400,
)


@settings(max_examples=60, deadline=None)
@given(title=_TEXT, text=_TEXT)
def test_a_row_marshalled_gives_the_features_made_at_once(title: str, text: str) -> None:
    row = marshal.loads(marshal.dumps(feature_row(title, text)))
    assert _same(features_of_row(row), make_features(title, text))
