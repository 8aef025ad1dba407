"""Regenerate the SVG screenshots in this folder from the test fixture cache (no network).

python screenshots/generate.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from newsroom_tui.ui.app import NewsroomApp  # noqa: E402
from tests.sample_cache import build_sample_cache, build_team_sample  # noqa: E402

# each screen wide (name.svg) and at 80x24 (name-80x24.svg: the list alone, Enter opens)
SIZES = {"": (140, 40), "-80x24": (80, 24)}
# name: keys pressed before the screenshot
SCREENS: dict[str, list[str]] = {
    "reader": ["j", "j", "j", "j", "j"],
    "credits": ["j", "j", "j", "j", "j", "enter", "end"],
    # typed in umlaut spelling; Enter keeps the search, Enter opens: the hits are marked
    "search": ["slash", *"joerdis", "space", *"kuehn", "enter", "enter"],
    "feeds": ["shift+tab", "down"],
    "help": ["question_mark"],
    "team": ["a", "j"],  # built by build_team_sample: colleagues' claims and a done article
}


async def shoot(name: str, keys: list[str], data_dir: Path, size: tuple[int, int]) -> Path:
    store = build_team_sample(data_dir) if name == "team" else build_sample_cache(data_dir)
    app = NewsroomApp(store, poll_on_start=False)
    app.read_delay = 0
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause(0.3)
        suffix = next(key for key, value in SIZES.items() if value == size)
        path = Path(app.save_screenshot(f"{name}{suffix}.svg", str(HERE)))
    store.close()
    return path


async def main() -> None:
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    for name, keys in SCREENS.items():
        for size in SIZES.values():
            with tempfile.TemporaryDirectory() as tmp:
                print(await shoot(name, keys, Path(tmp), size))


if __name__ == "__main__":
    asyncio.run(main())
