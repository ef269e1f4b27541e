"""The audit trail: an append-only log whose records are chained by SHA-256 hashes.

Each record's hash covers its own fields and the hash of the record before it, so
editing, removing or reordering records breaks the chain where it happened, and
``verify`` names that record.

Design, briefly:

* **Same transaction as the action.** ``append`` writes through the caller's
  connection, so an action and its audit record commit or roll back together.
* **A head table.** Removing the *last* records leaves a chain that is still
  internally valid. ``audit_head`` (one row: last seq and hash) is updated by every
  append in the same transaction, so ``verify`` compares it with the log's end.
  ``append`` also chains from the head rather than from the last row it finds, so a
  removed last record is not papered over by the next append.
* **One appender at a time.** Two appenders reading the same head would write two
  records with the same seq (a fork). On PostgreSQL ``append`` first takes a
  transaction-level advisory lock (released at commit or rollback), so concurrent
  appenders queue instead of failing. On SQLite the registry starts write
  transactions with ``BEGIN IMMEDIATE`` (``engine.writer``), which already holds the
  database's only write lock, so ``append`` must be called on a connection from
  ``writer(engine)``; it refuses any other. Either way, ``seq`` is the primary key
  and ``hash`` is unique, so a fork can never be stored, only fail.

The chain detects tampering through the database; someone able to rewrite rows *and*
recompute every later hash and the head (or empty the log and reset the head) is not
stopped by it alone. ``registry.checkpoints`` anchors it outside the database with
signed checkpoints.

**Corrupt rows are findings.** Rows are read as raw text and parsed here, so a payload
that is no JSON, a time that is no time or a column of the wrong type makes ``verify``
report "record N unreadable: ..." rather than raise.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    String,
    Text,
    cast,
    func,
    insert,
    select,
    text,
    type_coerce,
    update,
)

from sanctio.errors import SanctioError
from sanctio.model.records import (
    AuditHead,
    AuditRecord,
)
from sanctio.registry.engine import WRITE_OPTION

#: The previous hash of the first record.
GENESIS = "0" * 64
#: The PostgreSQL advisory lock key that serialises appenders (any fixed bigint).
ADVISORY_LOCK_KEY = 7_345_102_836_019_433_821
#: Column widths, checked before writing so SQLite (which ignores them) fails as
#: PostgreSQL would, rather than storing what PostgreSQL would refuse.
LIMITS = {"actor": 200, "action": 100, "subject": 255}
HEAD_ID = 1
#: The columns as stored, unparsed: the payload as its JSON text and (on SQLite) the
#: time as its text, so that ``AuditEntry.from_row`` parses them and a corrupt value
#: is a finding about its record, not an exception in the database driver.
_COLUMNS = (
    AuditRecord.seq,
    type_coerce(AuditRecord.at, String).label("at"),
    AuditRecord.actor,
    AuditRecord.action,
    AuditRecord.subject,
    cast(AuditRecord.payload, Text).label("payload"),
    AuditRecord.prev_hash,
    AuditRecord.hash,
)


def _canonical(value: Any) -> str:
    """One JSON text per value: sorted keys, no whitespace, UTF-8 as is, no NaN."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def utc(at: datetime) -> datetime:
    """``at`` in UTC; a zone-less value (as SQLite returns) is taken to be UTC already."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def record_hash(
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    payload: Mapping[str, Any],
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of the record's canonical JSON, previous hash included.

    The form is fixed: changing it would make every stored record fail verification.
    """
    document = {
        "seq": seq,
        "at": utc(at).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "subject": subject,
        "payload": payload,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(_canonical(document).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditEntry:
    """One record of the audit trail, as stored."""

    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values, the time as ISO-8601 UTC."""
        data = asdict(self)
        data["at"] = utc(self.at).isoformat(timespec="microseconds")
        return data

    @classmethod
    def from_row(cls, row: Row[*tuple[Any, ...]]) -> AuditEntry:
        """The record of a row selected with ``_COLUMNS``; a value that cannot be what
        the column holds raises ``UnreadableRecordError`` naming the record and column."""
        seq = row.seq

        def unreadable(column: str, value: Any, expected: str) -> UnreadableRecordError:
            shown = repr(value if not isinstance(value, str) else value[:80])
            return UnreadableRecordError(seq, f"{column} {shown}; expected {expected}")

        at = row.at
        if isinstance(at, str):
            try:
                at = datetime.fromisoformat(at)
            except ValueError:
                raise unreadable("at", at, "a date and time") from None
        if not isinstance(at, datetime):
            raise unreadable("at", at, "a date and time")
        texts = {c: getattr(row, c) for c in ("actor", "action", "subject", "prev_hash", "hash")}
        for column, value in texts.items():
            if not isinstance(value, str):
                raise unreadable(column, value, "text")
        try:
            payload = json.loads(row.payload) if isinstance(row.payload, str) else row.payload
        except ValueError as exc:
            raise unreadable("payload", row.payload, f"JSON ({exc})") from None
        if not isinstance(payload, dict):
            raise unreadable("payload", row.payload, "a JSON object")
        return cls(seq=seq, at=utc(at), payload=payload, **texts)


class UnreadableRecordError(SanctioError):
    """A stored audit record whose columns cannot be read as a record: corruption (or
    tampering) that ``verify`` reports as a finding about that record."""

    def __init__(self, seq: int, reason: str) -> None:
        super().__init__(f"record {seq} unreadable: {reason}")
        self.seq = seq
        self.reason = reason


class AuditError(SanctioError):
    """The audit trail refuses: a checkpoint of a broken chain, say."""


@dataclass(frozen=True)
class Verification:
    """The outcome of checking the chain: ok, or the first broken record and why."""

    ok: bool
    records: int
    first_broken: int | None = None
    problem: str | None = None
    #: The hash of the last record in the log (None when the log is empty).
    head_hash: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def serialize_writers(connection: Connection) -> None:
    """Wait until no other transaction that writes the audit trail is open: on
    PostgreSQL a transaction-level advisory lock (released at commit or rollback); on
    SQLite the connection must come from ``writer(engine)``, whose ``BEGIN IMMEDIATE``
    already holds the database's only write lock. A workflow step that reads before it
    decides (is this the first user?) calls it first, so no other writer can change
    what it read before it commits."""
    backend = connection.dialect.name
    if backend == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    elif backend == "sqlite" and not connection.get_execution_options().get(WRITE_OPTION):
        raise RuntimeError(
            "audit.append needs a connection from writer(engine): on SQLite only a "
            "transaction begun with BEGIN IMMEDIATE keeps two appenders apart"
        )


def append(
    connection: Connection,
    actor: str,
    action: str,
    subject: str,
    payload: Mapping[str, Any],
    at: datetime | None = None,
) -> AuditEntry:
    """Add a record at the end of the chain, inside the caller's transaction.

    ``connection`` must come from ``writer(engine)`` (``with writer(engine).begin() as
    c``, or a Session bound to it): on SQLite that is what makes appenders queue on
    the write lock. ``payload`` must be JSON data; it is stored and hashed as its JSON
    round trip, so what is read back hashes the same. ``at`` defaults to now and must
    carry a time zone.
    """
    for field, value in (("actor", actor), ("action", action), ("subject", subject)):
        if len(value) > (limit := LIMITS[field]):
            raise ValueError(f"audit {field} is {len(value)} characters long; at most {limit}")
    if at is not None and at.tzinfo is None:
        raise ValueError("audit time must carry a time zone (e.g. datetime.now(UTC))")
    when = utc(at if at is not None else datetime.now(UTC))
    document: dict[str, Any] = json.loads(_canonical(dict(payload)))

    serialize_writers(connection)

    head = connection.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ID)
    ).one_or_none()
    if head is not None:
        last_seq, last_hash = head.seq, head.hash
    else:  # the head row was removed (verify reports it until now): go on from the log's end
        last = connection.execute(
            select(AuditRecord.seq, AuditRecord.hash).order_by(AuditRecord.seq.desc()).limit(1)
        ).one_or_none()
        last_seq, last_hash = (last.seq, last.hash) if last is not None else (0, GENESIS)

    seq = last_seq + 1
    digest = record_hash(seq, when, actor, action, subject, document, last_hash)
    entry = AuditEntry(seq, when, actor, action, subject, document, last_hash, digest)
    connection.execute(
        insert(AuditRecord).values(
            seq=seq,
            at=when,
            actor=actor,
            action=action,
            subject=subject,
            payload=document,
            prev_hash=last_hash,
            hash=digest,
        )
    )
    if head is not None:
        connection.execute(
            update(AuditHead).where(AuditHead.id == HEAD_ID).values(seq=seq, hash=digest)
        )
    else:
        connection.execute(insert(AuditHead).values(id=HEAD_ID, seq=seq, hash=digest))
    return entry


def entries(engine: Engine, limit: int | None = None) -> list[AuditEntry]:
    """The records in seq order: all of them, or the newest ``limit``. A record that
    cannot be read raises ``UnreadableRecordError`` naming it."""
    found, unreadable = readable_entries(engine, limit)
    if unreadable:
        raise unreadable[0]
    return found


def readable_entries(
    engine: Engine, limit: int | None = None
) -> tuple[list[AuditEntry], list[UnreadableRecordError]]:
    """The records in seq order (all, or the newest ``limit``) that can be read, and
    what is wrong with those that cannot: a page shows both rather than failing."""
    query = select(*_COLUMNS).order_by(AuditRecord.seq)
    if limit is not None:
        if limit <= 0:
            return [], []
        query = select(*_COLUMNS).order_by(AuditRecord.seq.desc()).limit(limit)
    found: list[AuditEntry] = []
    unreadable: list[UnreadableRecordError] = []
    with engine.connect() as connection:
        for row in connection.execute(query):
            try:
                found.append(AuditEntry.from_row(row))
            except UnreadableRecordError as exc:
                unreadable.append(exc)
    found.sort(key=lambda entry: entry.seq)
    unreadable.sort(key=lambda exc: exc.seq)
    return found, unreadable


def verify(engine: Engine) -> Verification:
    """Check every record's hash and link, and the head; report the first break.

    Reads one consistent snapshot (REPEATABLE READ on PostgreSQL; one read transaction
    on SQLite), so appends committed meanwhile are not mistaken for tampering.
    """
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            return verify_in(connection)


def verify_in(connection: Connection) -> Verification:
    count = connection.scalar(select(func.count()).select_from(AuditRecord)) or 0
    last = connection.execute(
        select(AuditRecord.seq, AuditRecord.hash).order_by(AuditRecord.seq.desc()).limit(1)
    ).one_or_none()
    head_hash = last.hash if last is not None else None

    def broken(seq: int, problem: str) -> Verification:
        return Verification(False, count, seq, problem, head_hash)

    expected_seq, expected_prev = 1, GENESIS
    edited: AuditEntry | None = None
    problem: tuple[int, str] | None = None
    rows = connection.execute(
        select(*_COLUMNS).order_by(AuditRecord.seq), execution_options={"yield_per": 1000}
    )
    try:
        for row in rows:
            try:
                entry = AuditEntry.from_row(row)
            except UnreadableRecordError as exc:
                problem = (exc.seq, str(exc))
                break
            if _rehash(entry, entry.seq) != entry.hash:
                edited = entry  # told apart from a moved record once the rows are read
                break
            if entry.seq != expected_seq:
                problem = (entry.seq, _gap(expected_seq, entry.seq))
                break
            if entry.prev_hash != expected_prev:
                problem = (
                    entry.seq,
                    f"record {entry.seq} does not follow record {entry.seq - 1}: its "
                    f"previous hash is {entry.prev_hash}, but record {entry.seq - 1}'s "
                    f"hash is {expected_prev}",
                )
                break
            expected_seq, expected_prev = entry.seq + 1, entry.hash
    finally:
        rows.close()
    if edited is not None:
        return broken(edited.seq, _mismatch(connection, edited))
    if problem is not None:
        return broken(*problem)

    head = connection.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ID)
    ).one_or_none()
    last_seq = expected_seq - 1
    if head is None:
        return broken(
            last_seq + 1,
            "the head is missing: audit_head has no row, so removed last records cannot be told",
        )
    if head.seq > last_seq:
        removed = head.seq - last_seq
        ends = f"ends at record {last_seq}" if last_seq else "is empty"
        return broken(
            last_seq + 1,
            f"the last {removed} record{'s were' if removed > 1 else ' was'} removed: "
            f"the head names record {head.seq}, but the log {ends}",
        )
    if head.seq < last_seq:
        return broken(
            head.seq + 1,
            f"head does not match: the head names record {head.seq}, but the log goes "
            f"on to record {last_seq} (records written past the head)",
        )
    if head.hash != expected_prev:
        return broken(
            last_seq,
            f"head does not match: the head's hash for record {head.seq} is {head.hash}, "
            f"but the record's hash is {expected_prev}",
        )
    return Verification(True, count, None, None, head_hash)


def _rehash(entry: AuditEntry, seq: int) -> str:
    return record_hash(
        seq, entry.at, entry.actor, entry.action, entry.subject, entry.payload, entry.prev_hash
    )


def _gap(expected: int, found: int) -> str:
    """Plain words for a jump in seq from ``expected`` to ``found``."""
    if found < expected:
        return f"record {found} is out of place: expected record {expected}"
    if expected == 1:
        missing = "record 1 is" if found == 2 else f"records 1 to {found - 1} are"
        return f"{missing} missing: the log starts at record {found}"
    missing = (
        f"record {expected} is"
        if found == expected + 1
        else f"records {expected} to {found - 1} are"
    )
    return f"{missing} missing: record {found} follows record {expected - 1}"


def _mismatch(connection: Connection, entry: AuditEntry) -> str:
    """Why ``entry``'s content does not match its hash: moved, or edited.

    A record moved to another position still hashes correctly at the position it was
    written for, which the record named by its previous hash tells.
    """
    if entry.prev_hash == GENESIS:
        written_at: int | None = 1
    else:
        before = connection.scalar(
            select(AuditRecord.seq).where(AuditRecord.hash == entry.prev_hash)
        )
        written_at = before + 1 if before is not None else None
    if (
        written_at is not None
        and written_at != entry.seq
        and _rehash(entry, written_at) == entry.hash
    ):
        return (
            f"records out of order: record {entry.seq} holds the record written as "
            f"record {written_at}"
        )
    return f"record {entry.seq} was edited: its content does not match its hash"
