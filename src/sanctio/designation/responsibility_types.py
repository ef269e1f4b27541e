"""What the responsibility records give a user (incidents, occupancies, candidates)
and the checks a person's names, an incident's date and a file's SHA-256 must pass,
shared by the records and the roster reader."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sanctio.designation.workflow import WorkflowError
from sanctio.model import Entity
from sanctio.model.entity import InvalidValueError

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class FieldError(WorkflowError):
    """A refusal about one field; a roster import reports it with its line and column."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class IncidentSource:
    """A source of an incident: what it is, the SHA-256 of the stored file, and its
    sensitivity. ``number`` is given when the source is stored (1, 2, ...)."""

    source: str
    sha256: str
    sensitivity: str = "public"
    number: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Incident:
    """An incident as a user sees it (restricted sources only for cleared roles)."""

    id: int
    occurred_at: str
    on: date
    place: str
    description: str
    victims: int | None
    detainees: int | None
    bodies: tuple[tuple[str, str], ...]  # (code, name) in the order recorded
    sources: tuple[IncidentSource, ...]
    recorded_by: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "occurred_at": self.occurred_at,
            "on": self.on.isoformat(),
            "place": self.place,
            "description": self.description,
            "victims": self.victims,
            "detainees": self.detainees,
            "bodies": [{"code": code, "name": name} for code, name in self.bodies],
            "sources": [s.to_dict() for s in self.sources],
            "recorded_by": self.recorded_by,
        }


@dataclass(frozen=True)
class Holding:
    """One occupancy described by names, as a roster row gives it. The body and post
    are created when new (a new body needs its name and kind, a new post its rank); a
    person with the same primary name and birth date is the same person."""

    body_code: str
    post: str
    rank: int | None
    person_names: tuple[str, ...]
    start: date
    source: str
    end: date | None = None
    birth_date: str | None = None
    body_name: str = ""
    body_kind: str = ""
    parent_code: str | None = None
    body_date: date | None = None
    evidence_sha256: str | None = None


@dataclass(frozen=True)
class Occupancy:
    """A recorded occupancy with the names of who, which post and which body."""

    id: int
    person_id: int
    person: str
    post_id: int
    post: str
    rank: int
    body_code: str
    body: str
    since: date
    until: date | None
    source: str
    evidence_sha256: str | None

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["since"] = self.since.isoformat()
        data["until"] = self.until.isoformat() if self.until else None
        return data


@dataclass(frozen=True)
class Candidate:
    """Someone in post on the date that matters, and why they are a lead: each
    sentence of ``reasoning`` is one checkable step (incident, body, post, source)."""

    person_id: int
    name: str
    post: str
    body: str
    since: date
    until: date | None
    reasoning: tuple[str, ...]
    has_dossier: bool
    entity_id: str = ""
    body_code: str = ""
    dossier_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "name": self.name,
            "post": self.post,
            "body": self.body,
            "body_code": self.body_code,
            "since": self.since.isoformat(),
            "until": self.until.isoformat() if self.until else None,
            "reasoning": list(self.reasoning),
            "has_dossier": self.has_dossier,
            "dossier_id": self.dossier_id,
            "entity_id": self.entity_id,
        }


@dataclass(frozen=True)
class RosterImport:
    """What a roster import stored: new occupancies, and rows already recorded."""

    path: str
    sha256: str
    rows: int
    occupancies: tuple[int, ...]
    unchanged: int
    created: dict[str, int] = field(default_factory=dict)  # bodies, posts, persons

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["occupancies"] = list(self.occupancies)
        return data


def person_entity(names: Sequence[str], birth_date: str | None = None) -> Entity:
    """An FtM Person for a person of interest. Its id comes from the primary name and
    birth date, so the same person named again (another roster row) is found again."""
    cleaned = [" ".join(n.split()) for n in names if n.strip()]
    if not cleaned:
        raise FieldError("person_name", "a person needs a name")
    seed = "|".join([cleaned[0].casefold(), (birth_date or "").strip()])
    entity_id = f"sanctio-poi-{hashlib.sha256(seed.encode()).hexdigest()[:12]}"
    entity = Entity.make("Person", entity_id, caption=cleaned[0])
    try:
        entity.add("name", cleaned[0])
        entity.add("alias", cleaned[1:])
        entity.add("birthDate", birth_date.strip() if birth_date else None)
    except InvalidValueError as exc:
        column = "birth_date" if exc.prop == "birthDate" else "person_name"
        what = "a date YYYY, YYYY-MM or YYYY-MM-DD" if column == "birth_date" else exc.expected
        raise FieldError(column, f"{exc.value!r}: expected {what}") from None
    return entity


def parse_occurred(value: str | date) -> tuple[str, date]:
    """(ISO text as recorded, the date) of an incident's date, or date and time."""
    if isinstance(value, datetime):
        return value.isoformat(), value.date()
    if isinstance(value, date):
        return value.isoformat(), value
    text = value.strip()
    if ISO_DATE.fullmatch(text):
        try:
            return text, date.fromisoformat(text)
        except ValueError:
            pass
    elif ISO_DATE.match(text):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            return moment.isoformat(), moment.date()
    raise WorkflowError(f"date {value!r}; expected YYYY-MM-DD or a date and time YYYY-MM-DDTHH:MM")


def check_sha(value: str, column: str = "evidence_sha256") -> str:
    if not _SHA256.fullmatch(value):
        raise FieldError(column, f"sha256 {value!r}; expected 64 lower-case hex digits")
    return value
