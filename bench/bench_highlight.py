"""What marking a search's hits in the open article costs (issue 16): the regular expression
of literal query words before, against the folded hits now (`text/search_highlight`), on a
long German article, the whole of it and the first chunk the pane renders when it opens
(the rest is marked a chunk at a time as the reader scrolls). Side by side in one run.

    python bench/bench_highlight.py
"""

from __future__ import annotations

import os
import platform
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_search_fold import best_of
from newsroom_tui.text.markdown_chunks import markdown_chunks
from newsroom_tui.text.search_highlight import highlight_markdown

PARAGRAPH = (
    "Das Grünflächenamt der Stadt Herne informiert über die Pflege der Parkanlage Nr. {n}: "
    "Ab Montag werden im Bezirk {n} Hecken geschnitten, Bäume kontrolliert und die Wege "
    "ausgebessert. Das Bürgerbüro Wanne nimmt Hinweise unter [Mängelmelder {n}]"
    "(https://www.herne.example/maengel/{n}) entgegen; Rückfragen beantwortet Jördis Kühn, "
    "Telefon 02323 16-{n}. Straßensperrungen gibt es keine, die Müllabfuhr fährt wie gewohnt."
)


def old_highlight(markdown: str, search: str) -> str:
    """The highlighting of 42db60a: the query's literal words (no folding), any case."""
    words = [re.escape(word) for word in search.split() if len(word) > 1]
    if not words:
        return markdown
    pattern = re.compile(rf"(?<![\w/.:=#?&%-])(?:{'|'.join(words)})\w*", re.IGNORECASE)
    parts = re.split(r"(`[^`]*`|\]\([^)]*\)|<[^>]*>)", markdown)
    for index in range(0, len(parts), 2):
        parts[index] = pattern.sub(lambda m: f"**{m.group(0)}**", parts[index])
    return "".join(parts)


def best_ms(run, repeat: int = 7) -> float:
    return best_of(run, repeat) * 1000


def main() -> int:
    article = "\n\n".join(PARAGRAPH.format(n=n) for n in range(1000))
    first = markdown_chunks(article)[0]
    print("### Marking search hits in the article\n")
    print(
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python bench/bench_highlight.py`; "
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}. "
        f"Article of {len(article) / 1000:.0f} KB ({len(article.split())} words, 1,000 "
        f"paragraphs); the first chunk {len(first) / 1000:.1f} KB. Best of 7.\n"
    )
    print("| Query | before: literal words, whole article | now: folded, whole article |"
          " now: first chunk (on open) |")  # fmt: skip
    print("|---|---:|---:|---:|")
    for query in ("gruenflaechenamt", "Grünflächenamt", "buergerbuero kuehn", "xylophon"):
        old = best_ms(lambda q=query: old_highlight(article, q))
        new = best_ms(lambda q=query: highlight_markdown(article, q))
        chunk = best_ms(lambda q=query: highlight_markdown(first, q))
        hits_old = old_highlight(article, query).count("**") // 2
        hits_new = highlight_markdown(article, query).count("**") // 2
        print(f"| `{query}` ({hits_old} / {hits_new} hits marked) | {old:.1f} ms |"
              f" {new:.1f} ms | {chunk:.2f} ms |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
