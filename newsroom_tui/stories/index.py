"""The candidate index: the articles of the last hours, filed under their shingles, content
words and facts, so that a new article finds the few that share its rare keys without a
scan of the window, and old articles leave it as time moves on."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable
from datetime import datetime, timedelta

# a key filed under more articles than this says nothing of the story (a template's
# sentence, "polizei"); it is not looked at. Content words ("w:…") are commoner than shingles
COMMON = 40
COMMON_WORD = 12


class CandidateIndex:
    def __init__(self, window: timedelta) -> None:
        self.window = window
        self._postings: dict[str, set[Hashable]] = defaultdict(set)
        self._keys: dict[Hashable, tuple[str, ...]] = {}
        self._published: dict[Hashable, datetime] = {}
        self._by_time: list[tuple[datetime, int, Hashable]] = []
        self._added = 0
        self._newest: datetime | None = None

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, entry: Hashable) -> bool:
        return entry in self._keys

    def add(self, entry: Hashable, published: datetime, keys: Iterable[str]) -> list[Hashable]:
        """File ``entry``; the entries that left the window with it (maybe itself)."""
        if entry in self._keys:
            self.remove(entry)
        keys = tuple(dict.fromkeys(keys))
        self._keys[entry] = keys
        self._published[entry] = published
        for key in keys:
            self._postings[key].add(entry)
        self._added += 1
        heapq.heappush(self._by_time, (published, self._added, entry))
        if self._newest is None or published > self._newest:
            self._newest = published
        return self._evict()

    def remove(self, entry: Hashable) -> None:
        for key in self._keys.pop(entry, ()):
            posting = self._postings.get(key)
            if posting is not None:
                posting.discard(entry)
                if not posting:
                    del self._postings[key]
        self._published.pop(entry, None)

    def document_frequency(self, key: str) -> int:
        posting = self._postings.get(key)
        return len(posting) if posting else 0

    def candidates(self, keys: Iterable[str], published: datetime, limit: int) -> list[Hashable]:
        """The entries within the window of ``published`` that share the most rare keys with
        ``keys`` (each shared key counts 1/its frequency), best first, at most ``limit``."""
        scores: dict[Hashable, float] = defaultdict(float)
        for key in set(keys):
            posting = self._postings.get(key)
            if not posting or len(posting) > (COMMON_WORD if key[:2] == "w:" else COMMON):
                continue
            weight = 1.0 / len(posting)
            for entry in posting:
                scores[entry] += weight
        window = self.window
        near = [
            (score, entry)
            for entry, score in scores.items()
            if abs(self._published[entry] - published) <= window
        ]
        return [entry for _, entry in heapq.nlargest(limit, near, key=lambda pair: pair[0])]

    def _evict(self) -> list[Hashable]:
        """Drop the entries older than the window before the newest article: no article can
        still come that is near them (one older than that has nothing left to match)."""
        assert self._newest is not None
        horizon = self._newest - self.window
        by_time = self._by_time
        gone = []
        while by_time and by_time[0][0] < horizon:
            _, _, entry = heapq.heappop(by_time)
            if self._published.get(entry) is not None and self._published[entry] < horizon:
                self.remove(entry)
                gone.append(entry)
        return gone
