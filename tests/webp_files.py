"""WebP files written by hand, for the image tests and the benchmark."""

from __future__ import annotations

import struct


def one_colour_webp(width: int, height: int) -> bytes:
    """A lossless WebP of one colour (32 bytes whatever its size): every prefix code has one
    symbol, so a pixel takes no bits. Made without an encoder, which would hold the whole
    image in memory."""
    fields = [(width - 1, 14), (height - 1, 14), (0, 1), (0, 3), (0, 1), (0, 1), (0, 1)]
    for symbol in (128, 0, 128, 255):  # green, red, blue, alpha: one 8-bit symbol each
        fields += [(1, 1), (0, 1), (1, 1), (symbol, 8)]
    fields += [(1, 1), (0, 1), (0, 1), (0, 1)]  # distance: one 1-bit symbol
    value = shift = 0
    for bits, size in fields:
        value |= bits << shift
        shift += size
    payload = b"\x2f" + value.to_bytes((shift + 7) // 8, "little")
    payload += b"\x00" * (len(payload) % 2)
    chunk = b"VP8L" + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk
