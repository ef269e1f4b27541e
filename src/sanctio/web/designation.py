"""Packages with the consensus board (each member state's position, the rule and
whether it is met, refreshed live while delegates record positions), and dossiers
with their evidence. Both are the Council's preparatory work: signed-in users only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sanctio.api.deps import Service, ServiceDep
from sanctio.designation.auth import Actor, PermissionDeniedError, Role
from sanctio.designation.consensus import Decision, MemberState, Position
from sanctio.designation.lifecycle import Lifecycle
from sanctio.designation.records import (
    Dossier,
    EvidenceItem,
    LegalAct,
    Package,
    PackageDossier,
    PositionRecord,
    Regime,
)
from sanctio.designation.workflow import Evidence, WorkflowError
from sanctio.errors import NotFoundError
from sanctio.model import Entity
from sanctio.registry.audit import AuditEntry, entries
from sanctio.web.core import (
    POSITION_LABELS,
    MemberDep,
    error_page,
    render,
    router,
    same_origin,
    ui_base,
)
from sanctio.web.entities import identifying, spellings


@dataclass(frozen=True)
class PackageRow:
    id: int
    regime: str
    title: str
    status: str
    outcome: str | None
    rule: str
    circulated_on: date | None
    dossiers: int


def package_rows(service: Service) -> list[PackageRow]:
    """Every package, newest last, with its regime and number of dossiers."""
    count = (
        select(PackageDossier.package_id, func.count().label("n"))
        .group_by(PackageDossier.package_id)
        .subquery()
    )
    with Session(service.registry.engine) as session:
        rows = session.execute(
            select(Package, Regime.code, count.c.n)
            .join(Regime, Regime.id == Package.regime_id)
            .outerjoin(count, count.c.package_id == Package.id)
            .order_by(Package.id)
        ).all()
        return [
            PackageRow(
                p.id, code, p.title, p.status, p.outcome, p.rule, p.circulated_on, int(n or 0)
            )
            for p, code, n in rows
        ]


@dataclass(frozen=True)
class DossierRow:
    id: int
    entity_id: str
    caption: str
    criterion: int
    status: str
    listed_on: date | None


def _dossier_row(dossier: Dossier) -> DossierRow:
    entity = Entity.from_dict(dossier.entity, trusted=True)
    return DossierRow(
        dossier.id,
        dossier.entity_id,
        entity.caption or entity.id,
        dossier.criterion,
        dossier.status,
        dossier.listed_on,
    )


@dataclass(frozen=True)
class StatePosition:
    state: MemberState
    position: str | None
    statement: str
    counted: bool


def subject_history(service: Service, subject: str) -> list[AuditEntry]:
    """The audit records about one package or dossier, oldest first."""
    return [entry for entry in entries(service.registry.engine) if entry.subject == subject]


@router.get("/packages")
def packages_page(request: Request, service: ServiceDep, actor: MemberDep) -> Response:
    """Every package of every regime: its status and the decision so far."""
    return render(
        request, "packages.html", actor, section="packages", packages=package_rows(service)
    )


@dataclass(frozen=True)
class Board:
    """The consensus board of a package: the decision under its rule and each member
    state's position, as the page shows it and as htmx refreshes it."""

    package: Package
    decision: Decision
    states: list[StatePosition]

    @property
    def open(self) -> bool:
        """Whether delegates can still record positions (the board keeps refreshing)."""
        return self.package.status == "circulated"

    def position_of(self, state: str | None) -> StatePosition | None:
        return next((row for row in self.states if row.state.code == state), None)


def board(service: Service, package_id: int) -> Board:
    """The package's decision today and every position, read afresh."""
    designation = service.designation
    with Session(service.registry.engine) as session:
        package = session.get(Package, package_id)
        if package is None:
            raise NotFoundError(f"no package {package_id}")
        hashes = dict(
            session.execute(
                select(PositionRecord.member_state, PositionRecord.content_hash).where(
                    PositionRecord.package_id == package_id
                )
            ).all()
        )
        session.expunge(package)
    decision: Decision = designation.decision(package_id, date.today())
    recorded = designation.positions(package_id)
    states = [
        StatePosition(
            state,
            recorded[state.code]["position"] if state.code in recorded else None,
            recorded[state.code]["statement"] if state.code in recorded else "",
            hashes.get(state.code) == package.content_hash,
        )
        for state in designation.states
    ]
    return Board(package, decision, states)


@router.get("/packages/{package_id}")
def package_page(
    request: Request, package_id: int, service: ServiceDep, actor: MemberDep
) -> Response:
    """A package: its dossiers, the decision with its reasons, and each member state's
    position (a position on content since changed is shown but does not count); a
    delegate records its state's position here while the package is circulated."""
    return _package_page(request, service, actor, board(service, package_id))


def _package_page(
    request: Request,
    service: Service,
    actor: Actor,
    shown: Board,
    status: int = 200,
    message: PositionMessage | None = None,
) -> Response:
    package = shown.package
    with Session(service.registry.engine) as session:
        regime = session.get(Regime, package.regime_id)
        assert regime is not None
        dossiers = [
            _dossier_row(d)
            for d in session.scalars(
                select(Dossier)
                .join(PackageDossier, PackageDossier.dossier_id == Dossier.id)
                .where(PackageDossier.package_id == package.id)
                .order_by(Dossier.id)
            )
        ]
        acts = list(
            session.scalars(
                select(LegalAct).where(LegalAct.package_id == package.id).order_by(LegalAct.id)
            )
        )
        session.expunge_all()
    return render(
        request,
        "package.html",
        actor,
        status,
        section="packages",
        package=package,
        regime=regime,
        dossiers=dossiers,
        acts=acts,
        board=shown,
        message=message,
        # the audit records are an officer's to read, as /audit/log is
        history=subject_history(service, f"package:{package.id}")
        if actor.role is Role.OFFICER
        else [],
    )


@router.get("/packages/{package_id}/board")
def board_partial(
    request: Request, package_id: int, service: ServiceDep, actor: MemberDep
) -> Response:
    """The board alone, which the package page fetches every few seconds while the
    package is open, and at once after its own delegate records a position."""
    return render(
        request,
        "_board.html",
        actor,
        headers={"Cache-Control": "no-store"},
        board=board(service, package_id),
    )


@dataclass(frozen=True)
class PositionMessage:
    """What happened to the position a delegate sent: shown above the form."""

    ok: bool
    text: str


@router.post("/packages/{package_id}/position")
async def record_position(
    request: Request, package_id: int, service: ServiceDep, actor: MemberDep
) -> Response:
    """The signed-in delegate's position for its own state, on the content the page
    showed (its hash is in the form): recorded through the workflow, which refuses a
    changed package, a closed one, another state, and a block without its reason.
    With htmx the form is swapped for the result and the board refreshes; without,
    the package page is loaded again."""
    if not same_origin(request):
        return error_page(request, 403, "Forbidden", "This form can only be sent from these pages.")
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    value = form.get("position", [""])[0]
    statement = form.get("statement", [""])[0].strip()
    content_hash = form.get("content_hash", [""])[0]
    htmx = request.headers.get("HX-Request") == "true"
    status = 200
    try:
        position = Position(value)
    except ValueError:
        message = PositionMessage(False, f"Choose a position (not {value!r}).")
        status = 400
    else:
        try:
            await run_in_threadpool(
                service.designation.record_position,
                actor,
                package_id,
                position,
                content_hash,
                statement,
            )
        except PermissionDeniedError as exc:
            message, status = PositionMessage(False, f"Not recorded: {exc}."), 403
        except WorkflowError as exc:
            message, status = PositionMessage(False, f"Not recorded: {exc}."), 409
        else:
            label = POSITION_LABELS[position.value]
            message = PositionMessage(True, f"Recorded: {actor.member_state} — {label}.")
    if not htmx and message.ok:
        return RedirectResponse(f"{ui_base(request)}/packages/{package_id}", status_code=303)
    shown = await run_in_threadpool(board, service, package_id)
    if not htmx:
        return _package_page(request, service, actor, shown, status, message)
    # htmx swaps only a 2xx answer: the refusal is said in the form, with 200
    headers = {"HX-Trigger": "board-changed"} if message.ok else {}
    return render(
        request, "_position_form.html", actor, headers=headers, board=shown, message=message
    )


@router.get("/dossiers/{dossier_id}")
def dossier_page(
    request: Request, dossier_id: int, service: ServiceDep, actor: MemberDep
) -> Response:
    """A dossier: the person or entity proposed, the criterion and reasons, its
    evidence (restricted items only for a cleared role) and what happened since."""
    designation = service.designation
    with Session(service.registry.engine) as session:
        dossier = session.get(Dossier, dossier_id)
        if dossier is None:
            raise NotFoundError(f"no dossier {dossier_id}")
        regime = session.get(Regime, dossier.regime_id)
        assert regime is not None
        packages = list(
            session.scalars(
                select(Package)
                .join(PackageDossier, PackageDossier.package_id == Package.id)
                .where(PackageDossier.dossier_id == dossier_id)
                .order_by(Package.id)
            )
        )
        restricted = (
            session.scalar(
                select(func.count())
                .select_from(EvidenceItem)
                .where(EvidenceItem.dossier_id == dossier_id)
                .where(EvidenceItem.sensitivity != "public")
            )
            or 0
        )
        session.expunge_all()
    reader = actor
    evidence: list[Evidence] = designation.evidence(reader, dossier_id)
    entity = Entity.from_dict(dossier.entity, trusted=True)
    number = dossier.criterion
    criterion = regime.criteria[number - 1] if 0 < number <= len(regime.criteria) else ""
    return render(
        request,
        "dossier.html",
        actor,
        section="packages",
        dossier=dossier,
        regime=regime,
        entity=entity,
        spellings=spellings(entity),
        identifying=identifying(entity),
        criterion=criterion,
        packages=packages,
        evidence=evidence,
        hidden=0 if reader.cleared else restricted,
        events=Lifecycle(designation).history(dossier_id),
    )
