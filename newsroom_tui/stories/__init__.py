"""Story matching: which stored article, if any, tells the same story as a new one.

The poll hands each new article to :meth:`StoryIndex.assign` (built with
:meth:`StoryArticle.of_new_article` once the store gave it an id) and stores the
:class:`StoryDecision`'s story id and relation with it; both stores need only those two
columns. A process that starts (a reader, a second poller) rebuilds the index from the
stored articles of the last 48 hours with :meth:`StoryIndex.remember`, oldest first, each
with its stored story id. The story id is the id of the article that started the story, the
first one assigned; who had it first is the story's earliest published article, which is
not always that one (a feed may bring an older article later). Pure Python, no I/O."""

from newsroom_tui.stories.story_index import (
    WINDOW,
    StoryArticle,
    StoryDecision,
    StoryIndex,
)

__all__ = ["WINDOW", "StoryArticle", "StoryDecision", "StoryIndex"]
