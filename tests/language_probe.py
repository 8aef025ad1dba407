"""Run the reader headless in this process's locale and print, as JSON, the text on screen
in each of its states: list with status line and footer, help (top and end), the confirm
and links dialogs, notices, the command palette, the pane's messages.

    LANG=de_DE.UTF-8 python -m tests.language_probe DATA_DIR de

The language is read from the environment at import, as when ``newsroom`` starts: a test
runs this in a subprocess under each locale (tests/test_ui_habits_language.py)."""

from __future__ import annotations

import asyncio
import html
import json
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsroom_tui.models import GalleryItem, NewArticle
from newsroom_tui.store import FeedUpdate, open_store
from newsroom_tui.ui.app import NewsroomApp

NOW = datetime.now(UTC).replace(microsecond=0)
CONTENT = {
    # the news is in the staff's language; the interface follows the locale
    "de": (
        "Stadt Herne – Presse",
        [
            "Vollsperrung der A43 zwischen Herne-Eickel und Bochum-Riemke",
            "Stadtbibliothek verlängert Öffnungszeiten",
            "Bürgerbüro Wanne wegen Umbau geschlossen",
        ],
        "Die Stadt Herne teilt mit: {title}. Mehr unter [Kontakt](https://www.herne.example/k).",
        ("Blick auf die Baustelle", "Stadt Herne"),
    ),
    "en": (
        "City of Herne – Press",
        [
            "Road closure on the A43 between Herne-Eickel and Bochum-Riemke",
            "City library extends its opening hours",
            "Citizens' office Wanne closed for rebuilding",
        ],
        "The city of Herne reports: {title}. More at [contact](https://www.herne.example/k).",
        ("View of the building site", "City of Herne"),
    ),
}


def fill(data_dir: Path, content: str) -> None:
    name, titles, body, (caption, credit) = CONTENT[content]
    store = open_store(data_dir)
    feed, _ = store.add_feed("https://www.herne.example/presse.rss", title=name)
    broken, _ = store.add_feed("https://www.herne.example/kaputt.rss", title=name + " 2")
    articles = [
        NewArticle(
            f"m{n}",
            f"https://www.herne.example/m{n}.html",
            title,
            NOW - timedelta(days=n),
            body_markdown=body.format(title=title),
            gallery=[GalleryItem(f"https://www.herne.example/b{n}.jpg", caption, credit)],
        )
        for n, title in enumerate(titles)
    ]
    store.save_feed_update(feed.id, FeedUpdate(polled_at=NOW, articles=articles))
    store.record_failure(broken.id, NOW, "HTTP 503")
    store.close()


def screen_text(app: NewsroomApp) -> str:
    """The screen as text, a line per row (from the SVG screenshot, whose runs of text are
    ``<text>`` elements with the row's ``y``)."""
    svg = app.export_screenshot()
    rows: dict[str, list[str]] = {}
    for y, text in re.findall(r'<text [^>]*y="([\d.]+)"[^>]*>([^<]*)</text>', svg):
        rows.setdefault(y, []).append(html.unescape(text).replace("\xa0", " "))
    return "\n".join("".join(parts) for _, parts in sorted(rows.items(), key=lambda r: float(r[0])))


async def probe(data_dir: Path) -> dict[str, str]:
    store = open_store(data_dir)
    app = NewsroomApp(store, poll_on_start=False, export_dir=data_dir)
    app.read_delay = 0
    app.browser_available = lambda: False  # type: ignore[method-assign]
    app.copy_to_clipboard = lambda text: None  # type: ignore[method-assign]
    # (what the screen is, the keys that lead there from the one before)
    steps = [
        ("list", ["U", "o"]),  # notices: nothing to undo; no browser
        ("narrowed", ["f", "slash", *"herne", "enter"]),  # filter: unread; a search
        ("nothing", ["escape", "escape", "f", "f"]),  # flagged: nothing matches
        ("help", ["f", "f", "question_mark"]),
        ("help end", ["end"]),
        ("confirm", ["escape", "A"]),
        ("marked", ["y", "U"]),
        ("links", ["u", "y"]),
        ("palette", ["escape", "ctrl+p"]),
        ("quit question", ["escape", "ctrl+c"]),  # Textual's hint how to quit
    ]
    shown: dict[str, str] = {}
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        for name, keys in [("start", []), *steps]:
            await pilot.press(*keys)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown[name] = screen_text(app)
        await pilot.press("escape")
    store.close()
    return shown


def main() -> int:
    data_dir, content = Path(sys.argv[1]), sys.argv[2]
    fill(data_dir, content)
    print(json.dumps(asyncio.run(probe(data_dir)), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
