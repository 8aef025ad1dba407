"""Whether two articles tell one story, and how.

- A reprint or an article built on a release shares its sentences: the shingles of the
  shorter are largely contained in the longer (containment stays high where Jaccard falls,
  as the paper adds an intro and quotes).
- A retelling (the radio's three sentences, the wire's rewrite) shares few sentences but the
  facts: the same streets, people, ages, times, numbers and places, and title words.
- Differing times, ages, dates, calendar weeks, streets or people speak against one story:
  a police template series ("Verkehrsunfall mit Leichtverletzten") shares its sentences and
  differs only there.
- An update ("Nachtrag", "Korrektur", "wohlbehalten angetroffen") may correct a time or add
  new facts: it links to the story whose people, ages and place it shares.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from newsroom_tui.stories.facts import CONFLICT_KINDS
from newsroom_tui.stories.features import Features

# containment of shingles from which a text is called a reprint (in the reason)
VERBATIM = 0.8
# containment of shingles that makes a version when no fact speaks against it
BUILT_ON = 0.45
# fewer shared shingles than this is no evidence of a shared text
MIN_SHARED_SHINGLES = 8
# a retelling: facts shared (weighted) and a title or content words alike
RETOLD_FACTS = 4.0
RETOLD_TITLE = 45.0
RETOLD_WORDS = 0.3
# or fewer facts, with most content words and the title alike
RETOLD_FEW_FACTS = 3.0
RETOLD_MANY_WORDS = 0.5
RETOLD_SIMILAR_TITLE = 50.0
# an update: facts shared with the story it updates
UPDATE_FACTS = 3.0
UPDATE_TITLE = 60.0
# ... with a title or content words alike (a street in common is no update)
UPDATE_ALIKE_TITLE = 50.0
UPDATE_ALIKE_WORDS = 0.4
# an update may correct a time or a street, but not whom it is about nor the day
UPDATE_CONFLICT_KINDS = ("a", "d", "p", "w")


@dataclass(frozen=True)
class Verdict:
    """One story (``relation`` "version" or "update") or not (None), with a score to pick
    the best of several candidates and the reason, for tracing a decision."""

    relation: str | None
    score: float
    reason: str


# no story of the new article: neither its text nor enough of its facts
_UNLIKE = Verdict(None, 0.0, "shares too little")


def containment(a_shingles: frozenset[int], b: Features) -> tuple[float, int]:
    """How much of the shorter text's shingles the other holds, and how many they share
    (``a_shingles``: those of the new article, a source's boilerplate left out)."""
    smaller = min(len(a_shingles), len(b.shingles))
    if not smaller:
        return 0.0, 0
    shared = len(a_shingles & b.shingles)
    return shared / smaller, shared


def conflicts(a: Features, b: Features, kinds: tuple[str, ...] = CONFLICT_KINDS) -> list[str]:
    """The kinds of fact both name with no value in common (``kinds``: of
    :data:`CONFLICT_KINDS`)."""
    both = a.conflict_kinds & b.conflict_kinds
    if not both:
        return []
    fa, fb = a.facts.by_kind, b.facts.by_kind
    return [k for k in kinds if k in both and fa[k].isdisjoint(fb[k])]


def agreement(a: Features, b: Features) -> float:
    """The facts both name, each weighed by its kind (:data:`FACT_WEIGHTS`)."""
    weights = a.fact_weights
    shared = weights.keys() & b.fact_weights.keys()
    return sum(map(weights.__getitem__, shared)) if shared else 0.0


def word_overlap(a: Features, b: Features) -> float:
    smaller = min(len(a.words), len(b.words))
    return len(a.words & b.words) / smaller if smaller else 0.0


def judge(a: Features, b: Features, a_shingles: frozenset[int] | None = None) -> Verdict:
    """Whether ``a`` (new) and ``b`` (stored) tell one story; ``a_shingles``: the shingles
    of ``a`` without those that are a source's boilerplate (default: all)."""
    if a_shingles is None:
        a_shingles = a.shingles
    if a.update or b.update:
        against = conflicts(a, b, UPDATE_CONFLICT_KINDS)
        if against:
            return Verdict(None, 0.0, f"update against {against}")
        share, _ = containment(a_shingles, b)
        agree = agreement(a, b)
        title = fuzz.token_set_ratio(a.title, b.title)
        words = word_overlap(a, b)
        alike = title >= UPDATE_ALIKE_TITLE or words >= UPDATE_ALIKE_WORDS
        if (
            (agree >= UPDATE_FACTS and alike)
            or (title >= UPDATE_TITLE and agree > 0)
            or (share >= BUILT_ON)
        ):
            return Verdict("update", 10 * share + agree + title / 50, f"update {agree:.1f}")
        return Verdict(None, 0.0, f"update agree {agree:.1f} title {title:.0f}")
    against = conflicts(a, b)
    if against:
        return Verdict(None, 0.0, f"against {against}")
    share, shared = containment(a_shingles, b)
    agree = agreement(a, b)
    if share >= BUILT_ON and shared >= MIN_SHARED_SHINGLES:
        kind = "reprint" if share >= VERBATIM else "built on"
        return Verdict("version", 10 * share + agree, f"{kind} {share:.2f}")
    if agree < RETOLD_FEW_FACTS:
        # most candidates: neither the text nor enough facts shared
        return _UNLIKE
    title = fuzz.token_set_ratio(a.title, b.title)
    words = word_overlap(a, b)
    if (agree >= RETOLD_FACTS and (title >= RETOLD_TITLE or words >= RETOLD_WORDS)) or (
        words >= RETOLD_MANY_WORDS and title >= RETOLD_SIMILAR_TITLE
    ):
        return Verdict("version", agree + title / 50 + 5 * words, f"retold {agree:.1f}")
    return Verdict(None, 0.0, f"agree {agree:.1f} title {title:.0f} words {words:.2f}")
