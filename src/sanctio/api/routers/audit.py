"""``/audit``: whether the hash-chained audit trail is intact, and the trail itself.

Anyone who may read the service may check the chain (the answer names a broken
record, not what it holds); the records themselves name the persons proposed and the
users who acted, so only an officer reads them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from sanctio.api.deps import ServiceDep, require_reader
from sanctio.api.own_models import AuditEntryOut, VerificationOut
from sanctio.api.routers.own import ActorDep, errors
from sanctio.designation.auth import Role
from sanctio.registry.audit import entries, verify

router = APIRouter(tags=["Audit"])

#: Most records one request returns.
MAX_RECORDS = 10_000


@router.get(
    "/audit/verify",
    summary="Check the audit chain",
    response_model=VerificationOut,
    responses=errors(401),
    dependencies=[Depends(require_reader)],
)
def verify_chain(service: ServiceDep) -> VerificationOut:
    """Recomputes every record's hash and link and compares the head: 200 either way,
    with `ok: false`, the first broken record and what is wrong with it (edited,
    removed, out of order) when the chain is broken."""
    return VerificationOut.model_validate(verify(service.registry.engine).to_dict())


@router.get(
    "/audit/log",
    summary="The audit records (officer)",
    response_model=list[AuditEntryOut],
    responses=errors(401, 403),
)
def audit_log(
    actor: ActorDep,
    service: ServiceDep,
    limit: Annotated[
        int, Query(ge=1, le=MAX_RECORDS, description="The newest this many records.")
    ] = 100,
) -> list[AuditEntryOut]:
    """The newest records, oldest of them first, each with its hash and the previous one."""
    actor.require(Role.OFFICER)
    return [
        AuditEntryOut.model_validate(entry.to_dict())
        for entry in entries(service.registry.engine, limit)
    ]
