"""What the matcher compares of one article: its text without boilerplate, folded as the
search folds it ("Straße" -> "strasse"), as word shingles (for reprints and articles built on
a release), as content words (for retellings), its facts, its title and whether it says it
updates an earlier report ("Nachtrag", "Korrektur", "wohlbehalten angetroffen")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsroom_tui.stories.boilerplate import strip_text, strip_title
from newsroom_tui.stories.facts import Facts, extract_facts
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
_UPDATE = re.compile(
    r"\b(?:nachtrag|korrektur|berichtigung|fortschreibung|folgemeldung|erganzung|update"
    r"|aktualisierung|erledigung|rucknahme|wohlbehalten|wieder aufgetaucht|ist wieder da"
    r"|entwarnung)\b"
)


# a content word this long is filed in the candidate index ("blindganger", "schockanruf"):
# a retelling that names no street, person or time still finds its story by it
INDEXED_WORD = 9


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

    @property
    def keys(self) -> list[int]:
        """What the candidate index files the article under (hashes)."""
        return [
            *self.shingles,
            *(hash(("w", w)) for w in self.long_words),
            *(hash(key) for key in self.facts.keys),
        ]


def make_features(title: str, text: str) -> Features:
    body = strip_text(text)
    title = strip_title(title)
    words = fold_words(body)
    # each run of SHINGLE_WORDS words, joined by spaces (the shorter slices end it)
    runs = zip(*(words[k:] for k in range(SHINGLE_WORDS)), strict=False)
    shingles = frozenset(hash(" ".join(run)) for run in runs)
    content = [
        w
        for w in (*words, *fold_words(title))
        if len(w) > 3 and w not in _STOPWORDS and not w.isdigit()
    ]
    folded_title = fold(title)
    update = bool(_UPDATE.search(folded_title) or _UPDATE.search(fold(body[:200])))
    return Features(
        title=folded_title,
        shingles=shingles,
        words=frozenset(hash(w[:7]) for w in content),
        long_words=frozenset(hash(w[:7]) for w in content if len(w) >= INDEXED_WORD),
        facts=extract_facts(f"{title}. {body}"),
        update=update,
    )
