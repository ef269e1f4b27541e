"""The designation workflow over HTTP: regimes, dossiers with evidence, packages and
member states' positions, adoption, the legal acts, and what follows listing.

Each endpoint calls the same ``Designation``, ``Lifecycle`` or ``Responsibility``
method as the ``sanctio designation`` command, which checks the user's role, writes
the audit record in the same transaction, and refuses what the current state does
not allow; this module only reads requests and shapes answers.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.exceptions import HTTPException, RequestValidationError
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as FormFile

from sanctio.api.deps import Service, ServiceDep, require_reader
from sanctio.api.own_models import (
    MAX_ID,
    NO_NUL,
    AdoptIn,
    AdoptOut,
    CandidateOut,
    CandidatesOut,
    CirculateIn,
    Day,
    DecisionModel,
    DelistIn,
    DossierIn,
    DossierOut,
    EvidenceAdded,
    EvidenceIn,
    EvidenceMeta,
    EvidenceOut,
    EvidenceUpload,
    HoldBackIn,
    IncidentOut,
    LegalActOut,
    ListingChange,
    PackageIn,
    PackageOut,
    PositionIn,
    PositionModel,
    PositionRecorded,
    RegimeIn,
    RegimeOut,
    ReviewIn,
)
from sanctio.api.routers.own import ActorDep, errors, invalid, require_actor
from sanctio.designation.consensus import Decision
from sanctio.designation.lifecycle import Lifecycle
from sanctio.designation.records import Dossier, LegalAct, Package, PackageDossier, Regime
from sanctio.designation.responsibility import NOTICE, Responsibility
from sanctio.designation.workflow import regime_list_name
from sanctio.errors import NotFoundError
from sanctio.model import Entity

router = APIRouter(tags=["Designation"])
READ = [Depends(require_reader)]
#: Reads of the Council's preparatory work (dossiers, packages and positions,
#: incidents, candidates) need a user's token even on an open service: the names of
#: persons proposed but not yet listed must not reach them before the freeze does.
INSIDE = [Depends(require_actor)]

DossierId = Annotated[int, Path(ge=1, le=MAX_ID, description="The dossier number.")]
PackageId = Annotated[int, Path(ge=1, le=MAX_ID, description="The package number.")]
#: Bytes read at a time when hashing an uploaded evidence file.
CHUNK = 1 << 20
#: Largest evidence upload: only its SHA-256 is kept, but the body is spooled to disk
#: while it is read. A larger file (a long video) is hashed by the sender and its
#: SHA-256 sent in JSON.
MAX_EVIDENCE_BYTES = 1 << 30


# -- reading the workflow's records ------------------------------------------------


def regime_model(regime: Regime) -> RegimeOut:
    return RegimeOut(
        code=regime.code,
        title=regime.title,
        decision=regime.decision,
        regulation=regime.regulation,
        criteria=list(regime.criteria),
        measures=list(regime.measures),
        renewal=regime.renewal,
        list_name=regime.list_name,
        in_force_until=regime.in_force_until,
    )


def dossier_model(service: Service, dossier_id: int) -> DossierOut:
    """A dossier as stored, with its regime's code and its history after listing."""
    with Session(service.registry.engine) as session:
        row = session.execute(
            select(Dossier, Regime.code)
            .join(Regime, Regime.id == Dossier.regime_id)
            .where(Dossier.id == dossier_id)
        ).one_or_none()
        if row is None:
            raise NotFoundError(f"no dossier {dossier_id}")
        dossier, code = row
        entity: dict[str, Any] = dossier.entity
        data = {
            "id": dossier.id,
            "regime": code,
            "entity_id": dossier.entity_id,
            "caption": entity.get("caption") or dossier.entity_id,
            "schema": entity.get("schema", ""),
            "properties": entity.get("properties", {}),
            "criterion": dossier.criterion,
            "reasons": dossier.reasons,
            "status": dossier.status,
            "proposer": dossier.proposer,
            "created_at": _utc(dossier.created_at),
            "listed_on": dossier.listed_on,
            "review_due": dossier.review_due,
            "delisting_ground": dossier.delisting_ground,
            "delisting_effective": dossier.delisting_effective,
            "delisted_on": dossier.delisted_on,
            "previous_dossier": dossier.previous_dossier_id,
        }
    data["history"] = Lifecycle(service.designation).history(dossier_id)
    return DossierOut.model_validate(data)


def decision_model(decision: Decision) -> DecisionModel:
    return DecisionModel.model_validate(decision.to_dict())


def package_model(service: Service, package_id: int, on: date | None = None) -> PackageOut:
    """A package with its decision under its rule and every position recorded."""
    workflow = service.designation
    decision = workflow.decision(package_id, on)  # NotFoundError for an unknown package
    positions = workflow.positions(package_id)
    with Session(service.registry.engine) as session:
        package, code = session.execute(
            select(Package, Regime.code)
            .join(Regime, Regime.id == Package.regime_id)
            .where(Package.id == package_id)
        ).one()
        dossiers = session.scalars(
            select(PackageDossier.dossier_id)
            .where(PackageDossier.package_id == package_id)
            .order_by(PackageDossier.dossier_id)
        ).all()
        return PackageOut(
            id=package.id,
            regime=code,
            title=package.title,
            proposer=package.proposer,
            status=package.status,  # type: ignore[arg-type]  # draft, circulated or adopted
            rule=package.rule,  # type: ignore[arg-type]  # a Rule's value
            content_hash=package.content_hash,
            circulated_on=package.circulated_on,
            deadline=package.deadline,
            silence_is_agreement=package.silence_is_agreement,
            dossiers=list(dossiers),
            decision=decision_model(decision),
            positions={
                state: PositionModel.model_validate(given) for state, given in positions.items()
            },
        )


def legal_acts(
    service: Service, regime: str | None = None, package_id: int | None = None
) -> list[LegalActOut]:
    with Session(service.registry.engine) as session:
        query = (
            select(LegalAct, Regime.code, Regime.list_name)
            .join(Regime, Regime.id == LegalAct.regime_id)
            .order_by(LegalAct.adopted_on, LegalAct.id)
        )
        if regime is not None:
            query = query.where(Regime.code == regime)
        if package_id is not None:
            query = query.where(LegalAct.package_id == package_id)
        return [
            LegalActOut(
                id=act.id,
                kind=act.kind,
                number=act.number,
                adopted_on=act.adopted_on,
                regime=code,
                list_name=list_name,
                list_version=act.list_version,
                package=act.package_id,
                dossier=act.dossier_id,
            )
            for act, code, list_name in session.execute(query)
        ]


def _utc(moment: datetime) -> datetime:
    """A stored time in UTC (SQLite returns it without a zone; Sanctio writes UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


# -- regimes -------------------------------------------------------------------------


@router.get(
    "/regimes",
    summary="Every regime",
    response_model=list[RegimeOut],
    responses=errors(401),
    dependencies=READ,
)
def regimes(service: ServiceDep) -> list[RegimeOut]:
    """The regimes with their legal basis, numbered criteria, measures and the list each
    publishes to."""
    with Session(service.registry.engine) as session:
        return [regime_model(r) for r in session.scalars(select(Regime).order_by(Regime.code))]


@router.post(
    "/regimes",
    summary="Create a regime (officer)",
    status_code=201,
    response_model=RegimeOut,
    responses=errors(400, 401, 403, 409),
)
def create_regime(body: RegimeIn, actor: ActorDep, service: ServiceDep) -> RegimeOut:
    """A new regime, publishing to `sanctio-<code>` once its first package is adopted.
    409 when the code exists already."""
    service.designation.create_regime(
        actor,
        body.code,
        body.title,
        body.decision,
        body.regulation,
        body.criteria,
        body.measures,
        body.renewal,
    )
    with Session(service.registry.engine) as session:
        return regime_model(session.scalars(select(Regime).where(Regime.code == body.code)).one())


# -- dossiers and evidence ---------------------------------------------------------


def proposed_entity(body: DossierIn) -> Entity:
    """The FtM entity a dossier proposes, with the same id ``sanctio designation
    propose`` gives it (regime, names and birth date), so proposing twice is refused
    (unless the earlier dossier was delisted)."""
    seed = "|".join([body.regime, *body.names, body.birth_date or ""])
    entity_id = f"{regime_list_name(body.regime)}-{hashlib.sha256(seed.encode()).hexdigest()[:12]}"
    entity = Entity.make(body.schema_, entity_id, caption=body.names[0].strip(), target=True)
    fields: list[tuple[str, str, str | list[str] | None]] = [
        ("names", "name", body.names[0]),
        ("names", "alias", body.names[1:]),
    ]
    if body.schema_ == "Person":
        fields += [
            ("birth_date", "birthDate", body.birth_date),
            ("birth_place", "birthPlace", body.birth_place),
            ("nationality", "nationality", body.nationality),
            ("positions", "position", body.positions),
        ]
    else:
        fields.append(("nationality", "country", body.nationality))
    for field, prop, value in fields:
        try:
            entity.add(prop, value)
        except ValueError as exc:
            invalid(("body", field), str(exc), value)
    return entity


@router.post(
    "/dossiers",
    summary="Propose a person or entity for listing (proposer, officer)",
    status_code=201,
    response_model=DossierOut,
    responses=errors(400, 401, 403, 404, 409),
)
def propose(body: DossierIn, actor: ActorDep, service: ServiceDep) -> DossierOut:
    """A dossier on a numbered criterion of the regime, with the statement of reasons.
    409 when a dossier for the same entity exists and is not delisted, or the criterion
    is not the regime's. A person delisted earlier is proposed again as a new dossier
    naming the earlier one (`previous_dossier`)."""
    number = service.designation.propose_dossier(
        actor, body.regime, proposed_entity(body), body.criterion, body.reasons
    )
    return dossier_model(service, number)


@router.get(
    "/dossiers/{dossier_id}",
    summary="A dossier (any user's token)",
    response_model=DossierOut,
    responses=errors(401, 404),
    dependencies=INSIDE,
)
def dossier(dossier_id: DossierId, service: ServiceDep) -> DossierOut:
    """The proposed entity, criterion, reasons, status and, after listing, its history.
    A working document: what the Council publishes is the regime's list."""
    return dossier_model(service, dossier_id)


def _evidence_body() -> dict[str, Any]:
    """The two request bodies the evidence endpoint reads, for the OpenAPI description
    (FastAPI describes one body per endpoint; this one reads either itself)."""
    upload = EvidenceUpload.model_json_schema()
    for spec in upload["properties"].values():  # a form field cannot be null, only absent
        options = [o for o in spec.get("anyOf", []) if o.get("type") != "null"]
        if len(options) < len(spec.get("anyOf", [])):
            del spec["anyOf"]
            spec.pop("default", None)
            spec.update(options[0] if len(options) == 1 else {"anyOf": options})
    upload["properties"] = {
        "file": {
            "type": "string",
            "contentMediaType": "application/octet-stream",
            "description": "The evidence file; its SHA-256 is computed and kept.",
        },
        **upload["properties"],
    }
    upload["required"] = ["file", *upload.get("required", [])]
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": EvidenceIn.model_json_schema()},
                "multipart/form-data": {"schema": upload},
            },
        }
    }


async def _sha256(upload: FormFile) -> str:
    digest = hashlib.sha256()
    while block := await upload.read(CHUNK):
        digest.update(block)
    return digest.hexdigest()


def _validated(model: type[EvidenceMeta], data: Any, *, from_json: bool) -> EvidenceMeta:
    try:
        if from_json:
            return model.model_validate_json(data)
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from None


async def _read_evidence(request: Request) -> tuple[EvidenceMeta, str]:
    """The item's metadata and SHA-256: given in JSON, or computed from an upload."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        given = _validated(EvidenceIn, await request.body(), from_json=True)
        assert isinstance(given, EvidenceIn)
        return given, given.sha256
    if media == "multipart/form-data":
        _refuse_large(request)
        async with request.form(max_files=1, max_fields=20) as form:
            upload = form.get("file")
            if not isinstance(upload, FormFile):
                invalid(("body", "file"), "an evidence file is needed (field 'file')")
            fields: dict[str, Any] = {
                key: value for key, value in form.multi_items() if isinstance(value, str) and value
            }
            if fields.get("supplements", "").isdigit():  # form fields are text
                fields["supplements"] = int(fields["supplements"])
            meta = _validated(EvidenceUpload, fields, from_json=False)
            computed = await _sha256(upload)
        return meta, computed
    raise HTTPException(
        415, detail=f"{media or 'no media type'}; expected application/json or multipart/form-data"
    )


def _refuse_large(request: Request) -> None:
    """411 for an upload of unknown length, 413 over MAX_EVIDENCE_BYTES: before a byte
    of it is spooled to disk."""
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise HTTPException(411, detail="an evidence upload needs a Content-Length")
    if int(length) > MAX_EVIDENCE_BYTES:
        raise HTTPException(
            413,
            detail=f"the upload is larger than {MAX_EVIDENCE_BYTES // 2**20} MiB; hash the "
            "file yourself and send its sha256 in JSON",
        )


def _collected(value: datetime | date) -> datetime:
    """A collection time in UTC: a date is taken as its midnight, a time without an
    offset as UTC."""
    moment = value if isinstance(value, datetime) else datetime.combine(value, time.min)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        invalid(("body", "collected_at"), "outside the years 1 to 9999 in UTC", str(value))


@router.post(
    "/dossiers/{dossier_id}/evidence",
    summary="Add an evidence item: its SHA-256 in JSON, or the file uploaded (proposer, officer)",
    status_code=201,
    response_model=EvidenceAdded,
    responses=errors(400, 401, 403, 404, 409, 411, 413, 415),
    openapi_extra=_evidence_body(),
)
async def add_evidence(
    request: Request, dossier_id: DossierId, actor: ActorDep, service: ServiceDep
) -> EvidenceAdded:
    """A new numbered item of the dossier, or with `supplements` a new version of one
    (earlier versions stay). Send `application/json` with the file's `sha256` when the
    file is stored elsewhere, or `multipart/form-data` with the file in `file` and the
    same fields beside it: the SHA-256 is computed from the upload and only it is kept.
    Allowed while the dossier is in a circulated package, but the package's content
    hash then changes: positions taken on the earlier content stop counting (as after a
    hold-back) and the outcome is pending until the states agree again."""
    meta, sha256 = await _read_evidence(request)
    collected = _collected(meta.collected_at)
    number, version = await run_in_threadpool(
        service.designation.add_evidence,
        actor,
        dossier_id,
        meta.source,
        meta.description,
        sha256,
        collected,
        meta.collected_by,
        meta.sensitivity,
        meta.consent,
        meta.supplements,
    )
    return EvidenceAdded(dossier=dossier_id, number=number, version=version, sha256=sha256)


@router.get(
    "/dossiers/{dossier_id}/evidence",
    summary="A dossier's evidence, every version (restricted items for cleared roles)",
    response_model=list[EvidenceOut],
    responses=errors(401, 404),
)
def evidence(dossier_id: DossierId, actor: ActorDep, service: ServiceDep) -> list[EvidenceOut]:
    """Restricted items are shown only to an officer or proposer; other users see the
    public ones."""
    items = [item.to_dict() for item in service.designation.evidence(actor, dossier_id)]
    for item in items:
        item["collected_at"] = _utc(datetime.fromisoformat(item["collected_at"]))
    return [EvidenceOut.model_validate(item) for item in items]


# -- packages, positions, adoption -------------------------------------------------


@router.post(
    "/packages",
    summary="Put proposed dossiers into a package (proposer, officer)",
    status_code=201,
    response_model=PackageOut,
    responses=errors(400, 401, 403, 404, 409),
)
def create_package(body: PackageIn, actor: ActorDep, service: ServiceDep) -> PackageOut:
    """A draft package of proposed dossiers of one regime; 409 when a dossier is in
    another open package, listed, or of another regime. Each dossier's row is locked,
    so of two requests at once with one dossier only the first gets it."""
    number = service.designation.create_package(
        actor, body.regime, body.title, body.dossiers, body.rule
    )
    return package_model(service, number)


@router.get(
    "/packages/{package_id}",
    summary="A package, its decision with reasons, and every position (any user's token)",
    response_model=PackageOut,
    responses=errors(401, 404),
    dependencies=INSIDE,
)
def package(
    package_id: PackageId,
    service: ServiceDep,
    on: Annotated[
        Day | None,
        Query(description="Decide as of this day (a passed deadline counts silence)."),
    ] = None,
) -> PackageOut:
    return package_model(service, package_id, on)


@router.post(
    "/packages/{package_id}/circulate",
    summary="Circulate a package to the member states (officer)",
    response_model=PackageOut,
    responses=errors(400, 401, 403, 404, 409),
)
def circulate(
    package_id: PackageId, body: CirculateIn, actor: ActorDep, service: ServiceDep
) -> PackageOut:
    """Fixes the package's `content_hash`: every position must name it."""
    service.designation.circulate(
        actor, package_id, body.on, body.deadline, body.silence_is_agreement
    )
    return package_model(service, package_id)


@router.post(
    "/packages/{package_id}/hold-back",
    summary="Take a dossier out of a package (proposer, officer)",
    response_model=PackageOut,
    responses=errors(400, 401, 403, 404, 409),
)
def hold_back(
    package_id: PackageId, body: HoldBackIn, actor: ActorDep, service: ServiceDep
) -> PackageOut:
    """The dossier returns to `proposed`. On a circulated package the content hash
    changes, so the positions recorded on the old content no longer count."""
    service.designation.hold_back(actor, package_id, body.dossier)
    return package_model(service, package_id)


@router.put(
    "/packages/{package_id}/positions/{state}",
    summary="Record a member state's position (that state's delegate)",
    response_model=PositionRecorded,
    responses=errors(400, 401, 403, 404, 409),
)
def record_position(
    package_id: PackageId,
    state: Annotated[
        str,
        Path(
            pattern=r"^[A-Za-z]{2}$",
            description="The member state's code; only its own delegate may speak for it.",
            examples=["DE"],
        ),
    ],
    body: PositionIn,
    actor: ActorDep,
    service: ServiceDep,
) -> PositionRecorded:
    """The position on the package as circulated: `content_hash` must be the package's
    current one, else 409 (it changed since, by a hold-back or new evidence: read it
    again). Recording again replaces the state's position. The server dates it and
    decides as of today. Returns the decision with every position so far."""
    code = state.upper()
    decision = service.designation.record_position(
        actor, package_id, body.position, body.content_hash, body.statement, code
    )
    return PositionRecorded(
        package=package_id,
        member_state=code,
        position=body.position,
        decision=decision_model(decision),
    )


@router.post(
    "/packages/{package_id}/adopt",
    summary="Adopt an agreed package and publish the list (officer)",
    response_model=AdoptOut,
    responses=errors(400, 401, 403, 404, 409),
)
def adopt(package_id: PackageId, body: AdoptIn, actor: ActorDep, service: ServiceDep) -> AdoptOut:
    """The implementing decision and regulation, and a new version of the regime's
    published list, in one transaction. The outcome is decided for `on` (a deadline
    passed by then counts silence), never taken as stored. 409 unless the package is
    circulated, not empty, and adopted under its rule on that day; when `on` is
    before the circulation, the regime's last act, or after today; or when an act
    number is taken."""
    version = service.designation.adopt(
        actor, package_id, body.on, body.decision_number, body.regulation_number
    )
    acts = legal_acts(service, package_id=package_id)
    with Session(service.registry.engine) as session:
        list_name = session.execute(
            select(Regime.list_name)
            .join(Package, Package.regime_id == Regime.id)
            .where(Package.id == package_id)
        ).scalar_one()
    return AdoptOut(package=package_id, list_name=list_name, list_version=version, acts=acts)


@router.get(
    "/legal-acts",
    summary="The Council's acts, with the list versions they published",
    response_model=list[LegalActOut],
    responses=errors(401),
    dependencies=READ,
)
def acts(
    service: ServiceDep,
    regime: Annotated[
        str | None, Query(pattern=NO_NUL, description="Only this regime's acts.")
    ] = None,
) -> list[LegalActOut]:
    """Adoptions, amendments, delistings and renewals, oldest first."""
    return legal_acts(service, regime=regime)


# -- after listing --------------------------------------------------------------------


def act_numbers(decision: str | None, regulation: str | None) -> dict[str, str]:
    """The implementing acts given, by kind, as the lifecycle records them."""
    given = {"implementing decision": decision, "implementing regulation": regulation}
    return {kind: number for kind, number in given.items() if number}


@router.post(
    "/dossiers/{dossier_id}/review",
    summary="Review a listing: maintain it, or delist (officer)",
    response_model=ListingChange,
    responses=errors(400, 401, 403, 404, 409),
)
def review(
    dossier_id: DossierId, body: ReviewIn, actor: ActorDep, service: ServiceDep
) -> ListingChange:
    """`maintain` sets the next review within 12 months; `delist` publishes a list
    version without the entry. 409 unless the dossier is listed."""
    version = Lifecycle(service.designation).review(
        actor,
        dossier_id,
        body.on,
        body.outcome,
        body.note,
        act_numbers(body.decision_number, body.regulation_number),
    )
    return ListingChange(list_version=version, dossier=dossier_model(service, dossier_id))


@router.post(
    "/dossiers/{dossier_id}/delist",
    summary="Delist an entry by review, expiry or annulment (officer)",
    response_model=ListingChange,
    responses=errors(400, 401, 403, 404, 409),
)
def delist(
    dossier_id: DossierId, body: DelistIn, actor: ActorDep, service: ServiceDep
) -> ListingChange:
    """A delisting after an annulment waits for the appeal period (`list_version`
    null, `delisting_effective` says when); the others publish at once."""
    version = Lifecycle(service.designation).delist(
        actor,
        dossier_id,
        body.on,
        body.ground,
        act_numbers(body.decision_number, body.regulation_number),
        body.note,
        body.judgment,
    )
    return ListingChange(list_version=version, dossier=dossier_model(service, dossier_id))


# -- incidents and candidates -------------------------------------------------------


@router.get(
    "/incidents/{incident_id}",
    summary="An incident, the bodies involved and its sources",
    response_model=IncidentOut,
    responses=errors(401, 404),
)
def incident(
    incident_id: Annotated[int, Path(ge=1, le=MAX_ID)], actor: ActorDep, service: ServiceDep
) -> IncidentOut:
    """Restricted sources are shown only to an officer or proposer."""
    found = Responsibility(service.designation).incident(actor, incident_id)
    return IncidentOut.model_validate(found.to_dict())


@router.get(
    "/candidates",
    summary="Who was in post: leads from an incident or an election commission",
    response_model=CandidatesOut,
    responses=errors(401, 404),
)
def candidates(
    actor: ActorDep,
    service: ServiceDep,
    incident: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="An incident's number.")
    ] = None,
    commission: Annotated[
        str | None,
        Query(min_length=1, pattern=NO_NUL, description="An election commission's (body's) code."),
    ] = None,
    on: Annotated[
        Day | None,
        Query(description="With `commission`: members in post that day (default: election day)."),
    ] = None,
) -> CandidatesOut:
    """Give exactly one of `incident` and `commission`. Each candidate comes with its
    reasoning, one checkable step a sentence. Candidates are leads for a human
    decision, not findings of responsibility."""
    if (incident is None) == (commission is None):
        invalid(("query", "incident"), "give exactly one of incident and commission")
    responsibility = Responsibility(service.designation)
    if incident is not None:
        found = responsibility.candidates_for_incident(actor, incident)
    else:
        assert commission is not None
        found = responsibility.candidates_for_commission(actor, commission, on)
    return CandidatesOut(
        notice=NOTICE, candidates=[CandidateOut.model_validate(c.to_dict()) for c in found]
    )
