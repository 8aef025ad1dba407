"""The article body as plain styled text, for the first frame only.

Textual's Markdown widget (with markdown-it and Pygments) is slow to import and to set up;
at launch the pane shows the body through this cheap rendering and the
widget takes over right after the first frame. Never markup: the text goes in as ``Text``.
"""

from __future__ import annotations

import re

from rich.text import Text

from newsroom_tui.text.line_breaks import HARD_BREAK

# Linear on any input: no part of a pattern scans past the next delimiter of its kind (a
# bracket, a parenthesis, the emphasis marker); 60,000 "![" took 42 s with the old ones.
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_EMPHASIS = re.compile(
    r"\*\*(?=\S)((?:[^*]|\*(?!\*))+?)(?<=\S)\*\*"
    r"|__(?=\S)((?:[^_]|_(?!_))+?)(?<=\S)__"
    r"|\*(?=\S)([^*]+?)(?<=\S)\*"
    r"|_(?=\S)([^_]+?)(?<=\S)_"
    r"|`([^`]+)`"
)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_HEADING = re.compile(r"^#{1,6}\s+")
_BULLET = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+")
_QUOTE = re.compile(r"^>\s?")


def _emphasised(match: re.Match[str]) -> str:
    return next(group for group in match.groups() if group is not None)


def _inline(line: str) -> str:
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _EMPHASIS.sub(_emphasised, line)
    return _ESCAPE.sub(r"\1", line)


def _structured(line: str) -> bool:
    """A list item, quote or table row: kept as its own line."""
    return bool(_BULLET.match(line) or _QUOTE.match(line)) or line.lstrip().startswith("|")


def _paragraph(lines: list[str]) -> str:
    """A paragraph's lines joined as Markdown joins them: at a soft break with a space, at a
    hard one (the line ends in a backslash) on a new line."""
    return "\n".join(
        " ".join(line.strip() for line in run.split("\n"))
        for run in "\n".join(lines).split(HARD_BREAK)
    )


def preview_text(markdown: str) -> Text:
    """Headings bold, list items bulleted, quotes marked, links and emphasis as their text."""
    text = Text()
    for number, block in enumerate(b for b in markdown.split("\n\n") if b.strip()):
        if number:
            text.append("\n\n")
        lines = block.strip("\n").split("\n")
        if _HEADING.match(lines[0]):
            text.append(_inline(_HEADING.sub("", " ".join(lines))), style="bold")
            continue
        if not any(_structured(line) for line in lines):
            text.append(_inline(_paragraph(lines)))
            continue
        out = []
        for line in lines:
            line = line.removesuffix("\\")  # (a hard line break: the lines stay lines)
            if _QUOTE.match(line):
                line = "▌ " + _QUOTE.sub("", line)
            line = _BULLET.sub(r"\1• ", line)
            out.append(_inline(line))
        text.append("\n".join(out))
    return text
