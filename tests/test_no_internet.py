"""The tests' own rule, checked: no test reaches the internet. A name other than the
loopback's is not resolved in a test (tests/conftest.py), so a fixture's feed whose
articles link to real sites (the labelled week's presseportal.de and waz.de) gets no page
from there, whatever network the machine has."""

from __future__ import annotations

import asyncio
import socket

import pytest

from newsroom_tui.net.fetcher import Fetcher, FetchError


def test_only_loopback_names_are_resolved() -> None:
    with pytest.raises(socket.gaierror, match=r"Name or service not known: www\.waz\.de"):
        socket.getaddrinfo("www.waz.de", 443)
    assert socket.getaddrinfo("localhost", 80)
    assert socket.getaddrinfo("127.0.0.1", 80)


def test_an_article_page_on_a_real_site_is_never_fetched() -> None:
    async def fetch() -> None:
        async with Fetcher() as fetcher:
            await fetcher.get(
                "https://www.presseportal.de/blaulicht/pm/11530/5641059", named_by_content=True
            )

    with pytest.raises(FetchError) as failed:
        asyncio.run(fetch())
    assert "www.presseportal.de" in str(failed.value)
