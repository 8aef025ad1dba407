"""Story matching: pair precision and recall on the labelled week of Ruhr-area news, and the
cost of matching per article on a long stream.

    .venv/bin/python bench/bench_stories.py [--copies 56] [--trace]

The labelled set is tests/fixtures/stories/*.json (tests/story_set.py reads it): five feeds
(police, city, paper, radio, wire), 90 articles: 19 stories told two to seven times, 18
look-alike decoys, 8 updates. It is split into two fixed halves by the SHA-1 of each story's
family (a decoy is in the family of the story it mimics, so look-alikes meet): half A (65
articles) is the one the matcher was tuned on, half B (25) the other. Each half is matched on
its own, in order of publication, and the whole set once more.

- Pairs: two articles of one story (label) are a true pair. A pair is "hard" when either
  article is a retelling, a wire rewrite or an update, "easy" otherwise (release, verbatim
  reprint, trimmed reprint, built on). Precision: of the pairs put in one story, the share
  that are true; recall: of the true pairs, the share put in one story.
- Decoys merged: pairs put in one story of which one article is a decoy and the other is of
  another story (must be 0).
- Updates linked as update: labelled updates put in their story with the relation "update";
  false updates: articles given "update" that are no update.
- Cost: a stream of ``copies`` x the week (5,040 articles with 56 copies), each copy shifted
  by 6 hours and with its numbers, people and streets changed, so the 48-hour window holds
  several hundred articles; CPU milliseconds per assigned article (median of 3 runs). The
  stream's own pair scores count two copies of one story as two stories: copies that differ
  only in plain numbers (not times, ages, dates, streets or people) are put together.
- Cold poll (``--farm-feeds N``, 0: not run): the feed farm (bench/feed_farm.py) with every
  item dated within the 48 hours before the poll (the newest when the farm starts, 25 minutes
  apart), so every article is compared; ``newsroom fetch --json`` into two fresh caches, once
  as it is and once with the stories off (each article alone, as before stories), taking
  turns ``--rounds`` times. Wall, CPU of the process tree and of the newsroom process.
  ``--before ROOT``: also the newsroom of another checkout (a copy of main), stories off and
  on, in the same turns. Each runs from its checkout's sources (its worker processes too:
  ``PYTHONPATH``), not the ``newsroom`` on PATH.

    .venv/bin/python bench/bench_stories.py --farm-feeds 1000 --farm-items 100
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import re
import statistics
import sys
import time
from collections import defaultdict
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsroom_tui.stories import StoryArticle, StoryIndex
from tests.story_set import LabelledArticle, load


def assign_all(
    articles: list[LabelledArticle],
) -> tuple[dict[str, object], dict[str, str], dict[str, str]]:
    """Each article's story id, the reason for it, and its relation."""
    index = StoryIndex()
    story: dict[str, object] = {}
    reason: dict[str, str] = {}
    relation: dict[str, str] = {}
    for a in sorted(articles, key=lambda a: a.published):
        decision = index.assign(
            StoryArticle(a.guid, a.feed, a.title, a.text, datetime.fromisoformat(a.published))
        )
        story[a.guid] = decision.story_id
        relation[a.guid] = decision.relation
        reason[a.guid] = f"{decision.relation} {decision.matched_article_id} {decision.reason}"
    return story, reason, relation


def pair_scores(articles: list[LabelledArticle], story: dict[str, object]) -> dict[str, float]:
    counts: dict[str, int] = defaultdict(int)
    for a, b in combinations(articles, 2):
        kind = "hard" if "hard" in (a.pair, b.pair) else "easy"
        same_label = a.story == b.story
        same_predicted = story[a.guid] == story[b.guid]
        counts[f"{kind} true"] += same_label
        counts[f"{kind} predicted"] += same_predicted
        counts[f"{kind} right"] += same_label and same_predicted
        if same_predicted and not same_label and (a.decoy or b.decoy):
            counts["decoys merged"] += 1
    out: dict[str, float] = {"decoys merged": counts["decoys merged"]}
    for kind in ("easy", "hard"):
        right = counts[f"{kind} right"]
        out[f"{kind} pairs"] = counts[f"{kind} true"]
        out[f"{kind} precision"] = right / counts[f"{kind} predicted"] if right else 0.0
        out[f"{kind} recall"] = right / counts[f"{kind} true"] if counts[f"{kind} true"] else 1.0
    predicted = counts["easy predicted"] + counts["hard predicted"]
    right = counts["easy right"] + counts["hard right"]
    out["precision"] = right / predicted if predicted else 1.0
    return out


def quality(articles: list[LabelledArticle], trace: bool) -> dict[str, dict[str, float]]:
    rows = {}
    for half in ("A", "B", "all"):
        part = [a for a in articles if half in ("all", a.half)]
        story, reason, relation = assign_all(part)
        rows[half] = {"articles": len(part), **pair_scores(part, story)}
        first = {}
        for a in sorted(part, key=lambda a: a.published):
            first.setdefault(a.story, a.guid)
        updates = [a for a in part if a.relation == "update"]
        rows[half]["updates"] = len(updates)
        rows[half]["updates linked"] = sum(
            relation[a.guid] == "update" and story[a.guid] == story[first[a.story]] for a in updates
        )
        rows[half]["false updates"] = sum(
            relation[a.guid] == "update" and a.relation != "update" for a in part
        )
        if trace and half == "all":
            for a in sorted(part, key=lambda a: a.published):
                print(
                    f"{a.half} {a.story:4} {a.kind:9} {a.feed:6} {a.guid[-8:]:>8} "
                    f"-> {str(story[a.guid])[-8:]:>8}  {reason[a.guid]}"
                )
    return rows


_NUMBER = re.compile(r"\d+")
_STREET = re.compile(r"\b([A-ZÄÖÜ][\wäöüß-]*?(?:er )?)(straße|Straße)\b")
_PERSON = re.compile(r"\b([A-ZÄÖÜ][a-zäöüß]{2,}) ([A-ZÄÖÜ])\.")
_PREFIXES = (
    "Linden",
    "Rosen",
    "Birken",
    "Eichen",
    "Kirch",
    "Schul",
    "Garten",
    "Berg",
    "Wald",
    "Feld",
    "Mühlen",
    "Markt",
    "Hafen",
    "Brunnen",
    "Ahorn",
    "Buchen",
)


def stream(articles: list[LabelledArticle], copies: int) -> list[StoryArticle]:
    """``copies`` versions of the week, each 6 hours later than the one before, with every
    number (but years), street and person of a copy changed alike (so a copy's versions
    still agree, and two copies of one story are look-alikes that differ in their facts)."""
    out = []
    for k in range(copies):
        shift = timedelta(hours=6 * k)
        numbers: dict[str, str] = {}
        streets: dict[str, str] = {}

        def number(m: re.Match[str], numbers: dict[str, str] = numbers, k: int = k) -> str:
            n = m[0]
            if k and n not in numbers:
                numbers[n] = (
                    str((int(n) + 37 * k) % 10 ** len(n)).zfill(len(n)) if len(n) < 4 else n
                )
            return numbers.get(n, n)

        def street(m: re.Match[str], streets: dict[str, str] = streets, k: int = k) -> str:
            if k and m[1] not in streets:
                prefix = _PREFIXES[k % len(_PREFIXES)] + _PREFIXES[k // len(_PREFIXES)].lower()
                streets[m[1]] = prefix + m[1].lower()
            return streets.get(m[1], m[1]) + m[2]

        def change(text: str, k: int = k) -> str:
            text = _NUMBER.sub(number, text)
            text = _STREET.sub(street, text)
            return _PERSON.sub(lambda m: f"{m[1]} {chr(65 + (ord(m[2]) + k) % 26)}.", text)

        for a in articles:
            published = datetime.fromisoformat(a.published) + shift
            out.append(
                StoryArticle(f"{k}/{a.guid}", a.feed, change(a.title), change(a.text), published)
            )
    return sorted(out, key=lambda a: a.published)


def cost(articles: list[LabelledArticle], copies: int) -> dict[str, float]:
    """Milliseconds per article over the stream, the articles the window holds, and the
    stream's pair scores (a copy's story is its own label: copies are look-alikes)."""
    items = stream(articles, copies)
    runs = []
    window = []
    story: dict[str, object] = {}
    for _ in range(3):
        index = StoryIndex()
        start = time.process_time()
        for i, item in enumerate(items):
            story[str(item.id)] = index.assign(item).story_id
            if i % 100 == 99:
                window.append(len(index))
        runs.append((time.process_time() - start) / len(items) * 1000)
    by_guid = {a.guid: a for a in articles}
    labelled = []
    for item in items:
        k, guid = str(item.id).split("/", 1)
        a = by_guid[guid]
        labelled.append(dataclasses.replace(a, guid=str(item.id), story=f"{k}/{a.story}"))
    scores = pair_scores_sparse(labelled, story)
    return {
        "articles": len(items),
        "window": statistics.median(window),
        "ms per article": statistics.median(runs),
        **scores,
    }


def pair_scores_sparse(articles: list[LabelledArticle], story: dict[str, object]) -> dict:
    """Pair precision and recall without looking at every pair of a long stream."""
    by_label: dict[str, list[str]] = defaultdict(list)
    by_predicted: dict[object, list[LabelledArticle]] = defaultdict(list)
    for a in articles:
        by_label[a.story].append(a.guid)
        by_predicted[story[a.guid]].append(a)
    true = sum(len(g) * (len(g) - 1) // 2 for g in by_label.values())
    predicted = right = decoys = 0
    for group in by_predicted.values():
        for a, b in combinations(group, 2):
            predicted += 1
            if a.story == b.story:
                right += 1
            elif a.decoy or b.decoy:
                decoys += 1
    return {
        "stream precision": right / predicted if predicted else 1.0,
        "stream recall": right / true if true else 1.0,
        "stream decoys merged": decoys,
    }


# ``newsroom`` of the checkout at {root}; with the stories off the poll gives its store no
# story assigner
RUN_NEWSROOM = (
    "import sys; sys.path.insert(0, {root!r}); {off}"
    "from newsroom_tui.cli import main; sys.exit(main(sys.argv[1:]))"
)
STORIES_OFF = (
    "import newsroom_tui.ingest.poller as poller; "
    "poller.attach_stories = lambda store, now=None: None; "
)
HERE = str(Path(__file__).resolve().parent.parent)


def newsroom_of(root: str, *, stories: bool = True) -> list[str]:
    """The command that runs ``newsroom`` from the sources at ``root``."""
    return [
        sys.executable,
        "-c",
        RUN_NEWSROOM.format(root=root, off="" if stories else STORIES_OFF),
    ]


def env_of(root: str) -> dict[str, str]:
    """The environment that runs ``newsroom`` from the sources at ``root``: its worker
    processes too (the fork server imports the package from its path, not from our ``-c``)."""
    import os

    return {**os.environ, "PYTHONPATH": root}


def cold_polls(
    feeds: int, items: int, rounds: int, before: str | None = None
) -> list[tuple[str, object, int, int]]:
    """(label, run, articles stored, articles put in a story of others) of each cold poll;
    with ``before`` (another checkout's root) that one's stories too, in the same turns."""
    import sqlite3
    import tempfile

    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    from bench_poll import Newsroom, measure, subscribe
    from feed_farm import FarmConfig, FarmProcess

    found: list[tuple[str, object, int, int]] = []
    config = FarmConfig(feeds=feeds, items=items, spacing_minutes=25)
    commands = [("stories off", HERE, newsroom_of(HERE, stories=False))]
    if before:
        commands.append(("stories off, before", before, newsroom_of(before, stories=False)))
        commands.append(("stories on, before", before, newsroom_of(before)))
    commands.append(("stories on", HERE, newsroom_of(HERE)))
    with tempfile.TemporaryDirectory() as tmp, FarmProcess(config) as farm:
        urls = farm.feed_urls()
        for n in range(rounds):
            for label, root, command in commands:
                data = Path(tmp) / f"{label.replace(' ', '-').replace(',', '')}-{n}"
                # subscribed by the same checkout (the cache's schema is its own)
                subscribe(data, urls, Newsroom(label, Path(root)))
                # from the data directory: the fork server puts the directory it starts in
                # first on its path, before PYTHONPATH
                run = measure(
                    [*command, "--data-dir", str(data), "fetch", "--json"],
                    env=env_of(root),
                    cwd=data,
                )
                conn = sqlite3.connect(data / "newsroom.sqlite3")
                stored, joined = conn.execute(
                    "SELECT COUNT(*), SUM(story_relation <> 'new') FROM articles"
                ).fetchone()
                conn.close()
                found.append((label, run, stored, joined or 0))
                if not stored:  # the poll failed: say why
                    print(run.stdout[:600], run.stderr[-600:], flush=True)  # type: ignore[attr-defined]
                print(
                    f"{label}: {run.wall:.2f} s wall, {run.cpu_s:.1f} s CPU "  # type: ignore[attr-defined]
                    f"({run.main_cpu_s:.1f} s newsroom), {stored} articles, {joined} in a "  # type: ignore[attr-defined]
                    "story of others",
                    flush=True,
                )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=56)
    parser.add_argument("--trace", action="store_true", help="print every decision")
    parser.add_argument("--farm-feeds", type=int, default=0, help="cold poll of the farm")
    parser.add_argument("--farm-items", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--only-farm", action="store_true", help="the cold poll alone")
    parser.add_argument(
        "--before", help="another checkout's root: its cold poll with stories, side by side"
    )
    args = parser.parse_args()
    if args.farm_feeds:
        runs = cold_polls(args.farm_feeds, args.farm_items, args.rounds, args.before)
        print(
            "\n| cold poll | wall | CPU (tree) | CPU (newsroom) | articles | in a story of others |"
        )
        print("|---|---|---|---|---|---|")
        for label, run, stored, joined in runs:
            print(
                f"| {label} | {run.wall:.2f} s | {run.cpu_s:.1f} s | "  # type: ignore[attr-defined]
                f"{run.main_cpu_s:.1f} s | {stored} | {joined} |"  # type: ignore[attr-defined]
            )
        if args.only_farm:
            return
    articles = load()
    digest = hashlib.sha1("".join(a.text for a in articles).encode()).hexdigest()[:10]
    print(
        f"labelled set: {len(articles)} articles, {len({a.story for a in articles})} "
        f"stories, text sha1 {digest}"
    )
    rows = quality(articles, args.trace)
    print(
        "| half | articles | easy pairs | easy P | easy R | hard pairs | hard P | hard R "
        "| P all | decoys merged | updates linked as update | false updates |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for half, r in rows.items():
        print(
            f"| {half} | {r['articles']} | {r['easy pairs']} | {r['easy precision']:.3f} "
            f"| {r['easy recall']:.3f} | {r['hard pairs']} | {r['hard precision']:.3f} "
            f"| {r['hard recall']:.3f} | {r['precision']:.3f} | {r['decoys merged']} "
            f"| {r['updates linked']}/{r['updates']} | {r['false updates']} |"
        )
    c = cost(articles, args.copies)
    print(
        f"\ncost: {c['articles']} articles, window holds ~{c['window']:.0f}, "
        f"{c['ms per article']:.3f} ms per article; the stream's pairs (copies are "
        f"look-alikes): precision {c['stream precision']:.3f}, recall "
        f"{c['stream recall']:.3f}, decoys merged {c['stream decoys merged']}"
    )


if __name__ == "__main__":
    main()
