"""The access log: uvicorn's line for each request, written in batches."""

from __future__ import annotations

import asyncio
import io
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.types import Message, Receive, Scope, Send
from uvicorn.config import LOGGING_CONFIG
from uvicorn.logging import AccessFormatter

from sanctio.api import access_log
from sanctio.api.access_log import AccessLines, AccessLog


def _scope(path: str = "/match/default", query: bytes = b"", method: str = "POST") -> Scope:
    return {
        "type": "http",
        "method": method,
        "path": path,
        "root_path": "",
        "query_string": query,
        "http_version": "1.1",
        "client": ("127.0.0.1", 50123),
        "headers": [],
    }


def _uvicorn_line(scope: Scope, status: int) -> str:
    """What uvicorn's own access log writes for the request (without colours), the
    query's values redacted as Sanctio's filter on uvicorn's logger does."""
    fmt = LOGGING_CONFIG["formatters"]["access"]["fmt"]
    query = scope["query_string"].decode()
    path = scope["path"] + (f"?{access_log.redacted(query)}" if query else "")
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        0,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:50123", scope["method"], path, "1.1", status),
        None,
    )
    return AccessFormatter(fmt=fmt, use_colors=False).format(record) + "\n"


async def _answer(app: AccessLog, scope: Scope) -> None:
    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_message: Message) -> None:
        return None

    await app(scope, receive, send)


def _app(status: int | None, lines: AccessLines) -> AccessLog:
    """A bare ASGI app answering ``status`` (None: failing before it answers), logged."""

    async def app(_scope: Scope, _receive: Receive, send: Send) -> None:
        if status is None:
            raise RuntimeError("failed")
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    return AccessLog(app, lines)


@given(
    path=st.sampled_from(["/match/default", "/entities/eu-1", "/search/default", "/"]),
    query=st.sampled_from([b"", b"threshold=0.7&limit=5", b"q=Lukashenko"]),
    status=st.sampled_from([200, 201, 204, 400, 401, 404, 422, 500, 503]),
    method=st.sampled_from(["GET", "POST", "DELETE"]),
)
def test_each_line_is_the_one_uvicorn_writes(
    path: str, query: bytes, status: int, method: str
) -> None:
    """Log readers and their parsers written for uvicorn's access log keep working
    (the query string's values written ``*``)."""
    written = io.StringIO()
    lines = AccessLines(written)
    scope = _scope(path, query, method)
    asyncio.run(_answer(_app(status, lines), scope))
    lines.flush()
    assert written.getvalue() == _uvicorn_line(scope, status)


def test_lines_are_written_together_within_a_second() -> None:
    """Nothing is written per request; the lines of a burst go out in one write, at most
    ``FLUSH_AFTER`` seconds after the first."""
    written = io.StringIO()
    lines = AccessLines(written)
    app = _app(200, lines)

    async def burst() -> tuple[str, str]:
        for _ in range(3):
            await _answer(app, _scope())
        before = written.getvalue()
        await asyncio.sleep(access_log.FLUSH_AFTER + 0.3)
        return before, written.getvalue()

    before, after = asyncio.run(burst())
    assert before == ""
    assert after == _uvicorn_line(_scope(), 200) * 3


def test_a_long_burst_is_written_without_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """At ``MOST_PENDING`` lines they are written at once: memory stays bounded however
    fast requests come."""
    monkeypatch.setattr(access_log, "MOST_PENDING", 10)
    written = io.StringIO()
    lines = AccessLines(written)
    app = _app(200, lines)

    async def burst() -> str:
        for _ in range(25):
            await _answer(app, _scope())
        return written.getvalue()

    assert asyncio.run(burst()).count("\n") == 20


def test_a_request_that_fails_is_logged_as_the_500_it_gets() -> None:
    """An exception before the answer reaches the server's error handling outside the
    log, which answers 500: the line says 500, and the exception is not swallowed."""
    written = io.StringIO()
    lines = AccessLines(written)
    with pytest.raises(RuntimeError, match="failed"):
        asyncio.run(_answer(_app(None, lines), _scope()))
    lines.flush()
    assert written.getvalue() == _uvicorn_line(_scope(), 500)
