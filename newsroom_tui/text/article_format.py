"""How an article reads as text: shared by the CLI and the TUI (no Textual here)."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from dataclasses import asdict
from datetime import UTC, datetime, time
from typing import Any

from newsroom_tui.models import Article, ArticleSummary, CreditCount, ExtractedPage, GalleryItem
from newsroom_tui.text.locale_language import locale_language

CREDITS_HEADING = "Bildnachweis / Photo credits"
CAPTIONS_HEADING = "Bildunterschriften / Captions"
ISO_DATE_FORMAT = "%Y-%m-%d %H:%M"
# dates as the locale's language writes them (09.05.2023 08:15); ISO for every other one
LOCALE_DATE_FORMATS = {"de": "%d.%m.%Y %H:%M"}
_date_formats = {"long": ISO_DATE_FORMAT, "short": "%Y-%m-%d"}


def default_date_format(environ: Mapping[str, str]) -> str:
    """The dates' form where the config file sets no ``date_format``: the locale's."""
    return LOCALE_DATE_FORMATS.get(locale_language(environ), ISO_DATE_FORMAT)


def set_date_format(fmt: str) -> None:
    """Use ``fmt`` (strftime) for dates with time; the list's short form keeps the date part."""
    _date_formats["long"] = fmt
    date_part = fmt.split("%H")[0].rstrip(" ,T") if "%H" in fmt else fmt
    _date_formats["short"] = date_part or "%Y-%m-%d"


def is_date_only(value: datetime) -> bool:
    """A calendar date without a time of day: midnight sharp in the value's own offset, as
    the extractor makes "Meldung vom 29.11.2026" (midnight in the site's zone) and as the
    CMSs that know only dates write them into feeds ("Sun, 29 Nov 2026 00:00:00 +0100")."""
    return value.tzinfo is not None and value.timetz().replace(tzinfo=None) == time()


def format_date(value: datetime | None, with_time: bool = True) -> str:
    """``value`` in the machine's time zone; a date without a time (:func:`is_date_only`)
    as that calendar date, never moved to the day before by the zone, and without a time."""
    if value is None:
        return "—"
    if is_date_only(value):
        return value.strftime(_date_formats["short"])
    local = value.astimezone()
    return local.strftime(_date_formats["long" if with_time else "short"])


_WIDEST_DATE = datetime(2026, 12, 31, 23, 59, tzinfo=UTC)  # the widest day and time


def list_date_width() -> int:
    """The width of a list's date column: a date with its time in the configured format."""
    return len(format_date(_WIDEST_DATE))


def is_today(value: datetime, now: datetime | None = None) -> bool:
    """Whether ``value`` falls on today's local date (``now``'s, when given)."""
    return value.astimezone().date() == (now or datetime.now()).astimezone().date()


def format_list_date(value: datetime | None, now: datetime | None = None) -> str:
    """The list's date: the configured format, with time; today's articles the time only
    (the part of the format from ``%H`` on, when it has one); a date without a time as that
    calendar date (:func:`is_date_only`), as :func:`format_date` shows it."""
    if value is None:
        return "—"
    if is_date_only(value):
        return value.strftime(_date_formats["short"])
    fmt = _date_formats["long"]
    if "%H" in fmt and is_today(value, now):
        fmt = fmt[fmt.index("%H") :]
    return value.astimezone().strftime(fmt)


def _without_year(fmt: str) -> str:
    """A date format without its year: ``%Y-%m-%d`` -> ``%m-%d``, ``%d/%m/%Y`` -> ``%d/%m``,
    ``%d.%m.%Y`` -> ``%d.%m.`` (the German day and month keep their points)."""
    at = fmt.find("%Y")
    if at < 0:
        return fmt
    before, after = fmt[:at], fmt[at + 2 :]
    if not before and after[:1] in ("-", ".", "/"):
        return after[1:]
    if before[-1:] in ("-", "/"):
        return before[:-1] + after
    return before + after


def format_recent_date(value: datetime, now: datetime | None = None) -> str:
    """A recent time in few characters: today's as :func:`format_list_date` shows it (the
    time), another day's without its year (``06.12. 14:05``; ISO ``12-06 14:05``)."""
    if is_today(value, now) or is_date_only(value):
        return format_list_date(value, now)
    return value.astimezone().strftime(_without_year(_date_formats["long"]))


def middle_cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters: whole when it fits, else its start and its
    end around an ellipsis (a URL keeps its host and its page's name: the article's header
    shows it on one line, the links dialog whole)."""
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    head = width // 2
    tail = width - 1 - head
    return f"{text[:head]}…{text[len(text) - tail :] if tail else ''}"


def credit_line(credit: CreditCount) -> str:
    return f"{credit.credit} ×{credit.count}" if credit.count > 1 else credit.credit


def credits_text(credits: list[CreditCount]) -> str:
    """The one-line credits form staff paste under a story: ``Fotos: A, B``."""
    if not credits:
        return ""
    label = "Fotos" if sum(c.count for c in credits) > 1 else "Foto"
    return f"{label}: " + ", ".join(c.credit for c in credits)


def caption_lines(
    gallery: list[GalleryItem], untitled: str = "(ohne Bildunterschrift)"
) -> list[str]:
    """Each distinct caption once, with its credit; ``untitled`` for an image without one
    (the reader gives it in its interface language)."""
    seen: dict[tuple[str, str | None], int] = {}
    for item in gallery:
        if item.caption or item.credit:
            key = (item.caption, item.credit)
            seen[key] = seen.get(key, 0) + 1
    lines = []
    for (caption, credit), count in seen.items():
        text = caption or untitled
        if credit:
            text += f" — © {credit}"
        if count > 1:
            text += f" (×{count})"
        lines.append(text)
    return lines


def summary_json(article: ArticleSummary) -> dict[str, Any]:
    return {
        "id": article.id,
        "feed": article.feed,
        "url": article.url,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "read": article.read,
        "flagged": article.flagged,
        "claimed_by": article.claimed_by,
        "claimed_role": article.claimed_role,
        "done": article.done,
        "done_by": article.done_by,
        "done_role": article.done_role,
        "watched": article.watched,
        "story": article.story_id,
    }


def gallery_json(gallery: list[GalleryItem], credits: list[CreditCount]) -> dict[str, Any]:
    return {
        "gallery": [asdict(item) for item in gallery],
        "credits": [asdict(c) for c in credits],
    }


def article_json(article: Article) -> dict[str, Any]:
    return {
        **summary_json(article),
        "summary": article.summary,
        "body_markdown": article.body_markdown,
        **gallery_json(article.gallery, article.credits),
    }


def extracted_json(page: ExtractedPage, url: str | None) -> dict[str, Any]:
    return {
        "title": page.title,
        "url": url,
        "published": page.published.isoformat() if page.published else None,
        "body_markdown": page.body_markdown,
        **gallery_json(page.gallery, page.credits),
    }


def no_text_line(link: str | None) -> str:
    """What stands where an article has no text: why, and what to do."""
    if link:
        return (
            "(no text: the feed gives only the title and the link, and the article page could"
            " not be fetched or read; open the link in a browser)"
        )
    return "(no text: the feed gives only the title, and no link to the article)"


def article_text(
    title: str | None,
    body_markdown: str,
    gallery: list[GalleryItem],
    credits: list[CreditCount],
    meta: list[tuple[str, str]],
    missing: str = "(no text)",
) -> str:
    """A whole article as plain Markdown, for the terminal or a file; ``missing`` stands
    where it has no text."""
    lines = [f"# {title or '(untitled)'}", ""]
    lines += [f"{label}: {value}" for label, value in meta if value]
    lines += ["", body_markdown.strip() or missing]
    if credits:
        lines += ["", f"## {CREDITS_HEADING}", ""]
        lines += [f"- {credit_line(c)}" for c in credits]
    captions = caption_lines(gallery)
    if captions:  # a list of its own: under the credits' heading the two ran together
        lines += ["", f"## {CAPTIONS_HEADING}", "", *[f"- {c}" for c in captions]]
    return "\n".join(lines).rstrip() + "\n"


_LIST_MARKER = re.compile(r"^(\s*(?:[-*+]|\d{1,3}[.)])\s+)")
_LEFT_AS_IS = ("#", "|", "    ", "\t", ">", "Link: ")  # a link line: the URL by its label


def wrap_text(text: str, width: int) -> str:
    """``text`` (an article as :func:`article_text` makes it) wrapped for a terminal
    ``width`` columns wide: list items (the gallery's captions and credits) wrapped under
    their text, not under the dash; words and URLs never broken inside, a longer one stands
    on a line of its own. Headings, tables, quotes and code are left as they are."""
    width = max(width, 20)
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if fenced or len(line) <= width or line.startswith(_LEFT_AS_IS) or line.strip() == "```":
            out.append(line)
            continue
        marker = _LIST_MARKER.match(line)
        indent = " " * len(marker[1]) if marker else ""
        out += textwrap.wrap(
            line,
            width,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [line]
    return "\n".join(out)
