"""Each request logged in one line, as uvicorn's access log writes it, at a small part
of its cost.

uvicorn's access log goes through ``logging`` for every request: a record made, the
caller's frame looked up, the record copied and formatted. Under load that was 6% of a
server process's time, more than routing the request (``py-spy`` on ``sanctio serve``
at 500 requests a second, docs/benchmarks.md). Here the line is made with one f-string
when the response is sent, and the lines are written to standard output together, at
most a second after the first of them, as nginx's ``access_log ... buffer= flush=``
does (https://nginx.org/en/docs/http/ngx_http_log_module.html#access_log): a line
costs microseconds, and a burst one write.

A query string is logged with its parameters' names only, each value written ``*``:
the values are the names being screened (``/ui/?q=``, ``/search?q=``), which a log
kept for months and read by operators must not hold. uvicorn's own access log, when it
writes instead (``uvicorn --factory sanctio.api.app:create_app``), is redacted the same
way by a filter on its logger (``redact_uvicorn_access_log``).
"""

from __future__ import annotations

import asyncio
import http
import logging
import sys
from typing import TextIO
from urllib.parse import parse_qsl, quote, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The longest a line waits before it is written...
FLUSH_AFTER = 1.0
#: ...and the most lines kept before they are written at once.
MOST_PENDING = 500
_PHRASES = {status.value: status.phrase for status in http.HTTPStatus}


class AccessLines:
    """The lines logged and not yet written, and when they will be."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self._pending: list[str] = []
        self._timer: asyncio.TimerHandle | None = None

    def add(self, scope: Scope, status: int) -> None:
        """The request's line, as uvicorn words it."""
        client = scope.get("client")
        where = f"{client[0]}:{client[1]}" if client else "-"
        path = quote(scope.get("root_path", "") + scope["path"])
        if scope.get("query_string"):
            path = f"{path}?{redacted(scope['query_string'].decode('latin-1'))}"
        self._pending.append(
            f'INFO:     {where} - "{scope["method"]} {path} HTTP/{scope["http_version"]}" '
            f"{status} {_PHRASES.get(status, '')}\n"
        )
        loop = asyncio.get_running_loop()
        if len(self._pending) >= MOST_PENDING:
            self.flush()
        elif self._timer is None:
            self._timer = loop.call_later(FLUSH_AFTER, self.flush)
        elif self._timer.when() < loop.time() - FLUSH_AFTER:
            self.flush()  # overdue: set on an event loop that has ended since

    def flush(self) -> None:
        """Write the lines kept so far (also when the server stops: its lifespan ends)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._pending:
            lines, self._pending = self._pending, []
            stream = self.stream or sys.stdout
            stream.write("".join(lines))
            stream.flush()


def redacted(query: str) -> str:
    """A query string with each parameter's value written ``*`` (``q=*&limit=*``): which
    parameters were sent, never what they said."""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(name, "*") for name, _ in pairs], safe="*")


class _RedactedPaths(logging.Filter):
    """uvicorn's access log records with the query string's values written ``*``."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            path, mark, query = args[2].partition("?")
            if mark:
                record.args = (*args[:2], f"{path}?{redacted(query)}", *args[3:])
        return True


def redact_uvicorn_access_log() -> None:
    """Make uvicorn's access log (``uvicorn.access``) leave query values out, once."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _RedactedPaths) for f in logger.filters):
        logger.addFilter(_RedactedPaths())


class AccessLog:
    """ASGI middleware: ``INFO:     127.0.0.1:50000 - "POST /match/default HTTP/1.1" 200 OK``
    for each HTTP request (no body, no header) into ``lines``."""

    def __init__(self, app: ASGIApp, lines: AccessLines) -> None:
        self.app = app
        self.lines = lines

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def logged(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                self.lines.add(scope, message["status"])
            await send(message)

        try:
            await self.app(scope, receive, logged)
        except BaseException:
            if not started:  # the server error middleware outside answers it with a 500
                self.lines.add(scope, 500)
            raise
