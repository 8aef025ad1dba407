"""The fetcher a poll uses: libcurl's (:mod:`newsroom_tui.net.curl_fetcher`) where pycurl is
installed and chosen, else the httpx one. Both keep the same rules and say the same lines."""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

from newsroom_tui.net.fetcher import Fetcher

# "curl" or "httpx": which fetcher polls use when pycurl can be imported. curl: under a third of
# the CPU per GET on the feed farm, and the same lines (bench/RESULTS.md, "Fetching with libcurl")
POLL_CLIENT = "curl"


def curl_available() -> bool:
    """pycurl is installed, and the event loop can watch its sockets (Windows' default loop
    cannot: it has no add_reader)."""
    return sys.platform != "win32" and importlib.util.find_spec("pycurl") is not None


def poll_fetcher(**settings: Any) -> Fetcher:
    """A new fetcher for a poll (the settings of :class:`Fetcher`)."""
    if POLL_CLIENT == "curl" and curl_available():
        try:
            from newsroom_tui.net.curl_fetcher import CurlFetcher
        except ImportError:  # a pycurl that does not load (its libcurl missing): httpx
            return Fetcher(**settings)
        return CurlFetcher(**settings)
    return Fetcher(**settings)
