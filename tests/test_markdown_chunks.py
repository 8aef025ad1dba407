from __future__ import annotations

from newsroom_tui.text.markdown_chunks import markdown_chunks


def test_chunks_rejoin_to_the_whole_text() -> None:
    text = "\n\n".join(f"Absatz {i} über Straßenbau." for i in range(1000))
    chunks = markdown_chunks(text, size=500, max_blocks=10)
    assert len(chunks) > 50
    assert "\n\n".join(chunks) == text
    assert all(c.count("\n\n") < 10 for c in chunks)


def test_fenced_code_is_never_split() -> None:
    code = "```\nzeile 1\n\nzeile 2\n```"
    text = "\n\n".join(["Vorher."] * 5 + [code] + ["Nachher."] * 5)
    chunks = markdown_chunks(text, size=10, max_blocks=1)
    assert code in chunks
    assert "\n\n".join(chunks) == text


def test_short_text_is_one_chunk() -> None:
    assert markdown_chunks("Nur ein Absatz.") == ["Nur ein Absatz."]
