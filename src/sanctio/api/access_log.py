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
"""

from __future__ import annotations

import asyncio
import http
import sys
from typing import TextIO
from urllib.parse import quote

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
            path = f"{path}?{scope['query_string'].decode('ascii', 'replace')}"
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
