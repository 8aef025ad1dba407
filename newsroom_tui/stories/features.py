"""What the matcher compares of one article: its text without boilerplate, folded as the
search folds it ("Straße" -> "strasse"), as word shingles (for reprints and articles built on
a release), as content words (for retellings), its facts, its title and whether it says it
updates an earlier report ("Nachtrag", "Korrektur", "wohlbehalten angetroffen").

The poll's worker processes read them as they build the articles (:func:`add_feature_rows`,
as strings); the writer only hashes them (:func:`features_of`) before it decides."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from newsroom_tui.models import NewArticle
from newsroom_tui.stories.boilerplate import strip_text, strip_title
from newsroom_tui.stories.facts import CONFLICT_KINDS, FACT_WEIGHTS, Facts, extract_facts
from newsroom_tui.text.search_text import fold, fold_words

SHINGLE_WORDS = 3
# words that say nothing of which story it is (folded); short words go anyway
_STOPWORDS = frozenset(
    fold_words(
        "aber alle allen aller alles als also auch auf aus bei beim bereits bis bisher "
        "bislang dabei dann darauf daraufhin dass dem den denen der des dessen die dies diese "
        "diesem diesen dieser doch dort durch eine einem einen einer eines etwa gegen gibt "
        "haben habe hatte hatten heute hier ihre ihrem ihren ihrer immer jetzt kann keine "
        "können mehr mit nach nicht noch nun oder ohne sein seine seinem seinen seiner seit "
        "sich sie sind soll sollen sowie über um und uns unter vom von vor während war waren "
        "wurde wurden werden wird wieder wie wir zum zur zwischen rund mehrere weitere "
        "ersten neue neuen sagt sagte teilte mitteilte"
    )
)
# what an update says of itself (folded)
_UPDATE_WORDS = (
    "nachtrag", "korrektur", "berichtigung", "fortschreibung", "folgemeldung", "erganzung",
    "update", "aktualisierung", "erledigung", "rucknahme", "wohlbehalten",
    "wieder aufgetaucht", "ist wieder da", "entwarnung",
)  # fmt: skip
_UPDATE = re.compile(rf"\b(?:{'|'.join(_UPDATE_WORDS)})\b")


# a content word this long is filed in the candidate index ("blindganger", "schockanruf"):
# a retelling that names no street, person or time still finds its story by it
INDEXED_WORD = 9

# What a worker process makes of an article (:func:`feature_row`), as plain strings that
# cross a pipe in a marshal blob (:mod:`newsroom_tui.ingest.article_rows`): the raw title and
# the text's length (the article it was made of), the folded title, the shingles, the content
# words cut to 7 letters, those of INDEXED_WORD letters or more, the facts by kind and
# whether it is an update. Strings, not hashes: another process's ``hash`` differs.
FeatureRow = tuple[
    str,
    int,
    str,
    tuple[str, ...],
    tuple[str, ...],
    tuple[str, ...],
    dict[str, tuple[str, ...]],
    bool,
]


@dataclass(frozen=True, eq=False)
class Features:
    """Shingles and words are held as their hashes (this process's ``hash``): an index of
    thousands of articles keeps integers, not strings."""

    title: str  # folded, without a blue-light prefix
    shingles: frozenset[int]
    words: frozenset[int]  # content words, cut to their first 7 letters
    long_words: frozenset[int]  # those of INDEXED_WORD letters or more
    facts: Facts
    update: bool  # the title or the text's start says it updates an earlier report
    # what the candidate index files the article under (hashes): its shingles, long words
    # and facts
    keys: tuple[int, ...]
    # each fact (the hash of "kind:value") with what it counts towards an agreement
    fact_weights: dict[int, float]
    # the kinds of fact it names whose disagreement speaks against one story
    conflict_kinds: frozenset[str]


def make_features(title: str, text: str) -> Features:
    return features_of_row(feature_row(title, text))


def feature_row(title: str, text: str) -> FeatureRow:
    """The features of an article as strings (made where the article is built)."""
    raw_title = title
    body = strip_text(text)
    title = strip_title(title)
    words = fold_words(body)
    # each run of SHINGLE_WORDS words, joined by spaces (the shorter slices end it)
    runs = zip(*(words[k:] for k in range(SHINGLE_WORDS)), strict=False)
    shingles = tuple(dict.fromkeys(map(" ".join, runs)))
    content = [
        w
        for w in (*words, *fold_words(title))
        if len(w) > 3 and w not in _STOPWORDS and not w.isdigit()
    ]
    folded_title = fold(title)
    update = _says_update(folded_title) or _says_update(fold(body[:200]))
    facts = extract_facts(f"{title}. {body}")
    return (
        raw_title,
        len(text),
        folded_title,
        shingles,
        tuple({w[:7]: None for w in content}),
        tuple({w[:7]: None for w in content if len(w) >= INDEXED_WORD}),
        {kind: tuple(values) for kind, values in facts.by_kind.items()},
        update,
    )


def _says_update(folded: str) -> bool:
    """Whether a folded text says it updates an earlier report (the expression run only on
    a text that holds one of the words)."""
    return any(word in folded for word in _UPDATE_WORDS) and bool(_UPDATE.search(folded))


def features_of_row(row: FeatureRow) -> Features:
    """The :class:`Features` of a :func:`feature_row`, hashed in this process."""
    _, _, title, shingles, words, long_words, facts, update = row
    long_hashes = frozenset(map(hash, long_words))
    fact_weights = {
        hash(f"{kind}:{value}"): FACT_WEIGHTS[kind]
        for kind, values in facts.items()
        for value in values
    }
    shingle_hashes = frozenset(map(hash, shingles))
    return Features(
        title=title,
        shingles=shingle_hashes,
        words=frozenset(map(hash, words)),
        long_words=long_hashes,
        facts=Facts({kind: frozenset(values) for kind, values in facts.items()}),
        update=update,
        keys=(*shingle_hashes, *(hash(("w", w)) for w in long_hashes), *fact_weights),
        fact_weights=fact_weights,
        conflict_kinds=frozenset(CONFLICT_KINDS).intersection(facts),
    )


def story_text(article: NewArticle) -> str:
    """What of a new article is compared: its body's plain text, or the summary."""
    return article.body_markdown or article.summary


def add_feature_rows(items: Iterable[object], since: datetime | None = None) -> None:
    """Give each :class:`NewArticle` of ``items`` its :attr:`NewArticle.story_features`
    (in the worker process that built them). With ``since`` (the poll's
    :attr:`~newsroom_tui.ingest.story_assignment.PollStories.since`), only to the articles
    the poll compares: one published before it stands alone and needs none (a first poll's
    weeks of history: half a millisecond each)."""
    for item in items:
        if type(item) is NewArticle and not (
            since is not None and item.published is not None and item.published < since
        ):
            item.story_features = feature_row(item.title, story_text(item))


def features_of(article: NewArticle) -> Features:
    """The features of a new article: of the row its worker made, else made now."""
    row = article.story_features
    text = story_text(article)
    if row is not None and row[0] == article.title and row[1] == len(text):
        return features_of_row(cast(FeatureRow, row))
    return make_features(article.title, text)
