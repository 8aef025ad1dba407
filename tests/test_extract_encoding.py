"""decode_html: charset from header, meta, BOM, UTF-8, detection; Latin-1 read as cp1252."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from newsroom_tui.extract import decode_html

PAGES = Path(__file__).parent / "fixtures" / "pages"
TEXT = "Grüße aus Herne: „Fragen & Antworten“ – 5 € für Bürger"


def _page(charset_meta: str, body: str = TEXT) -> str:
    return f"<html><head>{charset_meta}<title>T</title></head><body><p>{body}</p></body></html>"


def test_utf8_without_declaration() -> None:
    html = _page("")
    assert decode_html(html.encode("utf-8")) == html


def test_header_charset() -> None:
    html = _page("")
    data = html.encode("cp1252")
    assert decode_html(data, "text/html; charset=windows-1252") == html


@pytest.mark.parametrize("label", ["iso-8859-1", "ISO-8859-1", "latin1", "latin-1", "us-ascii"])
def test_declared_latin1_is_read_as_cp1252(label: str) -> None:
    html = _page("")
    data = html.encode("cp1252")  # „ “ € – are 0x84 0x93 0x80 0x96
    assert decode_html(data, f"text/html; charset={label}") == html
    assert decode_html(data, f'text/html; charset="{label}"') == html


def test_meta_charset() -> None:
    html = _page('<meta charset="iso-8859-1">')
    assert decode_html(html.encode("cp1252")) == html


def test_meta_http_equiv() -> None:
    html = _page('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')
    assert decode_html(html.encode("cp1252")) == html


def test_meta_after_4kb_is_not_seen_but_detection_still_works() -> None:
    html = "<html><head><!--" + "x" * 5000 + '--><meta charset="windows-1252"></head>'
    html += f"<body><p>{TEXT}</p></body></html>"
    text = decode_html(html.encode("cp1252"))
    assert "Grüße" in text


def test_header_wins_over_meta() -> None:
    html = _page('<meta charset="utf-8">')
    data = html.encode("cp1252")
    assert decode_html(data, "text/html; charset=windows-1252") == html


def test_header_without_charset_falls_back_to_meta() -> None:
    html = _page('<meta charset="windows-1252">')
    assert decode_html(html.encode("cp1252"), "text/html") == html


def test_unknown_declared_charset_is_ignored() -> None:
    html = _page('<meta charset="x-no-such-charset">')
    assert decode_html(html.encode("utf-8")) == html


def test_utf8_bom() -> None:
    html = _page("")
    assert decode_html(codecs.BOM_UTF8 + html.encode("utf-8")) == html


def test_utf16_bom() -> None:
    html = _page("")
    assert decode_html(codecs.BOM_UTF16_LE + html.encode("utf-16-le")) == html


def test_bom_wins_over_a_wrong_declaration() -> None:
    html = _page('<meta charset="iso-8859-1">')
    data = codecs.BOM_UTF8 + html.encode("utf-8")
    assert decode_html(data, "text/html; charset=iso-8859-1") == html


def test_valid_utf8_despite_a_stale_latin1_declaration() -> None:
    # A page re-saved as UTF-8 that kept its old declaration (or a server default header).
    html = _page('<meta charset="iso-8859-1">')
    assert decode_html(html.encode("utf-8"), "text/html; charset=ISO-8859-1") == html


def test_undeclared_cp1252_is_detected_or_falls_back() -> None:
    html = _page("", body=TEXT + " Öffnungszeiten der Bürgerämter. " * 20)
    text = decode_html(html.encode("cp1252"))
    assert "Grüße" in text
    assert "Bürgerämter" in text


def test_invalid_bytes_do_not_raise() -> None:
    text = decode_html(b'<meta charset="utf-8"><p>ok \xff\xfe broken</p>')
    assert "ok" in text


def test_latin1_fixture_matches_utf8_fixture() -> None:
    utf8 = decode_html((PAGES / "herne-meldung.html").read_bytes())
    latin1 = decode_html((PAGES / "herne-meldung-latin1.html").read_bytes())
    assert b"\x84" in (PAGES / "herne-meldung-latin1.html").read_bytes()
    assert latin1 == utf8.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
