"""``GET /healthz`` and ``GET /readyz``: the probes an orchestrator polls.

``/healthz`` answers as soon as the process serves HTTP; ``/readyz`` once the index
of every list is loaded, so a replica gets traffic only when it can screen at once.
Neither needs a token.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from sanctio.api.deps import ServiceDep
from sanctio.api.models import ErrorResponse, StatusResponse

router = APIRouter(tags=["System information"])


@router.get("/healthz", summary="The service is up", response_model=StatusResponse)
def healthz() -> StatusResponse:
    """Always `{"status": "ok"}` while the process serves requests."""
    return StatusResponse()


@router.get(
    "/readyz",
    summary="The screening index is loaded",
    response_model=StatusResponse,
    responses={503: {"model": ErrorResponse, "description": "Still loading, or loading failed"}},
)
def readyz(service: ServiceDep) -> StatusResponse:
    """`{"status": "ok"}` once the index of every list (`default`) is loaded; until then
    503, with the reason when loading failed."""
    if service.ready:
        return StatusResponse()
    if service.warm_up_error is not None:
        raise HTTPException(503, detail=f"Index failed to load: {service.warm_up_error}")
    raise HTTPException(503, detail="Index not ready: loading the lists.")
