"""The registry: named lists, their immutable versions, and the entities in them.

One class over SQLite or PostgreSQL. An import is one transaction: either the whole
new version is stored and becomes current, or nothing is and the previous version
stays in force (also when the process is killed midway).

A list has an origin. An *imported* list is a publisher's file and changes by import;
a *published* list is this registry's own, made by adoption in the designation
workflow, and changes only through it. An import is refused when it would

- change a published list, or a list under a name that differs only in letter case;
- replace a list with a file of another format or of another regulation/programme;
- remove more than a set share of the list's targets (``SANCTIO_MAX_REMOVAL_SHARE``;
  a cut file, a wrong file), unless the user says the removals are meant;
- bring entity ids that another imported list holds, so that one list's entry could
  be shown for another's.

Every import that makes a version, and every export of a published list, is
recorded in the audit chain in the same transaction.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from threading import Lock
from typing import Any, Literal, get_args

from sqlalchemy import Table, column, func, insert, select, table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sanctio import settings
from sanctio.errors import NotFoundError, SanctioError
from sanctio.lists import ParsedList
from sanctio.model import Entity
from sanctio.model.records import ListVersion, SanctionsList, VersionEntity
from sanctio.registry.audit import append
from sanctio.registry.diff import ListDiff, diff_entities, subject_of
from sanctio.registry.engine import open_engine, writer
from sanctio.registry.watch import CommitWatch

BATCH = 1000
Origin = Literal["imported", "published"]
ORIGINS: tuple[str, ...] = get_args(Origin)
#: Removed targets and colliding ids a refusal names; the audit record holds them all.
SHOWN = 5
#: Formats that read one publisher's list into the same entity ids, so that a list may
#: change from one to the other (OFAC's CSV and XML, the UK list's CSV and XML).
SAME_LIST_FORMATS = {"ofac-xml": "ofac-csv", "uk-xml": "uk-csv"}
#: The Core table, for plain multi-row INSERTs (the ORM would insert row by row).
VERSION_ENTITIES: Table = VersionEntity.__table__  # type: ignore[assignment]
Progress = Callable[[int, int], None]
_STAMP = select(func.max(ListVersion.id), func.count(ListVersion.id))
#: The designation workflow's regimes, each publishing one list (``list_name``): a
#: name kept for the regime from its creation, before its first adoption.
_REGIMES = table("regimes", column("list_name"))


@dataclass(frozen=True)
class VersionInfo:
    """What a user sees of one list version."""

    name: str
    version: int
    entities: int
    records: int
    by_schema: dict[str, int]
    imported_at: datetime
    source: str
    format: str
    content_hash: str
    origin: str = "imported"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "entities": self.entities,
            "records": self.records,
            "by_schema": self.by_schema,
            "imported_at": self.imported_at.isoformat(),
            "source": self.source,
            "format": self.format,
            "content_hash": self.content_hash,
            "origin": self.origin,
        }


@dataclass(frozen=True)
class ImportResult:
    """The outcome of an import: a new version, or the unchanged current one."""

    created: bool
    version: VersionInfo
    previous: int | None
    #: Targets of the previous version that the new one no longer holds: (id, caption).
    removed: list[tuple[str, str]] = field(default_factory=list)
    #: True when more than the allowed share was removed because the user said so.
    removals_allowed: bool = False


class ImportRefusedError(SanctioError):
    """An import that would change a list in a way nobody said was meant: a published
    list, another format or regulation, mass removal, ids of another list."""


def os_actor() -> str:
    """Who runs a command without a token, for the audit trail: ``os:<login name>``."""
    try:
        return f"os:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name (a container's anonymous uid)
        return "os:unknown"


@dataclass(frozen=True)
class EntityView:
    """One entity as it stands in the newest version holding it, and where it appears."""

    entity: Entity
    related: list[Entity]
    list_name: str
    version: int
    appearances: dict[str, list[int]]
    current: dict[str, int]


class Registry:
    """Lists and their versions in the database named by ``url``."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = open_engine(url)
        self.writer = writer(self.engine)
        self._watch = CommitWatch(url)
        self._stamp: tuple[int, int] | None = None
        self._stamp_lock = Lock()

    def close(self) -> None:
        self._watch.close()
        self.engine.dispose()

    # -- writing ---------------------------------------------------------------

    def import_list(
        self,
        parsed: ParsedList,
        name: str | None = None,
        progress: Progress | None = None,
        *,
        allow_removals: bool = False,
        actor: str | None = None,
        max_removal_share: float | None = None,
    ) -> ImportResult:
        """Store ``parsed`` as the newest version of the imported list ``name``, unless
        it is unchanged; the import is recorded in the audit chain as ``actor`` (default:
        the login name, ``os:<name>``). ImportRefusedError for what the module
        docstring lists; ``allow_removals`` lets a version remove more than
        ``max_removal_share`` (default: SANCTIO_MAX_REMOVAL_SHARE) of the targets."""
        list_name = name or parsed.name
        state_hashes = parsed.state_hashes()
        content_hash = parsed.content_hash(state_hashes)
        try:
            with Session(self.writer) as session, session.begin():
                return self.store_in(
                    session,
                    list_name,
                    parsed,
                    state_hashes,
                    content_hash,
                    progress,
                    origin="imported",
                    allow_removals=allow_removals,
                    actor=actor,
                    max_removal_share=max_removal_share,
                )
        except IntegrityError:
            # two imports of the same list at once: the unique version number refused one
            raise SanctioError(
                f"another import of {list_name!r} finished first; import again"
            ) from None

    def store_in(
        self,
        session: Session,
        list_name: str,
        parsed: ParsedList,
        state_hashes: dict[str, str] | None = None,
        content_hash: str | None = None,
        progress: Progress | None = None,
        *,
        origin: Origin,
        allow_removals: bool = False,
        actor: str | None = None,
        max_removal_share: float | None = None,
    ) -> ImportResult:
        """Store ``parsed`` as the newest version of ``list_name`` inside the caller's
        transaction: a publication commits with the acts that adopt it, or not at all.

        ``origin`` says who changes the list: ``published`` for the designation
        workflow (which audits its own steps), ``imported`` for a publisher's file
        (checked as the module docstring says, and audited here)."""
        if origin not in ORIGINS:
            raise ValueError(f"origin {origin!r}; expected one of {ORIGINS}")
        if state_hashes is None:
            state_hashes = parsed.state_hashes()
        if content_hash is None:
            content_hash = parsed.content_hash(state_hashes)
        sanctions_list = session.scalar(
            select(SanctionsList).where(SanctionsList.name == list_name).with_for_update()
        )
        now = datetime.now(UTC)
        if sanctions_list is None:
            _refuse_case_twin(session, list_name)
            if origin == "imported" and session.scalar(
                select(_REGIMES.c.list_name).where(_REGIMES.c.list_name == list_name)
            ):
                raise ImportRefusedError(_other_origin(list_name, "published"))
            sanctions_list = SanctionsList(name=list_name, created_at=now, origin=origin)
            session.add(sanctions_list)
            session.flush()
        elif sanctions_list.origin != origin:
            raise ImportRefusedError(_other_origin(list_name, sanctions_list.origin))
        current = self._current(session, sanctions_list.id)
        previous = current.number if current else None
        if current is not None and current.content_hash == content_hash:
            return ImportResult(False, _info(list_name, current, origin), previous)
        removed: list[tuple[str, str]] = []
        overridden = False
        if origin == "imported":
            if current is not None:
                _refuse_other_kind(session, list_name, parsed, current)
                removed = _removed_targets(session, current, parsed)
                overridden = _check_removals(
                    list_name, parsed, current, removed, allow_removals, max_removal_share
                )
            _refuse_collisions(session, sanctions_list.id, list_name, parsed)
        version = ListVersion(
            list_id=sanctions_list.id,
            number=(previous or 0) + 1,
            content_hash=content_hash,
            source=parsed.source.name,
            format=parsed.format,
            imported_at=now,
            target_count=len(parsed.targets),
            entity_count=len(parsed.entities),
            by_schema=parsed.by_schema(),
        )
        session.add(version)
        session.flush()
        self._insert_entities(session, version.id, parsed.entities, state_hashes, progress)
        info = _info(list_name, version, origin)
        if origin == "imported":
            append(
                session.connection(),
                actor or os_actor(),
                "list.imported",
                f"list:{list_name}",
                {
                    "list": list_name,
                    "version": version.number,
                    "previous": previous,
                    "source": parsed.source.name,
                    "format": parsed.format,
                    "content_hash": content_hash,
                    "entities": version.target_count,
                    "records": version.entity_count,
                    "removed": len(removed),
                    "removed_ids": [entity_id for entity_id, _ in removed],
                    "removals_allowed": allow_removals,
                    "guard_overridden": overridden,
                },
            )
        return ImportResult(True, info, previous, removed, overridden)

    def record_export(
        self, name: str, version: int | None, format: str, destination: str, actor: str | None
    ) -> bool:
        """Record in the audit chain that a version of a published list was exported
        (what a registry publishes leaves it only on the record); True when recorded,
        False for an imported list, whose exports are not audited."""
        with Session(self.writer) as session, session.begin():
            found = self._version(session, name, version)
            sanctions_list = found.list
            if sanctions_list.origin != "published":
                return False
            append(
                session.connection(),
                actor or os_actor(),
                "list.exported",
                f"list:{sanctions_list.name}",
                {
                    "list": sanctions_list.name,
                    "version": found.number,
                    "content_hash": found.content_hash,
                    "format": format,
                    "to": destination,
                },
            )
            return True

    def _insert_entities(
        self,
        session: Session,
        version_id: int,
        entities: list[Entity],
        state_hashes: dict[str, str],
        progress: Progress | None,
    ) -> None:
        targets = {e.id for e in entities if e.target}
        rows = [
            {
                "version_id": version_id,
                "entity_id": e.id,
                "schema": e.schema.name,
                "caption": e.caption,
                "target": e.target,
                "subject_id": subject_of(e, targets),
                "state_hash": state_hashes[e.id],
                "data": e.to_dict(),
            }
            for e in entities
        ]
        for start in range(0, len(rows), BATCH):
            session.execute(insert(VERSION_ENTITIES), rows[start : start + BATCH])
            if progress:
                progress(min(start + BATCH, len(rows)), len(rows))

    # -- reading ---------------------------------------------------------------

    def _current(self, session: Session, list_id: int) -> ListVersion | None:
        return session.scalar(
            select(ListVersion)
            .where(ListVersion.list_id == list_id)
            .order_by(ListVersion.number.desc())
            .limit(1)
        )

    def _list(self, session: Session, name: str) -> SanctionsList:
        """The list called ``name``, letter case aside (as dataset names are looked up
        everywhere); the exact spelling first, in a registry made before lists that
        differ only in case were refused."""
        sanctions_list = session.scalar(select(SanctionsList).where(SanctionsList.name == name))
        if sanctions_list is not None:
            return sanctions_list
        found = session.scalars(
            select(SanctionsList).where(func.lower(SanctionsList.name) == name.lower())
        ).all()
        if len(found) == 1:
            return found[0]
        known = ", ".join(session.scalars(select(SanctionsList.name))) or "none yet"
        if found:
            spellings = ", ".join(sorted(item.name for item in found))
            raise NotFoundError(f"list name {name!r} fits {spellings}; expected one exactly")
        raise NotFoundError(f"no list named {name!r}; lists in the registry: {known}")

    def _version(self, session: Session, name: str, number: int | None) -> ListVersion:
        sanctions_list = self._list(session, name)
        name = sanctions_list.name
        if number is None:
            version = self._current(session, sanctions_list.id)
        else:
            version = session.scalar(
                select(ListVersion).where(
                    ListVersion.list_id == sanctions_list.id, ListVersion.number == number
                )
            )
        if version is None:
            count = len(sanctions_list.versions)
            raise NotFoundError(f"list {name!r} has no version {number}; it has 1 to {count}")
        return version

    def lists(self) -> list[VersionInfo]:
        """The current version of every list, by name."""
        with Session(self.engine) as session:
            newest = (
                select(ListVersion.list_id, func.max(ListVersion.number).label("number"))
                .group_by(ListVersion.list_id)
                .subquery()
            )
            rows = session.execute(
                select(SanctionsList.name, SanctionsList.origin, ListVersion)
                .join(ListVersion, ListVersion.list_id == SanctionsList.id)
                .join(
                    newest,
                    (newest.c.list_id == ListVersion.list_id)
                    & (newest.c.number == ListVersion.number),
                )
                .order_by(SanctionsList.name)
            ).all()
            return [_info(name, version, origin) for name, origin, version in rows]

    def stamp(self) -> tuple[int, int]:
        """Changes whenever a list version is stored: the newest version's row id and
        the number of versions. One small query, for a service to tell whether what it
        read from ``lists`` is still current without reading it again (versions are
        only ever added). On SQLite the query runs only when something was committed
        since the last call (``watch.py``)."""
        with self._stamp_lock:
            if self._watch.changed() or self._stamp is None:
                self._stamp = None  # a failed query leaves nothing stale behind
                with self.engine.connect() as connection:
                    newest, count = connection.execute(_STAMP).one()
                self._stamp = (int(newest or 0), int(count))
            return self._stamp

    def known_stamp(self) -> tuple[int, int] | None:
        """``stamp()`` as last read, when nothing has been committed since, found
        without a query (SQLite's commit counter); None when ``stamp()`` must ask the
        database (something was committed, or PostgreSQL)."""
        with self._stamp_lock:
            if self._watch.changed():
                self._stamp = None
            return self._stamp

    def version(self, name: str, number: int | None = None) -> VersionInfo:
        """One version of a list (the current one unless ``number`` is given)."""
        with Session(self.engine) as session:
            found = self._version(session, name, number)
            return _info(found.list.name, found, found.list.origin)

    def versions(self, name: str) -> list[VersionInfo]:
        """Every version of a list, oldest first."""
        with Session(self.engine) as session:
            current = self._version(session, name, None)
            owner = current.list
            return [_info(owner.name, v, owner.origin) for v in owner.versions]

    def entities(self, name: str, number: int | None = None) -> list[Entity]:
        """Every entity of one list version."""
        with Session(self.engine) as session:
            version = self._version(session, name, number)
            data = session.scalars(
                select(VersionEntity.data)
                .where(VersionEntity.version_id == version.id)
                .order_by(VersionEntity.entity_id)
            )
            return [Entity.from_dict(item, trusted=True) for item in data]

    def diff(self, name: str, old: int | None = None, new: int | None = None) -> ListDiff:
        """Changes between two versions; by default the last two."""
        for number in (old, new):
            if number is not None and number < 1:
                raise NotFoundError(f"there is no version {number}; versions start at 1")
        current = self.version(name)
        name = current.name
        if new is None:
            new = current.version
        if old is None:
            old = new - 1
        if old < 1:
            raise NotFoundError(f"list {name!r} has only one version; nothing to compare")
        return diff_entities(name, self.entities(name, old), self.entities(name, new), old, new)

    def entity(self, entity_id: str, list_name: str | None = None) -> EntityView:
        """An entity with the records about it and every list version that holds it.

        The entity shown is that of ``list_name`` when given, else of the list that
        owns the id (``_owner``): another list holding the same id never takes its
        place."""
        with Session(self.engine) as session:
            query = (
                select(SanctionsList.name, SanctionsList.origin, ListVersion, VersionEntity)
                .join(ListVersion, ListVersion.list_id == SanctionsList.id)
                .join(VersionEntity, VersionEntity.version_id == ListVersion.id)
                .where(VersionEntity.entity_id == entity_id)
                .order_by(ListVersion.imported_at, ListVersion.number)
            )
            if list_name is not None:
                query = query.where(SanctionsList.id == self._list(session, list_name).id)
            rows = session.execute(query).all()
            if not rows:
                where = f"list {list_name!r}" if list_name is not None else "any list version"
                raise NotFoundError(f"no entity with id {entity_id!r} in {where}")
            appearances: dict[str, list[int]] = {}
            for name, _, version, _ in rows:
                appearances.setdefault(name, []).append(version.number)
            current = {name: self._version(session, name, None).number for name in appearances}
            owner = _owner(rows, current)
            name, _, version, row = [r for r in rows if r[0] == owner][-1]
            related = session.scalars(
                select(VersionEntity.data)
                .where(VersionEntity.version_id == version.id)
                .where(VersionEntity.subject_id == entity_id)
                .order_by(VersionEntity.entity_id)
            )
            return EntityView(
                entity=Entity.from_dict(row.data, trusted=True),
                related=[Entity.from_dict(item, trusted=True) for item in related],
                list_name=name,
                version=version.number,
                appearances=appearances,
                current=current,
            )


def _owner(rows: Iterable[Any], current: dict[str, int]) -> str:
    """Which list an id shown without a list name belongs to: among the lists whose
    current version holds it, a published list (the registry's own adoption) before
    imported ones, then the one that held it first; when no current version holds it,
    the list that held it last. ``rows`` are (list, origin, version, row), oldest first.
    """
    holding = [r for r in rows if r[2].number == current[r[0]]]
    if not holding:
        return str(list(rows)[-1][0])
    first_seen: dict[str, int] = {}
    for position, (name, *_) in enumerate(rows):
        first_seen.setdefault(name, position)
    best = min(holding, key=lambda r: (r[1] != "published", first_seen[r[0]]))
    return str(best[0])


def _refuse_case_twin(session: Session, list_name: str) -> None:
    """A new list whose name differs only in letter case from an existing one would
    make every look-up by name (which ignores case) ambiguous."""
    twin = session.scalar(
        select(SanctionsList.name).where(func.lower(SanctionsList.name) == list_name.lower())
    )
    if twin is not None:
        raise ImportRefusedError(
            f"list {twin!r} exists and names ignore letter case; expected --name {twin} "
            "for a new version of it, or a name of its own"
        )


def _other_origin(list_name: str, origin: str) -> str:
    if origin == "published":
        return (
            f"{list_name} is published here by adoption; it changes only through the "
            "designation workflow, never by import (import a publisher's file under "
            "another name)"
        )
    return (
        f"{list_name} is a list imported from a publisher's file; a regime cannot "
        "publish under its name (expected a list name of the regime's own)"
    )


def _refuse_other_kind(
    session: Session, list_name: str, parsed: ParsedList, current: ListVersion
) -> None:
    """A new version must come from a file of the same kind as the current one: the
    same format, and where the entities name their programme (an EU regulation's
    CELEX number, an OFAC programme), at least one programme in common."""
    new_file = parsed.source.name
    if SAME_LIST_FORMATS.get(parsed.format, parsed.format) != SAME_LIST_FORMATS.get(
        current.format, current.format
    ):
        raise ImportRefusedError(
            f"{new_file} is {parsed.format} but {list_name} version {current.number} is "
            f"{current.format} (from {current.source}); expected a {current.format} file "
            "for this list, or another --name"
        )
    old = _programmes(
        Entity.from_dict(data, trusted=True)
        for data in session.scalars(
            select(VersionEntity.data).where(
                VersionEntity.version_id == current.id, VersionEntity.schema == "Sanction"
            )
        )
    )
    new = _programmes(parsed.entities)
    if old and new and not old & new:
        raise ImportRefusedError(
            f"{new_file} is of {_few(new)} but {list_name} version {current.number} "
            f"is of {_few(old)}; expected a file of the same regulation or programme, "
            "or another --name"
        )


def _programmes(entities: Iterable[Entity]) -> set[str]:
    """The programmes the list's sanctions name (``program``, which for the EU journal
    holds the regulation's CELEX number)."""
    return {
        value for entity in entities if entity.schema.is_a("Sanction")
        for value in entity.get("program")
    }  # fmt: skip


def _few(values: Iterable[str]) -> str:
    items = sorted(values)
    shown = ", ".join(items[:3])
    return shown + (f" and {len(items) - 3} more" if len(items) > 3 else "")


def _removed_targets(
    session: Session, current: ListVersion, parsed: ParsedList
) -> list[tuple[str, str]]:
    """(id, caption) of the current version's targets that ``parsed`` lacks, by id."""
    kept = {entity.id for entity in parsed.targets}
    rows = session.execute(
        select(VersionEntity.entity_id, VersionEntity.caption)
        .where(VersionEntity.version_id == current.id, VersionEntity.target.is_(True))
        .order_by(VersionEntity.entity_id)
    ).all()
    return [(entity_id, caption) for entity_id, caption in rows if entity_id not in kept]


def _check_removals(
    list_name: str,
    parsed: ParsedList,
    current: ListVersion,
    removed: list[tuple[str, str]],
    allow_removals: bool,
    max_share: float | None,
) -> bool:
    """Refuse a version that removes more than the allowed share of the current
    version's targets, naming the first few; True when the user allowed it."""
    share = settings.max_removal_share() if max_share is None else max_share
    total = current.target_count
    if not removed or total == 0 or len(removed) <= share * total:
        return False
    if allow_removals:
        return True
    named = "; ".join(f"{caption} ({entity_id})" for entity_id, caption in removed[:SHOWN])
    more = f"; and {len(removed) - SHOWN} more" if len(removed) > SHOWN else ""
    raise ImportRefusedError(
        f"{parsed.source.name} would remove {len(removed)} of the {total} entities of "
        f"{list_name} version {current.number} (more than {share:.0%}): {named}{more}; "
        "expected a complete file (a cut or wrong file?); if these removals are meant, "
        "import again with --allow-removals"
    )


def _refuse_collisions(session: Session, list_id: int, list_name: str, parsed: ParsedList) -> None:
    """Refuse ids that the current version of another imported list holds: an id names
    one entity, and a look-up by id must never find another list's entry in its place.
    (A published list may hold the ids of the files its persons came from: it is the
    registry's own, and look-ups prefer it.)"""
    newest = (
        select(ListVersion.list_id, func.max(ListVersion.number).label("number"))
        .group_by(ListVersion.list_id)
        .subquery()
    )
    others = dict(
        session.execute(
            select(ListVersion.id, SanctionsList.name)
            .join(SanctionsList, SanctionsList.id == ListVersion.list_id)
            .join(
                newest,
                (newest.c.list_id == ListVersion.list_id) & (newest.c.number == ListVersion.number),
            )
            .where(SanctionsList.id != list_id, SanctionsList.origin == "imported")
        ).all()
    )
    if not others:
        return
    ids = [entity.id for entity in parsed.entities]
    clashes: dict[str, list[str]] = {}
    for start in range(0, len(ids), BATCH):
        rows = session.execute(
            select(VersionEntity.version_id, VersionEntity.entity_id).where(
                VersionEntity.version_id.in_(list(others)),
                VersionEntity.entity_id.in_(ids[start : start + BATCH]),
            )
        ).all()
        for version_id, entity_id in rows:
            clashes.setdefault(others[version_id], []).append(entity_id)
    if clashes:
        other, found = min(clashes.items(), key=lambda item: item[0])
        found.sort()
        more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
        raise ImportRefusedError(
            f"{parsed.source.name} has entity ids that list {other} holds: "
            f"{', '.join(found[:SHOWN])}{more}; importing it as {list_name} would show "
            f"its entries in place of {other}'s; expected ids no other list uses"
        )


def _info(name: str, version: ListVersion, origin: str = "imported") -> VersionInfo:
    imported_at = version.imported_at
    if imported_at.tzinfo is None:  # SQLite stores no zone; Sanctio always writes UTC
        imported_at = imported_at.replace(tzinfo=UTC)
    return VersionInfo(
        name=name,
        version=version.number,
        entities=version.target_count,
        records=version.entity_count,
        by_schema=dict(version.by_schema),
        imported_at=imported_at,
        source=version.source,
        format=version.format,
        content_hash=version.content_hash,
        origin=origin,
    )
