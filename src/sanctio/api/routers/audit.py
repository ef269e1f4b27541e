"""``/audit``: whether the hash-chained audit trail is intact, and the trail itself.

Anyone who may read the service may check the chain (the answer names a broken
record, not what it holds) and compare it with the signed checkpoints stored with it;
the records themselves name the persons proposed and the users who acted, so only an
officer reads them, and only an officer has the head signed now.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, HTTPException, Query
from pydantic import BaseModel, Field

from sanctio.api.deps import ServiceDep, require_reader
from sanctio.api.own_models import AuditEntryOut, VerificationOut
from sanctio.api.routers.own import ActorDep, errors
from sanctio.designation.auth import Role
from sanctio.registry import signing
from sanctio.registry.audit import AuditError, entries
from sanctio.registry.checkpoints import check, request_checkpoint

router = APIRouter(tags=["Audit"])

#: Most records one request returns.
MAX_RECORDS = 10_000


class CheckpointResultOut(BaseModel):
    """One checkpoint as checked against the chain."""

    seq: int = Field(description="The record whose hash the checkpoint signed.")
    signed_at: str
    reason: str
    key_id: str
    status: str = Field(
        description="`agrees`; `disagrees` (the chain was rewritten up to here); `bad "
        "signature`; `other key` (not signed by the key checked against); `unsigned` "
        "(signature not checked: the service has no public key).",
        examples=["agrees"],
    )
    problem: str | None = None


class CheckpointsOut(BaseModel):
    """The chain compared with the signed checkpoints the database holds."""

    source: str = Field(examples=["the database"])
    ok: bool
    checked: int
    agrees_until: int | None = Field(
        default=None,
        description="The last checkpoint's record the chain agrees with before the first "
        "it does not (0: none): the records after it were rewritten.",
    )
    first_disagreeing: int | None = Field(
        default=None, description="The record of the first checkpoint the chain disagrees with."
    )
    problems: list[str]
    notes: list[str]
    key_id: str | None = Field(
        default=None, description="The key the signatures were checked with (null: not checked)."
    )
    checkpoints: list[CheckpointResultOut]


class AuditVerificationOut(VerificationOut):
    """The chain verified and compared with its signed checkpoints: `ok` when both hold."""

    chain_ok: bool = Field(description="Whether the chain is intact in itself.")
    checkpoints: CheckpointsOut


class CheckpointIn(BaseModel):
    reason: str = Field(default="on request", min_length=1, max_length=100)


class CheckpointOut(BaseModel):
    """The audit head signed: keep it (or `sanctio audit checkpoints --out`) elsewhere."""

    id: int | None
    seq: int
    head_hash: str
    signed_at: datetime
    reason: str
    key_id: str
    signature: str = Field(description="Base64 of the Ed25519 signature.")
    public_key: str | None = Field(default=None, description="The signing key's public key, PEM.")


@router.get(
    "/audit/verify",
    summary="Check the audit chain and its signed checkpoints",
    response_model=AuditVerificationOut,
    responses=errors(401),
    dependencies=[Depends(require_reader)],
)
def verify_chain(service: ServiceDep) -> AuditVerificationOut:
    """Recomputes every record's hash and link and compares the head, then compares the
    chain with the signed checkpoints stored (signatures checked with the service's
    public key when it has one): 200 either way, with `ok: false`, the first broken
    record and what is wrong with it (edited, removed, out of order, unreadable,
    rewritten since a checkpoint) when it is broken."""
    result = check(service.registry.engine, public_key=signing.configured_public_key(strict=False))
    return AuditVerificationOut.model_validate(result.to_dict())


@router.post(
    "/audit/checkpoint",
    summary="Sign the audit head now (officer)",
    response_model=CheckpointOut,
    status_code=201,
    responses=errors(401, 403, 409),
)
def make_checkpoint(
    actor: ActorDep,
    service: ServiceDep,
    body: Annotated[CheckpointIn | None, Body()] = None,
) -> CheckpointOut:
    """Records `audit.checkpoint` and signs the head with the service's signing key; 409
    when the service has no key or the chain is broken (nothing is signed then)."""
    actor.require(Role.OFFICER)
    reason = (body or CheckpointIn()).reason
    try:
        with service.designation.transaction() as session:
            made = request_checkpoint(session.connection(), actor.name, reason)
    except AuditError as exc:
        raise HTTPException(409, detail=str(exc)) from None
    public = signing.configured_public_key()
    signed_by = public is not None and made.key_id == signing.key_id(public)
    pem = signing.public_pem(public) if public is not None and signed_by else None
    return CheckpointOut.model_validate({**made.to_dict(pem), "id": made.id})


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
