"""Whether the audit chain is intact and agrees with its signed checkpoints, and its
newest records: for officers only, as ``/audit/log`` in the API (the records name the
persons proposed and the users who acted)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from sanctio.api.deps import ServiceDep
from sanctio.registry import signing
from sanctio.registry.audit import readable_entries
from sanctio.registry.checkpoints import check
from sanctio.web.core import OfficerDep, render, router

#: How many of the newest records the page lists.
AUDIT_SHOWN = 50


@router.get("/audit")
def audit_page(request: Request, service: ServiceDep, actor: OfficerDep) -> Response:
    """The verdict on the chain and its checkpoints, and the newest records; a record
    that cannot be read is listed as such (a finding), never a failed page."""
    engine = service.registry.engine
    result = check(engine, public_key=signing.configured_public_key(strict=False))
    recent, unreadable = readable_entries(engine, AUDIT_SHOWN)
    return render(
        request,
        "audit.html",
        actor,
        section="audit",
        result=result.chain,
        anchored=result.checkpoints,
        recent=list(reversed(recent)),
        unreadable=unreadable,
    )
