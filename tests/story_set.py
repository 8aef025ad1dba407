"""The labelled set of made-up Ruhr-area news for story matching: one week (6 to 12 November
2023) as five feeds, in ``tests/fixtures/stories/<feed>.json`` (police, city, paper, radio,
wire), one object per article.

Each true story is told several times: the police's, fire brigade's or city's release, the
local paper's verbatim reprint, its trimmed reprint (dateline and contact block gone), its
article built on the release (half of the release's sentences, an intro and quotes), the
radio's three sentences in its own words, the wire's rewrite, and updates ("Nachtrag",
"Korrektur", "Fortschreibung", "wohlbehalten angetroffen"). Decoys are look-alikes that must
never merge: the police's template series, two fires on one day, missing-person cases.

Every article carries its ``story`` (the label), ``kind`` (how it tells the story),
``relation`` ("new" for the first telling, "version", "update") and ``pair`` ("easy": release,
reprint, trimmed, built on; "hard": retold, rewrite, update). A pair of articles is hard when
either one is. ``family`` keeps a decoy with the story it mimics: the halves are split by the
SHA-1 of the family, so look-alikes are always judged together.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "stories"
FEEDS = ("police", "city", "paper", "radio", "wire")
HARD_KINDS = frozenset({"retold", "rewrite", "update"})


@dataclass(frozen=True)
class LabelledArticle:
    feed: str
    guid: str
    title: str
    published: str
    text: str
    story: str
    family: str
    kind: str
    relation: str
    pair: str
    decoy: bool

    def __post_init__(self) -> None:
        if self.pair != ("hard" if self.kind in HARD_KINDS else "easy"):
            raise ValueError(f"{self.guid}: a {self.kind} is no {self.pair} pair")

    @property
    def half(self) -> str:
        """ "A" or "B": the SHA-1 of the family, even or odd."""
        return "A" if hashlib.sha1(self.family.encode()).digest()[-1] % 2 == 0 else "B"


def load(directory: Path = FIXTURES) -> list[LabelledArticle]:
    """The labelled articles of the five feeds, in order of publication."""
    articles = [
        LabelledArticle(**row)
        for feed in FEEDS
        for row in json.loads((directory / f"{feed}.json").read_text(encoding="utf-8"))
    ]
    return sorted(articles, key=lambda a: (a.published, a.guid))
