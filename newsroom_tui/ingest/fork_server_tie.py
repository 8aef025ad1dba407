"""Imported by the parse workers' fork server as its first preload, and by nothing else: it
ties the fork server's life to the newsroom's (see worker_lifetime.py)."""

from __future__ import annotations

import sys

from newsroom_tui.ingest.worker_lifetime import die_with_parent

# The fork server runs as ``python -c "from multiprocessing.forkserver import main; …"``. The
# check keeps an import from anywhere else (a test collecting every module) harmless.
if sys.argv[:1] == ["-c"] and "multiprocessing.forkserver" in sys.modules:
    die_with_parent()
