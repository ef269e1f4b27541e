"""Incidents of violence, posts and who held them, and candidates with their reasoning.

An incident names the bodies involved (a riot-police unit, a directorate); an
occupancy says who held which of a body's posts from when to when (FtM's Position and
Occupancy). Together they lead from an incident, or from an election commission, to
the officials in post on that date: candidates, each with its chain of reasoning in
plain sentences, so a reader can check every step against its source.

Candidates are leads for a human decision, not findings of responsibility: nothing
here creates a dossier by itself. ``propose_from_candidate`` is the deliberate step a
proposer takes, through the ordinary workflow.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sanctio.designation.auth import Actor, Role
from sanctio.designation.records import Dossier
from sanctio.designation.responsibility_records import (
    Body,
    IncidentBody,
    IncidentRecord,
    IncidentSourceRecord,
    OccupancyRecord,
    PersonOfInterest,
    Post,
)
from sanctio.designation.responsibility_types import (
    Candidate,
    FieldError,
    Holding,
    Incident,
    IncidentSource,
    Occupancy,
    RosterImport,
    check_sha,
    parse_occurred,
    person_entity,
)
from sanctio.designation.roster import check_body_row, holding_of_row, read_roster, row_date
from sanctio.designation.workflow import SENSITIVITIES, Designation, WorkflowError, file_sha256
from sanctio.errors import InputError, NotFoundError
from sanctio.model import Entity

KINDS = ("security_unit", "ministry", "election_commission", "other")
#: Printed with every list of candidates.
NOTICE = "Candidates are leads for a human decision, not findings of responsibility."
WRITERS = (Role.OFFICER, Role.PROPOSER)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _span(since: date, until: date | None) -> str:
    return f"from {since}" + (f" to {until}" if until else ", no end date recorded")


def _overlap(
    a_start: date, a_end: date | None, b_start: date, b_end: date | None, handover: bool
) -> bool:
    """Whether two intervals (end None: open) share a day; with ``handover``, one ending
    on the day the other starts does not count."""
    a_stop, b_stop = a_end or date.max, b_end or date.max
    if handover:
        return a_start < b_stop and b_start < a_stop
    return a_start <= b_stop and b_start <= a_stop


def _now() -> datetime:
    return datetime.now(UTC)


#: A candidate found, before deduplication: person, post, body, occupancy, reasoning.
_Found = tuple[PersonOfInterest, Post, Body, OccupancyRecord, tuple[str, ...]]


class Responsibility:
    """Bodies, posts, occupancies and incidents in the designation workflow's registry,
    every write one transaction with its audit record."""

    def __init__(self, workflow: Designation) -> None:
        self.workflow = workflow
        self.registry = workflow.registry

    # -- bodies, posts, persons, occupancies ------------------------------------

    def add_body(
        self,
        actor: Actor,
        code: str,
        name: str,
        kind: str,
        parent: str | None = None,
        election_date: date | None = None,
    ) -> int:
        """A body in charge of something; ``parent`` (a body code) is the body it
        answers to, ``election_date`` an election commission's election date."""
        actor.require(*WRITERS)
        code = code.strip()
        with self.workflow.transaction() as session:
            if session.scalar(select(Body).where(Body.code == code)):
                raise WorkflowError(f"body {code!r} exists already")
            counts: Counter[str] = Counter()
            body = self._ensure_body(
                session, code, name, kind, parent or None, election_date, actor, counts
            )
            self.workflow.audit(
                session,
                actor.name,
                "body.added",
                f"body:{code}",
                {"name": body.name, "kind": kind, "parent": parent, "date": _iso(election_date)},
            )
            return body.id

    def add_post(self, actor: Actor, body_code: str, title: str, rank: int) -> int:
        """A post at a body; rank 1 is its head, whom the chain of command leads to."""
        actor.require(*WRITERS)
        with self.workflow.transaction() as session:
            body = self._body(session, body_code)
            if self._find_post(session, body, title):
                raise WorkflowError(f"{body.name} has a post {title!r} already")
            post = self._ensure_post(session, body, title, rank, Counter())
            self.workflow.audit(
                session,
                actor.name,
                "post.added",
                f"post:{post.id}",
                {"body": body.code, "title": post.title, "rank": rank},
            )
            return post.id

    def add_person(self, actor: Actor, names: Sequence[str], birth_date: str | None = None) -> int:
        """A person of interest (names in any script, the first primary); the same
        primary name and birth date recorded twice is refused."""
        actor.require(*WRITERS)
        entity = person_entity(names, birth_date)
        with self.workflow.transaction() as session:
            existing = session.scalar(
                select(PersonOfInterest).where(PersonOfInterest.entity_id == entity.id)
            )
            if existing is not None:
                raise WorkflowError(
                    f"{entity.caption} (born {birth_date or 'unknown'}) is recorded already "
                    f"as person {existing.id}"
                )
            person = self._ensure_person(session, names, birth_date, actor, Counter())
            self.workflow.audit(
                session,
                actor.name,
                "person.added",
                f"person:{person.id}",
                {"entity": entity.id, "names": entity.names, "birth_date": birth_date},
            )
            return person.id

    def add_occupancy(
        self,
        actor: Actor,
        person_id: int,
        post_id: int,
        start: date,
        end: date | None,
        source: str,
        evidence_sha256: str | None = None,
    ) -> int:
        """Record that a person held a post from ``start`` to ``end`` (None: no end
        recorded), on the word of ``source``. Refuses an end before the start, the
        same person twice in one post at once, and two holders of a head post at once."""
        actor.require(*WRITERS)
        with self.workflow.transaction() as session:
            person = session.get(PersonOfInterest, person_id)
            if person is None:
                raise NotFoundError(f"no person {person_id}")
            post = session.get(Post, post_id)
            if post is None:
                raise NotFoundError(f"no post {post_id}")
            record = self._occupy(
                session, person, post, start, end, source, evidence_sha256, actor, False
            )
            assert record is not None
            self._audit_occupancy(session, actor, record, {})
            return record.id

    def add_holding(self, actor: Actor, holding: Holding) -> Occupancy:
        """An occupancy given by names: body, post and person created as needed, all in
        one transaction."""
        actor.require(*WRITERS)
        with self.workflow.transaction() as session:
            counts: Counter[str] = Counter()
            record = self._hold(session, holding, actor, counts, duplicate_ok=False)
            assert record is not None
            self._audit_occupancy(session, actor, record, dict(counts))
            return self._occupancy_view(session, record)

    def import_roster(self, actor: Actor, path: Path) -> RosterImport:
        """Occupancies from a roster CSV (``roster.ROSTER_COLUMNS``), all or nothing: a bad row
        raises InputError naming its line and column, and nothing of the file is
        stored. A row already recorded (same person, post and dates) is left as it is;
        a row with only the body columns filled records just the body."""
        actor.require(*WRITERS)
        rows = list(read_roster(path))
        bodies: dict[str, tuple[int, dict[str, str]]] = {}
        for line, row in rows:
            check_body_row(path, line, row, bodies)
        holdings = [(line, holding_of_row(path, line, row)) for line, row in rows]
        digest = file_sha256(path)
        with self.workflow.transaction() as session:
            counts: Counter[str] = Counter()
            self._import_bodies(session, path, bodies, actor, counts)
            added: list[int] = []
            unchanged = 0
            for line, holding in holdings:
                if holding is None:
                    continue
                try:
                    record = self._hold(session, holding, actor, counts, duplicate_ok=True)
                except FieldError as exc:
                    raise InputError(path, str(exc), line, exc.column) from None
                if record is None:
                    unchanged += 1
                else:
                    added.append(record.id)
            result = RosterImport(
                path.name, digest, len(rows), tuple(added), unchanged, dict(counts)
            )
            self.workflow.audit(
                session,
                actor.name,
                "roster.imported",
                f"roster:{digest[:16]}",
                {
                    "file": path.name,
                    "sha256": digest,
                    "rows": len(rows),
                    "occupancies": added,
                    "unchanged": unchanged,
                    "created": dict(counts),
                },
            )
            return result

    # -- incidents ----------------------------------------------------------------

    def record_incident(
        self,
        actor: Actor,
        occurred: str | date,
        place: str,
        description: str,
        bodies: Sequence[str],
        sources: Sequence[IncidentSource],
        victims: int | None = None,
        detainees: int | None = None,
    ) -> int:
        """An incident with the bodies involved (codes, in order) and at least one
        source; ``occurred`` is an ISO date or date and time. Returns its id."""
        actor.require(*WRITERS)
        occurred_at, on = parse_occurred(occurred)
        if not place.strip() or not description.strip():
            raise WorkflowError("an incident needs a place and a description of what happened")
        for label, count in (("victims", victims), ("detainees", detainees)):
            if count is not None and count < 0:
                raise WorkflowError(f"{label} {count}; expected a count of 0 or more")
        codes = list(dict.fromkeys(c.strip() for c in bodies if c.strip()))
        if not codes:
            raise WorkflowError("an incident needs the body or bodies involved")
        if not sources:
            raise WorkflowError("an incident needs at least one source")
        for given in sources:
            self._check_source(given)
        with self.workflow.transaction() as session:
            found = [self._body(session, code) for code in codes]
            incident = IncidentRecord(
                occurred_at=occurred_at,
                occurred_on=on,
                place=place.strip(),
                description=description.strip(),
                victims=victims,
                detainees=detainees,
                recorded_by=actor.name,
                recorded_at=_now(),
            )
            session.add(incident)
            session.flush()
            for ordinal, body in enumerate(found, 1):
                session.add(IncidentBody(incident_id=incident.id, body_id=body.id, ordinal=ordinal))
            stored = [
                self._store_source(session, incident.id, number, given, actor)
                for number, given in enumerate(sources, 1)
            ]
            self.workflow.audit(
                session,
                actor.name,
                "incident.recorded",
                f"incident:{incident.id}",
                {
                    "occurred_at": occurred_at,
                    "place": incident.place,
                    "bodies": codes,
                    "victims": victims,
                    "detainees": detainees,
                    "sources": stored,
                },
            )
            return incident.id

    def add_incident_source(self, actor: Actor, incident_id: int, source: IncidentSource) -> int:
        """A further source of a recorded incident; returns its number."""
        actor.require(*WRITERS)
        self._check_source(source)
        with self.workflow.transaction() as session:
            incident = self._incident(session, incident_id)
            numbers = session.scalars(
                select(IncidentSourceRecord.number).where(
                    IncidentSourceRecord.incident_id == incident.id
                )
            ).all()
            number = max(numbers, default=0) + 1
            stored = self._store_source(session, incident.id, number, source, actor)
            self.workflow.audit(
                session, actor.name, "incident.source_added", f"incident:{incident_id}", stored
            )
            return number

    def incident(self, actor: Actor, incident_id: int) -> Incident:
        """An incident with its sources; restricted ones only for cleared roles."""
        with Session(self.registry.engine) as session:
            return self._incident_view(session, self._incident(session, incident_id), actor)

    # -- candidates -----------------------------------------------------------------

    def candidates_for_incident(self, actor: Actor, incident_id: int) -> list[Candidate]:
        """Who held the posts of each body involved on the incident's date (by rank),
        then the head of each body up the chain of command, each once."""
        with Session(self.registry.engine) as session:
            record = self._incident(session, incident_id)
            day = record.occurred_on
            involved = session.scalars(
                select(Body)
                .join(IncidentBody, IncidentBody.body_id == Body.id)
                .where(IncidentBody.incident_id == record.id)
                .order_by(IncidentBody.ordinal)
            ).all()
            found: list[_Found] = []
            for body in involved:
                opening = f"incident {record.id} ({day}, {record.place}): {body.name} involved"
                for post, occupancy, person in self._holders(session, body, day):
                    held = _held(post, body, occupancy, person)
                    found.append((person, post, body, occupancy, (opening, held)))
            for body in involved:
                opening = f"incident {record.id} ({day}, {record.place}): {body.name} involved"
                found.extend(self._chain(session, body, day, (opening,)))
            return self._candidates(session, found)

    def candidates_for_commission(
        self, actor: Actor, code: str, on: date | None = None
    ) -> list[Candidate]:
        """Who held the posts of an election commission (or any body) on ``on``;
        by default its election date if recorded, else today."""
        with Session(self.registry.engine) as session:
            body = self._body(session, code)
            if on is not None:
                day, why = on, "the date asked for"
            elif body.date is not None:
                day, why = body.date, "its election date"
            else:
                day, why = date.today(), "today; no election date recorded"
            kind = body.kind.replace("_", " ")
            opening = f"{body.name} ({body.code}, {kind}) on {day} ({why})"
            found: list[_Found] = [
                (person, post, body, occupancy, (opening, _held(post, body, occupancy, person)))
                for post, occupancy, person in self._holders(session, body, day)
            ]
            return self._candidates(session, found)

    def propose_from_candidate(
        self, actor: Actor, regime_code: str, person_id: int, criterion: int, reasons: str
    ) -> int:
        """The human step from a lead to a dossier: a proposed dossier whose entity is
        the person's, with the posts recorded for them. Returns the dossier number."""
        actor.require(*WRITERS)
        with Session(self.registry.engine) as session:
            person = session.get(PersonOfInterest, person_id)
            if person is None:
                raise NotFoundError(f"no person {person_id}")
            entity = Entity.from_dict(person.entity, trusted=True)
            held = session.execute(
                select(Post, Body, OccupancyRecord)
                .join(Body, Body.id == Post.body_id)
                .join(OccupancyRecord, OccupancyRecord.post_id == Post.id)
                .where(OccupancyRecord.person_id == person_id)
                .order_by(OccupancyRecord.start_date, OccupancyRecord.id)
            ).all()
        entity.target = True
        entity.add(
            "position",
            [
                f"{post.title}, {body.name}, {_span(o.start_date, o.end_date)}"
                for post, body, o in held
            ],
        )
        dossier = self.workflow.propose_dossier(actor, regime_code, entity, criterion, reasons)
        with self.workflow.transaction() as session:
            self.workflow.audit(
                session,
                actor.name,
                "candidate.proposed",
                f"person:{person_id}",
                {"dossier": dossier, "entity": entity.id, "regime": regime_code},
            )
        return dossier

    # -- helpers --------------------------------------------------------------------

    def _body(self, session: Session, code: str) -> Body:
        body = session.scalar(select(Body).where(Body.code == code.strip()))
        if body is None:
            raise NotFoundError(
                f"no body {code!r}; add it first (sanctio designation body-add or a roster)"
            )
        return body

    def _incident(self, session: Session, incident_id: int) -> IncidentRecord:
        incident = session.get(IncidentRecord, incident_id)
        if incident is None:
            raise NotFoundError(f"no incident {incident_id}")
        return incident

    def _find_post(self, session: Session, body: Body, title: str) -> Post | None:
        return session.scalar(
            select(Post).where(Post.body_id == body.id, Post.title == " ".join(title.split()))
        )

    def _ensure_body(
        self,
        session: Session,
        code: str,
        name: str,
        kind: str,
        parent: str | None,
        on: date | None,
        actor: Actor,
        counts: Counter[str],
    ) -> Body:
        """The body with ``code``, created if new; what is given must agree with what
        is recorded (an empty name, kind or parent says nothing)."""
        if not code or len(code) > 100:
            raise FieldError("body_code", f"body code {code!r}; expected 1 to 100 characters")
        name = " ".join(name.split())
        body = session.scalar(select(Body).where(Body.code == code))
        if body is None:
            if not name:
                raise FieldError("body_name", f"body {code!r} is new: give its name and kind")
            if kind not in KINDS:
                raise FieldError("body_kind", f"kind {kind!r}; expected one of {', '.join(KINDS)}")
            parent_id = None
            if parent:
                found = session.scalar(select(Body).where(Body.code == parent))
                if found is None:
                    raise FieldError("parent_code", f"parent body {parent!r} is not recorded")
                parent_id = found.id
            body = Body(
                code=code,
                name=name,
                kind=kind,
                parent_id=parent_id,
                date=on,
                added_by=actor.name,
                added_at=_now(),
            )
            session.add(body)
            session.flush()
            counts["bodies"] += 1
            return body
        if name and name != body.name:
            raise FieldError("body_name", f"body {code} is recorded as {body.name!r}, not {name!r}")
        if kind and kind != body.kind:
            raise FieldError("body_kind", f"body {code} is recorded as a {body.kind}, not a {kind}")
        recorded_parent = session.get(Body, body.parent_id) if body.parent_id else None
        if parent and (recorded_parent is None or recorded_parent.code != parent):
            under = recorded_parent.code if recorded_parent else "no body"
            raise FieldError("parent_code", f"body {code} is recorded under {under}, not {parent}")
        if on and body.date and on != body.date:
            raise FieldError(
                "body_date", f"body {code} is recorded with date {body.date}, not {on}"
            )
        if on and body.date is None:
            body.date = on
        return body

    def _ensure_post(
        self, session: Session, body: Body, title: str, rank: int | None, counts: Counter[str]
    ) -> Post:
        title = " ".join(title.split())
        if not title or len(title) > 200:
            raise FieldError("post", f"post {title!r}; expected a title of 1 to 200 characters")
        post = self._find_post(session, body, title)
        if post is not None:
            if rank is not None and rank != post.rank:
                raise FieldError(
                    "rank", f"{title} of {body.name} is recorded with rank {post.rank}, not {rank}"
                )
            return post
        if rank is None or rank < 1:
            what = "no rank" if rank is None else f"rank {rank}"
            raise FieldError(
                "rank", f"{title} of {body.name}: {what}; expected 1 (the head of the body) or more"
            )
        post = Post(body_id=body.id, title=title, rank=rank)
        session.add(post)
        session.flush()
        counts["posts"] += 1
        return post

    def _ensure_person(
        self,
        session: Session,
        names: Sequence[str],
        birth_date: str | None,
        actor: Actor,
        counts: Counter[str],
    ) -> PersonOfInterest:
        """The person with this primary name and birth date, created if new; further
        spellings are added to the recorded ones."""
        entity = person_entity(names, birth_date)
        person = session.scalar(
            select(PersonOfInterest).where(PersonOfInterest.entity_id == entity.id)
        )
        if person is None:
            person = PersonOfInterest(
                entity_id=entity.id, entity=entity.to_dict(), added_by=actor.name, added_at=_now()
            )
            session.add(person)
            session.flush()
            counts["persons"] += 1
            return person
        known = Entity.from_dict(person.entity, trusted=True)
        before = known.names
        known.add("alias", [n for n in entity.names if n not in before])
        if known.names != before:
            person.entity = known.to_dict()
            counts["aliases"] += 1
        return person

    def _hold(
        self,
        session: Session,
        holding: Holding,
        actor: Actor,
        counts: Counter[str],
        duplicate_ok: bool,
    ) -> OccupancyRecord | None:
        body = self._ensure_body(
            session,
            holding.body_code.strip(),
            holding.body_name,
            holding.body_kind,
            holding.parent_code or None,
            holding.body_date,
            actor,
            counts,
        )
        post = self._ensure_post(session, body, holding.post, holding.rank, counts)
        person = self._ensure_person(
            session, holding.person_names, holding.birth_date, actor, counts
        )
        return self._occupy(
            session,
            person,
            post,
            holding.start,
            holding.end,
            holding.source,
            holding.evidence_sha256,
            actor,
            duplicate_ok,
        )

    def _occupy(
        self,
        session: Session,
        person: PersonOfInterest,
        post: Post,
        start: date,
        end: date | None,
        source: str,
        evidence_sha256: str | None,
        actor: Actor,
        duplicate_ok: bool,
    ) -> OccupancyRecord | None:
        """A new occupancy after the checks; None when the very same one is recorded
        already and ``duplicate_ok``."""
        body = session.get(Body, post.body_id)
        assert body is not None
        name = _caption(person)
        if end is not None and end < start:
            raise FieldError(
                "end_date",
                f"{name}'s occupancy of {post.title} of {body.name} ends on {end}, "
                f"before it starts on {start}",
            )
        if not source.strip():
            raise FieldError("source", "an occupancy needs its source (who says so)")
        if evidence_sha256:
            check_sha(evidence_sha256)
        others = session.execute(
            select(OccupancyRecord, PersonOfInterest)
            .join(PersonOfInterest, PersonOfInterest.id == OccupancyRecord.person_id)
            .where(OccupancyRecord.post_id == post.id)
            .order_by(OccupancyRecord.start_date, OccupancyRecord.id)
        ).all()
        for other, holder in others:
            if other.person_id == person.id:
                if (other.start_date, other.end_date) == (start, end):
                    if duplicate_ok:
                        return None
                    raise WorkflowError(
                        f"{name} as {post.title} of {body.name} {_span(start, end)} is "
                        f"recorded already (occupancy {other.id})"
                    )
                if _overlap(other.start_date, other.end_date, start, end, handover=False):
                    raise FieldError(
                        "start_date",
                        f"{name} already holds {post.title} of {body.name} "
                        f"{_span(other.start_date, other.end_date)} (occupancy {other.id}); "
                        f"{_span(start, end)} would overlap it",
                    )
            elif post.rank == 1 and _overlap(
                other.start_date, other.end_date, start, end, handover=True
            ):
                raise FieldError(
                    "start_date",
                    f"{name} as {post.title} of {body.name} {_span(start, end)} would overlap "
                    f"{_caption(holder)} in that post {_span(other.start_date, other.end_date)} "
                    f"(occupancy {other.id}): a head post (rank 1) has one holder at a time; "
                    "a handover, one ending on the day the next starts, is allowed",
                )
        record = OccupancyRecord(
            person_id=person.id,
            post_id=post.id,
            start_date=start,
            end_date=end,
            source=source.strip(),
            evidence_sha256=evidence_sha256 or None,
            added_by=actor.name,
            added_at=_now(),
        )
        session.add(record)
        session.flush()
        return record

    def _audit_occupancy(
        self, session: Session, actor: Actor, record: OccupancyRecord, created: dict[str, int]
    ) -> None:
        view = self._occupancy_view(session, record)
        self.workflow.audit(
            session,
            actor.name,
            "occupancy.added",
            f"occupancy:{record.id}",
            {
                "person": view.person_id,
                "name": view.person,
                "post": view.post,
                "body": view.body_code,
                "start": _iso(view.since),
                "end": _iso(view.until),
                "source": view.source,
                "evidence_sha256": view.evidence_sha256,
                "created": created,
            },
        )

    def _occupancy_view(self, session: Session, record: OccupancyRecord) -> Occupancy:
        person = session.get(PersonOfInterest, record.person_id)
        post = session.get(Post, record.post_id)
        assert person is not None
        assert post is not None
        body = session.get(Body, post.body_id)
        assert body is not None
        return Occupancy(
            record.id,
            person.id,
            _caption(person),
            post.id,
            post.title,
            post.rank,
            body.code,
            body.name,
            record.start_date,
            record.end_date,
            record.source,
            record.evidence_sha256,
        )

    def _import_bodies(
        self,
        session: Session,
        path: Path,
        bodies: dict[str, tuple[int, dict[str, str]]],
        actor: Actor,
        counts: Counter[str],
    ) -> None:
        """The file's bodies, parents first wherever they are in the file."""
        pending = dict(bodies)
        while pending:
            ready = [c for c, (_, row) in pending.items() if row["parent_code"] not in pending]
            if not ready:
                line, _ = min(pending.values(), key=lambda item: item[0])
                cycle = ", ".join(sorted(pending))
                raise InputError(
                    path, f"bodies {cycle} are each under another of them", line, "parent_code"
                )
            for code in ready:
                line, row = pending.pop(code)
                try:
                    self._ensure_body(
                        session,
                        code,
                        row["body_name"],
                        row["body_kind"],
                        row["parent_code"] or None,
                        row_date(path, line, row, "body_date"),
                        actor,
                        counts,
                    )
                except FieldError as exc:
                    raise InputError(path, str(exc), line, exc.column) from None

    def _holders(
        self, session: Session, body: Body, day: date, head_only: bool = False
    ) -> list[tuple[Post, OccupancyRecord, PersonOfInterest]]:
        """(post, occupancy, person) for the body's posts held on ``day``, by rank."""
        query = (
            select(Post, OccupancyRecord, PersonOfInterest)
            .join(OccupancyRecord, OccupancyRecord.post_id == Post.id)
            .join(PersonOfInterest, PersonOfInterest.id == OccupancyRecord.person_id)
            .where(
                Post.body_id == body.id,
                OccupancyRecord.start_date <= day,
                or_(OccupancyRecord.end_date.is_(None), OccupancyRecord.end_date >= day),
            )
            .order_by(Post.rank, Post.title, OccupancyRecord.start_date, OccupancyRecord.id)
        )
        if head_only:
            query = query.where(Post.rank == 1)
        return [(post, occ, person) for post, occ, person in session.execute(query).all()]

    def _chain(
        self, session: Session, body: Body, day: date, reasoning: tuple[str, ...]
    ) -> list[_Found]:
        """The head of each body up the chain of command from ``body`` on ``day``."""
        found: list[_Found] = []
        seen = {body.id}
        child = body
        while child.parent_id is not None and child.parent_id not in seen:
            parent = session.get(Body, child.parent_id)
            assert parent is not None
            seen.add(parent.id)
            link = f"{child.name} is under {parent.name}"
            for post, occupancy, person in self._holders(session, parent, day, head_only=True):
                found.append(
                    (
                        person,
                        post,
                        parent,
                        occupancy,
                        (
                            *reasoning,
                            f"{link}: its {post.title} on {day} was {_caption(person)} "
                            f"(in post {_span(occupancy.start_date, occupancy.end_date)}; "
                            f"source: {occupancy.source})",
                        ),
                    )
                )
            reasoning = (*reasoning, link)
            child = parent
        return found

    def _candidates(
        self,
        session: Session,
        found: list[_Found],
    ) -> list[Candidate]:
        """One candidate per person and post (the first route found), with whether a
        dossier for the person's entity exists."""
        ids = {person.entity_id for person, *_ in found}
        dossiers: dict[str, int] = {}
        if ids:
            query = select(Dossier.entity_id, Dossier.id).where(Dossier.entity_id.in_(ids))
            dossiers = {entity_id: number for entity_id, number in session.execute(query)}
        result = []
        seen: set[tuple[int, int]] = set()
        for person, post, body, occupancy, reasoning in found:
            if (person.id, post.id) in seen:
                continue
            seen.add((person.id, post.id))
            dossier = dossiers.get(person.entity_id)
            result.append(
                Candidate(
                    person.id,
                    _caption(person),
                    post.title,
                    body.name,
                    occupancy.start_date,
                    occupancy.end_date,
                    reasoning,
                    dossier is not None,
                    person.entity_id,
                    body.code,
                    dossier,
                )
            )
        return result

    def _check_source(self, source: IncidentSource) -> None:
        if not source.source.strip():
            raise WorkflowError("an incident source needs a text saying what it is")
        check_sha(source.sha256, "sha256")
        if source.sensitivity not in SENSITIVITIES:
            raise WorkflowError(
                f"sensitivity {source.sensitivity!r}; expected public or restricted"
            )

    def _store_source(
        self, session: Session, incident_id: int, number: int, given: IncidentSource, actor: Actor
    ) -> dict[str, Any]:
        """Store a source; returns what the audit record keeps of it (not its text,
        which may be restricted while the audit log is not)."""
        session.add(
            IncidentSourceRecord(
                incident_id=incident_id,
                number=number,
                source=given.source.strip(),
                sha256=given.sha256,
                sensitivity=given.sensitivity,
                added_by=actor.name,
                added_at=_now(),
            )
        )
        return {"number": number, "sha256": given.sha256, "sensitivity": given.sensitivity}

    def _incident_view(self, session: Session, record: IncidentRecord, actor: Actor) -> Incident:
        bodies = session.execute(
            select(Body.code, Body.name)
            .join(IncidentBody, IncidentBody.body_id == Body.id)
            .where(IncidentBody.incident_id == record.id)
            .order_by(IncidentBody.ordinal)
        ).all()
        sources = session.scalars(
            select(IncidentSourceRecord)
            .where(IncidentSourceRecord.incident_id == record.id)
            .order_by(IncidentSourceRecord.number)
        ).all()
        return Incident(
            record.id,
            record.occurred_at,
            record.occurred_on,
            record.place,
            record.description,
            record.victims,
            record.detainees,
            tuple((code, name) for code, name in bodies),
            tuple(
                IncidentSource(s.source, s.sha256, s.sensitivity, s.number)
                for s in sources
                if s.sensitivity == "public" or actor.cleared
            ),
            record.recorded_by,
        )


def _caption(person: PersonOfInterest) -> str:
    return str(person.entity.get("caption") or person.entity_id)


def _held(post: Post, body: Body, occupancy: OccupancyRecord, person: PersonOfInterest) -> str:
    """The sentence saying who held the post, over which period, on whose word."""
    return (
        f"{post.title} of {body.name} held by {_caption(person)} "
        f"{_span(occupancy.start_date, occupancy.end_date)} (source: {occupancy.source})"
    )
