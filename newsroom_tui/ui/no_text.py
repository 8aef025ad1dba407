"""What the article pane says where an article has no text: why, and what to do (a line of
Markdown, in the interface language)."""

from __future__ import annotations

from newsroom_tui.models import Article
from newsroom_tui.ui.language import tr


def no_text_note(article: Article, open_key: str) -> str:
    """Why ``article`` shows no text: its feed gave only a title (and a link), and the page
    behind the link could not be had (refused, failed, or nothing in it read as text);
    ``open_key`` opens the link in the browser."""
    if article.url:
        return tr(
            "*No text: the feed gives only the title and the link, and the article page "
            "could not be fetched or read. {key} opens it in the browser.*",
            key=open_key,
        )
    return tr("*No text: the feed gives only the title, and no link to the article.*")
