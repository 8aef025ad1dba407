"""Issue #24, the network side: entity bombs in encodings a byte scan does not read, addresses
reached from content, non-ASCII validators, a WebP that decodes large, a feed of slow pages."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

from hostile_third_kit import Case, Side, last_line

from tests.webp_files import one_colour_webp

# Seven levels of ten: 30 million characters once expanded (the attack used nine: 2.1 GB).
LAUGHS = '<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 8)
)


def _bomb(codec: str, declared: str) -> bytes:
    text = (
        f'<?xml version="1.0" encoding="{declared}"?><!DOCTYPE rss [{LAUGHS}]>'
        '<rss version="2.0"><channel><title>Stadt Herne</title><item><title>Sperrung</title>'
        "<description>&lol7;</description><guid>herne-1</guid></item></channel></rss>"
    )
    return text.encode(codec)


def _entity_bombs(side: Side) -> str:
    side.server.add("/ebcdic.rss", _bomb("cp037", "cp037"), "application/rss+xml")
    side.server.add("/utf32.rss", _bomb("utf-32-le", "UTF-32"), "application/rss+xml")
    for path in ("/ebcdic.rss", "/utf32.rss"):
        side.run(["add", "--force", side.server.url(path)])
    fetched = side.run(["fetch"])
    out = fetched.stdout + fetched.stderr
    refused = out.count("refused: ")
    if fetched.returncode == -9:
        return "broken: fetch still running after the case's limit"
    if refused < 2:
        return f"broken: {2 - refused} of 2 bombs expanded: {last_line(out)}"
    return "held: both refused (`refused: … entity expansion`)"


def _non_ascii_etag(side: Side) -> str:
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Polizei'
        " Bochum</title><item><title>Unfall auf der A43</title><guid>pol-1</guid><description>"
        "<![CDATA[<p>Ein Lkw ist umgekippt.</p>]]></description></item></channel></rss>"
    )
    side.server.add("/polizei.rss", rss, "application/rss+xml")
    route = side.server.routes["/polizei.rss"]
    route.etag = '"Meldung-Größe-1"'  # Latin-1 bytes on the wire
    route.last_modified = "Mo, 03 März 2025 10:00:00 GMT"
    side.run(["add", "--force", side.server.url("/polizei.rss")])
    outcomes = [side.run(["fetch"]) for _ in range(3)]
    failed = [o for o in outcomes if o.returncode != 0]
    if failed:
        return f"broken: {len(failed)} of 3 polls failed: {last_line(failed[-1].stderr)}"
    return "held: 3 polls in a row, none failed"


def _long_webp(side: Side) -> str:
    path = side.work / "lang.webp"
    path.write_bytes(one_colour_webp(16383, 700))
    done = side.python(
        "import sys\n"
        "from newsroom_tui.net.image_cache import decode\n"
        "image = decode(open(sys.argv[1], 'rb').read())\n"
        "print('refused' if image is None else f'decoded to {image.width}x{image.height}')\n",
        str(path),
    )
    said = last_line(done.stdout)
    if said != "refused":
        return f"broken: a {path.stat().st_size}-byte WebP of 16383x700: {said}"
    return f"held: a {path.stat().st_size}-byte WebP of 16383x700 refused before decoding"


def _rss(links: list[str]) -> str:
    items = "".join(
        f"<item><title>Meldung {i}</title><link>{link}</link><guid>pol-{i}</guid>"
        "<description>Die Polizei Bochum sucht Zeugen.</description></item>"
        for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Polizei Bochum</title>{items}</channel></rss>"
    )


def _internal_service(side: Side) -> str:
    admin = "/admin/delete-all?confirm=1"
    side.server.add(admin, "<html><body><p>Alle Daten gelöscht.</p></body></html>")
    side.server.add("/polizei.rss", _rss([side.server.url(admin)] * 1 + [
        side.server.url(f"{admin}&n={i}") for i in range(8)
    ]), "application/rss+xml")  # fmt: skip
    for i in range(8):
        side.server.add(f"{admin}&n={i}", "<html><body><p>Alle Daten gelöscht.</p></body></html>")
    side.run(["add", "--force", side.server.url("/polizei.rss")], env=side.plain_env)
    fetched = side.run(["fetch"], env=side.plain_env)
    gets = sum(len(side.server.requests_for(p)) for p in side.server.routes if p.startswith(admin))
    if gets:
        return f"broken: the service on 127.0.0.1 got {gets} GETs from entry links"
    if fetched.returncode != 0:
        return f"broken: fetch exit {fetched.returncode}: {last_line(fetched.stderr)}"
    return "held: 0 GETs; `refused: link to a loopback address 127.0.0.1`, feed stored"


def _slow_pages(side: Side) -> str:
    import time

    def slow(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(25)  # under the fetcher's 30 s per request: each page one slow success
        body = "<html><body><article><p>Sperrung der Bahnhofstraße.</p></article></body></html>"
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body.encode())))
        handler.end_headers()
        handler.wfile.write(body.encode())

    links = [side.server.url(f"/langsam/{i}") for i in range(24)]
    for i in range(24):
        side.server.behaviours[f"/langsam/{i}"] = slow
    side.server.add("/herne.rss", _rss(links), "application/rss+xml")
    side.run(["add", "--force", side.server.url("/herne.rss")])
    start = time.perf_counter()
    fetched = side.run(["fetch"])
    took = time.perf_counter() - start
    out = fetched.stdout + fetched.stderr
    if "left for the next poll" not in out:
        return f"broken: one fetch took {took:.0f} s: {last_line(fetched.stdout)}"
    return f"held: fetch ended after {took:.0f} s: {last_line(fetched.stderr)}"


CASES = [
    Case("entity bombs in EBCDIC (cp037) and UTF-32 without a BOM", _entity_bombs),
    Case("a feed's ETag and Last-Modified with non-ASCII bytes", _non_ascii_etag),
    Case("a 32-byte WebP of 16383x700 pixels in a gallery", _long_webp),
    Case("9 entry links to an internal service on 127.0.0.1", _internal_service),
    Case("a feed of 24 summary-only entries whose pages take 25 s each", _slow_pages),
]
