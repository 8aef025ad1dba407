"""Issue #24: URLs made outside the one rule, far-out dates, one bad item costing a feed.

Each case serves its hostile source from the loopback server, runs ``newsroom`` on it (``add``,
``probe``, ``fetch``, ``list --json``, ``show``) and says whether an escape sequence, a
control character or a traceback came out, whether such a URL was stored, and whether the
healthy items and feeds beside the hostile one were kept.
"""

from __future__ import annotations

import json
import subprocess

from hostile_third_kit import Case, Side, has_escape, last_line

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
OSC52_REF = "&#27;]52;c;ZWNobyBwd25lZA==&#7;"  # lxml decodes it into ESC … BEL
BAD_IPV6 = "http://[::1/bad"
# Characters no stored URL may hold: C0 and C1 controls, bidi overrides, invisible ones.
STORED_BAD = tuple(
    [chr(c) for c in range(0x20)] + [chr(c) for c in range(0x7F, 0xA0)]
    + ["\u202e", "\u2066", "\u200b", "\u200e", "\ufeff"]
)  # fmt: skip
TEXT = "<p>Die Stadt Herne teilt mit: Die Kita in Sodingen ist eröffnet.</p>" * 20


def _outputs(*runs: subprocess.CompletedProcess[str]) -> str:
    return "".join(r.stdout + r.stderr for r in runs)


def _listed(side: Side) -> tuple[subprocess.CompletedProcess[str], list[dict[str, object]]]:
    shown = side.run(["list", "--json"])
    try:
        return shown, json.loads(shown.stdout or "[]")
    except ValueError:
        return shown, []


def _json_feed(items: list[dict[str, object]], title: str = "Stadt Herne") -> str:
    for item in items:
        item.setdefault("content_html", TEXT)
    return json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": title, "items": items}
    )


def _listing_page(first_href: str) -> str:
    items = "".join(
        f'<li class="meldung"><h2><a href="{href}">Meldung {n} der Stadt Herne</a></h2>'
        f'<p class="datum">0{n}.03.2025</p>'
        f"<p>Die Stadt Herne informiert über Baustellen, Kitas und den Haushalt ({n}).</p></li>"
        for n, href in enumerate([first_href, "/presse/2.html", "/presse/3.html"], start=1)
    )
    return (
        "<!DOCTYPE html><html lang='de'><head><title>Pressemitteilungen</title></head><body>"
        f"<main><h1>Pressemitteilungen der Stadt Herne</h1><ul>{items}</ul></main></body></html>"
    )


def _announcing_page(href: str) -> str:
    return (
        "<!DOCTYPE html><html lang='de'><head><title>Kita eröffnet</title>"
        f'<link rel="alternate" type="application/rss+xml" href="{href}" title="Presse">'
        f"</head><body><article><h1>Kita eröffnet</h1>{TEXT}</article></body></html>"
    )


def _jsonfeed_osc52(side: Side) -> str:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Stadt Herne",
        "items": [
            {
                "id": "1",
                "url": "https://www.herne.de/meldung-1" + OSC52,
                "title": "Kita-Neubau eröffnet",
                "content_html": "<p>Die Stadt eröffnet die Kita.</p>" * 20,
            }
        ],
    }
    side.server.add("/feed.json", json.dumps(feed), "application/feed+json")
    url = side.server.url("/feed.json")
    added = side.run(["add", "--force", url])
    fetched = side.run(["fetch"])
    shown = side.run(["list", "--json"])
    out = added.stdout + added.stderr + fetched.stdout + fetched.stderr + shown.stdout
    if has_escape(out) or "\\u001b" in shown.stdout:
        return "broken: OSC 52 reaches the terminal or the cache"
    if fetched.returncode not in (0, 1):
        return f"broken: fetch exit {fetched.returncode}: {last_line(fetched.stderr)}"
    return "held: no escape printed or stored"


def _jsonfeed_other_fields(side: Side) -> str:
    base = side.server.base
    items: list[dict[str, object]] = [
        {"id": f"h-1{OSC52}", "external_url": f"{base}/kita.html{OSC52}", "title": "Kita"},
        {"id": "h-2", "url": "/haushalt.html\x9d52;c;eA==\x9c", "title": "Haushalt"},
        {"id": "h-3", "url": f"{base}/markt.html", "title": "Wochenmarkt"},
    ]
    side.server.add("/feed.json", _json_feed(items), "application/feed+json")
    url = side.server.url("/feed.json")
    probed = side.run(["probe", url])
    added = side.run(["add", url])
    fetched = side.run(["fetch"])
    shown, listed = _listed(side)
    shows = [side.run(["show", str(a["id"])]) for a in listed]
    if has_escape(_outputs(probed, added, fetched, shown, *shows)) or "\\u001b" in shown.stdout:
        return "broken: OSC 52 from external_url or id reaches the terminal or the cache"
    if len(listed) != 3:
        return f"broken: {len(listed)} of 3 items stored: {last_line(fetched.stderr)}"
    return "held: external_url and id cleaned, all 3 items stored"


def _stored_url_characters(side: Side) -> str:
    base = side.server.base
    hostile = [
        f"{base}/a\x85b.html", f"{base}/rechnung\u202elmth.exe", f"{base}/\u200bkita.html",
        f"{base}/a\x00b.html", f"{base}/" + "a" * 200_000,
    ]  # fmt: skip
    items: list[dict[str, object]] = [
        {"id": f"h-{n}", "url": url, "title": f"Meldung {n}"} for n, url in enumerate(hostile)
    ]
    side.server.add("/feed.json", _json_feed(items), "application/feed+json")
    side.run(["add", "--force", side.server.url("/feed.json")])
    fetched = side.run(["fetch"])
    _, listed = _listed(side)
    urls = [str(a.get("url") or "") for a in listed]
    bad = [u[:40] for u in urls if any(c in u for c in STORED_BAD) or len(u) > 4096]
    if bad:
        return f"broken: {len(bad)} URLs with C1, bidi, zero-width, NUL or 200,000 chars stored"
    if len(listed) != len(hostile):
        return f"broken: {len(listed)} of {len(hostile)} stored: {last_line(fetched.stderr)}"
    return "held: every such URL refused, the entries kept"


def _listing_osc52(side: Side) -> str:
    side.server.add("/presse/", _listing_page(f"/presse/1.html{OSC52_REF}"))
    for n in (1, 2, 3):
        side.server.add(f"/presse/{n}.html", f"<html><body><article>{TEXT}</article></body></html>")
    url = side.server.url("/presse/")
    probed = side.run(["probe", url])
    added = side.run(["add", url])
    fetched = side.run(["fetch"])
    shown, listed = _listed(side)
    shows = [side.run(["show", str(a["id"])]) for a in listed]
    if has_escape(_outputs(probed, added, fetched, shown, *shows)) or "\\u001b" in shown.stdout:
        return "broken: a listing link's OSC 52 reaches the terminal or the cache"
    if len(listed) != 3:
        return f"broken: {len(listed)} of 3 announcements stored: {last_line(added.stderr)}"
    return "held: the link refused, all 3 announcements stored"


def _announced_osc52(side: Side) -> str:
    side.server.add("/kita.html", _announcing_page(f"/presse{OSC52_REF}.rss"))
    url = side.server.url("/kita.html")
    probed = side.run(["probe", url])
    added = side.run(["add", url])
    out = _outputs(probed, added)
    if has_escape(out):
        return "broken: the announced feed's OSC 52 reaches the terminal (add's refusal line)"
    if "Traceback" in out or added.stderr.count("\n") != 1:
        return f"broken: not one line: {last_line(added.stderr)}"
    return "held: refused in one clean line"


def _far_dates(side: Side) -> str:
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Stadt Herne</title>'
        "<item><title>Ferne Zukunft</title><guid>h-1</guid>"
        "<pubDate>9999-12-31T23:59:59-01:00</pubDate></item>"
        "<item><title>Kita eröffnet</title><guid>h-2</guid>"
        "<pubDate>Tue, 04 Mar 2025 10:00:00 +0100</pubDate></item></channel></rss>"
    )
    items: list[dict[str, object]] = [
        {"id": "b-1", "title": "Vorzeit", "date_published": "0001-01-01T00:00+01:00"},
        {"id": "b-2", "title": "Unfall auf der A40", "date_published": "2025-03-04T10:00:00+01:00"},
    ]
    side.server.add("/herne.rss", rss, "application/rss+xml")
    side.server.add("/bochum.json", _json_feed(items, "Polizei Bochum"), "application/feed+json")
    side.run(["add", "--force", side.server.url("/herne.rss"), side.server.url("/bochum.json")])
    fetches = [side.run(["fetch"]) for _ in range(2)]
    _, listed = _listed(side)
    for fetched in fetches:
        if fetched.returncode != 0 or "Traceback" in fetched.stderr:
            return f"broken: fetch exit {fetched.returncode}: {last_line(fetched.stderr)}"
    if len(listed) != 4:
        return f"broken: {len(listed)} of 4 items stored"
    return "held: both polls end normally, the far-out items stored undated"


def _jsonfeed_bad_link(side: Side) -> str:
    items: list[dict[str, object]] = [
        {"id": "h-1", "url": BAD_IPV6, "title": "Baustelle"},
        {"id": "h-2", "url": "/kita.html", "title": "Kita eröffnet"},
    ]
    side.server.add("/feed.json", _json_feed(items), "application/feed+json")
    url = side.server.url("/feed.json")
    probed = side.run(["probe", url])
    side.run(["add", "--force", url])
    fetched = side.run(["fetch"])
    _, listed = _listed(side)
    if "Traceback" in probed.stderr or probed.returncode != 0:
        return f"broken: probe: {last_line(probed.stderr)}"
    if len(listed) != 2:
        return f"broken: {len(listed)} of 2 items stored: {last_line(fetched.stderr)}"
    return "held: the item kept without its link, the feed stored"


def _announced_bad_link(side: Side) -> str:
    page = _announcing_page(BAD_IPV6).replace(
        "</head>", '<link rel="alternate" type="application/rss+xml" href="/presse.rss"></head>'
    )
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Stadt Herne</title>'
        "<item><title>Kita eröffnet</title><guid>h-1</guid></item></channel></rss>"
    )
    side.server.add("/kita.html", page)
    side.server.add("/presse.rss", rss, "application/rss+xml")
    url = side.server.url("/kita.html")
    probed = side.run(["probe", url])
    added = side.run(["add", url])
    if "Traceback" in probed.stderr + added.stderr or added.returncode != 0:
        return f"broken: add exit {added.returncode}: {last_line(added.stderr)}"
    return "held: the bad announcement skipped, the next feed found"


def _jsonfeed_deep_item(side: Side) -> str:
    deep = "[" * 5000 + "]" * 5000
    text = json.dumps(TEXT)
    feed = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Stadt Herne", "items": ['
        f'{{"id": "h-1", "title": "Kita eröffnet", "content_html": {text}}}, {deep},'
        f'{{"id": "h-2", "title": "Haushalt vorgelegt", "content_html": {text}}}]}}'
    )
    side.server.add("/feed.json", feed, "application/feed+json")
    side.run(["add", "--force", side.server.url("/feed.json")])
    fetched = side.run(["fetch"])
    _, listed = _listed(side)
    if len(listed) != 2:
        return f"broken: {len(listed)} of 2 items stored: {last_line(fetched.stderr)}"
    return "held: the deep item skipped, the other 2 stored"


def _jsonfeed_lone_surrogate(side: Side) -> str:
    feed = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Stadt Herne", "items": ['
        '{"id": "h-1\\ud800", "title": "Kita \\ud800er\\u00f6ffnet", "content_html": "<p>x</p>"},'
        f'{{"id": "h-2", "title": "Haushalt vorgelegt", "content_html": {json.dumps(TEXT)}}}]}}'
    )
    side.server.add("/feed.json", feed, "application/feed+json")
    url = side.server.url("/feed.json")
    probed = side.run(["probe", url])
    side.run(["add", "--force", url])
    fetched = side.run(["fetch"])
    _, listed = _listed(side)
    if "Traceback" in probed.stderr or probed.returncode != 0:
        return f"broken: probe: {last_line(probed.stderr)}"
    if len(listed) != 2:
        return f"broken: {len(listed)} of 2 items stored: {last_line(fetched.stderr)}"
    return "held: read as U+FFFD, both items stored"


CASES = [
    Case("JSON Feed item `url` with an OSC 52 clipboard write", _jsonfeed_osc52),
    Case("JSON Feed `external_url` and `id` with OSC 52 and C1", _jsonfeed_other_fields),
    Case("JSON Feed URLs with C1, bidi, zero-width, NUL, 200,000 chars", _stored_url_characters),
    Case("Listing page detail link `&#27;]52;…` (ESC in lxml)", _listing_osc52),
    Case("Announced feed `<link rel=alternate>` with OSC 52: add/probe", _announced_osc52),
    Case("Items dated 9999-12-31T23:59:59-01:00 and 0001-01-01T00:00+01:00", _far_dates),
    Case("JSON Feed item link `http://[::1/bad`", _jsonfeed_bad_link),
    Case("Announced feed `http://[::1/bad` beside a good one", _announced_bad_link),
    Case("JSON Feed item nested 5,000 arrays deep", _jsonfeed_deep_item),
    Case("JSON Feed item with half a UTF-16 pair (`\\ud800`)", _jsonfeed_lone_surrogate),
]
