"""The designation workflow: from a dossier to a published list, every step audited.

Each action is one transaction that also appends its audit record, so an action and
its trace commit together or not at all. Positions are recorded under a lock on the
package row: concurrent delegates are serialized, and the package is decided once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from sanctio.designation.auth import Actor, PermissionDeniedError, Role, new_token, token_hash
from sanctio.designation.consensus import (
    Decision,
    MemberState,
    Outcome,
    Position,
    Rule,
    decide,
    load_member_states,
)
from sanctio.designation.records import (
    Dossier,
    EvidenceItem,
    LegalAct,
    Package,
    PackageDossier,
    PositionRecord,
    Regime,
    User,
)
from sanctio.errors import NotFoundError, SanctioError
from sanctio.lists import ParsedList
from sanctio.model import Entity, canonical_json
from sanctio.registry import Registry
from sanctio.registry.audit import append, serialize_writers

SENSITIVITIES = ("public", "restricted")


class WorkflowError(SanctioError):
    """An action the current state of a dossier or package does not allow."""


@dataclass(frozen=True)
class Evidence:
    """An evidence item as a user sees it (restricted items only for cleared roles)."""

    number: int
    version: int
    source: str
    description: str
    sha256: str
    collected_at: str
    collected_by: str
    sensitivity: str
    consent: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _now() -> datetime:
    return datetime.now(UTC)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Designation:
    """The workflow over one registry database (SQLite or PostgreSQL)."""

    def __init__(self, registry: Registry, states: Sequence[MemberState] | None = None) -> None:
        self.registry = registry
        self.states = list(states) if states is not None else load_member_states()
        self._codes = {s.code for s in self.states}
        self._sessions = sessionmaker(registry.writer)

    # -- users -----------------------------------------------------------------

    def add_user(
        self, actor: Actor | None, name: str, role: Role, member_state: str | None = None
    ) -> str:
        """A new user and its token (returned once). The first user needs no actor and
        must be an officer; later users are added by an officer."""
        if role is Role.DELEGATE and member_state not in self._codes:
            known = ", ".join(sorted(self._codes))
            raise WorkflowError(f"a delegate needs a member state, one of {known}")
        if role is not Role.DELEGATE and member_state is not None:
            raise WorkflowError("only a delegate speaks for a member state")
        token = new_token()
        with self.transaction() as session:
            # two first users at once on PostgreSQL: the second waits here, then counts one
            serialize_writers(session.connection())
            users = session.scalar(select(func.count()).select_from(User)) or 0
            if users == 0:
                if role is not Role.OFFICER:
                    raise WorkflowError("the first user must be an officer")
                by = name
            else:
                if actor is None:
                    raise PermissionDeniedError("adding a user needs an officer's token")
                actor.require(Role.OFFICER)
                by = actor.name
            session.add(
                User(
                    name=name,
                    role=role.value,
                    member_state=member_state,
                    token_hash=token_hash(token),
                    created_at=_now(),
                )
            )
            try:
                session.flush()
            except IntegrityError:
                raise WorkflowError(f"a user named {name!r} exists already") from None
            self.audit(
                session,
                by,
                "user.added",
                f"user:{name}",
                {"role": role.value, "member_state": member_state},
            )
        return token

    def authenticate(self, token: str | None) -> Actor:
        """The user a token belongs to; a clear refusal for a missing or unknown token."""
        if not token:
            raise PermissionDeniedError("no token: pass --token or set SANCTIO_TOKEN")
        with Session(self.registry.engine) as session:
            user = session.scalar(select(User).where(User.token_hash == token_hash(token)))
        if user is None:
            raise PermissionDeniedError("unknown token")
        return Actor(user.name, Role(user.role), user.member_state)

    # -- regimes and dossiers -------------------------------------------------

    def create_regime(
        self,
        actor: Actor,
        code: str,
        title: str,
        decision: str,
        regulation: str,
        criteria: Sequence[str],
        measures: Sequence[str],
        renewal: str = "02-28",
    ) -> None:
        actor.require(Role.OFFICER)
        try:
            next_renewal(renewal, date(2001, 1, 1))
        except ValueError:
            raise WorkflowError(f"renewal {renewal!r}; expected MM-DD, e.g. 02-28") from None
        if not criteria:
            raise WorkflowError("a regime needs at least one listing criterion")
        with self.transaction() as session:
            if session.scalar(select(Regime).where(Regime.code == code)):
                raise WorkflowError(f"regime {code!r} exists already")
            session.add(
                Regime(
                    code=code,
                    title=title,
                    decision=decision,
                    regulation=regulation,
                    criteria=list(criteria),
                    measures=list(measures),
                    renewal=renewal,
                    list_name=regime_list_name(code),
                )
            )
            self.audit(
                session,
                actor.name,
                "regime.created",
                f"regime:{code}",
                {"decision": decision, "regulation": regulation},
            )

    def propose_dossier(
        self, actor: Actor, regime_code: str, entity: Entity, criterion: int, reasons: str
    ) -> int:
        """A dossier proposing ``entity`` (names in every script, identifying facts) on
        a numbered criterion of the regime, with the statement of reasons."""
        actor.require(Role.PROPOSER, Role.OFFICER)
        if not reasons.strip():
            raise WorkflowError("a dossier needs a statement of reasons")
        with self.transaction() as session:
            regime = self._regime(session, regime_code)
            if not 1 <= criterion <= len(regime.criteria):
                raise WorkflowError(
                    f"criterion {criterion}: regime {regime_code} has criteria 1 to "
                    f"{len(regime.criteria)}"
                )
            if session.scalar(select(Dossier).where(Dossier.entity_id == entity.id)):
                raise WorkflowError(f"a dossier for {entity.id!r} exists already")
            dossier = Dossier(
                regime_id=regime.id,
                entity_id=entity.id,
                entity=entity.to_dict(),
                criterion=criterion,
                reasons=reasons,
                status="proposed",
                proposer=actor.name,
                created_at=_now(),
            )
            session.add(dossier)
            session.flush()
            self.audit(
                session,
                actor.name,
                "dossier.proposed",
                f"dossier:{dossier.id}",
                {"entity": entity.id, "caption": entity.caption, "criterion": criterion},
            )
            return dossier.id

    def add_evidence(
        self,
        actor: Actor,
        dossier_id: int,
        source: str,
        description: str,
        sha256: str,
        collected_at: datetime,
        collected_by: str,
        sensitivity: str = "public",
        consent: str = "",
        supplements: int | None = None,
    ) -> tuple[int, int]:
        """A new numbered item, or (``supplements``) a new version of an existing item:
        earlier versions stay as they were. Returns (number, version)."""
        actor.require(Role.PROPOSER, Role.OFFICER)
        if sensitivity not in SENSITIVITIES:
            raise WorkflowError(f"sensitivity {sensitivity!r}; expected public or restricted")
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise WorkflowError(f"sha256 {sha256!r}; expected 64 lower-case hex digits")
        with self.transaction() as session:
            dossier = self._dossier(session, dossier_id, lock=True)
            items = session.execute(
                select(EvidenceItem.number, func.max(EvidenceItem.version))
                .where(EvidenceItem.dossier_id == dossier.id)
                .group_by(EvidenceItem.number)
            ).all()
            latest = {int(n): int(v) for n, v in items}
            if supplements is None:
                number, version = max(latest, default=0) + 1, 1
            elif supplements in latest:
                number, version = supplements, latest[supplements] + 1
            else:
                raise WorkflowError(f"dossier {dossier_id} has no evidence item {supplements}")
            session.add(
                EvidenceItem(
                    dossier_id=dossier.id,
                    number=number,
                    version=version,
                    source=source,
                    description=description,
                    sha256=sha256,
                    collected_at=collected_at,
                    collected_by=collected_by,
                    sensitivity=sensitivity,
                    consent=consent,
                    added_by=actor.name,
                    added_at=_now(),
                )
            )
            self.audit(
                session,
                actor.name,
                "evidence.added",
                f"dossier:{dossier_id}",
                {
                    "number": number,
                    "version": version,
                    "sha256": sha256,
                    "sensitivity": sensitivity,
                },
            )
        return number, version

    def evidence(self, actor: Actor, dossier_id: int) -> list[Evidence]:
        """Every version of every item, restricted ones only for cleared roles."""
        with Session(self.registry.engine) as session:
            self._dossier(session, dossier_id)
            rows = session.scalars(
                select(EvidenceItem)
                .where(EvidenceItem.dossier_id == dossier_id)
                .order_by(EvidenceItem.number, EvidenceItem.version)
            ).all()
        return [
            Evidence(
                r.number,
                r.version,
                r.source,
                r.description,
                r.sha256,
                r.collected_at.isoformat(),
                r.collected_by,
                r.sensitivity,
                r.consent,
            )
            for r in rows
            if r.sensitivity == "public" or actor.cleared
        ]

    # -- packages and positions -----------------------------------------------

    def create_package(
        self,
        actor: Actor,
        regime_code: str,
        title: str,
        dossier_ids: Iterable[int],
        rule: Rule = Rule.unanimity,
    ) -> int:
        actor.require(Role.PROPOSER, Role.OFFICER)
        with self.transaction() as session:
            regime = self._regime(session, regime_code)
            package = Package(
                regime_id=regime.id,
                title=title,
                proposer=actor.name,
                status="draft",
                rule=rule.value,
                silence_is_agreement=False,
                created_at=_now(),
            )
            session.add(package)
            session.flush()
            ids = sorted(set(dossier_ids))
            for dossier_id in ids:
                dossier = self._dossier(session, dossier_id)
                if dossier.regime_id != regime.id or dossier.status != "proposed":
                    raise WorkflowError(
                        f"dossier {dossier_id} is {dossier.status} under another regime or "
                        "package; a package takes proposed dossiers of its regime"
                    )
                dossier.status = "in_package"
                session.add(PackageDossier(package_id=package.id, dossier_id=dossier_id))
            self.audit(
                session,
                actor.name,
                "package.created",
                f"package:{package.id}",
                {"title": title, "dossiers": ids, "rule": rule.value},
            )
            return package.id

    def hold_back(self, actor: Actor, package_id: int, dossier_id: int) -> None:
        """Take a name out of a package before adoption (it can go into a later one).
        The package's content changes, so positions recorded on it no longer count."""
        actor.require(Role.PROPOSER, Role.OFFICER)
        with self.transaction() as session:
            package = self._package(session, package_id, lock=True)
            if package.status not in ("draft", "circulated"):
                raise WorkflowError(f"package {package_id} is {package.status}")
            removed = session.execute(
                delete(PackageDossier).where(
                    PackageDossier.package_id == package_id,
                    PackageDossier.dossier_id == dossier_id,
                )
            )
            if not removed.rowcount:  # type: ignore[attr-defined]
                raise WorkflowError(f"dossier {dossier_id} is not in package {package_id}")
            self._dossier(session, dossier_id).status = "proposed"
            if package.status == "circulated":
                package.content_hash = self._content_hash(session, package_id)
                package.outcome = Outcome.pending.value
            self.audit(
                session,
                actor.name,
                "package.held_back",
                f"package:{package_id}",
                {"dossier": dossier_id, "content_hash": package.content_hash},
            )

    def circulate(
        self,
        actor: Actor,
        package_id: int,
        on: date,
        deadline: date | None = None,
        silence_is_agreement: bool = False,
    ) -> str:
        """Send the package to the member states; returns the content hash positions
        must name, so that a position always refers to what the state saw."""
        actor.require(Role.OFFICER)
        with self.transaction() as session:
            package = self._package(session, package_id, lock=True)
            if package.status != "draft":
                raise WorkflowError(f"package {package_id} is {package.status}, not a draft")
            package.status = "circulated"
            package.circulated_on = on
            package.deadline = deadline
            package.silence_is_agreement = silence_is_agreement
            package.content_hash = self._content_hash(session, package_id)
            package.outcome = Outcome.pending.value
            self.audit(
                session,
                actor.name,
                "package.circulated",
                f"package:{package_id}",
                {
                    "on": on.isoformat(),
                    "content_hash": package.content_hash,
                    "deadline": deadline.isoformat() if deadline else None,
                },
            )
            return package.content_hash

    def record_position(
        self,
        actor: Actor,
        package_id: int,
        position: Position,
        content_hash: str,
        statement: str = "",
        member_state: str | None = None,
        on: date | None = None,
    ) -> Decision:
        """A delegate's position for its own state on the package as circulated;
        returns the package's decision with every position so far."""
        actor.require(Role.DELEGATE)
        state = member_state or actor.member_state
        if state != actor.member_state:
            raise PermissionDeniedError(
                f"{actor.name} speaks for {actor.member_state}, not for {state}"
            )
        if position in (Position.block, Position.constructive_abstention) and not statement:
            what = "a reason" if position is Position.block else "its formal declaration"
            raise WorkflowError(f"a {position.value} needs {what} (--statement)")
        with self.transaction() as session:
            package = self._package(session, package_id, lock=True)
            if package.status != "circulated":
                raise WorkflowError(f"package {package_id} is {package.status}; not open")
            if content_hash != package.content_hash:
                raise WorkflowError(
                    f"package {package_id} changed after it was circulated to you "
                    f"(now {package.content_hash}); read it again and record your "
                    "position on the current content"
                )
            record = session.get(PositionRecord, (package_id, state))
            if record is None:
                record = PositionRecord(package_id=package_id, member_state=state)
                session.add(record)
            record.position = position.value
            record.statement = statement
            record.content_hash = content_hash
            record.recorded_by = actor.name
            record.recorded_at = _now()
            session.flush()
            self.audit(
                session,
                actor.name,
                "position.recorded",
                f"package:{package_id}",
                {
                    "member_state": state,
                    "position": position.value,
                    "statement": statement,
                    "content_hash": content_hash,
                    "on": on.isoformat() if on else None,
                },
            )
            decision = self._decide(session, package, on)
            if decision.outcome.value != package.outcome:
                package.outcome = decision.outcome.value
                self.audit(
                    session,
                    actor.name,
                    f"package.{decision.outcome.value}",
                    f"package:{package_id}",
                    {"reasons": list(decision.reasons)},
                )
            return decision

    def decision(self, package_id: int, on: date | None = None) -> Decision:
        with Session(self.registry.engine) as session:
            return self._decide(session, self._package(session, package_id), on)

    def positions(self, package_id: int) -> dict[str, dict[str, str]]:
        with Session(self.registry.engine) as session:
            self._package(session, package_id)
            rows = session.scalars(
                select(PositionRecord).where(PositionRecord.package_id == package_id)
            ).all()
            return {
                r.member_state: {"position": r.position, "statement": r.statement} for r in rows
            }

    # -- adoption and publication --------------------------------------------

    def adopt(
        self, actor: Actor, package_id: int, on: date, decision_number: str, regulation_number: str
    ) -> int:
        """Adopt an agreed package: the implementing decision and regulation, and a new
        version of the regime's published list holding everyone listed so far, all in
        one transaction. Returns the list version."""
        actor.require(Role.OFFICER)
        with self.transaction() as session:
            package = self._package(session, package_id, lock=True)
            if package.status != "circulated" or package.outcome != Outcome.adopted.value:
                raise WorkflowError(
                    f"package {package_id} cannot be adopted: it is {package.status} "
                    f"with outcome {package.outcome}"
                )
            regime = session.get(Regime, package.regime_id)
            assert regime is not None
            for dossier in self._package_dossiers(session, package_id):
                dossier.status = "listed"
                dossier.listed_on = on
                dossier.review_due = one_year_after(on)
            if regime.in_force_until is None or regime.in_force_until < on:
                regime.in_force_until = next_renewal(regime.renewal, on)
            package.status = "adopted"
            version = self.publish(session, regime, on)
            self.record_acts(
                session,
                regime,
                on,
                version,
                {"implementing decision": decision_number,
                 "implementing regulation": regulation_number},
                package_id=package_id,
            )  # fmt: skip
            self.audit(
                session,
                actor.name,
                "package.adopted_acts",
                f"package:{package_id}",
                {
                    "on": on.isoformat(),
                    "decision": decision_number,
                    "regulation": regulation_number,
                    "list": regime.list_name,
                    "list_version": version,
                },
            )
            return version

    def publish(self, session: Session, regime: Regime, on: date) -> int:
        """A new version of the regime's published list inside the caller's transaction
        (the same version number when nothing listed changed)."""
        session.flush()
        result = self.registry.store_in(
            session, regime.list_name, self._published(session, regime, on)
        )
        return result.version.version

    def record_acts(
        self,
        session: Session,
        regime: Regime,
        on: date,
        version: int | None,
        acts: dict[str, str],
        package_id: int | None = None,
        dossier_id: int | None = None,
    ) -> None:
        """The legal acts of one Council decision; a number used before is refused."""
        for kind, number in acts.items():
            if not number.strip():
                raise WorkflowError(f"the {kind} needs a number")
            session.add(
                LegalAct(
                    package_id=package_id,
                    dossier_id=dossier_id,
                    regime_id=regime.id,
                    kind=kind,
                    number=number,
                    adopted_on=on,
                    list_version=version,
                )
            )
        try:
            session.flush()
        except IntegrityError:
            raise WorkflowError("an act with one of these numbers exists already") from None

    def _published(self, session: Session, regime: Regime, on: date) -> ParsedList:
        """Every listed dossier of the regime as a target with its Sanction."""
        dossiers = session.scalars(
            select(Dossier)
            .where(Dossier.regime_id == regime.id, Dossier.status == "listed")
            .order_by(Dossier.entity_id)
        ).all()
        entities: list[Entity] = []
        for dossier in dossiers:
            entity = Entity.from_dict(dossier.entity, trusted=True)
            entity.target = True
            sanction = Entity.make("Sanction", f"{entity.id}--sanction", caption=regime.code)
            sanction.add("entity", entity.id)
            sanction.add("authority", "Council of the European Union")
            sanction.add("program", f"{regime.code}: {regime.title}")
            sanction.add("programId", regime.code)
            sanction.add("reason", dossier.reasons)
            sanction.add("provisions", list(regime.measures))
            listed = dossier.listed_on or on
            sanction.add("listingDate", listed.isoformat())
            sanction.add("startDate", listed.isoformat())
            entities.extend([entity, sanction])
        return ParsedList(regime.list_name, "sanctio-designation", Path(regime.list_name), entities)

    # -- helpers ---------------------------------------------------------------

    def transaction(self) -> AbstractContextManager[Session]:
        """One write transaction on the registry: committed on success, rolled back on
        any error, the write lock taken at the start (``registry.writer``)."""
        return self._sessions.begin()

    def audit(
        self, session: Session, actor: str, action: str, subject: str, payload: dict[str, Any]
    ) -> None:
        """The action's audit record, in the same transaction as the action."""
        append(session.connection(), actor, action, subject, payload)

    def _decide(self, session: Session, package: Package, on: date | None) -> Decision:
        rows = session.scalars(
            select(PositionRecord).where(PositionRecord.package_id == package.id)
        ).all()
        positions: dict[str, Position | None] = {s.code: None for s in self.states}
        for row in rows:
            if row.content_hash == package.content_hash and row.member_state in positions:
                positions[row.member_state] = Position(row.position)
        deadline_passed = bool(package.deadline and on and on > package.deadline)
        return decide(
            positions,
            self.states,
            Rule(package.rule),
            deadline_passed=deadline_passed,
            silence_is_agreement=package.silence_is_agreement,
        )

    def _content_hash(self, session: Session, package_id: int) -> str:
        """What the states agree to: each dossier's entity, criterion, reasons and the
        hashes of its evidence."""
        content = []
        for dossier in self._package_dossiers(session, package_id):
            evidence = session.scalars(
                select(EvidenceItem.sha256)
                .where(EvidenceItem.dossier_id == dossier.id)
                .order_by(EvidenceItem.number, EvidenceItem.version)
            ).all()
            content.append([dossier.entity, dossier.criterion, dossier.reasons, list(evidence)])
        return hashlib.sha256(canonical_json(content).encode()).hexdigest()

    def _package_dossiers(self, session: Session, package_id: int) -> list[Dossier]:
        return list(
            session.scalars(
                select(Dossier)
                .join(PackageDossier, PackageDossier.dossier_id == Dossier.id)
                .where(PackageDossier.package_id == package_id)
                .order_by(Dossier.id)
            ).all()
        )

    def _regime(self, session: Session, code: str) -> Regime:
        regime = session.scalar(select(Regime).where(Regime.code == code))
        if regime is None:
            known = ", ".join(session.scalars(select(Regime.code))) or "none yet"
            raise NotFoundError(f"no regime {code!r}; regimes: {known}")
        return regime

    def _dossier(self, session: Session, dossier_id: int, lock: bool = False) -> Dossier:
        query = select(Dossier).where(Dossier.id == dossier_id)
        dossier = session.scalar(query.with_for_update() if lock else query)
        if dossier is None:
            raise NotFoundError(f"no dossier {dossier_id}")
        return dossier

    def _package(self, session: Session, package_id: int, lock: bool = False) -> Package:
        query = select(Package).where(Package.id == package_id)
        package = session.scalar(query.with_for_update() if lock else query)
        if package is None:
            raise NotFoundError(f"no package {package_id}")
        return package


def one_year_after(day: date) -> date:
    """The latest date of the next periodic review: at least every 12 months."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def next_renewal(renewal: str, after: date) -> date:
    """The regime's next term end (MM-DD) after ``after``: listings run until then."""
    month, day = (int(x) for x in renewal.split("-"))
    end = date(after.year, month, day)
    return end if end > after else date(after.year + 1, month, day)


def regime_list_name(code: str) -> str:
    """The registry list a regime publishes to: ``sanctio-<code>``."""
    return f"sanctio-{code.lower()}"
