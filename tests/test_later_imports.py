"""The reader's imports after its first frame run in threads one at a time: started
together, two of them once stopped the reader with Python's _DeadlockError."""

from __future__ import annotations

import asyncio
import threading
from types import ModuleType

import pytest

from newsroom_tui.ui import later_imports


def test_later_imports_never_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    active = 0
    most = 0
    count = threading.Lock()
    other_came = threading.Event()

    def slow_import(name: str) -> ModuleType:
        nonlocal active, most
        with count:
            active += 1
            most = max(most, active)
            if active > 1:
                other_came.set()
        # gives another import every chance to start meanwhile (it never may)
        other_came.wait(0.3)
        with count:
            active -= 1
        return ModuleType(name)

    monkeypatch.setattr(later_imports.importlib, "import_module", slow_import)

    async def both() -> list[ModuleType]:
        return await asyncio.gather(
            later_imports.import_later("first"), later_imports.import_later("second")
        )

    modules = asyncio.run(both())
    assert [m.__name__ for m in modules] == ["first", "second"]
    assert most == 1
