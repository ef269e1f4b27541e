"""``POST /match/{dataset}`` answered without FastAPI's per-request machinery, when it
is a plain request the route would answer with its results.

The busiest request of a screening service costs about 1.6 ms of CPU in-process, of
which routing, dependency solving, body parsing and the middleware chain take 0.3 ms,
and in a loaded server all of it two to three times that (docs/benchmarks.md). The
shortcut answers only what the route would answer with 200, through the route's own
code (``screen_batch``, ``answer``): an open service (no token to check), a dataset
known without asking the database whose index is loaded, options and body that
validate, one query of a few values. Every other request (a token, a bad option or body, an unknown
dataset, a batch, a failure while answering) goes on to FastAPI with its body as
received, so refusals, their shapes and the OpenAPI description stay FastAPI's own.
"""

from __future__ import annotations

import json
import re

from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sanctio.api.deps import Service
from sanctio.api.models import EntityMatchQuery
from sanctio.api.query_params import read_query
from sanctio.api.routers.match import (
    MatchOptions,
    algorithm_used,
    answer,
    inline,
    screen_batch,
    too_many_names,
)

_PATH = re.compile(r"^/match/([^/]+)$")
#: Bodies larger than this go to FastAPI (a single query is a few hundred bytes).
MAX_BODY = 64 * 1024


class MatchShortcut:
    """ASGI middleware: plain ``/match`` requests answered here, the rest passed on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = _PATH.match(scope["path"]) if scope["type"] == "http" else None
        if path is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        received, body = await _read_body(receive)
        response = None if body is None else shortcut(scope, path.group(1), body)
        if response is None:
            await self.app(scope, _replay(received, receive), send)
            return
        await response(scope, receive, send)


def shortcut(scope: Scope, dataset: str, body: bytes) -> Response | None:
    """The route's answer to a plain request, or None when FastAPI must answer it."""
    headers = dict(scope["headers"])
    content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    if b"authorization" in headers or content_type != b"application/json":
        return None
    service: Service = scope["app"].state.service
    if service.require_token:
        return None
    try:
        known = service.known_dataset(dataset)
        options = read_query(MatchOptions, QueryParams(scope["query_string"]))
        batch = EntityMatchQuery.model_validate(json.loads(body))
        used = algorithm_used(options.algorithm)
    except Exception:  # an unknown dataset, a bad option, body or algorithm:
        return None  # the route refuses it in its own words (too deep for json: a 400)
    if known is None or service.loaded_screener(known) is None:
        return None
    if not inline(batch):  # a batch, or a query of many values: off the event loop
        return None
    if too_many_names(batch, scope["app"].state.max_match_names):
        return None  # the route refuses it
    try:
        responses = screen_batch(service, known, batch, options)
        return answer(responses, options, used)
    except Exception:  # FastAPI answers it again, with its own handling
        return None


async def _read_body(receive: Receive) -> tuple[list[Message], bytes | None]:
    """The messages received, and the whole body (None when it is larger than
    ``MAX_BODY`` or the client went away first)."""
    received: list[Message] = []
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        received.append(message)
        if message["type"] != "http.request":
            return received, None
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BODY:
            return received, None
        if not message.get("more_body", False):
            return received, b"".join(chunks)


def _replay(received: list[Message], receive: Receive) -> Receive:
    """``receive`` giving back the messages already read first."""
    pending = list(received)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
