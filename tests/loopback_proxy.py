"""A loopback TCP proxy in a thread of its own (127.0.0.1:port -> 127.0.0.1:target): the
base of the tests' and benchmarks' proxies that stand between a client and the team's
PostgreSQL. A subclass says what happens to the bytes of each direction (``_pipe``)."""

from __future__ import annotations

import asyncio
import threading


class LoopbackProxy:
    def __init__(self, target: int) -> None:
        self.target, self.port = target, 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()
        if not self._ready.wait(10):
            raise RuntimeError("the loopback proxy did not start")

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        await asyncio.gather(
            self._pipe(reader, up_writer, "client"), self._pipe(up_reader, writer, "server")
        )

    async def _pipe(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, side: str
    ) -> None:
        """Carry ``source`` to ``sink``; ``side``: whose bytes they are ("client", "server")."""
        raise NotImplementedError
