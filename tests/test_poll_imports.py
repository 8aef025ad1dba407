"""The poll's main process imports no parser or extractor: those run in the workers."""

from __future__ import annotations

import json
import subprocess
import sys

_PROBE = """
import json, sys
import newsroom_tui.cli, newsroom_tui.commands.fetch, newsroom_tui.ingest.poller
import newsroom_tui.ingest.account_poll  # what `newsroom fetch` runs (poll_all)
print(json.dumps(sorted(m for m in ("feedparser", "lxml", "trafilatura", "newsroom_tui.extract",
                                   "newsroom_tui.parse.registry") if m in sys.modules)))
"""


def test_fetch_imports_no_feed_parser_nor_extractor() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(out.stdout) == []


def test_httpcore_finds_sniffio() -> None:
    """httpcore imports sniffio inside every request's lock set-up: when it is missing,
    each import fails anew and searches every entry of sys.path (measured: a quarter of
    the CPU of a re-poll of 300 unchanged feeds)."""
    import importlib.util

    assert importlib.util.find_spec("sniffio") is not None
