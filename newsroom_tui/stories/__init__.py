"""Story matching: which stored article, if any, tells the same story as a new one.

The poll hands each new article to :class:`StoryIndex.assign` and stores the
:class:`StoryDecision` it gets (the story id and the relation) with the article; a reader or
a second poller rebuilds the index from the stored articles of the last 48 hours with
:meth:`StoryIndex.remember`. Pure Python, no I/O."""

from newsroom_tui.stories.story_index import (
    WINDOW,
    StoryArticle,
    StoryDecision,
    StoryIndex,
)

__all__ = ["WINDOW", "StoryArticle", "StoryDecision", "StoryIndex"]
