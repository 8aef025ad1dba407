"""Content-Encoding decoding that never makes more than a given number of bytes.

httpx's decoders inflate a whole network chunk at once (a small gzip chunk can become hundreds
of megabytes in one call); this one inflates at most what is still allowed, so a compression
bomb is stopped after ``max_bytes`` whatever its ratio.
"""

from __future__ import annotations

import zlib

import httpx


class DecodedTooLarge(Exception):
    pass


class UnsupportedEncoding(Exception):
    pass


class BrokenData(UnsupportedEncoding):
    """Data that does not decode as its (supported) encoding says."""


class BoundedDecoder:
    def __init__(self, content_encoding: str | None, max_bytes: int) -> None:
        encodings = [e.strip().lower() for e in (content_encoding or "").split(",") if e.strip()]
        encodings = [e for e in encodings if e != "identity"]
        if len(encodings) > 1 or (encodings and encodings[0] not in ("gzip", "x-gzip", "deflate")):
            raise UnsupportedEncoding(content_encoding or "")
        self._encoding = encodings[0] if encodings else None
        self._max = max_bytes
        self._size = 0
        self._inflater: zlib._Decompress | None = None
        self._first = True
        if self._encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)

    def _check(self, produced: int) -> None:
        self._size += produced
        if self._size > self._max:
            raise DecodedTooLarge()

    def feed(self, data: bytes) -> bytes:
        if self._encoding is None:
            self._check(len(data))
            return data
        if self._inflater is None:  # deflate: zlib-wrapped, or raw as some servers send it
            wbits = zlib.MAX_WBITS if data[:1] and (data[0] & 0x0F) == 8 else -zlib.MAX_WBITS
            self._inflater = zlib.decompressobj(wbits)
        out: list[bytes] = []
        pending = data
        while pending:
            room = self._max - self._size + 1
            try:
                piece = self._inflater.decompress(pending, room)
            except zlib.error as exc:
                raise BrokenData(f"broken {self._encoding} data: {exc}") from None
            self._check(len(piece))
            out.append(piece)
            pending = self._inflater.unconsumed_tail
            if self._inflater.eof:
                break
        return b"".join(out)

    def flush(self) -> bytes:
        if self._inflater is None:
            return b""
        rest = self._inflater.flush()
        self._check(len(rest))
        return rest


async def read_bounded(response: httpx.Response, max_bytes: int) -> bytes:
    """The body of ``response``, decoded from the raw stream so that no more than ``max_bytes``
    are ever inflated: DecodedTooLarge beyond that, UnsupportedEncoding for an encoding that is
    not decoded here, BrokenData for data that does not decode."""
    if response.is_stream_consumed:  # read already (in-memory test transports): decoded
        if len(response.content) > max_bytes:
            raise DecodedTooLarge()
        return response.content
    decoder = BoundedDecoder(response.headers.get("content-encoding"), max_bytes)
    chunks = [decoder.feed(raw) async for raw in response.aiter_raw()]
    chunks.append(decoder.flush())
    return b"".join(chunks)
