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

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from sanctio import __version__, settings
from sanctio.api.deps import Service
from sanctio.api.routers import catalog, entities, health, match
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
    config: settings.Settings | None = None, require_token: bool | None = None
) -> FastAPI:
    """The API over the registry ``config`` names (default: from the environment).

    ``require_token``: close the data endpoints to requests without a user's token
    (default: the SANCTIO_API_REQUIRE_TOKEN setting).
    """
    config = config or settings.load()
    required = settings.api_require_token() if require_token is None else require_token
    registry = Registry(config.db_url)
    service = Service(registry, config.data_dir, required)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # loading in a thread: /healthz answers at once, /readyz once loaded
        threading.Thread(target=service.warm_up, name="sanctio-warm-up", daemon=True).start()
        yield
        registry.close()

    app = FastAPI(
        title="Sanctio",
        version=__version__,
        summary="Sanctions screening with explained scores; yente-compatible.",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        license_info={"name": "MIT", "identifier": "MIT"},
        lifespan=lifespan,
    )
    app.state.service = service
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(SanctioError, _refused)
    for module in (match, entities, catalog, health):
        app.include_router(module.router)
    include_web(app)
    include_own_routers(app)
    return app


async def _not_found(_request: Request, exc: Exception) -> JSONResponse:
    """An unknown dataset or entity: 404 with what is known, as one message."""
    return JSONResponse({"detail": str(exc)}, status_code=404)


async def _refused(_request: Request, exc: Exception) -> JSONResponse:
    """Any other failure Sanctio explains (the database refusing, say): its message
    instead of a bare 'Internal Server Error'."""
    return JSONResponse({"detail": str(exc)}, status_code=500)
