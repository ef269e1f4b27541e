"""The registry: named lists, their immutable versions, and the entities in them.

One class over SQLite or PostgreSQL. An import is one transaction: either the whole
new version is stored and becomes current, or nothing is and the previous version
stays in force (also when the process is killed midway).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from threading import Lock
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sanctio.errors import NotFoundError, SanctioError
from sanctio.lists import ParsedList
from sanctio.model import Entity
from sanctio.model.records import ListVersion, SanctionsList, VersionEntity
from sanctio.registry.diff import ListDiff, diff_entities, subject_of
from sanctio.registry.engine import open_engine, writer
from sanctio.registry.watch import CommitWatch

BATCH = 1000
#: The Core table, for plain multi-row INSERTs (the ORM would insert row by row).
VERSION_ENTITIES: Table = VersionEntity.__table__  # type: ignore[assignment]
Progress = Callable[[int, int], None]
_STAMP = select(func.max(ListVersion.id), func.count(ListVersion.id))


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
        }


@dataclass(frozen=True)
class ImportResult:
    """The outcome of an import: a new version, or the unchanged current one."""

    created: bool
    version: VersionInfo
    previous: int | None


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
        self, parsed: ParsedList, name: str | None = None, progress: Progress | None = None
    ) -> ImportResult:
        """Store ``parsed`` as the newest version of list ``name``, unless it is unchanged."""
        list_name = name or parsed.name
        state_hashes = parsed.state_hashes()
        content_hash = parsed.content_hash(state_hashes)
        try:
            return self._store_version(list_name, parsed, state_hashes, content_hash, progress)
        except IntegrityError:
            # two imports of the same list at once: the unique version number refused one
            raise SanctioError(
                f"another import of {list_name!r} finished first; import again"
            ) from None

    def _store_version(
        self,
        list_name: str,
        parsed: ParsedList,
        state_hashes: dict[str, str],
        content_hash: str,
        progress: Progress | None,
    ) -> ImportResult:
        with Session(self.writer) as session, session.begin():
            return self.store_in(session, list_name, parsed, state_hashes, content_hash, progress)

    def store_in(
        self,
        session: Session,
        list_name: str,
        parsed: ParsedList,
        state_hashes: dict[str, str] | None = None,
        content_hash: str | None = None,
        progress: Progress | None = None,
    ) -> ImportResult:
        """Store ``parsed`` as the newest version of ``list_name`` inside the caller's
        transaction: a publication commits with the acts that adopt it, or not at all."""
        if state_hashes is None:
            state_hashes = parsed.state_hashes()
        if content_hash is None:
            content_hash = parsed.content_hash(state_hashes)
        sanctions_list = session.scalar(
            select(SanctionsList).where(SanctionsList.name == list_name).with_for_update()
        )
        now = datetime.now(UTC)
        if sanctions_list is None:
            sanctions_list = SanctionsList(name=list_name, created_at=now)
            session.add(sanctions_list)
            session.flush()
        current = self._current(session, sanctions_list.id)
        previous = current.number if current else None
        if current is not None and current.content_hash == content_hash:
            return ImportResult(False, _info(list_name, current), previous)
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
        info = _info(list_name, version)
        return ImportResult(True, info, previous)

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

    def _version(self, session: Session, name: str, number: int | None) -> ListVersion:
        sanctions_list = session.scalar(select(SanctionsList).where(SanctionsList.name == name))
        if sanctions_list is None:
            known = ", ".join(session.scalars(select(SanctionsList.name))) or "none yet"
            raise NotFoundError(f"no list named {name!r}; lists in the registry: {known}")
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
                select(SanctionsList.name, ListVersion)
                .join(ListVersion, ListVersion.list_id == SanctionsList.id)
                .join(
                    newest,
                    (newest.c.list_id == ListVersion.list_id)
                    & (newest.c.number == ListVersion.number),
                )
                .order_by(SanctionsList.name)
            ).all()
            return [_info(name, version) for name, version in rows]

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
            return _info(name, self._version(session, name, number))

    def versions(self, name: str) -> list[VersionInfo]:
        """Every version of a list, oldest first."""
        with Session(self.engine) as session:
            current = self._version(session, name, None)
            return [_info(name, v) for v in current.list.versions]

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
        if new is None:
            new = self.version(name).version
        if old is None:
            old = new - 1
        if old < 1:
            raise NotFoundError(f"list {name!r} has only one version; nothing to compare")
        return diff_entities(name, self.entities(name, old), self.entities(name, new), old, new)

    def entity(self, entity_id: str) -> EntityView:
        """An entity with the records about it and every list version that holds it."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(SanctionsList.name, ListVersion, VersionEntity)
                .join(ListVersion, ListVersion.list_id == SanctionsList.id)
                .join(VersionEntity, VersionEntity.version_id == ListVersion.id)
                .where(VersionEntity.entity_id == entity_id)
                .order_by(ListVersion.imported_at, ListVersion.number)
            ).all()
            if not rows:
                raise NotFoundError(f"no entity with id {entity_id!r} in any list version")
            appearances: dict[str, list[int]] = {}
            for list_name, version, _ in rows:
                appearances.setdefault(list_name, []).append(version.number)
            current = {
                list_name: self._version(session, list_name, None).number
                for list_name in appearances
            }
            list_name, version, row = rows[-1]
            related = session.scalars(
                select(VersionEntity.data)
                .where(VersionEntity.version_id == version.id)
                .where(VersionEntity.subject_id == entity_id)
                .order_by(VersionEntity.entity_id)
            )
            return EntityView(
                entity=Entity.from_dict(row.data, trusted=True),
                related=[Entity.from_dict(item, trusted=True) for item in related],
                list_name=list_name,
                version=version.number,
                appearances=appearances,
                current=current,
            )


def _info(name: str, version: ListVersion) -> VersionInfo:
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
    )
