"""Issue #24, the network side: entity bombs in encodings a byte scan does not read, addresses
reached from content, non-ASCII validators, a WebP that decodes large, a feed of slow pages."""

from __future__ import annotations

from hostile_third_kit import Case, Side, last_line

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


CASES = [
    Case("entity bombs in EBCDIC (cp037) and UTF-32 without a BOM", _entity_bombs),
]
