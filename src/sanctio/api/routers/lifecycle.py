"""Users, the lists of dossiers and packages, and what follows listing over HTTP:
notification, the listed person's submissions, amendments, due reviews, renewal,
expiry and delistings whose day has come.

Each change calls the ``Designation`` or ``Lifecycle`` method behind the matching
``sanctio users`` or ``sanctio designation`` command: the workflow checks the user's
role, refuses what the current state does not allow and writes the audit record in
the same transaction; this module only reads requests and shapes answers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import select
from sqlalchemy.orm import Session

from sanctio.api.deps import Service, ServiceDep
from sanctio.api.lifecycle_models import (
    MAX_PAGE,
    AmendIn,
    AppliedOut,
    DossierStatus,
    DueReviewOut,
    ExpireIn,
    ExpireOut,
    NotifyIn,
    OnIn,
    PackageStatus,
    RenewIn,
    RenewOut,
    SubmissionIn,
    UserIn,
    UserOut,
)
from sanctio.api.own_models import MAX_ID, NO_NUL, Day, DossierOut, ListingChange, PackageOut
from sanctio.api.routers.designation import (
    INSIDE,
    DossierId,
    act_numbers,
    dossier_model,
    package_model,
)
from sanctio.api.routers.own import ActorDep, _token, errors, require_actor, user_token
from sanctio.api.user_models import RotatedOut, UserStatusOut
from sanctio.designation.auth import Actor, PermissionDeniedError
from sanctio.designation.lifecycle import Lifecycle
from sanctio.designation.records import Dossier, Package
from sanctio.designation.users import UserInfo

router = APIRouter(tags=["Designation"])

RegimeCode = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        max_length=50,
        description="The regime's code.",
        examples=["BLR"],
    ),
]
RegimeFilter = Annotated[
    str | None,
    Query(min_length=1, max_length=50, pattern=NO_NUL, description="Only this regime's (code)."),
]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="At most this many.")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="Skip this many, oldest first.")]


def optional_actor(
    request: Request,
    service: ServiceDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(user_token)],
) -> Actor | None:
    """The user asking when a token is sent (an unknown one is a 401), else nobody."""
    if not _token(request, credentials):
        return None
    return require_actor(request, service, credentials)


# -- users ------------------------------------------------------------------------------


@router.post(
    "/users",
    summary="Add a user and get its token, once (officer; the first user: no token)",
    status_code=201,
    response_model=UserOut,
    responses=errors(400, 401, 403, 409),
    openapi_extra={"security": [{}]},  # the first user of an empty registry needs none
)
def add_user(
    body: UserIn,
    actor: Annotated[Actor | None, Depends(optional_actor)],
    service: ServiceDep,
    response: Response,
) -> UserOut:
    """Every change is made by a user, so each person acting needs a token and a role.
    The token is in this answer only (the registry keeps its SHA-256): store it now.

    On an empty registry the first user is created without a token and must be an
    officer, as `sanctio users add` does it; the workflow decides that inside its
    write transaction. Later users need an officer's token (none: 401, another role:
    403). A name taken is a 409. Create the first officer before the service is
    reachable by others, or with the command line."""
    try:
        token = service.designation.add_user(actor, body.name, body.role, body.member_state)
    except PermissionDeniedError as exc:
        if actor is not None:
            raise
        raise HTTPException(
            401,
            detail=f"{exc}: send 'Authorization: Bearer <token>' with an officer's token.",
            headers={"WWW-Authenticate": "Bearer"},
        ) from None
    response.headers["Cache-Control"] = "no-store"
    return UserOut(name=body.name, role=body.role, member_state=body.member_state, token=token)


#: A user's name in a path (a name may hold a slash).
UserPath = Annotated[str, Path(min_length=1, description="The user's name.", examples=["eeas"])]


def _status(info: UserInfo, now: datetime) -> UserStatusOut:
    return UserStatusOut.model_validate(info.to_dict(now))


@router.get(
    "/users",
    summary="Every user and the state of its token, never the token (officer)",
    response_model=list[UserStatusOut],
    responses=errors(401, 403),
)
def users(actor: ActorDep, service: ServiceDep) -> list[UserStatusOut]:
    """Who may act, as what, and until when: active, expired (past
    SANCTIO_TOKEN_DAYS: rotate it) or revoked."""
    now = datetime.now(UTC)
    return [_status(info, now) for info in service.designation.users.list(actor)]


@router.post(
    "/users/{name:path}/revoke",
    summary="Void a user's token at once (officer)",
    response_model=UserStatusOut,
    responses=errors(401, 403, 404, 409),
)
def revoke_user(name: UserPath, actor: ActorDep, service: ServiceDep) -> UserStatusOut:
    """The token stops working on the next request, everywhere (API, command line,
    web pages signed in with it). The last officer with a valid token is not revoked
    (409). Recorded in the audit chain; `rotate` gives the user a new token."""
    return _status(service.designation.users.revoke(actor, name), datetime.now(UTC))


@router.post(
    "/users/{name:path}/rotate",
    summary="A new token for a user, once; the old one stops working (the user, or an officer)",
    response_model=RotatedOut,
    responses=errors(401, 403, 404),
)
def rotate_user(
    name: UserPath, actor: ActorDep, service: ServiceDep, response: Response
) -> RotatedOut:
    """A user rotates its own token; an officer anyone's, a revoked user's too, which
    reinstates it. The new token is in this answer only; it expires after
    SANCTIO_TOKEN_DAYS. Recorded in the audit chain (never the token)."""
    rotated = service.designation.users.rotate(actor, name)
    response.headers["Cache-Control"] = "no-store"
    return RotatedOut(name=name, token=rotated.token, token_expires_at=rotated.expires_at)


# -- dossiers and packages -----------------------------------------------------------


def _regime_id(service: Service, session: Session, code: str) -> int:
    """The regime's row id; NotFoundError (404) naming the known codes otherwise."""
    return service.designation._regime(session, code).id


@router.get(
    "/dossiers",
    summary="The dossiers, oldest first (any user's token)",
    response_model=list[DossierOut],
    responses=errors(401, 404),
    dependencies=INSIDE,
)
def dossiers(
    service: ServiceDep,
    regime: RegimeFilter = None,
    status: Annotated[
        DossierStatus | None, Query(description="Only dossiers in this state.")
    ] = None,
    limit: Limit = MAX_PAGE,
    offset: Offset = 0,
) -> list[DossierOut]:
    """To find the dossier to act on without knowing its number: what is proposed,
    in a package, listed or delisted. Working documents, so a user's token is needed:
    they name persons not yet listed. Page with `offset` until fewer than `limit`
    come back. An unknown regime is a 404 naming the known ones."""
    with Session(service.registry.engine) as session:
        query = select(Dossier.id).order_by(Dossier.id)
        if regime is not None:
            query = query.where(Dossier.regime_id == _regime_id(service, session, regime))
        if status is not None:
            query = query.where(Dossier.status == status)
        numbers = session.scalars(query.limit(limit).offset(offset)).all()
    return [dossier_model(service, number) for number in numbers]


@router.get(
    "/packages",
    summary="The packages, oldest first, each with its decision (any user's token)",
    response_model=list[PackageOut],
    responses=errors(401, 404),
    dependencies=INSIDE,
)
def packages(
    service: ServiceDep,
    regime: RegimeFilter = None,
    status: Annotated[
        PackageStatus | None, Query(description="Only packages in this state.")
    ] = None,
    limit: Limit = MAX_PAGE,
    offset: Offset = 0,
) -> list[PackageOut]:
    """To see what awaits circulation, positions or adoption: each package with its
    content hash, decision and positions, as `GET /packages/{id}` gives it. The
    Council's deliberation, so a user's token is needed. Page with `offset`."""
    with Session(service.registry.engine) as session:
        query = select(Package.id).order_by(Package.id)
        if regime is not None:
            query = query.where(Package.regime_id == _regime_id(service, session, regime))
        if status is not None:
            query = query.where(Package.status == status)
        numbers = session.scalars(query.limit(limit).offset(offset)).all()
    return [package_model(service, number) for number in numbers]


# -- after listing --------------------------------------------------------------------


@router.post(
    "/dossiers/{dossier_id}/notify",
    summary="Record the notification of a listed person (officer)",
    response_model=DossierOut,
    responses=errors(400, 401, 403, 404, 409),
)
def notify(
    dossier_id: DossierId, body: NotifyIn, actor: ActorDep, service: ServiceDep
) -> DossierOut:
    """A listed person must be told of the listing and its reasons, by letter where an
    address is known, else by a notice in the Official Journal: the record shows it
    was done, and when (the time to challenge the listing runs from it). 409 unless
    the dossier is listed."""
    Lifecycle(service.designation).notify(actor, dossier_id, body.on, body.method)
    return dossier_model(service, dossier_id)


@router.post(
    "/dossiers/{dossier_id}/submissions",
    summary="Record observations or a request for reconsideration (officer)",
    response_model=DossierOut,
    responses=errors(400, 401, 403, 404, 409),
)
def submission(
    dossier_id: DossierId, body: SubmissionIn, actor: ActorDep, service: ServiceDep
) -> DossierOut:
    """What the listed person (or a lawyer) sends must be on the file the review
    weighs, and answered. 409 unless the dossier is listed."""
    Lifecycle(service.designation).submission(actor, dossier_id, body.on, body.kind, body.summary)
    return dossier_model(service, dossier_id)


@router.post(
    "/dossiers/{dossier_id}/amend",
    summary="Amend or correct a listed entry and publish it (officer)",
    response_model=ListingChange,
    responses=errors(400, 401, 403, 404, 409),
)
def amend(
    dossier_id: DossierId, body: AmendIn, actor: ActorDep, service: ServiceDep
) -> ListingChange:
    """A new statement of reasons or spellings found since listing, published as a new
    version of the regime's list: `/match` screens the amended entry from the next
    request on. The act's number is required (422 without). 409 unless the dossier is
    listed, when dated before the listing or the regime's last act, or when an act
    number is taken."""
    version = Lifecycle(service.designation).amend(
        actor,
        dossier_id,
        body.on,
        act_numbers(body.decision_number, body.regulation_number),
        body.reasons,
        body.add_names,
    )
    return ListingChange(list_version=version, dossier=dossier_model(service, dossier_id))


@router.get(
    "/reviews-due",
    summary="Listings whose periodic review is due soon, or late (any user's token)",
    response_model=list[DueReviewOut],
    responses=errors(401),
    dependencies=INSIDE,
)
def reviews_due(
    service: ServiceDep,
    on: Annotated[Day | None, Query(description="As of this day (default: today, UTC).")] = None,
    within_days: Annotated[
        int, Query(ge=0, le=3660, description="Due within this many days of `on`.")
    ] = 30,
) -> list[DueReviewOut]:
    """Each listing must be reviewed at least every 12 months: the reviews to prepare,
    soonest first; `overdue` marks those already late."""
    day = on or datetime.now(UTC).date()
    due = Lifecycle(service.designation).reviews_due(day, within_days)
    return [DueReviewOut.from_due(d.to_dict()) for d in due]


@router.post(
    "/regimes/{code}/renew",
    summary="Renew a regime's listings for another term (officer)",
    response_model=RenewOut,
    responses=errors(400, 401, 403, 404, 409),
)
def renew(code: RegimeCode, body: RenewIn, actor: ActorDep, service: ServiceDep) -> RenewOut:
    """Listings run until the regime's term end unless the Council renews them: every
    listing of the regime then runs until the next one. Once per term: 409 when the
    term was renewed already, after the term has ended (the listings have lapsed:
    expire them), when dated before the regime's last act, or when the act number is
    taken."""
    until = Lifecycle(service.designation).renew(actor, code, body.on, body.decision_number)
    return RenewOut(regime=code, in_force_until=until)


@router.post(
    "/regimes/{code}/expire",
    summary="Let a regime's listings lapse after its term ended unrenewed (officer)",
    response_model=ExpireOut,
    responses=errors(400, 401, 403, 404, 409),
)
def expire(code: RegimeCode, body: ExpireIn, actor: ActorDep, service: ServiceDep) -> ExpireOut:
    """Without renewal the freeze has no legal basis after the term end: every listed
    entry is delisted and a list version without them published, under the notice's
    number, so `/match` stops finding them. 409 while the regime is in force, when
    dated before the regime's last act, or when the number is taken."""
    version = Lifecycle(service.designation).expire(actor, code, body.on, body.notice_number)
    return ExpireOut(regime=code, list_version=version)


@router.post(
    "/apply-due",
    summary="Publish the delistings whose day has come (officer)",
    response_model=AppliedOut,
    responses=errors(400, 401, 403),
)
def apply_due(body: OnIn, actor: ActorDep, service: ServiceDep) -> AppliedOut:
    """A delisting after a court annulment takes effect only once the appeal period
    has run out: run this daily so that it is published on that day, not later.
    `versions` is empty when nothing was due."""
    return AppliedOut(versions=Lifecycle(service.designation).apply_due(actor, body.on))
