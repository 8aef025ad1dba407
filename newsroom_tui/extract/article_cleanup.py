"""Cleaning inside the article found by :mod:`main_content`, as Readability does: link
lists, forms, image boxes and embeds go (innermost first) unless they hold a data table or
code; share widgets, author boxes and headings that look like furniture go too.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from newsroom_tui.extract.candidate_scores import (
    COMMA,
    MIN_PARAGRAPH,
    WITH_CLASS_OR_ID,
    ScoreRun,
    class_and_id,
    flat_text,
    in_tag,
)

_SHARE = re.compile(r"(?:\b|_)(?:share|sharedaddy)(?:\b|_)")
# Boxes about the author (name, photo, short biography) after the text: not the article.
_AUTHOR_BOX = re.compile(r"author-?(?:bio|box|info)|about-author|autorenbox|autor-?info")
# Whole pages sit in a <form> on ASP.NET sites: forms are judged like other containers.
_CONDITIONAL = ("form", "fieldset", "table", "ul", "ol", "div", "section", "dl")
_EMBEDS = ("object", "embed", "iframe", "video", "audio")
_SHARE_MAX_TEXT = 500
_MOSTLY_TABLE = 0.8
_AUTHOR_MAX_TEXT = 1000


def _is_data_table(table: HtmlElement) -> bool:
    if table.get("role") == "presentation" or table.get("datatable") == "0":
        return False
    if table.get("summary") or table.find(".//caption") is not None:
        return True
    if any(table.find(f".//{tag}") is not None for tag in ("thead", "tfoot", "colgroup", "th")):
        return True
    if table.find(".//table") is not None:
        return False
    rows = table.findall(".//tr")
    columns = max((len(row.findall("td")) for row in rows), default=0)
    return len(rows) >= 10 or columns > 4 or len(rows) * columns > 10


def _holds_data_table(el: HtmlElement, length: int) -> bool:
    """Is most of the element's text in a data table (a wrapper around a table of figures
    or a comparison, its check-mark icons counted as images)?"""
    if el.find(".//table") is None:
        return False
    tables = [t for t in el.iter("table") if _is_data_table(t)]
    return bool(tables) and sum(len(flat_text(t)) for t in tables) >= length * _MOSTLY_TABLE


def _should_remove(el: HtmlElement, run: ScoreRun) -> bool:
    tag = el.tag
    if tag == "table" and _is_data_table(el):
        return False
    for anc in el.iterancestors():
        if anc.tag in ("code", "pre"):
            return False
        if anc.tag == "table" and _is_data_table(anc):
            return False
    weight = run.weight(el)
    if weight < 0:
        return True
    text = flat_text(el)
    if len(COMMA.findall(text)) >= 10:
        return False
    length = len(text)
    paragraphs = len(el.findall(".//p"))
    images = len(el.findall(".//img"))
    items = len(el.findall(".//li")) - 100
    inputs = len(el.findall(".//input"))
    headings = sum(len(flat_text(h)) for h in el.iter("h1", "h2", "h3", "h4", "h5", "h6"))
    heading_density = headings / length if length else 0.0
    embeds = sum(1 for _ in el.iter(*_EMBEDS))
    is_list = tag in ("ul", "ol") or (
        length > 0 and sum(len(flat_text(li)) for li in el.iter("li")) / length > 0.9
    )
    link_density = run.link_density(el)
    in_figure = in_tag(el, ("figure",), depth=100)
    remove = (
        (images > 1 and paragraphs / images < 0.5 and not in_figure)
        or (not is_list and items > paragraphs)
        or (inputs > paragraphs // 3)
        or (
            not is_list
            and heading_density < 0.9
            and length < MIN_PARAGRAPH
            and (images == 0 or images > 2)
            and not in_figure
        )
        or (not is_list and weight < 25 and link_density > 0.2)
        or (weight >= 25 and link_density > 0.5)
        or (embeds == 1 and length < 75)
        or embeds > 1
    )
    return remove and (tag == "table" or not _holds_data_table(el, length))


def clean_article(article: list[HtmlElement], run: ScoreRun) -> None:
    """Inside the article: drop link lists, forms, image boxes and the like (innermost first,
    as Readability does), share widgets and headings that look like furniture."""
    for root in article:
        if run.clean_conditionally:
            for el in reversed(list(root.iter(*_CONDITIONAL))):
                if el is root or el.getparent() is None or in_tag(el, ("pre", "code"), 100):
                    continue
                if _should_remove(el, run):
                    el.drop_tree()
        for el in WITH_CLASS_OR_ID(root):
            if el.getparent() is None:
                continue
            words = class_and_id(el).lower()
            share = _SHARE.search(words) and run.text_len(el) < _SHARE_MAX_TEXT
            author = _AUTHOR_BOX.search(words) and run.text_len(el) < _AUTHOR_MAX_TEXT
            if share or author or (el.tag in ("h1", "h2", "h3") and run.weight(el) < 0):
                el.drop_tree()
