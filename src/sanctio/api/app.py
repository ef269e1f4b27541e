"""The FastAPI application: yente's matching and read API over Sanctio's registry.

``create_app`` opens the registry, starts loading the index of every list in the
background at start-up (``/readyz`` says when it is done) and mounts one router per
resource. Run it with ``sanctio serve``, or any ASGI server:
``uvicorn --factory sanctio.api.app:create_app``.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic_core import PydanticSerializationError

from sanctio import __version__, settings
from sanctio.api.access_log import AccessLines, AccessLog, redact_uvicorn_access_log
from sanctio.api.deps import Service
from sanctio.api.docs import include_docs
from sanctio.api.limits import BodyLimit, WorkPool
from sanctio.api.match_shortcut import MatchShortcut
from sanctio.api.routers import catalog, entities, forensics, health, match
from sanctio.api.routers.own import include_own_routers
from sanctio.errors import NotFoundError, SanctioError
from sanctio.registry import Registry
from sanctio.web import include_web

DESCRIPTION = """
Screening against sanctions lists, with an explanation for every score, and the lists
themselves. The matching (`/match`), search (`/search`), entity (`/entities`) and
catalog (`/catalog`) endpoints take yente's requests and give yente's responses, so a
client written for yente or OpenSanctions' API works against Sanctio unchanged; see
docs/api.md for what differs.

A *dataset* is a list of the registry (`eu-32006R0765`, or a regime's published list
`sanctio-blr`), or `default`: all of them.
"""

TAGS = [
    {"name": "Matching", "description": "Screen entities (yente's `/match`)."},
    {"name": "Data access", "description": "Search listed entities by name; read one."},
    {"name": "System information", "description": "Datasets, and the orchestrator's probes."},
]


def create_app(
    config: settings.Settings | None = None,
    require_token: bool | None = None,
    access_log: bool = False,
) -> FastAPI:
    """The API over the registry ``config`` names (default: from the environment).

    ``require_token``: close the data endpoints to requests without a user's token
    (default: the SANCTIO_API_REQUIRE_TOKEN setting). ``access_log``: a line on standard
    output for each request (``sanctio serve`` logs them unless told not to; an ASGI
    server may log them itself).
    """
    config = config or settings.load()
    required = settings.api_require_token() if require_token is None else require_token
    registry = Registry(config.db_url)
    service = Service(registry, config.data_dir, required)
    logged = AccessLines()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # loading in a thread: /healthz answers at once, /readyz once loaded
        threading.Thread(target=service.warm_up, name="sanctio-warm-up", daemon=True).start()
        yield
        logged.flush()
        registry.close()

    app = FastAPI(
        title="Sanctio",
        version=__version__,
        summary="Sanctions screening with explained scores; yente-compatible.",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        license_info={"name": "MIT", "identifier": "MIT"},
        lifespan=lifespan,
        docs_url=None,  # served from the package's own files: ``api/docs.py``
        redoc_url=None,
    )
    app.state.service = service
    app.state.pool = WorkPool(settings.api_work_threads(), settings.api_work_queue())
    app.state.max_match_names = settings.max_match_names()
    include_docs(app)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(SanctioError, _refused)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(UnicodeEncodeError, _unencodable)
    app.add_exception_handler(PydanticSerializationError, _unencodable)
    for module in (match, entities, catalog, health):
        app.include_router(module.router)
    include_web(app)
    include_own_routers(app)
    app.add_middleware(MatchShortcut)
    # outside the shortcut, which reads /match bodies itself
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes(), uploads=UPLOADS)
    redact_uvicorn_access_log()  # when uvicorn logs instead (``uvicorn --factory``)
    if access_log:  # outermost: every answer is logged, the shortcut's too
        app.add_middleware(AccessLog, lines=logged)
    return app


#: Paths that take files (as multipart/form-data), and the most their bodies may hold:
#: a results file and an independent count (each up to forensics.MAX_UPLOAD_BYTES), an
#: evidence file (its route refuses one over MAX_EVIDENCE_BYTES by Content-Length first).
UPLOADS = {
    r"/forensics/(integer-test|report)": 2 * forensics.MAX_UPLOAD_BYTES + 2**20,
    r"/ui/forensics/report": 2 * forensics.MAX_UPLOAD_BYTES + 2**20,
    r"/dossiers/[^/]+/evidence": (1 << 30) + 2**20,
}


async def _not_found(_request: Request, exc: Exception) -> JSONResponse:
    """An unknown dataset or entity: 404 with what is known, as one message."""
    return JSONResponse({"detail": str(exc)}, status_code=404)


async def _refused(_request: Request, exc: Exception) -> JSONResponse:
    """Any other failure Sanctio explains (the database refusing, say): its message
    instead of a bare 'Internal Server Error'."""
    return JSONResponse({"detail": str(exc)}, status_code=500)


def _safe(value: Any) -> Any:
    """``value`` with every lone surrogate (text JSON can escape, UTF-8 cannot hold)
    replaced by U+FFFD, so that a refusal can still echo what was sent."""
    if isinstance(value, str):
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in value)
    if isinstance(value, dict):
        return {_safe(k): _safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_safe(v) for v in value]
    return value


async def _invalid(request: Request, exc: Exception) -> Response:
    """FastAPI's 422, echoing the input safely: a lone surrogate in it would make the
    refusal itself fail."""
    assert isinstance(exc, RequestValidationError)
    errors = [_safe(jsonable_encoder(error)) for error in exc.errors()]
    return await request_validation_exception_handler(request, RequestValidationError(errors))


async def _unencodable(_request: Request, exc: Exception) -> JSONResponse:
    """A request whose text UTF-8 cannot hold (a lone surrogate escaped in JSON, or
    in a percent-encoded path) reached an answer that repeats it: 400, not a failure.
    Requests that change something refuse such text before acting (``RequestModel``)."""
    return JSONResponse(
        {
            "detail": "The request holds text that UTF-8 cannot encode (a lone surrogate "
            "such as \\ud800); expected Unicode text."
        },
        status_code=400,
    )
