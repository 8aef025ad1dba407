"""An article body on screen: Textual's Markdown widget against Rich rendered into a
line-API widget (``ArticleBody``), side by side in one run.

    python bench/bench_article_render.py [--runs 7] [--width 76]

A headless app 120x40 shows bodies of a press release's size and longer ones, first as the
reader shows them (the first chunk of ``markdown_chunks``) and whole; each side times from
the call until the frame after it is drawn (``Markdown.update`` awaited, the line widget
asked for its lines and refreshed). "lines, again": the same body once more (its rendered
lines are kept). Medians in ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from newsroom_tui.text.markdown_chunks import markdown_chunks
from newsroom_tui.ui import markdown_lines
from newsroom_tui.ui.widgets.article_body import ArticleBody

PARAGRAPH = (
    "Die **Stadt Herne** hat am Montag das neue [Förderprogramm](https://www.herne.example/f)"
    " für Bürgerinnen und Bürger vorgestellt. Anträge nimmt das Bürgerbüro Wanne entgegen;"
    " die Öffnungszeiten bleiben unverändert, Montag bis Freitag von 8 bis 16 Uhr."
)


def body(paragraphs: int, tag: str) -> str:
    blocks = []
    for n in range(paragraphs):
        if n % 6 == 0:
            blocks.append(f"## Abschnitt {n // 6 + 1} {tag}")
        blocks.append(f"{PARAGRAPH} ({tag} {n})")
        if n % 9 == 4:
            blocks.append("- Ort: Stadtteilzentrum Pluto\n- Zeit: 10 Uhr\n- Eintritt frei")
    return "\n\n".join(blocks)


class Bench(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="md"):
            yield Markdown("", open_links=False)
        with VerticalScroll(id="lines"):
            yield ArticleBody()


async def measure(runs: int, width: int) -> list[tuple[str, float, float, float]]:
    app = Bench()
    rows = []
    async with app.run_test(size=(width, 40)) as pilot:
        md = app.query_one(Markdown)
        lines = app.query_one(ArticleBody)
        lines.use_renderer(markdown_lines.render_markdown)
        app.query_one("#lines").display = False
        for name, paragraphs in (("press release", 6), ("long", 60), ("very long", 400)):
            for whole in (False, True):
                times: dict[str, list[float]] = {"md": [], "lines": [], "again": []}
                for run in range(runs):
                    text = body(paragraphs, f"r{run}")
                    shown = text if whole else markdown_chunks(text)[0]
                    app.query_one("#md").display, app.query_one("#lines").display = True, False
                    await pilot.pause()
                    start = time.perf_counter()
                    await md.update(shown)
                    await pilot.pause()
                    times["md"].append(time.perf_counter() - start)
                    app.query_one("#md").display, app.query_one("#lines").display = False, True
                    await pilot.pause()
                    for key in ("lines", "again"):
                        start = time.perf_counter()
                        lines.show([shown])
                        await pilot.pause()
                        times[key].append(time.perf_counter() - start)
                        lines.show([])
                        await pilot.pause()
                label = f"{name}, {'whole' if whole else 'first chunk'} ({len(shown):,} chars)"
                median = statistics.median
                rows.append(
                    (
                        label,
                        median(times["md"]) * 1000,
                        median(times["lines"]) * 1000,
                        median(times["again"]) * 1000,
                    )
                )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--width", type=int, default=76)
    args = parser.parse_args(argv)
    rows = asyncio.run(measure(args.runs, args.width))
    print(f"{'body':48} {'Markdown widget':>16} {'lines':>8} {'lines, again':>13}  (ms)")
    for label, md, lines, again in rows:
        print(f"{label:48} {md:16.1f} {lines:8.1f} {again:13.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
