"""Issue #24, found in review: attacks the first fixes left open.

A watchlist query with an escape sequence printed by watch list, a feed a public page
announces on another host fetched from this machine, a JSON Feed item with a 5,000-digit id
failing its feed, and keep_days meant as "for ever" failing every poll.
"""

from __future__ import annotations

import json

from hostile_third_kit import Case, Side, has_escape, last_line

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
TEXT = "<p>Die Stadt Herne teilt mit: Die Kita in Sodingen ist eröffnet.</p>" * 20


def _watch_query_escape(side: Side) -> str:
    added = side.run(["watch", "add", "Kampfmittel", f"Fliegerbombe {OSC52} Herne"])
    listed = side.run(["watch", "list"])
    out = added.stdout + added.stderr + listed.stdout + listed.stderr
    if has_escape(out):
        return "broken: watch add / watch list printed the query's escape sequence"
    return f"held: {last_line(added.stderr)[:80]}"


def _announced_feed_elsewhere(side: Side) -> str:
    server = side.server
    port = server.base.rsplit(":", 1)[1]
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Intern'
        "</title><item><title>Admin</title><guid>a</guid></item></channel></rss>"
    )
    server.add("/intern.rss", rss, "application/rss+xml")
    server.add(
        "/presse.html",
        '<html><head><title>Presse | Stadt Herne</title><link rel="alternate" '
        f'type="application/rss+xml" href="http://localhost:{port}/intern.rss"></head>'
        "<body><p>Willkommen.</p></body></html>",
    )
    added = side.run(["add", server.url("/presse.html")], env=side.plain_env)
    if server.requests_for("/intern.rss"):
        return f"broken: add fetched the announced feed on localhost (exit {added.returncode})"
    refusal = added.stderr[added.stderr.find("refused:") :].strip()
    return f"held: no request to it ({refusal[:60]})"


def _jsonfeed_long_number(side: Side) -> str:
    text = json.dumps(TEXT)
    feed = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Stadt Herne", "items": ['
        f'{{"id": "h-1", "title": "Kita eröffnet", "content_html": {text}}},'
        f'{{"id": {"7" * 5000}, "title": "Zahl", "content_html": {text}}},'
        f'{{"id": "h-2", "title": "Haushalt vorgelegt", "content_html": {text}}}]}}'
    )
    side.server.add("/feed.json", feed, "application/feed+json")
    side.run(["add", "--force", side.server.url("/feed.json")])
    fetched = side.run(["fetch"])
    listed = side.run(["list", "--json"])
    try:
        count = len(json.loads(listed.stdout or "[]"))
    except ValueError:
        count = 0
    if count < 2:
        return f"broken: {count} of 3 items stored: {last_line(fetched.stderr)}"
    return f"held: {count} of 3 items stored"


def _keep_days_for_ever(side: Side) -> str:
    config = side.work / "for-ever.toml"
    config.write_text('[general]\nallow_private_addresses = ["127.0.0.1"]\nkeep_days = 1000000\n')
    env = {**side.env, "NEWSROOM_CONFIG": str(config)}
    side.server.add("/feed.json", json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Stadt Herne",
        "items": [{"id": "h-1", "title": "Kita eröffnet", "content_html": TEXT}],
    }), "application/feed+json")  # fmt: skip
    side.run(["add", "--force", side.server.url("/feed.json")], env=side.plain_env)
    fetched = side.run(["fetch"], env=env)
    if "internal error" in fetched.stderr or "Traceback" in fetched.stderr:
        return f"broken: {last_line(fetched.stderr)}"
    if "not a known setting" in fetched.stderr:
        return "broken: no retention at all (keep_days is not a setting)"
    if fetched.returncode == 2:
        return f"held: {last_line(fetched.stderr)[-70:]}"
    return f"broken: fetch exit {fetched.returncode}: {last_line(fetched.stdout)}"


CASES = [
    Case("Watchlist query with OSC 52, printed by watch list", _watch_query_escape),
    Case("Public page announcing a feed on localhost: add", _announced_feed_elsewhere),
    Case("JSON Feed item id of 5,000 digits", _jsonfeed_long_number),
    Case("keep_days = 1000000 (meant as for ever)", _keep_days_for_ever),
]
