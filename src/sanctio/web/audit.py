"""Whether the audit chain is intact, and its newest records."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from sanctio.api.deps import ServiceDep
from sanctio.registry.audit import entries, verify
from sanctio.web.core import (
    ReaderDep,
    render,
    router,
)

# -- audit and forensics ---------------------------------------------------------------


AUDIT_SHOWN = 50


@router.get("/audit")
def audit_page(request: Request, service: ServiceDep, actor: ReaderDep) -> Response:
    """Whether the audit chain is intact, and its newest records."""
    result = verify(service.registry.engine)
    return render(
        request,
        "audit.html",
        actor,
        section="audit",
        result=result,
        recent=list(reversed(entries(service.registry.engine, AUDIT_SHOWN))),
    )
