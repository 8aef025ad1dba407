"""Issue #24, URLs made outside the one rule: a JSON Feed item's link carrying OSC 52."""

from __future__ import annotations

import json

from hostile_third_kit import Case, Side, has_escape, last_line

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"


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


CASES = [Case("JSON Feed item `url` with an OSC 52 clipboard write", _jsonfeed_osc52)]
