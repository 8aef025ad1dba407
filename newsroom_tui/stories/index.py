"""The candidate index: the articles of the last hours, filed under their shingles, content
words and facts, so that a new article finds the few that share its rare keys without a
scan of the window, and old articles leave it as time moves on."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable
from datetime import UTC, datetime, timedelta

# a key filed under more articles than this says nothing of the story (a template's
# sentence, "Bochum"); it is not looked at
COMMON = 40
# at most this many articles are kept, the oldest leave first (a cold poll of a thousand
# feeds can bring more within 48 hours): about 21 KB each for a text of 100 words
MOST = 10_000
# a shared key counts this much divided by the articles filed under it: whole numbers, so
# a sum does not depend on the order it is taken in
_SHARE = 720_720
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _instant(moment: datetime) -> int:
    """``moment`` (with a time zone) as microseconds since 1970, exactly: times of
    different zones compare as whole numbers, without their offsets looked up each time."""
    return (moment - _EPOCH) // _MICROSECOND


class CandidateIndex:
    def __init__(self, window: timedelta, most: int = MOST, *, count_only: bool = False) -> None:
        self.window = window
        self.most = most
        # how long before the newest article one is kept; None (``count_only``): until
        # ``most`` newer ones push it out (a poll's index: feeds bring weeks, in no order)
        self.keep: timedelta | None = None if count_only else window
        # the articles filed under each key, in the order they came (a dict: an article
        # leaves a key's thousands at once, where a list was searched for it)
        self._postings: dict[int, dict[Hashable, None]] = defaultdict(dict)
        self._keys: dict[Hashable, tuple[int, ...]] = {}
        self._published: dict[Hashable, int] = {}  # as _instant
        self._stamp: dict[Hashable, int] = {}  # which entry of _by_time is the article's
        # (published as _instant, stamp, entry): whole numbers compare faster than times of
        # a zone, in the same order
        self._by_time: list[tuple[int, int, Hashable]] = []
        self._added = 0
        self._newest: int | None = None  # as _instant

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, entry: Hashable) -> bool:
        return entry in self._keys

    def add(self, entry: Hashable, published: datetime, keys: Iterable[int]) -> list[Hashable]:
        """File ``entry``; the entries that left the window with it (maybe itself)."""
        if entry in self._keys:
            self.remove(entry)
        keys = tuple(dict.fromkeys(keys))
        self._keys[entry] = keys
        at = self._published[entry] = _instant(published)
        postings = self._postings
        for key in keys:
            postings[key][entry] = None
        self._added += 1
        self._stamp[entry] = self._added
        heapq.heappush(self._by_time, (at, self._added, entry))
        if self._newest is None or at > self._newest:
            self._newest = at
        return self._evict()

    def remove(self, entry: Hashable) -> None:
        for key in self._keys.pop(entry, ()):
            posting = self._postings.get(key)
            if posting is not None:
                del posting[entry]
                if not posting:
                    del self._postings[key]
        self._published.pop(entry, None)
        self._stamp.pop(entry, None)

    def candidates(
        self, keys: Iterable[int], published: datetime, limit: int, most: int = COMMON
    ) -> tuple[list[Hashable], set[int]]:
        """The entries within the window of ``published`` that share the most rare keys with
        ``keys`` (each shared key counts 1/its frequency), best first, at most ``limit``; of
        equal ones, the one taken in first. And those of ``keys`` filed under more than
        ``most`` articles (a source's boilerplate), found in the same pass."""
        # each shared key counts _SHARE // its articles; whole numbers, so the sum does not
        # depend on the order it is taken in. The keys filed at all (most of an article's word
        # sequences are its own) are found in C
        postings = self._postings
        scores: dict[Hashable, int] = {}
        common: set[int] = set()
        get = scores.get
        for key in postings.keys() & keys:
            posting = postings[key]
            length = len(posting)
            if length > most:
                common.add(key)
            if length <= COMMON:
                weight = _SHARE // length
                for entry in posting:
                    scores[entry] = get(entry, 0) + weight
        # within the window: compared as whole numbers, not as a difference of times; not
        # looked at one by one when every article kept is within it (the oldest filed, maybe
        # gone since, and the newest ever are)
        at_new, window = _instant(published), self.window // _MICROSECOND
        earliest, latest = at_new - window, at_new + window
        by_time, newest = self._by_time, self._newest
        if not (by_time and newest is not None and by_time[0][0] >= earliest and newest <= latest):
            at = self._published
            scores = {
                entry: score for entry, score in scores.items() if earliest <= at[entry] <= latest
            }
        if limit <= 0 or not scores:
            return [], common
        # only an entry scoring at least the limit-th best score can be among the best
        floor = sorted(scores.values(), reverse=True)[min(limit, len(scores)) - 1]
        stamp = self._stamp
        # (score, -stamp): equal scores, the article taken in first; stamps differ, so the
        # entries themselves are never compared
        near = [(score, -stamp[entry], entry) for entry, score in scores.items() if score >= floor]
        return [entry for _, _, entry in heapq.nlargest(limit, near)], common

    def trim(self) -> list[Hashable]:
        """Drop the entries older than the window before the newest article, even in an
        index that keeps by count (a poll's, kept for the next poll); those that went."""
        return self._evict(self.window) if self._newest is not None else []

    def _evict(self, keep: timedelta | None = None) -> list[Hashable]:
        """Drop the entries older than ``keep`` (the window) before the newest article (no
        article can still come that is near them: one older than that has nothing left to
        match), and the oldest beyond the most kept."""
        assert self._newest is not None
        keep = keep or self.keep
        horizon = self._newest - keep // _MICROSECOND if keep is not None else None
        by_time = self._by_time
        gone = []
        while by_time and (
            (horizon is not None and by_time[0][0] < horizon) or len(self._keys) > self.most
        ):
            _, stamp, entry = heapq.heappop(by_time)
            if self._stamp.get(entry) == stamp:
                self.remove(entry)
                gone.append(entry)
        return gone
