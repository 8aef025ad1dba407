"""The labelled week of tests/story_set.py as RSS feeds for the loopback server: the
police's, the city's, the paper's, the radio's and the wire's, each article's text as its
description."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from html import escape

from tests.story_set import LabelledArticle

FEED_TITLES = {
    "police": "Polizei Bochum",
    "city": "Stadt Herne",
    "paper": "WAZ Bochum",
    "radio": "Radio Bochum",
    "wire": "dpa NRW",
}


def rss(title: str, articles: list[LabelledArticle]) -> str:
    items = "\n".join(
        f"""<item><guid isPermaLink="false">{escape(a.guid)}</guid>
  <title>{escape(a.title)}</title><link>{escape(a.guid)}</link>
  <pubDate>{format_datetime(datetime.fromisoformat(a.published))}</pubDate>
  <description>{escape(a.text)}</description></item>"""
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{escape(title)}</title><link>https://example.org/</link>
<description>Meldungen</description>
{items}
</channel></rss>"""
