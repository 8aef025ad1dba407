"""The listing-page fixtures (tests/fixtures/listings): pages modeled on German municipal and
police press sites, each with a JSON of what it announces; served from the fixture server
with a detail page for every linked announcement. Shared by the tests and the benchmark."""

from __future__ import annotations

import hashlib
import html
import json
from datetime import date
from typing import Any

from tests.fixture_server import FIXTURES, FixtureServer

LISTINGS = FIXTURES / "listings"
_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember")  # fmt: skip


def listing_names() -> list[str]:
    return sorted(p.stem for p in LISTINGS.glob("*.json"))


def expected(name: str) -> dict[str, Any]:
    return json.loads((LISTINGS / f"{name}.json").read_text("utf-8"))


def half(name: str) -> str:
    """Which half a fixture is in, by a hash of its name: "tune" (detection was developed
    on these) or "held-out" (written before, measured, not tuned on)."""
    return (
        "tune"
        if hashlib.blake2b(name.encode(), digest_size=4).digest()[0] % 2 == 0
        else ("held-out")
    )


def credit_of(item: dict[str, Any]) -> list[tuple[str, int]]:
    """The credits the article of an expected announcement carries: (credit, images)."""
    detail = item.get("detail") or {}
    return [(detail["credit"], detail["photos"])] if detail.get("credit") else []


def detail_paragraphs(item: dict[str, Any]) -> list[str]:
    """The paragraphs of the body of an announcement's detail page: a sentence each."""
    return [f"{sentence.strip()}." for sentence in item["detail"]["body"].rstrip(".").split(". ")]


def detail_page(item: dict[str, Any], site: str) -> str:
    """The detail page of one announcement, as the fixture site serves it."""
    detail = item["detail"]
    day = date.fromisoformat(item["date"])
    date_line = (
        f'<p class="meldung__datum">Meldung vom {day.day}. {_MONTHS[day.month - 1]} {day.year}</p>'
    )
    body = "\n".join(
        f"        <p>{html.escape(paragraph)}</p>" for paragraph in detail_paragraphs(item)
    )
    gallery = ""
    if detail.get("photos"):
        caption = (
            html.escape(f"Foto zur Meldung. ©{detail['credit']}") if detail.get("credit") else ""
        )
        figures = "".join(
            f'<li class="gallery__item"><a href="/bilder/{i}.jpg" title="{caption}">'
            f'<img src="/bilder/{i}-thumb.jpg" alt="{caption}" width="240" height="160"></a>'
            f'<span class="gallery__caption">{caption}</span></li>'
            for i in range(detail["photos"])
        )
        gallery = f'      <div class="bildergalerie"><ul class="gallery">{figures}</ul></div>'
    template = (LISTINGS / "_detail.html").read_text("utf-8")
    return (
        template.replace("{title}", html.escape(item["title"]))
        .replace("{site}", html.escape(site))
        .replace("{date_line}", date_line)
        .replace("{body}", body)
        .replace("{gallery}", gallery)
    )


def serve_listing(server: FixtureServer, name: str, *, validators: bool = True) -> str:
    """Serve the listing ``name`` and its detail pages; returns the listing's URL."""
    spec = expected(name)
    page = (LISTINGS / f"{name}.html").read_bytes()
    charset = "iso-8859-1" if b'charset="iso-8859-1"' in page[:300] else "utf-8"
    server.add(spec["path"], page, f"text/html; charset={charset}", validators=validators)
    for item in spec["announcements"]:
        if item.get("link") and item.get("detail"):
            server.add(item["link"], detail_page(item, spec["site"]), validators=validators)
    return server.url(spec["path"])
