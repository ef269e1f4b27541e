"""Who may act, as what, and until when: the users page, for officers only, as
``GET /users`` and ``sanctio users list`` are (never a token)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from sanctio.api.deps import ServiceDep
from sanctio.web.core import OfficerDep, render, router


@router.get("/users")
async def users_page(request: Request, service: ServiceDep, actor: OfficerDep) -> Response:
    """Every user with its role, member state and token state (active, expired,
    revoked); revoking and rotating are `sanctio users` commands or the API."""
    found = await run_in_threadpool(service.designation.users.list, actor)
    return render(request, "users.html", actor, section="users", users=found, now=datetime.now(UTC))
