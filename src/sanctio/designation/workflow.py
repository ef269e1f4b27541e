"""The designation workflow: from a dossier to a published list, every step audited.

Each action is one transaction that also appends its audit record, so an action and
its trace commit together or not at all. Positions are recorded under a lock on the
package row: concurrent delegates are serialized, and the package is decided once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from sanctio.designation.auth import Actor, PermissionDeniedError, Role
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
)
from sanctio.errors import NotFoundError, SanctioError
from sanctio.lists import ParsedList
from sanctio.model import Entity, canonical_json
from sanctio.registry import Registry
from sanctio.registry.audit import append, serialize_writers
from sanctio.registry.checkpoints import anchor_on_commit

if TYPE_CHECKING:
    from sanctio.designation.users import Users

SENSITIVITIES = ("public", "restricted")
#: A package still open to change: a dossier belongs to at most one at a time.
OPEN_PACKAGE = ("draft", "circulated")


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


def _today() -> date:
    """The server's date (UTC): positions are dated by it, never by the delegate."""
    return _now().date()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Designation:
    """The workflow over one registry database (SQLite or PostgreSQL)."""

    def __init__(
        self,
        registry: Registry,
        states: Sequence[MemberState] | None = None,
        today: Callable[[], date] = _today,
    ) -> None:
        self.registry = registry
        #: the server's clock for the day a position is taken and a decision asked
        self.today = today
        self.states = list(states) if states is not None else load_member_states()
        self._codes = {s.code for s in self.states}
        self._sessions = sessionmaker(registry.writer)

    # -- users -----------------------------------------------------------------

    def add_user(
        self, actor: Actor | None, name: str, role: Role, member_state: str | None = None
    ) -> str:
        """A new user and its token (returned once): ``users.Users.add``."""
        return self.users.add(actor, name, role, member_state)

    def authenticate(self, token: str | None) -> Actor:
        """The user a token belongs to, refused when missing, unknown, revoked or
        expired: ``users.Users.authenticate``."""
        return self.users.authenticate(token)

    @property
    def users(self) -> Users:
        """The registry's users and their tokens (``designation/users.py``)."""
        from sanctio.designation.users import Users

        return Users(self)

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
        a numbered criterion of the regime, with the statement of reasons. A person
        delisted earlier may be proposed again: a new dossier, linked to the last one."""
        actor.require(Role.PROPOSER, Role.OFFICER)
        if not reasons.strip():
            raise WorkflowError("a dossier needs a statement of reasons")
        with self.transaction() as session:
            # two proposals of one person at once on PostgreSQL: the second waits here
            serialize_writers(session.connection())
            regime = self._regime(session, regime_code)
            if not 1 <= criterion <= len(regime.criteria):
                raise WorkflowError(
                    f"criterion {criterion}: regime {regime_code} has criteria 1 to "
                    f"{len(regime.criteria)}"
                )
            earlier = session.scalar(
                select(Dossier).where(Dossier.entity_id == entity.id).order_by(Dossier.id.desc())
            )
            if earlier is not None and earlier.status != "delisted":
                raise WorkflowError(
                    f"a dossier for {entity.id!r} exists already (dossier {earlier.id}, "
                    f"{earlier.status}); a person is proposed again only after delisting"
                )
            dossier = Dossier(
                previous_dossier_id=earlier.id if earlier is not None else None,
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
                {
                    "entity": entity.id,
                    "caption": entity.caption,
                    "criterion": criterion,
                    "previous_dossier": dossier.previous_dossier_id,
                },
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
            # the package's row first, before the audit's lock, as positions take them
            package = self._circulated_package_of(session, dossier_id)
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
            if package is not None:
                self._content_changed(
                    session, actor, package, dossier.id, f"evidence {number} version {version}"
                )
        return number, version

    def _circulated_package_of(self, session: Session, dossier_id: int) -> Package | None:
        """The circulated package holding the dossier, if any, its row locked."""
        return session.scalar(
            select(Package)
            .join(PackageDossier, PackageDossier.package_id == Package.id)
            .where(PackageDossier.dossier_id == dossier_id, Package.status == "circulated")
            .with_for_update()
        )

    def _content_changed(
        self, session: Session, actor: Actor, package: Package, dossier_id: int, what: str
    ) -> None:
        """Evidence may be added to a dossier in a circulated package, but the states
        agreed to the file as it was: the package's content hash moves, so positions
        taken before stop counting (as after a hold-back) and the outcome is pending."""
        session.flush()
        package.content_hash = self._content_hash(session, package.id)
        package.outcome = Outcome.pending.value
        self.audit(
            session,
            actor.name,
            "package.content_changed",
            f"package:{package.id}",
            {"dossier": dossier_id, "change": what, "content_hash": package.content_hash},
        )

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
        """A draft package of proposed dossiers. Each dossier's row is locked first, so
        of two packages asked for at once with one dossier, the second sees it taken: a
        dossier is in at most one open package."""
        actor.require(Role.PROPOSER, Role.OFFICER)
        ids = sorted(set(dossier_ids))
        if not ids:
            raise WorkflowError("a package needs at least one dossier")
        with self.transaction() as session:
            regime = self._regime(session, regime_code)
            for dossier_id in ids:  # in id order, so two requests cannot deadlock
                dossier = self._dossier(session, dossier_id, lock=True)
                taken = session.scalar(
                    select(PackageDossier.package_id)
                    .join(Package, Package.id == PackageDossier.package_id)
                    .where(
                        PackageDossier.dossier_id == dossier_id,
                        Package.status.in_(OPEN_PACKAGE),
                    )
                )
                if taken is not None:
                    raise WorkflowError(
                        f"dossier {dossier_id} is in open package {taken} already; hold it "
                        "back from that package first"
                    )
                if dossier.regime_id != regime.id or dossier.status != "proposed":
                    raise WorkflowError(
                        f"dossier {dossier_id} is {dossier.status} under another regime or "
                        "package; a package takes proposed dossiers of its regime"
                    )
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
            for dossier_id in ids:
                self._dossier(session, dossier_id).status = "in_package"
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
        if deadline is not None and deadline < on:
            raise WorkflowError(f"deadline {deadline} is before the circulation on {on}")
        with self.transaction() as session:
            package = self._package(session, package_id, lock=True)
            if package.status != "draft":
                raise WorkflowError(f"package {package_id} is {package.status}, not a draft")
            if not self._package_dossiers(session, package_id):
                raise WorkflowError(f"package {package_id} is empty: every dossier held back")
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
    ) -> Decision:
        """A delegate's position for its own state on the package as circulated;
        returns the package's decision with every position so far, as of the server's
        date (a delegate cannot date a position past the deadline to count silence)."""
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
                    "on": self.today().isoformat(),
                },
            )
            decision = self._decide(session, package, self.today())
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
        """The outcome as of ``on`` (the server's date by default), decided afresh from
        the positions, the deadline and the silence rule: never a stored outcome."""
        with Session(self.registry.engine) as session:
            package = self._package(session, package_id)
            return self._decide(session, package, on or self.today())

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
        one transaction. Returns the list version.

        The outcome is decided for ``on`` from the positions on the package's current
        content (never the stored outcome); ``on`` is not before the circulation or the
        regime's last act, and not after today."""
        actor.require(Role.OFFICER)
        require_acts(
            "an adoption",
            {
                "implementing decision": decision_number,
                "implementing regulation": regulation_number,
            },
            "implementing decision and implementing regulation",
        )
        if on > self.today():
            raise WorkflowError(f"adoption on {on} is after today ({self.today()})")
        with self.transaction() as session:
            package = self._package(session, package_id, lock=True)
            if package.status != "circulated":
                raise WorkflowError(
                    f"package {package_id} cannot be adopted: it is {package.status}"
                )
            dossiers = self._package_dossiers(session, package_id)
            if not dossiers:
                raise WorkflowError(
                    f"package {package_id} cannot be adopted: it is empty (every dossier held back)"
                )
            if package.circulated_on is not None and on < package.circulated_on:
                raise WorkflowError(
                    f"adoption on {on} is before the package's circulation on "
                    f"{package.circulated_on}"
                )
            decision = self._decide(session, package, on)
            if decision.outcome is not Outcome.adopted:
                raise WorkflowError(
                    f"package {package_id} cannot be adopted on {on}: outcome "
                    f"{decision.outcome.value} ({'; '.join(decision.reasons)})"
                )
            regime = session.get(Regime, package.regime_id)
            assert regime is not None
            self.check_order(session, regime, on, "the adoption")
            if package.outcome != Outcome.adopted.value:  # decided by the deadline passing
                package.outcome = Outcome.adopted.value
                self.audit(
                    session,
                    actor.name,
                    "package.adopted",
                    f"package:{package_id}",
                    {"on": on.isoformat(), "reasons": list(decision.reasons)},
                )
            for dossier in dossiers:
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
            session, regime.list_name, self._published(session, regime, on), origin="published"
        )
        number = result.version.version
        published = (regime.list_name, number) if result.created else None
        anchor_on_commit(session, f"{regime.list_name} version {number}", published)
        return number

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
        anchor_on_commit(session, "acts " + ", ".join(acts.values()), acts=list(acts.values()))

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

    def check_order(self, session: Session, regime: Regime, on: date, what: str) -> None:
        """A change to a regime's published list is not dated before its last act, so
        list versions follow the case's order."""
        last = session.scalar(
            select(func.max(LegalAct.adopted_on)).where(LegalAct.regime_id == regime.id)
        )
        if last is not None and on < last:
            raise WorkflowError(
                f"{what} on {on} is dated before regime {regime.code}'s last act, of {last}"
            )

    def _decide(self, session: Session, package: Package, on: date) -> Decision:
        """The outcome on ``on``: only positions on the content as it is now count (an
        open package's hash is computed afresh), silence only after the deadline."""
        content = package.content_hash
        if package.status == "circulated":
            content = self._content_hash(session, package.id)
        rows = session.scalars(
            select(PositionRecord).where(PositionRecord.package_id == package.id)
        ).all()
        positions: dict[str, Position | None] = {s.code: None for s in self.states}
        for row in rows:
            if row.content_hash == content and row.member_state in positions:
                positions[row.member_state] = Position(row.position)
        deadline_passed = bool(package.deadline and on > package.deadline)
        return decide(
            positions,
            self.states,
            Rule(package.rule),
            deadline_passed=deadline_passed,
            silence_is_agreement=package.silence_is_agreement,
        )

    def _content_hash(self, session: Session, package_id: int) -> str:
        """What the states agree to: each dossier's entity, criterion, reasons and the
        current version of each of its evidence items (number, version, hash), so a new
        item or a new version changes it."""
        content = []
        for dossier in self._package_dossiers(session, package_id):
            latest: dict[int, tuple[int, str]] = {}
            for number, version, sha256 in session.execute(
                select(EvidenceItem.number, EvidenceItem.version, EvidenceItem.sha256)
                .where(EvidenceItem.dossier_id == dossier.id)
                .order_by(EvidenceItem.number, EvidenceItem.version)
            ):
                latest[number] = (version, sha256)
            evidence = [[n, v, h] for n, (v, h) in sorted(latest.items())]
            content.append(
                [dossier.id, dossier.entity, dossier.criterion, dossier.reasons, evidence]
            )
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
        if lock:  # the row as committed by whoever held the lock before us
            query = query.with_for_update().execution_options(populate_existing=True)
        dossier = session.scalar(query)
        if dossier is None:
            raise NotFoundError(f"no dossier {dossier_id}")
        return dossier

    def _package(self, session: Session, package_id: int, lock: bool = False) -> Package:
        query = select(Package).where(Package.id == package_id)
        package = session.scalar(query.with_for_update() if lock else query)
        if package is None:
            raise NotFoundError(f"no package {package_id}")
        return package


def require_acts(
    change: str,
    acts: Mapping[str, str | None],
    expected: str = "implementing decision or implementing regulation",
) -> dict[str, str]:
    """The numbered legal acts of a change to a published list: a list changes only by
    an act, so at least one must be named. Returns those given."""
    given = {kind: number for kind, number in acts.items() if number and number.strip()}
    if not given:
        raise WorkflowError(f"{change} needs its legal act: the {expected} number")
    return given


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
