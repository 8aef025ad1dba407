"""What the reader's first frame needs, and nothing the first frame does not: the sync's
records, the watchlists' alerts, the extractor, the parsers, the network clients, the
other commands and the search field are imported where they are used, after the start; so
are the records of watchlists and stories, the address and selector rules of the config
file, and json (a command's output, the reader's remembered theme)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Imports what `newsroom` imports before its first frame and opens (creates) the cache, then
# sets an article read and flagged as a key would (the first use of the sync's records).
_PROBE = """
import sys
from pathlib import Path
import newsroom_tui.cli, newsroom_tui.ui.app, newsroom_tui.ui.screens.reader
from newsroom_tui.store import open_store
NOT_AT_START = ("newsroom_tui.sync_records", "newsroom_tui.sync", "newsroom_tui.watch",
         "newsroom_tui.extract", "newsroom_tui.ingest", "newsroom_tui.net.fetcher",
         "feedparser", "lxml", "trafilatura", "httpx", "pycurl", "psycopg",
         "newsroom_tui.commands.articles", "newsroom_tui.commands.subscriptions",
         "newsroom_tui.commands.config_command", "newsroom_tui.config_text",
         "hashlib", "shlex", "newsroom_tui.ui.widgets.search_box",
         "json", "newsroom_tui.watch_records", "newsroom_tui.store.story_records",
         "newsroom_tui.net.address_policy", "newsroom_tui.sources",
         "newsroom_tui.store.scan_rows", "newsroom_tui.store.page_retries",
         "newsroom_tui.ui.failure_text")
store = open_store(Path(sys.argv[1]))
at_start = sorted(m for m in NOT_AT_START if m in sys.modules)
store.set_read(1)
store.set_flagged(1)
import json  # (the probe's own output: after the start's modules are looked at)
print(json.dumps([at_start, "newsroom_tui.sync_records" in sys.modules]))
"""


def test_start_imports_no_sync_records_parser_nor_client(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    at_start, after_keys = json.loads(out.stdout)
    assert at_start == []
    assert after_keys  # read and flag still queue their change for the sync


def test_html_is_imported_on_the_main_thread_before_the_readers_threads() -> None:
    """The package ``html`` and its ``html.entities`` are imported in the other order by two
    of the reader's threads at start (Markdown's entities, a body's unescaping); on Python
    3.11 that ends the reader with a _DeadlockError now and then (seen in tmux, links dialog
    test). Imported with the app, on the main thread, neither thread imports it first."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, newsroom_tui.ui.app; print('html.entities' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.strip() == "True"


def test_an_unsearched_article_is_shown_without_the_query_parser() -> None:
    """The first frame's article is shown with no search: its hits are none without the
    query language's parser being imported (5 ms of the first frame's CPU after App.run)."""
    probe = (
        "import sys\n"
        "from newsroom_tui.text.search_highlight import highlight_markdown, hit_spans\n"
        "from newsroom_tui.text.search_text import marked_words\n"
        "text = 'Die Stadt Herne sperrt die Bahnhofstraße.'\n"
        "shown = highlight_markdown(text, ''), hit_spans(' ', text), marked_words('')\n"
        "print(shown == (text, [], ([], [])), 'newsroom_tui.text.search_query' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.split() == ["True", "False"]
