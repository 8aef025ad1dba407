"""``newsroom extract``'s extraction, held to the poll's deadline.

The page is extracted in a child process; one that takes longer than
:data:`worker_pool.WORK_DEADLINE` fails in one line (``parsing took longer than 30 s``), as it
would in a poll, and the child is killed: the command never hangs on one page, however
hostile. The child is forked from the command, which has imported the extractor already
(one process, one page: no fork server, no second import of the extractor).
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from typing import Any

from newsroom_tui.extract import extract_page
from newsroom_tui.ingest import worker_pool
from newsroom_tui.ingest.worker_lifetime import die_with_parent
from newsroom_tui.models import ExtractedPage


def extract_with_deadline(data: bytes, url: str | None, content_type: str | None) -> ExtractedPage:
    """``extract_page(data, url, content_type)`` within the deadline;
    :class:`worker_pool.WorkerError` when it runs over or the child dies."""
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork") if fork else multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe(duplex=False)
    child = context.Process(target=_extract_into, args=(theirs, data, url, content_type))
    child.daemon = True
    child.start()
    theirs.close()
    try:
        if not ours.poll(worker_pool.WORK_DEADLINE):  # True for an answer, and for an end
            raise worker_pool.WorkerError(
                f"parsing took longer than {worker_pool.WORK_DEADLINE:.0f} s"
            )
        status, value = ours.recv()
    except EOFError:
        raise worker_pool.WorkerError("the parser process stopped unexpectedly") from None
    finally:
        child.kill()
        child.join()
        ours.close()
    if status == "error":
        raise value
    page: ExtractedPage = value
    return page


def _extract_into(conn: Connection, data: bytes, url: str | None, content_type: str | None) -> None:
    die_with_parent()  # a kill -9 of the command takes the child along
    try:
        reply: tuple[str, Any] = ("ok", extract_page(data, url, content_type))
    except Exception as exc:  # raised again by the command
        reply = ("error", exc)
    try:
        conn.send(reply)
    except Exception as exc:  # an exception that does not pickle
        conn.send(("error", worker_pool.WorkerError(str(exc).splitlines()[0] if str(exc) else "")))
