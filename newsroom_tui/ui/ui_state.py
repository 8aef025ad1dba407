"""Small things the reader remembers between runs (the theme), in a JSON file beside the cache."""

from __future__ import annotations

import os
from pathlib import Path

UI_STATE_FILE = "ui-state.json"


class UiState:
    """Key/value memory; without a file (tests) it lasts for the run only. Never fails the UI:
    an unreadable or unwritable file is ignored."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._values: dict[str, str] = {}
        if path is not None:
            try:
                text = path.read_text("utf-8")
                import json  # once there is a file (the reader's start needs none)

                loaded = json.loads(text)
                if isinstance(loaded, dict):
                    self._values = {k: v for k, v in loaded.items() if isinstance(v, str)}
            except (OSError, ValueError):
                pass

    def get(self, key: str) -> str | None:
        return self._values.get(key)

    def set(self, key: str, value: str) -> None:
        if self._values.get(key) == value:
            return
        self._values[key] = value
        if self.path is None:
            return
        temporary = self.path.with_suffix(".tmp")
        import json

        try:
            temporary.write_text(json.dumps(self._values, indent=2), "utf-8")
            os.replace(temporary, self.path)
        except OSError:
            pass
