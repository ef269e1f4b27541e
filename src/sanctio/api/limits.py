"""What keeps hostile input or load from hurting the service: a cap on every request
body, read as it arrives, and a bounded pool of threads with a queue for the work
that takes CPU for long (screening batches, forensic reports).

A body larger than the cap is refused with 413 when its ``Content-Length`` says so,
or as soon as the bytes received pass the cap (chunked or lying about its length):
never read whole into memory. Work handed to the pool runs in one of a few threads,
so the event loop goes on answering (``/healthz``, single screenings) meanwhile;
when the threads are busy and the queue is full, 503 with ``Retry-After`` instead of
an ever longer wait.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread
from fastapi import HTTPException
from fastapi.exceptions import RequestValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

T = TypeVar("T")

#: Seconds a client is told to wait when the pool is full.
RETRY_AFTER = 1
#: How long a thread holds the GIL while another waits for it (CPython's default is
#: 5 ms): the event loop's thread waits this long at each hand-over while the pool's
#: threads screen, see ``WorkPool``.
SWITCH_INTERVAL = 0.0005


def over_limit(where: tuple[str, ...], message: str, value: object) -> RequestValidationError:
    """A request over a limit as FastAPI's 422 words an invalid one (a list of problems,
    each with its location), so that clients and the OpenAPI description see one shape."""
    return RequestValidationError(
        [{"type": "value_error", "loc": where, "msg": message, "input": value}]
    )


class BodyTooLargeError(HTTPException):
    """A request body past the cap: 413, raised while it is being received."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            detail=f"The request body is larger than {_size(limit)}; expected at most "
            f"{limit} bytes (SANCTIO_MAX_BODY_BYTES).",
        )


def _size(limit: int) -> str:
    if limit % 2**20 == 0:
        return f"{limit // 2**20} MiB"
    if limit % 1024 == 0:
        return f"{limit // 1024} KiB"
    return f"{limit} bytes"


class BodyLimit:
    """ASGI middleware: every request body capped at ``limit`` bytes, except files sent
    as multipart/form-data to the paths of ``uploads`` (pattern -> their own cap)."""

    def __init__(self, app: ASGIApp, limit: int, uploads: dict[str, int] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.uploads = [(re.compile(p), cap) for p, cap in (uploads or {}).items()]

    def cap(self, scope: Scope) -> int:
        """The most bytes this request's body may hold."""
        path = scope["path"]
        media = dict(scope["headers"]).get(b"content-type", b"").split(b";")[0].strip().lower()
        if media != b"multipart/form-data":
            return self.limit
        for pattern, cap in self.uploads:
            if pattern.fullmatch(path):
                return max(cap, self.limit)
        return self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.cap(scope)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(BodyTooLargeError(limit), send)
            return
        received = 0
        started = tripped = False

        async def counted() -> Message:
            nonlocal received, tripped
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    tripped = True
                    raise BodyTooLargeError(limit)
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if tripped:  # answered by FastAPI's handler: the rest is never read
                    headers = [(k, v) for k, v in message.get("headers", []) if k != b"connection"]
                    message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except BodyTooLargeError as exc:  # raised outside FastAPI's handlers (a middleware)
            if started:
                raise
            await _refuse(exc, send)


async def _refuse(exc: BodyTooLargeError, send: Send) -> None:
    """413 as FastAPI words an error, and the connection closed: the rest of the body
    is never read."""
    body = json.dumps({"detail": exc.detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class WorkPool:
    """A few threads for CPU work, and a queue of bounded length in front of them.

    Threads share the GIL with the event loop: while they screen, the loop's thread
    gets it back only when a thread's switch interval runs out, and an answer hands it
    over several times. With the interval at 0.5 ms, four clients each sending queries
    of 1,000 names (0.4-0.7 s of CPU each), /healthz answered in a median of 20 ms and
    at most 65 ms on a loaded 2-core machine (idle: up to 20 ms); screened on the event
    loop, as before, it waited for each query whole. More threads add no speed (the
    GIL), only fairness between long and short work: a process uses one core, and
    ``sanctio serve --workers`` more.
    """

    def __init__(self, threads: int, queue: int) -> None:
        self.threads = threads
        self.queue = queue
        self.admitted = 0  # running or waiting
        self._limiter: anyio.CapacityLimiter | None = None

    async def run(self, func: Callable[..., T], *args: object) -> T:
        """``func(*args)`` in one of the pool's threads; 503 when every thread is busy
        and ``queue`` requests wait already."""
        if self.admitted >= self.threads + self.queue:
            raise HTTPException(
                503,
                detail=f"The service is busy: {self.threads} requests are being worked on "
                f"and {self.queue} wait; try again shortly.",
                headers={"Retry-After": str(RETRY_AFTER)},
            )
        if self._limiter is None:  # made on the event loop that uses it
            self._limiter = anyio.CapacityLimiter(self.threads)
            if sys.getswitchinterval() > SWITCH_INTERVAL:
                sys.setswitchinterval(SWITCH_INTERVAL)
        self.admitted += 1
        try:
            return await anyio.to_thread.run_sync(func, *args, limiter=self._limiter)
        finally:
            self.admitted -= 1
