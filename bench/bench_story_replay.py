"""Story matching replayed as the poll runs it, beside another checkout: the same decisions,
and the CPU of each part per article.

    python bench/bench_story_replay.py --feeds 200 --items 100 --before DIR

Two streams: the feed farm's articles (bench/feed_farm.py, every item dated within the 48
hours before a fixed moment, 25 minutes apart; a feed's articles oldest first, feed after
feed, into an index that keeps by count, as a cold poll's) and the labelled week's stream
(`bench_stories.stream`, 20 copies: 1,800 articles, the window holding about 460). Each
article goes the poll's way: its feature row made as the worker makes it
(`add_feature_rows`), through the pickle that crosses the pipe, then the writer's
`features_of` and `StoryIndex.assign`. Each checkout runs in its own process from its own
sources (``PYTHONPATH``); the story id, relation and matched article of every article are
compared. CPU: the rows (worker), the crossing (pickle both ways) and the writer, per
article, the least of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

# run in the checkout's own process: prints {"farm": ..., "labelled": ...} as JSON
_REPLAY = """
import json, pickle, sys, time
from datetime import UTC, datetime, timedelta
root, feeds, items, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
sys.path[:0] = [root, root + "/bench"]
from feed_farm import Dating, make_item
import bench_stories
from newsroom_tui.ingest.article_rows import article_list
from newsroom_tui.models import NewArticle
from newsroom_tui.stories import StoryArticle, StoryIndex
from newsroom_tui.stories.features import add_feature_rows, features_of
from tests.story_set import load

dating = Dating(datetime(2026, 12, 7, 12, tzinfo=UTC), 25)
farm = []
for feed in range(feeds):
    made = [make_item(feed, i, dating=dating) for i in range(items)]
    for it in sorted(made, key=lambda it: (it.published, it.index)):
        farm.append((feed * 1000 + it.index, feed, it.title, " \\n ".join(it.paragraphs),
                     it.published))
week = [(a.id, a.feed, a.title, a.text, a.published) for a in bench_stories.stream(load(), 20)]

def run(stream, count_only):
    best = {}
    for _ in range(repeat):
        arts = [NewArticle(guid=str(i), url=None, title=t, published=p, body_markdown=x)
                for i, _, t, x, p in stream]
        t0 = time.process_time()
        add_feature_rows(arts)
        t1 = time.process_time()
        arts = pickle.loads(pickle.dumps(article_list(arts)))
        t2 = time.process_time()
        index = StoryIndex(count_only=count_only)
        seen = max(p for *_, p in stream) + timedelta(hours=1)
        decided = []
        for (i, f, _, _, _), art in zip(stream, arts):
            d = index.assign(StoryArticle.of_new_article(i, f, art, seen), features_of(art))
            decided.append((str(i), str(d.story_id), d.relation, str(d.matched_article_id)))
        t3 = time.process_time()
        for part, took in (("rows", t1 - t0), ("crossing", t2 - t1), ("writer", t3 - t2)):
            best[part] = min(best.get(part, took), took)
    n = len(stream)
    return {"decided": decided, **{part: 1000 * took / n for part, took in best.items()}}

print(json.dumps({"farm": run(farm, True), "labelled": run(week, False)}))
"""


def replay(root: Path, feeds: int, items: int, repeat: int) -> dict[str, dict[str, object]]:
    out = subprocess.run(
        [sys.executable, "-c", _REPLAY, str(root), str(feeds), str(items), str(repeat)],
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, dict[str, object]] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--before", help="another checkout's root, replayed beside this one")
    args = parser.parse_args()
    trees = [("now", HERE)]
    if args.before:
        trees.insert(0, ("before", Path(args.before).resolve()))
    found = {name: replay(root, args.feeds, args.items, args.repeat) for name, root in trees}
    print("| stream | tree | articles | put in a story of others | rows ms | crossing ms "
          "| writer ms | total ms |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for stream in ("farm", "labelled"):
        for name, _ in trees:
            r = found[name][stream]
            decided = r["decided"]
            assert isinstance(decided, list)
            parts = [float(r[p]) for p in ("rows", "crossing", "writer")]  # type: ignore[arg-type]
            joined = sum(d[2] != "new" for d in decided)
            print(
                f"| {stream} | {name} | {len(decided):,} | {joined:,} | {parts[0]:.3f} "
                f"| {parts[1]:.3f} | {parts[2]:.3f} | {sum(parts):.3f} |"
            )
        if args.before:
            a, b = found["before"][stream]["decided"], found["now"][stream]["decided"]
            assert isinstance(a, list) and isinstance(b, list)
            differ = sum(x != y for x, y in zip(a, b, strict=True))
            print(f"{stream}: decisions that differ between the trees: {differ} of {len(a):,}")


if __name__ == "__main__":
    main()
