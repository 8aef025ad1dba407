"""How many lines of the article list the reader draws per `j` (headless, 130x40).

    cd /tmp && python /path/to/bench/bench_list_lines.py CACHE_DIR

Runs the reader in Textual's Pilot on a copy of the cache in CACHE_DIR, counts the article
list's `render_line` calls over 20 presses of `j` and prints the count per press. It imports
`newsroom_tui` from the interpreter that runs it (not from this file's tree), so each side's
venv measures its own checkout. A count, not a time: it holds on a busy machine.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

PRESSES = 20


async def lines_per_key(cache: Path) -> float:
    from textual.strip import Strip

    import newsroom_tui
    from newsroom_tui.store import open_store
    from newsroom_tui.ui.app import NewsroomApp
    from newsroom_tui.ui.widgets.article_list import ArticleList

    print(f"newsroom_tui from {Path(newsroom_tui.__file__).parent}")
    drawn = 0
    draw = ArticleList.render_line

    def counted(self: ArticleList, y: int) -> Strip:
        nonlocal drawn
        drawn += 1
        return draw(self, y)

    ArticleList.render_line = counted  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-lines-") as tmp:
        shutil.copy(cache / "newsroom.sqlite3", tmp)
        store = open_store(Path(tmp))
        app = NewsroomApp(store, poll_on_start=False)
        async with app.run_test(size=(130, 40)) as pilot:
            for _ in range(20):  # the first frame, the rows and the counts
                await pilot.pause(0.1)
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            drawn = 0
            for _ in range(PRESSES):
                await pilot.press("j")
                await pilot.pause(0.15)
        store.close()
    return drawn / PRESSES


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    print(f"article-list lines drawn per j: {asyncio.run(lines_per_key(Path(sys.argv[1]))):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
