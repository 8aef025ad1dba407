"""Modules the reader imports after its first frame, in a thread so that the event loop
never waits for them: the Markdown renderer, the article bodies' extractor, the poller.

They are imported one at a time. Started together, their threads imported shared packages
first in different orders (a package and the submodule its ``__init__`` imports), and
Python 3.11 stops one of them with a _DeadlockError, which ends the reader at start."""

from __future__ import annotations

import asyncio
import importlib
import threading
from types import ModuleType

_ONE_AT_A_TIME = threading.Lock()


def _import(name: str) -> ModuleType:
    with _ONE_AT_A_TIME:
        return importlib.import_module(name)


async def import_later(name: str) -> ModuleType:
    """The module ``name``, imported in a thread, after any other such import is done."""
    return await asyncio.to_thread(_import, name)
